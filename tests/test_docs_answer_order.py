"""Docs answers quote the sentence that holds the fact: once the documents cover a question, the candidate sentences
are quoted in the order of their score plus their closeness in meaning, with a bonus for holding the kind of thing
asked for and a malus for being a question themselves (`_answer_order`); a price question is answered by "There is
no cancellation fee", and by a sentence that names everything the question names even where the asked word is a
modifier there ("... one pair of vision therapy lenses"). Made-up tenant (Wrenfield Optical), not bench cases."""

from __future__ import annotations

from agents.extractive import ScoredSentence, _answer_order, extractive_answer


def _doc(title: str, *blocks: str) -> dict[str, str]:
    return {"title": f"Wrenfield Optical {title}", "text": "\n\n".join(blocks)}


PLAN = _doc("lens plan", "# The Wrenfield Lens Plan",
            "The Lens Plan is a monthly direct debit that covers your contact lenses, solutions and aftercare visits.\n"
            "Members can cancel the Lens Plan at any time by writing to their store. There is no cancellation fee.")
THERAPY = _doc("vision therapy", "# Vision therapy",
               "The programme costs £420 a year, which includes the reviews and one pair of vision therapy lenses.")
PRICES = _doc("prices", "# Contact lenses",
              "A contact lens check is free for Lens Plan members and £35 for everyone else.")


def _sentence(text: str, score: float, semantic: float, position: int) -> ScoredSentence:
    return ScoredSentence(text, 0, position, "Repairs", score, semantic, 0.5)


def test_a_sentence_closer_in_meaning_that_holds_the_asked_kind_is_quoted_first() -> None:
    words = _sentence("Frame repairs are logged at the front desk by the repair team.", 0.60, 0.40, 0)
    fact = _sentence("Glasses sent away come back within 10 working days.", 0.50, 0.62, 1)
    ordered = _answer_order("how long do repairs take to come back?", [words, fact])
    assert ordered[0] is fact, ordered
    # a sentence well ahead on the question's words stays first
    assert _answer_order("how long do repairs take to come back?", [_sentence(words.text, 0.80, 0.40, 0), fact]
                         )[0].text == words.text


def test_a_sentence_that_is_itself_a_question_goes_after_its_answer() -> None:
    asked = _sentence("Can I cancel the plan at any time?", 0.62, 0.70, 0)
    answer = _sentence("Members may cancel by writing to their store.", 0.55, 0.60, 1)
    assert _answer_order("can I cancel the plan?", [asked, answer])[0] is answer


def test_no_fee_of_a_kind_answers_a_fee_question() -> None:
    answer = extractive_answer("is there a fee to cancel the lens plan?", [PLAN])
    assert answer.covered and "There is no cancellation fee" in answer.text, answer.text


def test_a_sentence_naming_everything_the_question_names_states_its_price() -> None:
    answer = extractive_answer("How much does vision therapy cost per year?", [THERAPY])
    assert answer.covered and "£420 a year" in answer.text, answer.text
    # a sentence that does not name the asked thing still does not price it
    answer = extractive_answer("how much does a contact lens case cost?", [PRICES])
    assert not answer.covered, answer.text
