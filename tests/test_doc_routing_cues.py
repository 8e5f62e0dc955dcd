"""The wording cues that tell a question about the business itself (its prices, services, arrangements, hours,
offerings, payments, paperwork, and what happens to a customer's own glasses) from a general optical-knowledge
question, in agents/doc_routing.py: each cue with varied wordings, and general questions that must not trip it.
No database: the document and knowledge scores are given."""

from __future__ import annotations

import pytest

from agents import doc_routing
from agents.router import ROUTES, RouteDecision


def decision(route: str) -> RouteDecision:
    return RouteDecision(route=route, score=0.6, scores={r: 0.1 for r in ROUTES}, margin=0.2,
                         best=route if route in ROUTES else "docs", runner_up="industry", similarity=0.5)


def routed(question: str, router_route: str, kb: float, doc: float = 0.2) -> str:
    signal = doc_routing.cues(question, doc, kb, doc_routing.name_words("wren-eyewear"))
    return doc_routing.revise(decision(router_route), signal).route


def test_texting_shorthand_is_read_as_words():
    assert doc_routing.unshorten("can u guys ring me, ur site is down pls") == \
        "can you guys ring me, your site is down please"
    assert doc_routing.unshorten("a U-shaped bridge, UV 400") == "a U-shaped bridge, UV 400"  # not shorthand
    assert routed("will u call me when my lenses r in", "smalltalk", 0.3) == "docs"


@pytest.mark.parametrize(("question", "router_route", "kb"), [
    # the customer dealing with the business: telling, paying, buying from it
    ("How many days have I got to let you know the new lenses feel wrong?", "industry", 0.8),
    ("i bought these frames from you and an arm fell off already", "industry", 0.5),
    ("do I need to book the fitting with you or can I walk in", "industry", 0.7),
    # a branch or lab named by its place
    ("is the Northgate Mall branch step-free", "clarify", 0.3),
    ("can I leave my sunglasses at the Eastside workshop for a new tint", "industry", 0.5),
])
def test_you_and_named_branches_mean_the_business(question, router_route, kb):
    assert routed(question, router_route, kb) == "docs"


@pytest.mark.parametrize("question", [
    "could you reglaze my grandmother's old frame",
    "will you ring me once the varifocals arrive",
    "do you remind people when their eye test is due",
    "is a two year old prescription fine for you to use for new specs",
    "thinnest lenses you stock?",
    "have you got sunglasses for toddlers",
    "do you have a frame repair service",
    "my sister's check-ups are with you, can I book mine alongside",
])
def test_what_the_business_will_do_for_this_customer(question):
    assert routed(question, "industry", 0.8) == "docs"


@pytest.mark.parametrize(("question", "expected"), [
    ("can you do my homework", "smalltalk"),  # no word of the trade or of a shop's service
    ("do you have a favourite colour", "smalltalk"),
    ("will you tell me a joke", "smalltalk"),
])
def test_asking_the_assistant_itself_stays_small_talk(question, expected):
    assert routed(question, "smalltalk", 0.1) == expected


@pytest.mark.parametrize("question", [
    "how much extra for a grey tint",
    "how much to replace a lost nose pad",
    "the cost of a contact lens check?",
    "what's the charge for a second pair",
    "will the replacement pair be free",
    "would I lose my deposit if I change my mind",
    "do I still have to pay for the fitting if I go ahead with the lenses",
])
def test_what_it_costs_here(question):
    assert routed(question, "industry", 0.8) == "docs"


@pytest.mark.parametrize("question", [
    "can you ship my dailies to my office in town",
    "could you post the new glasses to my daughter's address",
    "could an optometrist come out to our care home",
    "can I see the optician on a Saturday morning",
    "earliest appointment you have on Monday",
])
def test_what_a_customer_arranges_with_it(question):
    assert routed(question, "industry", 0.8) == "docs"


@pytest.mark.parametrize(("question", "router_route", "kb"), [
    # hours and timings
    ("what time does the riverside branch close on friday", "smalltalk", 0.1),
    ("holiday timings?", "smalltalk", 0.1),
    ("are you shut on public holidays", "industry", 0.4),
    # its own offerings
    ("is there a lock-in on the eye care plan", "industry", 0.5),
    ("can I add my husband to my membership", "industry", 0.5),
    ("how do I leave the Wren Kids Club", "industry", 0.5),
    # how it takes payment
    ("is a deposit needed for special order frames", "industry", 0.5),
    ("can I pay with Apple Pay", "clarify", 0.3),
    # its data, complaints and paperwork
    ("please remove my personal details from your system", "smalltalk", 0.1),
    ("who should I send a complaint to", "industry", 0.4),
    ("I need an invoice with my employer's name on it", "smalltalk", 0.2),
    # what happens to a customer's own glasses
    ("my toddler snapped her glasses in half, what now", "smalltalk", 0.6),
    ("the dog chewed my sunglasses", "smalltalk", 0.5),
    ("my new varifocals make me feel seasick, what are my options", "industry", 0.5),
])
def test_what_the_business_decides_for_itself(question, router_route, kb):
    assert routed(question, router_route, kb) == "docs"


@pytest.mark.parametrize(("question", "router_route", "kb"), [
    # general optical knowledge, however it is worded, stays with the industry knowledge
    ("what are the options for correcting presbyopia", "industry", 0.7),
    ("how much blue light do phone screens give off", "industry", 0.7),
    ("is a free-form progressive better than a standard one", "industry", 0.7),
    ("how long do you have to wear an eye patch for a lazy eye", "industry", 0.7),
    ("do you have to take contacts out to sleep", "industry", 0.7),
    ("can you get cataracts from looking at screens", "industry", 0.7),
    ("what time of day is eye pressure highest", "industry", 0.7),
    ("what is a vision plan in the US", "industry", 0.7),
    ("can a snapped metal frame be soldered", "industry", 0.7),
    ("why do people complain about varifocals", "industry", 0.7),
    ("send an email to my manager", "smalltalk", 0.1),
    ("give me a workout plan", "smalltalk", 0.1),
    ("how do I lose weight", "smalltalk", 0.1),
])
def test_general_questions_are_not_about_the_business(question, router_route, kb):
    assert routed(question, router_route, kb) == router_route


def test_numbers_questions_stay_with_the_sql_tool():
    assert routed("price of sku FR-2201", "sql", 0.1) == "sql"
    assert routed("how many contact lens subscriptions did we sell in May", "sql", 0.1) == "sql"
