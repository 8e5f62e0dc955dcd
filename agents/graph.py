"""The LangGraph agent: route -> (sql | docs | industry | clarify | smalltalk) -> compose -> guard, with memory."""

from __future__ import annotations

import asyncio
import operator
import re
import time
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypedDict

from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from langgraph.types import RunnableConfig

from agents.models import AgentModels
from agents.router import get_router
from db.principal import Principal
from prompts import load as load_prompt
from safety.stream import RedactingStream

TOOL_ROUTES = ("sql", "docs", "industry")
FOLLOW_UP = re.compile(r"^\s*(and|also|what about|how about|same (for|but)|now (for|in)|ok,? and|then)\b", re.I)
PERIOD_WORDS = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\bq[1-4]\b|\b(last|this|next|previous) "
    r"(week|month|quarter|year)\b|\b20\d\d\b|\byesterday\b|\btoday\b", re.I)

SMALLTALK = ("Hello! I answer questions about your own business numbers (sales, stock, patients), your company's "
             "documents and policies, and general optical-industry knowledge. What would you like to know?")
CLARIFY = ("I'm not sure what you're asking. Do you mean {options}? For example: \"How many frames did we sell "
           "in March?\", \"What is our remake policy for progressives?\" or \"How do photochromic lenses work?\"")
ROUTE_WORDS = {"sql": "your own sales, stock or patient numbers", "docs": "your company's documents and policies",
               "industry": "general industry knowledge", "smalltalk": "something else"}


class TurnState(TypedDict, total=False):
    question: str
    flags: list[str]
    route: str
    route_score: float
    route_reason: str
    candidates: list[str]
    follow_up: bool
    last_route: str | None
    sql_context: dict[str, Any] | None
    tool: dict[str, Any]
    answer: str
    guard_types: list[str]
    latency_ms: dict[str, float]
    turns: Annotated[list[dict[str, Any]], operator.add]


def _ctx(config: RunnableConfig) -> tuple[Principal, AgentModels]:
    conf = config["configurable"]
    return conf["principal"], conf["models"]


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)


def jsonable(value: Any) -> Any:
    """Rows and slots as JSON-friendly values (the checkpointer and the --json output store them)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def is_follow_up(question: str, last_route: str | None) -> bool:
    if last_route not in TOOL_ROUTES:
        return False
    if FOLLOW_UP.search(question):
        return True
    words = question.split()
    return len(words) <= 4 and bool(PERIOD_WORDS.search(question))


# ---- nodes ---------------------------------------------------------------------------------------------------

async def route_node(state: TurnState, config: RunnableConfig) -> dict[str, Any]:
    t0 = time.perf_counter()
    _, models = _ctx(config)
    question = state["question"]
    last = state.get("last_route")
    follow = is_follow_up(question, last)
    candidates: list[str] = []
    if follow:
        route, score, reason = last, 1.0, "follow-up of the previous question"
    else:
        chosen = await models.choose_tool(question) if models.tool_calling else None
        if chosen:
            route, score, reason = chosen, 1.0, "chosen by the chat model (tool calling)"
        else:
            decision = await get_router().aroute(question)
            route, score, reason = decision.route, float(decision.score), decision.reason or "semantic router"
            candidates = [decision.best, decision.runner_up]
    get_stream_writer()({"type": "route", "route": route, "score": round(score, 3), "reason": reason})
    return {"route": route, "route_score": score, "route_reason": reason, "candidates": candidates,
            "follow_up": follow, "tool": {}, "latency_ms": {"route": _ms(t0)}}


async def sql_node(state: TurnState, config: RunnableConfig) -> dict[str, Any]:
    from tools.sql_tool import run_sql_tool

    t0 = time.perf_counter()
    principal, models = _ctx(config)
    writer = get_stream_writer()
    question = state["question"]
    context = state.get("sql_context") if state.get("follow_up") else None
    writer({"type": "tool_call", "tool": "sql", "input": {"question": question, "follow_up": bool(context)}})
    res = await asyncio.to_thread(run_sql_tool, principal, question, context=context,
                                  chat_model=models.sql_writer)
    tool = {"tool": "sql", "template": res.template_id, "sql": res.sql, "columns": list(res.columns or []),
            "rows": jsonable(res.rows or []), "answer_text": res.answer_text, "table": res.table_markdown,
            "error": res.error, "model": "sql-templates" if res.template_id else "llm-sql"}
    writer({"type": "tool_result", "tool": "sql", "sql": tool["sql"], "columns": tool["columns"],
            "rows": tool["rows"], "error": tool["error"]})
    update: dict[str, Any] = {"tool": tool, "latency_ms": {**state.get("latency_ms", {}), "tool": _ms(t0)}}
    if not res.error and res.slots is not None:
        update["sql_context"] = jsonable(res.slots)
    return update


async def docs_node(state: TurnState, config: RunnableConfig) -> dict[str, Any]:
    from agents.extractive import extractive_answer
    from tools.docs_search import search

    t0 = time.perf_counter()
    principal, models = _ctx(config)
    writer = get_stream_writer()
    question = state["question"]
    writer({"type": "tool_call", "tool": "docs", "input": {"query": question}})
    hits = await asyncio.to_thread(search, principal, question, 4)
    sources = [{"document_id": str(h.document_id), "title": h.title, "chunk": h.chunk_index,
                "score": round(float(h.score), 3), "text": h.content} for h in hits]
    writer({"type": "tool_result", "tool": "docs", "sources": [{k: v for k, v in s.items() if k != "text"}
                                                                 for s in sources]})
    if not hits:
        text, model = "I couldn't find anything about that in your company's documents.", "extractive"
    elif models.summarizer is not None:
        passages = "\n\n".join(f"[{i + 1}] ({s['title']}, part {s['chunk'] + 1}) {s['text']}"
                               for i, s in enumerate(sources))
        prompt = load_prompt("docs_summary").format(question=question, passages=passages)
        reply = await models.summarizer.ainvoke([HumanMessage(prompt)])
        text, model = str(reply.content).strip(), models.summarizer_label
    else:
        text, model = await asyncio.to_thread(extractive_answer, question, sources), "extractive"
    tool = {"tool": "docs", "sources": sources, "answer_text": text, "model": model}
    return {"tool": tool, "latency_ms": {**state.get("latency_ms", {}), "tool": _ms(t0)}}


async def industry_node(state: TurnState, config: RunnableConfig) -> dict[str, Any]:
    from tools.industry import DISCLAIMER_BASE, from_aggregates

    t0 = time.perf_counter()
    principal, models = _ctx(config)
    writer = get_stream_writer()
    question = state["question"]
    writer({"type": "tool_call", "tool": "industry", "input": {"question": question}})
    facts = await asyncio.to_thread(from_aggregates, question)
    if facts is not None:
        tool = {"tool": "industry", "source": "aggregates", "answer_text": facts.answer_text, "facts": facts.facts,
                "model": facts.model}
    else:
        chat, label, has_adapter = models.industry(principal)
        stream = RedactingStream(tenant=principal.tenant_slug, allow=models.allow)
        parts: list[str] = []
        try:
            async for chunk in chat.astream([SystemMessage(load_prompt("industry_system")), HumanMessage(question)]):
                piece = str(chunk.content)
                parts.append(piece)
                safe = stream.feed(piece)
                if safe:
                    writer({"type": "token", "text": safe})
            text = "".join(parts).strip() or "(the model returned no text)"
            error = None
        except Exception as exc:  # noqa: BLE001 - the endpoint may fail in many ways; report it, don't crash
            text, error = "The industry model is unavailable right now.", f"{type(exc).__name__}: {exc}"
        rest = stream.flush()
        if rest:
            writer({"type": "token", "text": rest})
        if not has_adapter and error is None:
            text = f"{text}\n\n_{DISCLAIMER_BASE}_"
        tool = {"tool": "industry", "source": "model", "answer_text": text, "model": label, "streamed": True,
                "error": error}
    writer({"type": "tool_result", "tool": "industry", "source": tool["source"], "model": tool["model"]})
    return {"tool": tool, "latency_ms": {**state.get("latency_ms", {}), "tool": _ms(t0)}}


async def clarify_node(state: TurnState, config: RunnableConfig) -> dict[str, Any]:
    options = [ROUTE_WORDS[r] for r in (*state.get("candidates", []), "sql", "docs", "industry")
               if r in ROUTE_WORDS and r != "smalltalk"]
    unique = list(dict.fromkeys(options))[:3]
    text = CLARIFY.format(options=", ".join(unique[:-1]) + f" or {unique[-1]}")
    return {"tool": {"tool": "clarify", "answer_text": text, "model": "none"}}


async def smalltalk_node(state: TurnState, config: RunnableConfig) -> dict[str, Any]:
    return {"tool": {"tool": "smalltalk", "answer_text": SMALLTALK, "model": "none"}}


def compose_answer(tool: dict[str, Any]) -> str:
    """The user-facing Markdown: numbers only from result rows, quotes only from sources, SQL shown."""
    kind = tool.get("tool")
    text = tool.get("answer_text") or ""
    if kind == "sql":
        # The SQL tool's text already holds the sentence, the table and the SQL it ran (tools/sql_tool.py).
        if text:
            return text
        return tool.get("error") or "\n\n".join(p for p in (tool.get("table"), tool.get("sql")) if p)
    if kind == "docs" and tool.get("sources"):
        cited = "\n".join(f"- {s['title']} (part {s['chunk'] + 1})" for s in tool["sources"][:3])
        return f"{text}\n\nSources:\n{cited}"
    return text


async def compose_node(state: TurnState, config: RunnableConfig) -> dict[str, Any]:
    t0 = time.perf_counter()
    principal, models = _ctx(config)
    tool = state.get("tool", {})
    answer = compose_answer(tool)
    if not tool.get("streamed"):
        writer = get_stream_writer()
        stream = RedactingStream(tenant=principal.tenant_slug, allow=models.allow)
        for piece in re.findall(r"\S+\s*|\s+", answer):
            safe = stream.feed(piece)
            if safe:
                writer({"type": "token", "text": safe})
        rest = stream.flush()
        if rest:
            writer({"type": "token", "text": rest})
    return {"answer": answer, "latency_ms": {**state.get("latency_ms", {}), "compose": _ms(t0)}}


async def guard_node(state: TurnState, config: RunnableConfig) -> dict[str, Any]:
    """The output guard hook: answer text, result rows and cited snippets, before anything is stored or shown."""
    from safety import redact
    from safety.guard import guard_text

    t0 = time.perf_counter()
    principal, models = _ctx(config)
    result = await asyncio.to_thread(guard_text, state.get("answer", ""), tenant=principal.tenant_slug,
                                     tenant_allow=models.allow)
    tool = dict(state.get("tool", {}))
    types = set(result.types)

    def clean(value: Any) -> Any:
        if isinstance(value, str) and value:
            red = redact(value, tenant=principal.tenant_slug, allow=models.allow)
            types.update(e.type for e in red.entities)
            return red.text
        return value

    if tool.get("rows"):
        tool["rows"] = [[clean(v) for v in row] for row in tool["rows"]]
    if tool.get("sources"):
        tool["sources"] = [{**s, "text": clean(s.get("text"))} for s in tool["sources"]]
    route = state.get("route")
    turn = {"question": clean(state["question"]), "route": route, "answer": result.text}
    return {"answer": result.text, "tool": tool, "guard_types": sorted(types), "turns": [turn],
            "last_route": route if route in TOOL_ROUTES else state.get("last_route"),
            "latency_ms": {**state.get("latency_ms", {}), "guard": _ms(t0)}}


def build_graph() -> StateGraph:
    g = StateGraph(TurnState)
    g.add_node("route", route_node)
    g.add_node("sql", sql_node)
    g.add_node("docs", docs_node)
    g.add_node("industry", industry_node)
    g.add_node("clarify", clarify_node)
    g.add_node("smalltalk", smalltalk_node)
    g.add_node("compose", compose_node)
    g.add_node("guard", guard_node)
    g.add_edge(START, "route")
    g.add_conditional_edges("route", lambda s: s["route"],
                            {r: r for r in ("sql", "docs", "industry", "clarify", "smalltalk")})
    for r in ("sql", "docs", "industry", "clarify", "smalltalk"):
        g.add_edge(r, "compose")
    g.add_edge("compose", "guard")
    g.add_edge("guard", END)
    return g
