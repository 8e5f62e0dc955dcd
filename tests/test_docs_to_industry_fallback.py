"""A docs question the tenant's documents do not cover goes to the industry knowledge when nothing in it is the
company's (agents/graph.py `_industry_instead`, agents/doc_routing.py `about_company`): "why do rimless frames snap
so easily" is a question of the trade however its words matched a passage. A question of the company's own ("what
do you charge to fix a rimless frame"), a follow-up, or one the knowledge does not answer keeps the honest "your
documents do not cover it". Real MiniLM embeddings over a small made-up knowledge base (`_kb_from`); the aggregates
are left out (no database)."""

from __future__ import annotations

import pytest

from agents import doc_routing
from agents.graph import _industry_instead, build_graph
from tests.test_industry_kb import _kb_from
from tools import industry_kb

KB = [
    ("rim-1", "Why do rimless frames break more easily than full frames?",
     "Rimless frames hold the lenses with small screws or clips drilled through the lens, so the stress of bending "
     "or knocks goes straight into the drill holes, where lenses and mounts crack."),
    ("rim-2", "Are rimless glasses lighter?",
     "Rimless mounts are among the lightest frames because they have no rim around the lenses."),
    ("uv-1", "Do sunglasses need UV protection?",
     "Sunglasses should block UVA and UVB; a dark tint alone does not block ultraviolet light."),
    ("cl-1", "Can I swim in contact lenses?",
     "Swimming in contact lenses risks an Acanthamoeba infection; wear goggles over them or use daily lenses and "
     "throw them away afterwards."),
]


@pytest.fixture()
def kb(tmp_path, monkeypatch):
    monkeypatch.setattr(industry_kb, "aggregate_passages", lambda: [])
    return _kb_from(tmp_path, monkeypatch, "trade", "frames", KB)


def _company(question: str) -> bool:
    return doc_routing.about_company(doc_routing.cues(question, 0.3, 0.6))


@pytest.mark.parametrize(("question", "company"), [
    ("why do rimless frames snap so easily?", False),
    ("is it ok to go swimming with contacts in?", False),
    ("what do you charge to fix a rimless frame?", True),
    ("do we repair rimless frames at the Harbour Street shop?", True),
    ("how many rimless frames did we sell last month?", True),
])
def test_what_makes_a_question_the_companys(question: str, company: bool) -> None:
    assert _company(question) is company


def test_a_trade_question_the_documents_do_not_cover_goes_to_the_knowledge(kb) -> None:
    question = "why do rimless frames snap so easily?"
    assert _industry_instead({"question": question, "company": _company(question)})


@pytest.mark.parametrize("state", [
    {"question": "what do you charge to fix a rimless frame?", "company": True},
    {"question": "why do rimless frames snap so easily?", "company": False, "follow_up": True},
    {"question": "why do rimless frames snap so easily?"},  # no routing signal: the documents' answer stands
    {"question": "what colour should the staff room be painted?", "company": False},  # the knowledge has nothing
])
def test_the_company_s_own_a_follow_up_or_an_unknown_stays_not_covered(kb, state) -> None:
    assert not _industry_instead(state)


def test_the_graph_can_go_from_docs_to_industry() -> None:
    graph = build_graph()
    assert "docs" in graph.branches and "industry" in graph.nodes
