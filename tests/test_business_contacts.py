"""The contact points a tenant's documents publish as the business's (branch phones, booking lines, role mailboxes
at its domain, street addresses) on that tenant's guard allow-list: kept in its guarded answers, never for another
tenant; staff and customer numbers in the same documents still redacted (real presidio, guardrails, PostgreSQL)."""

from __future__ import annotations

import pytest

from db import registry
from safety.business_contacts import business_contacts
from safety.guard import guard_text
from safety.place_names import DocumentText, place_names
from tests.doc_files import make_text
from tools.catalog import allow_terms
from tools.ingest import add_documents

STORES = """# Where to find us

| Shop | Street address | Telephone | Open |
|---|---|---|---|
| Westvale | 41 Harrow Lane, Westvale | 0161 496 0732 | Mon-Sat 9-5:30 |
| Kirkby Moor | Unit 3, 7 Canal Street | 0161 496 0955 | Tue-Sat 10-6 |

Book a sight test by text or WhatsApp on 07700 900 318, or e-mail westvaleoptics@lindenoptics.co.uk.
The lab can be reached on 0161 496 0410 from 8 to 4.

## Our team

For frame orders ring Priya Patel on 07700 900 842. Ask for Mr Okafor (0161 496 0111) about invoices.
Customer record: Jane Bloggs, home phone 0161 496 0999, reading glasses.
"""

KEPT = ("0161 496 0732", "0161 496 0955", "07700 900 318", "westvaleoptics@lindenoptics.co.uk", "0161 496 0410")
VETOED = ("07700 900 842", "0161 496 0111", "0161 496 0999")


def _docs(text: str = STORES) -> list[DocumentText]:
    return [DocumentText("Where to find us", text)]


def test_published_business_contacts_are_found_and_people_s_numbers_are_not():
    docs = _docs()
    found = set(business_contacts(docs, place_names(docs)))
    assert set(KEPT) <= found
    assert any("Harrow Lane" in v for v in found)  # the address column of the shops table
    assert not {v for v in found for number in VETOED if number in v}


def test_a_number_in_a_line_that_does_not_speak_for_the_business_stays_out():
    docs = _docs("# Notes\n\nThe old reference 0161 496 0123 was retired in 2021.\n"
                 "Dr Lena Fischer can be reached on 0161 496 0456 at our clinic.\n")
    assert business_contacts(docs, place_names(docs)) == ()


@pytest.fixture(scope="module")
def tenants(database: str) -> dict[str, registry.Tenant]:
    return {"a": registry.ensure_tenant("linden", "Linden Optics"),
            "b": registry.ensure_tenant("rowan", "Rowan Eyecare")}


def test_guard_keeps_the_tenants_own_contacts_only_for_that_tenant(tenants, tmp_path):
    a, b = tenants["a"], tenants["b"]
    add_documents(a.id, [make_text(tmp_path / "a", "stores.md", STORES)])
    add_documents(b.id, [make_text(tmp_path / "b", "refunds.md", "# Refunds\n\nRefunds need the original receipt.\n")])
    answer = ("Westvale: Street address 41 Harrow Lane, Westvale; Telephone 0161 496 0732. "
              "Book by WhatsApp on 07700 900 318.")
    without = guard_text(answer, tenant=a.slug, tenant_allow=())
    assert "0161 496 0732" not in without.text and "07700 900 318" not in without.text  # the failure fixed here
    kept = guard_text(answer, tenant=a.slug, tenant_allow=allow_terms(a.id))
    assert "0161 496 0732" in kept.text and "07700 900 318" in kept.text
    staff = guard_text("For frame orders ring Priya Patel on 07700 900 842.", tenant=a.slug,
                       tenant_allow=allow_terms(a.id))
    assert "07700 900 842" not in staff.text and "Priya" not in staff.text
    # Another tenant's guard never gets A's numbers.
    allow_b = allow_terms(b.id)
    assert not set(KEPT) & set(allow_b)
    assert "0161 496 0732" not in guard_text(answer, tenant=b.slug, tenant_allow=allow_b).text


def test_a_number_sign_or_street_abbreviation_does_not_cut_an_address_in_two():
    from safety.business_contacts import _units

    units = list(_units("- Address: Road No. 7, Lakeview Colony, Pune 411001; Phone: 020 4000 1234. Open daily."))
    assert units[0].startswith("- Address: Road No. 7, Lakeview Colony") and "Phone" in units[0]
    assert list(_units("Find us at 12 Mill St. Next to the bank.")) == ["Find us at 12 Mill St. Next to the bank."]
