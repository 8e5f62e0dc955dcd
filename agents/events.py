"""The typed shapes of one chat turn: the five stream events (route, tool_call, tool_result, token, final), the
tool output the graph's tool nodes hand to compose/guard, and a cited source. The graph emits exactly these; the
UI (app/chat_ui.py), the REST/SSE API (app/api.py, app/turns.py) and `sightline ask --json` read them.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict


class Source(TypedDict):
    """A cited passage: a chunk of a tenant document (docs route) or an industry knowledge passage (industry route;
    `document_id` is then the passage id and `origin` its reference)."""

    document_id: str
    title: str
    chunk: int
    score: float
    text: str
    origin: NotRequired[str]


class RouteEvent(TypedDict):
    type: Literal["route"]
    route: str
    score: float
    reason: str
    signals: NotRequired[dict[str, Any]]


class ToolCallEvent(TypedDict):
    type: Literal["tool_call"]
    tool: str
    input: dict[str, Any]


class ToolResultEvent(TypedDict):
    """What the tool returned. sql: `sql`, `columns`, `rows`, `error`; docs/industry: `sources` (without their
    texts); industry: `source` (aggregates | knowledge | none) and `model`."""

    type: Literal["tool_result"]
    tool: str
    sql: NotRequired[str | None]
    columns: NotRequired[list[str]]
    rows: NotRequired[list[list[Any]]]
    error: NotRequired[str | None]
    sources: NotRequired[list[dict[str, Any]]]
    source: NotRequired[str]
    model: NotRequired[str]


class TokenEvent(TypedDict):
    type: Literal["token"]
    text: str


class FinalEvent(TypedDict):
    """The guarded end of a turn (what `sightline ask --json` prints)."""

    type: Literal["final"]
    answer: str
    route: str | None
    route_reason: str | None
    sql: str | None
    columns: list[str] | None
    rows: list[list[Any]] | None
    sources: list[Source] | None
    model: str | None
    error: str | None
    guard: list[str]
    flags: list[str]
    latency_ms: dict[str, float]
    thread_id: str
    interpretation: str | None  # SQL answers: the one-line reading of the question (measure, filters, period)
    chart: dict[str, Any] | None  # SQL answers: a Plotly figure (JSON) for time series and larger breakdowns


TurnEvent = RouteEvent | ToolCallEvent | ToolResultEvent | TokenEvent | FinalEvent
EVENT_TYPES: tuple[str, ...] = ("route", "tool_call", "tool_result", "token", "final")


class ToolOutput(TypedDict, total=False):
    """One tool node's output, kept in the turn state: `tool` (the route name), `answer_text` (what compose turns
    into the answer), `model` (who answered), and per tool: sql (`sql`, `columns`, `rows`, `table`, `error`,
    `template`, `interpretation`, `chart`), docs/industry (`sources`, `cited` source indexes, `covered`),
    industry (`source`, `facts`), and `streamed` when the text already went out as token events."""

    tool: str
    answer_text: str
    model: str
    sql: str | None
    columns: list[str]
    rows: list[list[Any]]
    table: str | None
    error: str | None
    template: str | None
    interpretation: str | None
    chart: dict[str, Any] | None
    sources: list[Source]
    cited: list[int]
    covered: bool
    source: str
    facts: list[dict[str, Any]]
    streamed: bool


__all__ = ["EVENT_TYPES", "FinalEvent", "RouteEvent", "Source", "TokenEvent", "ToolCallEvent", "ToolOutput",
           "ToolResultEvent", "TurnEvent"]
