"""Who is signed in: OIDC claims to a Principal at login, and the Principal of a signed-in session or web request.

At login the tenant comes from a configurable claim (`SIGHTLINE_OIDC_TENANT_CLAIM`, a tenant slug or id, or a list
such as groups with `SIGHTLINE_OIDC_TENANT_PREFIX`), else from the `users` table by e-mail; the role the same way
(`SIGHTLINE_OIDC_ROLES_CLAIM`). A user the provider places in a tenant is recorded in `users` (just-in-time), so the
table stays the one source of truth afterwards. Users with no tenant, a disabled tenant or a tenant that contradicts
their recorded one, and users a tenant admin disabled (`userDisabled`; nothing about them is changed by the claims),
are refused with `LoginRefused`. After login, every turn and every stored-history access resolves the Principal again
from the verified session (`principal_for_session`), so a disabled tenant or user stops at once.

The e-mail must be verified by the provider: `email_verified` must be JSON `true` (strings, 0, or a missing claim are
refused), with per-provider rules where the provider's user API has no such claim (`verified_email`): GitHub (the
address must be a verified one of the account's), Google (`verified_email`), Azure AD (only in single-tenant mode,
where the directory owns the addresses), AWS Cognito (which sends the string "true"). See docs/security.md.

Widget sessions (a widget token exchanged at /auth/jwt, or the token itself) resolve to a widget Principal
(`as_widget`): member rights only, the minting key's thread scope, and only while the token's lifetime lasts and the
key is still active. `LOGIN_OUTCOME` carries a refused sign-in's reason code to the edge (app/edge.py).
"""

from __future__ import annotations

import dataclasses
import os
import time
import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from config import Settings, get_settings
from db import api_keys, registry
from db.principal import Principal

# Login error codes shown on the sign-in page (app/chainlit_setup.py adds their texts to Chainlit's translations).
LOGIN_ERRORS: dict[str, str] = {
    "noTenant": "Sign-in refused: this account is not mapped to any Sightline tenant. Ask your administrator to add "
                "you (sightline user add) or to send a tenant claim from the identity provider.",
    "tenantDisabled": "Sign-in refused: your organisation's Sightline tenant is disabled.",
    "tenantConflict": "Sign-in refused: the identity provider names a different tenant than the one this account "
                      "belongs to.",
    "noEmail": "Sign-in refused: the identity provider sent no usable e-mail address.",
    "userDisabled": "Sign-in refused: your Sightline account is disabled. Ask an administrator of your organisation "
                    "to enable it again.",
}


class LoginRefused(Exception):
    """The identity is verified but may not use Sightline; `code` is one of LOGIN_ERRORS."""

    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        super().__init__(detail)


class SessionInvalid(PermissionError):
    """A session or token no longer maps to an active user of the same tenant (sign in again)."""


@dataclass(frozen=True)
class RequestIdentity:
    """The verified identity of a web request (from the session cookie or a widget token), before any DB lookup."""

    identifier: str
    metadata: Mapping[str, Any] = field(default_factory=dict)


# Set by app/edge.py for every HTTP and websocket request; read where Chainlit gives no user (its HTTP routes).
REQUEST_IDENTITY: ContextVar[RequestIdentity | None] = ContextVar("sightline_request_identity", default=None)
# A mutable holder per request: the OAuth callback stores the refusal code here, the edge rewrites the redirect.
LOGIN_OUTCOME: ContextVar[dict[str, str] | None] = ContextVar("sightline_login_outcome", default=None)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in (value.split() if " " in value.strip() else [value]) if v]
    if isinstance(value, list | tuple | set):
        return [str(v) for v in value if v is not None and str(v)]
    return [str(value)]


def _claim(claims: Mapping[str, Any], name: str) -> Any:
    """A claim by name; dotted names reach into nested objects (e.g. 'realm_access.roles' from Keycloak)."""
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def claimed_tenant(claims: Mapping[str, Any], settings: Settings | None = None) -> str | None:
    """The tenant (slug or id) the provider's claims name, or None when they name none. LoginRefused if several."""
    s = settings or get_settings()
    if not s.oidc_tenant_claim:
        return None
    values = _as_list(_claim(claims, s.oidc_tenant_claim))
    if s.oidc_tenant_prefix:
        values = [v[len(s.oidc_tenant_prefix):] for v in values if v.startswith(s.oidc_tenant_prefix)]
    values = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if len(values) > 1:
        raise LoginRefused("tenantConflict", f"the identity provider names several tenants: {', '.join(values)}")
    return values[0] if values else None


def claimed_role(claims: Mapping[str, Any], settings: Settings | None = None) -> str | None:
    """'admin' when the roles claim holds the admin value, 'member' when it holds anything else, None when absent."""
    s = settings or get_settings()
    if not s.oidc_roles_claim:
        return None
    raw = _claim(claims, s.oidc_roles_claim)
    if raw is None:
        return None
    return "admin" if s.oidc_admin_value in _as_list(raw) else "member"


def _tenant(value: str) -> registry.Tenant:
    try:
        tid = uuid.UUID(value)
    except ValueError:
        return registry.get_tenant(value.lower())
    for tenant in registry.list_tenants():
        if tenant.id == tid:
            return tenant
    raise registry.RegistryError(f"unknown tenant {value!r}")


def _github_email(claims: Mapping[str, Any]) -> tuple[str, bool]:
    """GitHub: the profile e-mail when it is one of the account's verified addresses, else the verified primary."""
    emails = [e for e in claims.get("emails") or [] if isinstance(e, Mapping)]
    verified = {str(e.get("email") or "").strip().lower() for e in emails if e.get("verified") is True}
    profile = str(claims.get("email") or "").strip().lower()
    if profile:
        return profile, profile in verified
    primary = [str(e.get("email") or "").strip().lower() for e in emails if e.get("primary") is True]
    return (primary[0], primary[0] in verified) if primary else ("", False)


def _azure_single_tenant(provider: str) -> bool:
    # Chainlit's own setting for its Azure providers; in multi-tenant mode any directory can claim any address.
    name = "OAUTH_AZURE_AD_HYBRID_ENABLE_SINGLE_TENANT" if provider == "azure-ad-hybrid" else \
        "OAUTH_AZURE_AD_ENABLE_SINGLE_TENANT"
    return bool(os.environ.get(name))


def verified_email(claims: Mapping[str, Any], identifier: str | None = None,
                   provider: str | None = None) -> tuple[str, bool]:
    """The identity's e-mail (lower case) and whether its provider verified it (strictly; see the module doc)."""
    if provider == "github":
        return _github_email(claims)
    if provider in ("azure-ad", "azure-ad-hybrid"):
        email = str(claims.get("mail") or claims.get("email") or identifier or "").strip().lower()
        return email, _azure_single_tenant(provider)
    email = str(claims.get("email") or identifier or "").strip().lower()
    flag = claims.get("email_verified")
    if provider == "google":
        return email, claims.get("verified_email") is True or flag is True
    if provider == "aws-cognito":
        return email, flag is True or flag == "true"
    return email, flag is True


def login(claims: Mapping[str, Any], identifier: str | None = None, settings: Settings | None = None,
          provider: str | None = None) -> Principal:
    """The Principal for a verified identity (the provider's user claims), or LoginRefused."""
    email, verified = verified_email(claims, identifier, provider)
    if not registry.EMAIL_RE.match(email):
        raise LoginRefused("noEmail", f"no e-mail address in the identity ({email!r})")
    if not verified:
        raise LoginRefused("noEmail", f"the identity provider has not verified {email}")
    named = claimed_tenant(claims, settings)
    role = claimed_role(claims, settings)
    existing = registry.find_user(email)
    if existing is not None and existing.disabled:  # before any just-in-time change from the claims
        raise LoginRefused("userDisabled", f"{email} is disabled in tenant {existing.tenant.slug!r}")
    if named is not None:
        try:
            tenant = _tenant(named)
        except registry.RegistryError as exc:
            raise LoginRefused("noTenant", f"{email}: the tenant {named!r} named by the identity provider does not "
                                           "exist") from exc
        if existing is not None and existing.tenant.id != tenant.id:
            raise LoginRefused("tenantConflict", f"{email} belongs to tenant {existing.tenant.slug!r}, the identity "
                                                 f"provider says {tenant.slug!r}")
        if tenant.status != "active":
            raise LoginRefused("tenantDisabled", f"tenant {tenant.slug!r} is disabled")
        if existing is None or (role is not None and role != existing.role):
            registry.add_user(email, tenant.slug, role or "member")
    elif existing is None:
        raise LoginRefused("noTenant", f"{email} is not mapped to any tenant")
    elif role is not None and role != existing.role:
        registry.add_user(email, existing.tenant.slug, role)
    try:
        return registry.principal_for(email)
    except registry.UserDisabled as exc:  # disabled between the lookup above and now
        raise LoginRefused("userDisabled", str(exc)) from exc
    except registry.RegistryError as exc:
        code = "tenantDisabled" if "disabled" in str(exc) else "noTenant"
        raise LoginRefused(code, str(exc)) from exc


def session_metadata(principal: Principal, provider: str | None = None) -> dict[str, Any]:
    """What the signed session carries besides the e-mail (informational; the DB is asked again on every use)."""
    meta = {"tenant_id": str(principal.tenant_id), "tenant": principal.tenant_slug, "user_id": str(principal.user_id),
            "role": "admin" if principal.is_admin else "member"}
    if provider:
        meta["provider"] = provider
    return meta


def as_widget(principal: Principal, key_id: str, history: str) -> Principal:
    """The Principal as a widget caller: member rights only, threads made through the widget (unless `history` is
    "all", the key's tenant opted in), tagged with the key it came through."""
    return dataclasses.replace(principal, roles=frozenset({"member"}), channel="widget",
                               thread_scope="all" if history == "all" else "widget", key_id=key_id)


def widget_session_metadata(principal: Principal, key_id: str, expires_at: int) -> dict[str, Any]:
    """What a widget session carries: the usual metadata plus the key and the end of the widget token's lifetime."""
    meta = session_metadata(principal, "widget")
    meta.update({"role": "member", "widget": True, "kid": key_id, "expires_at": int(expires_at)})
    return meta


def principal_for_session(identifier: str, metadata: Mapping[str, Any] | None = None) -> Principal:
    """The current Principal of a verified session: the user must still exist, in an active tenant, the same one.

    A widget session (metadata `widget`) must also be within its token's lifetime and its API key still active;
    its Principal is a widget Principal (`as_widget`).
    """
    metadata = metadata or {}
    try:
        principal = registry.principal_for(identifier)
    except registry.UserDisabled as exc:
        raise SessionInvalid(str(exc)) from exc
    except registry.RegistryError as exc:
        raise SessionInvalid(f"{exc}; sign in again") from exc
    expected = metadata.get("tenant_id")
    if expected and str(expected) != str(principal.tenant_id):
        raise SessionInvalid("your account moved to another tenant since you signed in; sign in again")
    if not metadata.get("widget"):
        return principal
    expires_at = metadata.get("expires_at")
    if not isinstance(expires_at, int) or isinstance(expires_at, bool) or expires_at <= time.time():
        raise SessionInvalid("the widget session has expired; reload the page")
    if str(metadata.get("user_id") or "") != str(principal.user_id):
        raise SessionInvalid("the widget session was issued for another account; reload the page")
    grant = api_keys.active_grant(str(metadata.get("kid") or ""), principal.tenant_id)
    if grant is None:
        raise SessionInvalid("the API key behind this widget session is no longer valid")
    return as_widget(principal, grant.prefix, grant.history)
