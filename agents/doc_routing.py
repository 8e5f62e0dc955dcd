"""Routing that knows the tenant's documents: the semantic router's decision, revised with the best score of the
tenant's own document search (run for every question) and with what the question says about whose rules it asks.

Rules, in order (each one a reason on the decision):
1. A question about the company's own rules ("our / we / us / the company" + a policy word: policy, fee, warranty,
   trial, procedure, return, remake, ...) that is not about numbers (sold, revenue, stock, how many ... did we)
   goes to docs.
2. A question that asks for what is typical across the industry ("typical", "industry", "in general", "most
   opticians", ...) and does not say "our / we" stays where the router put it.
3. When the router chose industry or smalltalk and a tenant passage answers the question well (the best sentence
   scores >= `DOC_STRONG`), docs; with an "our / we" cue, or when the router was unsure (clarify), a weaker match is
   enough (`DOC_WEAK`). When the router chose sql for a question with no numbers cue (sold, revenue, stock, ...)
   and a passage answers it very well (>= `DOC_SQL`), docs.
4. When the router chose docs for a question with no "our / we" cue, nothing in the documents matches
   (< `DOC_NONE`), and industry is the runner-up, industry.
5. When the decision is still smalltalk or clarify, the industry knowledge base is asked too: a question it answers
   well (best passage score >= `KB_STRONG`, tools/industry_kb.py) goes to industry ("can i sleep in my contacts").
The thresholds are sentence scores from agents/extractive.py, measured on bench/data/answers_docs (not on the
router's example bank).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from agents.router import RouteDecision

DOC_STRONG = 0.58
DOC_WEAK = 0.45
DOC_SQL = 0.62
KB_STRONG = 0.62
DOC_NONE = 0.35

OWN = re.compile(r"\b(our|ours|we|we're|we've|we'd|us|my company|the company|company's|the business|this store|"
                 r"our store|in-house)\b", re.I)
POLICY = re.compile(
    r"\b(polic(y|ies)|fees?|charges?|charged|warrant(y|ies)|guarantees?|promise|trials?|procedures?|process(es)?|"
    r"steps?|rules?|returns?|returnable|refunds?|refundable|exchanges?|remakes?|redo|re-?do|handbook|sop|"
    r"checklists?|allowed|entitled|covered|cover|coverage|claims?|deadline|window|eligible|eligibility|opening|"
    r"closing|dress code|leave|holidays?|vacation|payment plans?|instal?ments?|insurance|price match|"
    r"appointments?|cancell?ations?|no-shows?|repairs?|replacements?|adapt|adaptation|non-adapt\w*|"
    r"grace period|terms|conditions|requirements?|required|must|supposed to|do we (do|offer|give|charge|allow)|"
    r"how long (do|does|is|are)|how many days|within how|who (do|should|approves|signs))\b", re.I)
NUMBERS = re.compile(
    r"\b(sold|sell|selling|sales|revenue|turnover|takings|units?|stock|stocked|inventory|on hand|reorder|"
    r"best-?sellers?|top \d+|bottom \d+|how many (\w+ ){0,3}(did|do) we (sell|have|stock)|patients? (aged|by|count)|"
    r"how many (stores|shops|branches|locations|products|brands|skus|patients|customers|orders|order lines)|"
    r"margin|average (order|selling|price)|asp|aov|basket|per store|by store|by month|by week|by brand|"
    r"by category|year over year|yoy|last (month|week|year|quarter)|this (month|year|quarter)|so far this|"
    r"in (january|february|march|april|may|june|july|august|september|october|november|december|q[1-4]|20\d\d))\b",
    re.I)
GENERIC = re.compile(
    r"\b(typical(ly)?|industry|in general|generally|on average|normally|usually|most (opticians|optical|stores|"
    r"chains|practices|retailers|labs)|standard practice|common practice|benchmarks?|across (the )?(market|"
    r"industry|chains|retailers)|other (stores|chains|opticians)|the market|nationwide|elsewhere)\b", re.I)


@dataclass(frozen=True)
class DocSignal:
    """The tenant document search's view of one question: its best sentence score and the cues found."""

    best: float
    own: bool
    policy: bool
    numbers: bool
    generic: bool


def cues(question: str, best: float) -> DocSignal:
    return DocSignal(best=round(best, 4), own=bool(OWN.search(question)), policy=bool(POLICY.search(question)),
                     numbers=bool(NUMBERS.search(question)), generic=bool(GENERIC.search(question)))


def revise(decision: RouteDecision, signal: DocSignal) -> RouteDecision:
    """The router's decision revised with the document signal (unchanged when no rule applies)."""
    route = decision.route

    def to(new: str, why: str) -> RouteDecision:
        return replace(decision, route=new, reason=why)

    if signal.own and signal.policy and not signal.numbers and route != "docs":
        return to("docs", f"own policy question (our/we + policy word), document match {signal.best:.2f}")
    if signal.generic and not signal.own:
        return decision
    if route in ("industry", "clarify", "smalltalk"):
        if signal.best >= DOC_STRONG:
            return to("docs", f"a passage of your documents answers it (score {signal.best:.2f})")
        if (signal.own or route == "clarify") and signal.best >= DOC_WEAK:
            return to("docs", f"a passage of your documents matches (score {signal.best:.2f})")
    if route == "sql" and not signal.numbers and signal.best >= DOC_SQL:
        return to("docs", f"no numbers asked for and a passage of your documents answers it "
                          f"(score {signal.best:.2f})")
    if (route == "docs" and not signal.own and not signal.policy and signal.best < DOC_NONE
            and decision.runner_up == "industry"):
        return to("industry", f"nothing in your documents matches (score {signal.best:.2f})")
    return decision


def revise_with_knowledge(decision: RouteDecision, kb_score: float) -> RouteDecision:
    """Rule 5: a smalltalk/clarify decision for a question the industry knowledge answers well becomes industry."""
    if decision.route in ("smalltalk", "clarify") and kb_score >= KB_STRONG:
        return replace(decision, route="industry",
                       reason=f"the industry knowledge base answers it (score {kb_score:.2f})")
    return decision


__all__ = ["DOC_NONE", "DOC_STRONG", "DOC_WEAK", "KB_STRONG", "DocSignal", "cues", "revise", "revise_with_knowledge"]
