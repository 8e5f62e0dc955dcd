"""A greeting in a language the courtesy list lacks, read by its shape even when its words are rare strings of the
English model's vocabulary (agents/router.py `_foreign_greeting`, `_common_english`): made-up wordings, not bench
cases. A question after such a greeting, a name or English words of the trade keep a message a question."""

from __future__ import annotations

import pytest

from agents import doc_routing
from agents.router import RouteDecision, _common_english, is_courtesy, without_greeting
from tools.english import english_words


def _decision(route: str) -> RouteDecision:
    scores = {r: 0.9 if r == route else 0.03 for r in ("sql", "docs", "industry", "smalltalk")}
    return RouteDecision(route=route, score=0.9, scores=scores, margin=0.8, best=route, runner_up="docs",
                         similarity=0.5)


@pytest.mark.parametrize("text", ["iyi akşamlar!", "salamat po!", "sige po, salamat!", "shalom, toda raba!",
                                  "mahalo nui loa!", "xin chào!"])
def test_a_greeting_whose_words_are_rare_english_strings_is_courtesy(text: str) -> None:
    assert is_courtesy(text)


@pytest.mark.parametrize("route", ["docs", "industry", "clarify"])
def test_such_a_greeting_is_small_talk_whatever_the_documents_match(route: str) -> None:
    signal = doc_routing.cues("salamat po, paalam!", 0.61, 0.2)
    assert doc_routing.revise(_decision(route), signal).route == "smalltalk"


@pytest.mark.parametrize("text", ["salamat po! may frames ba kayo?", "iyi akşamlar, do you fit lenses",
                                  "astigmatism, myopia!", "progressives, transitions!", "new glasses, please!",
                                  "shalom, Haifa branch!", "salamat"])
def test_a_question_name_or_trade_words_stay_no_greeting(text: str) -> None:
    assert not is_courtesy(text)


def test_everyday_english_is_common_and_rare_strings_are_not() -> None:
    assert english_words(), "the spaCy English model (a dependency) must be installed"
    common = _common_english()
    assert {"glasses", "frames", "please", "lenses", "hello"} <= common
    assert not {"salamat", "iyi", "shalom"} & common
    assert {"salamat", "iyi", "shalom"} <= english_words()  # the English model alone holds them


# A short message wholly in a script other than Latin (`unread_script`): made-up greetings in scripts and languages the
# courtesy list does not hold (Georgian, Armenian, Amharic, Korean, Thai, Arabic, Hebrew), one word alone included.
SCRIPT_GREETINGS = ["გამარჯობა!", "Բարև ձեզ!", "ሰላም!", "반가워요!", "좋은 아침이에요", "สวัสดีค่ะ", "أهلا وسهلا!",
                    "בוקר טוב"]


@pytest.mark.parametrize("text", SCRIPT_GREETINGS)
def test_a_short_message_in_a_script_other_than_latin_is_courtesy(text: str) -> None:
    assert is_courtesy(text)


@pytest.mark.parametrize("route", ["docs", "industry", "clarify"])
def test_a_one_word_greeting_in_another_script_is_small_talk_whatever_was_decided(route: str) -> None:
    signal = doc_routing.cues("반가워요!", 0.5, 0.3)
    assert doc_routing.revise(_decision(route), signal).route == "smalltalk"


@pytest.mark.parametrize("text", ["반가워요! do you fit contact lenses?", "is the 강남 shop open late?", "ሰላም 2024",
                                  "Bornova!", "გამარჯობა, which days are you in Batumi?",
                                  "これは長い文章で二十四文字を超えるので挨拶としては読みません"])
def test_latin_words_digits_or_length_keep_a_message_no_greeting(text: str) -> None:
    assert not is_courtesy(text)


@pytest.mark.parametrize(("text", "rest"), [
    ("반가워요! do you fit contact lenses?", "do you fit contact lenses?"),
    ("გამარჯობა, which days are you in Batumi?", "which days are you in Batumi?"),
    ("こんにちは！what time do you open", "what time do you open")])
def test_a_greeting_in_another_script_before_an_english_question_is_taken_off(text: str, rest: str) -> None:
    assert without_greeting(text) == rest


@pytest.mark.parametrize("text", ["terima kasih banyak, sampai jumpa lagi ya!", "salamat po sa shop ninyo!",
                                  "dobar dan, hvala lijepa!"])
def test_a_longer_greeting_or_one_with_a_word_english_also_spells_is_courtesy(text: str) -> None:
    """Up to ten words; one word in three may be an English one (a foreign word English also spells, "dan"; a word
    said to the shop)."""
    assert is_courtesy(text)


@pytest.mark.parametrize("text", ["Naxos shop hours tomorrow!", "great service in the shop today!",
                                  "gracias, cuanto cuesta el examen?", "send me the price list!",
                                  "revenue by store, thanks!", "progressives, transitions!",
                                  "grazie, quanto costa un occhiale da sole"])
def test_english_words_a_question_or_a_name_keep_a_longer_message_no_greeting(text: str) -> None:
    assert not is_courtesy(text)
