"""Chainlit inside Sightline: its working folder, auth secret, cookie and session settings, sign-in error texts, UI
options, and the Chainlit ASGI app (chat UI, socket.io, Copilot widget) that app/web.py mounts at the root.

Chainlit reads its settings from the environment and a config folder when it is first imported, so everything here
happens before that import: the folder is `<data_dir>/chainlit` (never the source tree), `CHAINLIT_AUTH_SECRET` is
the configured one or generated once into `<data_dir>/secrets/` (there is no default), and the session lifetime is
`SIGHTLINE_SESSION_LIFETIME_S`.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from app.identity import LOGIN_ERRORS
from app.tokens import auth_secret
from config import get_settings

_lock = threading.Lock()
_app: Any = None

README = """# Sightline

Ask about **your company's data** (sales, stock, stores, products), **your company's documents** (policies and
procedures) or **the optical industry** (pooled, anonymized benchmarks).

Every answer shows the tool it used: the SQL and its result table, the passages it cites, or the model that answered.
Rate answers with the thumbs below them; your ratings help track quality per model version.

You only ever see your own organisation's data: isolation is enforced by the database, not by the assistant.
"""


def chainlit_root() -> Path:
    return Path(get_settings().data_dir) / "chainlit"


def _prepare_environment() -> None:
    settings = get_settings()
    root = chainlit_root()
    root.mkdir(parents=True, exist_ok=True)
    (root / "chainlit.md").write_text(README, encoding="utf-8")
    # An explicit (empty) font list keeps the UI from loading web fonts from the internet.
    (root / "public").mkdir(exist_ok=True)
    (root / "public" / "theme.json").write_text(json.dumps({"custom_fonts": []}), encoding="utf-8")
    os.environ["CHAINLIT_APP_ROOT"] = str(root)
    os.environ["CHAINLIT_AUTH_SECRET"] = auth_secret()
    os.environ["CHAINLIT_COOKIE_SAMESITE"] = settings.cookie_samesite
    # Sign-in is always required: with no OAuth provider configured only widget tokens (POST /auth/jwt) sign in.
    os.environ["CHAINLIT_CUSTOM_AUTH"] = "true"
    if settings.public_url:
        os.environ.setdefault("CHAINLIT_URL", settings.public_url.rstrip("/"))


def _add_login_errors(translation_dir: str) -> None:
    """Give the sign-in page a text for each refusal code (shown as /login?error=<code>)."""
    for path in Path(translation_dir).glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        errors = data.setdefault("auth", {}).setdefault("login", {}).setdefault("errors", {})
        if all(errors.get(k) == v for k, v in LOGIN_ERRORS.items()):
            continue
        errors.update(LOGIN_ERRORS)
        path.write_text(json.dumps(data, indent=4, ensure_ascii=False), encoding="utf-8")


def _configure(config: Any) -> None:
    settings = get_settings()
    config.project.user_session_timeout = settings.session_lifetime_s
    config.project.session_timeout = 600  # reconnect window of a dropped websocket
    if settings.web_workers > 1:  # one socket.io session = one websocket = one worker process (no polling hops)
        config.project.transports = ["websocket"]
    config.ui.name = "Sightline"
    config.ui.description = "Ask about your company's data, documents, or the optical industry."
    config.ui.cot = "full"
    config.ui.default_theme = "light"
    config.features.unsafe_allow_html = False
    config.features.edit_message = False
    config.features.allow_thread_sharing = False
    config.features.favorites = False
    if config.features.spontaneous_file_upload is not None:
        config.features.spontaneous_file_upload.enabled = False
        config.features.spontaneous_file_upload.accept = ["text/plain"]
    if config.features.audio is not None:
        config.features.audio.enabled = False
    config.features.mcp.enabled = False


def chainlit_app() -> Any:
    """The Chainlit ASGI app with Sightline's handlers registered (one per process)."""
    global _app
    with _lock:
        if _app is not None:
            return _app
        _prepare_environment()
        from chainlit.config import config, config_translation_dir

        _configure(config)
        _add_login_errors(config_translation_dir)
        from chainlit.auth import ensure_jwt_secret
        from chainlit.server import app as chainlit_server

        import app.chat_ui  # noqa: F401  (registers the Chainlit callbacks)

        ensure_jwt_secret()
        _app = chainlit_server
        return _app
