"""The one table of routes a chat turn can take (name, graph node, UI label, whether it runs a tool), read by the graph,
the router, the UI (app/chat_ui.py) and the API (app/turns.py); plus the router's example bank (examples.json),
shipped as package data beside it.

Add a route here once; nothing else spells the list of route names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    """One route: `name` is what events and stored answers carry, `node` the LangGraph node that runs it, `label`
    the tool step's title in the UI, `is_tool` whether it calls a tool (sql/docs/industry) rather than answering
    with a fixed text, `routable` whether the semantic router may pick it (clarify is the router's fallback, not a
    class), `offer` how a clarifying question names it."""

    name: str
    node: str
    label: str
    is_tool: bool
    routable: bool
    offer: str


ROUTE_TABLE: tuple[Route, ...] = (
    Route("sql", "sql", "SQL on your data", True, True, "your own sales, stock or patient numbers"),
    Route("docs", "docs", "Your documents", True, True, "your company's documents and policies"),
    Route("industry", "industry", "Industry knowledge", True, True, "general optical-industry knowledge"),
    Route("smalltalk", "smalltalk", "Small talk", False, True, "something else"),
    Route("clarify", "clarify", "Clarifying question", False, False, ""),
)

BY_NAME: dict[str, Route] = {r.name: r for r in ROUTE_TABLE}
ROUTE_NAMES: tuple[str, ...] = tuple(r.name for r in ROUTE_TABLE)
TOOL_ROUTES: tuple[str, ...] = tuple(r.name for r in ROUTE_TABLE if r.is_tool)
ROUTABLE: tuple[str, ...] = tuple(r.name for r in ROUTE_TABLE if r.routable)
CLARIFY = "clarify"


def get(name: str | None) -> Route | None:
    """The route called `name`, or None."""
    return BY_NAME.get(name or "")


def is_tool(name: str | None) -> bool:
    """Whether `name` is a route that runs a tool (sql, docs, industry)."""
    route = BY_NAME.get(name or "")
    return bool(route and route.is_tool)


def label(name: str | None) -> str:
    """The UI label of a route (the name itself for an unknown one)."""
    route = BY_NAME.get(name or "")
    return route.label if route else str(name)


__all__ = ["BY_NAME", "CLARIFY", "ROUTABLE", "ROUTE_NAMES", "ROUTE_TABLE", "TOOL_ROUTES", "Route", "get", "is_tool",
           "label"]
