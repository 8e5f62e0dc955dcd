"""Business text of other languages is no person (issue: the guard over-redacted unseen tenants' documents):
sentence-case headings and labels whose words lean to another language by their function words, day and month names
of every CLDR language, holiday names (also inflected) at the end of a span, product names before a price, the
district after a street address, branch words of many languages, and streets named after people behind an
Indonesian, Malay or Vietnamese street word. People's names and private home addresses in the same languages are
still redacted. Real presidio, spaCy, babel and holidays; all strings are made up."""

from __future__ import annotations

import pytest

from safety import allowlist, business_text
from safety.business_contacts import business_contacts
from safety.pii import _is_word, detect, get_engines, redact
from safety.place_names import DocumentText, place_names


def _types(text: str) -> dict[str, str]:
    return {text[e.start:e.end]: e.type for e in detect(text)}


# --- the building blocks ----------------------------------------------------------------------------------------

def test_function_words_lean_to_another_language_or_to_english() -> None:
    get_engines()  # the English dictionary behind _is_word
    assert business_text.function_word_lean(["dan", "jam", "buka"], _is_word) > 0  # Indonesian
    assert business_text.function_word_lean(["di", "apertura", "delle", "filiali"], _is_word) > 0  # Italian
    assert business_text.function_word_lean(["der"], _is_word) > 0  # German
    assert business_text.function_word_lean(["called", "about", "his", "order"], _is_word) < 0
    assert business_text.function_word_lean(["per"], _is_word) == 0  # Italian and English alike: no evidence


def test_calendar_words_and_currency_marks_of_every_language() -> None:
    for word in ("Samstag", "Sabtu", "Jumat", "Mercredi", "Czerwiec", "Cumartesi", "June"):
        assert business_text.is_calendar_word(word), word
    for word in ("Nkechi", "Kowalska", "Titanium"):
        assert not business_text.is_calendar_word(word), word
    for mark in ("Rp", "zł", "€", "IDR", "Kč", "R$"):
        assert business_text.is_currency_mark(mark), mark
    assert not business_text.is_currency_mark("Maria")


def test_holiday_words_are_known_also_inflected() -> None:
    assert allowlist.is_holiday_word("Nyepi")
    assert allowlist.is_holiday_word("Wielkanoc")  # "Niedziela Wielkanocna"
    assert not allowlist.is_holiday_word("Nkechi")


# --- headings, labels and titles ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Jam operasional dan lokasi cabang",  # Indonesian
    "Libur bersama: semua cabang tutup.",  # a label before a colon
    "Orari estivi dei negozi",  # Italian
    "Chiusura estiva",  # Italian: the first word tells
    "Öffnungszeiten und Preise der Filialen",  # German: nouns capitalised, a function word that is no particle
    "Prijzen van de glazen",  # Dutch
    "Documents:\nJam operasional dan lokasi cabang\nSyarat dan ketentuan",  # a list of document titles
    "According to Jam operasional dan lokasi cabang, the Depok branch opens at 10.",
    "1. Horarios de las tiendas\n2. Formas de pago",
])
def test_a_heading_of_another_language_is_kept(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize(("text", "gone"), [
    ("Nkechi called", "Nkechi"),  # an English line: English words after the name
    ("Grewal recieved his glasses yesterday.", "Grewal"),
    ("Adaeze Okonkwo dan suaminya datang kemarin.", "Okonkwo"),  # a known surname opens the unit
    ("Budi Hartono menelepon: dia ingin mengganti lensa.", "Hartono"),
    ("Mehmet Öztürk: siparişim nerede?", "Öztürk"),
    ("Heute kommt Nkechi Okoro vorbei", "Okoro"),  # inside a line of another language: a verb, no heading
    ("Gijsbrecht van Hecke\n\nTraffic clerk", "Hecke"),  # name particles are no words of another language
    ("including Ushurma Dratchev of Adocia SAS, and others", "Dratchev"),  # "of" is Dutch too: no evidence
])
def test_a_person_opening_a_line_is_still_redacted(text: str, gone: str) -> None:
    assert gone not in redact(text).text, redact(text).text


# --- opening hours, holidays, prices ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Senin sampai Jumat 09.00 - 21.00, Sabtu 10.00 - 18.00",
    "Montag bis Freitag 9-18 Uhr, Samstag 10-14 Uhr.",
    "Domingo: cerrado.",
    "Nieczynne w Boże Narodzenie.",
    "Tutup pada Hari Raya Nyepi.",
    "Bingkai Titanium Rp 1.500.000",
    "Lentes Progresivas 120 €",
])
def test_hours_holidays_and_price_lines_are_kept(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize(("text", "gone"), [
    ("Domingo Pérez recogió sus gafas.", "Pérez"),  # a day name that is a given name, before a surname
    ("Maria Lopez - 45 EUR outstanding", "Lopez"),  # a known name before an amount is a customer's balance
    ("Siosaia Taufa $80", "Taufa"),  # a name of no common word: no product
    ("Samstag kommt Herr Becker vorbei.", "Becker"),
    ("Sabtu saya ke toko dengan Rina Wulandari.", "Wulandari"),
])
def test_people_next_to_days_and_prices_are_still_redacted(text: str, gone: str) -> None:
    assert gone not in redact(text).text, redact(text).text


# --- branches and streets named after people ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "address"), [
    ("Cabang Jakarta: Jl. Teuku Umar 88, Menteng.", "Jl. Teuku Umar 88"),
    ("Cabang Medan: Jalan Gatot Subroto No. 12.", "Jalan Gatot Subroto No. 12"),
    ("Negozio di Roma: Via Giuseppe Garibaldi 23.", "Via Giuseppe Garibaldi 23"),
    ("Vestiging Utrecht: Willem de Zwijgerlaan 20", "Willem de Zwijgerlaan 20"),
    ("Our Johannesburg branch: 12 Nelson Mandela Drive, Sandton.", "12 Nelson Mandela Drive"),
])
def test_a_branch_on_a_street_named_after_a_person_is_an_address_and_no_person(text: str, address: str) -> None:
    found = _types(text)
    assert any(address in span and kind == "ADDRESS" for span, kind in found.items()), found
    assert "PERSON" not in found.values(), found


@pytest.mark.parametrize("text", [
    "Cabang Jakarta: Jl. Teuku Umar 88, Menteng.",
    "Cabang Bandung: Jalan Ir. H. Juanda No. 64.",
    "Filiale München: Konrad-Adenauer-Str. 7",
    "Kadıköy şubesi: Bahariye Cad. No 12",
    "Sklep Gdańsk: ul. Adama Mickiewicza 3",
])
def test_a_branch_address_the_documents_publish_is_shown_whole(text: str) -> None:
    docs = [DocumentText("Branches", text)]
    assert redact(text, allow=business_contacts(docs, place_names(docs))).text == text
    assert "<ADDRESS>" in redact(text).text  # without the tenant's documents a street address is still redacted


@pytest.mark.parametrize(("text", "address"), [
    ("Alamat saya Jl. Melati 12, Bandung.", "Jl. Melati 12"),
    ("My address is Jl. Teuku Umar 88, Menteng, Jakarta.", "Jl. Teuku Umar 88"),
    ("Please ship to my home: Calle Doctor Fleming 12, 28036 Madrid.", "Calle Doctor Fleming 12"),
    ("I live at 12 Nelson Mandela Drive, Sandton.", "12 Nelson Mandela Drive"),
])
def test_a_private_home_address_on_such_a_street_is_still_redacted(text: str, address: str) -> None:
    assert address not in redact(text).text
    assert "<ADDRESS>" in redact(text).text


def test_a_customer_record_keeps_neither_the_name_nor_the_address_from_the_documents() -> None:
    text = "Customer record: Marta Quiroga, Rua Augusta 274, Lisboa."
    docs = [DocumentText("Customers", text)]
    out = redact(text, allow=business_contacts(docs, place_names(docs))).text
    assert "Quiroga" not in out and "Augusta 274" not in out, out
