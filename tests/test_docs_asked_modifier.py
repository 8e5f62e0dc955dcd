"""A word that picks out which thing a question asks about ("coloured" contact lenses, the "cleaning" solution) must
be in the documents as written or as its common spelling: a word merely related to it names another thing of the
same kind ("blue" light filter lenses are not coloured lenses), so the documents do not cover the question. A word
spelt another way ("coloured" / "colored") or in another form ("wooden" / wood) is the same word. A row of a list
that names the asked place is read with its document's title ("... delivery" + "Addresses on the islands: ...").
A price that a list states for a thing named after the asked one ("Contact lens aftercare check: £30") is not
its price. Made-up tenant documents (Larchmont Opticians), not bench cases."""

from __future__ import annotations

import pytest

from agents.extractive import _naming, passage_cover, question_phrases
from tests.test_docs_asked_item import assert_answered_or_refused, made_up_document


def _document(title: str, *blocks: str) -> list[dict[str, str]]:
    return made_up_document(title, *blocks, tenant="Larchmont Opticians")


LENSES = _document(
    "contact lenses",
    "# Contact lenses we fit",
    "We fit daily and monthly contact lenses from the main makers, and toric lenses for astigmatism.\n"
    "Blue light filter lenses for glasses cost £40 extra per pair.\n"
    "The Larchmont Lens Plan includes a yearly check and free delivery of your lenses.")
LENSES_COLOURED = _document(
    "contact lenses",
    "# Contact lenses we fit",
    "We fit daily and monthly contact lenses from the main makers, and toric lenses for astigmatism.\n"
    "We also sell coloured contact lenses in blue, green and hazel, with or without a prescription.")
CARE = _document(
    "lens care",
    "# Looking after your lenses",
    "Rinse your lens case with fresh solution every morning and replace the case every month.\n"
    "The Larchmont Lens Plan includes a yearly check and free delivery of your lenses.")
REPAIRS = _document(
    "workshop",
    "# Repairs",
    "We do not repair frames made of wood or horn, because the heat of soldering cracks them.\n"
    "Metal frames are soldered in our workshop in about a week.")
DELIVERY = _document(
    "glasses delivery",
    "Finished glasses are posted by tracked mail and take two to three working days to arrive.\n"
    "Addresses on the islands (Arran, Bute, Cumbrae): allow two extra days for the post.\n"
    "You can also collect your glasses from the Largs shop.")
PRICES = _document(
    "price list",
    "# Prices",
    "- Service: Contact lens aftercare check; Price: £30\n"
    "- Service: Eye examination; Price: £25\n"
    "- Item: Single vision glasses with a basic frame; Price: from £59")

# (question, passages, the answer's quoted phrase; None: the documents do not cover it)
CASES = [
    ("do you sell coloured contact lenses", LENSES, None),
    ("does the Lens Plan include colored contact lenses?", LENSES, None),
    ("do you sell coloured contact lenses", LENSES_COLOURED, "coloured contact lenses in blue"),
    ("does the lens plan include the cleaning solution", CARE, None),
    ("can you repair my wooden frame", REPAIRS, "made of wood or horn"),
    # the price of a check named after contact lenses is not the price of the lenses
    ("how much are monthly contact lenses if I buy them from you", PRICES, None),
    ("how much is a contact lens aftercare check?", PRICES, "£30"),
]


@pytest.mark.parametrize(("question", "passages", "quoted"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_picking_word_held_or_refused(question: str, passages: list[dict[str, str]], quoted: str | None) -> None:
    assert_answered_or_refused(question, passages, quoted)


def test_phrase_words_are_spelt_as_the_keys() -> None:
    # "coloured" is read as its common spelling, the way the question's keys have it
    assert ("lens", ("color", "contact")) in question_phrases("do you sell coloured contact lenses")


def test_named_row_is_read_with_its_title() -> None:
    # the row naming Cumbrae does not say "delivery"; its document's title does, so the named thing's sentences
    # hold every word of the question
    named = _naming("I'm on Cumbrae, does delivery take longer?", DELIVERY)
    assert named is not None and "glasses delivery" in named[0]["text"]
    _, missing = passage_cover("I'm on Cumbrae, does delivery take longer?", named)
    assert "delivery" not in missing


def test_a_vague_adjective_picks_out_nothing() -> None:
    """"special" / "particular" / "specific" lenses say no more than "lenses" (the documents name which ones:
    "medical contact lenses"), so they are no modifier the passages must hold; a picking word still is."""
    assert question_phrases("I need special contact lenses, where can I get them fitted?") == \
        question_phrases("I need contact lenses, where can I get them fitted?")
    assert any("color" in mods or "colour" in mods for _, mods in question_phrases("do you sell coloured lenses?"))
