"""The PII guard beyond US formats (safety.pii, safety.pii_address): international addresses and phones, every card
network, dates of birth in brackets after a name, lower-case chat names, the business-contact policy (toll-free
numbers and role mailboxes kept), serial numbers kept; the second labelled set and its targets; the offline
presidio-evaluator generator behind ``python -m bench pii --peer``."""

from __future__ import annotations

import json

import pytest

from bench.bench_pii import DATA, DATA_INTL, MAX_CLEAN_ALTERED_INTL, RECALL_TARGET_INTL, evaluate, load_records
from bench.make_pii_set_intl import OUT, build
from safety.pii import get_engines, redact


@pytest.fixture(scope="module", autouse=True)
def engines():
    return get_engines()


@pytest.mark.parametrize("address", [
    "Schillerstraße 14, 10625 Berlin",
    "Am Markt 11, 50667 Köln",
    "12 rue de la République, 69002 Lyon",
    "Keizersgracht 221, 1016 DV Amsterdam",
    "Via Garibaldi 45, 20121 Milano",
    "Flat 3, 27 Queens Terrace, Manchester M14 5RT",
    "455 Rue Sainte-Catherine O, Montréal, QC H3B 1A2",
    "2-3-5 Nishi-Shinjuku, Shinjuku-ku, Tokyo 160-0023",
    "〒150-0002 Tokyo, Shibuya-ku, Shibuya 2-21-1",
    "Flat 12B, Sea View Apartments, Marine Drive, Mumbai 400020",
    "Unit 4, 18 Smith St, Fitzroy VIC 3065",
    "742 Broadway, New York, NY 10003",
    "PSC 1234, Box 5678, APO AE 09123",
])
def test_international_addresses_are_one_redaction(address: str) -> None:
    assert redact(f"Please ship the glasses to {address}.").text == "Please ship the glasses to <ADDRESS>."


def test_multi_line_address_block_is_redacted_whole() -> None:
    text = "Ship to:\nHelena Carlsen\n406 Strojírenská 1006\n Apt. 516\n Svratka\n Czech Republic 36152"
    out = redact(text).text
    for part in ("Carlsen", "406", "1006", "516", "Svratka", "36152"):
        assert part not in out


@pytest.mark.parametrize("phone", [
    "07700 900123", "020 7946 0123", "+49 151 23456789", "06 12 34 56 78", "+31 6 12345678", "090-1234-5678",
    "+91 98765 43210", "0412 345 678", "(02) 9876 5432", "+61 412 345 678",
])
def test_national_and_international_phone_numbers(phone: str) -> None:
    assert redact(f"Her mobile is {phone}, call after 5.").text == "Her mobile is <PHONE_NUMBER>, call after 5."


@pytest.mark.parametrize("text", [
    "Call our free helpline on 1-800-555-0199 for warranty questions.",
    "UK customers can call 0800 028 0283 free of charge.",
    "Australian stores: call 1300 655 506 for bookings.",
    "Japan helpline 0120-123-456 (free call).",
    "Questions? Email support@northline-optical.com, info@northline-optical.com or orders@brilstudio.nl.",
    "The edger serial no. 651 165 7415 needs a service visit.",
    "Lensmeter S/N 070-1234-5678 was sent for repair.",
    "The appointment is on 2025-03-14; call the store if you are late.",
])
def test_business_contacts_serials_and_dates_are_kept(text: str) -> None:
    assert redact(text).text == text


def test_personal_mailboxes_are_redacted_even_at_a_business_domain() -> None:
    assert redact("Write to aoife.brennan@clearview-optics.co.uk today.").text == "Write to <EMAIL_ADDRESS> today."
    # a role word at a consumer mail provider is still one person's mailbox
    assert redact("Write to info@gmail.com today.").text == "Write to <EMAIL_ADDRESS> today."


@pytest.mark.parametrize("card", [
    "3530 1113 3330 0000",  # JCB
    "3056 930902 5904",  # Diners Club
    "6212 3456 7890 1232",  # UnionPay
    "6011 0009 9013 9424",  # Discover
    "6759 6498 2643 8453",  # Maestro
    "3714 496353 98431",  # Amex
    "2223 0031 2200 3222",  # Mastercard 2-series
])
def test_every_card_network(card: str) -> None:
    assert redact(f"Paid with {card} yesterday.").text == "Paid with <CREDIT_CARD> yesterday."


def test_luhn_invalid_numbers_after_a_card_word_are_kept() -> None:
    text = "Ticket 4111-1111-1111-1112 was opened for the card reader."
    assert redact(text).text == text


def test_iso_date_in_brackets_after_a_name_is_a_birth_date() -> None:
    assert redact("Sophie Laurent (1992-07-19) asked about her Rx.").text == \
        "<PERSON> (<DATE_OF_BIRTH>) asked about her Rx."
    assert redact("Date of birth for the loyalty account: 13/08/2002.").text == \
        "Date of birth for the loyalty account: <DATE_OF_BIRTH>."


@pytest.mark.parametrize(("text", "expected"), [
    ("hi yuki, ur contacts r here", "hi <PERSON>, ur contacts r here"),
    ("thx niall! i'll tell the customer", "thx <PERSON>! i'll tell the customer"),
    ("ok so chiara walsh called again about the lenses", "ok so <PERSON> called again about the lenses"),
    ("hey team, the zeiss order came in", "hey team, the zeiss order came in"),
])
def test_lower_case_names_in_chat(text: str, expected: str) -> None:
    assert redact(text).text == expected


def test_driver_licence_after_its_label() -> None:
    assert redact("My driver's license number is F956444351718.").text == \
        "My driver's license number is <DRIVER_LICENSE>."


def test_organisations_and_places_are_not_people() -> None:
    for text in ("Paychex Inc is a design agency based in Mohács.", "We returned to Northcross by helicopter.",
                 "The Towerdata Orchestra was founded in 1981."):
        assert redact(text).text == text


# -- the second labelled set ----------------------------------------------------------------------------------------


def test_second_set_is_reproducible_large_and_apart_from_the_first() -> None:
    records = load_records(DATA_INTL)
    assert OUT == DATA_INTL
    assert [json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines()] == build()
    assert len(records) >= 400
    assert sum(1 for r in records if not r["entities"]) >= len(records) / 3
    first = {r["text"] for r in load_records(DATA)}
    assert not first & {r["text"] for r in records}
    for r in records:
        for e in r["entities"]:
            assert 0 <= e["start"] < e["end"] <= len(r["text"])


def test_second_set_meets_recall_and_clean_text_targets() -> None:
    scores = evaluate(load_records(DATA_INTL))
    for label in scores.support:
        assert scores.recall(label) >= RECALL_TARGET_INTL, (label, scores.recall(label), scores.misses)
    assert scores.clean_rate <= MAX_CLEAN_ALTERED_INTL, scores.spurious


# -- the presidio-evaluator generator used by the peer benchmark ------------------------------------------------------


def test_peer_generator_is_offline_seeded_and_spans_match_the_text() -> None:
    from bench.bench_pii_peer import PERSONAL_TYPES, generate

    first, again = generate(7, 30), generate(7, 30)
    # the same personal data for the same seed (only the library's time-of-day values follow the clock)
    assert [[s.text[a:b] for a, b, _ in s.spans] for s in first] == [[s.text[a:b] for a, b, _ in s.spans]
                                                                     for s in again]
    assert any(s.spans for s in first) and any(not s.personal for s in first)
    for sample in first:
        assert "\\n" not in sample.text  # template escapes became line breaks
        for start, end, label in sample.spans:
            assert label in PERSONAL_TYPES and sample.text[start:end].strip()
