"""Vector-search benchmark: build time, p50/p95 latency and recall@10 of the docs tool's search per tenant size.

.venv/bin/python -m bench.bench_vectors                      # default size (what fits ~10 minutes on 2 cores)
.venv/bin/python -m bench.bench_vectors --chunks 1000000     # the issue's full size (1M chunks, 1,000 tenants)
.venv/bin/python -m bench.bench_vectors --m 16 --ef-construction 64 --sweep 40,100,200

Data: `--chunks` chunks over `--tenants` tenants, one tenant holding 30% and the rest Zipf-distributed (many tiny
ones). Vectors are structured, not uniform, and shaped like real MiniLM embeddings: a shared mean direction,
1,000 topic centroids with Zipf popularity, each tenant writing ~25-chunk documents on a few topics, each
document split into 5 sections; document = jittered topic, section = jittered document, chunk = jittered
section. The jitter is anisotropic with the power-law spectrum measured on MiniLM embeddings of the project's
texts (variance ~ rank^-0.78), and the levels are scaled so that nearest-neighbour similarities match those
texts (top-1 ~0.66, top-10 ~0.45, top-100 ~0.28). Queries are fresh chunks of a random section of the tenant.

The load is a bulk COPY as the superuser into a throw-away database (foreign-key triggers skipped; the data are
consistent by construction), then the tenant btree and the HNSW index are built. Every search goes through
`tools.docs_search.search_vector` with a Principal: the app role, `SET LOCAL app.tenant_id`, RLS, the real
path choice. Recall@10 is measured against that module's exact path over the same tenant.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid
from dataclasses import dataclass

import numpy as np

from bench.common import bench_database, print_table

DIM = 384
TOPICS = 1000
CHUNKS_PER_DOC = 25
CONTENT_CHARS = 200
SECTIONS_PER_DOC = 5
SPECTRUM = 0.78  # eigenvalue decay of MiniLM embeddings of the project's texts (PCA, ranks 5-100)
MEAN_WEIGHT, TOPIC_NOISE, DOC_NOISE, SECTION_NOISE, CHUNK_NOISE = 0.5, 1.0, 0.9, 0.8, 0.8
DEFAULT_CHUNKS = 500_000  # the largest size whose whole run fits ~10 minutes on the 2-core dev box
LADDER = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000)
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
_COPY_TRAILER = (-1).to_bytes(2, "big", signed=True)


@dataclass
class TenantData:
    index: int
    id: uuid.UUID
    size: int
    centres: np.ndarray  # (sections, DIM): queries are fresh chunks of these


def tenant_sizes(total: int, tenants: int, largest_share: float = 0.30, zipf_s: float = 1.2) -> np.ndarray:
    """Chunk counts per tenant: one with `largest_share` of all, the others Zipf(s) by rank, each at least 1."""
    largest = round(total * largest_share)
    rest = total - largest
    weights = np.arange(2, tenants + 1, dtype=np.float64) ** -zipf_s
    sizes = np.maximum(1, np.floor(rest * weights / weights.sum())).astype(np.int64)
    sizes[0] += rest - sizes.sum()
    return np.concatenate([[largest], sizes])


class Noise:
    """Anisotropic Gaussian noise with a power-law spectrum (variance ~ rank^-SPECTRUM) in a fixed random basis."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.basis = np.linalg.qr(rng.standard_normal((DIM, DIM)))[0].astype(np.float32)
        weights = np.arange(1, DIM + 1, dtype=np.float64) ** -SPECTRUM
        self.scales = np.sqrt(weights / weights.sum()).astype(np.float32)

    def fork(self, seed: int) -> Noise:
        """The same spectrum and basis with its own random stream (queries)."""
        other = Noise.__new__(Noise)
        other.rng, other.basis, other.scales = np.random.default_rng(seed), self.basis, self.scales
        return other

    def jitter(self, base: np.ndarray, scale: float) -> np.ndarray:
        """Normalized base + noise of norm ~`scale` (base rows are unit vectors)."""
        z = self.rng.standard_normal(base.shape, dtype=np.float32) * self.scales
        v = base + np.float32(scale) * (z @ self.basis)
        return (v / np.linalg.norm(v, axis=-1, keepdims=True)).astype(np.float32)


def _chunk_rows(tenant_id: bytes, doc_ids: np.ndarray, doc_of_chunk: np.ndarray, vectors: np.ndarray,
                contents: np.ndarray) -> bytes:
    """Binary COPY rows for (tenant_id, document_id, chunk_index, content, embedding)."""
    n = len(vectors)
    row = np.dtype([
        ("nfields", ">i2"),
        ("l_tenant", ">i4"), ("tenant", "S16"),
        ("l_doc", ">i4"), ("doc", "S16"),
        ("l_idx", ">i4"), ("idx", ">i4"),
        ("l_content", ">i4"), ("content", f"S{CONTENT_CHARS}"),
        ("l_vec", ">i4"), ("dim", ">i2"), ("unused", ">i2"), ("vec", ">f4", (DIM,)),
    ])
    out = np.zeros(n, dtype=row)
    out["nfields"] = 5
    out["l_tenant"], out["tenant"] = 16, tenant_id
    out["l_doc"], out["doc"] = 16, doc_ids[doc_of_chunk]
    starts = np.searchsorted(doc_of_chunk, doc_of_chunk, side="left")
    out["l_idx"], out["idx"] = 4, np.arange(n) - starts
    out["l_content"], out["content"] = CONTENT_CHARS, contents
    out["l_vec"], out["dim"], out["vec"] = 4 + 4 * DIM, DIM, vectors
    return out.tobytes()


def tune_server(shared_buffers: str) -> None:
    """Give the throw-away server a production-like buffer cache (the embedded default is 128MB) and restart it."""
    from config import get_settings
    from db import embedded
    from db.engine import admin_engine, reset_engines

    with admin_engine().connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            f"ALTER SYSTEM SET shared_buffers = '{shared_buffers}'")
    reset_engines()
    embedded.stop(get_settings().pgdata_dir)
    with admin_engine().connect() as conn:
        conn.exec_driver_sql("SELECT 1")


def build(total: int, n_tenants: int, seed: int, m: int, ef_construction: int
          ) -> tuple[list[TenantData], dict[str, float], Noise]:
    """Create tenants, COPY documents and chunks, build the btree and HNSW indexes; returns tenants and timings."""
    from db.engine import admin_engine

    rng = np.random.default_rng(seed)
    sizes = tenant_sizes(total, n_tenants)
    noise = Noise(rng)
    mean_direction = rng.standard_normal(DIM).astype(np.float32)
    mean_direction /= np.linalg.norm(mean_direction)
    topics = rng.standard_normal((TOPICS, DIM), dtype=np.float32)
    topics /= np.linalg.norm(topics, axis=1, keepdims=True)
    topics = noise.jitter(topics + MEAN_WEIGHT * mean_direction, TOPIC_NOISE)
    popularity = np.arange(1, TOPICS + 1, dtype=np.float64) ** -0.8
    popularity /= popularity.sum()
    words = ["lens", "frame", "remake", "warranty", "progressive", "coating", "store", "patient", "refund",
             "trial", "contact", "fitting", "policy", "days", "optician", "order", "lab", "customer"]
    pool = np.array([" ".join(rng.choice(words, 40)).encode()[:CONTENT_CHARS].ljust(CONTENT_CHARS)
                     for _ in range(997)], dtype=f"S{CONTENT_CHARS}")

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    tenants = [TenantData(i, uuid.uuid4(), int(s), np.zeros((0, DIM), np.float32)) for i, s in enumerate(sizes)]
    raw = admin_engine().raw_connection()
    try:
        conn = raw.driver_connection
        with conn.cursor() as cur:
            cur.execute("SET session_replication_role = replica")  # bench only: skip per-row FK triggers
            cur.execute("SET synchronous_commit = off")
            cur.execute("DROP INDEX IF EXISTS document_chunks_embedding_hnsw")
            cur.execute("DROP INDEX IF EXISTS document_chunks_tenant_idx")
            with cur.copy("COPY tenants (id, slug, name) FROM STDIN") as cp:
                for t in tenants:
                    cp.write_row((t.id, f"bench-{t.index:04d}", f"Bench tenant {t.index}"))
            doc_copy = []
            with cur.copy("COPY document_chunks (tenant_id, document_id, chunk_index, content, embedding) "
                          "FROM STDIN (FORMAT BINARY)") as cp:
                cp.write(_COPY_HEADER)
                for t in tenants:
                    n_docs = max(1, -(-t.size // CHUNKS_PER_DOC))
                    n_topics = int(np.clip(t.size // 500 + 2, 2, 50))
                    mine = rng.choice(TOPICS, size=n_topics, replace=False, p=popularity)
                    docs = noise.jitter(topics[rng.choice(mine, size=n_docs)], DOC_NOISE)
                    t.centres = noise.jitter(np.repeat(docs, SECTIONS_PER_DOC, axis=0), SECTION_NOISE)
                    section = np.sort(rng.integers(0, len(t.centres), t.size))
                    doc_of_chunk = section // SECTIONS_PER_DOC
                    doc_uuids = [uuid.uuid4() for _ in range(n_docs)]
                    doc_ids = np.array([d.bytes for d in doc_uuids], dtype="S16")  # raw 16 bytes in tobytes()
                    vectors = noise.jitter(t.centres[section], CHUNK_NOISE)
                    cp.write(_chunk_rows(t.id.bytes, doc_ids, doc_of_chunk, vectors,
                                         pool[rng.integers(0, len(pool), t.size)]))
                    doc_copy += [(d, t.id, f"Doc {j}", f"doc-{j}.md") for j, d in enumerate(doc_uuids)]
                cp.write(_COPY_TRAILER)
            with cur.copy("COPY documents (id, tenant_id, title, source, mime_type, content_hash) FROM STDIN") as cp:
                for row in doc_copy:
                    cp.write_row((*row, "text/markdown", "bench"))
            conn.commit()
            timings["load (generate + COPY)"] = time.perf_counter() - t0

            t1 = time.perf_counter()
            cur.execute("SET maintenance_work_mem = '4GB'")
            cur.execute("SET max_parallel_maintenance_workers = 1")  # leader + 1 worker = the 2 cores
            cur.execute("CREATE INDEX document_chunks_tenant_idx ON document_chunks (tenant_id)")
            conn.commit()
            timings["btree (tenant_id) build"] = time.perf_counter() - t1
            t1 = time.perf_counter()
            cur.execute("CREATE INDEX document_chunks_embedding_hnsw ON document_chunks "
                        f"USING hnsw (embedding vector_cosine_ops) WITH (m = {int(m)}, "
                        f"ef_construction = {int(ef_construction)})")
            conn.commit()
            timings["HNSW build"] = time.perf_counter() - t1
            t1 = time.perf_counter()
            conn.autocommit = True
            cur.execute("VACUUM (ANALYZE) document_chunks")
            cur.execute("VACUUM (ANALYZE) documents")
            timings["vacuum analyze"] = time.perf_counter() - t1
    finally:
        raw.invalidate()  # drop the connection: its session settings must not go back to the pool
    timings["total build"] = time.perf_counter() - t0
    return tenants, timings, noise


def _queries(noise: Noise, tenant: TenantData, n: int) -> np.ndarray:
    return noise.jitter(tenant.centres[noise.rng.integers(0, len(tenant.centres), n)], CHUNK_NOISE)


def _principal(tenant: TenantData):
    from db.principal import Principal

    return Principal(uuid.uuid4(), tenant.id, f"bench-{tenant.index:04d}", "bench@bench.example")


def ground_truth(tenant: TenantData, queries: np.ndarray, k: int = 10) -> list[set[tuple[uuid.UUID, int]]]:
    """The exact top-k chunk keys per query (the search module's exact path)."""
    from tools.docs_search import search_vector

    principal = _principal(tenant)
    return [{(h.document_id, h.chunk_index) for h in search_vector(principal, q, k, path="exact")} for q in queries]


def measure(tenant: TenantData, queries: np.ndarray, truth: list[set], path: str, k: int = 10) -> tuple[float, ...]:
    """(p50 ms, p95 ms, recall@k) of `search_vector` for one tenant; path "auto" is what the docs tool does."""
    from tools.docs_search import search_vector

    principal = _principal(tenant)
    for q in queries[:5]:  # warm the pool, the size cache and the pages
        search_vector(principal, q, k, path=path)
    latencies, recalls = [], []
    for q, want in zip(queries, truth, strict=True):
        t0 = time.perf_counter()
        hits = search_vector(principal, q, k, path=path)
        latencies.append((time.perf_counter() - t0) * 1000)
        recalls.append(len(want & {(h.document_id, h.chunk_index) for h in hits}) / max(1, len(want)))
    latencies.sort()
    return statistics.median(latencies), latencies[int(0.95 * (len(latencies) - 1))], float(np.mean(recalls))


def pick_tenants(tenants: list[TenantData]) -> list[tuple[str, TenantData]]:
    """Tiny, median, a ladder of sizes around the exact/HNSW crossover (when such a tenant exists), largest."""
    by_size = sorted(tenants, key=lambda t: t.size)
    picks = [("tiny (smallest)", by_size[0]), ("median", by_size[len(by_size) // 2])]
    for target in LADDER:
        near = min(by_size, key=lambda t: abs(t.size - target))
        taken = any(near is t for _, t in picks) or near is by_size[-1]
        if abs(near.size - target) <= 0.35 * target and not taken:
            picks.append((f"~{target:,}", near))
    picks.append(("largest (30%)", by_size[-1]))
    return picks


def _set_env(name: str, value: str) -> None:
    from config import set_env
    from tools.docs_search import forget_sizes

    set_env(**{name: value})
    forget_sizes()


def main(argv: list[str] | None = None) -> list[list[str]]:
    parser = argparse.ArgumentParser(prog="bench_vectors", description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=DEFAULT_CHUNKS, help="total chunks (issue: 1,000,000)")
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=100, help="queries per tenant")
    parser.add_argument("--m", type=int, default=16, help="HNSW m")
    parser.add_argument("--ef-construction", type=int, default=128, help="HNSW ef_construction")
    parser.add_argument("--ef-search", type=int, default=None, help="hnsw.ef_search (default: settings)")
    parser.add_argument("--threshold", type=int, default=None, help="exact-search threshold (default: settings)")
    parser.add_argument("--sweep", default="", help="comma-separated ef_search values to also measure")
    parser.add_argument("--shared-buffers", default="4GB", help="server shared_buffers for the run")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv or [])

    from config import env_overrides, get_settings
    from tools.docs_search import forget_sizes

    ef_env, threshold_env = "SIGHTLINE_DOCS_HNSW_EF_SEARCH", "SIGHTLINE_DOCS_EXACT_MAX_CHUNKS"
    overrides = {ef_env: str(args.ef_search) if args.ef_search else os.environ.get(ef_env),
                 threshold_env: os.environ.get(threshold_env) if args.threshold is None else str(args.threshold)}
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    rows: list[list[str]] = []
    sweep_rows: list[list[str]] = []
    with env_overrides(**overrides):  # the sweep changes ef_search; everything is put back afterwards
        forget_sizes()
        with bench_database("bench_vectors"):
            tune_server(args.shared_buffers)
            tenants, timings, noise = build(args.chunks, args.tenants, args.seed, args.m, args.ef_construction)
            query_noise = noise.fork(args.seed + 1)
            settings = get_settings()
            threshold, ef = settings.docs_exact_max_chunks, settings.docs_hnsw_ef_search
            sweep = [int(v) for v in args.sweep.split(",") if v.strip()]
            for label, t in pick_tenants(tenants):
                queries = _queries(query_noise, t, args.queries)
                truth = ground_truth(t, queries)
                auto = "hnsw" if t.size > threshold else "exact"
                for path in (auto, "exact" if auto == "hnsw" else "hnsw"):
                    p50, p95, recall = measure(t, queries, truth, "auto" if path == auto else path)
                    rows.append([label if path == auto else "", f"{t.size:,}" if path == auto else "",
                                 f"{path} (auto)" if path == auto else f"{path} (forced)",
                                 f"{p50:.2f}", f"{p95:.2f}", f"{recall:.3f}"])
                for value in sweep:
                    _set_env("SIGHTLINE_DOCS_HNSW_EF_SEARCH", str(value))
                    p50, p95, recall = measure(t, queries, truth, "hnsw")
                    sweep_rows.append([str(value), label, f"{t.size:,}", f"{p50:.2f}", f"{p95:.2f}", f"{recall:.3f}"])
                    _set_env("SIGHTLINE_DOCS_HNSW_EF_SEARCH", str(ef))
    elapsed = time.perf_counter() - started
    print_table(f"Vector build: {args.chunks:,} chunks, {args.tenants:,} tenants, HNSW m={args.m} "
                f"ef_construction={args.ef_construction}, shared_buffers={args.shared_buffers}", ["step", "seconds"],
                [[k, f"{v:.1f}"] for k, v in timings.items()])
    print_table(f"Docs search through RLS (k=10, {args.queries} queries per tenant, exact threshold {threshold:,} "
                f"chunks, ef_search={ef}, iterative_scan=relaxed_order); targets p95 <= 10 ms, recall@10 >= 0.99",
                ["tenant", "chunks", "path", "p50 ms", "p95 ms", "recall@10"], rows)
    if sweep_rows:
        print_table("ef_search sweep (HNSW path forced)", ["ef_search", "tenant", "chunks", "p50 ms", "p95 ms",
                                                            "recall@10"], sweep_rows)
    print(f"\nbench_vectors: {args.chunks:,} chunks, whole run {elapsed / 60:.1f} min on {os.cpu_count()} cores "
          f"(load average {load_before:.1f} at start, {os.getloadavg()[0]:.1f} at end)")
    return rows


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
