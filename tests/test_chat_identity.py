"""Sign-in mapping (OIDC claims -> tenant and role) and widget tokens (authlib), against the real registry.

Security tests try the attack and assert it fails: forged, expired, `alg: none`, algorithm-swapped, tampered and
tenant-swapped widget tokens; identities with no tenant, a disabled tenant or a contradicting tenant claim.
"""

from __future__ import annotations

import base64
import json
import time
import warnings

import pytest

from app.identity import (
    LoginRefused,
    SessionInvalid,
    as_widget,
    claimed_role,
    claimed_tenant,
    login,
    principal_for_session,
)
from app.tokens import (
    AUDIENCE,
    ISSUER,
    TokenRejected,
    checked_secret,
    mint,
    principal_from_token,
    verify,
    widget_secret,
)
from config import Settings
from db import api_keys, registry

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from authlib.jose import JsonWebToken


@pytest.fixture(scope="module")
def tenants(database):
    registry.add_tenant("id-a", "Ident A")
    registry.add_tenant("id-b", "Ident B")
    registry.add_tenant("id-off", "Ident Disabled")
    registry.add_user("mapped@a.example", "id-a", "member")
    registry.add_user("off@off.example", "id-off", "member")
    registry.set_tenant_status("id-off", "disabled")
    out = {t.slug: t for t in registry.list_tenants()}
    out["key"] = api_keys.create_key(out["id-a"].id, "identity tests")[1].prefix
    return out


def test_users_table_decides_when_no_tenant_claim(tenants):
    p = login({"email": "Mapped@A.example", "email_verified": True, "sub": "123"})
    assert (p.tenant_slug, p.email, p.roles) == ("id-a", "mapped@a.example", frozenset({"member"}))


def test_tenant_claim_places_and_records_a_new_user_with_the_claimed_role(tenants):
    p = login({"email": "new.admin@a.example", "email_verified": True, "tenant": "id-a", "roles": ["admin", "staff"]})
    assert p.tenant_slug == "id-a" and p.is_admin
    assert registry.find_user("new.admin@a.example").role == "admin"  # recorded: the table stays the truth
    p = login({"email": "new.admin@a.example", "email_verified": True, "tenant": str(tenants["id-a"].id),
               "roles": "staff"})
    assert not p.is_admin  # the provider demoted them; a tenant id works as well as a slug


def test_group_claim_with_prefix(tenants):
    s = Settings(SIGHTLINE_OIDC_TENANT_CLAIM="groups", SIGHTLINE_OIDC_TENANT_PREFIX="tenant:",
                 SIGHTLINE_OIDC_ROLES_CLAIM="realm_access.roles", SIGHTLINE_OIDC_ADMIN_VALUE="sightline-admin")
    claims = {"email": "grp@b.example", "email_verified": True, "groups": ["staff", "tenant:id-b"],
              "realm_access": {"roles": ["sightline-admin"]}}
    assert claimed_tenant(claims, s) == "id-b" and claimed_role(claims, s) == "admin"
    p = login(claims, settings=s)
    assert p.tenant_slug == "id-b" and p.is_admin
    with pytest.raises(LoginRefused) as err:
        claimed_tenant({"groups": ["tenant:id-a", "tenant:id-b"]}, s)
    assert err.value.code == "tenantConflict"


@pytest.mark.parametrize("claims, code", [
    ({"email": "stranger@nowhere.example", "email_verified": True}, "noTenant"),  # not in users, no claim
    ({"email": "ghost@a.example", "email_verified": True, "tenant": "no-such-tenant"}, "noTenant"),
    ({"email": "off@off.example", "email_verified": True}, "tenantDisabled"),
    ({"email": "late@off.example", "email_verified": True, "tenant": "id-off"}, "tenantDisabled"),
    # the claim contradicts the record
    ({"email": "mapped@a.example", "email_verified": True, "tenant": "id-b"}, "tenantConflict"),
    ({"sub": "no-email"}, "noEmail"),
    ({"email": "unverified@a.example", "email_verified": False, "tenant": "id-a"}, "noEmail"),
])
def test_refused_identities(tenants, claims, code):
    with pytest.raises(LoginRefused) as err:
        login(claims)
    assert err.value.code == code
    assert registry.find_user("late@off.example") is None and registry.find_user("ghost@a.example") is None
    assert registry.find_user("mapped@a.example").tenant.slug == "id-a"


def test_session_is_resolved_again_on_every_use(tenants):
    p = login({"email": "mapped@a.example", "email_verified": True})
    assert principal_for_session("mapped@a.example", {"tenant_id": str(p.tenant_id)}) == p
    with pytest.raises(SessionInvalid):  # the session was issued for another tenant
        principal_for_session("mapped@a.example", {"tenant_id": str(tenants["id-b"].id)})
    registry.set_tenant_status("id-a", "disabled")
    try:
        with pytest.raises(SessionInvalid):
            principal_for_session("mapped@a.example", {"tenant_id": str(p.tenant_id)})
    finally:
        registry.set_tenant_status("id-a", "active")


# --- widget tokens ---------------------------------------------------------------------------------------------------

def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(p, **over) -> dict:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "nbf": now, "exp": now + 300, "sub": str(p.user_id),
              "email": p.email, "tid": str(p.tenant_id), "tenant": p.tenant_slug}
    claims.update(over)
    return claims


def _sign(claims: dict, key: str, alg: str = "HS256") -> str:
    return JsonWebToken([alg]).encode({"alg": alg}, claims, key).decode()


def test_a_minted_token_round_trips(tenants):
    p = registry.principal_for("mapped@a.example")
    token, ttl = mint(p, tenants["key"])
    assert ttl == 300
    claims = verify(token)
    assert claims["iss"] == ISSUER and claims["aud"] == AUDIENCE and claims["tid"] == str(p.tenant_id)
    assert principal_from_token(token) == as_widget(p, tenants["key"], "widget")


def test_forged_expired_none_and_swapped_tokens_are_rejected(tenants):
    p = registry.principal_for("mapped@a.example")
    kid = tenants["key"]
    b_tenant = tenants["id-b"]
    secret = widget_secret()
    attacks = {
        "forged (another key)": _sign(_claims(p, kid=kid), "k" * 40),
        "expired": mint(p, tenants["key"], now=time.time() - 3600)[0],
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(p, kid=kid))}.",
        "alg HS512 (algorithm swap)": _sign(_claims(p, kid=kid), secret, "HS512"),
        "wrong audience": _sign(_claims(p, kid=kid, aud="someone-else"), secret),
        "wrong issuer": _sign(_claims(p, kid=kid, iss="evil"), secret),
        "no expiry": _sign({k: v for k, v in _claims(p, kid=kid).items() if k != "exp"}, secret),
        "not yet valid": _sign(_claims(p, kid=kid, nbf=int(time.time()) + 600, iat=int(time.time()) + 600), secret),
        "garbage": "not.a.token",
    }
    good = mint(p, tenants["key"])[0]
    head, payload, sig = good.split(".")
    swapped = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    swapped["tid"] = str(b_tenant.id)
    attacks["tenant id edited after signing"] = f"{head}.{_b64(swapped)}.{sig}"
    for name, token in attacks.items():
        with pytest.raises(TokenRejected):
            principal_from_token(token)
        assert name
    # Correctly signed (a leaked secret, or a bug in minting) but naming another tenant than the user's own.
    with pytest.raises(TokenRejected, match="tenant"):
        principal_from_token(_sign(_claims(p, kid=kid, tid=str(b_tenant.id), tenant="id-b"), secret))
    registry.set_tenant_status("id-a", "disabled")
    try:
        with pytest.raises(TokenRejected):
            principal_from_token(good)
    finally:
        registry.set_tenant_status("id-a", "active")


def test_secrets_are_generated_never_defaulted(tenants):
    first = widget_secret()
    assert len(first) >= 32 and widget_secret() == first  # generated once, then stored
    with pytest.raises(ValueError, match="too short"):
        checked_secret("widget_token_secret", "short")
