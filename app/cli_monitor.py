"""Monitoring commands (training/monitoring.py; the console's /admin/monitoring pages call the same functions):

- `sightline alerts list|check|ack`: a tenant's alerts; `check` evaluates the conditions (quality, error rate,
  latency, cost, question drift, route drift), stores and delivers new alerts (e-mail + webhook); `check --all` does
  it for every active tenant, as `sightline worker` does every SIGHTLINE_ALERT_CHECK_MINUTES; `ack` acknowledges one.
- `sightline monitor summary|drift`: the per-version/route table with trend verdicts, and the drift tests.
- `sightline rollout show|set|stop`: a tenant's staged rollout (share of users and chosen users served
  `<target>@staging`) and the A/B comparison; promote or roll back with `sightline models promote/rollback`.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import typer

alerts_cli = typer.Typer(no_args_is_help=True, help="Monitoring alerts of a tenant: list, check now, acknowledge.")
monitor_cli = typer.Typer(no_args_is_help=True, help="Model monitoring: per-version summary, trends and drift.")
rollout_cli = typer.Typer(no_args_is_help=True, help="Staged rollout of a staging version to part of a tenant.")

TENANT = typer.Option(..., "--tenant", help="Tenant slug")


def _tenant(slug: str):  # noqa: ANN202 - db.registry.Tenant
    from db import registry

    try:
        return registry.get_tenant(slug)
    except registry.RegistryError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


def _print_alert(a) -> None:  # noqa: ANN001 - training.monitoring.Alert
    state = f"acked {a.acked_at:%Y-%m-%d %H:%M}" if a.acked_at else "OPEN"
    sent = ",".join(a.delivered) or "-"
    typer.echo(f"{a.id:>5}  {a.at:%Y-%m-%d %H:%M}  {a.kind:<11}  {state:<22}  sent:{sent:<14}  {a.subject}")


@alerts_cli.command("list")
def alerts_list(tenant: str = TENANT, open_only: bool = typer.Option(False, "--open", help="Only unacknowledged"),
                as_json: bool = typer.Option(False, "--json")) -> None:
    """The tenant's alerts, newest first."""
    from training import monitoring as mon

    alerts = mon.list_alerts(_tenant(tenant).id, open_only=open_only)
    if as_json:
        typer.echo(json.dumps([asdict(a) for a in alerts], default=str, indent=1))
        return
    if not alerts:
        typer.echo("no alerts")
    for a in alerts:
        _print_alert(a)


@alerts_cli.command("check")
def alerts_check(tenant: str = typer.Option("", "--tenant", help="Tenant slug"),
                 every: bool = typer.Option(False, "--all", help="Every active tenant (what `sightline worker` runs "
                                                                 "every SIGHTLINE_ALERT_CHECK_MINUTES)")) -> None:
    """Evaluate the conditions now; store and deliver an alert per kind that has no open one."""
    from training import monitoring as mon

    if every == bool(tenant):
        typer.echo("error: give --tenant SLUG or --all", err=True)
        raise typer.Exit(2)
    if every:
        results = mon.check_all()
        for r in results:
            typer.echo(f"{r.tenant}: " + (f"check failed: {r.error}" if r.error else
                                          f"{len(r.alerts)} new alert(s)"))
            for a in r.alerts:
                _print_alert(a)
        if any(r.error for r in results):
            raise typer.Exit(1)
        return
    t = _tenant(tenant)
    created = mon.check(t.id, t.slug)
    if not created:
        typer.echo("no new alerts")
    for a in created:
        _print_alert(a)
        typer.echo(f"       {a.detail}")
        typer.echo(f"       recommendation: {mon.recommendation(a.kind)}")


@alerts_cli.command("ack")
def alerts_ack(alert_id: int = typer.Argument(..., help="Alert number"), tenant: str = TENANT) -> None:
    """Acknowledge an alert (by the CLI: no user is recorded as the acknowledger)."""
    from training import monitoring as mon

    try:
        a = mon.acknowledge(_tenant(tenant).id, alert_id, None)
    except LookupError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    _print_alert(a)


@monitor_cli.command("summary")
def monitor_summary(tenant: str = TENANT, days: int = typer.Option(30, "--days", min=1, max=365)) -> None:
    """Per model version and route: requests, errors, timeouts, latency percentiles, cost, thumbs, trends."""
    from training import monitoring as mon

    typer.echo(f"trend test: {mon.TREND_TEST}")
    for s in mon.summaries(_tenant(tenant).id, days):
        up = f"{s.up_rate:.0%}" if s.up_rate is not None else "-"
        cost = f"${s.cost_per_request:.5f}" if s.cost_per_request is not None else "-"
        typer.echo(f"{s.version:<22} {s.route:<10} n={s.requests:<6} err={s.errors} to={s.timeouts} "
                   f"p50/p95/p99={s.p50_ms}/{s.p95_ms}/{s.p99_ms} ms cost/req={cost} up={up} ({s.ratings}) "
                   f"comments={s.comments} quality={s.quality_trend} errors={s.error_trend}")


@monitor_cli.command("drift")
def monitor_drift(tenant: str = TENANT) -> None:
    """Question-embedding drift (MMD permutation test) and route-mix drift (chi-square) of the recent window."""
    from training import monitoring as mon

    d = mon.drift(_tenant(tenant).id)
    typer.echo(f"reference {d.reference}, recent {d.recent}")
    for name, r in (("questions", d.questions), ("routes", d.routes)):
        verdict = "DRIFT" if r.significant else "no drift"
        typer.echo(f"{name:<10} {r.test}: statistic={r.statistic:.4f} p={r.p_value:.3g} {verdict} ({r.detail})")


@rollout_cli.command("show")
def rollout_show(tenant: str = TENANT) -> None:
    """The rollout settings and the A/B comparison (two-proportion z-tests)."""
    from training import monitoring as mon

    t = _tenant(tenant)
    config = mon.get_rollout(t.id)
    if config is None:
        typer.echo("no staged rollout: everyone gets production")
    else:
        typer.echo(f"{config.target}@staging for {config.share:.0%} of users + {len(config.users)} chosen user(s)")
    r = mon.ab_compare(t.id)
    for arm in ("production", "staging"):
        a = getattr(r, arm)
        typer.echo(f"{arm:<10} turns={a['turns']} errors={a['errors']} ratings={a['ratings']} up={a['up']}")
    typer.echo(f"thumbs: z={r.thumbs.statistic:.2f} p={r.thumbs.p_value:.3g}; errors: z={r.errors.statistic:.2f} "
               f"p={r.errors.p_value:.3g} -> {r.verdict}")


@rollout_cli.command("set")
def rollout_set(tenant: str = TENANT, target: str = typer.Option(..., "--target", help="industry or tenant:<slug>"),
                share: float = typer.Option(0.1, "--share", min=0, max=1, help="Share of users, 0..1"),
                user: list[str] = typer.Option([], "--user", help="A user e-mail to include (repeatable)")) -> None:
    """Serve `<target>@staging` to a share of the tenant's users and to the given users."""
    from db import registry
    from training import monitoring as mon

    t = _tenant(tenant)
    ids = []
    for email in user:
        found = registry.find_user(email)
        if found is None or found.tenant.id != t.id:
            typer.echo(f"error: {email} is not a user of {tenant}", err=True)
            raise typer.Exit(2)
        ids.append(str(found.id))
    try:
        config = mon.set_rollout(t.id, target, share, ids)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"{config.target}@staging for {config.share:.0%} of users + {len(config.users)} chosen user(s)")


@rollout_cli.command("stop")
def rollout_stop(tenant: str = TENANT) -> None:
    """End the staged rollout: everyone gets production."""
    from training import monitoring as mon

    typer.echo("stopped" if mon.clear_rollout(_tenant(tenant).id) else "no staged rollout was set")
