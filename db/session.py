"""`tenant_session()`: the only way tenant code gets a database connection (transaction + SET LOCAL app.tenant_id)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from config import get_settings
from db import tenant_context
from db.engine import app_engine, reader_engine

USER_ROLES = ("member", "admin")  # values of `app.user_role` (the Principal's role)


class NoTenantError(ValueError):
    """Raised when tenant work is attempted without a valid tenant id."""


def _tenant_uuid(tenant_id: uuid.UUID | str | None) -> str:
    if tenant_id is None or tenant_id == "":
        raise NoTenantError("tenant work needs a tenant id; none was given")
    try:
        return str(uuid.UUID(str(tenant_id)))
    except ValueError as exc:
        raise NoTenantError(f"tenant id {tenant_id!r} is not a UUID") from exc


@contextmanager
def tenant_session(
    tenant_id: uuid.UUID | str,
    *,
    readonly: bool = False,
    statement_timeout_ms: int | None = None,
    role: str | None = None,
) -> Iterator[Connection]:
    """Open one transaction scoped to `tenant_id` and yield its connection.

    The tenant and role are accepted by the database only with their proof (db/tenant_context.py): SQL running on
    this connection cannot switch itself to another tenant with `set_config`.

    Runs as the application role (or the SELECT-only reader role when `readonly=True`), never as the
    owner or a superuser, so row-level security applies. The tenant is set with `SET LOCAL` semantics
    (`set_config(..., true)`) and disappears when the transaction ends; commit on success, rollback on error.
    `role` ("member" or "admin", from the Principal) is set the same way as `app.user_role`: policies that need it
    (the audit log is readable by admins only) see '' when it is not given.
    """
    tid = _tenant_uuid(tenant_id)
    if role is not None and role not in USER_ROLES:
        raise ValueError(f"role must be one of {', '.join(USER_ROLES)}, not {role!r}")
    engine = reader_engine() if readonly else app_engine()
    timeout = statement_timeout_ms if statement_timeout_ms is not None else get_settings().statement_timeout_ms
    with engine.begin() as conn:
        if readonly:
            conn.execute(sa.text("SET TRANSACTION READ ONLY"))
        context = tenant_context.settings_for(conn, tid, role or "")
        conn.execute(
            sa.text("SELECT set_config('app.tenant_id', :tid, true), set_config('statement_timeout', :to, true), "
                    "set_config('app.user_role', :role, true), set_config('app.tenant_proof', :proof, true)"),
            {"tid": tid, "to": str(int(timeout)) if readonly else "0", "role": role or "",
             "proof": context["app.tenant_proof"]},
        )
        yield conn
