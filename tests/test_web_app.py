"""The web app in-process (FastAPI + the mounted Chainlit app, real database, real agent): health, metrics, the REST
API (widget tokens, SSE chat, feedback), widget sign-in, the Origin allow-list and Chainlit's history routes.

Attacks are tried and must fail: hostile and other-tenant Origins (HTTP, socket.io polling and websocket), forged
widget tokens at /auth/jwt, bad API keys, minting for another tenant's user, reading or rating another user's
conversation through the API and through Chainlit's own routes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from config import reset_settings
from db import api_keys, registry
from db.engine import admin_engine
from db.origins import add_origin
from tests.web_helpers import sse_events, web_app, widget_token

SHOP_A = "https://shop-a.example"
EVIL = "https://evil.example"


@pytest.fixture(scope="module")
def world(database):
    a = registry.add_tenant("web-a", "Web A")
    b = registry.add_tenant("web-b", "Web B")
    registry.add_user("ann@web-a.example", "web-a", "member")
    registry.add_user("amy@web-a.example", "web-a", "member")
    registry.add_user("bob@web-b.example", "web-b", "member")
    registry.add_user("limited@web-a.example", "web-a", "member")
    add_origin(a.id, SHOP_A)
    key_a, _ = api_keys.create_key(a.id, "shop a")
    key_b, _ = api_keys.create_key(b.id, "shop b")
    return {"client": TestClient(web_app()), "key_a": key_a, "key_b": key_b, "a": a, "b": b}


def token_for(world, email: str, key: str | None = None) -> str:
    return widget_token(world["client"], key or world["key_a"], email)


def test_health_and_metrics(world):
    c = world["client"]
    assert c.get("/healthz").json() == {"status": "ok"}
    r = c.get("/metrics")
    assert r.status_code == 200 and "sightline_chat_turns_total" in r.text


def test_chat_ui_is_served_at_the_root(world):
    r = world["client"].get("/")
    assert r.status_code == 200 and "<title>Sightline</title>" in r.text
    assert world["client"].get("/copilot/index.js").status_code == 200
    assert world["client"].get("/auth/config").json()["requireLogin"] is True


def test_widget_token_needs_a_valid_key_and_a_user_of_that_tenant(world):
    c = world["client"]
    assert c.post("/api/widget-token", json={"email": "ann@web-a.example"}).status_code == 401
    assert c.post("/api/widget-token", json={"email": "ann@web-a.example"},
                  headers={"Authorization": "Bearer slk_000000000000_" + "x" * 43}).status_code == 401
    r = c.post("/api/widget-token", json={"email": "bob@web-b.example"},
               headers={"Authorization": f"Bearer {world['key_a']}"})
    assert r.status_code == 403  # tenant A's backend cannot mint for tenant B's user
    body = c.post("/api/widget-token", json={"email": "amy@web-a.example"},
                  headers={"X-API-Key": world["key_a"]}).json()
    assert body["tenant"] == "web-a" and body["expires_in"] == 300
    # Only existing users: an unknown e-mail is refused like another tenant's user, and nobody is created.
    r = c.post("/api/widget-token", json={"email": "new.customer@web-a.example"},
               headers={"X-API-Key": world["key_a"]})
    assert r.status_code == 403 and registry.find_user("new.customer@web-a.example") is None
    # A key mints tokens; it cannot change anyone's role.
    c.post("/api/widget-token", json={"email": "ann@web-a.example", "role": "admin"},
           headers={"Authorization": f"Bearer {world['key_a']}"})
    assert registry.find_user("ann@web-a.example").role == "member"
    key, info = api_keys.create_key(world["a"].id, "to revoke")
    api_keys.revoke_key(world["a"].id, info.prefix)
    assert c.post("/api/widget-token", json={"email": "ann@web-a.example"},
                  headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_chat_streams_events_persists_and_takes_feedback(world):
    c = world["client"]
    token = token_for(world, "ann@web-a.example")
    r = c.post("/api/chat", json={"message": "hello there"}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = sse_events(r.text)
    assert events[0]["type"] == "route" and events[-1]["type"] == "final"
    final = events[-1]
    assert set(final) >= {"answer", "route", "sql", "rows", "sources", "model", "latency_ms", "thread_id",
                          "message_id"}
    assert any(e["type"] == "token" for e in events)
    assert "".join(e["text"] for e in events if e["type"] == "token").strip()
    # Rate the answer; the stored rating carries the answer's route and model.
    r = c.post("/api/feedback", json={"message_id": final["message_id"], "value": "up", "comment": "nice"},
               headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    with admin_engine().connect() as conn:
        row = conn.execute(sa.text("SELECT value, comment, route, model FROM chat_feedback WHERE id = :id"),
                           {"id": r.json()["feedback_id"]}).one()
    assert (row.value, row.comment, row.route, row.model) == (1, "nice", final["route"], final["model"])
    # Another user of the same tenant can neither rate it nor continue the conversation.
    amy = token_for(world, "amy@web-a.example")
    assert c.post("/api/feedback", json={"message_id": final["message_id"], "value": 0},
                  headers={"Authorization": f"Bearer {amy}"}).status_code == 404
    assert c.post("/api/chat", json={"message": "hello", "thread_id": final["thread_id"]},
                  headers={"Authorization": f"Bearer {amy}"}).status_code == 404
    bob = token_for(world, "bob@web-b.example", world["key_b"])
    assert c.post("/api/feedback", json={"message_id": final["message_id"], "value": 0},
                  headers={"Authorization": f"Bearer {bob}"}).status_code == 404


def test_chat_requires_a_valid_token(world):
    c = world["client"]
    assert c.post("/api/chat", json={"message": "hi"}).status_code == 401
    assert c.post("/api/chat", json={"message": "hi"}, headers={"Authorization": "Bearer x.y.z"}).status_code == 401


def test_rate_limit_answers_429_with_retry_after(world, monkeypatch):
    c = world["client"]
    token = token_for(world, "limited@web-a.example")
    monkeypatch.setenv("SIGHTLINE_RATE_USER_PER_MIN", "1")
    reset_settings()
    try:
        first = c.post("/api/chat", json={"message": "hello"}, headers={"Authorization": f"Bearer {token}"})
        assert first.status_code == 200
        second = c.post("/api/chat", json={"message": "hello"}, headers={"Authorization": f"Bearer {token}"})
        assert second.status_code == 429 and int(second.headers["Retry-After"]) >= 1
        assert "try again" in second.json()["detail"]
    finally:
        monkeypatch.delenv("SIGHTLINE_RATE_USER_PER_MIN")
        reset_settings()


def test_oversized_message_is_refused(world):
    token = token_for(world, "ann@web-a.example")
    r = world["client"].post("/api/chat", json={"message": "x" * 5000}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 400 and "limit" in r.json()["detail"]


def test_origin_allow_list_per_tenant(world):
    c = world["client"]
    token_a = token_for(world, "ann@web-a.example")
    token_b = token_for(world, "bob@web-b.example", world["key_b"])
    hostile = c.post("/api/chat", json={"message": "hello"},
                     headers={"Authorization": f"Bearer {token_a}", "Origin": EVIL})
    assert hostile.status_code == 403 and "not allowed" in hostile.json()["detail"]
    # Tenant A allows its shop; tenant B does not, so the same page may not call for B's user.
    pre = c.options("/api/chat", headers={"Origin": SHOP_A, "Access-Control-Request-Method": "POST",
                                          "Access-Control-Request-Headers": "authorization, content-type"})
    assert pre.status_code == 204 and pre.headers["access-control-allow-origin"] == SHOP_A
    ok = c.post("/api/chat", json={"message": "hello"}, headers={"Authorization": f"Bearer {token_a}",
                                                                 "Origin": SHOP_A})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == SHOP_A
    other = c.post("/api/chat", json={"message": "hello"}, headers={"Authorization": f"Bearer {token_b}",
                                                                    "Origin": SHOP_A})
    assert other.status_code == 403
    assert c.options("/api/chat", headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"}).status_code == 403


def test_socketio_refuses_a_hostile_origin(world):
    c = world["client"]
    path = "/ws/socket.io/?EIO=4&transport=polling"
    assert c.get(path, headers={"Origin": EVIL}).status_code == 403
    assert c.get(path, headers={"Origin": "null"}).status_code == 403
    assert c.get(path, headers={"Origin": "http://testserver"}).status_code == 200  # the app's own origin
    upgrade = {"Upgrade": "websocket", "Connection": "Upgrade"}
    with pytest.raises(WebSocketDisconnect) as refused:
        with c.websocket_connect("/ws/socket.io/?EIO=4&transport=websocket", headers={"Origin": EVIL, **upgrade}):
            pass
    assert refused.value.code == 1008  # closed by the Origin check, before engine.io saw it
    with c.websocket_connect("/ws/socket.io/?EIO=4&transport=websocket", headers={"Origin": SHOP_A, **upgrade}) as ws:
        assert ws.receive_text().startswith("0{")  # engine.io open packet: the handshake was accepted


def test_widget_sign_in_and_chainlit_history_routes_are_scoped_to_the_caller(world):
    c = world["client"]
    assert c.post("/auth/jwt", headers={"Authorization": "Bearer forged.token.value"}).status_code == 401
    ann_token = token_for(world, "ann@web-a.example")
    r = c.post("/api/chat", json={"message": "hello"}, headers={"Authorization": f"Bearer {ann_token}"})
    ann_thread = sse_events(r.text)[-1]["thread_id"]
    ann_message = sse_events(r.text)[-1]["message_id"]

    amy = TestClient(c.app)
    r = amy.post("/auth/jwt", headers={"Authorization": f"Bearer {token_for(world, 'amy@web-a.example')}"})
    assert r.status_code == 200 and "access_token" in r.cookies
    assert amy.get("/user").json()["identifier"] == "amy@web-a.example"
    listed = amy.post("/project/threads", json={"pagination": {"first": 20}, "filter": {}}).json()
    assert ann_thread not in {t["id"] for t in listed["data"]}
    assert amy.get(f"/project/thread/{ann_thread}").status_code in (401, 404)
    r = amy.put("/feedback", json={"sessionId": "none", "feedback": {"forId": ann_message, "value": 0}})
    assert r.status_code >= 400
    with admin_engine().connect() as conn:
        n = conn.execute(sa.text("SELECT count(*) FROM chat_feedback WHERE step_id = :s"), {"s": ann_message})
        assert n.scalar_one() == 0

    ann = TestClient(c.app)
    ann.post("/auth/jwt", headers={"Authorization": f"Bearer {ann_token}"})
    listed = ann.post("/project/threads", json={"pagination": {"first": 50}, "filter": {}}).json()
    assert ann_thread in {t["id"] for t in listed["data"]}
    thread = ann.get(f"/project/thread/{ann_thread}").json()
    assert [s["type"] for s in thread["steps"]] == ["user_message", "assistant_message"]
    r = ann.put("/feedback", json={"sessionId": "none", "feedback": {"forId": ann_message, "value": 1,
                                                                      "comment": "via the UI route"}})
    assert r.status_code == 200


OFFLINE_SCRIPT = r"""
import os, sys
attempts = []
def hook(event, args):
    if event == "socket.connect" and isinstance(args[1], tuple):
        host = str(args[1][0])
        if not (host.startswith("127.") or host in ("::1", "localhost")):
            attempts.append(f"connect {args[1]}")
            raise ConnectionRefusedError("network blocked by test")
    if event == "socket.getaddrinfo" and args[0] not in (None, "", "localhost", "127.0.0.1", "::1", b"localhost"):
        attempts.append(f"getaddrinfo {args[0]}")
        raise OSError("DNS blocked by test")
sys.addaudithook(hook)
from starlette.testclient import TestClient
from app.web import create_app
client = TestClient(create_app())
assert client.get("/").status_code == 200
assert client.get("/auth/config").status_code == 200
assert client.get("/copilot/index.js").status_code == 200
print("ATTEMPTS", attempts)
"""


def test_building_and_serving_the_app_reaches_no_network(tmp_path):
    """Chainlit, its telemetry and the app's own modules make no outside connection (an audit hook refuses any)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OAUTH_")}
    env["SIGHTLINE_DATA_DIR"] = str(tmp_path)
    env["SIGHTLINE_TRUSTED_HOSTS"] = "testserver"
    out = subprocess.run([sys.executable, "-c", OFFLINE_SCRIPT], cwd=Path(__file__).resolve().parents[1], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "ATTEMPTS []" in out.stdout, out.stdout + out.stderr[-2000:]
