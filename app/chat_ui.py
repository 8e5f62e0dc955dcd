"""The Chainlit chat app: sign-in callback, starters per route, and the chat turn (streamed answer, tool step, guard).

Each turn takes its Principal from the verified session (never from the message), passes the rate limit and input
checks, and streams the agent's tokens (already redacted by the agent); the tool step shows the route with the SQL
and result table, the cited passages, or the model/adapter, all taken from the guarded final event; at the end the
streamed text is replaced by the guarded final answer, which is stored with its route, model and latency. A failing
turn shows a generic message with a correlation id (details in the log), never the exception text.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import chainlit as cl
from chainlit.oauth_providers import get_configured_oauth_providers

import agents
from agents import routes
from app import errors, turns
from app.chat_data import SightlineDataLayer, current_principal
from app.identity import LOGIN_OUTCOME, LoginRefused, SessionInvalid, login, session_metadata
from app.metrics import INPUT_REJECTED, LOGIN_REFUSED, RATE_LIMITED, TURN_SECONDS, TURNS
from db import chat_store
from db.ratelimit import RateLimited
from safety.input_checks import InputRejected

log = logging.getLogger(__name__)

STARTERS = (
    ("Our data", "How many frames did we sell in March 2025?", "sql"),
    ("Our data", "Which store had the highest revenue last month?", "sql"),
    ("Our documents", "What is our remake policy for progressive lenses?", "docs"),
    ("Our documents", "How long is the contact lens trial?", "docs"),
    ("Industry", "What is the industry average selling price of sunglasses?", "industry"),
    ("Industry", "What is a typical remake rate for progressive lenses?", "industry"),
)


@cl.data_layer
def data_layer() -> SightlineDataLayer:
    return SightlineDataLayer()


async def oauth_callback(provider_id: str, token: str, raw_user_data: dict[str, Any], default_user: cl.User,
                         id_token: str | None = None) -> cl.User | None:
    """Map any provider's verified user to a Sightline user (tenant + role), or refuse the sign-in visibly."""
    try:
        principal = await asyncio.to_thread(login, raw_user_data, default_user.identifier, None, provider_id)
    except LoginRefused as exc:
        LOGIN_REFUSED.labels(exc.code).inc()
        log.warning("sign-in refused (%s via %s): %s", exc.code, provider_id, exc)
        outcome = LOGIN_OUTCOME.get()
        if outcome is not None:
            outcome["code"] = exc.code
        return None
    name = raw_user_data.get("name") or default_user.display_name or principal.email
    return cl.User(identifier=principal.email, display_name=str(name),
                   metadata=session_metadata(principal, provider_id))


if get_configured_oauth_providers():
    cl.oauth_callback(oauth_callback)


@cl.set_starters
async def starters(user: cl.User | None = None, language: str | None = None) -> list[cl.Starter]:
    return [cl.Starter(label=f"{group}: {question}", message=question) for group, question, _ in STARTERS]


@cl.on_chat_resume
async def on_chat_resume(thread: dict[str, Any]) -> None:
    """History is shown by Chainlit; the agent's memory continues under the same thread id."""


async def _say(text: str) -> None:
    await cl.Message(content=text, author="Sightline").send()


@cl.on_message
async def on_message(message: cl.Message) -> None:
    """One turn; a failure shows a generic message with a correlation id (Chainlit would show the exception text)."""
    try:
        await _turn(message)
    except Exception as exc:  # noqa: BLE001 - details go to the log, never to the chat
        cid = errors.report("chat turn (UI)", exc)
        await _say(errors.client_message(cid))


async def _turn(message: cl.Message) -> None:
    try:
        principal = await current_principal()
    except SessionInvalid as exc:
        await _say(f"Your session is no longer valid ({exc}).")
        return
    try:
        await turns.admit(principal, message.content)
    except RateLimited as exc:
        RATE_LIMITED.labels("ui").inc()
        await _say(f"You are sending messages too quickly. Please try again in {exc.retry_after_seconds} s.")
        return
    except InputRejected as exc:
        INPUT_REJECTED.labels("ui").inc()
        await _say(str(exc))
        return

    t0 = time.perf_counter()
    thread_id = cl.context.session.thread_id
    try:  # before the agent loads this thread's memory
        await asyncio.to_thread(turns.open_thread, principal, thread_id)
    except (chat_store.NotYours, ValueError):
        await _say("This conversation cannot be continued here. Start a new chat.")
        return
    answer = cl.Message(content="", author="Sightline")
    step: cl.Step | None = None
    route_event: dict[str, Any] | None = None
    final: dict[str, Any] = {}
    async for event in agents.answer(principal, message.content, thread_id=thread_id):
        kind = event.get("type")
        if kind == "route":
            route_event = event
        elif kind == "tool_call":
            step = cl.Step(name=routes.label(event.get("tool")), type="tool",
                           show_input="json", default_open=False, parent_id=answer.parent_id)
            step.input = json.dumps(event.get("input") or {}, ensure_ascii=False)
            await step.send()
        elif kind == "token":
            await answer.stream_token(event.get("text") or "")
        elif kind == "final":
            final = event
    final = await asyncio.to_thread(turns.guarded_final, principal, final)  # error, SQL, columns, titles

    if step is not None:
        step.output = turns.step_markdown(final, route_event)
        if final.get("chart"):  # SQL answers: the chart (Plotly ships plotly.js, so it renders offline)
            step.elements = [_chart_element(final["chart"])]
        await step.update()
    answer.content = final.get("answer") or ""  # the guarded answer replaces whatever was streamed
    answer.metadata = turns.answer_metadata(final)
    await answer.send()
    # Chainlit persists in the background; this awaited write makes a storage error visible in the chat.
    await data_layer_instance().update_step(answer.to_dict())
    route = str(final.get("route"))
    TURNS.labels("ui", route).inc()
    TURN_SECONDS.labels(route).observe(time.perf_counter() - t0)


def _chart_element(figure_json: dict[str, Any]) -> cl.Plotly:
    import plotly.io

    return cl.Plotly(name="chart", figure=plotly.io.from_json(json.dumps(figure_json)), display="inline",
                     size="large")


def data_layer_instance() -> SightlineDataLayer:
    from chainlit.data import get_data_layer

    layer = get_data_layer()
    assert isinstance(layer, SightlineDataLayer)
    return layer
