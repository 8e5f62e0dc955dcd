"""A question naming the business's own premises, vehicles or people ("is there a toilet on the van", "do the crew
speak Gaelic") is about the business, never small talk: agents/doc_routing.py's `PREMISES` cue with the tenant's
passages. Made-up tenants and wordings (a mobile optician with a bus, a kiosk chain, a high-street shop); no database:
the passages and scores are given as the route node would pass them."""

from __future__ import annotations

import pytest

from agents import doc_routing
from tests.routing_helpers import revised

BUS_OPTICIAN = [
    "The Glenmorrow eye bus stops at Kilbride on the first Tuesday of each month, parked outside the library.",
    "Our bus has a wheelchair lift at the rear door; tell the driver when you arrive and we will lower it for you.",
    "Eye tests on the bus take about 30 minutes and are free for children.",
]
KIOSK_CHAIN = [
    "Every Lenskiosk kiosk adjusts and cleans glasses free of charge while you wait.",
    "Kiosks in shopping centres open at 10:00 and close when the centre closes.",
]
HIGH_STREET = [
    "Our Market Street shop is open Monday to Saturday, 9:00 to 17:30.",
    "Frames are guaranteed for 12 months against breakage from normal wear.",
]


def routed(question: str, passages: list[str], route: str = "smalltalk", doc: float = 0.30,
           kb: float = 0.20) -> str:
    return revised(question, route, doc, kb, passages)


@pytest.mark.parametrize("question", [
    "is there a loo on the bus I could use",
    "can my mum stay in her wheelchair on the bus",
    "will the driver wait if i'm a bit late",
    "where does the bus park in kilbride",
])
def test_naming_a_mobile_services_vehicle_is_not_small_talk(question):
    # the router took each for small talk; nothing in the documents answers the first two well
    assert routed(question, BUS_OPTICIAN) == "docs"


def test_a_kiosk_is_the_kiosk_chains_own():
    assert routed("is the kiosk in the station open on sundays", KIOSK_CHAIN) == "docs"
    assert routed("can I sit down at the kiosk while I wait", KIOSK_CHAIN) == "docs"


def test_staff_named_as_the_business_people_is_not_small_talk():
    assert routed("are the crew friendly with nervous kids", HIGH_STREET) == "docs"
    assert routed("does the receptionist speak polish", HIGH_STREET) == "docs"


def test_a_vehicle_the_tenants_passages_never_mention_is_nobodys():
    # a high-street optician has no bus: "the bus" is the customer's journey, still small talk for the router
    assert routed("the bus was late again today, ugh", HIGH_STREET) == "smalltalk"
    assert not doc_routing.names_premises("is there a loo on the bus I could use", doc_routing.passages_words(
        HIGH_STREET))


def test_someone_elses_vehicle_is_not_the_business():
    # "my" / "his" car or bus is the customer's, whatever the passages say
    assert not doc_routing.names_premises("my bus pass expired", doc_routing.passages_words(BUS_OPTICIAN))
    assert routed("can you fix my car", BUS_OPTICIAN) == "smalltalk"


def test_a_request_outside_the_assistants_scope_stays_small_talk():
    # nothing of the business named: the scope answer, not the documents
    assert routed("could you book me a taxi to the airport", BUS_OPTICIAN) == "smalltalk"
