"""Person data in other languages and formats (safety.pii), and business words of other languages that are not people,
on made-up texts: national identity / tax / health numbers after their label (CPF, PESEL, PPSN, NIR, NINO, DNI,
codice fiscale, Medicare, BSN ...), a given name and surname after "from", names with two particles or initials, forms
of address of other languages ("Pani", "Signora"), plus-addressed mailboxes; and kept: scheme and product names whose
first word is a common word of another language, organisations ending in an organisation word ("... Council",
"... Healthcare"), a run of words with the ending of an abstract noun of another language ("Proteção"), a service
coined with an inner capital ("BetalGiro"; not "McKenzie", "DeShawn", "FitzGerald")."""

from __future__ import annotations

import pytest

from safety.pii import NATIONAL_ID, detect, get_engines, redact


@pytest.fixture(scope="module", autouse=True)
def engines():
    return get_engines()


@pytest.mark.parametrize(("text", "value"), [
    ("CPF da cliente: 529.982.247-25, conferido no balcão.", "529.982.247-25"),
    ("PESEL pacjenta: 92071314764.", "92071314764"),
    ("Her PPSN is 7654321WA, keep it off the invoice.", "7654321WA"),
    ("Numéro de sécurité sociale : 2 91 03 69 387 114 52.", "2 91 03 69 387 114 52"),
    ("National Insurance number AB 98 76 54 D is on the form.", "AB 98 76 54 D"),
    ("DNI 48392017K del titular.", "48392017K"),
    ("Codice fiscale: BNCLRA80A41H501Y per la detrazione.", "BNCLRA80A41H501Y"),
    ("Medicare card 3951 27604 2 was scanned.", "3951 27604 2"),
    ("BSN 239401865 staat op de aanvraag.", "239401865"),
    ("Personnummer 19850412-3391 på remissen.", "19850412-3391"),
])
def test_national_ids_after_their_label_are_redacted(text: str, value: str) -> None:
    out = redact(text)
    assert value not in out.text and f"<{NATIONAL_ID}>" in out.text, out.text


@pytest.mark.parametrize("text", [
    "Order 52998224725 shipped on Monday.",          # the same digits without a label
    "Passport photos cost 12 euros.",
    "The PAN-European warranty covers 24 months.",
])
def test_numbers_without_an_id_label_are_not_national_ids(text: str) -> None:
    assert not [e for e in detect(text) if e.type == NATIONAL_ID]


@pytest.mark.parametrize(("text", "gone"), [
    ("A letter from Lucía Ferreira about her frames arrived today.", ("Lucía", "Ferreira")),
    ("The lenses were fitted for Marie-Claire de la Rosière last week.", ("Marie-Claire", "Rosière")),
    ("Please ask P.J. Ashcombe to sign the consent form.", ("Ashcombe",)),
    ("Pani Kowalczyk, tel. 512 448 907, odbierze okulary.", ("Kowalczyk", "512 448 907")),
    ("Send the receipt to t.lefebvre+optique@laposte.net please.", ("t.lefebvre+optique@laposte.net",)),
])
def test_people_in_other_formats_are_redacted(text: str, gone: tuple[str, ...]) -> None:
    out = redact(text).text
    assert not [g for g in gone if g in out], out


@pytest.mark.parametrize(("text", "kept"), [
    ("Programa Mirada Limpa gives 20% off school frames.", "Programa Mirada Limpa"),
    ("Referrals from Moray Council's vision support team are free.", "Moray Council"),
    ("Claims go to Vhanu Healthcare within 30 days.", "Vhanu Healthcare"),
    ("Every optician is registered with Terveysvirasto.", "Terveysvirasto"),
    ("Seguro Proteção Total is sold with every pair.", "Seguro Proteção Total"),
    ("The monthly amount is drawn by BetalGiro or card on the 20th.", "BetalGiro"),
])
def test_business_words_of_other_languages_are_not_people(text: str, kept: str) -> None:
    assert redact(text).text == text, redact(text).text
    assert kept in text


def test_a_known_name_keeps_a_foreign_looking_run_redacted() -> None:
    for text, name in (("Concepción Ruiz paid by card.", "Ruiz"), ("Pani Rosa Zielińska odbierze okulary.", "Zieli"),
                       ("Kino Yamazaki picked up the frames.", "Yamazaki"), ("Ask Tyrell DeShawn about it.", "DeShawn"),
                       ("Bartholomew FitzGerald came in.", "FitzGerald")):
        assert name not in redact(text).text, text


def test_a_place_after_from_is_still_not_a_person() -> None:
    text = "The parcel came from Porto Alegre and from San Jose."
    assert redact(text).text == text
