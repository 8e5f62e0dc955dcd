"""A document's stored title (`tools.ingest.safe_title`) keeps the names the document's own text publishes as the
business's (a scheme, a voucher, a programme named in another language), so the "I searched N document(s): ..."
message and the sources show them, while a person's name in a title stays redacted: a name only the title holds, a
name from a record about a person, and another tenant's names (real PostgreSQL, real presidio)."""

from __future__ import annotations

import pytest

from db import registry
from safety.pii import redact
from tests.doc_files import make_text
from tools.doc_places import document_terms
from tools.ingest import add_documents, safe_title

# Made-up schemes, each taken for a person by the detector without the document's own text (asserted below).
SCHEME_DOCS = {
    "bono.md": ("Bono Visión Joven",
                "# Bono Visión Joven\n\nThe Bono Visión Joven voucher takes 50 euros off glasses for anyone under 26. "
                "Bring the Bono Visión Joven card to any branch.\n"),
    "sorglos.md": ("Kinderbrille Sorglos",
                   "# Kinderbrille Sorglos\n\nUnder the Kinderbrille Sorglos scheme, children's frames cost nothing "
                   "once the insurer pays. Kinderbrille Sorglos frames are marked with a green tag.\n"),
}
RECORD_TEXT = ("# Notes on Karolina Wiśniewska\n\nKarolina Wiśniewska came in on 3 May with headaches from her "
               "new varifocals. Customer asked for a remake.\n")


def test_document_terms_come_from_the_documents_own_text():
    for title, text in SCHEME_DOCS.values():
        assert "<PERSON>" in redact(title).text  # the failure this fixes
        assert redact(title, allow=document_terms(title, [text])).text == title
    # a patient's name in a title: the record's own text never puts it on the list
    title = "Notes on Karolina Wiśniewska"
    assert document_terms(title, [RECORD_TEXT]) == ()
    assert "Wiśniewska" not in redact(title, allow=document_terms(title, [RECORD_TEXT])).text
    # a title is no evidence for itself: a name the text never holds stays off
    assert document_terms("Tarjeta Mirada Clara", ["Our loyalty card gives 10% off frames."]) == ()
    # a case-notes document publishes nothing, whatever its lines look like
    assert document_terms("Case notes", ["The Bono Visión Joven voucher was used by Ana Ruiz."]) == ()


@pytest.fixture(scope="module")
def tenants(database: str) -> dict[str, registry.Tenant]:
    return {"a": registry.ensure_tenant("alborada", "Óptica Alborada"),
            "b": registry.ensure_tenant("tramonto", "Ottica Tramonto")}


def test_stored_title_keeps_its_own_scheme_and_loses_a_patient(tenants, tmp_path):
    a, b = tenants["a"], tenants["b"]
    # each scheme document is the tenant's first: no earlier document can put its name on the list
    for name, (title, text) in SCHEME_DOCS.items():
        tenant = registry.ensure_tenant(f"alb-{name[:4]}", f"Alborada {name[:4]}")
        (stored,) = add_documents(tenant.id, [make_text(tmp_path / tenant.slug, name, text)])
        assert stored.title == title, stored.title
    (record,) = add_documents(a.id, [make_text(tmp_path / "a", "notes.md", RECORD_TEXT)])
    assert "Wiśniewska" not in record.title and "<PERSON>" in record.title
    # tenant B's title names a person who is tenant A's scheme: B's own text does not publish it, A's list is not B's
    title, text = SCHEME_DOCS["bono.md"]
    add_documents(a.id, [make_text(tmp_path / "a", "bono.md", text)])
    (other,) = add_documents(b.id, [make_text(tmp_path / "b", "letter.md",
                                             f"# Notes on {title}\n\nPlease call back about the frames.\n")])
    assert "<PERSON>" in other.title and "Joven" not in other.title
    assert safe_title(b.id, title) != title and safe_title(a.id, title) == title
