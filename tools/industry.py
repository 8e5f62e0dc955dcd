"""The industry tool's figures: questions that ask for a pooled industry number answered from the suppressed
cross-tenant aggregates (never tenant rows).

A question is answered here only when it names one of the aggregates' metrics *and* asks for a figure (average,
typical, share, rate, price, how much/many/often, ...); everything else goes to the industry knowledge base
(tools/industry_kb.py), which answers from retrieved, cited passages or says that nothing covers the question."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from db import industry

CATEGORIES = {
    "frames": r"frames?|glasses frames?|eyeglass",
    "lenses": r"lens(es)?\b(?! type)|spectacle lens",
    "contact_lenses": r"contacts?|contact lens(es)?",
    "sunglasses": r"sun ?glass(es)?|shades",
    "accessories": r"accessor(y|ies)|cases?|cloths?",
    "services": r"services?|eye exams?|fittings?",
}

# metric -> (trigger pattern, sentence template). The template gets {bucket}, {period}, {value}, {unit}.
METRICS: dict[str, tuple[str, str]] = {
    "avg_selling_price": (r"(average|typical|mean|median)?\s*(selling )?price|asp\b|how much do .* cost|spend",
                          "average selling price of {bucket} ({period}): {value} {unit}"),
    "discount_rate": (r"discount", "average discount on {bucket}: {value} {unit}"),
    "seasonality_index": (r"season|summer|winter|peak|busiest|which month|monthly pattern",
                          "{dimension} in month {bucket}: {value} {unit}"),
    "lens_type_share": (r"lens[- ]type (mix|share)|share of (patients|wearers)|how many patients wear|"
                        r"(mix|share) of lens types|what lens types",
                        "{bucket}: {value} {unit}"),
    "progressive_share": (r"progressive.*(age|older|younger|band)|(age|band).*progressive|presbyop",
                          "patients aged {bucket} wearing progressives: {value} {unit}"),
    "revenue_share": (r"revenue (share|mix)|share of revenue|(category|product) mix|where .* revenue come",
                      "{bucket}: {value} {unit}"),
    "below_reorder_share": (r"stock ?outs?|below reorder|out of stock|understock|inventory health",
                            "{bucket} below reorder point: {value} {unit}"),
    "units_per_order_line": (r"units per (order|line|sale)|basket size|items per order",
                             "{bucket}: {value} {unit}"),
}

# A figure is asked for: without one of these words a metric word ("winter", "discount") is only a topic.
FIGURE_CUE = re.compile(r"\b(average|avg|typical(ly)?|mean|median|share|percent(age)?|%|rate|index|price[sd]?|"
                        r"cost|how much|how many|how often|mix|figures?|benchmarks?|pattern|busiest|peak|which month|"
                        r"asp)\b", re.I)


@dataclass
class IndustryResult:
    answer_text: str
    source: str  # "aggregates" | "model"
    model: str
    facts: list[dict] = field(default_factory=list)


def match_metric(question: str) -> tuple[str | None, str | None]:
    q = question.lower()
    if not FIGURE_CUE.search(q):
        return None, None
    metric = next((m for m, (pattern, _) in METRICS.items() if re.search(pattern, q)), None)
    category = next((c for c, pattern in CATEGORIES.items() if re.search(rf"\b({pattern})", q)), None)
    return metric, category


def from_aggregates(question: str) -> IndustryResult | None:
    """Answer from the pooled aggregates when the question asks for one of their metrics; None otherwise."""
    metric, category = match_metric(question)
    if metric is None:
        return None
    rows = industry.read(metric)
    if category and metric not in ("lens_type_share", "progressive_share"):
        rows = [r for r in rows if category in (r.bucket, r.dimension)] or rows
    if metric == "seasonality_index" and not category:
        rows = [r for r in rows if r.dimension == "sunglasses"] or rows
    if not rows:
        return IndustryResult(
            answer_text=("There is not enough pooled data to answer that: industry figures are only shown when at "
                         "least 3 chains and 11 records contribute to them."),
            source="aggregates", model="industry_aggregates")
    template = METRICS[metric][1]
    latest = max(r.period for r in rows)
    if metric == "avg_selling_price":
        rows = [r for r in rows if r.period == latest]
    lines = [template.format(bucket=r.bucket.replace("_", " "), period=r.period, value=r.value, unit=r.unit,
                             dimension=r.dimension.replace("_", " ")) for r in rows[:12]]
    tenants = min(r.n_tenants for r in rows)
    text = (f"Industry figures pooled across {tenants}+ chains (anonymized; no figure from fewer than "
            f"{industry.MIN_TENANTS} chains or {industry.MIN_RECORDS} records is shown):\n"
            + "\n".join(f"- {line}" for line in lines))
    facts = [{"metric": r.metric, "dimension": r.dimension, "bucket": r.bucket, "period": r.period,
              "value": str(r.value), "unit": r.unit, "n_tenants": r.n_tenants} for r in rows[:12]]
    return IndustryResult(answer_text=text, source="aggregates", model="industry_aggregates", facts=facts)
