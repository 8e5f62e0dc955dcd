"""Chat-app commands: `sightline apikey` (widget API keys), `sightline origin` (allowed Origins), `feedback`."""

from __future__ import annotations

import typer

apikey_cli = typer.Typer(no_args_is_help=True, help="API keys a tenant's backend uses to mint widget tokens.")
origin_cli = typer.Typer(no_args_is_help=True, help="Web Origins allowed to embed the widget or call the API.")


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _tenant(slug: str):  # noqa: ANN202 - db.registry.Tenant
    from db import registry

    try:
        return registry.get_tenant(slug)
    except registry.RegistryError as exc:
        _fail(str(exc))


@apikey_cli.command("create")
def apikey_create(
    tenant: str = typer.Option(..., "--tenant", help="Tenant slug"),
    name: str = typer.Option("", "--name", help="A label, e.g. 'shop backend'"),
    history: str = typer.Option("widget", "--history",
                                help="What its widget sessions see: 'widget' (only threads made through the widget) "
                                     "or 'all' (the users' chat-UI threads too; the tenant opts in)"),
) -> None:
    """Create a key; it is printed once and only its hash is stored."""
    from db import api_keys

    if history not in api_keys.HISTORY:
        _fail(f"--history must be one of {', '.join(api_keys.HISTORY)}, not {history!r}")
    key, info = api_keys.create_key(_tenant(tenant).id, name, history=history)
    typer.echo(key)
    typer.echo(f"(key id {info.prefix} for tenant {tenant}; store it now, it cannot be shown again)", err=True)


@apikey_cli.command("revoke")
def apikey_revoke(
    key_id: str = typer.Argument(..., help="The key id (the part after 'slk_') or the whole key"),
    tenant: str = typer.Option(..., "--tenant", help="Tenant slug"),
) -> None:
    """Revoke a key: tokens can no longer be minted with it."""
    from db import api_keys

    if not api_keys.revoke_key(_tenant(tenant).id, key_id):
        _fail(f"tenant {tenant} has no active key {key_id!r} (see `sightline apikey list --tenant {tenant}`)")
    typer.echo(f"key {key_id} revoked")


@apikey_cli.command("list")
def apikey_list(tenant: str = typer.Option(..., "--tenant", help="Tenant slug")) -> None:
    """List the tenant's keys (ids and labels, never the keys)."""
    from db import api_keys

    keys = api_keys.list_keys(_tenant(tenant).id)
    if not keys:
        typer.echo(f"no keys (create one with `sightline apikey create --tenant {tenant}`)")
    for k in keys:
        state = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "active"
        typer.echo(f"{k.prefix:<14} {state:<24} {k.created_at:%Y-%m-%d %H:%M}  history={k.history:<7} {k.name}")


@origin_cli.command("add")
def origin_add(
    origin: str = typer.Argument(..., help="scheme://host[:port], e.g. https://shop.example.com"),
    tenant: str = typer.Option(..., "--tenant", help="Tenant slug"),
) -> None:
    """Allow a web Origin for the tenant's widget and API calls."""
    from db.origins import OriginError, add_origin

    try:
        typer.echo(f"allowed {add_origin(_tenant(tenant).id, origin)} for {tenant}")
    except OriginError as exc:
        _fail(str(exc))


@origin_cli.command("remove")
def origin_remove(
    origin: str = typer.Argument(..., help="The Origin to remove"),
    tenant: str = typer.Option(..., "--tenant", help="Tenant slug"),
) -> None:
    """Stop allowing an Origin (takes effect within 10 seconds)."""
    from db.origins import OriginError, remove_origin

    try:
        removed = remove_origin(_tenant(tenant).id, origin)
    except OriginError as exc:
        _fail(str(exc))
    if not removed:
        _fail(f"{origin} is not allowed for {tenant}")
    typer.echo(f"removed {origin} for {tenant}")


@origin_cli.command("list")
def origin_list(tenant: str = typer.Option(..., "--tenant", help="Tenant slug")) -> None:
    """List the tenant's allowed Origins."""
    from db.origins import list_origins

    origins = list_origins(_tenant(tenant).id)
    typer.echo("\n".join(origins) if origins else "no Origins allowed besides the app's own")


def feedback_cmd(tenant: str = typer.Option(..., "--tenant", help="Tenant slug")) -> None:
    """Summarize a tenant's thumbs up/down per route and model/adapter version."""
    from db.chat_store import feedback_summary

    rows = feedback_summary(_tenant(tenant).id)
    if not rows:
        typer.echo(f"no feedback for {tenant} yet")
        return
    typer.echo(f"{'route':<10} {'model/adapter':<44} {'ratings':>7} {'up':>5} {'down':>5} {'up rate':>8} {'avg ms':>8}")
    for r in rows:
        latency = f"{r.avg_latency_ms:.0f}" if r.avg_latency_ms is not None else "-"
        typer.echo(f"{r.route:<10} {r.model[:44]:<44} {r.ratings:>7} {r.up:>5} {r.down:>5} {r.up_rate:>8.0%} "
                   f"{latency:>8}")
