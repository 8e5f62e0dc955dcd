"""Attack tests for the application layer (issue 10; threat model in docs/security.md). Each test tries an attack
that worked before the fix and asserts it fails now, against the real app in-process and the real database.

1. an API key captures users: minting for unknown e-mails (another tenant's domain), other tenants' users, admins;
   widget sessions reading the user's chat-UI threads; 3. PII in document titles reaching answers and allow-lists;
4. error texts, SQL and titles leaking through every channel, NUL bytes as 500s; 5. the dev identity provider next to
a real one or beyond loopback; 6. unverified e-mails signing in; 7. widget sessions outliving their token or key;
8. missing rate limits (per key, feedback, minting, widget sign-in); 9. forged Host headers; and the import circle.

The SSE failure test replaces `agents.answer` with a generator that raises (a fault injected at the agent boundary,
named as such); everything else is real.
"""

from __future__ import annotations

import ast
import base64
import json
import logging
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from app import dev_idp, turns
from app.identity import LoginRefused, SessionInvalid, login, principal_for_session, widget_session_metadata
from app.tokens import TokenRejected, decode_session_token, principal_from_token
from config import Settings, env_overrides
from db import api_keys, chat_store, registry
from db.engine import admin_engine
from db.session import tenant_session
from tests import web_helpers
from tests.web_helpers import sse_events, web_app, widget_token

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def world(database):
    a = registry.add_tenant("sec-a", "Security A")
    b = registry.add_tenant("sec-b", "Security B")
    registry.add_user("boss@sec-a.example", "sec-a", "admin")
    registry.add_user("ann@sec-a.example", "sec-a", "member")
    registry.add_user("amy@sec-a.example", "sec-a", "member")
    registry.add_user("bob@sec-b.example", "sec-b", "member")
    key_a, info_a = api_keys.create_key(a.id, "shop a")
    key_all, info_all = api_keys.create_key(a.id, "intranet (all history)", history="all")
    app = web_app()
    return {"app": app, "client": TestClient(app), "a": a, "b": b, "key_a": key_a, "kid_a": info_a.prefix,
            "key_all": key_all}


def mint(world, email: str, key: str | None = None):
    return web_helpers.mint(world["client"], key or world["key_a"], email)


def token_for(world, email: str, key: str | None = None) -> str:
    return widget_token(world["client"], key or world["key_a"], email)


def widget_client(world, email: str, key: str | None = None) -> TestClient:
    client = TestClient(world["app"])
    r = client.post("/auth/jwt", headers={"Authorization": f"Bearer {token_for(world, email, key)}"})
    assert r.status_code == 200, r.text
    return client


def thread_ids(client: TestClient) -> set[str]:
    r = client.post("/project/threads", json={"pagination": {"first": 100}, "filter": {}})
    assert r.status_code == 200, r.text
    return {t["id"] for t in r.json()["data"]}


def _payload(jwt: str) -> dict:
    part = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


# --- 1. widget tokens cannot capture users --------------------------------------------------------------------------

def test_a_key_cannot_register_another_tenants_future_user(world):
    """Tenant A's key mints for a new hire at tenant B's domain: refused, nobody is created, B's SSO still works."""
    r = mint(world, "new.hire@sec-b.example")
    assert r.status_code == 403
    assert registry.find_user("new.hire@sec-b.example") is None
    p = login({"email": "new.hire@sec-b.example", "email_verified": True, "tenant": "sec-b"})
    assert p.tenant_slug == "sec-b"  # before the fix: tenantConflict (the user had been captured by tenant A)


def test_unknown_and_foreign_users_get_the_same_refusal(world):
    """No enumeration: an unknown e-mail and another tenant's user are refused with the same status and text."""
    unknown, foreign = mint(world, "nobody@nowhere.example"), mint(world, "bob@sec-b.example")
    assert unknown.status_code == foreign.status_code == 403
    assert unknown.json() == foreign.json()
    assert registry.find_user("nobody@nowhere.example") is None


def test_a_widget_token_for_an_admin_has_member_rights_only(world):
    token = token_for(world, "boss@sec-a.example")
    principal = principal_from_token(token)
    assert not principal.is_admin and principal.roles == frozenset({"member"})
    assert principal.via_widget and principal.thread_scope == "widget"
    assert _payload(token).get("role") in (None, "member")
    shown = widget_client(world, "boss@sec-a.example").get("/user").json()["metadata"]
    assert shown["role"] == "member" and shown["widget"] is True


def test_widget_sessions_see_only_widget_threads_unless_the_key_opts_in(world):
    """The key holder mints for the admin and tries to read the admin's chat-UI history: it is not there."""
    boss = registry.principal_for("boss@sec-a.example")
    chat_store.upsert_thread(boss, "boss-board-notes", name="board notes")
    chat_store.upsert_step(boss, {"id": "boss-q1", "threadId": "boss-board-notes", "type": "user_message",
                                  "output": "merger plans"})
    c = world["client"]
    widget = widget_client(world, "boss@sec-a.example")
    assert "boss-board-notes" not in thread_ids(widget)
    assert widget.get("/project/thread/boss-board-notes").status_code in (401, 404)
    bearer = {"Authorization": f"Bearer {token_for(world, 'boss@sec-a.example')}"}
    assert c.post("/api/chat", json={"message": "hello", "thread_id": "boss-board-notes"},
                  headers=bearer).status_code == 404  # cannot continue (and so read the memory of) the UI thread
    assert c.post("/api/feedback", json={"message_id": "boss-q1", "value": 0}, headers=bearer).status_code == 404
    # Nor through the chat socket: the UI turn opens the thread before the agent loads its memory.
    with pytest.raises(chat_store.NotYours):
        turns.open_thread(principal_from_token(bearer["Authorization"].split()[1]), "boss-board-notes")
    turns.open_thread(boss, "boss-board-notes")  # the user in the chat UI continues it
    # A thread made through the widget is the widget's (and still the user's in the chat UI).
    r = c.post("/api/chat", json={"message": "hello"}, headers=bearer)
    made = sse_events(r.text)[-1]["thread_id"]
    assert made in thread_ids(widget)
    assert made in {t["id"] for t in chat_store.list_threads(boss, first=100).threads}
    # The tenant opted in with a key whose history is "all": its widget sessions see the UI threads too.
    opted_in = widget_client(world, "boss@sec-a.example", world["key_all"])
    assert "boss-board-notes" in thread_ids(opted_in)


# --- 3. PII in document titles ---------------------------------------------------------------------------------------

def test_document_titles_are_never_allow_listed(world):
    from safety.pii import redact
    from tools.catalog import allow_terms, forget

    title = "Remake policy by Harriet Quimby"
    with tenant_session(world["a"].id) as conn:
        conn.execute(sa.text("INSERT INTO documents (title, source, mime_type, content_hash) "
                             "VALUES (:t, 'legacy.md', 'text/markdown', repeat('a', 64))"), {"t": title})
    forget(world["a"].id)
    allow = allow_terms(world["a"].id)
    assert title not in allow
    assert "Harriet Quimby" not in redact(f"See {title}.", allow=allow).text


def test_catalog_free_text_with_contact_details_is_not_allow_listed(world):
    from tools.catalog import allow_terms, forget

    odd = "Frame by Jane Roe jane.roe@mail.example 555-201-7788"
    with tenant_session(world["a"].id) as conn:
        conn.execute(sa.text("INSERT INTO products (sku, name, category, brand, unit_price) "
                             "VALUES ('SEC-1', :n, 'frames', 'Acme', 10)"), {"n": odd})
    forget(world["a"].id)
    assert odd not in allow_terms(world["a"].id) and "Acme" in allow_terms(world["a"].id)


def test_titles_are_redacted_at_ingestion(world, tmp_path):
    from tools.ingest import add_documents

    doc = tmp_path / "contacts.md"
    doc.write_text("# Escalations: Harriet Quimby, harriet.quimby@mail.example, 555-201-7788\n\n"
                   "Escalate remakes to the store manager within two days.\n")
    result = add_documents(world["a"].id, [doc], names=["contacts.md"])[0]
    with tenant_session(world["a"].id) as conn:
        stored = conn.execute(sa.text("SELECT title FROM documents WHERE id = :i"),
                              {"i": result.document_id}).scalar_one()
    for raw in ("Harriet", "harriet.quimby@mail.example", "555-201-7788"):
        assert raw not in stored and raw not in result.title
    assert stored.startswith("Escalations")


# --- 4. every output channel goes through the guard; generic errors; NUL -------------------------------------------

def test_final_event_fields_and_tool_results_are_guarded(world):
    principal = registry.principal_for("ann@sec-a.example")
    final = {"type": "final", "answer": "ok", "route": "sql",
             "sql": "SELECT *\nFROM patients\nWHERE email = 'harriet.quimby@mail.example'",
             "columns": ["store", "contact 555-201-7788"],
             "error": "no rows for Harriet Quimby (harriet.quimby@mail.example)",
             "sources": [{"document_id": "d", "title": "Call Harriet Quimby at 555-201-7788", "chunk": 0,
                          "score": 0.9, "text": "..."}]}
    safe = turns.guarded_final(principal, final)
    shown = json.dumps({k: safe[k] for k in ("sql", "columns", "error", "sources")})
    for raw in ("harriet.quimby@mail.example", "555-201-7788", "Harriet Quimby"):
        assert raw not in shown
    assert safe["columns"][0] == "store" and safe["answer"] == "ok"
    # While the turn runs, a tool result shows counts only (its SQL, columns and titles come guarded at the end).
    streamed = turns.public_event({"type": "tool_result", "tool": "docs", "sources": final["sources"],
                                   "sql": final["sql"], "columns": final["columns"], "rows": [[1]]})
    assert streamed == {"type": "tool_result", "tool": "docs", "row_count": 1, "source_count": 1}


def test_a_failing_turn_streams_a_generic_error_with_a_correlation_id(world, monkeypatch, caplog):
    import agents

    async def failing_agent_answer(principal, question, thread_id=None, **kwargs):  # injected fault
        yield {"type": "route", "route": "sql", "score": 1.0, "reason": "test"}
        raise RuntimeError("relation patients: harriet.quimby@mail.example SELECT secret FROM x")

    monkeypatch.setattr(agents, "answer", failing_agent_answer)
    token = token_for(world, "ann@sec-a.example")
    with caplog.at_level(logging.ERROR):
        r = world["client"].post("/api/chat", json={"message": "hello"}, headers={"Authorization": f"Bearer {token}"})
    last = sse_events(r.text)[-1]
    assert last["type"] == "error" and last["correlation_id"] in last["error"]
    assert "harriet" not in r.text and "SELECT" not in r.text and "RuntimeError" not in r.text
    assert last["correlation_id"] in caplog.text and "harriet.quimby" in caplog.text  # the details are in the log


def test_chainlit_500_bodies_are_generic(world, caplog):
    ann = registry.principal_for("ann@sec-a.example")
    chat_store.upsert_step(ann, {"id": "ann-answer-1", "threadId": "ann-thread-1", "type": "assistant_message",
                                 "output": "42"})
    amy = widget_client(world, "amy@sec-a.example")
    with caplog.at_level(logging.ERROR):
        r = amy.put("/feedback", json={"sessionId": "none", "feedback": {"forId": "ann-answer-1", "value": 0}})
    assert r.status_code == 500
    body = r.json()
    assert set(body) == {"detail", "correlation_id"} and "ann-answer-1" not in r.text
    assert body["correlation_id"] in caplog.text


@pytest.mark.parametrize("method, path, payload", [
    ("post", "/api/chat", {"message": "hello\u0000there"}),
    ("post", "/api/chat", {"message": "hello", "thread_id": "abc\u0000def"}),
    ("post", "/api/feedback", {"message_id": "x\u0000", "value": 1}),
    ("put", "/feedback", {"sessionId": "s", "feedback": {"forId": "x\u0000y", "value": 1}}),
    ("get", "/project/thread/abc%00def", None),
    ("post", "/project/threads", {"pagination": {"first": 5}, "filter": {"search": "a\u0000"}}),
])
def test_nul_bytes_are_a_400_not_a_500(world, method, path, payload):
    client = widget_client(world, "amy@sec-a.example")
    headers = {"Authorization": f"Bearer {token_for(world, 'amy@sec-a.example')}"} if path.startswith("/api/") else {}
    kwargs = {"json": payload} if payload is not None else {}
    r = getattr(client, method)(path, headers=headers, **kwargs)
    assert r.status_code == 400, r.text


def test_a_nul_in_a_chat_ui_message_is_refused_before_the_agent():
    from safety.input_checks import InputRejected

    with pytest.raises(InputRejected, match="NUL"):
        import asyncio

        asyncio.run(turns.admit(None, "hi\x00"))  # type: ignore[arg-type]  # refused before the principal is used


# --- 5. the dev identity provider -------------------------------------------------------------------------------------

def test_dev_idp_sees_a_real_provider_in_the_env_file(tmp_path, monkeypatch):
    """The provider is configured only in .env (which Chainlit loads later): the dev provider must not start."""
    for k in [k for k in list(__import__("os").environ) if k.startswith("OAUTH_")]:
        monkeypatch.delenv(k)
    (tmp_path / ".env").write_text("OAUTH_GITHUB_CLIENT_ID=real-client\nOAUTH_GITHUB_CLIENT_SECRET=s\n")
    monkeypatch.chdir(tmp_path)
    assert dev_idp.start_if_needed(Settings(SIGHTLINE_DEV_IDP="auto"), "127.0.0.1") is None
    with pytest.raises(dev_idp.DevIdpRefused, match="real identity provider"):
        dev_idp.start_if_needed(Settings(SIGHTLINE_DEV_IDP="on"), "127.0.0.1")


def test_dev_idp_never_runs_beyond_loopback(tmp_path, monkeypatch):
    for k in [k for k in list(__import__("os").environ) if k.startswith("OAUTH_")]:
        monkeypatch.delenv(k)
    monkeypatch.chdir(tmp_path)
    assert dev_idp.start_if_needed(Settings(SIGHTLINE_DEV_IDP="auto"), "0.0.0.0") is None
    with pytest.raises(dev_idp.DevIdpRefused, match="beyond loopback"):
        dev_idp.start_if_needed(Settings(SIGHTLINE_DEV_IDP="on"), "192.0.2.10")
    with pytest.raises(dev_idp.DevIdpRefused):
        dev_idp.DevIdp(port=1, host="0.0.0.0").start()
    with pytest.raises(SystemExit):
        dev_idp.main(["--host", "0.0.0.0", "--port", "1"])
    assert dev_idp.is_loopback("127.0.0.1") and dev_idp.is_loopback("[::1]") and dev_idp.is_loopback("localhost")


# --- 6. email_verified ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("provider, claims", [
    (None, {"email": "ann@sec-a.example"}),  # missing claim from an OIDC provider
    ("company-sso", {"email": "ann@sec-a.example", "email_verified": "false"}),
    ("company-sso", {"email": "ann@sec-a.example", "email_verified": "False"}),
    ("company-sso", {"email": "ann@sec-a.example", "email_verified": 0}),
    ("company-sso", {"email": "ann@sec-a.example", "email_verified": 1}),
    ("company-sso", {"email": "ann@sec-a.example", "email_verified": "true"}),  # only Cognito sends strings
    ("keycloak", {"email": "ann@sec-a.example", "email_verified": None}),
    ("google", {"email": "ann@sec-a.example", "verified_email": False}),
    ("github", {"login": "ann", "email": "ann@sec-a.example",
                "emails": [{"email": "ann@sec-a.example", "verified": False, "primary": True}]}),
    ("azure-ad", {"mail": "ann@sec-a.example"}),  # multi-tenant Azure AD: any directory can claim any address
])
def test_unverified_emails_cannot_sign_in(world, provider, claims, monkeypatch):
    monkeypatch.delenv("OAUTH_AZURE_AD_ENABLE_SINGLE_TENANT", raising=False)
    with pytest.raises(LoginRefused) as err:
        login(claims, "ann", provider=provider)
    assert err.value.code == "noEmail"


@pytest.mark.parametrize("provider, claims", [
    ("company-sso", {"email": "ann@sec-a.example", "email_verified": True}),
    ("aws-cognito", {"email": "ann@sec-a.example", "email_verified": "true"}),
    ("google", {"email": "ann@sec-a.example", "verified_email": True}),
    ("github", {"login": "ann", "email": None,
                "emails": [{"email": "ann@sec-a.example", "verified": True, "primary": True}]}),
])
def test_verified_emails_sign_in(world, provider, claims):
    assert login(claims, "ann", provider=provider).email == "ann@sec-a.example"


def test_azure_ad_single_tenant_signs_in(world, monkeypatch):
    monkeypatch.setenv("OAUTH_AZURE_AD_ENABLE_SINGLE_TENANT", "true")
    assert login({"mail": "ann@sec-a.example"}, "ann@sec-a.example", provider="azure-ad").tenant_slug == "sec-a"


# --- 7. widget sessions end with their token and their key ----------------------------------------------------------

def test_the_widget_session_expires_with_the_token(world):
    client = TestClient(world["app"])
    token = token_for(world, "amy@sec-a.example")
    r = client.post("/auth/jwt", headers={"Authorization": f"Bearer {token}"})
    session = client.cookies.get("access_token")
    assert r.status_code == 200 and session
    assert _payload(session)["exp"] == _payload(token)["exp"]  # not the chat UI's 8 hours
    identity = decode_session_token(session)
    assert identity is not None and identity.metadata["widget"] is True
    assert decode_session_token(session, now=_payload(token)["exp"] + 1) is None
    # A websocket session outliving the cookie: its Principal is refused once the lifetime is over.
    amy = registry.principal_for("amy@sec-a.example")
    stale = widget_session_metadata(amy, world["kid_a"], int(time.time()) - 1)
    with pytest.raises(SessionInvalid, match="expired"):
        principal_for_session(amy.email, stale)


def test_revoking_the_key_ends_its_tokens_and_sessions(world):
    key, info = api_keys.create_key(world["a"].id, "to revoke")
    token = token_for(world, "amy@sec-a.example", key)
    session = widget_client(world, "amy@sec-a.example", key)
    assert session.post("/project/threads", json={"pagination": {"first": 5}, "filter": {}}).status_code == 200
    api_keys.revoke_key(world["a"].id, info.prefix)
    with pytest.raises(TokenRejected):
        principal_from_token(token)
    bearer = {"Authorization": f"Bearer {token}"}
    assert world["client"].post("/api/chat", json={"message": "hi"}, headers=bearer).status_code == 401
    assert world["client"].post("/auth/jwt", headers=bearer).status_code == 401
    r = session.post("/project/threads", json={"pagination": {"first": 5}, "filter": {}})
    assert r.status_code >= 400  # the session cookie names the revoked key


# --- 8. rate limits -----------------------------------------------------------------------------------------------

def test_minting_is_limited_per_key(world):
    key, _ = api_keys.create_key(world["a"].id, "mint burst")
    with env_overrides(SIGHTLINE_RATE_KEY_PER_MIN="2"):
        codes = [mint(world, email, key).status_code
                 for email in ("ann@sec-a.example", "amy@sec-a.example", "boss@sec-a.example")]
    assert codes == [200, 200, 429]


def test_chat_is_limited_per_key_across_users(world):
    key, _ = api_keys.create_key(world["a"].id, "chat burst")
    tokens = [token_for(world, e, key) for e in ("ann@sec-a.example", "amy@sec-a.example")]
    with env_overrides(SIGHTLINE_RATE_KEY_PER_MIN="1"):
        first = world["client"].post("/api/chat", json={"message": "hello"},
                                     headers={"Authorization": f"Bearer {tokens[0]}"})
        second = world["client"].post("/api/chat", json={"message": "hello"},
                                      headers={"Authorization": f"Bearer {tokens[1]}"})
    assert first.status_code == 200 and second.status_code == 429 and int(second.headers["Retry-After"]) >= 1


def test_feedback_and_widget_sign_in_are_limited(world):
    key, _ = api_keys.create_key(world["a"].id, "feedback burst")
    token = token_for(world, "ann@sec-a.example", key)
    bearer = {"Authorization": f"Bearer {token}"}
    with env_overrides(SIGHTLINE_RATE_USER_PER_MIN="2"):
        codes = [world["client"].post("/api/feedback", json={"message_id": "none", "value": 1},
                                      headers=bearer).status_code for _ in range(3)]
        signins = [TestClient(world["app"]).post("/auth/jwt", headers=bearer).status_code for _ in range(3)]
    assert codes == [404, 404, 429]
    assert signins == [200, 200, 429]


# --- 9. the Host header -------------------------------------------------------------------------------------------

def test_a_forged_host_header_is_refused(world):
    c = world["client"]
    assert c.get("/auth/config", headers={"Host": "evil.example"}).status_code == 400
    assert c.get("/login", headers={"Host": "evil.example"}).status_code == 400
    assert c.get("/auth/config").status_code == 200
    assert c.get("/healthz", headers={"Host": "10.1.2.3:8000"}).status_code == 200  # probes reach pods by IP


def test_trusted_hosts_default_to_the_public_url_or_loopback():
    from app.web import trusted_hosts

    assert trusted_hosts(Settings(SIGHTLINE_PUBLIC_URL="https://chat.example.com/")) == ["chat.example.com"]
    assert set(trusted_hosts(Settings(SIGHTLINE_HOST="0.0.0.0"))) == {"localhost", "127.0.0.1", "::1"}
    assert trusted_hosts(Settings(SIGHTLINE_TRUSTED_HOSTS="a.example, *.b.example")) == ["a.example", "*.b.example"]


# --- the import circle ----------------------------------------------------------------------------------------------

def _app_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "app":
                found.update(f"app.{a.name}" for a in node.names)
            elif node.module.startswith("app."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("app."))
    return found


def test_the_web_modules_import_no_circle():
    """Every import between the web app's modules, lazy ones included: the graph has no cycle."""
    web = ("api", "chainlit_setup", "chat_data", "chat_ui", "edge", "errors", "identity", "tokens", "turns", "web",
           "dev_idp", "metrics", "warmup")
    graph = {f"app.{m}": _app_imports(ROOT / "app" / f"{m}.py") & {f"app.{w}" for w in web} for m in web}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            assert state.get(nxt) != 1, " -> ".join([*path, node, nxt])
            if nxt not in state:
                visit(nxt, [*path, node])
        state[node] = 2

    for module in graph:
        if module not in state:
            visit(module, [])


def test_widget_threads_are_recorded_with_their_channel(world):
    amy = registry.principal_for("amy@sec-a.example")
    token = token_for(world, "amy@sec-a.example")
    chat_store.upsert_thread(principal_from_token(token), "amy-widget-thread")
    chat_store.upsert_thread(amy, "amy-app-thread")
    with admin_engine().connect() as conn:
        rows = dict(conn.execute(sa.text("SELECT id, channel FROM chat_threads WHERE id LIKE 'amy-%'")).all())
    assert rows == {"amy-widget-thread": "widget", "amy-app-thread": "app"}


def test_cli_creates_an_opted_in_key(world):
    from typer.testing import CliRunner

    from app.cli import cli

    runner = CliRunner()
    r = runner.invoke(cli, ["apikey", "create", "--tenant", "sec-a", "--name", "intranet", "--history", "all"])
    assert r.exit_code == 0, r.output
    grant = api_keys.authenticate(r.stdout.strip().splitlines()[0])
    assert grant is not None and grant.history == "all"
    assert "history=all" in runner.invoke(cli, ["apikey", "list", "--tenant", "sec-a"]).stdout
    assert runner.invoke(cli, ["apikey", "create", "--tenant", "sec-a", "--history", "admin"]).exit_code == 2
