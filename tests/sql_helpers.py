"""Shared helper of the SQL parser tests: the spec a question parses to, failing the test (with the refusal and
what was left unresolved) when the parser refuses instead."""

from __future__ import annotations

from datetime import date

from tools.catalog import Catalog
from tools.sql.parse import parse_question
from tools.sql.spec import QuerySpec


def spec_of(question: str, catalog: Catalog, today: date, previous: QuerySpec | None = None) -> QuerySpec:
    """The spec `question` parses to for `catalog` on `today` (after `previous`, for follow-ups)."""
    parsed = parse_question(question, catalog, today, previous)
    assert parsed.spec is not None, (question, parsed.refusal, parsed.unresolved)
    return parsed.spec
