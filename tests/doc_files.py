"""Small real document files for tests (helpers shared by test modules, not a test module itself): a one-page PDF
with hand-built xref, a .docx written with python-docx, and a plain text/markdown file, as the ingestion and dataset
parsers read them."""

from __future__ import annotations

from pathlib import Path


def make_text(folder: Path, name: str, text: str) -> Path:
    """Write `text` (UTF-8) as `folder/name`, creating the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def make_pdf(path: Path, lines: list[str], title: str | None = None) -> Path:
    """Write a minimal valid one-page PDF (Helvetica text, hand-built xref) with `lines` as text; `title` goes in
    the document info dictionary."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = "BT /F1 11 Tf 72 720 Td 14 TL " + " ".join(f"({esc(line)}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
    ]
    if title is not None:
        objects.append(f"<< /Title ({esc(title)}) >>")
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    info = f" /Info {len(objects)} 0 R" if title is not None else ""
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)
    return path


def make_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None,
              heading: str | None = None) -> Path:
    """Write a .docx: an optional level-1 `heading`, the `paragraphs`, then an optional `table` (rows of cells)."""
    import docx

    document = docx.Document()
    if heading is not None:
        document.add_heading(heading, level=1)
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    document.save(str(path))
    return path
