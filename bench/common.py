"""Shared benchmark helpers: a throw-away embedded database and table printing."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bench_database(name: str) -> Iterator[str]:
    """Point Sightline at a fresh embedded server in a temporary data dir, migrated; stop it afterwards."""
    from config import get_settings, reset_settings
    from db import embedded
    from db.engine import reset_engines
    from db.migrate import upgrade

    saved = {k: os.environ.get(k) for k in ("SIGHTLINE_DATA_DIR", "SIGHTLINE_DATABASE", "DATABASE_URL")}
    with tempfile.TemporaryDirectory(prefix="sightline-bench-") as tmp:
        os.environ["SIGHTLINE_DATA_DIR"] = tmp
        os.environ["SIGHTLINE_DATABASE"] = name
        os.environ.pop("DATABASE_URL", None)
        reset_settings()
        reset_engines()
        try:
            upgrade()
            yield name
        finally:
            reset_engines()
            embedded.stop(get_settings().pgdata_dir)
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            reset_settings()


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    line = "  ".join("-" * w for w in widths)
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for r in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)))
