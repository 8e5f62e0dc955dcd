"""Document text -> chunks for the docs tool (used by tools/ingest.py only): tables read as rows, chunks carry headings.

Contract:
- `table_row(header, cells)` reads one table row with its column headers, "Lenses (per pair): Single vision;
  Price: kr 950" (a header-less cell is kept bare, an empty cell is left out), so a row is a whole fact wherever
  it lands. `tables_as_rows(text)` replaces every Markdown pipe table (a header line, a rule line, body lines)
  with one "- row" line per body row; Word tables are read the same way by tools/ingest.py.
- `chunk_text(text, size, overlap)` splits at the strongest boundary (paragraph, line, sentence, word) into chunks
  of at most `size` characters, consecutive chunks sharing trailing units; a chunk that starts inside a Markdown
  section opens with the heading lines that section sits under ("# Price list" / "## Lenses"), counted in its size,
  so a continued section or table keeps its heading path.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

CHUNK_CHARS = 800  # target maximum characters per chunk (~180 MiniLM tokens, under its 256-token window)
CHUNK_OVERLAP = 150  # characters of trailing sentences repeated at the start of the next chunk
HEADING_PATH_CHARS = 200  # at most this much of a chunk is its heading path (the nearest headings are kept)

HEADING_LINE = re.compile(r"^(#{1,6})[ \t]+(\S.*?)[ \t]*#*[ \t]*$", re.MULTILINE)
TABLE_LINE = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_PIPE = re.compile(r"(?<!\\)\|")


# -------------------------------------------------------------------------------------------------- tables


def _clean_cell(cell: str) -> str:
    cell = cell.replace("\\|", "|").replace("**", "").replace("__", "")
    cell = re.sub(r"<br\s*/?>", " ", cell, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", cell).strip()


def table_row(header: Sequence[str], cells: Sequence[str]) -> str:
    """One row read with its column headers: "Header: cell; Header: cell" (empty cells left out); with no header
    names at all, the first cell labels the rest ("Frames: 12 months")."""
    if not any(_clean_cell(h) for h in header):
        cells = [c for c in (_clean_cell(c) for c in cells) if c]
        return f"{cells[0]}: {'; '.join(cells[1:])}" if len(cells) > 1 else "".join(cells)
    parts: list[str] = []
    for i, cell in enumerate(cells):
        cell = _clean_cell(cell)
        if not cell:
            continue
        name = _clean_cell(header[i]) if i < len(header) else ""
        parts.append(f"{name}: {cell}" if name and name.lower() != cell.lower() else cell)
    return "; ".join(parts)


def _pipe_cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return _PIPE.split(line)


def tables_as_rows(text: str) -> str:
    """The text with each Markdown pipe table (header, rule, rows) replaced by one "- Header: cell; ..." line a row.

    Pipe lines without a rule line under their first line are not a table and stay as they are.
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if TABLE_LINE.match(lines[i]) and i + 1 < len(lines) and TABLE_RULE.match(lines[i + 1]) \
                and "|" in lines[i + 1] + lines[i].strip()[1:-1]:
            header = _pipe_cells(lines[i])
            j = i + 2
            rows: list[str] = []
            while j < len(lines) and TABLE_LINE.match(lines[j]):
                if not TABLE_RULE.match(lines[j]):
                    row = table_row(header, _pipe_cells(lines[j]))
                    if row:
                        rows.append(f"- {row}")
                j += 1
            out.extend(rows)
            i = j
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


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


class _Headings:
    """The Markdown headings of a text, to name the section path in effect at any offset."""

    def __init__(self, text: str) -> None:
        self.found = [(m.start(), len(m.group(1)), m.group(0).strip()) for m in HEADING_LINE.finditer(text)]
        self.starts = [h[0] for h in self.found]

    def path(self, offset: int) -> str:
        """Heading lines of the sections that text at `offset` sits in (a heading starting there: its parents)."""
        stack: list[tuple[int, str]] = []
        for _, level, line in self.found[: bisect.bisect_left(self.starts, offset)]:
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, line))
        at = bisect.bisect_left(self.starts, offset)
        if at < len(self.found) and self.found[at][0] == offset:  # the chunk opens with a heading: its parents only
            stack = [s for s in stack if s[0] < self.found[at][1]]
        lines = [line for _, line in stack]
        while lines and sum(len(x) + 1 for x in lines) > HEADING_PATH_CHARS:
            lines.pop(0)
        return "\n".join(lines)


def chunk_text(text: str, size: int = CHUNK_CHARS, overlap: int = CHUNK_OVERLAP) -> list[str]:
    """Split text into chunks of at most `size` characters at paragraph/line/sentence boundaries.

    Units (paragraphs, or lines/sentences/words of a paragraph too long to fit) are packed greedily. Each
    chunk after the first starts with the trailing units of the previous one that fit in `overlap`
    characters (or its last unit alone when that is at most twice the overlap), so a fact cut at a
    chunk border is still whole in one chunk. The original separators inside a chunk are kept. A chunk that
    starts inside a Markdown section is prefixed with the section's heading lines (its heading path), which
    count towards `size` (a path longer than a third of `size` is left out).
    """
    if size < 50 or not 0 <= overlap < size // 2:
        raise ValueError("chunk size must be >= 50 and overlap in [0, size/2)")
    headings = _Headings(text)
    units = _units(text, 0, len(text), 0, size)

    prefixes: dict[int, str] = {}

    def prefix(start: int) -> str:
        if start not in prefixes:
            path = headings.path(start)
            prefixes[start] = f"{path}\n\n" if path and len(path) < size // 3 else ""
        return prefixes[start]

    def fits(first: int, end: int) -> bool:
        return end - first + len(prefix(first)) <= size

    chunks: list[str] = []
    i = 0
    while i < len(units):
        first = units[i][0]
        j = i + 1
        while j < len(units) and fits(first, units[j][1]):
            j += 1
        if j < len(units) and j - 1 > i and text.startswith("#", units[j - 1][0]):
            j -= 1  # a markdown heading opens the next chunk instead of closing this one
        body = text[first : units[j - 1][1]]
        head = prefix(first)
        chunks.append(head + body if len(head) + len(body) <= size else body)
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
        while nxt < j and not fits(units[nxt][0], units[j][1]):  # the next chunk must take at least one new unit
            nxt += 1
        i = nxt
    return chunks


__all__ = ["CHUNK_CHARS", "CHUNK_OVERLAP", "chunk_text", "table_row", "tables_as_rows"]
