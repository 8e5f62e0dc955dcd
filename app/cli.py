"""The `sightline` command line (typer): tenants, users, CSV import, demo data, database, server."""

from __future__ import annotations

import calendar
import logging
import os
import sys
from pathlib import Path

import click
import typer
from typer.core import TyperGroup

import config  # noqa: F401  (offline switches before any library import)
from app.cli_dataset import dataset_cli
from app.cli_docs import docs_cli
from app.cli_output import echo_rows, fail
from config.errors import UserError

# Top-level commands that must not migrate first: `db` manages migrations itself, `restore` rebuilds the database
# from a backup, `serve` migrates on start, `backup` copies the database as it is.
NO_MIGRATE_FIRST = frozenset({"db", "restore", "serve", "backup"})


_AT_HEAD: set[tuple[str, str, str]] = set()


def ensure_migrated() -> None:
    """Before a command: the embedded database is migrated to head when it is behind (a fresh data folder); an
    external DATABASE_URL that is behind is a UserError that says what to run (production migrates with its Job)."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from config import get_settings
    from db.migrate import revisions, upgrade

    settings = get_settings()
    key = (settings.database_url, str(settings.data_dir), settings.database_name)
    if key in _AT_HEAD:  # checked already by this process (tests run many commands in one)
        return
    try:
        current, head = revisions()
    except sa.exc.OperationalError as exc:
        where = (make_url(settings.database_url).render_as_string(hide_password=True) if settings.database_url
                 else f"the embedded server in {settings.pgdata_dir}")
        first = str(exc.orig or exc).strip().splitlines()[0]
        raise UserError(f"cannot reach the database ({where}): {first}") from None
    if current == head:
        _AT_HEAD.add(key)
        return
    if settings.database_url:
        raise UserError(f"the database is at migration {current or 'none'}, this version needs {head}: "
                        "run `sightline db migrate` first")
    typer.echo(f"database at migration {current or 'none (new data folder)'}: migrating to {head} first...", err=True)
    from alembic.util.exc import CommandError

    try:
        upgrade()
    except CommandError as exc:  # e.g. a database migrated by a newer version of Sightline
        raise UserError(f"cannot migrate the database from {current} to {head}: {exc}") from None
    _AT_HEAD.add(key)


class SightlineGroup(TyperGroup):
    """The top-level command group: migrates first (`ensure_migrated`) and turns every UserError into one line on
    stderr with exit code 2. This is the one place UserError is caught; anything else is a bug and keeps its
    traceback."""

    def invoke(self, ctx: click.Context) -> object:
        args = [*getattr(ctx, "_protected_args", []), *ctx.args]
        try:
            if self._needs_database(ctx, args):
                ensure_migrated()
            return super().invoke(ctx)
        except UserError as exc:
            typer.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)

    def _needs_database(self, ctx: click.Context, args: list[str]) -> bool:
        if not args or args[0] in NO_MIGRATE_FIRST or any(a in ("--help", "-h") for a in args):
            return False
        command = self.get_command(ctx, args[0])
        if command is None:
            return False  # click reports the unknown command
        return not (isinstance(command, click.Group) and len(args) == 1)  # a bare group prints its help


# A bug's traceback shows code, never local variables (they can hold connection URLs and secrets).
cli = typer.Typer(cls=SightlineGroup, no_args_is_help=True, add_completion=False, pretty_exceptions_show_locals=False,
                  help="Sightline: tenant-isolated chat assistant.")
tenant_cli = typer.Typer(no_args_is_help=True, help="Manage tenants.")
user_cli = typer.Typer(no_args_is_help=True, help="Map users (e-mails) to tenants.")
db_cli = typer.Typer(no_args_is_help=True, help="Database: URL, migrations, embedded server, reset.")
industry_cli = typer.Typer(no_args_is_help=True, help="Pooled, suppressed cross-tenant industry figures.")
cli.add_typer(tenant_cli, name="tenant")
cli.add_typer(user_cli, name="user")
cli.add_typer(db_cli, name="db")
cli.add_typer(docs_cli, name="docs")
cli.add_typer(industry_cli, name="industry")
cli.add_typer(dataset_cli, name="dataset")

IMPORT_TABLES = ("products", "stores", "sales", "stock", "patients")


def _checked_currency(code: str | None) -> str | None:
    """A currency code the SQL tool can write, or a clear error (None / "auto": derived from the stores' countries)."""
    from tools.sql.money import is_currency_code

    if code is None or code.strip().lower() in ("", "auto"):
        return None
    if not is_currency_code(code):
        raise UserError(f"currency {code!r} is not an ISO 4217 currency code (e.g. EUR, GBP, PLN, JPY)")
    return code.strip().upper()


_FISCAL_HELP = ("First day of its financial year: '07-01' (MM-DD), '1 July', 'July 1' or 'July' (the 1st); "
                "'auto': the deployment's SIGHTLINE_FISCAL_YEAR_START, else the year the law fixes in its country "
                "(India 1 April, ...), else the question is asked back")


@tenant_cli.command("add")
def tenant_add(slug: str, name: str = typer.Option(..., "--name", help="Display name, e.g. 'Acme Optics'"),
               currency: str = typer.Option(None, "--currency",
                                            help="ISO 4217 code of its amounts (default: its stores' countries)"),
               fiscal_year_start: str = typer.Option(None, "--fiscal-year-start",
                                                     help=_FISCAL_HELP + " (default: auto)"),
               ) -> None:
    """Create a tenant."""
    from db import registry

    t = registry.add_tenant(slug, name, _checked_currency(currency), fiscal_year_start)
    typer.echo(f"created tenant {t.slug} ({t.name}) id={t.id}" + (f" currency={t.currency}" if t.currency else "")
               + (f" fiscal-year-start={t.fiscal_year_start}" if t.fiscal_year_start else ""))


@tenant_cli.command("currency")
def tenant_currency(slug: str, code: str = typer.Argument(..., help="ISO 4217 code (EUR, PLN...) or 'auto'")) -> None:
    """Record the currency a tenant's amounts are in ('auto': derive it from its stores' countries again)."""
    from db import registry

    t = registry.set_tenant_currency(slug, _checked_currency(code))
    typer.echo(f"tenant {t.slug}: amounts in {t.currency or 'the currency of its stores countries (auto)'}")


@tenant_cli.command("fiscal-year")
def tenant_fiscal_year(slug: str, start: str = typer.Argument(..., help=_FISCAL_HELP)) -> None:
    """Record the first day of a tenant's financial year ("FY26", "last financial year" in its questions); 'auto'
    clears it. Example: `sightline tenant fiscal-year acme 07-01` (July to June)."""
    from db import registry

    t = registry.set_tenant_fiscal_year(slug, start)
    if t.fiscal_year_start:
        month, day = (int(p) for p in t.fiscal_year_start.split("-"))
        typer.echo(f"tenant {t.slug}: financial year starts on {day} {calendar.month_name[month]} "
                   f"({t.fiscal_year_start})")
    else:
        typer.echo(f"tenant {t.slug}: financial year from SIGHTLINE_FISCAL_YEAR_START or its country's law (auto)")


@tenant_cli.command("list")
def tenant_list() -> None:
    """List tenants."""
    from db import registry

    tenants = registry.list_tenants()
    if not tenants:
        typer.echo("no tenants yet (try `sightline demo`)")
    for t in tenants:
        typer.echo(f"{t.slug:<20} {t.status:<9} {t.name:<32} {t.currency or 'auto':<5} "
                   f"FY {t.fiscal_year_start or 'auto':<5} {t.id}")


@tenant_cli.command("disable")
def tenant_disable(slug: str) -> None:
    """Disable a tenant: its users can no longer sign in."""
    from db import registry

    registry.set_tenant_status(slug, "disabled")
    typer.echo(f"tenant {slug} disabled")


@tenant_cli.command("enable")
def tenant_enable(slug: str) -> None:
    """Re-enable a disabled tenant."""
    from db import registry

    registry.set_tenant_status(slug, "active")
    typer.echo(f"tenant {slug} enabled")


@user_cli.command("add")
def user_add(
    email: str,
    tenant: str = typer.Option(..., "--tenant", help="Tenant slug"),
    role: str = typer.Option("member", "--role", help="member or admin"),
) -> None:
    """Map EMAIL to a tenant with a role (the mapping the login uses)."""
    from db import registry

    u = registry.add_user(email, tenant, role)
    typer.echo(f"{u.email} -> {u.tenant.slug} ({u.role})")


@user_cli.command("list")
def user_list(tenant: str = typer.Option(..., "--tenant", help="Tenant slug")) -> None:
    """List a tenant's users."""
    from db import registry

    users = registry.list_users(tenant)
    for u in users:
        typer.echo(f"{u.email:<40} {u.role}" + ("  disabled" if u.disabled else ""))


@user_cli.command("disable")
def user_disable(email: str) -> None:
    """Disable a user (operator): no sign-in; their sessions and widget tokens stop at once (history is kept)."""
    from app.cli_console import user_status

    user_status(email, True)


@user_cli.command("enable")
def user_enable(email: str) -> None:
    """Enable a disabled user again (operator)."""
    from app.cli_console import user_status

    user_status(email, False)


@cli.command("import")
def import_cmd(
    table: str = typer.Argument(..., help="|".join(IMPORT_TABLES)),
    file: Path = typer.Argument(..., help="CSV file with a header row"),
    tenant: str = typer.Option(..., "--tenant", help="Tenant slug"),
) -> None:
    """Import a CSV file into one of the tenant's tables (all rows or none)."""
    from db import registry
    from db.importer import import_csv

    if table not in IMPORT_TABLES:
        fail(f"unknown table {table!r}; choose one of {', '.join(IMPORT_TABLES)}")
    t = registry.get_tenant(tenant)
    result = import_csv(table, file, t.id)
    typer.echo(f"imported {result.rows} row(s) from {result.source} into {table} for {tenant} "
               f"({result.table_rows_after} row(s) in the table now)")


def load_demo_everything(seed: int) -> dict[str, dict[str, int]]:
    """Demo tenants, users and data (db), then their policy documents (tools: chunked + embedded)."""
    from db.demo import load_demo
    from tools.ingest import load_demo_documents

    summary = load_demo(seed)
    for slug, results in load_demo_documents().items():
        summary.setdefault(slug, {})["documents"] = len(results)
    return summary


@cli.command("demo")
def demo() -> None:
    """Load the demo tenants and their data (deterministic; safe to re-run)."""
    from config import get_settings
    from db.demo import DEMO_TENANTS

    summary = load_demo_everything(get_settings().demo_seed)
    for slug, counts in summary.items():
        typer.echo(f"{slug}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    for t in DEMO_TENANTS:
        for email, role in t.users:
            typer.echo(f"  user {email} ({role}) -> {t.slug}")


@industry_cli.command("refresh")
def industry_refresh() -> None:
    """Recompute the pooled industry aggregates (cells under 11 records or 3 tenants are suppressed)."""
    from db import industry

    typer.echo(f"{industry.refresh()} aggregate cell(s) stored")


@industry_cli.command("show")
def industry_show(metric: str = typer.Option(None, "--metric", help="Only this metric")) -> None:
    """Print the pooled industry aggregates."""
    from db import industry

    echo_rows(industry.read(metric), "no aggregates (run `sightline industry refresh`; cells need >= 3 tenants)",
              lambda a: f"{a.metric:<22} {a.dimension:<14} {a.bucket:<16} {a.period:<5} {a.value:>10} {a.unit:<28} "
                        f"n={a.n_records} tenants={a.n_tenants}")


@db_cli.command("url")
def db_url(
    role: str = typer.Option("admin", "--role", help="admin | app | reader"),
    show_password: bool = typer.Option(False, "--show-password"),
) -> None:
    """Print the connection URL in use."""
    from sqlalchemy.engine import make_url

    from db import engine

    fn = {"admin": engine.admin_url, "app": engine.app_url, "reader": engine.reader_url}.get(role)
    if fn is None:
        fail("--role must be admin, app or reader")
    typer.echo(make_url(fn()).render_as_string(hide_password=not show_password))


@db_cli.command("migrate")
def db_migrate() -> None:
    """Apply migrations (alembic upgrade head)."""
    from db.migrate import upgrade

    upgrade()
    typer.echo("migrations applied")


@db_cli.command("reset")
def db_reset(yes: bool = typer.Option(False, "--yes", help="Confirm: all data is deleted")) -> None:
    """Drop and recreate the database, then migrate (development only)."""
    from db.maintenance import reset_database

    if not yes:
        fail("this deletes every tenant's data; re-run with --yes to confirm")
    reset_database()
    typer.echo("database reset and migrated (run `sightline demo` for demo data)")


@db_cli.command("start")
def db_start() -> None:
    """Start the embedded PostgreSQL (no-op with DATABASE_URL)."""
    from db.engine import admin_url

    admin_url()
    typer.echo("database running")


@db_cli.command("stop")
def db_stop() -> None:
    """Stop the embedded PostgreSQL."""
    from config import get_settings
    from db import embedded

    stopped = embedded.stop(get_settings().pgdata_dir)
    typer.echo("embedded database stopped" if stopped else "embedded database was not running")


class Stopped(SystemExit):
    """Raised by the signal handlers of `exit_on_signals`: unwinds the stack so `finally` blocks stop children."""


def exit_on_signals() -> None:
    """Make SIGTERM and SIGINT raise `Stopped` (exit status 128 + signal) in the main thread.

    uvicorn handles both signals itself while it runs (graceful shutdown), then restores these handlers and raises
    the signal again; with the default SIGTERM disposition that re-raise killed the process before `serve`'s
    `finally` could stop the dev identity provider, which was left running on its port. The provider also exits on
    its own when its parent disappears (SIGKILL), see app/dev_idp.py.
    """
    import signal

    def handler(signum: int, frame: object) -> None:
        raise Stopped(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, handler)


@cli.command("serve")
def serve(
    host: str = typer.Option(None, help="Bind address (default from settings)"),
    port: int = typer.Option(None, help="Port (default from settings)"),
    migrate: bool = typer.Option(True, "--migrate/--no-migrate",
                                 help="Migrate to head first. --no-migrate (production, where a migration Job "
                                      "migrates): refuse to start unless the database is already at head"),
    demo: bool = typer.Option(True, "--demo/--no-demo",
                              help="Load the demo tenants when they are missing (--no-demo in production)"),
    workers: int = typer.Option(None, "--workers", min=1, max=64,
                                help="Worker processes (default SIGHTLINE_WEB_WORKERS, 1). They share only PostgreSQL; "
                                     "each warms up its own models (docs/deploy.md)"),
) -> None:
    """Prepare the database (migrate, demo data when empty) and start the web app."""
    import uvicorn

    from config import get_settings
    from db.demo import is_loaded
    from db.migrate import upgrade

    settings = get_settings()
    exit_on_signals()  # SIGTERM/SIGINT unwind through the `finally` below, which stops the child processes
    if migrate:
        upgrade()
    else:
        from db.migrate import revisions

        current, head = revisions()
        if current != head:
            raise UserError(f"the database is at migration {current or 'none'}, this version needs {head}: "
                            "run `sightline db migrate` first (the Helm chart's migration Job)")
    if demo and not is_loaded():
        typer.echo("loading demo tenants...")
        load_demo_everything(settings.demo_seed)
    from app.dev_idp import start_if_needed

    # The dev identity provider: only on loopback and when no real OAuth provider is configured (app/dev_idp.py).
    idp = start_if_needed(settings, host or settings.host)
    if idp is not None:
        typer.echo(f"dev identity provider on {idp.url}: sign in as any demo user (see docs/chat-app.md)")
    try:
        n = workers or settings.web_workers
        config.set_env(SIGHTLINE_WEB_WORKERS=str(n))  # the spawned workers read it (websocket-only chat transport)
        if n > 1 and "OMP_NUM_THREADS" not in os.environ:  # N workers share the cores: no oversubscribed torch pools
            config.set_env(OMP_NUM_THREADS=str(max(1, (os.cpu_count() or 1) // n)))
        uvicorn.run("app.web:create_app", factory=True, host=host or settings.host, port=port or settings.port,
                    workers=n if n > 1 else None)
    finally:
        if idp is not None:
            idp.stop()


from app.cli_audit import audit_cmd  # noqa: E402  (the command lives in its own module)

cli.command("audit")(audit_cmd)


from app.cli_ask import ask_cmd  # noqa: E402

cli.command("ask")(ask_cmd)


from app.cli_chat import apikey_cli, feedback_cmd, origin_cli  # noqa: E402

cli.add_typer(apikey_cli, name="apikey")
cli.add_typer(origin_cli, name="origin")
cli.command("feedback")(feedback_cmd)


from app.cli_console import admin_cli  # noqa: E402  (the web console's tenant administration, as a tenant admin)

cli.add_typer(admin_cli, name="admin")


from app.cli_monitor import alerts_cli, monitor_cli, rollout_cli  # noqa: E402  (monitoring, staged rollout)

cli.add_typer(alerts_cli, name="alerts")
cli.add_typer(monitor_cli, name="monitor")
cli.add_typer(rollout_cli, name="rollout")


import app.cli_portal  # noqa: E402,F401  (the portal's commands on `dataset` and `models`)
from app.cli_train import eval_cmd, jobs_cli, models_cli, train_cmd, worker_cmd  # noqa: E402

cli.command("train")(train_cmd)
cli.command("worker")(worker_cmd)
cli.command("eval")(eval_cmd)
cli.add_typer(jobs_cli, name="jobs")
cli.add_typer(models_cli, name="models")


from app.cli_ops import (  # noqa: E402
    backup_cmd,
    operator_log_cmd,
    restore_cmd,
    tenant_erase_cmd,
    user_erase_cmd,
    user_export_cmd,
)

cli.command("backup")(backup_cmd)
cli.command("restore")(restore_cmd)
cli.command("operator-log")(operator_log_cmd)
tenant_cli.command("erase")(tenant_erase_cmd)
user_cli.command("erase")(user_erase_cmd)
user_cli.command("export")(user_export_cmd)


def main() -> None:
    """The `sightline` entry point. UserError is caught once, by SightlineGroup.invoke (also when tests drive `cli`
    with typer's CliRunner): one line on stderr, exit code 2."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        cli()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
