"""Business text in other languages and people's names in several languages (issue: the PII guard generalizes less
well than its own benchmark): sentence-case titles and file names of other languages, businesses named after a
titled owner, cities named like people, organisations listed with an acronym or before "members", and colour words
are no person, while people's names in chat and business text, Polish feminine surnames included, are still
redacted. Real presidio and spaCy; all strings are made up.

``tests/data/pii_probe_multilingual.jsonl`` (50 business texts, 48 texts with 52 people, written before the rules)
is scored as ``bench/bench_pii.py`` scores its sets: on the code before these rules 22/50 business texts were
altered and 50/52 people caught; after, 3/50 and 50/52.

A second part (77 texts, source ``probe-business-2``, ``probe-branch-doc``, ``probe-person-2``) adds headings,
opening hours, price lines, holiday notices and payment terms of a dozen languages, branch addresses on streets named
after people (a line of the tenant's branch document: shown whole once ``safety.business_contacts`` reads that
document, and never a person even without it), and people and private home addresses in those languages. Before
the rules of ``tests/test_pii_business_text.py``: 17/56 business texts altered, 10/14 branch lines with a person in
them, 20/22 people and addresses caught; after: 2/56, 0/14, 22/22."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safety import gazetteer
from safety.business_contacts import business_contacts
from safety.pii import redact
from safety.place_names import DocumentText, place_names

PROBE = Path(__file__).parent / "data" / "pii_probe_multilingual.jsonl"


def _covered(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return all(any(s <= i < e for s, e in spans) for i in range(start, end) if text[i].isalnum())


def test_probe_set_business_text_kept_and_people_caught() -> None:
    rows = [json.loads(line) for line in PROBE.read_text(encoding="utf-8").splitlines() if line.strip()]
    business = [r for r in rows if not r["entities"]]
    people = [(r, e) for r in rows for e in r["entities"]]
    assert len(business) >= 100 and len(people) >= 70
    altered, person_in_branch_line = [], []
    for r in business:
        allow: tuple[str, ...] = ()
        if r["source"] == "probe-branch-doc":  # a line of the tenant's branch document, quoted in an answer
            docs = [DocumentText("Branches", r["text"])]
            allow = business_contacts(docs, place_names(docs))
            if "PERSON" in redact(r["text"]).types:
                person_in_branch_line.append(r["text"])
        if redact(r["text"], allow=allow).text != r["text"]:
            altered.append(r["text"])
    missed = []
    for r, e in people:
        spans = [(x.start, x.end) for x in redact(r["text"]).entities]
        if not _covered(r["text"], e["start"], e["end"], spans):
            missed.append(r["text"][e["start"]:e["end"]])
    assert len(altered) <= 5, altered
    assert not person_in_branch_line, person_in_branch_line
    assert len(missed) <= 2, missed


def test_gendered_surname_lists_of_every_locale_are_read() -> None:
    import importlib
    import pkgutil

    import faker.providers.person as providers

    checked = 0
    for module in pkgutil.iter_modules(providers.__path__):
        provider = importlib.import_module(f"{providers.__name__}.{module.name}").Provider
        for attr in ("last_names_male", "last_names_female", "male_last_names", "unisex_last_names"):
            for name in list(getattr(provider, attr, ()))[:20]:
                if isinstance(name, str) and " " not in name:
                    assert gazetteer.is_personal_name(name), (module.name, attr, name)
                    checked += 1
    assert checked > 100
    assert not gazetteer.is_personal_name("") and not gazetteer.is_personal_name("  ")
    for name in ("Kowalski", "Kowalska", "Wiśniewska", "Nowicka", "Jan Kowalski"):
        assert gazetteer.is_personal_name(name), name


@pytest.mark.parametrize("text", [
    "Garancia es visszaru",
    "Garancia es visszaru.pdf",
    'See the document "Garancia es visszaru" for details.',
    "The Listino prezzi lists every lens we sell.",
    "Termos de garantia",
    "Sources: Listino prezzi 2026, Orari dei negozi.",
    "Preisliste und Lieferzeiten",
])
def test_a_sentence_case_title_of_another_language_is_no_person(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize(("text", "gone"), [
    ("Grewal recieved his glasses yesterday.", "Grewal"),  # a typo of an English word is no foreign word
    ("Pani Kowalska zostawiła okulary w sklepie.", "Kowalska"),
    ("Agnieszka Zielińska zapłaciła rachunek.", "Zielińska"),
    ("Kowalczyk dzwonił w sprawie okularów.", "Kowalczyk"),
    ("Herr Dieter Schmitt hat die Brille abgeholt.", "Schmitt"),
    ("Sig.ra Giulia Bianchi ha ritirato gli occhiali.", "Bianchi"),
])
def test_people_before_words_of_other_languages_are_still_redacted(text: str, gone: str) -> None:
    assert gone not in redact(text).text


def test_a_business_named_after_its_titled_owner_is_kept_the_titled_person_is_not() -> None:
    for text in ("Clínica Dra. Rosales opens at nine on Saturdays.", "Eye tests at Óptica Dr. Pérez cost 30 euros.",
                 "Praxis Dr. Müller takes our referrals for glaucoma checks.",
                 "Referrals go to Consultorio del Dr. Ruiz in Valencia."):
        assert redact(text).text == text
    for text, gone in (("Dra. Rosales will see you on Tuesday.", "Rosales"),
                       ("Patient seen by Dra. Rosales at Clínica Central.", "Rosales"),
                       ("Dr. Ana Rosales reviewed the prescription.", "Rosales")):
        assert gone not in redact(text).text, text


def test_a_city_named_like_a_person_after_a_place_preposition_or_among_places() -> None:
    for text in ("Our branch in Nancy is closed on Monday.", "We ship to Nancy, Metz and Strasbourg within two days.",
                 "Our new shop in Charlotte opens in May.", "Deliveries to Florence, Pisa and Siena leave on Tuesday."):
        assert redact(text).text == text
    for text in ("Nancy called about her order.", "A letter from Nancy arrived this morning.",
                 "Nancy's frames are ready.", "Sydney, Adelaide and Victoria picked up their glasses.",
                 "Please ship the frames to Nancy.",
                 "Send the new lenses to Adaeze Okonkwo in Nancy."):
        assert "<PERSON>" in redact(text).text, text


def test_organisations_listed_with_an_acronym_or_before_members() -> None:
    for text in ("Private medical insurance is accepted from Jubilee, AAR and Britam on presentation of the card.",
                 "Britam and Jubilee members pay nothing for the eye test.", "We accept AXA, Bupa and Allianz cards."):
        assert redact(text).text == text
    # people are not listed with acronyms, and a given name is never taken for an organisation this way
    assert "Okafor" not in redact("Letters from Ngozi Okafor, Adaeze and Chidi arrived.").text
    assert "Daniela" not in redact("We told AXA, Daniela and Tomasz about the claim.").text


def test_a_given_name_that_is_a_word_vouches_for_no_list_of_words() -> None:
    for text in ("Red and Amber warnings are shown on the dashboard.", "Green and Amber statuses need no action.",
                 "During Amber and Red Rainstorm Warnings all branches close."):
        assert redact(text).text == text
    for text in ("They had 3 kids: Rose, Amber and Tom.", "Kofi Mensah, Ama Owusu and Yaw Boateng booked eye tests.",
                 "Grace and Hope picked up their glasses."):
        assert "<PERSON>" in redact(text).text and "Amber and" not in redact(text).text, text


def test_recognizers_run_in_registration_order_so_ties_resolve_the_same_in_every_process() -> None:
    from safety.pii import build_recognizers, get_engines

    analyzer, _ = get_engines()
    names = [r.name for r in analyzer.registry.get_recognizers(language="en", entities=["PERSON"])]
    expected = [r.name for r in build_recognizers() if "PERSON" in r.supported_entities]
    assert names == expected
    text = ("They were singing about the verses from Kondrat Rutkowski's Cautionary Tales. Is there a better example "
            "than early Rutkowski?")
    assert "Rutkowski" not in redact(text).text  # the possessive rule's find, kept whichever order presidio used
