"""`sightline admin ...`: the web console's tenant administration from the command line, acting as a tenant admin.

Each command calls the same function as the console page and its REST route (app/admin/tenant_admin.py), as the
tenant admin named by `--as EMAIL`: the same checks, the same tenant isolation (RLS), the same audit rows with that
admin as the actor. The operator commands without an actor (`sightline user|apikey|origin|docs|import|audit|feedback`)
are unchanged; `sightline user disable|enable EMAIL` (the operator's disable, recorded in the operator log) is
`user_status` here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

admin_cli = typer.Typer(no_args_is_help=True,
                        help="Tenant administration as a tenant admin (--as EMAIL): what the web console does.")
AS = typer.Option(..., "--as", help="E-mail of the tenant admin acting (their tenant is the one administered)")


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _actor(email: str):  # noqa: ANN202 - db.principal.Principal
    from db import registry

    try:
        principal = registry.principal_for(email)
    except registry.RegistryError as exc:
        _fail(str(exc))
    if not principal.is_admin:
        _fail(f"{principal.email} is not an admin of tenant {principal.tenant_slug!r}")
    return principal


def _do(fn: Any, *args: Any, **kwargs: Any) -> Any:
    from app.admin.tenant_admin import AdminError

    try:
        return fn(*args, **kwargs)
    except (AdminError, PermissionError) as exc:
        _fail(str(exc))


def _print(rows: Any, as_json: bool, line: Any) -> None:
    if as_json:
        typer.echo(json.dumps(rows, default=str, indent=1))
    else:
        for r in rows:
            typer.echo(line(r))


JSON = typer.Option(False, "--json", help="Print JSON")


@admin_cli.command("users")
def users(as_user: str = AS, as_json: bool = JSON) -> None:
    """List the tenant's users and roles."""
    from app.admin import tenant_admin as ta

    rows = [{"id": str(r.id), "email": r.email, "role": r.role, "disabled": r.disabled,
             "disabled_at": r.disabled_at} for r in _do(ta.list_users, _actor(as_user))]
    _print(rows, as_json, lambda r: f"{r['id']}  {r['role']:<6}  {'disabled' if r['disabled'] else 'active':<8}  "
                                    f"{r['email']}")


@admin_cli.command("invite")
def invite(email: str = typer.Argument(...), role: str = typer.Option("member", "--role"), as_user: str = AS) -> None:
    """Register a user in the tenant with a role (member or admin)."""
    from app.admin import tenant_admin as ta

    row = _do(ta.invite_user, _actor(as_user), email, role)
    typer.echo(f"added {row.email} as {row.role} ({row.id})")


@admin_cli.command("role")
def role(user_id: str = typer.Argument(..., help="User id (see `sightline admin users`)"),
         new_role: str = typer.Argument(..., metavar="ROLE", help="member or admin"), as_user: str = AS) -> None:
    """Change a user's role."""
    from app.admin import tenant_admin as ta

    row = _do(ta.set_role, _actor(as_user), user_id, new_role)
    typer.echo(f"{row.email} is now {row.role}")


@admin_cli.command("remove")
def remove(user_id: str = typer.Argument(...), as_user: str = AS) -> None:
    """Remove a user (their conversations and ratings go with them)."""
    from app.admin import tenant_admin as ta

    typer.echo(f"removed {_do(ta.remove_user, _actor(as_user), user_id)}")


def _user_id(actor: Any, user: str) -> str:
    """A user id, or the id of the tenant's user with this e-mail (others' e-mails match nothing, like ids)."""
    from app.admin import tenant_admin as ta

    if "@" not in user:
        return user
    found = [r for r in _do(ta.list_users, actor) if r.email == user.strip().lower()]
    if not found:
        _fail(f"no user {user!r} in tenant {actor.tenant_slug!r}")
    return str(found[0].id)


@admin_cli.command("disable")
def disable(user: str = typer.Argument(..., help="User id or e-mail (see `sightline admin users`)"),
            as_user: str = AS) -> None:
    """Disable a user: no sign-in, their sessions and widget tokens stop at once (history kept)."""
    from app.admin import tenant_admin as ta

    actor = _actor(as_user)
    row = _do(ta.set_disabled, actor, _user_id(actor, user), True)
    typer.echo(f"{row.email} is disabled")


@admin_cli.command("enable")
def enable(user: str = typer.Argument(..., help="User id or e-mail"), as_user: str = AS) -> None:
    """Enable a disabled user again."""
    from app.admin import tenant_admin as ta

    actor = _actor(as_user)
    row = _do(ta.set_disabled, actor, _user_id(actor, user), False)
    typer.echo(f"{row.email} is enabled")


@admin_cli.command("keys")
def keys(as_user: str = AS, as_json: bool = JSON) -> None:
    """List the tenant's API keys."""
    from app.admin import tenant_admin as ta

    rows = [{"prefix": k.prefix, "name": k.name, "history": k.history, "created_at": k.created_at,
             "revoked_at": k.revoked_at} for k in _do(ta.list_keys, _actor(as_user))]
    _print(rows, as_json, lambda r: f"slk_{r['prefix']}_…  {'revoked' if r['revoked_at'] else 'active ':<7}  "
                                    f"{r['history']:<6}  {r['name']}")


@admin_cli.command("key-create")
def key_create(name: str = typer.Option(..., "--name"), history: str = typer.Option("widget", "--history"),
               as_user: str = AS) -> None:
    """Create an API key (printed once, never stored)."""
    from app.admin import tenant_admin as ta

    key, _ = _do(ta.create_key, _actor(as_user), name, history)
    typer.echo(key)


@admin_cli.command("key-revoke")
def key_revoke(prefix: str = typer.Argument(..., help="The key or its slk_<prefix>_ part"), as_user: str = AS) -> None:
    """Revoke an API key (its widget sessions end at once)."""
    from app.admin import tenant_admin as ta

    _do(ta.revoke_key, _actor(as_user), prefix)
    typer.echo("revoked")


@admin_cli.command("origins")
def origins(as_user: str = AS) -> None:
    """List the tenant's allowed Origins."""
    from app.admin import tenant_admin as ta

    for o in _do(ta.list_origins, _actor(as_user)):
        typer.echo(o)


@admin_cli.command("origin-add")
def origin_add(origin: str = typer.Argument(...), as_user: str = AS) -> None:
    """Allow an Origin (scheme://host[:port])."""
    from app.admin import tenant_admin as ta

    typer.echo(f"allowed {_do(ta.add_origin, _actor(as_user), origin)}")


@admin_cli.command("origin-remove")
def origin_remove(origin: str = typer.Argument(...), as_user: str = AS) -> None:
    """Remove an allowed Origin."""
    from app.admin import tenant_admin as ta

    _do(ta.remove_origin, _actor(as_user), origin)
    typer.echo("removed")


@admin_cli.command("docs")
def docs(as_user: str = AS, as_json: bool = JSON) -> None:
    """List the tenant's documents."""
    from app.admin import tenant_admin as ta

    rows = [{"id": str(d.id), "source": d.source, "title": d.title, "chunks": d.chunks, "updated_at": d.updated_at}
            for d in _do(ta.list_documents, _actor(as_user))]
    _print(rows, as_json, lambda r: f"{r['id']}  {r['chunks']:>4}  {r['source']}  ({r['title']})")


@admin_cli.command("doc-upload")
def doc_upload(files: list[Path] = typer.Argument(..., help=".txt, .md, .pdf or .docx files"),
               as_user: str = AS) -> None:
    """Upload documents (all or nothing)."""
    from app.admin import tenant_admin as ta

    uploads = []
    for f in files:
        try:
            uploads.append(ta.Upload(f.name, f.read_bytes()))
        except OSError as exc:
            _fail(f"{f}: cannot read ({exc.strerror or exc})")
    for r in _do(ta.upload_documents, _actor(as_user), uploads):
        typer.echo(f"{r.status:<9} {r.source}  ({r.chunks} passages, {r.document_id})")


@admin_cli.command("doc-show")
def doc_show(document_id: str = typer.Argument(...), as_user: str = AS) -> None:
    """Print a document's stored passages."""
    from app.admin import tenant_admin as ta

    doc = _do(ta.preview_document, _actor(as_user), document_id)
    typer.echo(f"{doc.title} ({doc.source}, {len(doc.chunks)} passages)")
    for i, c in enumerate(doc.chunks, 1):
        typer.echo(f"\n--- passage {i}\n{c}")


@admin_cli.command("doc-delete")
def doc_delete(document_id: str = typer.Argument(...), as_user: str = AS) -> None:
    """Delete a document."""
    from app.admin import tenant_admin as ta

    typer.echo(f"deleted {_do(ta.delete_document, _actor(as_user), document_id)}")


@admin_cli.command("doc-reingest")
def doc_reingest(document_id: str = typer.Argument(...), as_user: str = AS) -> None:
    """Embed a document's passages again with the current embedding model."""
    from app.admin import tenant_admin as ta

    typer.echo(f"{_do(ta.reingest_document, _actor(as_user), document_id)} passages embedded again")


@admin_cli.command("import")
def import_csv(table: str = typer.Argument(...), file: Path = typer.Argument(...), as_user: str = AS) -> None:
    """Import a CSV into a table (nothing is stored on any error; each problem is listed with line and column)."""
    from app.admin import tenant_admin as ta

    try:
        data = file.read_bytes()
    except OSError as exc:
        _fail(f"{file}: cannot read ({exc.strerror or exc})")
    out = _do(ta.import_csv, _actor(as_user), table, file.name, data)
    if out.result is None:
        typer.echo(f"import rejected, nothing was imported ({out.total_issues} problem(s)):", err=True)
        for issue in out.issues:
            typer.echo(f"  {issue}", err=True)
        raise typer.Exit(1)
    typer.echo(f"imported {out.result.rows} rows into {table} ({out.result.table_rows_after} rows now)")


@admin_cli.command("audit")
def audit_log(as_user: str = AS, event: str = typer.Option("", "--event", help="Event prefix, e.g. admin."),
              user: str = typer.Option("", "--user", help="User e-mail contains"),
              route: str = typer.Option("", "--route"),
              since: str = typer.Option("", "--since", help="ISO date or time (UTC)"),
              limit: int = typer.Option(50, "--limit"), as_json: bool = JSON) -> None:
    """The tenant's audit log, filtered."""
    from app.admin import tenant_admin as ta

    try:
        when = datetime.fromisoformat(since) if since else None
    except ValueError:
        _fail(f"--since must be an ISO date or time, not {since!r}")
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    rows = [{"at": r.at, "user": r.user_email, "event": r.event, "route": r.route, "details": r.details}
            for r in _do(ta.read_audit, _actor(as_user), ta.AuditFilter(event, user, route, when, limit))]
    _print(rows, as_json, lambda r: f"{r['at']:%Y-%m-%d %H:%M:%S}  {r['user'] or '-':<30}  {r['event']:<24}  "
                                    f"{r['route'] or ''}  {json.dumps(r['details']) if r['details'] else ''}")


@admin_cli.command("feedback")
def feedback(as_user: str = AS, only: str = typer.Option("", "--only", help="up or down"),
             as_json: bool = JSON) -> None:
    """Thumbs per route and model, then the latest rated answers."""
    from app.admin import tenant_admin as ta

    summary, rated = _do(ta.feedback, _actor(as_user), only=only)
    if as_json:
        typer.echo(json.dumps({"summary": [s.__dict__ for s in summary], "rated": [r.__dict__ for r in rated]},
                              default=str, indent=1))
        return
    for s in summary:
        typer.echo(f"{s.route:<10} {s.model:<24} {s.ratings:>4} ratings  {s.up_rate:6.1%} up")
    for r in rated:
        typer.echo(f"\n{'+1' if r.value else '-1'} {r.route}/{r.model}  Q: {r.question[:120]}\n   A: {r.answer[:200]}"
                   + (f"\n   comment: {r.comment}" if r.comment else ""))


def user_status(email: str, disabled: bool) -> None:
    """`sightline user disable|enable EMAIL` (operator, no tenant admin acting): db.registry.set_user_disabled, logged
    in the operator log (`user_disable` / `user_enable`, the user's id, never the e-mail)."""
    from db import erasure, registry

    try:
        user = registry.set_user_disabled(email, disabled)
    except registry.RegistryError as exc:
        _fail(str(exc))
    action = "disable" if disabled else "enable"
    erasure.log_event(f"user_{action}", subject=f"user:{user.id}", tenant_ref=user.tenant.id, details={"by": "cli"})
    typer.echo(f"{user.email} ({user.tenant.slug}) is {'disabled' if user.disabled else 'enabled'}")
