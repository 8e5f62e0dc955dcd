"""Signed tokens: widget tokens (minted here) and Chainlit session tokens (decoded and, for widgets, minted here).

Widget tokens are short-lived HS256 JWTs for one user of one tenant, signed and verified with `authlib.jose`. A
customer backend authenticated by its tenant's API key mints one (`POST /api/widget-token`); the Copilot widget
exchanges it for a chat session (`POST /auth/jwt`) and REST clients send it as a Bearer token. Verification accepts
HS256 only (so `alg: none` and algorithm swaps fail), checks signature, issuer, audience, expiry, and then resolves
the user again: the token's tenant must be the user's tenant today (a token naming another tenant is refused), the
user must not be disabled, and the API key that minted it (`kid`) must still be active. The Principal of a widget
token is a widget principal (`app.identity.as_widget`): member rights only, the key's thread scope.
The secret is `SIGHTLINE_WIDGET_TOKEN_SECRET` or one generated into the data folder; there is no default.

Session tokens are Chainlit's signed cookie (HS256 with `CHAINLIT_AUTH_SECRET`): `decode_session_token` verifies one;
`widget_session_token` makes the session a widget token is exchanged for, expiring when the widget token does.
"""

from __future__ import annotations

import time
import uuid
import warnings
from typing import Any

from authlib.deprecate import AuthlibDeprecationWarning  # installs authlib's own "always" filter first

from app.identity import RequestIdentity, as_widget
from config import get_settings
from config.secrets import get_or_create_secret
from db import api_keys, registry
from db.principal import Principal

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=AuthlibDeprecationWarning)  # authlib.jose names its successor, joserfc
    from authlib.jose import JsonWebToken
    from authlib.jose.errors import JoseError

ISSUER = "sightline"
AUDIENCE = "sightline-widget"
ALGORITHM = "HS256"
MIN_SECRET_CHARS = 32
_JWT = JsonWebToken([ALGORITHM])
_CLAIMS_OPTIONS = {
    "iss": {"essential": True, "value": ISSUER},
    "aud": {"essential": True, "value": AUDIENCE},
    "exp": {"essential": True},
    "iat": {"essential": True},
    "sub": {"essential": True},
    "tid": {"essential": True},
    "email": {"essential": True},
    "kid": {"essential": True},
}
_SESSION_JWT = JsonWebToken(["HS256"])


class TokenRejected(Exception):
    """The token is not a valid, current widget token for an active user of its tenant."""


_secrets: dict[tuple[str, str, str], str] = {}


def checked_secret(name: str, configured: str) -> str:
    """A configured secret (at least 32 characters) or one generated and stored on first use (read once)."""
    if configured and len(configured) < MIN_SECRET_CHARS:
        raise ValueError(f"the configured {name} is too short: use at least {MIN_SECRET_CHARS} random characters")
    key = (name, configured, str(get_settings().data_dir))
    if key not in _secrets:
        _secrets[key] = get_or_create_secret(name, configured)
    return _secrets[key]


def widget_secret() -> str:
    return checked_secret("widget_token_secret", get_settings().widget_token_secret)


def mint(principal: Principal, key_id: str, *, ttl_s: int | None = None,
         now: float | None = None) -> tuple[str, int]:
    """A signed token for `principal`, minted with the API key `key_id` (its public prefix), and its lifetime (s)."""
    ttl = int(ttl_s if ttl_s is not None else get_settings().widget_token_ttl_s)
    issued = int(now if now is not None else time.time())
    payload = {
        "iss": ISSUER, "aud": AUDIENCE, "iat": issued, "nbf": issued, "exp": issued + ttl, "jti": uuid.uuid4().hex,
        "sub": str(principal.user_id), "email": principal.email, "tid": str(principal.tenant_id),
        "tenant": principal.tenant_slug, "kid": key_id,
    }
    token = _JWT.encode({"alg": ALGORITHM, "typ": "JWT"}, payload, widget_secret())
    return token.decode("ascii"), ttl


def verify(token: str, *, now: float | None = None) -> dict[str, Any]:
    """The verified claims of a widget token; TokenRejected for anything forged, expired or malformed."""
    if not token or token.count(".") != 2:
        raise TokenRejected("not a signed token")
    try:
        claims = _JWT.decode(token, widget_secret(), claims_options=_CLAIMS_OPTIONS)
        claims.validate(now=int(now if now is not None else time.time()), leeway=0)
    except (JoseError, ValueError, TypeError) as exc:
        raise TokenRejected("invalid or expired widget token") from exc
    return dict(claims)


def principal_from_token(token: str, *, now: float | None = None) -> Principal:
    """The widget Principal a token stands for, resolved again (tenant, user and the minting key must still hold)."""
    claims = verify(token, now=now)
    try:
        principal = registry.principal_for(str(claims["email"]))
    except registry.UserDisabled as exc:
        raise TokenRejected("the token's user is disabled") from exc
    except registry.RegistryError as exc:
        raise TokenRejected("the token's user is not an active user") from exc
    if str(principal.tenant_id) != str(claims["tid"]) or str(principal.user_id) != str(claims["sub"]):
        raise TokenRejected("the token's tenant or user does not match the account")
    grant = api_keys.active_grant(str(claims["kid"]), principal.tenant_id)
    if grant is None:
        raise TokenRejected("the API key that issued this token is no longer valid")
    return as_widget(principal, grant.prefix, grant.history)


# --- Chainlit session tokens ----------------------------------------------------------------------------------------

def auth_secret() -> str:
    """The secret Chainlit signs session cookies with (CHAINLIT_AUTH_SECRET, else generated and stored once)."""
    return checked_secret("chainlit_auth_secret", get_settings().chainlit_auth_secret)


def decode_session_token(token: str, *, now: float | None = None) -> RequestIdentity | None:
    """The identity in a Chainlit session token, when its signature (HS256, our secret) and expiry check out."""
    if not token or token.count(".") != 2:
        return None
    try:
        claims = _SESSION_JWT.decode(token, auth_secret(), claims_options={"exp": {"essential": True},
                                                                           "identifier": {"essential": True}})
        claims.validate(now=int(now if now is not None else time.time()), leeway=0)
    except (JoseError, ValueError, TypeError):
        return None
    metadata = claims.get("metadata") if isinstance(claims.get("metadata"), dict) else {}
    return RequestIdentity(str(claims["identifier"]), metadata)


def widget_session_token(principal: Principal, display_name: str, metadata: dict[str, Any], expires_at: int) -> str:
    """A Chainlit session token for a widget user that expires with the widget token it was exchanged for.

    Chainlit's own `create_jwt` would give it the chat UI's session lifetime (hours); this one ends at `expires_at`.
    """
    issued = int(time.time())
    payload = {"identifier": principal.email, "display_name": display_name, "metadata": metadata,
               "iat": issued, "exp": int(expires_at)}
    return _SESSION_JWT.encode({"alg": "HS256", "typ": "JWT"}, payload, auth_secret()).decode("ascii")
