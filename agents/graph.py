"""The LangGraph agent: route -> (sql | docs | industry | clarify | smalltalk) -> compose -> guard, with memory.

The nodes are the routes of `agents.routes.ROUTE_TABLE`; the events they emit are the TypedDicts of `agents.events`.
Routing runs the tenant's document search and the industry knowledge retrieval for every question and revises the
semantic router's decision with their best scores (agents/doc_routing.py); the docs node reuses the document hits.
Docs and industry answers state only what a retrieved, cited passage says, or say that nothing covers the question.
"""

from __future__ import annotations

import asyncio
import logging
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

from agents import doc_routing
from agents.events import RouteEvent, Source, ToolCallEvent, ToolOutput, ToolResultEvent
from agents.extractive import held_names
from agents.models import AgentModels
from agents.router import get_router
from agents.routes import BY_NAME, ROUTE_TABLE, TOOL_ROUTES
from db.principal import Principal
from prompts import load as load_prompt
from safety.stream import RedactingStream

log = logging.getLogger(__name__)

DOCS_K = 12  # a deeper passage may hold the answer; extractive.covers still checks the first COVER_PASSAGES
SHOWN_PASSAGES = 4  # passages a docs answer shows and keeps (plus any deeper one it cites)
FOLLOW_UP = re.compile(r"^\s*(and|also|what about|how about|same (for|but)|now (for|in)|ok,? and|then)\b", re.I)
PERIOD_WORDS = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\bq[1-4]\b|\b(last|this|next|previous) "
    r"(week|month|quarter|year)\b|\b20\d\d\b|\byesterday\b|\btoday\b", re.I)

SMALLTALK = ("Hello! I answer questions about your own business numbers (sales, stock, patients), your company's "
             "documents and policies, and general optical-industry knowledge. What would you like to know?")
CLARIFY = ("I'm not sure what you're asking. Do you mean {options}? For example: \"How many frames did we sell "
           "in March?\", \"What is our remake policy for progressives?\" or \"How do photochromic lenses work?\"")
INDUSTRY_NOT_COVERED = ("The industry knowledge base has nothing that answers that closely enough (I searched "
                        "{searched} reviewed passages and pooled industry figures), so I won't guess.{closest}")


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
    doc_hits: list[Source]
    doc_score: float
    tool: ToolOutput
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


def question_aliases(principal: Principal, question: str) -> list[tuple[str, str]]:
    """The other names of the tenant's branches and places (its documents': "Korba" is the Heliopolis branch) that
    the question uses, by either name (`tools.doc_aliases`)."""
    from tools.doc_aliases import aliases_in, tenant_aliases

    return aliases_in(question, tenant_aliases(principal.tenant_id))


def search_documents(principal: Principal, question: str) -> tuple[list[Source], float]:
    """The tenant's document search for a question: the top chunks as sources and the best sentence score. A branch
    or place the question names by another name its documents give it is searched by both names."""
    from agents.extractive import best_sentence_score
    from tools.doc_aliases import search_query
    from tools.docs_search import search

    aliases = question_aliases(principal, question)
    hits = search(principal, search_query(question, aliases), DOCS_K)
    sources: list[Source] = [{"document_id": str(h.document_id), "title": h.title, "chunk": h.chunk_index,
                              "score": round(float(h.score), 3), "text": h.content} for h in hits]
    return sources, (best_sentence_score(question, sources, aliases) if sources else 0.0)


def _public_sources(sources: list[Source]) -> list[dict[str, Any]]:
    return [{k: v for k, v in s.items() if k != "text"} for s in sources]


# ---- nodes ---------------------------------------------------------------------------------------------------

async def route_node(state: TurnState, config: RunnableConfig) -> dict[str, Any]:
    t0 = time.perf_counter()
    principal, models = _ctx(config)
    question = state["question"]
    last = state.get("last_route")
    follow = is_follow_up(question, last)
    candidates: list[str] = []
    try:
        doc_hits, doc_score = await asyncio.to_thread(search_documents, principal, question)
    except Exception as exc:  # noqa: BLE001 - a failing search must not stop routing; the docs node reports it
        log.warning("document search for routing failed: %s", exc)
        doc_hits, doc_score = [], 0.0
    kb_score, kb_hits = (0.0, []) if follow else await asyncio.to_thread(doc_routing.knowledge_hits, question)
    # the company's own name, and names of the question its documents hold ("the Lens Plan"), say it asks about it
    names = doc_routing.name_words(principal.tenant_slug) | held_names(question, doc_hits)
    # a word of the question that only the tenant's best passages use names its own scheme, product or place
    best_passages = [h["text"] for h in doc_hits[:4]]
    own_words = doc_routing.tenant_words(question, best_passages)
    signal = doc_routing.cues(question, doc_score, kb_score, names, own_words,
                              doc_routing.passages_words(best_passages))
    if follow:
        route, score, reason = last, 1.0, "follow-up of the previous question"
    else:
        chosen = await models.choose_tool(question) if models.tool_calling else None
        if chosen:
            route, score, reason = chosen, 1.0, "chosen by the chat model (tool calling)"
        else:
            first = await get_router().aroute(question)
            if doc_routing.wants_sentences(first.route, doc_score, kb_score):
                # both sources' best sentences by the same scorer (the tenant's sentences' embeddings are cached)
                signal = doc_routing.with_sentences(signal, await asyncio.to_thread(
                    doc_routing.sentence_scores, question, doc_hits, kb_hits))
            decision = doc_routing.revise(first, signal)
            route, score, reason = decision.route, float(decision.score), decision.reason or "semantic router"
            candidates = [decision.best, decision.runner_up]
    event: RouteEvent = {"type": "route", "route": route, "score": round(score, 3), "reason": reason,
                         "signals": {"documents": signal.best, "knowledge": signal.kb, "own": signal.own,
                                     "policy": signal.policy, "generic": signal.generic,
                                     "held": signal.held}}
    get_stream_writer()(event)
    return {"route": route, "route_score": score, "route_reason": reason, "candidates": candidates,
            "follow_up": follow, "tool": {}, "doc_hits": doc_hits, "doc_score": doc_score,
            "latency_ms": {"route": _ms(t0)}}


async def sql_node(state: TurnState, config: RunnableConfig) -> dict[str, Any]:
    from tools.sql_tool import run_sql_tool

    t0 = time.perf_counter()
    principal, models = _ctx(config)
    writer = get_stream_writer()
    question = state["question"]
    context = state.get("sql_context") if state.get("follow_up") else None
    call: ToolCallEvent = {"type": "tool_call", "tool": "sql", "input": {"question": question,
                                                                        "follow_up": bool(context)}}
    writer(call)
    res = await asyncio.to_thread(run_sql_tool, principal, question, context=context,
                                  chat_model=models.sql_writer)
    template = getattr(res, "template_id", None)
    tool: ToolOutput = {"tool": "sql", "template": template, "sql": res.sql, "columns": list(res.columns or []),
                        "rows": jsonable(res.rows or []), "answer_text": res.answer_text,
                        "table": res.table_markdown, "error": res.error,
                        "model": getattr(res, "model", None) or ("sql-templates" if template else "llm-sql"),
                        "interpretation": getattr(res, "interpretation", None),
                        "chart": jsonable(getattr(res, "chart", None))}
    result: ToolResultEvent = {"type": "tool_result", "tool": "sql", "sql": tool["sql"], "columns": tool["columns"],
                               "rows": tool["rows"], "error": tool["error"]}
    writer(result)
    update: dict[str, Any] = {"tool": tool, "latency_ms": {**state.get("latency_ms", {}), "tool": _ms(t0)}}
    if _docs_instead(state, res):
        reason = "the SQL tool found no question about your data in it, so your documents were searched instead"
        event: RouteEvent = {"type": "route", "route": "docs", "score": round(float(state.get("doc_score", 0.0)), 3),
                             "reason": reason, "signals": {}}
        writer(event)
        return {**update, "route": "docs", "route_reason": reason}
    slots = getattr(res, "slots", None)
    if not res.error and slots is not None:
        update["sql_context"] = jsonable(slots)
    elif res.error:
        # a question that was not answered leaves nothing to follow up on: "ok and how many orders was that" must
        # not attach to an older answer of the thread (the parser then refuses it as pointing at nothing)
        update["sql_context"] = None
    return update


def _docs_instead(state: TurnState, res: Any) -> bool:
    """Whether a question the SQL tool refused without running anything goes to the documents instead: it was not
    a follow-up, it asks for no measure ("sold", "revenue", "stock" ...; a period alone, "bought last week", is no
    numbers question), and either a passage of the tenant's documents answers it ("how many days does the price
    promise last") or it names things the data does not hold ("what's parking like at the X store"). The documents
    then answer or say that they do not cover it; any other refusal (a numbers question, "averages per day") keeps
    the SQL tool's own, more useful, message."""
    if not getattr(res, "refused", False) or getattr(res, "executed", False) or state.get("follow_up"):
        return False
    if not state.get("doc_hits") or doc_routing.MEASURES.search(state["question"]):
        return False
    # the documents answer it, or the question names things the data does not hold ("the Toowoomba store's parking")
    return float(state.get("doc_score", 0.0)) >= doc_routing.DOC_NONE or bool(getattr(res, "unknown_names", False))


def _passages(sources: list[Source]) -> str:
    return "\n\n".join(f"[{i + 1}] ({s['title']}) {s['text']}" for i, s in enumerate(sources))


async def docs_node(state: TurnState, config: RunnableConfig) -> dict[str, Any]:
    from agents.extractive import extractive_answer, not_covered_text
    from tools.ingest import list_documents

    t0 = time.perf_counter()
    principal, models = _ctx(config)
    writer = get_stream_writer()
    question = state["question"]
    writer({"type": "tool_call", "tool": "docs", "input": {"query": question}})
    sources = list(state.get("doc_hits") or [])
    if not sources:
        sources, _ = await asyncio.to_thread(search_documents, principal, question)
    writer({"type": "tool_result", "tool": "docs", "sources": _public_sources(sources)})

    def searched() -> list[str]:
        return [d.title for d in list_documents(principal.tenant_id)]

    aliases = await asyncio.to_thread(question_aliases, principal, question)
    found = await asyncio.to_thread(lambda: extractive_answer(question, sources, None, aliases=aliases))
    if not found.covered:
        text, model, covered = await asyncio.to_thread(lambda: not_covered_text(searched())), "extractive", False
        cited: list[int] = []
    elif models.summarizer is not None:
        # A capable model summarizes the retrieved passages, citing them; it only runs when a sentence answers.
        prompt = load_prompt("docs_summary").format(question=question, passages=_passages(sources))
        reply = await models.summarizer.ainvoke([HumanMessage(prompt)])
        text, model, covered = str(reply.content).strip(), models.summarizer_label, True
        cited = sorted({int(n) - 1 for n in re.findall(r"\[(\d+)\]", text) if 0 < int(n) <= len(sources)})
    else:
        text, model, covered = found.text, "extractive", True
        cited = sorted({s.source for s in found.sentences})
    # The passages shown and kept with the answer: the first SHOWN_PASSAGES, or up to the last one cited (a prefix,
    # so the [n] citations keep their numbers); the deeper chunks were only read to find the answer.
    sources = sources[:max(SHOWN_PASSAGES, max(cited, default=-1) + 1)]
    tool: ToolOutput = {"tool": "docs", "sources": sources, "answer_text": text, "model": model, "covered": covered,
                        "cited": cited}
    return {"tool": tool, "latency_ms": {**state.get("latency_ms", {}), "tool": _ms(t0)}}


def _kb_sources(hits: list[Any]) -> list[Source]:
    return [{"document_id": h.passage.id, "title": h.passage.question, "chunk": 0, "score": h.score,
             "text": h.passage.answer, "origin": h.passage.source} for h in hits]


def grounded_industry_text(chosen: list[Any]) -> str:
    """The embedded default's industry answer: the retrieved passages' own words, each cited; nothing else."""
    first = chosen[0]
    lead = "From the industry knowledge base"
    if first.similarity < 0.75 and first.lexical < 0.75:
        lead = "The closest passage in the industry knowledge base"
    quoted = "\n>\n".join(f"> {h.passage.answer} [{i + 1}]" for i, h in enumerate(chosen))
    return f"{lead}:\n\n{quoted}"


async def industry_node(state: TurnState, config: RunnableConfig) -> dict[str, Any]:
    from tools import industry_kb
    from tools.industry import from_aggregates

    t0 = time.perf_counter()
    principal, models = _ctx(config)
    writer = get_stream_writer()
    question = state["question"]
    writer({"type": "tool_call", "tool": "industry", "input": {"question": question}})
    facts = await asyncio.to_thread(from_aggregates, question)
    tool: ToolOutput
    if facts is not None:
        tool = {"tool": "industry", "source": "aggregates", "answer_text": facts.answer_text, "facts": facts.facts,
                "model": facts.model, "covered": True}
    else:
        found = await asyncio.to_thread(industry_kb.retrieve, question)
        chosen = industry_kb.answer_passages(found)
        if not chosen:
            best = found.best
            closest = (f" The closest passage was about: \u201c{best.passage.question}\u201d" if best and
                       best.score >= industry_kb.MIN_SCORE - 0.12 else "")
            tool = {"tool": "industry", "source": "none", "model": "industry_knowledge", "covered": False,
                    "sources": [], "answer_text": INDUSTRY_NOT_COVERED.format(searched=found.searched,
                                                                              closest=closest)}
        elif models.tool_calling:
            context = [h for h in found.hits if h.score >= industry_kb.MIN_SCORE * 0.85] or chosen
            tool = await _industry_from_model(principal, models, question, _kb_sources(context), writer)
        else:
            tool = {"tool": "industry", "source": "knowledge", "model": "industry_knowledge", "covered": True,
                    "sources": _kb_sources(chosen), "answer_text": grounded_industry_text(chosen)}
    result: ToolResultEvent = {"type": "tool_result", "tool": "industry", "source": tool["source"],
                               "model": tool["model"], "sources": _public_sources(tool.get("sources", []))}
    writer(result)
    return {"tool": tool, "latency_ms": {**state.get("latency_ms", {}), "tool": _ms(t0)}}


async def _industry_from_model(principal: Principal, models: AgentModels, question: str, sources: list[Source],
                               writer: Any) -> ToolOutput:
    """A capable (served) model answers with the retrieved passages as its only context, streamed and redacted."""
    chat, label, _ = models.industry(principal)
    stream = RedactingStream(tenant=principal.tenant_slug, allow=models.allow)
    prompt = load_prompt("industry_grounded").format(question=question, passages=_passages(sources))
    parts: list[str] = []
    error = None
    try:
        async for chunk in chat.astream([SystemMessage(load_prompt("industry_system")), HumanMessage(prompt)]):
            piece = str(chunk.content)
            parts.append(piece)
            safe = stream.feed(piece)
            if safe:
                writer({"type": "token", "text": safe})
        text = "".join(parts).strip() or "(the model returned no text)"
    except Exception as exc:  # noqa: BLE001 - the endpoint may fail in many ways; report it, don't crash
        text, error = "The industry model is unavailable right now.", f"{type(exc).__name__}: {exc}"
    rest = stream.flush()
    if rest:
        writer({"type": "token", "text": rest})
    return {"tool": "industry", "source": "knowledge", "answer_text": text, "model": label, "streamed": True,
            "error": error, "sources": sources, "covered": error is None}


async def clarify_node(state: TurnState, config: RunnableConfig) -> dict[str, Any]:
    options = [BY_NAME[r].offer for r in (*state.get("candidates", []), *TOOL_ROUTES)
               if r in BY_NAME and BY_NAME[r].is_tool]
    unique = list(dict.fromkeys(options))[:3]
    text = CLARIFY.format(options=", ".join(unique[:-1]) + f" or {unique[-1]}")
    return {"tool": {"tool": "clarify", "answer_text": text, "model": "none"}}


async def smalltalk_node(state: TurnState, config: RunnableConfig) -> dict[str, Any]:
    return {"tool": {"tool": "smalltalk", "answer_text": SMALLTALK, "model": "none"}}


def compose_answer(tool: ToolOutput | dict[str, Any]) -> str:
    """The user-facing Markdown: numbers only from result rows, quotes only from sources, SQL shown, sources cited."""
    kind = tool.get("tool")
    text = tool.get("answer_text") or ""
    if kind == "sql":
        # The SQL tool's text already holds the sentence, the table and the SQL it ran (tools/sql_tool.py).
        if text:
            return text
        return tool.get("error") or "\n\n".join(p for p in (tool.get("table"), tool.get("sql")) if p)
    sources = tool.get("sources") or []
    if kind == "docs" and sources and tool.get("covered", True):
        cited = tool.get("cited") or list(range(min(3, len(sources))))
        lines = "\n".join(f"[{i + 1}] {sources[i]['title']} (part {sources[i]['chunk'] + 1})" for i in cited)
        return f"{text}\n\nSources:\n{lines}"
    if kind == "industry" and sources and tool.get("covered"):
        lines = "\n".join(f"[{i + 1}] {s['title']} ({s.get('origin') or 'industry knowledge base'})"
                          for i, s in enumerate(sources))
        return f"{text}\n\nSources:\n{lines}"
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
    tool = dict(state.get("tool", {}))
    allow = tuple(models.allow)
    if tool.get("tool") == "industry":
        # The cited references of reviewed industry passages (books, standards, their authors) are public, not PII.
        refs = [part.strip() for s in tool.get("sources", []) for part in re.split(r"[;,()]", s.get("origin") or "")]
        allow += tuple(r for r in refs if len(r) > 3)
    result = await asyncio.to_thread(guard_text, state.get("answer", ""), tenant=principal.tenant_slug,
                                     tenant_allow=allow)
    types = set(result.types)

    def clean(value: Any) -> Any:
        if isinstance(value, str) and value:
            red = redact(value, tenant=principal.tenant_slug, allow=allow)
            types.update(e.type for e in red.entities)
            return red.text
        return value

    if tool.get("rows"):
        tool["rows"] = [[clean(v) for v in row] for row in tool["rows"]]
    if tool.get("sources"):
        tool["sources"] = [{**s, "text": clean(s.get("text"))} for s in tool["sources"]]
    route = state.get("route")
    turn = {"question": clean(state["question"]), "route": route, "answer": result.text}
    # The raw document hits of routing are dropped from the stored state (the cited sources were redacted above).
    return {"answer": result.text, "tool": tool, "guard_types": sorted(types), "turns": [turn], "doc_hits": [],
            "last_route": route if route in TOOL_ROUTES else state.get("last_route"),
            "latency_ms": {**state.get("latency_ms", {}), "guard": _ms(t0)}}


def build_graph() -> StateGraph:
    """The turn graph: one node per route of ROUTE_TABLE between `route` and `compose`."""
    nodes = {"sql": sql_node, "docs": docs_node, "industry": industry_node, "clarify": clarify_node,
             "smalltalk": smalltalk_node}
    g = StateGraph(TurnState)
    g.add_node("route", route_node)
    for r in ROUTE_TABLE:
        g.add_node(r.node, nodes[r.node])
    g.add_node("compose", compose_node)
    g.add_node("guard", guard_node)
    g.add_edge(START, "route")
    g.add_conditional_edges("route", lambda s: BY_NAME[s["route"]].node, {r.node: r.node for r in ROUTE_TABLE})
    for r in ROUTE_TABLE:
        if r.node == "sql":  # a refused, non-numbers question falls back to the documents (_docs_instead)
            g.add_conditional_edges("sql", lambda s: "docs" if s.get("route") == "docs" else "compose",
                                    {"docs": "docs", "compose": "compose"})
        else:
            g.add_edge(r.node, "compose")
    g.add_edge("compose", "guard")
    g.add_edge("guard", END)
    return g
