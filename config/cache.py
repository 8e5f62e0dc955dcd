"""Derived tables kept in the data folder's cache: `cached_json(name, build)` returns the JSON value stored under
`<data_dir>/cache/<name>` when it is there and readable, else `build()`'s value, written there atomically for the next
process. The name carries whatever version stamps the table depends on (a package version, a format version), so a
process never reads a table another version prepared. No settings or a read-only data folder: the value is built in
memory only. Only JSON values (dicts, lists, strings, numbers) go through it; the caller converts."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cache_path(name: str) -> Path | None:
    """Where the table `name` is kept, or None when the settings cannot be read."""
    try:
        from config.settings import get_settings

        return Path(get_settings().data_dir) / "cache" / name
    except Exception:  # noqa: BLE001 - no settings (a bad environment): build in memory only
        return None


def cached_json(name: str, build: Callable[[], Any], valid: Callable[[Any], bool] = lambda _: True) -> Any:
    """The table `name` from the cache when present and `valid`, else `build()` (stored for next time)."""
    path = cache_path(name)
    if path is not None and path.is_file():
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
            if valid(value):
                return value
        except (OSError, ValueError):
            pass
    value = build()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only data folder: the table is simply built again next time
    return value
