"""Greeting / how-are-you / thanks phrases of more languages (agents/router.py `COURTESY_PHRASES`, matched whole by
`courtesy_phrases`): such a message is small talk even with its question mark, while a short question in the same
language after the same greeting stays a question (a word of a phrase alone is no courtesy). Made-up wordings, not
bench cases."""

from __future__ import annotations

import pytest

from agents import doc_routing
from agents.router import RouteDecision, courtesy_phrases, is_courtesy, without_greeting


def _decision(route: str) -> RouteDecision:
    scores = {r: 0.9 if r == route else 0.03 for r in ("sql", "docs", "industry", "smalltalk")}
    return RouteDecision(route=route, score=0.9, scores=scores, margin=0.8, best=route, runner_up="docs",
                         similarity=0.3, reason="unknown_words" if route == "clarify" else "")


HOW_ARE_YOU = ["szia, hogy vagy?", "jó napot, hogy van?", "bok, kako si?", "zdravo, kako ste?", "ahoj, jak se máte?",
               "dobrý deň, ako sa máte?", "cześć, co słychać?", "salut, ce mai faci?", "tere, kuidas läheb?",
               "labas, kaip sekasi?", "halló, hvað segirðu?", "hej, hvordan har du det?", "hei, miten menee?",
               "apa kabar?", "kumusta po kayo?", "xin chào, bạn khỏe không?", "kalimera, ti kaneis?",
               "namaste, kaise ho?", "dia dhuit, conas atá tú?", "kaixo, zer moduz?", "sveiki, kā iet?"]


@pytest.mark.parametrize("text", HOW_ARE_YOU)
def test_a_how_are_you_in_another_language_is_courtesy_question_mark_and_all(text: str) -> None:
    assert is_courtesy(text)


@pytest.mark.parametrize("route", ["clarify", "industry", "docs"])
def test_such_a_message_is_small_talk_whatever_was_decided(route: str) -> None:
    signal = doc_routing.cues("szia, hogy vagy?", 0.5, 0.4)
    assert doc_routing.revise(_decision(route), signal).route == "smalltalk"


# short business questions in the same languages, after the same greetings: never courtesy
QUESTIONS = ["szia, mennyibe kerül egy szemvizsgálat?", "szia, nyitva vagytok vasárnap?", "bok, koliko košta pregled?",
             "ahoj, máte otevřeno v sobotu?", "hola, ¿cuánto cuesta?", "ciao, quanto costa?",
             "hej, vad kostar en synundersökning?", "kumusta, magkano ang eye test?", "tere, kas olete avatud?",
             "selamat pagi, ada diskon pelajar?", "xin chào, shop có mở cửa chủ nhật không?", "hogy van a garancia?",
             "kako si naručiti pregled?"]


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_short_foreign_question_after_a_greeting_stays_a_question(text: str) -> None:
    assert not is_courtesy(text)


def test_a_word_of_a_phrase_alone_is_not_the_phrase() -> None:
    assert courtesy_phrases(["szia", "hogy", "vagy"]) == {0, 1, 2}
    assert courtesy_phrases(["hogy", "van", "a", "garancia"]) == {0, 1}  # "hogy van" (how is) ... a question follows
    assert courtesy_phrases(["mennyibe", "kerül", "van"]) == frozenset()


@pytest.mark.parametrize(("text", "rest"), [
    ("szia! are you open on sunday?", "are you open on sunday?"),
    ("bok! do you take cards?", "do you take cards?"),
    ("apa kabar! how much is an eye test", "how much is an eye test")])
def test_a_phrase_greeting_before_an_english_question_is_taken_off(text: str, rest: str) -> None:
    assert without_greeting(text) == rest
