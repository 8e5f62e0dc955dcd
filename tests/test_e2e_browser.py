"""End to end in real headless Chromium: the real app (uvicorn subprocess on this session's embedded database) with the
dev identity provider, the widget example's host page, and a hostile page, each on its own free localhost port.

Covers: the full OAuth redirect sign-in; sql, docs and industry answers with their tool steps; thumbs-up with a
comment stored in PostgreSQL with the answer's route/model/latency; history after a reload; a second tenant seeing
none of the first tenant's threads or numbers; a user without a tenant refused with a visible reason; the Copilot
widget answering on a customer page; the rate limit and the input checks answering in the chat; a hostile Origin
refused for the API and the websocket even with the victim's cookies. Screenshots of every open page go to
test-artifacts/ when a test fails (a few are saved on success too).
"""

from __future__ import annotations

import http.server
import re
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from app.dev_idp import UNMAPPED_USER
from db import api_keys, registry
from db.engine import admin_engine
from db.origins import add_origin
from db.session import tenant_session
from tests.browser_stack import ARTIFACTS, Chat, Stack, app_stack, chromium, screenshots_on_failure, wait_http

pytestmark = pytest.mark.slow

NW = "noah@northwind-optics.example"
LU = "liam@lumen-eyewear.example"
SQL_Q = "How many frames did we sell in March 2025?"
DOCS_Q = "What is our remake policy for progressive lenses?"
INDUSTRY_Q = "What is the industry average selling price of sunglasses?"
FRAMES_MARCH = ("SELECT sum(s.quantity) FROM sales s JOIN products p USING (tenant_id, sku) "
                "WHERE p.category = 'frames' AND s.sold_at >= DATE '2025-03-01' AND s.sold_at < DATE '2025-04-01'")
RATE_PER_MIN = 6  # per user: enough for every test here, small enough to hit on purpose

HOSTILE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>hostile</title></head><body>
<script>
window.results = {};
const APP = "%(app)s";
fetch(APP + "/api/chat", {method: "POST", credentials: "include", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({message: "How many frames did we sell in March 2025?"})})
  .then(r => r.text().then(t => { results.api = "read " + r.status + " " + t.slice(0, 80); }))
  .catch(e => { results.api = "blocked " + e; });
fetch(APP + "/ws/socket.io/?EIO=4&transport=polling", {credentials: "include"})
  .then(r => { results.polling = "read " + r.status; }).catch(e => { results.polling = "blocked " + e; });
const ws = new WebSocket(APP.replace("http", "ws") + "/ws/socket.io/?EIO=4&transport=websocket");
ws.onopen = () => { results.ws = "open"; };
ws.onmessage = (m) => { results.wsMessage = String(m.data).slice(0, 40); };
ws.onclose = (e) => { results.wsClosed = e.code; };
</script></body></html>"""


@pytest.fixture(scope="module")
def stack(demo) -> Iterator[Stack]:
    """The app (models warmed up: the first turn won't stall the socket), the widget example's host page for
    northwind (an API key and its allowed Origin), and a hostile page served from this process (a different Origin
    of the same site: it gets the victim's cookies)."""
    from tools.ingest import load_demo_documents

    load_demo_documents()
    with app_stack("e2e", env={"SIGHTLINE_RATE_USER_PER_MIN": str(RATE_PER_MIN)}, ready="/readyz",
                   ready_timeout=600) as stack:
        hostile_port = stack.reserve("hostile")
        page = (HOSTILE_PAGE % {"app": stack.app}).encode()

        class Hostile(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: object) -> None:
                pass

        hostile = http.server.ThreadingHTTPServer(("127.0.0.1", hostile_port), Hostile)
        threading.Thread(target=hostile.serve_forever, daemon=True).start()
        try:
            northwind = registry.get_tenant("northwind")
            key, _ = api_keys.create_key(northwind.id, "e2e host page")
            host_port = stack.reserve("host")
            add_origin(northwind.id, stack.urls["host"])  # the customer page's Origin, allowed for this tenant only
            host = stack.start("host", [sys.executable, "examples/widget/host.py", "--port", str(host_port),
                                        "--sightline-url", stack.app, "--user", NW], {"SIGHTLINE_API_KEY": key})
            wait_http(stack.urls["host"], 30, host)
            yield stack
        finally:
            hostile.shutdown()


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def frames_sold(slug: str) -> int:
    tenant = registry.get_tenant(slug)
    with tenant_session(tenant.id) as conn:
        return int(conn.execute(sa.text(FRAMES_MARCH)).scalar_one())


@screenshots_on_failure
def test_oauth_sign_in_then_sql_docs_and_industry_answers_with_their_steps(stack, browser):
    own, other = frames_sold("northwind"), frames_sold("lumen")
    assert own != other
    chat = Chat(browser, stack)
    chat.sign_in(NW)
    chat.ask(SQL_Q)
    assert re.search(rf"\b{own}\b", chat.text()), f"northwind's {own} frames not in the answer"
    chat.page.get_by_text("Used SQL on your data").click()
    chat.page.get_by_text("Route:").first.wait_for()
    body = chat.text()
    assert "SELECT" in body and "Model/adapter" in body and "sql-semantic-layer" in body
    stack.state["url"] = chat.page.url
    assert "/thread/" in chat.page.url

    chat.ask(DOCS_Q)
    chat.page.get_by_text("Used Your documents").click()
    chat.page.get_by_text("Northwind Optics remake policy for progressive lenses").first.wait_for()
    assert "Lumen" not in chat.text()

    chat.ask(INDUSTRY_Q)
    chat.page.get_by_text("Used Industry knowledge").click()
    chat.page.get_by_text("industry_aggregates").first.wait_for()
    assert "USD per unit" in chat.text()
    chat.page.screenshot(path=str(ARTIFACTS / "e2e-tenant-a-answers.png"))
    stack.state["northwind_number"] = str(own)
    stack.state["chat"] = chat  # reused by the next tests


@screenshots_on_failure
def test_sql_time_series_answer_renders_a_chart(stack, browser):
    """A monthly breakdown carries a Plotly chart in its tool step, drawn in the browser by the bundled plotly.js."""
    chat = Chat(browser, stack)
    try:
        chat.sign_in(NW)
        chat.ask("Revenue by month in 2025")
        assert "Interpretation: revenue (after discounts) · by month · period: 2025" in chat.text()
        chat.page.get_by_text("Used SQL on your data").last.click()
        plot = chat.page.locator(".js-plotly-plot").first
        plot.wait_for()
        assert plot.locator("g.trace.scatter, g.scatterlayer g.trace").count() >= 1  # the line was drawn
        assert "Jan 2025" in chat.text() or "2025" in plot.inner_text()
        chat.page.screenshot(path=str(ARTIFACTS / "e2e-sql-chart.png"))
    finally:
        chat.close()


@screenshots_on_failure
def test_thumbs_up_with_comment_is_stored_with_route_model_and_latency(stack, browser):
    chat: Chat = stack.state["chat"]
    chat.page.locator("button.positive-feedback-off").last.click()
    chat.page.get_by_placeholder("Your feedback...").fill("Spot on, thanks")
    chat.page.get_by_role("button", name="Submit feedback").click()
    noah = registry.principal_for(NW)
    deadline = time.monotonic() + 20
    row = None
    while row is None and time.monotonic() < deadline:
        with admin_engine().connect() as conn:
            row = conn.execute(sa.text("SELECT tenant_id, user_id, value, comment, route, tool, model, latency_ms "
                                       "FROM chat_feedback WHERE comment = 'Spot on, thanks'")).first()
        time.sleep(0.2)
    assert row is not None, "the rating did not reach PostgreSQL"
    assert (row.tenant_id, row.user_id, row.value) == (noah.tenant_id, noah.user_id, 1)
    assert (row.route, row.tool, row.model) == ("industry", "industry", "industry_aggregates")
    assert row.latency_ms is not None and row.latency_ms > 0


@screenshots_on_failure
def test_history_survives_a_reload(stack, browser):
    chat: Chat = stack.state["chat"]
    chat.frames.clear()
    chat.page.reload()
    chat.wait_connected()
    chat.page.get_by_text("USD per unit").first.wait_for()
    body = chat.text()
    assert re.search(rf"\b{stack.state['northwind_number']}\b", body)
    assert SQL_Q in body and DOCS_Q in body
    assert chat.page.get_by_text(SQL_Q[:20]).count() >= 1  # the thread is listed in the sidebar too
    chat.close()


@screenshots_on_failure
def test_second_tenant_sees_none_of_the_first_tenants_threads_or_numbers(stack, browser):
    chat = Chat(browser, stack)
    chat.sign_in(LU)
    chat.page.get_by_text("No threads found").wait_for()  # tenant B's user has no conversations yet
    thread_id = stack.state["url"].rsplit("/", 1)[-1]
    r = chat.page.request.get(f"{stack.app}/project/thread/{thread_id}")
    assert r.status in (401, 404)
    chat.frames.clear()
    chat.page.goto(stack.state["url"])  # a copied link to tenant A's conversation
    chat.wait_connected()
    chat.page.wait_for_timeout(2000)
    body = chat.text()
    assert "USD per unit" not in body and "Northwind Optics remake policy" not in body
    assert not re.search(rf"\b{stack.state['northwind_number']}\b", body)
    chat.close()


@screenshots_on_failure
def test_user_without_a_tenant_is_refused_with_a_visible_reason(stack, browser):
    chat = Chat(browser, stack)
    chat.sign_in(UNMAPPED_USER, expect_ok=False)
    chat.page.wait_for_url(re.compile(r"/login\?error=noTenant"))
    chat.page.get_by_text("not mapped to any Sightline tenant").wait_for()
    chat.page.screenshot(path=str(ARTIFACTS / "e2e-refused-sign-in.png"))
    assert chat.page.request.get(f"{stack.app}/user").status == 401
    chat.close()


@screenshots_on_failure
def test_widget_on_a_customer_page_answers(stack, browser):
    chat = Chat(browser, stack)
    with chat.page.expect_response(lambda r: r.url.endswith("/auth/jwt")) as signed_in:
        chat.page.goto(stack.urls["host"])  # the page's backend mints a token, the widget exchanges it for a session
    assert signed_in.value.status == 200
    chat.page.get_by_text("Assistant ready.").wait_for()
    # Typing before the widget has loaded its settings trips a React error inside the widget: wait for them.
    with chat.page.expect_response(lambda r: "/project/settings" in r.url and r.request.method == "GET"):
        chat.page.locator("#chainlit-copilot-button").click()
    chat.wait_connected()
    chat.page.wait_for_timeout(500)
    chat.ask(INDUSTRY_Q)
    chat.page.get_by_text(re.compile(r"USD per unit")).first.wait_for()  # inside the widget's shadow root
    chat.page.screenshot(path=str(ARTIFACTS / "e2e-widget.png"))
    chat.close()


@screenshots_on_failure
def test_rate_limit_and_input_checks_answer_in_the_chat(stack, browser):
    chat = Chat(browser, stack)
    chat.sign_in("caleb@clearview-vision.example")
    chat.ask("x" * 4500)
    chat.page.get_by_text("the limit is 4,000").first.wait_for()
    for _ in range(RATE_PER_MIN + 4):
        chat.ask("hello")
        if chat.page.get_by_text("sending messages too quickly").count():
            break
    chat.page.get_by_text(re.compile(r"Please try again in \d+ s")).first.wait_for(timeout=1000)
    chat.close()


def _refusals(app: str) -> float:
    with urllib.request.urlopen(f"{app}/metrics", timeout=10) as r:
        text = r.read().decode()
    return sum(float(m) for m in re.findall(r'^sightline_origin_refused_total\{[^}]*\} ([0-9.e+]+)$', text, re.M))


@screenshots_on_failure
def test_hostile_origin_is_refused_even_with_the_victims_cookies(stack, browser):
    chat = Chat(browser, stack)
    chat.sign_in(NW)  # the victim is signed in; the hostile page is same-site, so the browser sends the cookies
    before = _refusals(stack.app)
    hostile = chat.context.new_page()
    hostile.goto(stack.urls["hostile"])
    hostile.wait_for_function("window.results.api && window.results.polling && window.results.wsClosed",
                              timeout=30_000)
    results = hostile.evaluate("window.results")
    assert results["api"].startswith("blocked"), results
    assert results["polling"].startswith("blocked"), results
    assert results.get("ws") != "open" and "wsMessage" not in results, results
    assert _refusals(stack.app) >= before + 3  # refused by the server's Origin check, not only by the browser
    chat.close()
