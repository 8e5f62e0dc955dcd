"""Shared benchmark helpers: a throw-away embedded database and table printing."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bench_database(name: str) -> Iterator[str]:
    """Point Sightline at a fresh embedded server in a temporary data dir, migrated; stop it afterwards."""
    from config import env_overrides, get_settings
    from db import embedded
    from db.engine import reset_engines
    from db.migrate import upgrade

    with tempfile.TemporaryDirectory(prefix="sightline-bench-") as tmp, \
            env_overrides(SIGHTLINE_DATA_DIR=tmp, SIGHTLINE_DATABASE=name, DATABASE_URL=None):
        reset_engines()
        try:
            upgrade()
            yield name
        finally:
            reset_engines()
            embedded.stop(get_settings().pgdata_dir)


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    line = "  ".join("-" * w for w in widths)
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for r in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)))
