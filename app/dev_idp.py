"""The development identity provider: `oidc-provider-mock` on 127.0.0.1 with the demo tenants' users and their
tenant/role claims (plus one user with no tenant), and the `OAUTH_GENERIC_*` settings that point Chainlit at it.

`sightline serve` starts it only when no real provider is configured and everything is on loopback: a real provider
is any `OAUTH_<PROVIDER>_CLIENT_ID`, read from the same sources Chainlit reads (the environment, then the `.env` file
Chainlit loads from the working folder, `CHAINLIT_ENV_FILE`), never only `os.environ` at the time of the check. With
`SIGHTLINE_DEV_IDP=on` next to a real provider, or with the app or the provider bound to a non-loopback address, it
refuses to start (`DevIdpRefused`); `auto` (the default) then skips it; `off` never starts it.
Run it alone with `python -m app.dev_idp --port 9400` (loopback hosts only).
Never expose it: anyone who can reach it can sign in as anyone.
"""

from __future__ import annotations

import argparse
import ipaddress
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
from config.errors import UserError

log = logging.getLogger(__name__)

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


class DevIdpRefused(UserError, RuntimeError):
    """The dev identity provider may not run here (a real provider is configured, or a non-loopback address)."""


class DevIdpFailed(UserError, RuntimeError):
    """The dev identity provider did not come up (its port is taken, usually)."""


def real_oauth_configured(environ: Mapping[str, str | None]) -> bool:
    return any(_REAL_OAUTH.match(k) and v for k, v in environ.items())


def chainlit_environment() -> dict[str, str | None]:
    """The environment Chainlit will see: the `.env` file it loads (cwd / CHAINLIT_ENV_FILE, never overriding) under
    the process environment."""
    from dotenv import dotenv_values

    path = os.path.join(os.getcwd(), os.environ.get("CHAINLIT_ENV_FILE", ".env"))
    merged: dict[str, str | None] = dict(dotenv_values(path)) if os.path.isfile(path) else {}
    merged.update(os.environ)
    return merged


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1); False for 0.0.0.0, :: and anything else."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


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
        if not is_loopback(self.host):
            raise DevIdpRefused(f"the dev identity provider only binds to loopback, not {self.host!r}")
        self.process = subprocess.Popen([sys.executable, "-W", "ignore::DeprecationWarning", "-m", "app.dev_idp",
                                         "--host", self.host, "--port", str(self.port),
                                         "--parent-pid", str(os.getpid())])
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise DevIdpFailed(f"the dev identity provider exited (is port {self.port} in use? "
                                   "set SIGHTLINE_DEV_IDP_PORT)")
            try:
                with urllib.request.urlopen(f"{self.url}/.well-known/openid-configuration", timeout=2):
                    return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        self.stop()
        raise DevIdpFailed(f"the dev identity provider did not start on {self.url}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_if_needed(settings: Settings, app_host: str | None = None) -> DevIdp | None:
    """Start the dev provider and point Chainlit at it, unless a real provider is configured or the app (bound to
    `app_host`, default SIGHTLINE_HOST) is reachable beyond loopback. DevIdpRefused when SIGHTLINE_DEV_IDP=on asks
    for it in such a place."""
    if settings.dev_idp == "off":
        return None
    host = app_host or settings.host
    reason = None
    if real_oauth_configured(chainlit_environment()):
        reason = "a real identity provider is configured (OAUTH_*_CLIENT_ID in the environment or .env)"
    elif not is_loopback(host):
        reason = f"the app listens on {host!r}, beyond loopback: anyone reaching it could sign in as anyone"
    if reason is not None:
        if settings.dev_idp == "on":
            raise DevIdpRefused(f"the dev identity provider will not start: {reason}")
        log.warning("dev identity provider not started: %s", reason)
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


def _exit_with_parent(parent_pid: int, interval_s: float = 0.5) -> None:
    """A daemon thread that ends this process once `parent_pid` is no longer its parent (the parent was killed, even
    with SIGKILL, and this process was re-parented): the provider never outlives `sightline serve`."""
    import threading

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(interval_s)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Sightline's development OpenID Connect provider")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9400)
    parser.add_argument("--parent-pid", type=int, default=0, help="Exit when this process is gone (never orphaned)")
    args = parser.parse_args(argv)
    if not is_loopback(args.host):
        parser.error(f"the dev identity provider only binds to loopback addresses, not {args.host!r}")
    if args.parent_pid:
        _exit_with_parent(args.parent_pid)
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
