"""Tables and headings in document chunks (tools/chunking.py through tools/ingest.py's extract_text + chunk_text).

Made-up documents of a made-up optician: a table row must read with every column header (the first column's too),
a table cut across chunks must keep its heading path and headers in every chunk, and Word tables and headings must
come out the same way as Markdown ones. No database: extraction and chunking are pure functions.
"""

from __future__ import annotations

import io
import re

import docx

from tools.ingest import chunk_text, extract_text

PRICE_MD = (
    "# Puffin Optics price guide\n\n"
    "Prices include sales tax.\n\n"
    "## Spectacle lenses\n\n"
    "| Lens option (per pair) | Standard price | Member price |\n"
    "|:---|---:|---:|\n"
    + "".join(f"| Puffin lens model {n} with coating | $ {100 + n * 10} | $ {90 + n * 10} |\n" for n in range(24))
    + "\n## Repairs\n\nScrew replacement is free while you wait.\n"
)


def _chunks_of(data: bytes, suffix: str, size: int = 500, overlap: int = 100) -> list[str]:
    text, _ = extract_text(data, suffix, f"made-up{suffix}")
    return chunk_text(text, size=size, overlap=overlap)


def test_a_markdown_table_row_reads_with_every_column_header():
    chunks = _chunks_of(PRICE_MD.encode(), ".md")
    joined = "\n".join(chunks)
    assert "Lens option (per pair): Puffin lens model 3 with coating; Standard price: $ 130; Member price: $ 120" \
        in joined
    assert "|" not in joined  # no raw pipe rows or rule lines are left to be read without their header
    assert "---" not in joined


def test_every_chunk_of_a_long_table_carries_heading_path_and_headers():
    chunks = _chunks_of(PRICE_MD.encode(), ".md")
    table_chunks = [c for c in chunks if "Puffin lens model" in c]
    assert len(table_chunks) >= 3  # the table is cut across chunks
    for c in table_chunks:
        assert c.startswith("# Puffin Optics price guide\n") and "## Spectacle lenses" in c
        rows = [line for line in c.splitlines() if "Puffin lens model" in line]
        assert rows and all(r.startswith("- Lens option (per pair): ") and "Standard price: $" in r for r in rows)
    for n in range(24):  # every row is whole in some chunk
        assert any(f"model {n} with coating; Standard price: $ {100 + n * 10}" in c for c in table_chunks), n
    assert all(len(c) <= 500 for c in chunks)
    repairs = next(c for c in chunks if "Screw replacement" in c)
    assert "## Repairs" in repairs and "# Puffin Optics price guide" in repairs


def test_a_continued_section_of_plain_paragraphs_keeps_its_heading_path():
    body = " ".join(f"Sentence {i} about how the Puffin trial pair must be returned unscratched." for i in range(20))
    md = f"# Puffin handbook\n\n## Trial pairs\n\n{body}\n\n## Deposits\n\nA deposit of $ 20 is taken."
    chunks = _chunks_of(md.encode(), ".md", size=400, overlap=80)
    trial = [c for c in chunks if "trial pair" in c]
    assert len(trial) >= 3
    assert all(c.startswith("# Puffin handbook\n") and "## Trial pairs" in c for c in trial)
    deposits = next(c for c in chunks if "deposit of $ 20" in c)
    assert deposits.startswith("# Puffin handbook\n")


def test_table_cells_with_escaped_pipes_empty_header_and_empty_cells():
    md = ("| | Weekdays | Sunday |\n|---|---|---|\n| Harbour store | 9 to 5 | |\n"
          "| Mall store \\| level 2 | 10 to 8 | 11 to 4 |\n")
    text, _ = extract_text(md.encode(), ".md", "hours.md")
    assert text.splitlines() == ["- Harbour store; Weekdays: 9 to 5",
                                 "- Mall store | level 2; Weekdays: 10 to 8; Sunday: 11 to 4"]
    plain = "A | B | not a table because no rule line follows |\nSecond line."
    assert extract_text(plain.encode(), ".txt", "notes.txt")[0] == plain


def _docx_bytes(build) -> bytes:  # type: ignore[no-untyped-def]
    document = docx.Document()
    build(document)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_word_tables_read_with_headers_and_word_headings_become_a_heading_path():
    def build(d):  # type: ignore[no-untyped-def]
        d.add_heading("Puffin staff manual", level=1)
        d.add_paragraph("Read this before your first shift.")
        d.add_heading("Staff discounts", level=2)
        table = d.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Item bought", "Staff discount"
        for n in range(30):
            row = table.add_row()
            row.cells[0].text, row.cells[1].text = f"Puffin frame line {n} in acetate", f"{n % 5 + 10}% off"

    text, title = extract_text(_docx_bytes(build), ".docx", "manual.docx")
    assert title == "Puffin staff manual"
    assert "# Puffin staff manual" in text and "## Staff discounts" in text
    assert "- Item bought: Puffin frame line 7 in acetate; Staff discount: 12% off" in text
    chunks = chunk_text(text, size=400, overlap=80)
    table_chunks = [c for c in chunks if "Puffin frame line" in c]
    assert len(table_chunks) >= 3
    for c in table_chunks:
        assert "## Staff discounts" in c
        assert all(line.startswith("- Item bought: ") for line in c.splitlines() if "Puffin frame line" in line)


def test_word_table_without_a_header_row_and_with_a_merged_cell():
    def build(d):  # type: ignore[no-untyped-def]
        table = d.add_table(rows=3, cols=3)
        values = [["Frames", "12 months", "from the day of collection"],
                  ["Lenses", "6 months", "coating only"],
                  ["Cases", "", ""]]
        for r, row in enumerate(values):
            for c, v in enumerate(row):
                table.rows[r].cells[c].text = v
        merged = table.rows[2].cells[1].merge(table.rows[2].cells[2])
        merged.text = "not covered"

    text, _ = extract_text(_docx_bytes(build), ".docx", "warranty.docx")
    lines = text.splitlines()
    assert lines == ["- Frames: 12 months; from the day of collection", "- Lenses: 6 months; coating only",
                     "- Cases: not covered"]
    assert not re.search(r"not covered.*not covered", text)  # a merged cell is read once
