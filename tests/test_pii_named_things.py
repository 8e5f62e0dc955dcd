"""Streets, businesses and saints named like people are not people (issue 11: docs answers lost the fact the user
asked for when the guard took the person's name in a street, a clinic or a saint's day for a customer).

All strings are made up. The decision is made where the span is judged (``safety.pii._resolve`` for every recognizer
but a title, ``safety.pii_address`` for the address shapes), so a person's name and home address in the same kind of
text are still removed: the attack tests below."""

from __future__ import annotations

import pytest

from safety.business_contacts import business_contacts
from safety.pii import detect, redact
from safety.place_names import DocumentText, place_names


def _types(text: str) -> dict[str, str]:
    return {text[e.start:e.end]: e.type for e in detect(text)}


# --- streets: a name with a street-type word before it and a house number after it is a street, not a person -------

@pytest.mark.parametrize(("text", "address"), [
    ("Our Lisbon shop: Rua Conde de Vila Flor 88, open Monday to Saturday.", "Rua Conde de Vila Flor 88"),
    ("| Izmir | Kıbrıs Şehitleri Caddesi No. 14, Konak | 0232 111 22 33 |", "Kıbrıs Şehitleri Caddesi No. 14"),
    ("Our Recife store is at Avenida Joaquim Nabuco, 310.", "Avenida Joaquim Nabuco, 310"),
    ("Centro branch: Av. Bernardo Soto 1240, two blocks from the park.", "Av. Bernardo Soto 1240"),
])
def test_a_street_named_after_a_person_is_one_address(text: str, address: str) -> None:
    found = _types(text)
    assert found.get(address) == "ADDRESS", found
    assert "PERSON" not in found.values(), found


def test_a_numbered_street_after_a_comma_needs_the_number_to_end_the_address() -> None:
    assert "ADDRESS" not in _types("Calle Mayor, 5 minutes from the station, has parking.").values()


def test_a_business_street_address_the_documents_publish_is_shown_whole() -> None:
    docs = [DocumentText("Branches", "# Branches\n| Branch | Address |\n|---|---|\n"
                                     "| Centro | Kıbrıs Şehitleri Caddesi No. 14, Konak |\n"
                                     "| Norte | Rua Conde de Vila Flor 88, Lisboa |\n")]
    allow = business_contacts(docs, place_names(docs))
    for answer in ("The Centro branch is at Kıbrıs Şehitleri Caddesi No. 14, Konak.",
                   "Our Norte shop: Rua Conde de Vila Flor 88, Lisboa."):
        assert redact(answer, allow=allow).text == answer
        assert "<ADDRESS>" in redact(answer).text  # without the tenant's list a street address is still redacted


@pytest.mark.parametrize("text", [
    "The kiosk near Burgos Circle opens at ten.",
    "Parking is behind the market on Tomasa Circle.",
])
def test_a_name_ending_in_a_street_type_word_is_a_street(text: str) -> None:
    assert redact(text).text == text


# --- businesses and institutions named after people -------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Poliklinika Vedran is our partner for eye tests.",
    "Hospital Ramón Carrillo takes our referrals for cataract surgery.",
    "Contact lenses are fitted at Óptica San Rafael in the old town.",
    "Farmacia Lucía Benítez sells the drops we recommend.",
    "Referrals go to the Hospital Gonzalo Ibarra Soler in Temuco.",
])
def test_a_name_after_an_organisation_word_is_the_business(text: str) -> None:
    assert redact(text).text == text


# --- saints in places, churches and holidays ----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "We are closed on San Isidro and on the Día de la Virgen del Carmen.",
    "We deliver to hotels in Agios Nikolaos, Agia Marina and Elounda.",
    "Óptica Santa Lucía closes for the Fiesta de San Juan on 24 June.",
    "The Dubrovnik branch closes on Sveti Vlaho.",
    "We deliver to hotels in Kardamena, Tigaki and Plaka for a small fee.",
])
def test_a_saints_name_in_a_place_or_holiday_is_no_person(text: str) -> None:
    assert redact(text).text == text


# --- attacks: people and their home addresses in the same shapes are still removed -------------------------------

@pytest.mark.parametrize(("text", "gone"), [
    ("Patient Lucía Ferreyra lives at Calle Bernardo Soto 1240, Valladolid.",
     ["Ferreyra", "Bernardo Soto", "1240"]),
    ("Our optometrist Ivana Horvat lives at ulica Marka Marulića 7, Split.", ["Horvat", "Marulića", " 7"]),
    ("Ivana Horvat, ulica Marka Marulića 7, Split", ["Horvat", "Marulića"]),
    ("Send the glasses to the customer's home: Rua Conde de Vila Flor 88, 2 esq.", ["Vila Flor", "88"]),
    ("Patient Marta Quiroga was referred to Hospital Ramón Carrillo on Monday.", ["Quiroga"]),
    ("Optician Maria Lopez fitted the lenses at Óptica San Rafael.", ["Lopez"]),
    ("Dra. Molina will see you on Tuesday.", ["Molina"]),
    ("Nathan Lane called about his order.", ["Nathan Lane"]),
    ("Santos Ferreira picked up his glasses.", ["Ferreira"]),
    ("The shop is in Brixham and Dartmouth, and Oluwaseun Adeyemi runs it.", ["Adeyemi"]),
])
def test_people_and_home_addresses_are_still_redacted(text: str, gone: list[str]) -> None:
    out = redact(text).text
    for value in gone:
        assert value not in out, out


def test_a_customers_address_in_a_tenant_answer_is_redacted_with_the_tenants_list() -> None:
    """The list allows the business's own address, never a customer's on another street or another tenant's."""
    docs = [DocumentText("Branches", "Our Centro branch is at Av. Emilio Civit 455, Mendoza.\n"
                                     "Our optometrist Ivana Horvat runs the Split branch.\n")]
    allow = business_contacts(docs, place_names(docs))
    assert "Av. Emilio Civit 455" in allow
    out = redact("The customer Ana Ruiz asked us to send her glasses to Av. Emilio Civit 1455, Mendoza.",
                 allow=allow).text
    assert "Ana Ruiz" not in out and "1455" not in out
    assert "455" not in redact("Our branch is at Av. Emilio Civit 455.", allow=("Óptica Nogal",)).text
