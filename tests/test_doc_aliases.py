"""The other names a tenant's documents give their branches ("Customers use their own names for our shops: "Korba"
is the Heliopolis branch", "Mong Kok ("MK")", "Hafnarfjörður is "Hafnó"") are read off the documents
(`tools.doc_aliases.alias_pairs`), and a docs answer reads a question that uses one name as asking about the branch
the answering sentence writes by the other; a question about a place the documents do not name stays not covered.
Made-up tenant (Lotus Optic, a Cambodian optician), not bench cases."""

from __future__ import annotations

from agents.extractive import extractive_answer
from tools.doc_aliases import alias_pairs, aliases_in, search_query

SHOPS = """# Lotus Optic: shops and opening hours

| Shop | Address | Mon-Sat | Sunday |
| --- | --- | --- | --- |
| Toul Kork (head office and workshop) | 41 Street 289 | 08:30-19:00 | closed |
| Russian Market | 12 Street 155 | 09:00-20:00 | 09:00-14:00 |
| Riverside | 7 Sisowath Quay | 10:00-21:00 | 10:00-21:00 |
| Siem Reap - "the temple shop" | 3 Pub Street | 09:00-18:00 | closed |

Our customers have their own names for the shops: people call the Riverside shop "Sisowath", "Psar" or "Psar Tuol"
means the Russian Market shop and "Dara" is always the Toul Kork shop. Kampot ("the river counter") opens in the dry
season only.

## Parking

At Toul Kork customers park in the courtyard behind the shop; the first hour is free.
"""
SOURCES = [{"title": "Lotus Optic: shops and opening hours", "text": SHOPS}]


def test_the_other_names_a_document_gives_its_branches() -> None:
    pairs = alias_pairs(SHOPS)
    for pair in [("Sisowath", "the Riverside shop"), ("Psar", "the Russian Market shop"),
                 ("Psar Tuol", "the Russian Market shop"), ("Dara", "the Toul Kork shop"),
                 ("the river counter", "Kampot"), ("the temple shop", "Siem Reap")]:
        assert pair in pairs, pairs
    # a description is no name, and a quoted name said of "it" has no name to go with
    assert alias_pairs('The "Care Plan" is an add-on that costs $5. Locals call it "the shop".') == []


def test_a_question_uses_either_name() -> None:
    pairs = alias_pairs(SHOPS)
    assert ("Dara", "the Toul Kork shop") in aliases_in("is there parking at Dara?", pairs)
    assert ("the temple shop", "Siem Reap") in aliases_in("what time does the Siem Reap shop open?", pairs)
    assert aliases_in("do you have a shop in Battambang?", pairs) == []
    assert search_query("is there parking at Dara?", pairs) == "is there parking at Dara? (the Toul Kork shop)"


def test_a_branch_asked_by_its_other_name_is_answered() -> None:
    question = "is there parking at Dara?"
    pairs = aliases_in(question, alias_pairs(SHOPS))
    answer = extractive_answer(question, SOURCES, aliases=pairs)
    assert answer.covered and "first hour is free" in answer.text, answer.text
    question = "what are the Sunday hours at Psar?"
    answer = extractive_answer(question, SOURCES, aliases=aliases_in(question, alias_pairs(SHOPS)))
    assert answer.covered and "09:00-14:00" in answer.text.split("\n")[2], answer.text


def test_a_place_the_documents_do_not_name_stays_not_covered() -> None:
    for question in ("is there parking at the Battambang shop?", "what time does the Kep shop close on Sunday?"):
        answer = extractive_answer(question, SOURCES, aliases=aliases_in(question, alias_pairs(SHOPS)))
        assert not answer.covered, answer.text
