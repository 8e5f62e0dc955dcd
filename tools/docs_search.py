"""The docs tool's retrieval: top-k chunks of the caller's tenant documents, exact or HNSW by tenant size, under RLS.

`search` is hybrid: the `POOL` chunks nearest to the question's embedding (one tenant-scoped query, as
`search_vector`) are re-ordered by cosine + `LEXICAL_WEIGHT` x the share of the question's content words (weighted
by how rare they are within the pool) that the chunk or its document title states, so a passage naming the asked
thing ("deposit", "Saturday") climbs above passages that are only about the same topic. `Hit.score` stays the cosine.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import sqlalchemy as sa
from pgvector.sqlalchemy import VECTOR
from sqlalchemy.engine import Connection

from config import get_settings
from db.principal import Principal
from db.session import tenant_session
from tools.embeddings import EMBEDDING_DIM, embed_one

Path_ = Literal["exact", "hnsw"]
MAX_K = 50
POOL = 40  # nearest chunks re-ordered by `search` (at least k)
LEXICAL_WEIGHT = 0.25  # cosine + this x the pool-IDF-weighted share of the question's content words a chunk states
SIZE_CACHE_SECONDS = 60.0  # how long a tenant's "small or large" verdict is reused (it only picks the plan)


@dataclass(frozen=True)
class Hit:
    document_id: uuid.UUID
    title: str
    chunk_index: int
    content: str
    score: float  # cosine similarity, 1 = same direction
    source: str = ""


# Exact path: the tenant's rows come out of a MATERIALIZED CTE (btree on tenant_id, then RLS), so the ORDER BY
# runs over the CTE and the HNSW index can't be used; only ids and distances are materialized, the text of the
# k winners is fetched afterwards.
_EXACT = """
WITH scored AS MATERIALIZED (
    SELECT c.id, c.embedding <=> :q AS distance
    FROM document_chunks c
    WHERE c.tenant_id = sightline_current_tenant()
), top AS (
    SELECT id, distance FROM scored ORDER BY distance LIMIT :k
)
SELECT c.document_id, d.title, d.source, c.chunk_index, c.content, top.distance
FROM top
JOIN document_chunks c ON c.id = top.id
JOIN documents d ON d.id = c.document_id
ORDER BY top.distance, c.document_id, c.chunk_index
"""

# HNSW path: an index-ordered scan with iterative scan (relaxed order), re-sorted by exact distance outside.
_HNSW = """
WITH near AS MATERIALIZED (
    SELECT c.document_id, c.chunk_index, c.content, c.embedding <=> :q AS distance
    FROM document_chunks c
    WHERE c.tenant_id = sightline_current_tenant()
    ORDER BY distance
    LIMIT :k
)
SELECT near.document_id, d.title, d.source, near.chunk_index, near.content, near.distance
FROM near
JOIN documents d ON d.id = near.document_id
ORDER BY near.distance, near.document_id, near.chunk_index
"""

_QUERIES = {
    path: sa.text(sql).bindparams(sa.bindparam("q", type_=VECTOR(EMBEDDING_DIM)), sa.bindparam("k", type_=sa.Integer))
    for path, sql in (("exact", _EXACT), ("hnsw", _HNSW))
}

_size_cache: dict[tuple[str, int], tuple[bool, float]] = {}
_size_lock = threading.Lock()


def forget_sizes() -> None:
    """Drop the cached small/large verdicts (tests, and after a bulk load)."""
    with _size_lock:
        _size_cache.clear()


def _is_large(conn: Connection, tenant_id: str, threshold: int) -> bool:
    """Whether the tenant (the session's, by RLS) has more than `threshold` chunks; counting stops at threshold+1."""
    now = time.monotonic()
    with _size_lock:
        cached = _size_cache.get((tenant_id, threshold))
    if cached is not None and now - cached[1] < SIZE_CACHE_SECONDS:
        return cached[0]
    n = conn.execute(
        sa.text("SELECT count(*) FROM (SELECT 1 FROM document_chunks "
                "WHERE tenant_id = sightline_current_tenant() LIMIT :cap) s"),
        {"cap": threshold + 1},
    ).scalar_one()
    large = n > threshold
    with _size_lock:
        _size_cache[(tenant_id, threshold)] = (large, now)
    return large


def _choose(conn: Connection, principal: Principal) -> Path_:
    return "hnsw" if _is_large(conn, str(principal.tenant_id), get_settings().docs_exact_max_chunks) else "exact"


def _prepare(conn: Connection, path: Path_, ef_search: int) -> None:
    """Transaction-local settings for one path (planner, statement timeout), in one round trip."""
    # No JIT (it compiles for tens of ms on a scan that takes a few) and a fresh plan per call: psycopg prepares
    # a statement after 5 runs, and a cached generic plan, made for whichever tenant came first on the pooled
    # connection, can turn the exact path's top-k join into a scan of the tenant's rows per hit.
    values = {"jit": "off", "plan_cache_mode": "force_custom_plan",
              "statement_timeout": str(int(get_settings().statement_timeout_ms))}
    if path == "hnsw":
        # relaxed_order: keep scanning the graph until k rows of this tenant pass the RLS/tenant filter;
        # enable_sort=off makes "btree on tenant_id + sort" the disabled plan, so the planner uses the index.
        values |= {"hnsw.ef_search": str(int(ef_search)), "hnsw.iterative_scan": "relaxed_order",
                   "enable_sort": "off"}
    calls = ", ".join(f"set_config(:n{i}, :v{i}, true)" for i in range(len(values)))
    params = {}
    for i, (name, value) in enumerate(values.items()):
        params[f"n{i}"], params[f"v{i}"] = name, value
    conn.execute(sa.text(f"SELECT {calls}"), params)


def _vector(query_vector: Sequence[float] | np.ndarray) -> np.ndarray:
    vec = np.asarray(query_vector, dtype=np.float32).reshape(-1)
    if vec.shape != (EMBEDDING_DIM,):
        raise ValueError(f"query vector must have {EMBEDDING_DIM} dimensions, not {vec.shape[0]}")
    return vec


def _check_k(k: int) -> int:
    if not 1 <= int(k) <= MAX_K:
        raise ValueError(f"k must be between 1 and {MAX_K}, not {k}")
    return int(k)


def search_vector(
    principal: Principal,
    query_vector: Sequence[float] | np.ndarray,
    k: int = 5,
    *,
    path: Literal["auto", "exact", "hnsw"] = "auto",
) -> list[Hit]:
    """Top-k chunks of the principal's tenant nearest to a precomputed (normalized) query vector.

    `path="auto"` picks exact search for tenants with at most `docs_exact_max_chunks` chunks and the HNSW
    index above; benchmarks and tests may force one. Every path runs in the tenant's own session, under RLS,
    and only reads.
    """
    vec, k = _vector(query_vector), _check_k(k)
    if path not in ("auto", "exact", "hnsw"):
        raise ValueError(f"path must be auto, exact or hnsw, not {path!r}")
    with tenant_session(principal.tenant_id) as conn:
        chosen = _choose(conn, principal) if path == "auto" else path
        _prepare(conn, chosen, get_settings().docs_hnsw_ef_search)
        rows = conn.execute(_QUERIES[chosen], {"q": vec, "k": k}).all()
    return [Hit(document_id=r.document_id, title=r.title, chunk_index=r.chunk_index, content=r.content,
                score=1.0 - float(r.distance), source=r.source) for r in rows]


def lexical_scores(query: str, hits: Sequence[Hit]) -> list[float]:
    """Per hit, the share (0..1) of the query's content-word stems the hit's title or text holds, each stem weighted
    by its rarity within `hits` (log(1 + n/df)): a word every candidate has tells them apart less."""
    from tools.text_match import content_stems

    asked = content_stems(query)
    held = [content_stems(f"{h.title}\n{h.content}") for h in hits]
    df = {t: sum(t in s for s in held) for t in asked}
    weight = {t: math.log(1 + len(hits) / n) for t, n in df.items() if n}
    total = sum(weight.values())
    if not total:
        return [0.0] * len(hits)
    return [sum(w for t, w in weight.items() if t in s) / total for s in held]


def rerank(query: str, hits: Sequence[Hit]) -> list[Hit]:
    """Hits ordered by cosine + LEXICAL_WEIGHT x lexical score (ties keep the vector order)."""
    lex = lexical_scores(query, hits)
    order = sorted(range(len(hits)), key=lambda i: (-(hits[i].score + LEXICAL_WEIGHT * lex[i]), i))
    return [hits[i] for i in order]


def search(principal: Principal, query: str, k: int = 5) -> list[Hit]:
    """The docs tool: the k chunks of the principal's tenant documents that best answer `query`, best first (the
    POOL nearest by embedding, re-ordered by `rerank`)."""
    query = (query or "").strip()
    if not query:
        return []
    k = _check_k(k)
    return rerank(query, search_vector(principal, embed_one(query), max(k, POOL)))[:k]


def chosen_path(principal: Principal) -> Path_:
    """The path `search` takes for this principal's tenant now (same cached size verdict)."""
    with tenant_session(principal.tenant_id) as conn:
        return _choose(conn, principal)


def explain(principal: Principal, query_vector: Sequence[float] | np.ndarray, path: Path_, k: int = 5) -> str:
    """EXPLAIN (ANALYZE) text of one path's query in the principal's session, with that path's settings."""
    vec, k = _vector(query_vector), _check_k(k)
    with tenant_session(principal.tenant_id) as conn:
        _prepare(conn, path, get_settings().docs_hnsw_ef_search)
        stmt = sa.text("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + _QUERIES[path].text).bindparams(
            sa.bindparam("q", type_=VECTOR(EMBEDDING_DIM)), sa.bindparam("k", type_=sa.Integer))
        return "\n".join(r[0] for r in conn.execute(stmt, {"q": vec, "k": k}))


__all__ = ["Hit", "chosen_path", "explain", "forget_sizes", "lexical_scores", "rerank", "search", "search_vector"]
