"""Document ingestion for the docs tool: extract text (.txt/.md/.pdf/.docx), chunk, embed, store per tenant.

Extraction gives every format the same shape: Word headings become Markdown headings ("## Lenses"), and tables
(Markdown pipe tables in .md/.txt, Word tables) become one "- Header: cell; Header: cell" line per row, so a row
keeps its column names and a chunk cut inside a table still says what its numbers are (tools/chunking.py; each
chunk inside a section also opens with its heading path).

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
from safety.text_fold import fold
from tools.chunking import CHUNK_CHARS, CHUNK_OVERLAP, chunk_text, table_row, tables_as_rows
from tools.embeddings import EMBEDDING_DIM, embed

MIME_TYPES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
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


def _docx_cells(row: object) -> list[str]:
    """A Word table row's cell texts, a merged cell once (python-docx repeats it for every grid column it spans)."""
    cells: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:  # type: ignore[attr-defined]
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join(cell.text.split()))
    return cells


def _is_header_row(cells: list[str], rows: int) -> bool:
    """Whether a Word table's first row names its columns: the table has body rows and every first-row cell is a
    short label without digits ("Lens type", "Price"); a first row holding values ("Frames", "12 months") is data."""
    return rows > 1 and len(cells) > 1 and all(c and len(c) <= 60 and not re.search(r"\d", c) for c in cells)


def _docx_table(table: object) -> list[str]:
    """A Word table as one "- Header: cell; ..." line per body row (rows read bare when it has no header row)."""
    rows = [_docx_cells(r) for r in table.rows]  # type: ignore[attr-defined]
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    header = rows[0] if _is_header_row(rows[0], len(rows)) else []
    body = rows[1:] if header else rows
    return [f"- {line}" for line in (table_row(header, r) for r in body) if line]


def _docx_heading_level(style: str) -> int | None:
    if style == "Title":
        return 1
    m = re.fullmatch(r"Heading (\d)", style)
    return min(int(m.group(1)), 6) if m else None


def _text_of_docx(data: bytes, name: str) -> tuple[str, str | None]:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        heading: str | None = None
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                rows = _docx_table(item)
                if rows:
                    blocks.append("\n".join(rows))
                continue
            text = item.text.strip()
            style = (item.style.name if item.style is not None else "") or ""
            level = _docx_heading_level(style)
            if heading is None and text and level is not None:
                heading = text
            blocks.append(f"{'#' * level} {' '.join(text.split())}" if text and level is not None else text)
        title = (document.core_properties.title or "").strip() or heading
    except Exception as exc:  # BadZipFile, KeyError, lxml errors... for damaged files
        raise IngestError(f"{name}: cannot read the Word document ({type(exc).__name__}: {exc})") from exc
    return "\n\n".join(blocks), title


def extract_text(data: bytes, suffix: str, name: str) -> tuple[str, str | None]:
    """Text and (when the file has one) title of a file's bytes; IngestError naming `name` when it can't.

    Tables come out as one "- Header: cell; ..." line per row and Word headings as Markdown headings."""
    suffix = suffix.lower()
    if suffix not in MIME_TYPES:
        raise IngestError(f"{name}: unsupported file type {suffix or '(none)'!r}; use one of {', '.join(MIME_TYPES)}")
    if suffix == ".pdf":
        text, title = _text_of_pdf(data, name)
    elif suffix == ".docx":
        text, title = _text_of_docx(data, name)
    else:
        text = tables_as_rows(_text_of_plain(data, name))
        title = _markdown_title(text) if suffix in (".md", ".markdown") else None
    text = _normalize(text)
    if not text:
        hint = " (a scanned PDF? OCR is not supported)" if suffix == ".pdf" else ""
        raise IngestError(f"{name}: contains no text{hint}")
    return text, title


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


def safe_title(tenant_id: uuid.UUID | str, title: str, chunks: Sequence[str] = (), *,
               published: Sequence[str] | None = None) -> str:
    """The title with PII replaced by `<TYPE>` placeholders. Kept: the tenant's catalog names and own name; the names
    its documents publish as places, offerings or the business's once the upload is stored (``published``: its stored
    documents the upload does not replace and every uploaded one, `tools.doc_places.upload_terms`; by default this
    document alone is the upload), so a chain's name in the first title of an upload counts when a later document
    shows it is the business; the names this document's own text publishes and the title's words its text uses as
    common nouns ("Zaruka a reklamace" over "záruka") (`tools.doc_places.document_terms`). Redacted: a name only the
    title holds, one that any document uses for a person, one from a record about a person ("Incident report - X")."""
    from safety.pii import redact
    from tools.catalog import allow_terms, is_name_like
    from tools.doc_places import Upload, document_terms, upload_terms

    tid = uuid.UUID(str(tenant_id))
    if published is None:
        published = upload_terms(tid, [Upload(source="", title=title, chunks=chunks)])
    own = tuple(t for t in (*published, *document_terms(title, chunks)) if is_name_like(t))
    allow = (*allow_terms(tid, contacts=False, documents=False), *own)
    for start, end in reversed(_lower_case_names(title, chunks, allow)):
        title = f"{title[:start]}<PERSON>{title[end:]}"
    return redact(title, allow=allow).text


def _lower_case_names(title: str, chunks: Sequence[str], allow: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of people's names typed in lower case in a title made from a file name ("Meeting with jan novak" from
    "meeting-with-jan-novak.txt"), which the guard's name model cannot see uncapitalised: the title is read again with
    every word capitalised, and a PERSON found there is a name unless every word of it is one the document's own text
    writes in lower case (a common noun: "lentilles de contact" over "... vos lentilles ..."), counting the words of
    three letters or more typed in lower case. Only a title whose words after the first are all in lower case is read
    this way."""
    from safety.pii import FIRST_NAMES, detect

    words = title.split()
    if len(words) < 2 or any(not w[:1].islower() for w in words[1:] if w[:1].isalpha()):
        return []
    cased = re.sub(r"(?<![\w'’-])([^\W\d_])",  # same length: a letter whose capital is two ("ß") stays
                   lambda m: m.group(1).upper() if len(m.group(1).upper()) == 1 else m.group(1), title)

    common = {fold(w) for chunk in chunks for w in re.findall(r"[^\W\d_]+", chunk) if w[:1].islower()}
    spans: list[tuple[int, int]] = []
    for entity in detect(cased, allow=allow):
        # the words typed in lower case (three letters or more: not "a", "de") decide; a capitalised first word is the
        # guard's own reading of the title as typed
        typed = [w for w in re.findall(r"[^\W\d_]+", title[entity.start:entity.end]) if len(w) >= 3 and w.islower()]
        if entity.type == "PERSON" and any(w.capitalize() in FIRST_NAMES for w in typed) and \
                not all(fold(w) in common for w in typed):
            spans.append((entity.start, entity.end))
    return spans


def _store(tenant_id: uuid.UUID | str, doc: _Prepared, published: Sequence[str]) -> IngestResult:
    doc = replace(doc, title=safe_title(tenant_id, doc.title, doc.chunks, published=published))
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
    # the titles are made safe with the names the documents publish once the whole upload is stored (computed once)
    from tools.doc_places import Upload, upload_terms

    published = upload_terms(tenant_id, [Upload(d.source, d.title, d.chunks) for d in prepared])
    return [_store(tenant_id, doc, published) for doc in prepared]


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
