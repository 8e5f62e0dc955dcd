"""The development identity provider: `oidc-provider-mock` on 127.0.0.1 with the demo tenants' users and their
tenant/role claims (plus one user with no tenant), and the `OAUTH_GENERIC_*` settings that point Chainlit at it.

`sightline serve` starts it unless a real provider is configured (any `OAUTH_<PROVIDER>_CLIENT_ID` in the
environment, or `SIGHTLINE_DEV_IDP=off`). Run it alone with `python -m app.dev_idp --port 9400`.
Never expose it: anyone who can reach it can sign in as anyone.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

from config import Settings

PROVIDER_ID = "sightline-dev"
UNMAPPED_USER = "visitor@unmapped.example"  # signs in at the provider, belongs to no tenant: Sightline refuses it
_REAL_OAUTH = re.compile(r"^OAUTH_[A-Z0-9_]+_CLIENT_ID$")


def demo_user_claims() -> list[dict[str, object]]:
    """One entry per demo user: sub = e-mail, with `tenant` (slug) and `roles` claims; then the unmapped user."""
    from db.demo import DEMO_TENANTS

    users: list[dict[str, object]] = []
    for tenant in DEMO_TENANTS:
        for email, role in tenant.users:
            local = email.split("@")[0].replace(".admin", "").replace(".", " ").title()
            users.append({"sub": email, "email": email, "email_verified": True, "name": f"{local} ({tenant.name})",
                          "tenant": tenant.slug, "roles": [role]})
    users.append({"sub": UNMAPPED_USER, "email": UNMAPPED_USER, "email_verified": True,
                  "name": "Visitor without a tenant"})
    return users


def oauth_env(base_url: str) -> dict[str, str]:
    """Chainlit's generic OAuth provider settings for the dev provider at `base_url`."""
    base = base_url.rstrip("/")
    return {
        "OAUTH_GENERIC_NAME": PROVIDER_ID,
        "OAUTH_GENERIC_CLIENT_ID": "sightline-dev-client",
        "OAUTH_GENERIC_CLIENT_SECRET": secrets.token_urlsafe(24),  # the mock accepts any; never a fixed value
        "OAUTH_GENERIC_AUTH_URL": f"{base}/oauth2/authorize",
        "OAUTH_GENERIC_TOKEN_URL": f"{base}/oauth2/token",
        "OAUTH_GENERIC_USER_INFO_URL": f"{base}/userinfo",
        "OAUTH_GENERIC_SCOPES": "openid profile email",
        "OAUTH_GENERIC_USER_IDENTIFIER": "email",
    }


def real_oauth_configured(environ: Mapping[str, str]) -> bool:
    return any(_REAL_OAUTH.match(k) and v for k, v in environ.items())


@dataclass
class DevIdp:
    """A running dev provider (a child process)."""

    port: int
    host: str = "127.0.0.1"
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout_s: float = 30.0) -> DevIdp:
        self.process = subprocess.Popen([sys.executable, "-W", "ignore::DeprecationWarning", "-m", "app.dev_idp",
                                         "--host", self.host, "--port", str(self.port)])
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the dev identity provider exited (is port {self.port} in use? "
                                   "set SIGHTLINE_DEV_IDP_PORT)")
            try:
                with urllib.request.urlopen(f"{self.url}/.well-known/openid-configuration", timeout=2):
                    return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the dev identity provider did not start on {self.url}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_if_needed(settings: Settings) -> DevIdp | None:
    """Start the dev provider and point Chainlit at it, unless a real provider is configured."""
    if settings.dev_idp == "off" or (settings.dev_idp == "auto" and real_oauth_configured(os.environ)):
        return None
    idp = DevIdp(port=settings.dev_idp_port).start()
    os.environ.update(oauth_env(idp.url))
    return idp


def build_app():  # noqa: ANN201 - a Flask app
    """The oidc-provider-mock WSGI app with the demo users, without Werkzeug's interactive debugger."""
    import oidc_provider_mock

    users = [oidc_provider_mock.User(sub=str(c["sub"]), claims={k: v for k, v in c.items() if k != "sub"})
             for c in demo_user_claims()]
    app = oidc_provider_mock.app(user_claims=users)
    app.debug = False
    inner = getattr(app.wsgi_app, "app", None)  # init_app wraps it in werkzeug's DebuggedApplication
    if inner is not None:
        app.wsgi_app = inner
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Sightline's development OpenID Connect provider")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9400)
    args = parser.parse_args(argv)
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain http on localhost only
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request in `sightline serve`'s output
    from werkzeug.serving import make_server

    server = make_server(args.host, args.port, build_app(), threaded=True)
    print(f"dev identity provider on http://{args.host}:{args.port} (users: "
          f"{', '.join(str(c['sub']) for c in demo_user_claims())})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
