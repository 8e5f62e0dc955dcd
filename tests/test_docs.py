"""The docs tool: ingesting .txt/.md/.pdf/.docx, chunking, re-ingest rules, search, path choice, isolation attacks."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import numpy as np
import pytest
import sqlalchemy as sa
from pgvector.sqlalchemy import VECTOR
from typer.testing import CliRunner

from app.cli import cli
from config import reset_settings
from db import registry
from db.principal import Principal
from db.session import tenant_session
from tests.doc_files import make_docx, make_pdf
from tools import docs_search
from tools.docs_search import Hit, chosen_path, explain, forget_sizes, search, search_vector
from tools.embeddings import embed_one
from tools.ingest import IngestError, add_documents, chunk_text, list_documents, load_demo_documents

HNSW_INDEX = "document_chunks_embedding_hnsw"


# ------------------------------------------------------------------------------------------------ helpers


def stored_chunks(tenant_id: uuid.UUID, source: str) -> list[tuple[int, int, str]]:
    """(chunk id, index, content) of one document, read through the tenant's own session."""
    with tenant_session(tenant_id) as conn:
        rows = conn.execute(sa.text(
            "SELECT c.id, c.chunk_index, c.content FROM document_chunks c JOIN documents d ON d.id = c.document_id "
            "WHERE d.source = :s ORDER BY c.chunk_index"), {"s": source}).all()
    return [(r.id, r.chunk_index, r.content) for r in rows]


def doc_count(tenant_id: uuid.UUID) -> tuple[int, int]:
    with tenant_session(tenant_id) as conn:
        return (conn.execute(sa.text("SELECT count(*) FROM documents")).scalar_one(),
                conn.execute(sa.text("SELECT count(*) FROM document_chunks")).scalar_one())


def principal(tenant: registry.Tenant) -> Principal:
    return Principal(user_id=uuid.uuid4(), tenant_id=tenant.id, tenant_slug=tenant.slug, email=f"u@{tenant.slug}.ex")


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """Set SIGHTLINE_* variables for one test; settings and the size cache are refreshed before and after."""

    def set_(**values: str) -> None:
        for key, value in values.items():
            monkeypatch.setenv(key, value)
        reset_settings()
        forget_sizes()

    yield set_
    monkeypatch.undo()
    reset_settings()
    forget_sizes()


@pytest.fixture(scope="module")
def tenants(database: str) -> dict[str, registry.Tenant]:
    """The two demo slugs (so the shipped demo documents load) plus two scratch tenants."""
    return {slug: registry.add_tenant(slug, slug.title()) for slug in ("northwind", "lumen", "docs-a", "docs-b")}


@pytest.fixture(scope="module")
def demo_docs(tenants: dict[str, registry.Tenant]) -> dict:
    return load_demo_documents()


# ----------------------------------------------------------------------------------------------- chunking


def test_chunks_respect_size_sentences_and_overlap():
    sentences = [f"Sentence number {i} talks about lens item {i * 7} in some detail." for i in range(60)]
    paragraphs = [" ".join(sentences[i : i + 12]) for i in range(0, 60, 12)]  # paragraphs longer than a chunk
    text = "\n\n".join(paragraphs)
    chunks = chunk_text(text, size=400, overlap=100)
    assert len(chunks) > 5
    assert all(len(c) <= 400 for c in chunks)
    for s in sentences:  # every sentence survives whole in some chunk
        assert any(s in c for c in chunks), s
    for c in chunks:  # chunks start and end on sentence boundaries
        assert c.startswith("Sentence number") and c.endswith(".")
    shared = sum(1 for a, b in zip(chunks, chunks[1:], strict=False) if a.split(". ")[-1].rstrip(".") in b)
    assert shared >= len(chunks) // 2  # consecutive chunks overlap by trailing sentences


def test_chunk_edge_cases():
    assert chunk_text("One short paragraph.") == ["One short paragraph."]
    blob = "x" * 2000  # one "word" longer than a chunk is cut, nothing lost
    parts = chunk_text(blob, size=800, overlap=100)
    assert "".join(parts) == blob and all(len(p) <= 800 for p in parts)
    md = "# Title\n\n" + "Intro sentence here. " * 30 + "\n\n## Section two\n\n" + "Body text goes on. " * 30
    chunks = chunk_text(md, size=700, overlap=100)
    assert not any(c.rstrip().endswith("## Section two") for c in chunks)  # a heading opens a chunk
    assert any(c.startswith("# Title\n\n## Section two") for c in chunks)  # ... under its heading path
    with pytest.raises(ValueError):
        chunk_text("x", size=100, overlap=60)


# ---------------------------------------------------------------------------------------------- ingestion


def test_ingests_each_file_type(tenants, tmp_path):
    t = tenants["docs-a"]
    txt = tmp_path / "frame-care.txt"
    txt.write_text("Frame care guide.\n\nClean acetate frames with lukewarm water and a drop of soap. "
                   "Never use acetone on acetate frames.")
    md = tmp_path / "blue-light.md"
    md.write_text("# Blue light coating FAQ\n\nOur blue light filter coating reduces glare from screens.\n")
    pdf = make_pdf(tmp_path / "sports-eyewear.pdf",
                   ["Sports eyewear policy.", "Polycarbonate lenses are mandatory for children's sports goggles."],
                   title="Sports eyewear policy")
    docx_path = make_docx(tmp_path / "price-match.docx",
                          ["We match any local optician's advertised price on identical frames."],
                          table=[["Item", "Match"], ["Frames", "yes"], ["Contact lenses", "no"]],
                          heading="Price match promise")
    results = add_documents(t.id, [txt, md, pdf, docx_path])
    assert [r.status for r in results] == ["added"] * 4
    assert [r.title for r in results] == ["Frame care", "Blue light coating FAQ", "Sports eyewear policy",
                                          "Price match promise"]
    assert all(r.chunks >= 1 for r in results)
    assert "Never use acetone" in stored_chunks(t.id, "frame-care.txt")[0][2]
    assert "blue light filter coating" in stored_chunks(t.id, "blue-light.md")[0][2]
    assert "Polycarbonate lenses are mandatory" in stored_chunks(t.id, "sports-eyewear.pdf")[0][2]
    docx_text = stored_chunks(t.id, "price-match.docx")[0][2]
    assert "identical frames" in docx_text and "- Item: Contact lenses; Match: no" in docx_text
    listed = {d.source: d for d in list_documents(t.id)}
    assert listed["sports-eyewear.pdf"].mime_type == "application/pdf"
    assert listed["price-match.docx"].mime_type.endswith("wordprocessingml.document")
    assert {s: d.chunks for s, d in listed.items()} == {r.source: r.chunks for r in results}
    # stored vectors are the model's 384-d unit vectors
    with tenant_session(t.id) as conn:
        norms = conn.execute(sa.text("SELECT vector_dims(embedding) AS d, vector_norm(embedding) AS n "
                                     "FROM document_chunks")).all()
    assert {r.d for r in norms} == {384} and all(abs(r.n - 1) < 1e-3 for r in norms)


def test_unchanged_readd_is_a_noop(tenants, tmp_path):
    t = tenants["docs-a"]
    f = tmp_path / "cleaning.md"
    f.write_text("# Cleaning\n\nUse the microfibre cloth from the case, not a tissue.\n")
    first = add_documents(t.id, [f])[0]
    before = stored_chunks(t.id, "cleaning.md")
    with tenant_session(t.id) as conn:
        updated = conn.execute(sa.text("SELECT updated_at FROM documents WHERE source = 'cleaning.md'")).scalar()
    again = add_documents(t.id, [f])[0]
    assert first.status == "added" and again.status == "unchanged"
    assert again.document_id == first.document_id and again.chunks == first.chunks
    assert stored_chunks(t.id, "cleaning.md") == before  # same chunk rows (ids), not re-inserted
    with tenant_session(t.id) as conn:
        after = conn.execute(sa.text("SELECT updated_at FROM documents WHERE source = 'cleaning.md'")).scalar()
    assert after == updated


def test_changed_file_replaces_its_chunks(tenants, tmp_path):
    t = tenants["docs-a"]
    f = tmp_path / "repair-times.md"
    f.write_text("# Repair times\n\nSoldering repairs take 10 working days at the central workshop.\n")
    first = add_documents(t.id, [f])[0]
    old_ids = {c[0] for c in stored_chunks(t.id, "repair-times.md")}
    f.write_text("# Repair times\n\n" + "Soldering repairs now take 4 working days in store. " * 40)
    second = add_documents(t.id, [f])[0]
    assert second.status == "updated" and second.document_id == first.document_id and second.chunks > 1
    chunks = stored_chunks(t.id, "repair-times.md")
    assert [c[1] for c in chunks] == list(range(second.chunks))
    assert not any("10 working days" in c[2] for c in chunks)
    assert not old_ids & {c[0] for c in chunks}
    assert sum(1 for d in list_documents(t.id) if d.source == "repair-times.md") == 1


def test_logical_name_is_the_identity(tenants, tmp_path):
    t = tenants["docs-a"]
    a = tmp_path / "v1.txt"
    a.write_text("Gift cards are valid for 3 years.")
    b = tmp_path / "v2.txt"
    b.write_text("Gift cards are valid for 5 years.")
    assert add_documents(t.id, [a], names=["gift-cards"])[0].status == "added"
    assert add_documents(t.id, [b], names=["gift-cards"])[0].status == "updated"
    assert [c[2] for c in stored_chunks(t.id, "gift-cards")] == ["Gift cards are valid for 5 years."]


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("prices.xlsx", b"PK\x03\x04 not really", "unsupported file type '.xlsx'"),
        ("broken.pdf", b"%PDF-1.4 this is not a pdf at all", "cannot read the PDF"),
        ("broken.docx", b"PK\x03\x04garbage", "cannot read the Word document"),
        ("blank.txt", b"   \n\n \t \n", "contains no text"),
        ("latin1.txt", "Caf\u00e9 policy".encode("latin-1"), "is not UTF-8 text"),
        ("binary.md", b"\x00\x01\x02 binary", "binary file"),
    ],
)
def test_bad_files_are_rejected_clearly_and_store_nothing(tenants, tmp_path, name, data, message):
    t = tenants["docs-b"]
    before = doc_count(t.id)
    bad = tmp_path / name
    bad.write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_text("A perfectly fine document about frames.")
    with pytest.raises(IngestError) as err:
        add_documents(t.id, [good, bad])
    assert message in str(err.value) and name in str(err.value)
    assert doc_count(t.id) == before  # not even the good file of the same call


def test_empty_pdf_missing_and_oversized_files(tenants, tmp_path, settings_env):
    t = tenants["docs-b"]
    before = doc_count(t.id)
    with pytest.raises(IngestError, match=r"scan\.pdf: contains no text \(a scanned PDF"):
        add_documents(t.id, [make_pdf(tmp_path / "scan.pdf", [])])
    with pytest.raises(IngestError, match="nope.md: no such file"):
        add_documents(t.id, [tmp_path / "nope.md"])
    big = tmp_path / "big.txt"
    big.write_text("word " * 400)
    settings_env(SIGHTLINE_DOCS_MAX_FILE_BYTES="1000")
    with pytest.raises(IngestError, match=r"big.txt: file is 2,000 bytes, over the 1,000-byte limit"):
        add_documents(t.id, [big])
    with pytest.raises(IngestError, match="2 files rejected, nothing stored"):
        add_documents(t.id, [big, tmp_path / "nope.md"])
    assert doc_count(t.id) == before


def test_cli_docs_add_list_search_and_errors(tenants, tmp_path):
    runner = CliRunner()
    f = tmp_path / "eye-test-vouchers.md"
    f.write_text("# Eye test vouchers\n\nNHS-style eye test vouchers are accepted at every store.\n")
    r = runner.invoke(cli, ["docs", "add", str(f), "--tenant", "docs-b"])
    assert r.exit_code == 0, r.output
    assert "added" in r.output and "eye-test-vouchers.md (1 chunk(s))" in r.output
    r = runner.invoke(cli, ["docs", "add", str(f), "--tenant", "docs-b"])
    assert r.exit_code == 0 and r.output.startswith("unchanged")
    r = runner.invoke(cli, ["docs", "list", "--tenant", "docs-b"])
    assert r.exit_code == 0 and "eye-test-vouchers.md" in r.output and "Eye test vouchers" in r.output
    bad = tmp_path / "notes.rtf"
    bad.write_text("{\\rtf1 hello}")
    r = runner.invoke(cli, ["docs", "add", str(bad), "--tenant", "docs-b"])
    assert r.exit_code == 2 and "error:" in r.stderr and "notes.rtf" in r.stderr
    r = runner.invoke(cli, ["docs", "list", "--tenant", "no-such-tenant"])
    assert r.exit_code == 2 and "unknown tenant" in r.stderr
    registry.add_user("docs.b.user@docs-b.example", "docs-b")
    r = runner.invoke(cli, ["docs", "search", "Do you take eye test vouchers?", "--as", "docs.b.user@docs-b.example"])
    assert r.exit_code == 0 and "eye-test-vouchers.md#0" in r.output
    r = runner.invoke(cli, ["docs", "search", "anything", "--as", "stranger@nowhere.example"])
    assert r.exit_code == 2 and "unknown user" in r.stderr


# ------------------------------------------------------------------------------------------------- search


def test_demo_documents_load_idempotently(demo_docs, tenants):
    assert set(demo_docs) == {"northwind", "lumen"}
    assert all(r.status == "added" for results in demo_docs.values() for r in results)
    assert len(demo_docs["northwind"]) >= 5 and len(demo_docs["lumen"]) >= 5
    again = load_demo_documents()
    assert {r.status for results in again.values() for r in results} == {"unchanged"}


def test_search_returns_the_relevant_chunk_first(demo_docs, tenants):
    nw, lu = principal(tenants["northwind"]), principal(tenants["lumen"])
    hits = search(nw, "What is our remake policy for varifocals?")
    assert hits and hits[0].source == "remake-policy-progressives.md"
    assert any("60 days" in h.content for h in hits if h.source == hits[0].source)
    assert hits == sorted(hits, key=lambda h: -h.score) and len(hits) == 5
    hits = search(lu, "What is our remake policy for varifocals?")
    assert hits[0].source == "varifocal-remake-policy.md"
    assert any("90 days" in h.content for h in hits[:3] if h.source == hits[0].source)
    hits = search(nw, "How long can a new wearer trial contact lenses?", k=2)
    assert {h.source for h in hits} == {"contact-lens-trial.md"} and any("14-day trial" in h.content for h in hits)
    assert search(nw, "   ") == []
    with pytest.raises(ValueError):
        search(nw, "remake", k=0)


def test_search_never_returns_another_tenants_chunks(demo_docs, tenants):
    """Attack: northwind asks for content that only exists in lumen's documents."""
    nw, lu = tenants["northwind"], tenants["lumen"]
    lumen_docs = {d.id for d in list_documents(lu.id)}
    northwind_docs = {d.id for d in list_documents(nw.id)}
    for query in ("Lumen Care Plus accidental damage cover with a $25 excess",
                  "non-tolerance remake reason codes NT1 NT2 regional optical lead",
                  "Lumen Lens Plan monthly subscription", "What is the Lumen remake fee of $75?"):
        for path in ("auto", "exact", "hnsw"):
            hits = search_vector(principal(nw), embed_one(query), k=10, path=path)
            assert hits, (query, path)
            assert {h.document_id for h in hits} <= northwind_docs
            assert not {h.document_id for h in hits} & lumen_docs
            assert not any("Lumen" in h.content or "90 days" in h.content for h in hits)
    # The principal's tenant_id is the only scope: a forged slug changes nothing, an unknown tenant sees nothing.
    forged = Principal(uuid.uuid4(), nw.id, "lumen", "mallory@lumen-eyewear.example", frozenset({"admin"}))
    assert all(h.document_id in northwind_docs for h in search(forged, "Lumen Care Plus"))
    assert search(Principal(uuid.uuid4(), uuid.uuid4(), "ghost", "g@h.example"), "remake policy") == []


def test_near_identical_documents_stay_apart(tenants, tmp_path, settings_env):
    """Attack: B holds a near-identical document with a secret; A's nearest vectors are B's, yet A never sees them."""
    a, b = tenants["docs-a"], tenants["docs-b"]
    base = ("# Staff discount policy\n\nStaff receive a discount on frames and lenses for themselves and one "
            "family member. The discount code is {code} and must be entered at the till by a manager.\n")
    fa, fb = tmp_path / "a" / "staff-discount.md", tmp_path / "b" / "staff-discount.md"
    fa.parent.mkdir()
    fb.parent.mkdir()
    fa.write_text(base.format(code="ALPHA-1111"))
    fb.write_text(base.format(code="BRAVO-9999"))
    add_documents(a.id, [fa])
    add_documents(b.id, [fb])
    query = embed_one(base.format(code="BRAVO-9999"))  # B's exact text: B's chunk is the global nearest neighbour
    for threshold in ("20000", "0"):  # exact path, then HNSW for every tenant
        settings_env(SIGHTLINE_DOCS_EXACT_MAX_CHUNKS=threshold)
        hits = search_vector(principal(a), query, k=10)
        assert hits[0].source == "staff-discount.md" and "ALPHA-1111" in hits[0].content
        assert not any("BRAVO" in h.content for h in hits)
        assert "BRAVO-9999" in search_vector(principal(b), query, k=1)[0].content
    # B re-ingesting its same-named document must not touch A's
    fb.write_text(base.format(code="BRAVO-0000"))
    assert add_documents(b.id, [fb])[0].status == "updated"
    assert "ALPHA-1111" in stored_chunks(a.id, "staff-discount.md")[0][2]


# ------------------------------------------------------------------------------------------- path choice

_INSERT = sa.text(
    "INSERT INTO document_chunks (document_id, chunk_index, content, embedding) VALUES (:d, :i, :c, :e)"
).bindparams(sa.bindparam("e", type_=VECTOR(384)))


def _clustered(rng: np.random.Generator, n: int, centroids: np.ndarray) -> np.ndarray:
    v = centroids[rng.integers(0, len(centroids), n)] + 0.8 * rng.normal(size=(n, 384))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def vector_tenants(database: str) -> tuple[registry.Tenant, registry.Tenant, np.ndarray]:
    """Two tenants with synthetic clustered vectors: a small one (300 chunks) inside a larger one's topics."""
    rng = np.random.default_rng(3)
    centroids = rng.normal(size=(12, 384))
    small, big = registry.add_tenant("vec-small", "Vec Small"), registry.add_tenant("vec-big", "Vec Big")
    for tenant, n in ((small, 300), (big, 3000)):
        vectors = _clustered(rng, n, centroids)
        with tenant_session(tenant.id) as conn:
            doc = conn.execute(sa.text(
                "INSERT INTO documents (title, source, mime_type, content_hash) "
                "VALUES ('Synthetic', 'synthetic.txt', 'text/plain', 'x') RETURNING id")).scalar()
            conn.execute(_INSERT, [{"d": doc, "i": i, "c": f"{tenant.slug} chunk {i}", "e": v}
                                   for i, v in enumerate(vectors)])
    from db.engine import admin_engine

    with admin_engine().connect() as conn:
        conn.execute(sa.text("ANALYZE document_chunks"))
        conn.commit()
    return small, big, _clustered(rng, 20, centroids)


def test_path_choice_follows_the_tenant_size(vector_tenants, settings_env, monkeypatch):
    small, big, queries = vector_tenants
    p = principal(small)
    assert chosen_path(p) == "exact"
    used: list[str] = []
    original = docs_search._prepare
    monkeypatch.setattr(docs_search, "_prepare", lambda conn, path, ef: (used.append(path), original(conn, path, ef)))
    exact = [search_vector(p, q, k=10) for q in queries]
    settings_env(SIGHTLINE_DOCS_EXACT_MAX_CHUNKS="299")  # the small tenant (300 chunks) now counts as large
    assert chosen_path(p) == "hnsw"
    hnsw = [search_vector(p, q, k=10) for q in queries]
    assert used == ["exact"] * len(queries) + ["hnsw"] * len(queries)
    settings_env(SIGHTLINE_DOCS_EXACT_MAX_CHUNKS="300")
    assert chosen_path(p) == "exact"

    def key(hits: list[Hit]) -> list[int]:
        return [h.chunk_index for h in hits]

    assert all(len(h) == 10 for h in exact + hnsw)
    assert all(h.content.startswith("vec-small ") for hits in exact + hnsw for h in hits)
    same_top = sum(key(e)[:5] == key(h)[:5] for e, h in zip(exact, hnsw, strict=True))
    assert same_top == len(queries)  # HNSW with iterative scan finds the exact top 5 on this set
    recall = np.mean([len(set(key(e)) & set(key(h))) / 10 for e, h in zip(exact, hnsw, strict=True)])
    assert recall >= 0.95
    for e in exact:  # exact hits really are the nearest, best first
        assert [round(x.score, 5) for x in e] == sorted((round(x.score, 5) for x in e), reverse=True)


def test_exact_path_never_uses_the_hnsw_index(vector_tenants):
    small, big, queries = vector_tenants
    p, q = principal(big), queries[0]
    assert HNSW_INDEX not in explain(p, q, "exact")
    assert HNSW_INDEX in explain(p, q, "hnsw")
    # Even with the planner pushed towards index-ordered scans, a naive ORDER BY takes the HNSW index but the
    # exact path's query cannot (its ORDER BY runs over a materialized CTE).
    with tenant_session(big.id) as conn:
        conn.execute(sa.text("SET LOCAL enable_sort = off"))
        conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
        conn.execute(sa.text("SET LOCAL enable_bitmapscan = off"))

        def plan(sql: str) -> str:
            stmt = sa.text("EXPLAIN " + sql).bindparams(sa.bindparam("q", type_=VECTOR(384)),
                                                        sa.bindparam("k", type_=sa.Integer))
            return "\n".join(r[0] for r in conn.execute(stmt, {"q": q, "k": 10}))

        assert HNSW_INDEX in plan("SELECT id FROM document_chunks ORDER BY embedding <=> :q LIMIT :k")
        assert HNSW_INDEX not in plan(docs_search._EXACT)
    # the exact path orders by true distance: compare with numpy over the same rows
    with tenant_session(big.id) as conn:
        rows = conn.execute(sa.text("SELECT chunk_index, embedding FROM document_chunks")).all()
    matrix = np.array([json.loads(r.embedding) for r in rows], dtype=np.float32)
    best = [rows[i].chunk_index for i in np.argsort(-(matrix @ q))[:10]]
    assert [h.chunk_index for h in search_vector(p, q, k=10, path="exact")] == best


def test_hnsw_index_is_built_with_the_benchmarked_parameters(vector_tenants):
    """Migration 0007: the index the benchmark measured (docs/documents.md), not pgvector's default ef_construction."""
    from db.engine import admin_engine

    with admin_engine().connect() as conn:
        indexdef = conn.execute(sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = :i"),
                                {"i": HNSW_INDEX}).scalar_one()
    assert "hnsw (embedding vector_cosine_ops)" in indexdef
    assert "m='16'" in indexdef and "ef_construction='128'" in indexdef, indexdef


def test_search_validates_its_inputs(vector_tenants):
    p = principal(vector_tenants[0])
    with pytest.raises(ValueError, match="384 dimensions"):
        search_vector(p, [0.1] * 10)
    with pytest.raises(ValueError, match="k must be between"):
        search_vector(p, vector_tenants[2][0], k=500)
    with pytest.raises(ValueError, match="path must be"):
        search_vector(p, vector_tenants[2][0], path="sideways")

