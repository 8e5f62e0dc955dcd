"""Generated secrets: taken from settings when set, else created once (random) and kept in the data folder."""

from __future__ import annotations

import os
import secrets as _secrets
from pathlib import Path

from config.settings import get_settings


def get_or_create_secret(name: str, configured: str = "") -> str:
    """Return `configured` when non-empty, else the secret stored as `<data_dir>/secrets/<name>` (created 0600)."""
    if configured:
        return configured
    folder = Path(get_settings().data_dir) / "secrets"
    path = folder / name
    if path.exists():
        value = path.read_text().strip()
        if value:
            return value
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    value = _secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value
