"""Erasure and export (GDPR): erase a whole tenant, erase one user, export one user's conversations; each recorded in
the append-only `operator_log` (migration 0011) without personal data.

Which tables hold a tenant's rows is read from the catalog, never from a list: every table of the public schema with a
column named `tenant_id` or `scope_tenant_id`, or a single-column foreign key to `tenants(id)` (`tenant_columns()`),
plus the tables keyed by a LangGraph thread id `<tenant uuid>:<user uuid>:<thread>` (a `thread_id` text column and no
tenant column: `thread_tables()`). Rows are deleted children first (the foreign-key graph between those tables), in one
transaction on the admin connection (superuser, or BYPASSRLS in production), which ends by checking that no row of
the tenant (or user) is left in any of them; any leftover rolls everything back.

- `erase_tenant(slug)`: every row of the tenant (and the job queue's entries of its training jobs), then its files:
  the folders of its datasets, the folders of training jobs trained for it and the adapters registered for it
  (`tenant:<slug>` versions); it refuses while a training job of the tenant runs. Then the pooled industry
  aggregates are recomputed without it (`db.industry.refresh`); the CLI also rebuilds the pooled industry dataset
  (training/, which db/ must not import). API keys, Origins, documents and chat history are tenant rows.
- `erase_user(email)`: rows with the user's `user_id` in every tenant table of their tenant (threads and, through
  their foreign keys, messages, elements and feedback; ratings, audit rows), their conversation memory, their
  rate-limit buckets, then the user itself.
- `export_user(email)`: the user's threads with their messages and elements, and their feedback, as one JSON-ready
  dict, read through the tenant's own RLS-bound session.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from config import get_settings
from config.errors import UserError
from db.engine import admin_engine

EXPORT_FORMAT = "sightline-user-export-v1"
QUEUE_TABLE = "sightline_queue.procrastinate_jobs"  # training/queue.py: args = {"job_id": <training job id>}


class ErasureError(UserError):
    """An erasure or export cannot be done as asked (unknown tenant/user, a running job of the tenant)."""


@dataclass(frozen=True)
class TenantErasure:
    tenant_id: uuid.UUID
    slug: str
    rows: dict[str, int]  # table -> rows deleted by name (rows of child tables without a tenant column, e.g.
    # dataset_versions, training_events, go with their parents through ON DELETE CASCADE)
    files_removed: list[str] = field(default_factory=list)  # paths relative to the data folder
    aggregates: int = 0  # pooled aggregate cells after the refresh

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class UserErasure:
    user_id: uuid.UUID
    tenant_slug: str
    rows: dict[str, int]

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


# --------------------------------------------------------------------------------------------------- catalog


def tenant_columns(conn: Connection) -> list[tuple[str, str]]:
    """(table, column) of every public table column that holds a tenant id, read from the catalog."""
    rows = conn.execute(sa.text("""
        SELECT c.relname AS tbl, a.attname AS col
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
          AND a.attname IN ('tenant_id', 'scope_tenant_id') AND c.relname <> 'tenants'
        UNION
        SELECT c.relname, a.attname
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
        WHERE k.contype = 'f' AND k.confrelid = 'public.tenants'::regclass AND cardinality(k.conkey) = 1
        ORDER BY 1, 2""")).all()
    return [(r.tbl, r.col) for r in rows]


def thread_tables(conn: Connection, exclude: Iterable[str]) -> list[str]:
    """Public tables keyed by a text `thread_id` of the form `<tenant>:<user>:<thread>` (no tenant column)."""
    rows = conn.execute(sa.text("""
        SELECT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attname = 'thread_id' AND NOT a.attisdropped
          AND a.atttypid = 'text'::regtype ORDER BY 1""")).scalars().all()
    skip = set(exclude)
    return [t for t in rows if t not in skip]


def _delete_order(conn: Connection, tables: set[str]) -> list[str]:
    """`tables` with every table before the tables it references (children first), from the foreign-key graph."""
    edges = conn.execute(sa.text("""
        SELECT DISTINCT c.relname AS child, p.relname AS parent FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE k.contype = 'f' AND n.nspname = 'public' AND c.relname <> p.relname""")).all()
    children: dict[str, set[str]] = {t: set() for t in tables}  # parent -> its children within `tables`
    for e in edges:
        if e.child in tables and e.parent in tables:
            children[e.parent].add(e.child)
    order: list[str] = []
    done: set[str] = set()

    def visit(table: str, path: frozenset[str]) -> None:
        if table in done or table in path:
            return
        for child in sorted(children[table]):
            visit(child, path | {table})
        done.add(table)
        order.append(table)

    for table in sorted(tables):
        visit(table, frozenset())
    return order


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _log(conn: Connection, action: str, subject: str, tenant_ref: uuid.UUID | None, details: dict[str, Any]) -> None:
    conn.execute(sa.text("INSERT INTO operator_log (action, subject, tenant_ref, details) "
                         "VALUES (:a, :s, :t, CAST(:d AS jsonb))"),
                 {"a": action, "s": subject, "t": tenant_ref, "d": json.dumps(details, sort_keys=True)})


def log_event(action: str, subject: str = "deployment", tenant_ref: uuid.UUID | None = None,
              details: dict[str, Any] | None = None) -> None:
    """Append one operator_log row (counts only, never personal data)."""
    with admin_engine().begin() as conn:
        _log(conn, action, subject, tenant_ref, details or {})


def operator_log(limit: int = 50) -> list[dict[str, Any]]:
    """The newest operator_log rows."""
    with admin_engine().connect() as conn:
        rows = conn.execute(sa.text("SELECT id, at, action, subject, tenant_ref, details FROM operator_log "
                                    "ORDER BY id DESC LIMIT :n"), {"n": limit}).mappings().all()
    return [dict(r) for r in rows]


# --------------------------------------------------------------------------------------------------- tenant


def _inside(data_dir: Path, path: str | None) -> Path | None:
    """`path` resolved, when it lies strictly inside the data folder (never delete anything outside it)."""
    if not path:
        return None
    p = Path(path).expanduser().resolve()
    return p if data_dir in p.parents else None


def _tenant_files(conn: Connection, tenant_id: uuid.UUID, data_dir: Path) -> list[Path]:
    paths: list[Path] = []
    datasets_root = data_dir / "datasets"
    for name in conn.execute(sa.text("SELECT name FROM datasets WHERE scope_tenant_id = :t"), {"t": tenant_id}
                             ).scalars():
        paths.append(datasets_root / name)
    for (folder,) in conn.execute(sa.text("SELECT job_dir FROM training_jobs WHERE scope_tenant_id = :t"),
                                  {"t": tenant_id}):
        paths.append(Path(folder))
    for (folder,) in conn.execute(sa.text("SELECT adapter_path FROM model_versions WHERE scope_tenant_id = :t"),
                                  {"t": tenant_id}):
        paths.append(Path(folder))
    inside = [_inside(data_dir, str(p)) for p in paths]
    return sorted({p for p in inside if p is not None})


def _remaining(conn: Connection, columns: list[tuple[str, str]], threads: list[str], tenant_id: uuid.UUID,
               user_id: uuid.UUID | None = None) -> dict[str, int]:
    left: dict[str, int] = {}
    user_tables = _user_tables(conn, columns) if user_id is not None else set()
    for table, column in columns:
        if user_id is not None and table not in user_tables:
            continue
        where = f"{_ident(column)} = :t" + (" AND user_id = :u" if user_id is not None else "")
        n = conn.execute(sa.text(f"SELECT count(*) FROM {_ident(table)} WHERE {where}"),
                         {"t": tenant_id, "u": user_id}).scalar_one()
        if n:
            left[f"{table}.{column}"] = n
    prefix = f"{tenant_id}:" + (f"{user_id}:" if user_id is not None else "")
    for table in threads:
        n = conn.execute(sa.text(f"SELECT count(*) FROM {_ident(table)} WHERE starts_with(thread_id, :p)"),
                         {"p": prefix}).scalar_one()
        if n:
            left[table] = n
    return left


def _queue_exists(conn: Connection) -> bool:
    return conn.execute(sa.text("SELECT to_regclass(:t)"), {"t": QUEUE_TABLE}).scalar() is not None


def _delete_queue_entries(conn: Connection, job_ids: list[str]) -> int:
    """The job queue's entries (migration 0010, procrastinate) of the erased training jobs: they name them only in
    `args`, so the catalog rules above cannot see them."""
    if not job_ids or not _queue_exists(conn):
        return 0
    return conn.execute(sa.text(f"DELETE FROM {QUEUE_TABLE} WHERE args->>'job_id' = ANY(:ids)"),
                        {"ids": job_ids}).rowcount


def _tally(rows: dict[str, int], table: str, n: int) -> None:
    """Add `n` deleted rows of `table` to the report `rows`; a table with none deleted stays out of it."""
    if n:
        rows[table] = rows.get(table, 0) + n


def _delete_thread_rows(conn: Connection, threads: list[str], prefix: str) -> dict[str, int]:
    """Delete the rows of the thread-keyed tables (see thread_tables) whose thread id starts with `prefix`;
    returns the deleted-row report started with them."""
    rows: dict[str, int] = {}
    for table in threads:
        _tally(rows, table, conn.execute(sa.text(f"DELETE FROM {_ident(table)} WHERE starts_with(thread_id, :p)"),
                                         {"p": prefix}).rowcount)
    return rows


def erase_tenant(slug: str) -> TenantErasure:
    """Delete every row and file of tenant `slug`, log it, and recompute the pooled aggregates without it."""
    from db import industry
    from db.registry import RegistryError, get_tenant

    try:
        tenant = get_tenant(slug)
    except RegistryError as exc:
        raise ErasureError(str(exc)) from None
    data_dir = Path(get_settings().data_dir).expanduser().resolve()
    with admin_engine().begin() as conn:
        running = conn.execute(sa.text(
            "SELECT id FROM training_jobs WHERE scope_tenant_id = :t AND status = 'running' "
            "AND heartbeat_at > now() - interval '5 minutes'"), {"t": tenant.id}).scalars().all()
        if running:
            raise ErasureError(f"training job {running[0]} of tenant {slug} is running; cancel it first "
                               f"(`sightline jobs cancel {running[0]}`), then erase")
        conn.execute(sa.text("SELECT id FROM tenants WHERE id = :t FOR UPDATE"), {"t": tenant.id})
        job_ids = list(conn.execute(sa.text("SELECT id FROM training_jobs WHERE scope_tenant_id = :t"),
                                    {"t": tenant.id}).scalars())
        if _queue_exists(conn) and conn.execute(sa.text(
                f"SELECT count(*) FROM {QUEUE_TABLE} WHERE status = 'doing' AND args->>'job_id' = ANY(:ids)"),
                {"ids": job_ids}).scalar_one():
            raise ErasureError(f"a training job of tenant {slug} is running in a worker; cancel it first "
                               "(`sightline jobs list`, `sightline jobs cancel JOB`), then erase")
        columns = tenant_columns(conn)
        threads = thread_tables(conn, exclude={t for t, _ in columns})
        files = _tenant_files(conn, tenant.id, data_dir)
        rows = _delete_thread_rows(conn, threads, f"{tenant.id}:")
        by_table: dict[str, list[str]] = {}
        for table, column in columns:
            by_table.setdefault(table, []).append(column)
        for table in _delete_order(conn, set(by_table)):
            where = " OR ".join(f"{_ident(c)} = :t" for c in by_table[table])
            _tally(rows, table, conn.execute(sa.text(f"DELETE FROM {_ident(table)} WHERE {where}"),
                                             {"t": tenant.id}).rowcount)
        rows["tenants"] = conn.execute(sa.text("DELETE FROM tenants WHERE id = :t"), {"t": tenant.id}).rowcount
        _tally(rows, QUEUE_TABLE, _delete_queue_entries(conn, job_ids))
        left = _remaining(conn, columns, threads, tenant.id)
        if left:  # cannot happen unless a table escaped the catalog rules; roll everything back
            raise RuntimeError(f"erasure of {slug} left rows behind: {left}")
        _log(conn, "tenant_erase", f"tenant:{slug}", tenant.id,
             {"rows": rows, "tables": len(by_table) + len(threads), "files": len(files)})
    removed = []
    for path in files:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        else:
            continue
        removed.append(path.relative_to(data_dir).as_posix())
    aggregates = industry.refresh()
    return TenantErasure(tenant_id=tenant.id, slug=slug, rows=rows, files_removed=removed, aggregates=aggregates)


# --------------------------------------------------------------------------------------------------- user


def _user_tables(conn: Connection, columns: list[tuple[str, str]]) -> set[str]:
    """Tables with a `tenant_id` column and a `user_id` column (rows that belong to one user)."""
    with_tenant = {t for t, c in columns if c == "tenant_id"}
    users = set(conn.execute(sa.text(
        "SELECT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND a.attname = 'user_id' "
        "AND NOT a.attisdropped")).scalars())
    return (with_tenant & users) - {"users"}


def _find_user(email: str) -> Any:
    from db.registry import find_user

    user = find_user(email)
    if user is None:
        raise ErasureError("no user with that e-mail address (see `sightline user list --tenant SLUG`)")
    return user


def erase_user(email: str) -> UserErasure:
    """Delete everything of one user (see the module docstring) and log it under the user's id, not the e-mail."""
    user = _find_user(email)
    tid, uid = user.tenant.id, user.id
    with admin_engine().begin() as conn:
        conn.execute(sa.text("SELECT id FROM users WHERE id = :u FOR UPDATE"), {"u": uid})
        columns = tenant_columns(conn)
        threads = thread_tables(conn, exclude={t for t, _ in columns})
        rows = _delete_thread_rows(conn, threads, f"{tid}:{uid}:")
        for table in _delete_order(conn, _user_tables(conn, columns)):
            _tally(rows, table, conn.execute(sa.text(
                f"DELETE FROM {_ident(table)} WHERE tenant_id = :t AND user_id = :u"), {"t": tid, "u": uid}).rowcount)
        # Rate-limit buckets are keyed "<action>:user:<uuid>" (db/ratelimit.py).
        _tally(rows, "rate_buckets", conn.execute(sa.text(
            "DELETE FROM rate_buckets WHERE tenant_id = :t AND bucket_key LIKE :k"),
            {"t": tid, "k": f"%:user:{uid}"}).rowcount)
        rows["users"] = conn.execute(sa.text("DELETE FROM users WHERE id = :u AND tenant_id = :t"),
                                     {"u": uid, "t": tid}).rowcount
        left = _remaining(conn, columns, threads, tid, uid)
        if left:
            raise RuntimeError(f"erasure of user {uid} left rows behind: {left}")
        _log(conn, "user_erase", f"user:{uid}", tid, {"rows": rows})
    return UserErasure(user_id=uid, tenant_slug=user.tenant.slug, rows=rows)


def export_user(email: str) -> dict[str, Any]:
    """The user's threads (with messages and elements) and feedback, read as their tenant (row-level security)."""
    from db.session import tenant_session

    user = _find_user(email)
    params = {"u": user.id}
    with tenant_session(user.tenant.id) as conn:
        profile = conn.execute(sa.text("SELECT email, role, created_at FROM users WHERE id = :u"), params).one()
        threads = [dict(r) for r in conn.execute(sa.text(
            "SELECT to_jsonb(t) - 'tenant_id' AS thread FROM chat_threads t WHERE user_id = :u "
            "ORDER BY created_at, id"), params).scalars()]
        steps = conn.execute(sa.text(
            "SELECT to_jsonb(s) - 'tenant_id' AS step FROM chat_steps s JOIN chat_threads t "
            "ON t.tenant_id = s.tenant_id AND t.id = s.thread_id WHERE t.user_id = :u "
            "ORDER BY s.created_at, s.seq"), params).scalars().all()
        elements = conn.execute(sa.text(
            "SELECT to_jsonb(e) - 'tenant_id' AS element FROM chat_elements e JOIN chat_threads t "
            "ON t.tenant_id = e.tenant_id AND t.id = e.thread_id WHERE t.user_id = :u "
            "ORDER BY e.created_at, e.id"), params).scalars().all()
        feedback = [dict(r) for r in conn.execute(sa.text(
            "SELECT to_jsonb(f) - 'tenant_id' - 'user_id' AS feedback FROM chat_feedback f WHERE user_id = :u "
            "ORDER BY created_at, id"), params).scalars()]
    by_thread: dict[str, dict[str, Any]] = {}
    for t in threads:
        t.pop("user_id", None)
        t["messages"], t["elements"] = [], []
        by_thread[t["id"]] = t
    for s in steps:
        by_thread[s["thread_id"]]["messages"].append(s)
    for e in elements:
        by_thread[e["thread_id"]]["elements"].append(e)
    log_event("user_export", f"user:{user.id}", user.tenant.id,
              {"threads": len(threads), "messages": len(steps), "feedback": len(feedback)})
    return {
        "format": EXPORT_FORMAT,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "user": {"email": profile.email, "role": profile.role, "tenant": user.tenant.slug,
                 "created_at": profile.created_at.isoformat()},
        "threads": threads,
        "feedback": feedback,
    }
