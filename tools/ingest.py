"""Document ingestion for the docs tool: extract text (.txt/.md/.pdf/.docx), chunk, embed, store per tenant.

A document's title (from its metadata or first heading) is stored with PII redacted (`safe_title`): titles are
shown in sources and tool steps and are free text, so they never reach an answer raw.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from pgvector.sqlalchemy import VECTOR

from config import get_settings
from config.errors import UserError
from db.session import tenant_session
from tools.embeddings import EMBEDDING_DIM, embed

MIME_TYPES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
CHUNK_CHARS = 800  # target maximum characters per chunk (~180 MiniLM tokens, under its 256-token window)
CHUNK_OVERLAP = 150  # characters of trailing sentences repeated at the start of the next chunk
MAX_SOURCE_CHARS = 300
DEMO_DOCS_DIR = Path(__file__).resolve().parent.parent / "db" / "demo_docs"


class IngestError(UserError, ValueError):
    """A user-caused ingestion problem (unsupported type, unreadable, empty or oversized file); names the file."""


@dataclass(frozen=True)
class IngestResult:
    source: str
    document_id: uuid.UUID
    title: str
    status: str  # "added" | "updated" | "unchanged"
    chunks: int


@dataclass(frozen=True)
class DocumentInfo:
    id: uuid.UUID
    title: str
    source: str
    mime_type: str
    chunks: int
    updated_at: datetime


@dataclass(frozen=True)
class _Prepared:
    source: str
    title: str
    mime_type: str
    content_hash: str
    chunks: list[str]


# ---------------------------------------------------------------------------------------------- extraction


def _normalize(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\u00a0", " ")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _text_of_plain(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise IngestError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{name}: is not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc


def _markdown_title(text: str) -> str | None:
    m = re.search(r"^#\s+(.+?)\s*#*\s*$", text, flags=re.MULTILINE)
    return m.group(1).strip() if m else None


def _text_of_pdf(data: bytes, name: str) -> tuple[str, str | None]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(f"{name}: the PDF is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages]
        meta_title = reader.metadata.title if reader.metadata else None
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many types for damaged files
        raise IngestError(f"{name}: cannot read the PDF ({type(exc).__name__}: {exc})") from exc
    return "\n\n".join(pages), (str(meta_title).strip() or None) if meta_title else None


def _text_of_docx(data: bytes, name: str) -> tuple[str, str | None]:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        heading: str | None = None
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                for row in item.rows:
                    cells = [c.text.strip() for c in row.cells]
                    blocks.append(" | ".join(c for c in cells if c))
                continue
            text = item.text.strip()
            style = (item.style.name if item.style is not None else "") or ""
            if heading is None and text and (style.startswith("Heading") or style == "Title"):
                heading = text
            blocks.append(text)
        title = (document.core_properties.title or "").strip() or heading
    except Exception as exc:  # BadZipFile, KeyError, lxml errors... for damaged files
        raise IngestError(f"{name}: cannot read the Word document ({type(exc).__name__}: {exc})") from exc
    return "\n\n".join(blocks), title


def extract_text(data: bytes, suffix: str, name: str) -> tuple[str, str | None]:
    """Text and (when the file has one) title of a file's bytes; IngestError naming `name` when it can't."""
    suffix = suffix.lower()
    if suffix not in MIME_TYPES:
        raise IngestError(f"{name}: unsupported file type {suffix or '(none)'!r}; use one of {', '.join(MIME_TYPES)}")
    if suffix == ".pdf":
        text, title = _text_of_pdf(data, name)
    elif suffix == ".docx":
        text, title = _text_of_docx(data, name)
    else:
        text = _text_of_plain(data, name)
        title = _markdown_title(text) if suffix in (".md", ".markdown") else None
    text = _normalize(text)
    if not text:
        hint = " (a scanned PDF? OCR is not supported)" if suffix == ".pdf" else ""
        raise IngestError(f"{name}: contains no text{hint}")
    return text, title


# ------------------------------------------------------------------------------------------------ chunking

# Boundaries from strongest to weakest: paragraph, line, sentence end, whitespace.
_SPLITTERS = (
    re.compile(r"\n[ \t]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]\u201d\u2019]))\s+"),
    re.compile(r"\s+"),
)


def _units(text: str, start: int, end: int, level: int, size: int) -> list[tuple[int, int]]:
    """Spans (start, end) of at most `size` characters, split at the strongest boundary that makes them fit."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return []
    if end - start <= size:
        return [(start, end)]
    if level == len(_SPLITTERS):  # one "word" longer than a chunk: cut it
        return [(s, min(s + size, end)) for s in range(start, end, size)]
    out: list[tuple[int, int]] = []
    pos = start
    for m in _SPLITTERS[level].finditer(text, start, end):
        out += _units(text, pos, m.start(), level + 1, size)
        pos = m.end()
    out += _units(text, pos, end, level + 1, size)
    return out


def chunk_text(text: str, size: int = CHUNK_CHARS, overlap: int = CHUNK_OVERLAP) -> list[str]:
    """Split text into chunks of at most `size` characters at paragraph/line/sentence boundaries.

    Units (paragraphs, or lines/sentences/words of a paragraph too long to fit) are packed greedily. Each
    chunk after the first starts with the trailing units of the previous one that fit in `overlap`
    characters (or its last unit alone when that is at most twice the overlap), so a fact cut at a
    chunk border is still whole in one chunk. The original separators inside a chunk are kept.
    """
    if size < 50 or not 0 <= overlap < size // 2:
        raise ValueError("chunk size must be >= 50 and overlap in [0, size/2)")
    units = _units(text, 0, len(text), 0, size)
    chunks: list[str] = []
    i = 0
    while i < len(units):
        first = units[i][0]
        j = i + 1
        while j < len(units) and units[j][1] - first <= size:
            j += 1
        if j < len(units) and j - 1 > i and text.startswith("#", units[j - 1][0]):
            j -= 1  # a markdown heading opens the next chunk instead of closing this one
        chunks.append(text[first : units[j - 1][1]])
        if j == len(units):
            break
        end = units[j - 1][1]
        nxt = j
        for k in range(j - 1, i, -1):  # trailing units that fit in the overlap (never the chunk's first unit)
            if end - units[k][0] <= overlap:
                nxt = k
            else:
                break
        if nxt == j and j - 1 > i and units[j - 1][1] - units[j - 1][0] <= 2 * overlap:
            nxt = j - 1
        while nxt < j and units[j][1] - units[nxt][0] > size:  # the next chunk must take at least one new unit
            nxt += 1
        i = nxt
    return chunks


# ----------------------------------------------------------------------------------------------- ingestion


def _default_title(source: str) -> str:
    stem = Path(source).stem.replace("_", " ").replace("-", " ").strip()
    return (stem[:1].upper() + stem[1:]) if stem else source


def _prepare(path: Path, source: str, max_bytes: int) -> _Prepared:
    name = str(path)
    if path.suffix.lower() not in MIME_TYPES:
        raise IngestError(f"{name}: unsupported file type {path.suffix or '(none)'!r}; "
                          f"use one of {', '.join(MIME_TYPES)}")
    suffix = path.suffix.lower()
    if not path.is_file():
        raise IngestError(f"{name}: no such file")
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(f"{name}: file is {size:,} bytes, over the {max_bytes:,}-byte limit "
                          "(SIGHTLINE_DOCS_MAX_FILE_BYTES)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{name}: cannot read the file ({exc.strerror or exc})") from exc
    text, title = extract_text(data, suffix, name)
    return _Prepared(
        source=source,
        title=(title or _default_title(source))[:300],
        mime_type=MIME_TYPES[suffix],
        content_hash=hashlib.sha256(data).hexdigest(),
        chunks=chunk_text(text),
    )


_EXISTING = sa.text("SELECT id, content_hash FROM documents WHERE source = :source")
_UPSERT = sa.text(
    "INSERT INTO documents (title, source, mime_type, content_hash) VALUES (:title, :source, :mime, :hash) "
    "ON CONFLICT (tenant_id, source) DO UPDATE SET title = EXCLUDED.title, mime_type = EXCLUDED.mime_type, "
    "content_hash = EXCLUDED.content_hash, updated_at = now() "
    "WHERE documents.content_hash IS DISTINCT FROM EXCLUDED.content_hash RETURNING id"
)
_DELETE_CHUNKS = sa.text("DELETE FROM document_chunks WHERE document_id = :doc")
_INSERT_CHUNK = sa.text(
    "INSERT INTO document_chunks (document_id, chunk_index, content, embedding) "
    "VALUES (:doc, :idx, :content, :embedding)"
).bindparams(sa.bindparam("embedding", type_=VECTOR(EMBEDDING_DIM)))


def safe_title(tenant_id: uuid.UUID | str, title: str) -> str:
    """The title with PII replaced by `<TYPE>` placeholders (the tenant's catalog names are kept)."""
    from safety.pii import redact
    from tools.catalog import allow_terms

    return redact(title, allow=allow_terms(uuid.UUID(str(tenant_id)), contacts=False)).text


def _store(tenant_id: uuid.UUID | str, doc: _Prepared) -> IngestResult:
    doc = replace(doc, title=safe_title(tenant_id, doc.title))
    with tenant_session(tenant_id) as conn:
        existing = conn.execute(_EXISTING, {"source": doc.source}).first()
    if existing is not None and existing.content_hash == doc.content_hash:
        return IngestResult(doc.source, existing.id, doc.title, "unchanged", _chunk_count(tenant_id, existing.id))
    # Embed outside the write transaction (seconds of CPU), prefixing the title so a chunk that never names its
    # topic still matches questions about it; the stored content is the chunk alone.
    vectors = embed([f"{doc.title}\n{c}" for c in doc.chunks])
    with tenant_session(tenant_id) as conn:  # one transaction: document row + all its chunks, or nothing
        row = conn.execute(_UPSERT, {"title": doc.title, "source": doc.source, "mime": doc.mime_type,
                                     "hash": doc.content_hash}).first()
        if row is None:  # a concurrent add stored these exact bytes first
            same = conn.execute(_EXISTING, {"source": doc.source}).one()
            return IngestResult(doc.source, same.id, doc.title, "unchanged", len(doc.chunks))
        conn.execute(_DELETE_CHUNKS, {"doc": row.id})
        conn.execute(_INSERT_CHUNK, [{"doc": row.id, "idx": i, "content": c, "embedding": v}
                                     for i, (c, v) in enumerate(zip(doc.chunks, vectors, strict=True))])
    return IngestResult(doc.source, row.id, doc.title, "added" if existing is None else "updated", len(doc.chunks))


def _chunk_count(tenant_id: uuid.UUID | str, document_id: uuid.UUID) -> int:
    with tenant_session(tenant_id) as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM document_chunks WHERE document_id = :d"),
                                {"d": document_id}).scalar_one())


def add_documents(
    tenant_id: uuid.UUID | str,
    paths: Sequence[str | Path],
    *,
    names: Sequence[str] | None = None,
) -> list[IngestResult]:
    """Ingest files into the tenant's documents; returns one result per file, in order.

    A document is identified by its source name (the file name, or `names[i]`): re-adding unchanged bytes
    is a no-op ("unchanged"), changed bytes replace the document's chunks ("updated"). Every file is read,
    extracted and chunked before anything is written, so one bad file rejects the whole call with an
    IngestError listing each problem and nothing is stored; each file is then written in its own transaction.
    """
    paths = [Path(p) for p in paths]
    if names is not None and len(names) != len(paths):
        raise IngestError(f"{len(names)} name(s) given for {len(paths)} file(s)")
    sources = [str(n).strip() for n in names] if names is not None else [p.name for p in paths]
    max_bytes = get_settings().docs_max_file_bytes
    prepared: list[_Prepared] = []
    errors: list[str] = []
    seen: set[str] = set()
    for path, source in zip(paths, sources, strict=True):
        if not source or len(source) > MAX_SOURCE_CHARS:
            errors.append(f"{path}: document name must be 1-{MAX_SOURCE_CHARS} characters")
            continue
        if source in seen:
            errors.append(f"{path}: name {source!r} is given twice in one call")
            continue
        seen.add(source)
        try:
            prepared.append(_prepare(path, source, max_bytes))
        except IngestError as exc:
            errors.append(str(exc))
    if errors:
        raise IngestError("; ".join(errors) if len(errors) == 1 else
                          f"{len(errors)} files rejected, nothing stored: " + "; ".join(errors))
    return [_store(tenant_id, doc) for doc in prepared]


def list_documents(tenant_id: uuid.UUID | str) -> list[DocumentInfo]:
    """The tenant's documents with their chunk counts, by source name."""
    with tenant_session(tenant_id) as conn:
        rows = conn.execute(sa.text(
            "SELECT d.id, d.title, d.source, d.mime_type, d.updated_at, count(c.id) AS chunks "
            "FROM documents d LEFT JOIN document_chunks c ON c.document_id = d.id "
            "GROUP BY d.id ORDER BY d.source"
        )).all()
    return [DocumentInfo(id=r.id, title=r.title, source=r.source, mime_type=r.mime_type, chunks=int(r.chunks),
                         updated_at=r.updated_at) for r in rows]


def load_demo_documents(folder: Path | None = None) -> dict[str, list[IngestResult]]:
    """Ingest the demo policy documents (`db/demo_docs/<tenant slug>/*`) for the demo tenants; idempotent.

    The tenants must exist already (`sightline demo` creates them first).
    """
    from db import registry

    root = folder or DEMO_DOCS_DIR
    out: dict[str, list[IngestResult]] = {}
    for tenant_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        tenant = registry.get_tenant(tenant_dir.name)
        files = sorted(p for p in tenant_dir.iterdir() if p.is_file() and p.suffix.lower() in MIME_TYPES)
        out[tenant.slug] = add_documents(tenant.id, files)
    return out


__all__ = [
    "CHUNK_CHARS", "CHUNK_OVERLAP", "MIME_TYPES", "DocumentInfo", "IngestError", "IngestResult", "add_documents",
    "chunk_text", "extract_text", "list_documents", "load_demo_documents",
]
