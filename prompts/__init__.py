"""Prompt templates, kept as Markdown files beside this module and loaded by name."""

from __future__ import annotations

from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


@cache
def load(name: str) -> str:
    """The text of `prompts/<name>.md`; a clear error for an unknown name."""
    path = HERE / f"{name}.md"
    if not path.is_file() or path.parent != HERE:
        known = ", ".join(sorted(p.stem for p in HERE.glob("*.md")))
        raise KeyError(f"unknown prompt {name!r} (known: {known})")
    return path.read_text(encoding="utf-8").strip()
