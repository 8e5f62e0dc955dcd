"""Dataset file formats: detection (extension + content), parsing with line-numbered errors, and normalization of
every record to one internal form, a chat conversation (`{"messages": [...], "label"?: ...}`)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config.errors import UserError

ROLES = ("system", "user", "assistant")
PROMPT_COMPLETION = "prompt_completion"
CHAT = "chat"
CLASSIFICATION = "classification"
TEXT = "text"
PDF = "pdf"
DOCX = "docx"
FORMATS = (PROMPT_COMPLETION, CHAT, CLASSIFICATION, TEXT, PDF, DOCX)

JSONL_EXT = {".jsonl", ".json", ".ndjson"}
TEXT_EXT = {".txt", ".text", ".md"}
CHUNK_WORDS = 180  # text/PDF/DOCX chunks: about 250 SmolLM2 tokens of English prose


class FormatError(UserError, ValueError):
    """The whole file cannot be used: unknown format or unparseable (nothing is stored)."""


@dataclass
class Record:
    """One normalized example. `where` says where it came from ("line 7", "page 2"), for reports only."""

    messages: list[dict[str, str]]
    where: str
    line: int | None = None
    label: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"messages": self.messages}
        if self.label is not None:
            out["label"] = self.label
        return out

    @property
    def text(self) -> str:
        return "\n".join(m["content"] for m in self.messages)


@dataclass
class Issue:
    """A problem with one record (`line` set) or with the dataset as a whole."""

    code: str
    message: str
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "line": self.line, "message": self.message}


@dataclass
class Parsed:
    format: str
    records: list[Record] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)  # records dropped because they are malformed
    notes: list[str] = field(default_factory=list)
    source_records: int = 0  # non-blank lines / rows / pages seen


def detect_format(path: Path, data: bytes) -> str:
    """The file's format from its extension, confirmed (or overridden, for binary formats) by its content."""
    ext = path.suffix.lower()
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "word/document.xml" in zf.namelist():
                    return DOCX
        except zipfile.BadZipFile as exc:
            raise FormatError(f"{path.name}: damaged ZIP container ({exc})") from exc
        raise FormatError(f"{path.name}: a ZIP file that is not a Word document (.docx); unknown format")
    if ext == ".pdf":
        raise FormatError(f"{path.name}: not a PDF (the file does not start with %PDF-)")
    if ext == ".docx":
        raise FormatError(f"{path.name}: not a Word .docx file (no ZIP container)")
    text = _decode(path, data)
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if ext in JSONL_EXT:
        return _jsonl_kind(text)
    if ext == ".csv":
        return CLASSIFICATION
    if ext in TEXT_EXT:
        return TEXT
    if first.startswith("{"):
        return _jsonl_kind(text)
    if [c.strip().lower() for c in first.split(",")] == ["text", "label"]:
        return CLASSIFICATION
    raise FormatError(
        f"{path.name}: unknown format (extension {ext or '(none)'!r}); use .jsonl (prompt/completion or chat), "
        ".csv (text,label), .txt, .pdf or .docx")


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(f"{path.name}: not UTF-8 text (invalid byte at line {line}); unknown format") from exc


def _jsonl_kind(text: str) -> str:
    """chat or prompt_completion, decided by the first JSON object that has either shape."""
    for raw in text.splitlines():
        try:
            obj = json.loads(raw)
        except ValueError:
            continue
        if isinstance(obj, dict):
            if "messages" in obj:
                return CHAT
            if "prompt" in obj or "completion" in obj:
                return PROMPT_COMPLETION
    return PROMPT_COMPLETION  # nothing recognisable: every line will be reported as an error


def parse_file(path: Path) -> Parsed:
    """Parse a dataset file into normalized records; malformed records become line-numbered errors."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not data.strip():
        raise FormatError(f"{path.name}: the file is empty")
    fmt = detect_format(path, data)
    if fmt == PDF:
        return _parse_pdf(path, data)
    if fmt == DOCX:
        return _parse_docx(path, data)
    text = _decode(path, data)
    if fmt in (CHAT, PROMPT_COMPLETION):
        return _parse_jsonl(text, fmt)
    if fmt == CLASSIFICATION:
        return _parse_csv(path, text)
    return _parse_text(text)


# --- JSONL ---------------------------------------------------------------------------------------------------------

def _parse_jsonl(text: str, fmt: str) -> Parsed:
    out = Parsed(format=fmt)
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        out.source_records += 1
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            msg = getattr(exc, "msg", str(exc))
            col = getattr(exc, "colno", None)
            out.errors.append(Issue("bad_json", f"line {n}: invalid JSON ({msg}" + (f", column {col})" if col else ")"),
                                    n))
            continue
        if not isinstance(obj, dict):
            out.errors.append(Issue("not_object", f"line {n}: expected a JSON object, got {type(obj).__name__}", n))
            continue
        record = _chat_record(obj, n, out.errors) if fmt == CHAT else _pc_record(obj, n, out.errors)
        if record is not None:
            out.records.append(record)
    return out


def _pc_record(obj: dict, n: int, errors: list[Issue]) -> Record | None:
    if "messages" in obj and "prompt" not in obj:
        errors.append(Issue("mixed_format", f"line {n}: a chat record in a prompt/completion file (the format is "
                                            "set by the first record)", n))
        return None
    values: dict[str, str] = {}
    for key in ("prompt", "completion"):
        if key not in obj:
            errors.append(Issue("missing_field", f'line {n}: missing "{key}"', n))
            return None
        if not isinstance(obj[key], str):
            errors.append(Issue("wrong_type", f'line {n}: "{key}" must be a string, got {type(obj[key]).__name__}', n))
            return None
        if not obj[key].strip():
            errors.append(Issue("empty_content", f'line {n}: empty "{key}"', n))
            return None
        values[key] = obj[key].strip()
    return Record(messages=[{"role": "user", "content": values["prompt"]},
                            {"role": "assistant", "content": values["completion"]}], where=f"line {n}", line=n)


def _chat_record(obj: dict, n: int, errors: list[Issue]) -> Record | None:
    if "messages" not in obj:
        hint = " (a prompt/completion record in a chat file)" if "prompt" in obj else ""
        errors.append(Issue("missing_field", f'line {n}: missing "messages"{hint}', n))
        return None
    messages = obj["messages"]
    if not isinstance(messages, list) or not messages:
        errors.append(Issue("wrong_type", f'line {n}: "messages" must be a non-empty list', n))
        return None
    clean: list[dict[str, str]] = []
    for i, m in enumerate(messages, start=1):
        if not isinstance(m, dict) or "role" not in m or "content" not in m:
            errors.append(Issue("missing_field", f'line {n}: message {i} needs "role" and "content"', n))
            return None
        if m["role"] not in ROLES:
            errors.append(Issue("bad_role", f'line {n}: message {i} has role {json.dumps(m["role"])}; expected '
                                            "system, user or assistant", n))
            return None
        if not isinstance(m["content"], str):
            errors.append(Issue("wrong_type", f"line {n}: message {i} content must be a string", n))
            return None
        if not m["content"].strip():
            errors.append(Issue("empty_content", f"line {n}: message {i} ({m['role']}) has empty content", n))
            return None
        clean.append({"role": m["role"], "content": m["content"].strip()})
    if not any(m["role"] == "assistant" for m in clean):
        errors.append(Issue("no_assistant", f"line {n}: no assistant message to learn from", n))
        return None
    if any(m["role"] == "system" for m in clean[1:]):
        errors.append(Issue("bad_role", f"line {n}: a system message may only come first", n))
        return None
    return Record(messages=clean, where=f"line {n}", line=n)


# --- CSV -----------------------------------------------------------------------------------------------------------

def _parse_csv(path: Path, text: str) -> Parsed:
    out = Parsed(format=CLASSIFICATION)
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise FormatError(f"{path.name}: no CSV header row") from exc
    cols = [h.strip().lower() for h in header]
    if "text" not in cols or "label" not in cols:
        raise FormatError(f"{path.name}: line 1: the CSV header must have the columns text,label (found "
                          f"{','.join(header)})")
    ti, li = cols.index("text"), cols.index("label")
    if len(cols) > 2:
        extra = ", ".join(c for c in cols if c not in ("text", "label"))
        out.notes.append(f"columns other than text,label are ignored: {extra}")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise FormatError(f"{path.name}: line {reader.line_num}: unreadable CSV ({exc})") from exc
        n = reader.line_num
        if not row or not any(c.strip() for c in row):
            continue
        out.source_records += 1
        if len(row) != len(cols):
            out.errors.append(Issue("wrong_columns", f"line {n}: {len(row)} field(s), expected {len(cols)}", n))
            continue
        text_value, label = row[ti].strip(), row[li].strip()
        if not text_value:
            out.errors.append(Issue("empty_content", f'line {n}: empty "text"', n))
            continue
        if not label:
            out.errors.append(Issue("empty_content", f'line {n}: empty "label"', n))
            continue
        out.records.append(Record(messages=[{"role": "user", "content": text_value},
                                            {"role": "assistant", "content": label}],
                                  where=f"line {n}", line=n, label=label))
    return out


# --- prose: TXT, PDF, DOCX -----------------------------------------------------------------------------------------

def chunk_paragraphs(paragraphs: list[tuple[str, str, int | None]], max_words: int = CHUNK_WORDS) -> list[Record]:
    """Pack (text, where, line) paragraphs into chunks of at most `max_words` words; split longer paragraphs."""
    records: list[Record] = []
    buf: list[str] = []
    buf_words = 0
    start: tuple[str, int | None] | None = None

    def flush() -> None:
        nonlocal buf, buf_words, start
        if buf and start is not None:
            records.append(Record(messages=[{"role": "assistant", "content": "\n\n".join(buf)}], where=start[0],
                                  line=start[1]))
        buf, buf_words, start = [], 0, None

    for para, where, line in paragraphs:
        words = para.split()
        if not words:
            continue
        if buf_words + len(words) > max_words:
            flush()
        while len(words) > max_words:
            buf, start = [" ".join(words[:max_words])], (where, line)
            buf_words = max_words
            flush()
            words = words[max_words:]
        if start is None:
            start = (where, line)
        buf.append(" ".join(words))
        buf_words += len(words)
    flush()
    return records


def _parse_text(text: str) -> Parsed:
    out = Parsed(format=TEXT)
    paragraphs: list[tuple[str, str, int | None]] = []
    current: list[str] = []
    first_line = 0
    for n, raw in enumerate(text.splitlines() + [""], start=1):
        if raw.strip():
            if not current:
                first_line = n
            current.append(raw.strip())
        elif current:
            paragraphs.append((" ".join(current), f"line {first_line}", first_line))
            current = []
    out.source_records = len(paragraphs)
    out.records = chunk_paragraphs(paragraphs)
    return out


def _parse_pdf(path: Path, data: bytes) -> Parsed:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    out = Parsed(format=PDF)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise FormatError(f"{path.name}: the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except FormatError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise FormatError(f"{path.name}: unreadable PDF ({exc})") from exc
    paragraphs: list[tuple[str, str, int | None]] = []
    for i, page in enumerate(pages, start=1):
        for para in re.split(r"\n\s*\n", page):
            if para.strip():
                paragraphs.append((" ".join(para.split()), f"page {i}", None))
    out.source_records = len(pages)
    if not paragraphs:
        out.notes.append("no extractable text (a scanned PDF? OCR is not supported)")
    out.records = chunk_paragraphs(paragraphs)
    return out


def _parse_docx(path: Path, data: bytes) -> Parsed:
    import docx

    out = Parsed(format=DOCX)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types (KeyError, XML errors) for bad files
        raise FormatError(f"{path.name}: unreadable Word document ({type(exc).__name__}: {exc})") from exc
    paragraphs: list[tuple[str, str, int | None]] = []
    for i, p in enumerate(document.paragraphs, start=1):
        if p.text.strip():
            paragraphs.append((p.text.strip(), f"paragraph {i}", None))
    for t, table in enumerate(document.tables, start=1):
        for r, row in enumerate(table.rows, start=1):
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                paragraphs.append((" | ".join(dict.fromkeys(cells)), f"table {t} row {r}", None))
    out.source_records = len(paragraphs)
    out.records = chunk_paragraphs(paragraphs)
    return out
