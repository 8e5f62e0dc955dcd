"""Routing of greetings in other languages, questions about the assistant itself and staff asking "do we sell X":
made-up wordings (not bench cases). Uses the real router (MiniLM embeddings) and agents/doc_routing.py's rules with
document and knowledge scores set by hand, as the route node would pass them."""

from __future__ import annotations

import pytest

from agents import doc_routing
from agents.router import RouteDecision, get_router, is_courtesy


def _decision(route: str) -> RouteDecision:
    scores = {r: 0.9 if r == route else 0.03 for r in ("sql", "docs", "industry", "smalltalk")}
    return RouteDecision(route=route, score=0.9, scores=scores, margin=0.8, best=route, runner_up="docs",
                         similarity=0.5)


@pytest.mark.parametrize("text", ["buenas tardes a todos", "hyvää huomenta", "moro moro",
                                  "Grüß Gott, wie geht es Ihnen?", "boa noite pessoal", "merci beaucoup", "dzięki!",
                                  "tack så mycket", "ciao ciao",
                                  "heippa, kiitos paljon"])
def test_greetings_in_other_languages_are_courtesy(text: str) -> None:
    assert is_courtesy(text)


@pytest.mark.parametrize("text", ["hola, do you sell kids frames?", "moi, what are your opening hours",
                                  "danke für die Brille", "how are sales in March", "hallo 2025", "you", "how are"])
def test_a_question_with_a_greeting_is_not_courtesy(text: str) -> None:
    assert not is_courtesy(text)


@pytest.mark.parametrize("text", ["groetjes en fijne avond", "mambo, poa sana", "buona giornata a tutti",
                                  "asante, kwaheri!", "bonne soirée et à bientôt"])
def test_a_greeting_with_filler_words_the_list_lacks_is_courtesy(text: str) -> None:
    assert is_courtesy(text)


@pytest.mark.parametrize("text", ["danke für die Brille", "kwaheri, do you repair frames", "jambo, brillen kosten?",
                                  "grazie, quanto costa un occhiale da sole"])
def test_a_greeting_beside_other_words_is_no_courtesy(text: str) -> None:
    assert not is_courtesy(text)


@pytest.mark.parametrize("text", ["buenas tardes a todos", "hyvää huomenta", "Grüß Gott, wie geht es Ihnen?",
                                  "boa noite pessoal", "tack så mycket"])
def test_router_takes_foreign_greetings_for_small_talk(text: str) -> None:
    decision = get_router().route(text)
    assert decision.route == "smalltalk" and decision.confident, decision


@pytest.mark.parametrize("route", ["docs", "clarify", "smalltalk", "industry"])
def test_a_greeting_stays_small_talk_whatever_the_documents_match(route: str) -> None:
    # a German tenant's documents can match "guten Abend" well; it is still a greeting
    signal = doc_routing.cues("Guten Abend zusammen!", 0.72, 0.1)
    assert doc_routing.revise(_decision(route), signal).route == "smalltalk"


@pytest.mark.parametrize("text", ["so who are you, and what can you do for me?", "are you a robot or a person?",
                                  "what kinds of questions can you answer?", "who built you?"])
def test_questions_about_the_assistant_stay_small_talk(text: str) -> None:
    signal = doc_routing.cues(text, 0.66, 0.2)  # some passage of the tenant's documents matches the words
    assert signal.assistant and not signal.offers
    assert doc_routing.revise(_decision("smalltalk"), signal).route == "smalltalk"


def test_what_can_you_do_about_a_trade_problem_is_an_offer() -> None:
    signal = doc_routing.cues("the hinge on my frames snapped, what can you do?", 0.4, 0.3)
    assert signal.offers and not signal.assistant
    assert doc_routing.revise(_decision("smalltalk"), signal).route == "docs"


@pytest.mark.parametrize("text", ["do we sell prescription swim goggles?",
                                  "do we still stock Lindqvist titanium frames",
                                  "does our Harbourside shop carry kids' sunglasses?", "do we do scleral lenses?"])
def test_staff_asking_what_the_business_sells_is_about_its_offer(text: str) -> None:
    signal = doc_routing.cues(text, 0.35, 0.3)
    assert signal.offers and not signal.numbers
    assert doc_routing.revise(_decision("sql"), signal).route == "docs"


@pytest.mark.parametrize("text", ["how many prescription swim goggles did we sell?", "do we sell more tinted lenses "
                                  "than clear ones?", "do we sell enough kids' frames to keep the range",
                                  "do we sell Lindqvist frames in 2025", "what share of revenue do we sell online"])
def test_a_figure_asked_for_stays_a_numbers_question(text: str) -> None:
    signal = doc_routing.cues(text, 0.35, 0.3)
    assert signal.numbers and not (signal.offers and not signal.numbers)
    assert doc_routing.revise(_decision("sql"), signal).route == "sql"


def test_southern_african_greeting_is_courtesy() -> None:
    assert is_courtesy("Howzit!") and is_courtesy("sawubona, dankie") and not is_courtesy("howzit, is the shop open")


def test_an_unsure_router_follows_knowledge_that_leads_the_documents_by_far() -> None:
    question = "bits of sawdust blew into my eye at the workshop and it stings, what now?"
    signal = doc_routing.cues(question, 0.21, 0.6)
    assert doc_routing.revise(_decision("clarify"), signal).route == "industry"
    # the same scores for a question about the company itself stay with the documents' rules
    own = doc_routing.cues("sawdust got in my eye, do we have an eyewash procedure for staff?", 0.21, 0.6)
    assert doc_routing.revise(_decision("clarify"), own).route == "docs"
    # and a knowledge score that does not lead clearly leaves the router's doubt alone
    close = doc_routing.cues(question, 0.45, 0.6)
    assert doc_routing.revise(_decision("clarify"), close).route != "industry"


@pytest.mark.parametrize("text", ["I don't love the tint I picked, could you redo it?",
                                  "can I get the anti-scratch coating for free?",
                                  "a hinge came loose, can you fix it at no charge"])
def test_what_the_business_will_redo_or_give_free_is_an_offer(text: str) -> None:
    signal = doc_routing.cues(text, 0.2, 0.3)
    assert signal.offers
    assert doc_routing.revise(_decision("smalltalk"), signal).route == "docs"
    assert doc_routing.revise(_decision("industry"), signal).route == "docs"


def test_redoing_something_outside_the_trade_stays_small_talk() -> None:
    signal = doc_routing.cues("could you redo my CV for me?", 0.2, 0.1)
    assert not signal.offers
    assert doc_routing.revise(_decision("smalltalk"), signal).route == "smalltalk"


@pytest.mark.parametrize(("message", "courtesy"), [
    ("köszönöm szépen, viszlát!", True),  # words the courtesy list lacks, written as a greeting
    ("terima kasih banyak, sampai jumpa", True),
    ("Öffnungszeiten Bornova!", False),  # a name inside: it asks about something
    ("Brillengläser, Kontaktlinsen!", False),  # long words: not a greeting
    ("abren el domingo", False),  # no greeting punctuation
    ("ok, frames!", False),  # English words
    ("Bornova", False),  # one word may be a name
])
def test_a_greeting_in_a_language_the_list_lacks_is_read_by_its_shape(message: str, courtesy: bool) -> None:
    assert is_courtesy(message) is courtesy
