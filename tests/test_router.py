"""Tests for agents.router: accuracy on the labelled routing set, bank/test separation, clarify behaviour."""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from agents.router import (
    ALL_DECISIONS,
    CLARIFY,
    DEFAULT_BANK,
    ROUTES,
    RouteDecision,
    Router,
    get_router,
    load_examples,
)
from tools.embeddings import embed

ROUTING_SET = Path(__file__).resolve().parent / "data" / "routing_set.jsonl"


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


@pytest.fixture(scope="module")
def routing_set() -> list[dict[str, str]]:
    return [json.loads(line) for line in ROUTING_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def router() -> Router:
    return get_router()


@pytest.fixture(scope="module")
def decisions(router: Router, routing_set: list[dict[str, str]]) -> list[RouteDecision]:
    return router.route_many([row["text"] for row in routing_set])


def test_routing_set_shape(routing_set: list[dict[str, str]]) -> None:
    counts = Counter(row["route"] for row in routing_set)
    assert len(routing_set) >= 300
    assert set(counts) <= ALL_DECISIONS
    for route in ("sql", "docs", "industry"):
        assert counts[route] >= 80, counts
    assert counts["smalltalk"] >= 40, counts
    assert counts[CLARIFY] >= 3, counts
    texts = [_norm(row["text"]) for row in routing_set]
    assert len(texts) == len(set(texts)), "duplicate utterances in the routing set"


def test_no_bank_example_in_test_set(routing_set: list[dict[str, str]]) -> None:
    bank = {_norm(t) for examples in load_examples().values() for t in examples}
    overlap = [row["text"] for row in routing_set if _norm(row["text"]) in bank]
    assert not overlap, f"test utterances copied from the example bank: {overlap}"


def test_no_near_duplicates_of_bank_examples(router: Router, routing_set: list[dict[str, str]]) -> None:
    """Paraphrase leakage guard: no test utterance is a near copy (cosine > 0.9) of a bank example."""
    sims = embed([row["text"] for row in routing_set]) @ router.bank.matrix.T
    nearest = sims.max(axis=1)
    leaks = [(routing_set[i]["text"], router.bank.texts[int(sims[i].argmax())]) for i in np.where(nearest > 0.9)[0]]
    assert not leaks, leaks


def test_overall_accuracy(routing_set: list[dict[str, str]], decisions: list[RouteDecision]) -> None:
    """sql/docs/industry/smalltalk items; a clarify answer on them counts as wrong."""
    pairs = [(row["route"], d.route) for row, d in zip(routing_set, decisions, strict=True) if row["route"] in ROUTES]
    accuracy = sum(e == p for e, p in pairs) / len(pairs)
    wrong = [
        (row["text"], row["route"], d.route)
        for row, d in zip(routing_set, decisions, strict=True)
        if row["route"] in ROUTES and row["route"] != d.route
    ]
    assert accuracy >= 0.95, f"accuracy {accuracy:.3f}; misrouted: {wrong}"


@pytest.mark.parametrize("route", ROUTES)
def test_per_route_accuracy(route: str, routing_set: list[dict[str, str]], decisions: list[RouteDecision]) -> None:
    got = [d.route for row, d in zip(routing_set, decisions, strict=True) if row["route"] == route]
    accuracy = sum(g == route for g in got) / len(got)
    assert accuracy >= 0.9, f"{route}: {accuracy:.3f} ({Counter(got)})"


@pytest.mark.parametrize(
    "text",
    ["fjdkslaq wpeoriu", "zzxq vvbnmp plokij", "qqqqq", "!!!???", "", "    ", "vbnrt ghyu wxq"],
)
def test_gibberish_goes_to_clarify(router: Router, text: str) -> None:
    decision = router.route(text)
    assert decision.route == CLARIFY, decision
    assert decision.reason


def test_clear_messages_route_confidently(router: Router) -> None:
    expected = {
        "How many progressive lenses did the Elm Street store sell in the second week of May?": "sql",
        "Under our staff handbook, how many personal days can I carry over into next year?": "docs",
        "What is a typical remake rate for progressive lenses across the optical industry?": "industry",
        "hello, good morning!": "smalltalk",
    }
    for text, route in expected.items():
        decision = router.route(text)
        assert decision.route == route, (text, decision)
        assert decision.confident and decision.reason == ""


def test_async_route_matches_sync(router: Router) -> None:
    text = "which store had the most eye exams booked last month"
    assert asyncio.run(router.aroute(text)) == router.route(text)


def test_decision_fields(router: Router) -> None:
    d = router.route("what's our warranty on rimless frames")
    assert d.route in ALL_DECISIONS
    assert set(d.scores) == set(ROUTES)
    assert abs(sum(d.scores.values()) - 1.0) < 1e-3  # softmax probabilities
    assert d.score == max(d.scores.values())
    assert d.best in ROUTES and d.runner_up in ROUTES and d.best != d.runner_up
    assert 0.0 <= d.margin <= 1.0
    assert -1.0 <= d.similarity <= 1.0


def test_thresholds_send_uncertain_messages_to_clarify(router: Router) -> None:
    text = "How many progressive lenses did we sell in March?"
    assert router.route(text).route == "sql"
    strict_margin = Router(min_margin=1.01, bank=router.bank)
    decision = strict_margin.route(text)
    assert decision.route == CLARIFY and decision.reason == "small_margin" and decision.best == "sql"
    strict_score = Router(min_score=1.01, bank=router.bank)
    assert strict_score.route(text).reason == "low_score"


def test_bank_shape_and_validation(tmp_path: Path) -> None:
    examples = load_examples(DEFAULT_BANK)
    assert set(examples) == set(ROUTES)
    assert all(len(v) >= 40 for v in examples.values())
    bad = tmp_path / "bank.json"
    bad.write_text(json.dumps({"routes": {r: ["x"] for r in ROUTES} | {"weather": ["rain"]}}))
    with pytest.raises(ValueError, match="unknown routes"):
        load_examples(bad)
    bad.write_text(json.dumps({"routes": {r: ["x"] for r in ROUTES if r != "docs"}}))
    with pytest.raises(ValueError, match="docs"):
        load_examples(bad)
