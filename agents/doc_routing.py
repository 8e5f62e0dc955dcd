"""Routing that knows the tenant's documents: the semantic router's decision, revised with the best score of the
tenant's own document search (run for every question) and with what the question says about whose rules it asks.

Rules, in order (each one a reason on the decision). `doc` is the best sentence score of the tenant's documents
(agents/extractive.py), `kb` the best passage score of the industry knowledge (tools/industry_kb.py):
1. A question about the company's own rules ("our / we / us / the company" + a policy word: policy, fee, warranty,
   trial, procedure, return, remake, ...) that is not about numbers (sold, revenue, stock, how many ... did we)
   goes to docs.
2. A question that asks for what is typical across the industry ("typical", "industry", "in general", "most
   opticians", ...) and does not say "our / we" stays where the router put it, except that a docs decision the
   industry knowledge answers (kb >= `KB_OK`) goes to industry.
3. When the router chose industry, smalltalk or clarify: docs when a tenant passage answers the question well
   (doc >= `DOC_STRONG`) and at least as well as the industry knowledge (doc >= kb); with an "our / we" cue, or
   when the router was unsure (clarify), doc >= `DOC_WEAK` is enough. Otherwise, a smalltalk or clarify decision
   for a question the industry knowledge answers well (kb >= `KB_STRONG`) goes to industry ("can i sleep in my
   contacts").
4. When the router chose sql for a question with no numbers cue and a passage answers it very well (doc >=
   `DOC_SQL`, and doc >= kb), docs ("which stores open on Sundays?").
5. When the router chose docs for a question without "our / we", the documents do not cover it (doc below the
   extractive answer threshold) and the industry knowledge answers it (kb >= `KB_OK`), industry.
The thresholds were set on the bench's own cases (bench/data/answers_docs, training/data/factual_check.jsonl), not on
the router's example bank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from agents.extractive import MIN_ANSWER_SCORE
from agents.router import RouteDecision

DOC_STRONG = 0.58
DOC_WEAK = 0.45
DOC_SQL = 0.55
KB_MARGIN = 0.10  # the tenant's own passage wins unless the industry knowledge matches clearly better
KB_STRONG = 0.62
DOC_NONE = MIN_ANSWER_SCORE  # the extractive answer threshold: below it the documents do not cover the question
KB_OK = 0.55

OWN = re.compile(r"\b(our|ours|we|we're|we've|we'd|us|my company|the company|company's|the business|this store|"
                 r"our store|in-house|staff|employees?|team members?|new hires?|colleagues?)\b", re.I)
POLICY = re.compile(
    r"\b(polic(y|ies)|fees?|charges?|charged|warrant(y|ies)|guarantees?|promise|trials?|procedures?|process(es)?|"
    r"steps?|rules?|returns?|returnable|refunds?|refundable|exchanges?|remakes?|redo|re-?do|handbook|sop|"
    r"checklists?|allowed|entitled|covered|cover|coverage|claims?|deadline|window|eligible|eligibility|opening|"
    r"closing|dress code|leave|holidays?|vacation|payment plans?|instal?ments?|insurance|price match|"
    r"appointments?|cancell?ations?|no-shows?|repairs?|replacements?|adapt|adaptation|non-adapt\w*|"
    r"grace period|terms|conditions|requirements?|required|must|supposed to|do we (do|offer|give|charge|allow)|"
    r"discounts?|commission|probation|sick|parking|dress|uniforms?|"
    r"how long (do|does|is|are)|how many days|within how|who (do|should|approves|signs))\b", re.I)
NUMBERS = re.compile(
    r"\b(sold|sell|selling|sales|revenue|turnover|takings|units?|stock|stocked|inventory|on hand|reorder|"
    r"best-?sellers?|top \d+|bottom \d+|how many (\w+ ){0,3}(did|do) we (sell|have|stock)|patients? (aged|by|count)|"
    r"how many (stores|shops|branches|locations|products|brands|skus|patients|customers|orders|order lines)|"
    r"margin|average (order|selling|price)|asp|aov|basket|per store|by store|by month|by week|by brand|"
    r"(average|avg|total|mean) (discount|revenue|sales|units|orders?|spend)|discount (rate|total|percentage)|"
    r"(19|20)\d\d|(first|second) half|h[12]|q[1-4]|give away|gave away|given away|"
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
    kb: float = 0.0  # best industry knowledge passage score


def cues(question: str, best: float, kb: float = 0.0) -> DocSignal:
    return DocSignal(best=round(best, 4), own=bool(OWN.search(question)), policy=bool(POLICY.search(question)),
                     numbers=bool(NUMBERS.search(question)), generic=bool(GENERIC.search(question)),
                     kb=round(kb, 4))


def revise(decision: RouteDecision, signal: DocSignal) -> RouteDecision:
    """The router's decision revised with the document and knowledge signals (unchanged when no rule applies)."""
    route, doc, kb = decision.route, signal.best, signal.kb

    def to(new: str, why: str) -> RouteDecision:
        return replace(decision, route=new, reason=why)

    if signal.own and signal.policy and not signal.numbers and route != "docs":
        return to("docs", f"own policy question (our/we + policy word), document match {doc:.2f}")
    if signal.generic and not signal.own:
        if route == "docs" and kb >= KB_OK:
            return to("industry", f"an industry-wide question the industry knowledge answers (score {kb:.2f})")
        return decision
    if route in ("industry", "clarify", "smalltalk"):
        if doc >= DOC_NONE and doc >= kb:
            return to("docs", f"a passage of your documents answers it (score {doc:.2f}, knowledge {kb:.2f})")
        if doc >= DOC_STRONG and doc >= kb - KB_MARGIN:
            return to("docs", f"a passage of your documents answers it well (score {doc:.2f}, knowledge {kb:.2f})")
        if (signal.own or route == "clarify") and doc >= DOC_WEAK and doc >= kb:
            return to("docs", f"a passage of your documents matches (score {doc:.2f}, knowledge {kb:.2f})")
        if route != "industry" and kb >= KB_STRONG:
            return to("industry", f"the industry knowledge base answers it (score {kb:.2f})")
    if route == "sql" and not signal.numbers and doc >= DOC_SQL and doc >= kb - KB_MARGIN:
        return to("docs", f"no numbers asked for and a passage of your documents answers it (score {doc:.2f})")
    if route == "docs" and not signal.own and doc < DOC_NONE and kb >= KB_OK:
        return to("industry", f"your documents do not cover it and the industry knowledge does (score {kb:.2f})")
    return decision


def revise_with_knowledge(decision: RouteDecision, kb_score: float) -> RouteDecision:
    """Rule 3's last part alone: a smalltalk/clarify decision the industry knowledge answers well becomes industry."""
    if decision.route in ("smalltalk", "clarify") and kb_score >= KB_STRONG:
        return replace(decision, route="industry",
                       reason=f"the industry knowledge base answers it (score {kb_score:.2f})")
    return decision


__all__ = ["DOC_NONE", "DOC_STRONG", "DOC_WEAK", "KB_OK", "KB_STRONG", "DocSignal", "cues", "revise",
           "revise_with_knowledge"]
