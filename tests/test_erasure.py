"""Tenant and user erasure, user export, the operator log (real PostgreSQL, the real CLI commands).

A fourth tenant ("doomed", prices far above the others) gets rows in every kind of tenant table (sales, documents,
chat history, feedback, API keys, Origins, audit, rate buckets, conversation memory, a tenant dataset, a queued training
job and a registered adapter with their folders); `tenant erase` must leave no row of it in any table that has a tenant
column (read from the catalog, so a table added later is covered too) and rebuild the pooled industry data without it.
"""

from __future__ import annotations

import json
import uuid

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from app.cli import cli
from db import api_keys, audit, chat_store, industry, origins, ratelimit, registry
from db.demo import DemoTenant, load_demo
from db.engine import admin_engine
from db.erasure import tenant_columns, thread_tables
from db.session import tenant_session

runner = CliRunner()
DOOMED = DemoTenant("doomed", "Doomed Optics", 2, 4.0, 150, 2.5, "DO",
                    (("dora.admin@doomed-optics.example", "admin"), ("dan@doomed-optics.example", "member")))


def run(*args: str):
    return runner.invoke(cli, list(args))


def _converse(email: str, thread: str) -> None:
    """A thread with a question, an answer, a rating, an audit row, a rate-limit token and conversation memory."""
    p = registry.principal_for(email)
    chat_store.upsert_step(p, {"id": f"{thread}-q", "threadId": thread, "type": "user_message",
                               "output": "How many frames did we sell?"})
    chat_store.upsert_step(p, {"id": f"{thread}-a", "threadId": thread, "type": "assistant_message",
                               "output": "You sold 12 frames.", "metadata": {"route": "sql", "model": "templates"}})
    chat_store.upsert_feedback(p, f"{thread}-a", 1, "useful")
    audit.record(p, event="turn", route="sql", tool_input="frames sold")
    assert ratelimit.take(p).allowed
    with tenant_session(p.tenant_id) as conn:
        conn.execute(sa.text("INSERT INTO checkpoints (thread_id, checkpoint_id, checkpoint) "
                             "VALUES (:t, 'c1', '{}'::jsonb)"), {"t": f"{p.tenant_id}:{p.user_id}:{thread}"})


@pytest.fixture(scope="module")
def world(demo, tmp_path_factory):
    """The three demo tenants plus "doomed" with rows and files of every kind; the pooled industry data built."""
    from training import registry as model_registry
    from training.datasets import add_dataset
    from training.industry_builder import build_industry_dataset
    from training.jobs import create_job

    load_demo(seed=7, tenants=(DOOMED,))
    doomed = registry.get_tenant("doomed")
    for email, _ in DOOMED.users:
        _converse(email, f"t-{email.split('@')[0]}")
    _converse("noah@northwind-optics.example", "t-noah")
    _converse("ava.admin@northwind-optics.example", "t-ava")
    api_keys.create_key(doomed.id, "shop")
    origins.add_origin(doomed.id, "https://shop.doomed.example")
    with tenant_session(doomed.id) as conn:
        doc = conn.execute(sa.text("INSERT INTO documents (title, source, mime_type, content_hash) "
                                   "VALUES ('Policy', 'policy.md', 'text/markdown', 'x') RETURNING id")).scalar_one()
        conn.execute(sa.text("INSERT INTO document_chunks (document_id, chunk_index, content, embedding) "
                             "VALUES (:d, 0, 'Remakes are free.', :e)"), {"d": doc, "e": str([0.1] * 384)})
    src = tmp_path_factory.mktemp("ds") / "faq.jsonl"
    src.write_text("".join(json.dumps({"prompt": f"Question {i} about lens coatings?",
                                       "completion": f"Answer {i}: anti-reflective coatings cut glare."}) + "\n"
                           for i in range(12)))
    ds = add_dataset(src, "doomed-faq", tenant_slug="doomed").dataset
    assert ds is not None
    job = create_job(target="tenant:doomed", tenant_id=doomed.id, dataset_name="doomed-faq",
                     dataset_version=ds.version.version, preset="quick", base_model="base", config={},
                     fingerprint="f" * 64, total_steps=1, estimate=None)
    from training.queue import enqueue, queued_ids

    enqueue(job)
    assert job.id in queued_ids()
    version = model_registry.create_version(job)
    version.adapter_path.mkdir(parents=True)
    (version.adapter_path / "adapter_config.json").write_text("{}")
    industry.refresh()
    before = {(a.metric, a.bucket, a.period): a for a in industry.read()}
    industry_ds = build_industry_dataset()
    return {"doomed": doomed, "job_id": job.id, "dataset_dir": ds.version.path.parent, "job_dir": job.job_dir,
            "adapter_dir": version.adapter_path, "aggregates": before, "industry_version": industry_ds.version}


def _tenant_rows(tenant_id: uuid.UUID) -> dict[str, int]:
    """Rows of the tenant in every table with a tenant column (catalog) and in the conversation-memory tables."""
    found = {}
    with admin_engine().connect() as conn:
        columns = tenant_columns(conn)
        for table, column in columns:
            n = conn.execute(sa.text(f'SELECT count(*) FROM "{table}" WHERE "{column}" = :t'),
                             {"t": tenant_id}).scalar_one()
            if n:
                found[f"{table}.{column}"] = n
        for table in thread_tables(conn, exclude={t for t, _ in columns}):
            n = conn.execute(sa.text(f'SELECT count(*) FROM "{table}" WHERE starts_with(thread_id, :p)'),
                             {"p": f"{tenant_id}:"}).scalar_one()
            if n:
                found[table] = n
        found["tenants"] = conn.execute(sa.text("SELECT count(*) FROM tenants WHERE id = :t"),
                                        {"t": tenant_id}).scalar_one()
    return found


def test_catalog_discovery_finds_every_tenant_table(database):
    with admin_engine().connect() as conn:
        columns = dict(tenant_columns(conn))
        threads = thread_tables(conn, exclude=set(columns))
    from db.roles import TENANT_TABLES

    assert set(TENANT_TABLES) <= set(columns)
    assert {"datasets", "training_jobs", "model_versions"} <= set(columns)  # scope_tenant_id (control plane)
    assert set(threads) == {"checkpoints", "checkpoint_blobs", "checkpoint_writes"}
    assert "operator_log" not in columns  # the log outlives the tenants it records


def test_erase_needs_yes_and_a_known_tenant(world):
    r = run("tenant", "erase", "doomed")
    assert r.exit_code == 2 and "--yes" in r.output
    assert _tenant_rows(world["doomed"].id)["sales.tenant_id"] > 0
    r = run("tenant", "erase", "ghost", "--yes")
    assert r.exit_code == 2 and "unknown tenant 'ghost'" in r.output


def test_user_export_then_erase(world):
    email = "noah@northwind-optics.example"
    p = registry.principal_for(email)
    r = run("user", "export", email)
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["user"]["email"] == email and data["user"]["tenant"] == "northwind"
    [thread] = data["threads"]
    assert thread["id"] == "t-noah"
    assert [m["output"] for m in thread["messages"]] == ["How many frames did we sell?", "You sold 12 frames."]
    assert [(f["value"], f["comment"]) for f in data["feedback"]] == [(1, "useful")]

    r = run("user", "erase", email)
    assert r.exit_code == 0, r.output
    assert registry.find_user(email) is None
    with admin_engine().connect() as conn:
        for table in ("chat_threads", "chat_steps", "chat_feedback", "audit_log"):
            assert conn.execute(sa.text(f"SELECT count(*) FROM {table} t WHERE tenant_id = :t AND "
                                        + ("user_id = :u" if table != "chat_steps" else
                                           "thread_id = 't-noah'")), {"t": p.tenant_id, "u": p.user_id}
                                ).scalar_one() == 0, table
        assert conn.execute(sa.text("SELECT count(*) FROM checkpoints WHERE starts_with(thread_id, :p)"),
                            {"p": f"{p.tenant_id}:{p.user_id}:"}).scalar_one() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM rate_buckets WHERE bucket_key LIKE :k"),
                            {"k": f"%:user:{p.user_id}"}).scalar_one() == 0
        # the other user of the tenant keeps everything
        ava = registry.principal_for("ava.admin@northwind-optics.example")
        assert conn.execute(sa.text("SELECT count(*) FROM chat_steps WHERE tenant_id = :t AND thread_id = 't-ava'"),
                            {"t": ava.tenant_id}).scalar_one() == 2
        log = conn.execute(sa.text("SELECT action, subject, details::text FROM operator_log "
                                   "WHERE subject = :s ORDER BY id"), {"s": f"user:{p.user_id}"}).all()
    assert [row.action for row in log] == ["user_export", "user_erase"]
    assert not any("@" in row.details or "noah" in row.details for row in log)  # no personal data in the log
    r = run("user", "erase", email)
    assert r.exit_code == 2 and "no user" in r.output and email not in r.output


def test_tenant_erase_leaves_no_row_anywhere_and_rebuilds_pooled_data(world):
    doomed = world["doomed"]
    assert _tenant_rows(doomed.id)["chat_feedback.tenant_id"] == 2  # the fixture reached the tables it should
    others = {t: _tenant_rows(registry.get_tenant(t).id) for t in ("northwind", "lumen", "clearview")}
    assert max(a.n_tenants for a in world["aggregates"].values()) == 4

    r = run("tenant", "erase", "doomed", "--yes")
    assert r.exit_code == 0, r.output
    assert _tenant_rows(doomed.id) == {"tenants": 0}
    for folder in ("dataset_dir", "job_dir", "adapter_dir"):
        assert not world[folder].exists(), folder
    from training.queue import queued_ids

    assert world["job_id"] not in queued_ids()  # the queue names jobs only in its args: removed too
    with admin_engine().connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM sightline_queue.procrastinate_jobs "
                                    "WHERE args->>'job_id' = :j"), {"j": world["job_id"]}).scalar_one() == 0
    assert {t: _tenant_rows(registry.get_tenant(t).id) for t in others} == others  # nobody else lost a row

    after = {(a.metric, a.bucket, a.period): a for a in industry.read()}
    assert after and max(a.n_tenants for a in after.values()) == 3
    key = ("avg_selling_price", "frames", "2025")
    assert after[key].value < world["aggregates"][key].value  # the expensive tenant no longer lifts the average
    from training.datasets import get_dataset

    current = get_dataset("industry").version
    assert current.version != world["industry_version"].version
    text = "".join(current.split_path(s).read_text() for s in ("train", "val", "test"))
    assert "at least 4 optical retail chains" not in text and "at least 3 optical retail chains" in text
    assert "pooled dataset industry rebuilt" in r.output

    with admin_engine().connect() as conn:
        row = conn.execute(sa.text("SELECT subject, tenant_ref, details FROM operator_log WHERE action = "
                                   "'tenant_erase'")).one()
    assert row.subject == "tenant:doomed" and row.tenant_ref == doomed.id
    assert row.details["rows"]["sales"] > 0 and "@" not in json.dumps(row.details)
    assert "tenant_erase" in run("operator-log").output
