"""A follow-up after a question the SQL tool did not answer, end to end through the agent on the real database (the
only fake is the industry chat model at the LLM boundary, as in tests/test_agent.py).

"ok and how many orders was that" points at the question before it; when that one was refused, the thread has
nothing to build on: the answer says so instead of counting the orders of an older answer of the thread (before: the
refused turn left the older question's spec as the thread's context, and the parser answered with it) or of the whole
history (before, with no context at all: every order ever recorded).
"""

from __future__ import annotations

from datetime import date

from agents import answer_sync
from db import registry
from tests.test_agent import NW, fake_models
from tools.catalog import Catalog, Store
from tools.sql.parse import parse_question


def test_a_question_pointing_back_at_nothing_is_refused() -> None:
    catalog = Catalog(stores=(Store("AB-1", "Optica Ab Centro", "Lugo", "LU"),), products=(),
                      sales_from=date(2025, 1, 1), sales_to=date(2026, 6, 1))
    for question in ("ok and how many orders was that", "same for units", "how many of them were frames?"):
        parsed = parse_question(question, catalog, date(2026, 6, 15))
        assert parsed.spec is None and "points back at an earlier answer" in (parsed.refusal or ""), question
    # a whole question is still answered
    assert parse_question("how many orders in May?", catalog, date(2026, 6, 15)).spec is not None


def test_a_follow_up_after_a_refused_question_does_not_use_an_older_answer(demo) -> None:
    nw = registry.principal_for(NW)
    first = answer_sync(nw, "How many frames did we sell in March 2025?", "t-after-refusal", models=fake_models(nw))
    assert first["route"] == "sql" and not first.get("error")
    refused = answer_sync(nw, "How many frames did we sell at the Gotham Plaza store in March 2025?",
                          "t-after-refusal", models=fake_models(nw))
    assert refused["route"] == "sql" and not refused["sql"]
    out = answer_sync(nw, "ok and how many orders was that", "t-after-refusal", models=fake_models(nw))
    assert not out["sql"] and "points back at an earlier answer" in out["answer"]
