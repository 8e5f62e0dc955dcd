"""Control plane: tenants and user-to-tenant mapping (who belongs where), used by the CLI and the login.

`principal_for(email)` is the one place a verified identity becomes a Principal (sign-in, every session and widget
token use, widget token minting, the CLI's `--as`): it refuses unknown users, users of a disabled tenant and disabled
users (`users.disabled_at`, migration 0014; `UserDisabled`, which is also a PermissionError). `set_user_disabled`
is the control plane's (operator's) disable/enable; tenant admins use app/admin/tenant_admin.py, which adds the
last-admin and self checks and the audit row. A tenant may record the currency its amounts are in
(`tenants.currency`, migration 0015: `add_tenant(..., currency=)`, `set_tenant_currency`) and the first day of its
financial year (`tenants.fiscal_year_start`, "MM-DD", migration 0016: `add_tenant(..., fiscal_year_start=)`,
`set_tenant_fiscal_year`; `parse_fiscal_year_start` reads "07-01", "1 July", "July 1" and "July"); the SQL tool
reads both.
Neither change writes an audit row (the operator's CLI changes tenants through the control plane, as before).
"""

from __future__ import annotations

import calendar
import re
import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from config.errors import UserError
from db.engine import admin_engine
from db.principal import Principal
from db.session import tenant_session

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ROLES = ("member", "admin")


class RegistryError(UserError, ValueError):
    """A user-caused registry problem (unknown tenant, bad slug, e-mail taken...)."""


class UserDisabled(RegistryError, PermissionError):
    """The user exists in an active tenant but an admin disabled them: no sign-in, session or widget token."""


@dataclass(frozen=True)
class Tenant:
    id: uuid.UUID
    slug: str
    name: str
    status: str
    currency: str | None = None  # ISO 4217 code its amounts are recorded in; None: derived from its states
    fiscal_year_start: str | None = None  # "MM-DD", first day of its financial year; None: the SQL tool's default


@dataclass(frozen=True)
class UserRecord:
    id: uuid.UUID
    email: str
    role: str
    tenant: Tenant
    disabled_at: datetime | None = None

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None


_TENANT_COLUMNS = "id, slug, name, status, currency, fiscal_year_start"
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def _tenant(row: sa.Row) -> Tenant:
    return Tenant(id=row.id, slug=row.slug, name=row.name, status=row.status, currency=getattr(row, "currency", None),
                  fiscal_year_start=getattr(row, "fiscal_year_start", None))


def _currency(code: str | None) -> str | None:
    """An ISO 4217 code written in capitals ("pln" -> "PLN"), or None for none; anything else is refused."""
    if code is None or not code.strip():
        return None
    code = code.strip().upper()
    if not CURRENCY_RE.match(code):
        raise RegistryError(f"currency {code!r} is not an ISO 4217 code (three letters, e.g. EUR, GBP, PLN)")
    return code


_MONTHS = {name.lower(): number for names in (calendar.month_name, calendar.month_abbr)
           for number, name in enumerate(names) if name} | {"sept": 9}
_MMDD = re.compile(r"^(\d{1,2})-(\d{1,2})$")
_DAY_MONTH = re.compile(r"^(?:(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?"  # "1 July", "1st of July"
                        r"|([a-z]+)\.?(?:\s+(\d{1,2})(?:st|nd|rd|th)?)?)$")  # "July 1", "July"
FISCAL_YEAR_FORMS = '"07-01", "1 July", "July 1" or "July" (its 1st)'


def parse_fiscal_year_start(text: str | None) -> str | None:
    """The first day of a financial year as "MM-DD" ("07-01", "1 July", "July 1st", "Jul" -> "07-01"), or None for
    none (None, "", "auto"). A day that is not in every year (02-29, 04-31) or anything else is a RegistryError."""
    if text is None or text.strip().lower() in ("", "auto"):
        return None
    value = " ".join(text.strip().lower().replace(",", " ").split())
    month = day = None
    if m := _MMDD.match(value):
        month, day = int(m.group(1)), int(m.group(2))
    elif (m := _DAY_MONTH.match(value)) and (m.group(2) or m.group(3)) in _MONTHS:
        month = _MONTHS[m.group(2) or m.group(3)]
        day = int(m.group(1) or m.group(4) or 1)
    if month is None or day is None:
        raise RegistryError(f"financial year start {text.strip()!r} is not a day of the year: write {FISCAL_YEAR_FORMS}"
                            ", or 'auto'")
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2001, month)[1]:
        raise RegistryError(f"financial year start {text.strip()!r} is not a day that every year has (a month 01-12 "
                            "and a day of it; not 29 February): write " + FISCAL_YEAR_FORMS)
    return f"{month:02d}-{day:02d}"


def add_tenant(slug: str, name: str, currency: str | None = None, fiscal_year_start: str | None = None) -> Tenant:
    if not SLUG_RE.match(slug):
        raise RegistryError(f"tenant slug {slug!r} is invalid: use 1-63 lowercase letters, digits or '-'")
    if not name.strip():
        raise RegistryError("tenant name must not be empty")
    code = _currency(currency)
    first_day = parse_fiscal_year_start(fiscal_year_start)
    with admin_engine().begin() as conn:
        if conn.execute(sa.text("SELECT 1 FROM tenants WHERE slug = :s"), {"s": slug}).first():
            raise RegistryError(f"tenant {slug!r} already exists")
        row = conn.execute(
            sa.text("INSERT INTO tenants (slug, name, currency, fiscal_year_start) VALUES (:s, :n, :c, :f) "
                    f"RETURNING {_TENANT_COLUMNS}"),
            {"s": slug, "n": name.strip(), "c": code, "f": first_day},
        ).one()
    return _tenant(row)


def set_tenant_currency(slug: str, currency: str | None) -> Tenant:
    """Record the currency the tenant's amounts are in (None: derive it from its stores' countries again)."""
    code = _currency(currency)
    tenant = get_tenant(slug)
    with admin_engine().begin() as conn:
        conn.execute(sa.text("UPDATE tenants SET currency = :c WHERE id = :id"), {"c": code, "id": tenant.id})
    return get_tenant(slug)


def set_tenant_fiscal_year(slug: str, start: str | None) -> Tenant:
    """Record the first day of the tenant's financial year ("MM-DD" or a form `parse_fiscal_year_start` reads; None or
    "auto": the SQL tool's default again, the deployment's setting, then the law of the tenant's country)."""
    first_day = parse_fiscal_year_start(start)
    tenant = get_tenant(slug)
    with admin_engine().begin() as conn:
        conn.execute(sa.text("UPDATE tenants SET fiscal_year_start = :f WHERE id = :id"),
                     {"f": first_day, "id": tenant.id})
    return get_tenant(slug)


def ensure_tenant(slug: str, name: str) -> Tenant:
    """Get the tenant, creating it when missing (idempotent; used by the demo loader)."""
    try:
        return get_tenant(slug)
    except RegistryError:
        return add_tenant(slug, name)


def list_tenants() -> list[Tenant]:
    with admin_engine().connect() as conn:
        rows = conn.execute(sa.text(f"SELECT {_TENANT_COLUMNS} FROM tenants ORDER BY slug")).all()
    return [_tenant(r) for r in rows]


def get_tenant(slug: str) -> Tenant:
    with admin_engine().connect() as conn:
        row = conn.execute(sa.text(f"SELECT {_TENANT_COLUMNS} FROM tenants WHERE slug = :s"), {"s": slug}).first()
    if row is None:
        raise RegistryError(f"unknown tenant {slug!r} (see `sightline tenant list`)")
    return _tenant(row)


def set_tenant_status(slug: str, status: str) -> Tenant:
    if status not in ("active", "disabled"):
        raise RegistryError(f"status must be active or disabled, not {status!r}")
    tenant = get_tenant(slug)
    with admin_engine().begin() as conn:
        conn.execute(sa.text("UPDATE tenants SET status = :st WHERE id = :id"), {"st": status, "id": tenant.id})
    return get_tenant(slug)


def add_user(email: str, tenant_slug: str, role: str = "member") -> UserRecord:
    """Map an e-mail to a tenant (the mapping the login uses). Re-adding updates the role."""
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise RegistryError(f"{email!r} is not an e-mail address")
    if role not in ROLES:
        raise RegistryError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    tenant = get_tenant(tenant_slug)
    existing = find_user(email)
    if existing is not None and existing.tenant.id != tenant.id:
        raise RegistryError(f"{email} already belongs to tenant {existing.tenant.slug!r}")
    # The row itself is written through the tenant's own RLS-bound session, not as the admin.
    with tenant_session(tenant.id) as conn:
        row = conn.execute(
            sa.text(
                "INSERT INTO users (email, role) VALUES (:e, :r) "
                "ON CONFLICT (email) DO UPDATE SET role = EXCLUDED.role RETURNING id"
            ),
            {"e": email, "r": role},
        ).one()
    return UserRecord(id=row.id, email=email, role=role, tenant=tenant)


def find_user(email: str) -> UserRecord | None:
    """Resolve an e-mail to its user and tenant (crosses tenants by design: it is the login lookup)."""
    with admin_engine().connect() as conn:
        row = conn.execute(
            sa.text(
                "SELECT u.id AS user_id, u.email, u.role, u.disabled_at, t.id, t.slug, t.name, t.status, t.currency, "
                "t.fiscal_year_start "
                "FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.email = :e"
            ),
            {"e": email.strip().lower()},
        ).first()
    if row is None:
        return None
    return UserRecord(id=row.user_id, email=row.email, role=row.role, tenant=_tenant(row),
                      disabled_at=row.disabled_at)


def list_users(tenant_slug: str) -> list[UserRecord]:
    tenant = get_tenant(tenant_slug)
    with tenant_session(tenant.id) as conn:
        rows = conn.execute(sa.text("SELECT id, email, role, disabled_at FROM users ORDER BY email")).all()
    return [UserRecord(id=r.id, email=r.email, role=r.role, tenant=tenant, disabled_at=r.disabled_at) for r in rows]


def set_user_disabled(email: str, disabled: bool) -> UserRecord:
    """Operator (control plane) disable/enable of a user by e-mail, through the user's own tenant session (RLS).
    The tenant's last active admin is not disabled (disable the tenant instead). `disabled_by` stays NULL (no tenant
    user acted). Returns the user as it is now."""
    user = find_user(email)
    if user is None:
        raise RegistryError(f"unknown user {email.strip().lower()!r}: no tenant is mapped to this e-mail")
    with tenant_session(user.tenant.id) as conn:
        admins = set(conn.execute(sa.text("SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL "
                                          "ORDER BY id FOR UPDATE")).scalars())
        if disabled and admins <= {user.id} and user.role == "admin" and not user.disabled:
            raise RegistryError(f"{user.email} is the last active admin of tenant {user.tenant.slug!r}: make another "
                                "user admin first, or disable the tenant (`sightline tenant disable`)")
        conn.execute(sa.text("UPDATE users SET disabled_at = CASE WHEN :d THEN COALESCE(disabled_at, now()) END, "
                             "disabled_by = CASE WHEN :d THEN disabled_by END WHERE id = :id"),
                     {"d": disabled, "id": user.id})
    found = find_user(email)
    assert found is not None
    return found


def principal_for(email: str) -> Principal:
    """The principal of a known user of an active tenant; RegistryError otherwise (login and `--as` use this)."""
    user = find_user(email)
    if user is None:
        raise RegistryError(f"unknown user {email.strip().lower()!r}: no tenant is mapped to this e-mail")
    if user.tenant.status != "active":
        raise RegistryError(f"tenant {user.tenant.slug!r} of {user.email} is disabled")
    if user.disabled:
        raise UserDisabled(f"{user.email} is disabled in tenant {user.tenant.slug!r}; ask a tenant admin to enable "
                           "the account again")
    return Principal(user_id=user.id, tenant_id=user.tenant.id, tenant_slug=user.tenant.slug, email=user.email,
                     roles=frozenset({user.role}))
