"""A chart for an SQL answer, when a person would rather look than read: a Plotly figure as JSON.

`chart_for(spec, columns, rows)` returns a Plotly figure dict (`{"data": [...], "layout": {...}}`, JSON-safe) or None:
- a time dimension (day, week, month, quarter, year): a line per series (the other dimension, or current vs previous
  for a comparison); a period-on-period series also plots the previous bucket;
- a ranked or categorical breakdown (store, brand, weekday, age band...) of more than 3 rows: bars (grouped by the
  second dimension, or current vs previous for a comparison);
- a total, a single comparison, a share of one part, or 3 rows or fewer: no chart (the sentence says it).
Labels and numbers come from the rows exactly as the table shows them. The UI renders it with Chainlit's Plotly
element (plotly ships plotly.js, so it works offline); the REST/SSE final event carries the same JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tools.sql.money import DEFAULT_CURRENCY, Currency
from tools.sql.sentences import label_of
from tools.sql.spec import DIMENSIONS, QuerySpec, measure_info

__all__ = ["MIN_CATEGORY_ROWS", "chart_for"]

MIN_CATEGORY_ROWS = 4  # a categorical breakdown needs more than 3 rows to be worth a chart
MAX_POINTS = 400
_TIME_AXIS = ("day", "week", "month", "quarter", "year")


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return float(value) if isinstance(value, (int, float)) else None


def _x(dim: str, value: Any) -> Any:
    if dim in ("day", "week", "month", "quarter") and isinstance(value, (date, datetime)):
        return value.isoformat()
    if dim == "year":
        return int(value) if value is not None else None
    return label_of(dim, value)


def _label(dim: str, row: dict[str, Any]) -> str:
    if dim == "store":
        return str(row.get("store"))
    if dim == "product":
        return str(row.get("product"))
    return label_of(dim, row.get(dim))


def chart_for(spec: QuerySpec | None, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
              currency: Currency = DEFAULT_CURRENCY) -> dict[str, Any] | None:
    """The Plotly figure (JSON-safe dict) for an answer, or None when a chart would not help; a money axis carries
    the tenant's currency symbol."""
    if spec is None or not spec.dimensions or not rows or len(rows) > MAX_POINTS:
        return None
    import plotly.graph_objects as go

    data = [dict(zip(columns, r, strict=True)) for r in rows]
    info = measure_info(spec)
    label, money = info.label, info.kind == "money"
    m = spec.measure
    if spec.share_of_total and "share_pct" in columns and f"total_{m}" in columns:
        # the part's share of each group's whole: the shares are what the answer is about, not the part's amounts
        part = "; ".join(f"{k.replace('_', ' ')}: {', '.join(v)}" for k, v in spec.part.items())
        m, label, money = "share_pct", f"share of {part} in {info.label} (%)", False
    dims = list(spec.dimensions)
    time_dims = [d for d in dims if d in _TIME_AXIS]
    compare = spec.comparison is not None and spec.comparison.time_range is not None
    title = f"{label[:1].upper()}{label[1:]} by {', '.join(DIMENSIONS[d].label for d in dims)}"
    if spec.time_range is not None:
        title += f", {spec.time_range.label}"
    fig = go.Figure()
    if time_dims:
        axis = time_dims[0]
        series_dims = [d for d in dims if d != axis]
        groups: dict[str, list[dict[str, Any]]] = {}
        for row in data:
            key = " / ".join(_label(d, row) for d in series_dims) or label
            groups.setdefault(key, []).append(row)
        for name, items in groups.items():
            items.sort(key=lambda r: (r[axis] is None, r[axis]))
            fig.add_trace(go.Scatter(x=[_x(axis, r[axis]) for r in items], y=[_number(r[m]) for r in items],
                                     mode="lines+markers", name=name))
            if compare and f"previous_{m}" in items[0]:
                fig.add_trace(go.Scatter(x=[_x(axis, r[axis]) for r in items],
                                         y=[_number(r[f"previous_{m}"]) for r in items], mode="lines+markers",
                                         name=f"{name} ({spec.comparison.time_range.label})",  # type: ignore[union-attr]
                                         line={"dash": "dot"}))
        x_title = DIMENSIONS[axis].label
    else:
        if len(data) < MIN_CATEGORY_ROWS:
            return None
        first, rest = dims[0], dims[1:]
        groups = {}
        order: list[str] = []
        for row in data:
            x = _label(first, row)
            if x not in order:
                order.append(x)
            groups.setdefault(" / ".join(_label(d, row) for d in rest) or label, []).append(row)
        for name, items in groups.items():
            fig.add_trace(go.Bar(x=[_label(first, r) for r in items], y=[_number(r[m]) for r in items], name=name))
            if compare and f"previous_{m}" in items[0]:
                previous = [_number(r[f"previous_{m}"]) for r in items]
                fig.add_trace(go.Bar(x=[_label(first, r) for r in items], y=previous,
                                     name=f"{spec.comparison.time_range.label}"))  # type: ignore[union-attr]
        fig.update_layout(barmode="group", xaxis={"categoryorder": "array", "categoryarray": order})
        x_title = DIMENSIONS[first].label
    fig.update_layout(title={"text": title}, xaxis_title=x_title, yaxis_title=label,
                      showlegend=len(fig.data) > 1, template="plotly_white",
                      margin={"l": 60, "r": 20, "t": 50, "b": 60})
    if money:
        fig.update_yaxes(tickprefix=currency.symbol)
    return json.loads(fig.to_json())
