"""Output helpers shared by the `sightline` command modules (app/cli*.py): an error line with its exit code, and a
listing that says so when there is nothing to list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NoReturn, TypeVar

import typer

T = TypeVar("T")


def fail(message: str, code: int = 2) -> NoReturn:
    """Print `error: <message>` on stderr and exit with `code`."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def echo_rows(rows: Sequence[T], empty: str, line: Callable[[T], str]) -> None:
    """Print `line(row)` for each row, or the `empty` message when there are none."""
    if not rows:
        typer.echo(empty)
    for row in rows:
        typer.echo(line(row))
