"""Docs and industry answers state only what a retrieved, cited passage says, or say that nothing covers the question;
the tenant's documents steer routing. Real database, embeddings, router, retrieval and guard; the only fakes are chat
models at the LLM boundary (named Fake*), used to show that the small model is never asked and that a served model
gets the retrieved passages as its context.
"""

from __future__ import annotations

import re

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from agents import answer_sync
from agents.models import AgentModels
from db import registry
from tools.ingest import list_documents

NW = "noah@northwind-optics.example"
LU = "liam@lumen-eyewear.example"
QUOTE = re.compile(r"^> (.*) \[(\d+)\]$")


class FakeNeverCalledModel(GenericFakeChatModel):
    """A fake chat model that fails the test if the agent asks it anything."""

    def _generate(self, *args, **kwargs):  # noqa: ANN002, ANN003
        raise AssertionError("the chat model must not be asked on this path")

    async def _astream(self, *args, **kwargs):  # noqa: ANN002, ANN003
        raise AssertionError("the chat model must not be asked on this path")
        yield  # pragma: no cover


class FakeServedModel(GenericFakeChatModel):
    """A fake served (tool-calling) chat model: never picks a tool, records every prompt it is given."""

    prompts: list[str] = []

    def bind_tools(self, tools, **kwargs):  # noqa: ANN001, ANN003
        return self

    async def _astream(self, messages, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        self.prompts.append("\n".join(str(m.content) for m in messages))
        async for chunk in super()._astream(messages, *args, **kwargs):
            yield chunk


def local_models() -> AgentModels:
    never = FakeNeverCalledModel(messages=iter([]))
    models = AgentModels(base=never, tool_calling=False)
    models.overrides["industry"] = (never, "FakeNeverCalledModel", False)
    return models


@pytest.fixture(scope="module")
def world(demo):
    from tools.ingest import load_demo_documents

    load_demo_documents()
    return {"northwind": registry.principal_for(NW), "lumen": registry.principal_for(LU)}


def quoted_lines(answer: str) -> list[tuple[str, int]]:
    body = answer.split("\n\nSources:")[0]
    lines = [ln for ln in body.splitlines()[1:] if ln.strip() and ln.strip() != ">"]
    out = []
    for line in lines:
        m = QUOTE.match(line.strip())
        assert m, f"an answer line that is not a cited quote: {line!r}"
        out.append((m.group(1), int(m.group(2))))
    return out


INDUSTRY_QUESTIONS = [
    "What is the difference between polycarbonate and Trivex lenses?",
    "can i sleep in my contacts",
    "Why do my new varifocals feel blurry at the sides?",
    "what does UV400 mean on sunglasses",
    "What is the Abbe value of a lens material?",
    "What is astigmatism?",
    "how often should adults get an eye exam",
    "What do the numbers on the temple of a frame mean?",
]


@pytest.mark.parametrize("question", INDUSTRY_QUESTIONS)
def test_no_industry_answer_states_anything_not_in_a_cited_passage(world, question):
    out = answer_sync(world["northwind"], question, models=local_models())
    assert out["route"] == "industry", out["route_reason"]
    assert out["model"] == "industry_knowledge"
    sources = out["sources"] or []
    assert sources, "an industry answer must cite its passages"
    quotes = quoted_lines(out["answer"])
    assert quotes
    for text, n in quotes:
        assert 1 <= n <= len(sources)
        assert text in sources[n - 1]["text"], (text, sources[n - 1]["text"])
    cited = out["answer"].split("\n\nSources:\n")[1].splitlines()
    assert len(cited) == len(sources) and all(s["title"] in line for s, line in zip(sources, cited, strict=True))


class FakeServedModelPicksIndustry(FakeNeverCalledModel):
    """A fake served (tool-calling) chat model that routes to `industry` and fails the test if asked to answer."""

    def bind_tools(self, tools, **kwargs):  # noqa: ANN001, ANN003
        return self

    async def ainvoke(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return AIMessage("", tool_calls=[{"name": "industry", "args": {"question": "x"}, "id": "1"}])


def test_industry_question_nothing_supports_is_refused_without_asking_the_model(world):
    from tools import industry_kb

    question = "Who won the football world cup in 1966?"
    assert not industry_kb.retrieve(question).supported
    fake = FakeServedModelPicksIndustry(messages=iter([]))
    models = AgentModels(base=fake, tool_calling=True)
    models.overrides["industry"] = (fake, "FakeServedModelPicksIndustry", True)
    out = answer_sync(world["lumen"], question, models=models)
    assert out["route"] == "industry" and "tool calling" in out["route_reason"]
    assert "won't guess" in out["answer"] and not out["sources"]
    local = answer_sync(world["lumen"], question, models=local_models())  # the router: clarify or a refusal
    assert local["route"] in ("clarify", "smalltalk") or "won't guess" in local["answer"]


def test_served_model_gets_the_retrieved_passages_as_context(world):
    fake = FakeServedModel(messages=iter([AIMessage("Photochromic lenses darken in UV light [1].")] * 5))
    fake.prompts.clear()
    models = AgentModels(base=fake, tool_calling=True)
    models.overrides["industry"] = (fake, "FakeServedModel + adapter industry", True)
    # tool_calling models pick the tool themselves; this fake picks none, so the router decides
    out = answer_sync(world["lumen"], "How do photochromic lenses work?", models=models)
    assert out["route"] == "industry"
    assert out["model"] == "FakeServedModel + adapter industry"
    assert out["sources"] and fake.prompts
    prompt = fake.prompts[-1]
    assert all(s["text"][:60] in prompt for s in out["sources"])
    assert "only the" in prompt and "passages" in prompt
    assert "darken in UV light [1]" in out["answer"] and "Sources:" in out["answer"]


def test_docs_answer_quotes_the_answering_sentence_first(world):
    out = answer_sync(world["northwind"], "Is accidental damage covered by the warranty?", models=local_models())
    assert out["route"] == "docs"
    quotes = quoted_lines(out["answer"])
    first, n = quotes[0]
    assert "Accidental damage" in first and "not covered" in first
    assert first in out["sources"][n - 1]["text"].replace("\n", " ")


def test_docs_say_when_they_do_not_cover_a_question_and_what_was_searched(world):
    nw = world["northwind"]
    out = answer_sync(nw, "What is our policy on staff parking permits?", models=local_models())
    assert out["route"] == "docs"
    assert "don't seem to cover" in out["answer"]
    titles = [d.title for d in list_documents(nw.tenant_id)]
    assert titles and all(t in out["answer"] for t in titles)
    assert ">" not in out["answer"]  # nothing loosely related is quoted


@pytest.mark.parametrize(("question", "tenant", "fact"), [
    ("How long do new contact lens wearers get to try lenses before buying?", "northwind", "14-day"),
    ("what do we charge for a contact lens fitting", "northwind", "$60"),
    ("how long is our warranty on frames", "northwind", "12 months"),
    ("How long do customers have to ask for a free varifocal remake?", "lumen", "90 days"),
])
def test_tenant_policy_questions_go_to_the_documents(world, question, tenant, fact):
    out = answer_sync(world[tenant], question, models=local_models())
    assert out["route"] == "docs", (out["route"], out["route_reason"])
    assert fact in out["answer"]


def test_industry_wide_question_is_not_pulled_to_the_documents(world):
    out = answer_sync(world["northwind"], "What is a typical remake rate for progressive lenses across the industry?",
                      models=local_models())
    assert out["route"] == "industry"
