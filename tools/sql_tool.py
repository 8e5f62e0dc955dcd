"""The SQL tool: a question (plus the previous turn's spec) -> a typed query spec -> one guarded SELECT -> an answer.

The semantic layer lives in tools/sql/ (spec, parse, compile, sentences, run). One turn:

1. The tenant's catalog is read under its RLS session (tools/catalog.py `load_catalog`).
2. The question becomes a `QuerySpec`: by the deterministic parser (tools/sql/parse.py, the embedded default), or,
   with a capable chat model (`chat_model=`, tool calling / structured output), by the model filling the same spec
   from its JSON schema (`llm_spec`). Model-written raw SQL (`llm_sql`) is the last resort, only when no spec can be
   had, and it goes through the same guard.
3. The spec is compiled to one SELECT with bound parameters (tools/sql/compile.py), checked by tools/sql_guard.py,
   and run as the SELECT-only reader role in the tenant's read-only session with a statement timeout, a row cap and a
   result-size cap (tools/sql/run.py).
4. The answer is an interpretation line, a sentence and a table generated from the spec and the rows
   (tools/sql/sentences.py), the notes, and the SQL that ran.

A question that names something not in the tenant's catalog, or whose measure cannot be told, gets a refusal that
says what was understood and what can be asked; no query runs and no other question's numbers are given. Every
failure comes back as an `SQLResult` with `error` set and a plain message, never an exception.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from config import get_settings
from db.principal import Principal
from tools.catalog import Catalog, load_catalog
from tools.dates import DateRangeError, Period, parse_periods
from tools.sql.chart import chart_for
from tools.sql.compile import compile_spec
from tools.sql.money import tenant_currency
from tools.sql.parse import currency_refusal, parse_question
from tools.sql.regions import catalog_regions
from tools.sql.run import QueryFailed, db_message, execute
from tools.sql.sentences import interpretation, sentence, table, unresolved_message
from tools.sql.spec import MEASURES, Filters, QuerySpec, SpecError, check_spec, spec_json_schema
from tools.sql_guard import DEFAULT_MAX_ROWS, SQLRejected, validate_sql
from tools.sql_schema import describe_schema

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

__all__ = ["LLMSQLError", "SQLResult", "llm_spec", "llm_sql", "load_catalog", "run_spec", "run_sql_tool"]

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
LLM_ATTEMPTS = 2  # a rejected or failing query is handed back to the model once, with the reason


@dataclass
class SQLResult:
    """What one SQL-tool turn produced. `error` is a user-facing message when nothing (useful) could be run.

    `sql` is the exact text that ran (binds shown as ``:name``, their values in `params`); `spec` the query spec it
    answered; `slots` the JSON-safe context for a follow-up turn (pass it back as ``context=``).
    """

    template_id: str | None = None  # a short name of the spec's shape ("revenue by store, ranked"), for logs
    sql: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    answer_text: str = ""
    table_markdown: str = ""
    error: str | None = None
    slots: dict[str, Any] | None = None
    summary: str = ""
    source: str = "none"  # spec | llm_spec | llm | none
    executed: bool = False
    truncated: bool = False
    notes: list[str] = field(default_factory=list)
    elapsed_ms: float = 0.0
    spec: QuerySpec | None = None
    interpretation: str = ""
    refused: bool = False  # the tool declined (unknown name, unclear question); nothing ran
    unknown_names: bool = False  # ... because the question names things that are not in the tenant's data
    chart: dict[str, Any] | None = None  # a Plotly figure (JSON) for time series and larger breakdowns

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def model(self) -> str:
        """What produced the query: the semantic layer's parser, a model-filled spec, or model-written SQL."""
        return {"spec": "sql-semantic-layer", "llm_spec": "llm-spec", "llm": "llm-sql"}.get(self.source, "none")

    def context(self) -> dict[str, Any] | None:
        return self.slots


def _failure(message: str, *, sql: str | None = None, params: dict[str, Any] | None = None, source: str = "none",
             executed: bool = False, refused: bool = False, spec: QuerySpec | None = None) -> SQLResult:
    text = message
    if sql:
        text += "\n\n" + _sql_block(sql, params or {})
    return SQLResult(sql=sql, params=params or {}, error=message, answer_text=text, summary=message, source=source,
                     executed=executed, refused=refused, spec=spec)


class LLMSQLError(Exception):
    """The language model produced no usable SQL or spec (no answer, nothing usable in it, or the call failed)."""


def _param_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_param_text(v) for v in value) + "]"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return repr(value) if isinstance(value, str) else str(value)


def _sql_block(sql: str, params: Mapping[str, Any]) -> str:
    text = f"SQL that ran:\n```sql\n{sql}\n```"
    if params:
        text += "\nParameters: " + ", ".join(f"`{k}` = {_param_text(v)}" for k, v in params.items())
    return text


def _compose(parts: Sequence[str], notes: Sequence[str], sql: str, params: Mapping[str, Any]) -> str:
    out = [p for p in parts if p]
    if notes:
        out.append("\n".join(f"Note: {n}" for n in notes))
    out.append(_sql_block(sql, params))
    return "\n\n".join(out)


def shape_name(spec: QuerySpec) -> str:
    """A short, stable description of a spec's shape (logs, audit, tool events)."""
    parts = [spec.measure]
    if spec.dimensions:
        parts.append("by_" + "_".join(spec.dimensions))
    if spec.ranking is not None:
        parts.append("top" if spec.ranking.direction == "desc" else "bottom")
    if spec.comparison is not None:
        parts.append(spec.comparison.kind)
    if spec.share_of_total:
        parts.append("share")
    return "spec:" + "/".join(parts)


def _coverage_note(spec: QuerySpec, catalog: Catalog) -> str | None:
    if spec.family != "sales" or catalog.sales_from is None or catalog.sales_to is None:
        return None
    ranges = [r for r in (spec.time_range, spec.comparison.time_range if spec.comparison else None) if r is not None]
    if any(r.start < catalog.sales_from or r.end > catalog.sales_to + (date.resolution) for r in ranges):
        return (f"sales data covers {catalog.sales_from.isoformat()} to {catalog.sales_to.isoformat()}; "
                "days outside that range count as zero.")
    return None


def run_spec(principal: Principal, spec: QuerySpec, catalog: Catalog, *, timeout_ms: int,
             max_rows: int = DEFAULT_MAX_ROWS, notes: Sequence[str] = (), source: str = "spec",
             t0: float | None = None) -> SQLResult:
    """Compile, check and run one spec for `principal`; the answer text is generated from the spec and rows."""
    t0 = t0 if t0 is not None else time.perf_counter()
    try:
        compiled = compile_spec(spec, max_rows=max_rows)
    except SpecError as error:
        return _failure(f"I cannot answer that as asked: {error}.", refused=True, spec=spec, source=source)
    except SQLRejected as rejected:  # pragma: no cover - the compiler's SQL always passes the guard
        log.error("compiled spec rejected by the guard: %s", rejected.reason)
        return _failure(f"The query was not run: {rejected.reason}.", spec=spec, source=source)
    shown = compiled.display_sql
    try:
        columns, rows, truncated = execute(principal, compiled.sql, compiled.params, timeout_ms=timeout_ms,
                                           max_rows=max_rows)
    except QueryFailed as failed:
        return _failure(failed.message, sql=shown, params=compiled.params, executed=True, spec=spec, source=source)
    all_notes = list(notes)
    coverage = _coverage_note(spec, catalog)
    if coverage:
        all_notes.append(coverage)
    if truncated:
        all_notes.append(f"the result reached the row cap ({max_rows}); more rows exist.")
    line = interpretation(spec, catalog)
    summary = sentence(spec, columns, rows, catalog, truncated=truncated)
    currency = tenant_currency(catalog)
    tbl = table(spec, columns, rows, currency=currency) if (len(rows) > 1 or len(columns) > 2) else ""
    try:
        chart = chart_for(spec, columns, rows, currency=currency)
    except Exception:  # noqa: BLE001 - a chart is an extra: the answer stands without it
        log.exception("chart failed for %s", shape_name(spec))
        chart = None
    return SQLResult(template_id=shape_name(spec), sql=shown, params=compiled.params, columns=columns, rows=rows,
                     chart=chart,
                     answer_text=_compose([summary, line, tbl], all_notes, shown, compiled.params),
                     table_markdown=tbl, slots={"spec": spec.to_context()}, summary=summary, source=source,
                     executed=True, truncated=truncated, notes=all_notes,
                     elapsed_ms=(time.perf_counter() - t0) * 1000, spec=spec, interpretation=line)


# ---------------------------------------------------------------------------------------------------------------
# The model paths: a spec by structured output first, raw SQL through the guard as the last resort
# ---------------------------------------------------------------------------------------------------------------

RUN_SQL_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "run_sql",
        "description": "Run one read-only PostgreSQL SELECT query over the company's tables and return the rows.",
        "parameters": {
            "type": "object",
            "properties": {"sql": {"type": "string", "description": "one SELECT statement"}},
            "required": ["sql"],
        },
    },
}
_FENCE = re.compile(r"```(?:sql|postgresql|postgres)?\s*\n?(.*?)```", re.DOTALL | re.IGNORECASE)
_EXAMPLES: tuple[tuple[str, str], ...] = (
    ("How many frames did we sell in March 2026?",
     "SELECT SUM(s.quantity) AS units FROM sales AS s JOIN products AS p ON p.sku = s.sku "
     "WHERE p.category = 'frames' AND s.sold_at >= DATE '2026-03-01' AND s.sold_at < DATE '2026-04-01'"),
    ("Which store had the highest revenue last year?",
     "SELECT st.store_code, st.name AS store, SUM(s.quantity * s.unit_price - s.discount) AS revenue FROM sales AS s "
     "JOIN stores AS st ON st.store_code = s.store_code WHERE s.sold_at >= DATE '2025-01-01' "
     "AND s.sold_at < DATE '2026-01-01' GROUP BY st.store_code, st.name ORDER BY revenue DESC LIMIT 1"),
    ("Which items are below their reorder point?",
     "SELECT st.name AS store, p.name AS product, k.on_hand, k.reorder_point FROM stock AS k JOIN products AS p "
     "ON p.sku = k.sku JOIN stores AS st ON st.store_code = k.store_code WHERE k.on_hand < k.reorder_point "
     "ORDER BY st.name, p.name"),
)


def _render_prompt(name: str, values: Mapping[str, str]) -> str:
    from prompts import load

    text = load(name)
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def _sql_from_reply(reply: Any) -> str | None:
    for call in getattr(reply, "tool_calls", None) or []:
        if call.get("name") == "run_sql":
            sql = (call.get("args") or {}).get("sql")
            if isinstance(sql, str) and sql.strip():
                return sql.strip()
    content = getattr(reply, "content", reply)
    if isinstance(content, list):
        content = "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    text = str(content or "").strip()
    fenced = _FENCE.search(text)
    if fenced:
        return fenced.group(1).strip() or None
    if re.match(r"(?is)^\s*(select|with|\()", text):
        return text
    return None


def llm_spec(question: str, chat_model: BaseChatModel, *, catalog: Catalog | None = None, today: date | None = None,
             previous: QuerySpec | None = None) -> QuerySpec:
    """Ask the chat model to fill a `QuerySpec` through structured output (JSON schema generated from the type).

    Raises LLMSQLError when the model cannot do structured output, fails, or returns something that is not a valid
    spec. Catalog values in the spec are checked by the caller against the tenant's catalog.
    """
    from langchain_core.messages import HumanMessage, SystemMessage

    today = today or date.today()
    try:
        runnable = chat_model.with_structured_output(spec_json_schema(), method="json_schema")
    except (NotImplementedError, TypeError, ValueError) as error:
        raise LLMSQLError(f"the model has no structured output ({type(error).__name__})") from None
    system = (
        "Fill the query spec for the user's question about their company's optical retail data. Use only values "
        "from this catalog; dates are ISO; time ranges are half-open (end = the day after the last day). Today is "
        f"{today.isoformat()}.\n\n{describe_schema(catalog)}"
    )
    user = question
    if previous is not None:
        user += "\n\nThe previous question's spec (a follow-up changes only what it names): " + json.dumps(
            previous.to_context())
    try:
        reply = runnable.invoke([SystemMessage(system), HumanMessage(user)])
    except Exception as error:  # noqa: BLE001 - a model failure is a message, not a crash
        raise LLMSQLError(f"the language model call failed ({type(error).__name__})") from None
    try:
        spec = QuerySpec.model_validate(reply if isinstance(reply, dict) else getattr(reply, "model_dump", dict)())
        check_spec(spec)
    except (ValueError, SpecError) as error:
        raise LLMSQLError(f"the model's spec is not valid ({str(error).splitlines()[0][:160]})") from None
    return spec


def llm_sql(question: str, chat_model: BaseChatModel, examples: Sequence[tuple[str, str]] = _EXAMPLES, *,
            catalog: Catalog | None = None, today: date | None = None, periods: Sequence[Period] = (),
            feedback: str | None = None, max_rows: int = DEFAULT_MAX_ROWS) -> str:
    """Ask the chat model for one SELECT answering `question`; returns its SQL text (not yet checked or run).

    The last resort, used only when no spec could be had. The system prompt (prompts/sql_writer.md) carries the
    schema description and a few (question, SQL) examples; resolved time ranges and, on a retry, the guard's or the
    database's complaint go with the question. Raises LLMSQLError when there is no usable answer.
    """
    from langchain_core.messages import HumanMessage, SystemMessage

    today = today or date.today()
    shots = "\n\n".join(f"Question: {q}\nSQL: {sql}" for q, sql in examples) or "(none)"
    system = _render_prompt("sql_writer", {"schema": describe_schema(catalog), "examples": shots,
                                           "today": today.isoformat(), "max_rows": str(max_rows)})
    user = f"Question: {question}"
    if periods:
        user += "\nTime ranges in the question: " + "; ".join(
            f'"{p.text}" = {p.start.isoformat()} to {p.last_day.isoformat()} inclusive' for p in periods)
    if feedback:
        user += f"\nYour previous query was not accepted: {feedback}\nWrite a corrected query."
    messages = [SystemMessage(system), HumanMessage(user)]
    try:
        try:
            runnable: Any = chat_model.bind_tools([RUN_SQL_TOOL], tool_choice="run_sql")
        except NotImplementedError:
            runnable = chat_model
        reply = runnable.invoke(messages)
    except Exception as error:  # noqa: BLE001 - a model failure is a message, not a crash
        raise LLMSQLError(f"the language model call failed ({type(error).__name__})") from None
    sql = _sql_from_reply(reply)
    if not sql:
        raise LLMSQLError("the language model did not return a SQL query")
    return sql


def _generic_summary(columns: Sequence[str], rows: Sequence[Sequence[Any]], truncated: bool) -> str:
    if not rows:
        return "The query returned no rows."
    if len(rows) == 1 and len(columns) <= 4:
        def show(v: Any) -> str:
            return f"{v:,.2f}" if isinstance(v, Decimal) else v.isoformat() if isinstance(v, date) else str(v)
        return "Result: " + ", ".join(f"{c.replace('_', ' ')} = {show(v)}"
                                      for c, v in zip(columns, rows[0], strict=True)) + "."
    more = " (the row cap was reached; there may be more)" if truncated else ""
    return f"The query returned {len(rows)} rows{more}."


def _run_llm_sql(principal: Principal, question: str, chat_model: BaseChatModel, catalog: Catalog, *, today: date,
                 timeout_ms: int, max_rows: int, attempts: int, t0: float) -> SQLResult:
    try:
        periods = parse_periods(question, today)
    except DateRangeError:
        periods = []
    feedback: str | None = None
    last_sql: str | None = None
    for attempt in range(1, max(1, attempts) + 1):
        try:
            raw = llm_sql(question, chat_model, catalog=catalog, today=today, periods=periods, feedback=feedback,
                          max_rows=max_rows)
        except LLMSQLError as error:
            if feedback is not None:
                break
            return _failure(f"I could not get a query for that question: {error}.", source="llm")
        try:
            checked = validate_sql(raw, max_rows=max_rows)
        except SQLRejected as rejected:
            feedback = f"the SQL guard rejected it: {rejected.reason}"
            last_sql = None
            log.info("LLM SQL rejected (attempt %d): %s", attempt, rejected.reason)
            continue
        runnable = checked.sql.replace(":", "\\:")
        try:
            columns, rows, truncated = execute(principal, runnable, {}, timeout_ms=timeout_ms, max_rows=max_rows)
        except QueryFailed as failed:
            last_sql = checked.sql
            if "statement timeout" in failed.message or "too large" in failed.message:
                return _failure(failed.message, sql=checked.sql, source="llm", executed=True)
            feedback = failed.message
            continue
        summary = _generic_summary(columns, rows, truncated)
        notes = ["this query was written by the language model (checked by the SQL guard, run read-only)."]
        tbl = table(None, columns, rows)
        return SQLResult(sql=checked.sql, columns=columns, rows=rows,
                         answer_text=_compose([summary, tbl], notes, checked.sql, {}), table_markdown=tbl,
                         summary=summary, source="llm", executed=True, truncated=truncated, notes=notes,
                         elapsed_ms=(time.perf_counter() - t0) * 1000)
    message = f"The generated SQL was not run: {feedback}" if feedback else "The generated SQL was not run."
    return _failure(message, sql=last_sql, source="llm", executed=last_sql is not None)


def _with_stored_places(spec: QuerySpec, catalog: Catalog) -> QuerySpec:
    """A model's spec with place names as the tenant stores them: "Ontario" -> "ON", "new south wales" -> "NSW",
    "toronto" -> "Toronto", as the parser reads them (tools/sql/regions.py). A name that fits no stored value, or
    several, is kept as written, so the catalog check refuses it."""
    regions = catalog_regions(catalog)
    cities = {c.casefold(): c for c in catalog.cities}
    brands = {b.casefold(): b for b in catalog.brands}

    def fix(filters: Filters) -> Filters:
        state = tuple(v if v in catalog.states else (regions.resolve(v) or v) for v in filters.state)
        city = tuple(cities.get(v.casefold(), v) for v in filters.city)
        brand = tuple(brands.get(v.casefold(), v) for v in filters.brand)
        return filters.model_copy(update={"state": tuple(dict.fromkeys(state)), "city": tuple(dict.fromkeys(city)),
                                          "brand": tuple(dict.fromkeys(brand))})

    fixed = spec.model_copy(update={"filters": fix(spec.filters), "part": fix(spec.part),
                                    "exclude": fix(spec.exclude)})
    return QuerySpec.model_validate(fixed.model_dump())


def _spec_in_catalog(spec: QuerySpec, catalog: Catalog) -> list[str]:
    """Filter values that are not the tenant's own (a forged context, a model's invention)."""
    known = {"store": {s.code for s in catalog.stores}, "product": {p.sku for p in catalog.products},
             "brand": set(catalog.brands), "city": set(catalog.cities), "state": set(catalog.states),
             "category": {"frames", "lenses", "contact_lenses", "sunglasses", "accessories", "services"},
             "lens_type": {"single_vision", "bifocal", "progressive", "occupational", "reading", "contact_lenses"},
             "age_band": set(catalog.age_bands) | {f"{d}-{d + 9}" for d in range(0, 90, 10)} | {"90+"},
             "weekday": {str(i) for i in range(1, 8)}}
    bad = []
    for filters in (spec.filters, spec.part, spec.exclude):
        for name, values in filters.items():
            if name in known:
                bad += [v for v in values if v not in known[name]]
    return bad


# ---------------------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------------------


def _previous_spec(context: Any) -> QuerySpec | None:
    data = context.slots if isinstance(context, SQLResult) else context
    return QuerySpec.from_context(data) if data is not None else None


def run_sql_tool(principal: Principal, question: str, *, context: SQLResult | Mapping[str, Any] | None = None,
                 today: date | None = None, chat_model: BaseChatModel | None = None, prefer_llm: bool = False,
                 statement_timeout_ms: int | None = None, max_rows: int = DEFAULT_MAX_ROWS,
                 llm_attempts: int = LLM_ATTEMPTS) -> SQLResult:
    """Answer one data question for `principal` (the only source of tenant scope). Never raises for user input.

    `context` is the previous turn's `SQLResult` (or its `.slots`): a follow-up such as "and in April?" starts from
    the previous spec and replaces only what it names. `today` is the reference day for relative dates.
    `chat_model`: a capable chat model; it fills the spec when the parser cannot (or always, with ``prefer_llm``),
    and writes raw SQL through the guard only when it cannot fill a spec either.
    """
    t0 = time.perf_counter()
    today = today or date.today()
    timeout = statement_timeout_ms or get_settings().statement_timeout_ms
    question = (question or "").strip()
    if not question:
        return _failure("Please ask a question about your sales, stock or patients.", refused=True)
    if len(question) > MAX_QUESTION_CHARS:
        return _failure(f"The question is too long ({len(question)} characters, at most {MAX_QUESTION_CHARS}).",
                        refused=True)
    try:
        catalog = load_catalog(principal)
    except sa.exc.SQLAlchemyError as error:
        return _failure(db_message(error, timeout))
    previous = _previous_spec(context) if context is not None else None
    if previous is not None and _spec_in_catalog(previous, catalog):
        bad = ", ".join(_spec_in_catalog(previous, catalog))
        return _failure(f'The previous question\'s filters name something that is not in your data ("{bad}"), so '
                        "I cannot continue from it. I did not run a query.", refused=True)
    currency = currency_refusal(question, catalog)
    if currency is not None:  # amounts asked in another currency: refused on every path (nothing is converted)
        return _failure(currency, refused=True)
    try:
        parsed = parse_question(question, catalog, today, previous)
    except DateRangeError as error:
        return _failure(f"I could not read the time range: {error}.", refused=True)
    if parsed.unresolved:
        return replace(_failure(unresolved_message(parsed.unresolved, catalog), refused=True), unknown_names=True)

    if chat_model is not None and (prefer_llm or parsed.spec is None):
        try:
            spec = llm_spec(question, chat_model, catalog=catalog, today=today, previous=previous)
        except LLMSQLError as error:
            log.info("model spec not available: %s", error)
        else:
            spec = _with_stored_places(spec, catalog)
            bad = _spec_in_catalog(spec, catalog)
            if bad:
                return _failure(f"The model's reading names things that are not in your data ({', '.join(bad)}). "
                                "I did not run a query.", refused=True, spec=spec, source="llm_spec")
            return run_spec(principal, spec, catalog, timeout_ms=timeout, max_rows=max_rows,
                            notes=["the query spec was filled by the language model."], source="llm_spec", t0=t0)
        return _run_llm_sql(principal, question, chat_model, catalog, today=today, timeout_ms=timeout,
                            max_rows=max_rows, attempts=llm_attempts, t0=t0)
    if parsed.spec is None:
        return _failure(parsed.refusal or "I could not understand that question.", refused=True)
    notes = list(parsed.notes)
    if parsed.corrected:
        notes.insert(0, f'read the question as "{parsed.corrected}" (spelling corrected).')
    return run_spec(principal, parsed.spec, catalog, timeout_ms=timeout, max_rows=max_rows, notes=notes, t0=t0)


def measure_names() -> list[str]:
    """The measures the SQL tool can answer (for help texts)."""
    return list(MEASURES)
