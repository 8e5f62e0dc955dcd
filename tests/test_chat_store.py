"""Chat history, feedback, API keys and allowed Origins on the real database: every access is the caller's own."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from db import api_keys, chat_store, registry
from db.chat_store import NotYours
from db.engine import admin_engine
from db.origins import OriginError, add_origin, any_tenant_origins, list_origins, normalize_origin, remove_origin


@pytest.fixture(scope="module")
def people(database):
    registry.add_tenant("cs-a", "Chat A")
    registry.add_tenant("cs-b", "Chat B")
    registry.add_user("ann@a.example", "cs-a", "member")
    registry.add_user("abe@a.example", "cs-a", "admin")
    registry.add_user("bob@b.example", "cs-b", "member")
    return {e.split("@")[0]: registry.principal_for(e) for e in ("ann@a.example", "abe@a.example", "bob@b.example")}


def step(thread: str, sid: str, kind: str, text: str, meta: dict | None = None, at: str | None = None) -> dict:
    return {"id": sid, "threadId": thread, "type": kind, "name": "x", "output": text, "metadata": meta or {},
            "createdAt": at}


ANSWER_META = {"route": "sql", "tool": "sql", "model": "sql-templates", "latency_ms": 1234.5}


def test_steps_create_the_thread_and_read_back_in_order(people):
    ann = people["ann"]
    chat_store.upsert_step(ann, step("t-ann-1", "s1", "user_message", "How many frames?", at="2026-01-01T10:00:00Z"))
    chat_store.upsert_step(ann, step("t-ann-1", "s2", "assistant_message", "draft", ANSWER_META,
                                     at="2026-01-01T10:00:01Z"))
    chat_store.upsert_step(ann, step("t-ann-1", "s2", "assistant_message", "191 frames", ANSWER_META))  # update
    chat_store.upsert_thread(ann, "t-ann-1", name="Frames in March")
    thread = chat_store.get_thread(ann, "t-ann-1")
    assert thread["name"] == "Frames in March" and thread["userIdentifier"] == ann.email
    assert [s["id"] for s in thread["steps"]] == ["s1", "s2"]
    assert thread["steps"][1]["output"] == "191 frames"
    assert thread["steps"][1]["createdAt"].startswith("2026-01-01T10:00:01")  # an update keeps the creation time
    assert chat_store.thread_owner_email(ann, "t-ann-1") == ann.email


def test_another_user_of_the_same_tenant_can_neither_read_nor_write(people):
    ann, abe = people["ann"], people["abe"]
    chat_store.upsert_step(ann, step("t-ann-2", "s-ann-2", "assistant_message", "secret number 4711", ANSWER_META))
    assert chat_store.get_thread(abe, "t-ann-2") is None  # even the tenant's admin
    assert chat_store.thread_owner_email(abe, "t-ann-2") is None
    assert all(t["id"] != "t-ann-2" for t in chat_store.list_threads(abe).threads)
    with pytest.raises(NotYours):
        chat_store.upsert_step(abe, step("t-ann-2", "s-abe", "user_message", "append to ann's thread"))
    with pytest.raises(NotYours):
        chat_store.upsert_step(abe, step("t-abe", "s-ann-2", "assistant_message", "steal ann's step id"))
    with pytest.raises(NotYours):
        chat_store.upsert_thread(abe, "t-ann-2", name="renamed by abe")
    with pytest.raises(NotYours):
        chat_store.upsert_thread(ann, "t-new", user_id=abe.user_id)  # a thread for someone else
    with pytest.raises(NotYours):
        chat_store.delete_thread(abe, "t-ann-2")
    with pytest.raises(NotYours):
        chat_store.delete_step(abe, "s-ann-2")
    with pytest.raises(NotYours):
        chat_store.upsert_feedback(abe, "s-ann-2", 0, "rating ann's answer")
    thread = chat_store.get_thread(ann, "t-ann-2")
    assert [s["output"] for s in thread["steps"]] == ["secret number 4711"] and thread["name"] is None


def test_another_tenant_sees_nothing_and_the_same_thread_id_stays_separate(people):
    ann, bob = people["ann"], people["bob"]
    chat_store.upsert_step(ann, step("shared-id", "a-step", "assistant_message", "A's figure 9999"))
    assert chat_store.get_thread(bob, "shared-id") is None
    chat_store.upsert_step(bob, step("shared-id", "b-step", "user_message", "B's own question"))
    assert [s["output"] for s in chat_store.get_thread(bob, "shared-id")["steps"]] == ["B's own question"]
    assert [s["output"] for s in chat_store.get_thread(ann, "shared-id")["steps"]] == ["A's figure 9999"]
    with pytest.raises(NotYours):
        chat_store.upsert_feedback(bob, "a-step", 1)
    assert chat_store.get_element(bob, "shared-id", "anything") is None


def test_feedback_stores_route_model_and_latency_of_the_rated_answer(people):
    ann = people["ann"]
    chat_store.upsert_step(ann, step("t-fb", "q1", "user_message", "question"))
    chat_store.upsert_step(ann, step("t-fb", "a1", "assistant_message", "answer", ANSWER_META))
    fid = chat_store.upsert_feedback(ann, "a1", 1, "great", thread_id="t-fb")
    again = chat_store.upsert_feedback(ann, "a1", 0, "changed my mind")
    assert again == fid  # one rating per answer and user
    with admin_engine().connect() as conn:
        row = conn.execute(sa.text("SELECT value, comment, route, tool, model, latency_ms, user_id FROM chat_feedback "
                                   "WHERE id = :id"), {"id": fid}).one()
    assert (row.value, row.comment, row.route, row.tool, row.model, row.latency_ms) == (
        0, "changed my mind", "sql", "sql", "sql-templates", 1235)
    assert row.user_id == ann.user_id
    assert chat_store.get_thread(ann, "t-fb")["steps"][1]["feedback"]["value"] == 0
    # Chainlit's UI rates the run step; the answer is its latest child message.
    chat_store.upsert_step(ann, step("t-fb", "run1", "run", ""))
    chat_store.upsert_step(ann, {**step("t-fb", "a2", "assistant_message", "answer 2",
                                        {**ANSWER_META, "route": "docs", "model": "extractive"}), "parentId": "run1"})
    run_fid = chat_store.upsert_feedback(ann, "run1", 1)
    with admin_engine().connect() as conn:
        row = conn.execute(sa.text("SELECT step_id, route, model FROM chat_feedback WHERE id = :id"),
                           {"id": run_fid}).one()
    assert tuple(row) == ("run1", "docs", "extractive")
    with pytest.raises(NotYours):
        chat_store.upsert_feedback(ann, "a1", 1, thread_id="another-thread")
    with pytest.raises(ValueError):
        chat_store.upsert_feedback(ann, "a1", 5)
    with pytest.raises(NotYours):
        chat_store.delete_feedback(people["abe"], fid)
    assert chat_store.delete_feedback(ann, fid)


def test_feedback_summary_per_route_and_model(people):
    ann = people["ann"]
    docs_meta = {"route": "docs", "tool": "docs", "model": "extractive", "latency_ms": 80}
    for i, (meta, value) in enumerate([(ANSWER_META, 1), (ANSWER_META, 1), (ANSWER_META, 0), (docs_meta, 1)]):
        chat_store.upsert_step(ann, step("t-sum", f"sum-{i}", "assistant_message", "a", meta))
        chat_store.upsert_feedback(ann, f"sum-{i}", value)
    summary = {(s.route, s.model): s for s in chat_store.feedback_summary(ann.tenant_id)}
    sql = summary[("sql", "sql-templates")]
    assert (sql.ratings, sql.up, sql.down) == (3, 2, 1) and abs(sql.up_rate - 2 / 3) < 1e-9
    assert summary[("docs", "extractive")].up_rate == 1.0
    assert chat_store.feedback_summary(people["bob"].tenant_id) == []


def test_listing_pages_searches_and_filters(people):
    abe = people["abe"]
    for i in range(5):
        chat_store.upsert_step(abe, step(f"page-{i}", f"page-step-{i}", "assistant_message", f"answer {i} 100%"))
        chat_store.upsert_thread(abe, f"page-{i}", name=f"Thread {i}")
    first = chat_store.list_threads(abe, first=2)
    second = chat_store.list_threads(abe, first=2, cursor=first.end_cursor)
    assert first.has_next and len(first.threads) == 2 and len(second.threads) == 2
    assert not {t["id"] for t in first.threads} & {t["id"] for t in second.threads}
    assert [t["id"] for t in chat_store.list_threads(abe, search="answer 3").threads] == ["page-3"]
    assert chat_store.list_threads(abe, search="_").threads == []  # LIKE wildcards are literal
    assert len(chat_store.list_threads(abe, search="100%").threads) == 5
    chat_store.upsert_feedback(abe, "page-step-1", 0)
    assert [t["id"] for t in chat_store.list_threads(abe, feedback=0).threads] == ["page-1"]


def test_errors_surface(people):
    ann = people["ann"]
    with pytest.raises(ValueError):
        chat_store.upsert_step(ann, {"id": "no-thread", "type": "user_message"})
    chat_store.upsert_step(ann, step("t-err", "e1", "assistant_message", "x"))
    with pytest.raises(ValueError):
        chat_store.upsert_feedback(ann, "e1", 1, "x" * (chat_store.MAX_COMMENT + 1))
    with pytest.raises(DBAPIError):  # the database's own CHECK, reported rather than swallowed
        chat_store.upsert_step(ann, step("t-err", "e2" * 200, "user_message", "id too long"))


def test_delete_thread_removes_steps_and_feedback(people):
    ann = people["ann"]
    chat_store.upsert_step(ann, step("t-del", "d1", "assistant_message", "x", ANSWER_META))
    chat_store.upsert_feedback(ann, "d1", 1)
    assert chat_store.delete_thread(ann, "t-del")
    assert chat_store.get_thread(ann, "t-del") is None
    with admin_engine().connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM chat_feedback WHERE step_id = 'd1'")).scalar_one() == 0
    assert not chat_store.delete_thread(ann, "t-del")


def test_api_keys_are_stored_hashed_verified_and_revocable(people):
    ann, bob = people["ann"], people["bob"]
    key, info = api_keys.create_key(ann.tenant_id, "shop backend")
    assert key.startswith(f"slk_{info.prefix}_")
    with admin_engine().connect() as conn:
        stored = conn.execute(sa.text("SELECT prefix, key_hash, name FROM api_keys WHERE id = :id"),
                              {"id": info.id}).one()
    assert key not in " ".join(map(str, stored)) and stored.key_hash == api_keys.hash_key(key)
    assert api_keys.verify_key(key).slug == "cs-a"
    assert api_keys.verify_key(key[:-1] + ("A" if key[-1] != "A" else "B")) is None  # one character off
    assert api_keys.verify_key("slk_000000000000_" + "x" * 43) is None
    assert api_keys.verify_key("not a key") is None
    assert not api_keys.revoke_key(bob.tenant_id, info.prefix)  # another tenant cannot revoke it
    assert api_keys.verify_key(key) is not None
    assert [k.prefix for k in api_keys.list_keys(bob.tenant_id)] == []
    registry.set_tenant_status("cs-a", "disabled")
    try:
        assert api_keys.verify_key(key) is None
    finally:
        registry.set_tenant_status("cs-a", "active")
    assert api_keys.revoke_key(ann.tenant_id, f"slk_{info.prefix}")
    assert api_keys.verify_key(key) is None


def test_allowed_origins_per_tenant(people):
    ann, bob = people["ann"], people["bob"]
    assert normalize_origin("HTTPS://Shop.Example.com:443/") == "https://shop.example.com"
    assert normalize_origin("http://localhost:8080") == "http://localhost:8080"
    for bad in ("shop.example.com", "https://shop.example.com/path", "javascript:alert(1)", "null",
                "https://user@shop.example.com", "ftp://x.example"):
        with pytest.raises(OriginError):
            normalize_origin(bad)
    add_origin(ann.tenant_id, "https://shop-a.example")
    add_origin(ann.tenant_id, "https://shop-a.example")  # idempotent
    add_origin(bob.tenant_id, "https://shop-b.example")
    assert list_origins(ann.tenant_id) == ["https://shop-a.example"]
    assert list_origins(bob.tenant_id) == ["https://shop-b.example"]
    assert {"https://shop-a.example", "https://shop-b.example"} <= any_tenant_origins()
    assert not remove_origin(bob.tenant_id, "https://shop-a.example")
    assert remove_origin(ann.tenant_id, "https://shop-a.example")
    assert list_origins(ann.tenant_id) == []


def test_cli_apikey_origin_and_feedback_commands(people):
    from typer.testing import CliRunner

    from app.cli import cli

    run = CliRunner().invoke
    r = run(cli, ["apikey", "create", "--tenant", "cs-b", "--name", "cli key"])
    assert r.exit_code == 0, r.output
    key = r.stdout.strip().splitlines()[0]
    assert api_keys.verify_key(key).slug == "cs-b"
    prefix = key.split("_")[1]
    assert prefix in run(cli, ["apikey", "list", "--tenant", "cs-b"]).stdout
    assert run(cli, ["apikey", "revoke", prefix, "--tenant", "cs-b"]).exit_code == 0
    assert api_keys.verify_key(key) is None
    assert run(cli, ["apikey", "revoke", prefix, "--tenant", "cs-b"]).exit_code == 2
    assert run(cli, ["apikey", "list", "--tenant", "no-such-tenant"]).exit_code == 2

    assert run(cli, ["origin", "add", "HTTPS://Shop-B.example/", "--tenant", "cs-b"]).exit_code == 0
    assert "https://shop-b.example" in run(cli, ["origin", "list", "--tenant", "cs-b"]).stdout
    assert run(cli, ["origin", "add", "shop-b.example/path", "--tenant", "cs-b"]).exit_code == 2
    assert run(cli, ["origin", "remove", "https://shop-b.example", "--tenant", "cs-b"]).exit_code == 0

    bob = people["bob"]
    for i, value in enumerate((1, 1, 0)):
        chat_store.upsert_step(bob, step("t-cli", f"cli-{i}", "assistant_message", "a", ANSWER_META))
        chat_store.upsert_feedback(bob, f"cli-{i}", value)
    out = run(cli, ["feedback", "--tenant", "cs-b"]).stdout
    line = next(x for x in out.splitlines() if x.startswith("sql "))
    assert "sql-templates" in line and line.split()[2:6] == ["3", "2", "1", "67%"]
