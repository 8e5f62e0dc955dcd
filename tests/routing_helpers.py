"""Shared helpers of the doc_routing tests: a router decision for a route, and a question's route after
agents/doc_routing.py's revision with the scores and passages the route node would pass."""

from __future__ import annotations

from collections.abc import Sequence

from agents import doc_routing
from agents.router import ROUTES, RouteDecision


def decision(route: str) -> RouteDecision:
    """A confident router decision for `route`."""
    return RouteDecision(route=route, score=0.8, scores={r: 0.05 for r in ROUTES}, margin=0.6, best=route,
                         runner_up="docs", similarity=0.5)


def revised(question: str, route: str, doc: float, kb: float, passages: Sequence[str] = (),
            sentences: tuple[float, float] = (0.0, 0.0)) -> str:
    """The route doc_routing.revise gives the router's `route` for the question with these signals."""
    signal = doc_routing.cues(question, doc, kb, frozenset(), frozenset(), doc_routing.passages_words(passages),
                              sentences)
    return doc_routing.revise(decision(route), signal).route
