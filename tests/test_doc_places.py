"""The tenant's own place and branch names from its documents on the guard's allow-list: kept in that tenant's
guarded answers, never for another tenant; staff the same documents name in a business role shown in that tenant's
answers only (issue 11), a customer's name still redacted; the list follows the tenant's documents as they are added
and deleted (real PostgreSQL, real presidio and guardrails)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from db import registry
from db.session import tenant_session
from safety.guard import guard_text
from safety.pii import redact
from safety.place_names import DocumentText, offering_names, place_names
from tests.doc_files import make_docx, make_text
from tools.catalog import allow_terms
from tools.doc_places import doc_place_terms
from tools.ingest import add_documents

BRANCHES = """# Branches, hours and parking

Fynbos Optometrists has five branches. Our Kraaifontein branch shares a lab with the Parow and Brackenfell stores.

| Branch | Address | Opening hours |
|---|---|---|
| Kraaifontein | Shop 4, Okavango Crossing, Brighton Road | 9am-6pm |
| Parow | Sanlam Centre, Voortrekker Road | 9am-7pm |
| Brackenfell | 12 Old Paarl Road | 8am-5pm |

## Languages

isiXhosa is spoken at Parow and Brackenfell, and Afrikaans at Kraaifontein.

## Getting there

- Durbanville: park behind Maynard Mall.
- Rathmines: enter from the taxi rank.

## Team

Our optometrist Dr Ayanda Mthembu sees children at Parow on Tuesdays. For contact lens orders, contact Sarah Jones
at our Brackenfell store. Lwazi Dube, our branch manager, approves refunds.
"""

# Each sentence loses a place name to <PERSON> without the tenant's list (asserted below, so the test can fail).
PLACE_ANSWER = ("Kraaifontein closes at 5pm. Ask Brackenfell for stock. Maynard Mall has parking. "
                "Ask Rathmines for the keys.")
PLACES = ("Kraaifontein", "Brackenfell", "Maynard Mall", "Rathmines")
STAFF_ANSWER = ("Dr Ayanda Mthembu sees children at Parow. Contact Sarah Jones at our Brackenfell store. "
                "Lwazi Dube, our branch manager, approves refunds.")
STAFF = ("Ayanda", "Mthembu", "Sarah", "Jones", "Lwazi", "Dube")


# --------------------------------------------------------------------------------------- the extractor alone


def test_place_names_from_several_styles_and_never_staff():
    names = set(place_names([DocumentText("Branches, hours and parking", BRANCHES)]))
    # branch noun before and after, table column, address column parts, place words, list labels, "at X"
    assert {"Kraaifontein", "Parow", "Brackenfell", "Okavango Crossing", "Brighton Road", "Sanlam Centre",
            "Voortrekker Road", "Old Paarl Road", "Maynard Mall", "Durbanville", "Rathmines"} <= names
    assert not {n for n in names for s in STAFF if s in n}


def test_a_name_used_for_a_person_anywhere_is_not_a_place():
    doc = DocumentText("Locations", "# Locations\n\nOur Mowbray branch and our Goodwood branch open at 9am.\n\n"
                                    "Dr Mowbray runs the contact lens clinic.\n")
    assert place_names([doc]) == ("Goodwood",)
    surname = DocumentText("Stores", "# Stores\n\nThe Nair store is in Bellville. Our optometrist is Priya Nair.\n")
    assert "Nair" not in place_names([surname]) and "Bellville" in place_names([surname])
    # a common given name is a place only with a place word at its end; a possessive is somebody's
    given = DocumentText("Stores", "# Stores\n\nOur Grace Park branch is next to Elizabeth Street. "
                                   "Thandi's clinic is upstairs.\n")
    assert place_names([given]) == ("Elizabeth Street",)


def test_a_word_that_ends_a_place_name_is_no_given_name_before_a_branch():
    # "Chiang Mai Nimman": "Mai" ends the place Chiang Mai; "Nimman" alone is the shop's short name
    doc = DocumentText("Shops and hours", "# Shops and hours\n\n| Shop | Hours |\n|---|---|\n"
                                          "| Chiang Mai Nimman | 10:00-20:00 |\n\n"
                                          "We make school glasses at the Nimman branch. On festival nights Nimman "
                                          "closes at 17:00.\n")
    assert {"Chiang Mai Nimman", "Nimman"} <= set(place_names([doc]))
    # a given name before a surname still vetoes it
    person = DocumentText("Shops", "# Shops\n\nOur Rosebank branch and the Nimman branch open daily. Ask "
                                 "Mai Nimman at the counter.\n")
    assert "Nimman" not in place_names([person])


def test_a_label_alone_needs_one_word_or_another_place_use():
    doc = DocumentText("Branch opening hours", "# Branch opening hours\n\n- Sipho Dlamini: weekdays only\n"
                                               "- Bellville: 9am-5pm\n- Toa Payoh: 10am-6pm\n")
    assert place_names([doc]) == ("Bellville",)
    again = DocumentText("Hours", "Our Toa Payoh outlet opens at 10am.")
    assert set(place_names([doc, again])) == {"Bellville", "Toa Payoh"}
    # a section about people lists people, even in a document about branches
    staff = DocumentText("Branch staff", "# Branch staff\n\n## Thandeka\n\nThandeka has worked with us since "
                                         "2015.\n\n- Sipho: weekends only\n")
    assert place_names([staff]) == ()
    # people listed under a job title, or a first name on a contact line, in a document about a branch
    contacts = DocumentText("Our Goodwood branch", "# Our Goodwood branch\n\nOptometrists: Thandeka Mokoena, Sipho "
                                                   "Ndlovu.\n\n- Lerato: 082 555 1234\n- Bellville: closed\n")
    names = set(place_names([contacts]))
    assert {"Bellville", "Goodwood"} <= names
    assert not {n for n in names for p in ("Thandeka", "Mokoena", "Sipho", "Ndlovu", "Lerato") if p in n}


# ------------------------------------------------------------------------------ through the database and guard


@pytest.fixture(scope="module")
def tenants(database: str) -> dict[str, registry.Tenant]:
    return {"a": registry.ensure_tenant("fynbos", "Fynbos Optometrists"),
            "b": registry.ensure_tenant("protea", "Protea Eyewear")}


def test_tenant_places_kept_staff_redacted_and_other_tenant_unaffected(tenants, tmp_path):
    a, b = tenants["a"], tenants["b"]
    add_documents(a.id, [make_text(tmp_path / "a", "branches.md", BRANCHES)])
    add_documents(b.id, [make_text(tmp_path / "b", "refunds.md",
                                "# Refunds\n\nRefunds over R2,000 need a signature. Ask Brackenfell for the refund "
                                "form; our Sea Point branch keeps the originals.\n")])
    # the failure this fixes: without the tenant's list, places are taken for people ("Ask <PERSON> for stock")
    assert len([place for place in PLACES if place not in redact(PLACE_ANSWER).text]) >= 3
    allow_a = allow_terms(a.id)
    kept = guard_text(PLACE_ANSWER, tenant=a.slug, tenant_allow=allow_a)
    assert kept.text == PLACE_ANSWER and kept.passed
    # staff its documents name in a business role are shown in its own answers (issue 11), and only there
    assert not any(s in redact(STAFF_ANSWER).text for s in STAFF)
    staff = guard_text(STAFF_ANSWER, tenant=a.slug, tenant_allow=allow_a)
    assert staff.text == STAFF_ANSWER, staff.text
    customer = guard_text("Nandi Khoza collected her glasses at Parow.", tenant=a.slug, tenant_allow=allow_a)
    assert "Nandi" not in customer.text and "Khoza" not in customer.text and "Parow" in customer.text

    # Tenant B: its answer uses "Brackenfell" as a person; A's place names are not on B's list.
    allow_b = allow_terms(b.id)
    assert "Sea Point" in allow_b
    assert not set(doc_place_terms(a.id)) & set(allow_b)
    b_answer = "Ask Brackenfell for the refund form."
    assert guard_text(b_answer, tenant=b.slug, tenant_allow=allow_b).text == "Ask <PERSON> for the refund form."
    assert guard_text(b_answer, tenant=a.slug, tenant_allow=allow_a).text == b_answer  # what a leak would look like
    b_staff = guard_text(STAFF_ANSWER, tenant=b.slug, tenant_allow=allow_b)
    assert not any(s in b_staff.text for s in STAFF), b_staff.text  # A's staff never shown to B


def test_word_table_column_of_branches(tenants, tmp_path):
    """A .docx table (rows stored a paragraph apart) with a Branch column puts its cells on the tenant's list."""
    a = tenants["a"]
    path = make_docx(tmp_path / "branch-list.docx", ["Where our optometrists work each week."],
                     table=[["Branch", "Optometrist", "Days"], ["Khayelitsha Plaza", "Dr Nomvula Zulu", "Mon-Wed"],
                            ["Goodwood", "Pieter Botha", "Thu-Sat"]], heading="Weekly rota")
    add_documents(a.id, [path])
    names = doc_place_terms(a.id)
    assert {"Khayelitsha Plaza", "Goodwood"} <= set(names)
    assert not {n for n in names for s in ("Nomvula", "Zulu", "Pieter", "Botha") if s in n}


def test_allow_list_follows_the_tenants_documents(tenants, tmp_path):
    a = tenants["a"]
    answer = "Ask Kuils River about frames."
    before = allow_terms(a.id)  # cached now; the next ingest must show without any explicit invalidation
    assert "Kuils River" not in before
    assert guard_text(answer, tenant=a.slug, tenant_allow=before).text == "Ask <PERSON> about frames."
    add_documents(a.id, [make_text(tmp_path / "a2", "home-visits.md",
                                "# Home visits\n\nHome visits are booked through our Kuils River branch.\n")])
    after = allow_terms(a.id)
    assert "Kuils River" in after and set(before) <= set(after)
    assert guard_text(answer, tenant=a.slug, tenant_allow=after).text == answer
    with tenant_session(a.id) as conn:  # deleting the document takes its names off the list
        conn.execute(sa.text("DELETE FROM documents WHERE source = 'home-visits.md'"))
    assert "Kuils River" not in allow_terms(a.id)


def test_agent_docs_answer_keeps_the_tenants_places_and_staff(tenants, tmp_path):
    """Through the whole turn (routing, retrieval, guard node): the cited passages keep the tenant's place names
    and the staff its documents name in a business role. No chat model is asked on the docs route."""
    from agents import answer_sync

    a = tenants["a"]
    registry.add_user("manager@fynbos.example", "fynbos", "member")
    principal = registry.principal_for("manager@fynbos.example")
    add_documents(a.id, [make_text(tmp_path / "a3", "branches.md", BRANCHES)])
    out = answer_sync(principal, "Where do customers park at our Durbanville branch?")
    assert out["route"] == "docs", out
    cited = "\n".join(s["text"] for s in out["sources"])
    assert "Maynard Mall" in cited
    if "our branch manager" in cited:  # the staff the documents name in a role are shown (issue 11)
        assert "Lwazi Dube, our branch manager" in cited, cited
    assert "Durbanville: park behind Maynard Mall" in out["answer"]  # "... behind <PERSON>" before


# ---------------------------------------------------------------------------- the tenant's own offering names

OFFERINGS = """# Cover and plans

## Crackproof Cover

Crackproof Cover is an optional add-on bought with the spectacles. Lost or stolen glasses are not covered by
Crackproof Cover. FrameSure is an optional extra for rimless frames.

## Children

Our Bright Start programme gives children under 12 a free frame. Join the Silver Circle Club at 60 for 15% off.
Thandi Gold Card holders pay monthly. The KiddoView subscription posts lenses home.

## Claims

Claims are approved by Dr Lindiwe Khumalo. For claim forms, contact Pieter Naidoo at head office.
"""
OFFER_ANSWER = ("Lost glasses are not covered by Crackproof Cover. FrameSure is an optional extra. Ask about "
                "Bright Start or the KiddoView subscription, and join Silver Circle Club.")
OFFER_NAMES = ("Crackproof Cover", "FrameSure", "Bright Start", "KiddoView", "Silver Circle Club")
OFFER_STAFF = "Dr Lindiwe Khumalo approves claims. Contact Pieter Naidoo for forms."


def test_offering_names_from_their_contexts_and_never_staff():
    names = set(offering_names([DocumentText("Cover and plans", OFFERINGS)]))
    assert set(OFFER_NAMES) <= names
    assert not {n for n in names for s in ("Lindiwe", "Khumalo", "Pieter", "Naidoo") if s in n}
    # a name the documents also use for a person never gets in, whatever the offering context
    assert "Vusi Plan" not in offering_names([DocumentText("Plans", "Ask about the Vusi Plan. Mr Vusi Plan said so.")])


@pytest.fixture(scope="module")
def offer_tenants(database: str) -> dict[str, registry.Tenant]:
    return {"a": registry.ensure_tenant("acacia", "Acacia Eyecare"),
            "b": registry.ensure_tenant("baobab", "Baobab Optical")}


def test_tenant_offerings_kept_staff_redacted_and_other_tenant_unaffected(offer_tenants, tmp_path):
    a, b = offer_tenants["a"], offer_tenants["b"]
    add_documents(a.id, [make_text(tmp_path / "a", "cover.md", OFFERINGS)])
    add_documents(b.id, [make_text(tmp_path / "b", "hours.md", "# Hours\n\nWe open at 9am on weekdays.\n")])
    assert redact(OFFER_ANSWER).text != OFFER_ANSWER  # without the tenant's list, offerings are taken for people
    allow_a = allow_terms(a.id)
    kept = guard_text(OFFER_ANSWER, tenant=a.slug, tenant_allow=allow_a)
    assert kept.text == OFFER_ANSWER and kept.passed
    staff = guard_text(OFFER_STAFF, tenant=a.slug, tenant_allow=allow_a)  # named in a role: shown (issue 11)
    assert staff.text == OFFER_STAFF, staff.text
    assert not any(s in guard_text(OFFER_STAFF, tenant=b.slug, tenant_allow=allow_terms(b.id)).text
                   for s in ("Lindiwe", "Khumalo", "Pieter", "Naidoo"))

    allow_b = allow_terms(b.id)
    assert not set(OFFER_NAMES) & set(allow_b)
    assert guard_text(OFFER_ANSWER, tenant=b.slug, tenant_allow=allow_b).text != OFFER_ANSWER


def test_a_document_is_put_back_together_from_chunks_that_repeat_their_heading_path():
    from tools.chunking import chunk_text
    from tools.doc_places import _joined

    text = ("# Prices\n\n## Lenses\n\n" + "\n".join(f"- Lens {i}: Price: kr {i * 10}" for i in range(60))
            + "\n\n## Frames\n\nAll frames come with a case.")
    chunks = chunk_text(text, 300, 60)
    assert len(chunks) > 2 and chunks[1].startswith("# Prices\n## Lenses")
    assert _joined(chunks) == text
