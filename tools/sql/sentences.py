"""Answer text generated from the spec and the result rows: one interpretation line, one sentence, a table.

`interpretation(spec)` is the line a user reads to spot a misreading at once ("Interpretation: revenue (after
discounts) · by store · category: frames · March 2025 · highest first, top 1"). `sentence(spec, columns, rows)`
states the answer in words for every shape (total, breakdown, ranking, comparison, share) from the spec's parts,
with no per-question templates; every number in it comes from the rows. `table()` is the Markdown table.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tools.catalog import CATEGORY_LABELS, LENS_TYPE_LABELS, Catalog
from tools.sql.money import DEFAULT_CURRENCY, Currency, format_money, tenant_currency
from tools.sql.regions import catalog_regions
from tools.sql.spec import DIMENSIONS, MEASURES, Filters, QuerySpec, TimeRange, measure_info

__all__ = ["format_value", "interpretation", "label_of", "sentence", "table", "unresolved_message"]

TABLE_ROWS_SHOWN = 25
WEEKDAY_NAMES = {i + 1: calendar.day_name[i] for i in range(7)}
_KEY_COLUMNS = {"store_code", "sku"}


def _join(items: Sequence[str], last: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def format_value(kind: str, value: Any, *, signed: bool = False, currency: Currency = DEFAULT_CURRENCY) -> str:
    """One number as an answer writes it: money in the tenant's currency (tools/sql/money.py), counts grouped,
    percentages with one decimal."""
    if value is None:
        return "–"
    if kind == "money":
        return format_money(value, currency, signed=signed)
    if kind == "int":
        number = int(value)
        return f"{number:+,}" if signed else f"{number:,}"
    if kind == "pct":
        return f"{Decimal(str(value)):+.1f}%" if signed else f"{Decimal(str(value)):.1f}%"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def _column_kind(column: str, spec: QuerySpec) -> str:
    m = spec.measure
    if column == "units_averaged":
        return "int"
    if column in (m, f"previous_{m}", f"total_{m}", "change"):
        return measure_info(spec).kind
    if column in ("change_pct", "share_pct"):
        return "pct"
    return "label"


def _averaged_units(spec: QuerySpec, count: Any) -> str:
    """"12 months with sales", "1 store with sales"."""
    over = str(spec.average_over)
    plural = "" if count == 1 else "s"
    return f"{format_value('int', count)} {over}{plural} with sales"


def label_of(column: str, value: Any, catalog: Catalog | None = None) -> str:
    """How one dimension value reads: "Mar 2025", "Q1 2025", "Tuesday", "contact lenses"."""
    if value is None:
        return "–"
    if column == "month" and isinstance(value, (date, datetime)):
        return value.strftime("%b %Y")
    if column == "quarter" and isinstance(value, (date, datetime)):
        return f"Q{(value.month - 1) // 3 + 1} {value.year}"
    if column == "week" and isinstance(value, (date, datetime)):
        return f"week of {value.isoformat()}"
    if column == "weekday":
        return WEEKDAY_NAMES.get(int(value), str(value))
    if column == "category":
        return CATEGORY_LABELS.get(str(value), str(value))
    if column == "lens_type":
        return LENS_TYPE_LABELS.get(str(value), str(value))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _row_label(spec: QuerySpec, row: Mapping[str, Any], catalog: Catalog | None = None,
               dims: Sequence[str] | None = None) -> str:
    parts = []
    for dim in spec.dimensions if dims is None else dims:
        if dim == "store":
            parts.append(f"{row['store']} ({row['store_code']})")
        elif dim == "product":
            parts.append(f"{row['product']} ({row['sku']})")
        elif dim == "state" and catalog is not None and row[dim] is not None:
            parts.append(catalog_regions(catalog).display(str(row[dim])))  # "Ontario (ON)"
        else:
            parts.append(label_of(dim, row[dim]))
    return ", ".join(parts)


def _filter_text(filters: Filters, catalog: Catalog | None) -> list[str]:
    out = []
    for name, values in filters.items():
        if name == "store" and catalog is not None:
            shown = [f"{s.name} ({s.code})" if (s := catalog.store(v)) else v for v in values]
        elif name == "product" and catalog is not None:
            shown = [f"{p.name} ({p.sku})" if (p := catalog.product(v)) else v for v in values]
        elif name == "state" and catalog is not None:
            shown = [catalog_regions(catalog).display(v) for v in values]  # "Ontario (ON)"
        elif name == "weekday":
            shown = [WEEKDAY_NAMES.get(int(v), v) for v in values]
        elif name in ("category", "lens_type"):
            shown = [label_of(name, v) for v in values]
        elif name == "keyword":
            shown = [f'"{v}" in the product name' for v in values]
        else:
            shown = list(values)
        label = {"product": "product", "keyword": "product name", "age_band": "age band"}.get(name, name)
        label = _label(name, catalog) if name == "state" else label
        out.append(f"{label.replace('_', ' ')}: {_join(shown) if name != 'keyword' else _join(shown)}")
    return out


def _label(dim: str, catalog: Catalog | None, plural: bool = False) -> str:
    """How a dimension reads for this tenant: the state-level one in the tenant's own country's word ("province")."""
    if dim == "state" and catalog is not None and catalog.states:
        return catalog_regions(catalog).word()[1 if plural else 0]
    return DIMENSIONS[dim].plural if plural else DIMENSIONS[dim].label


def interpretation(spec: QuerySpec, catalog: Catalog | None = None) -> str:
    """One line: measure · breakdown · filters · period · ranking · comparison · share."""
    parts = [measure_info(spec).label]
    if spec.average_over is not None:
        parts.append(f"the mean of the {spec.average_over} totals, over the {spec.average_over}s with sales")
    if spec.dimensions:
        parts.append("by " + ", ".join(_label(d, catalog) for d in spec.dimensions))
    parts += _filter_text(spec.filters, catalog)
    parts += [f"excluding {t}" for t in _filter_text(spec.exclude, catalog)]
    if spec.time_range is not None:
        parts.append(f"period: {spec.time_range.label or spec.time_range.phrase}")
    elif spec.family == "sales":
        parts.append("period: all recorded sales")
    if spec.ranking is not None:
        order = "highest first" if spec.ranking.direction == "desc" else "lowest first"
        by = {"measure": "", "change": " by change", "change_pct": " by % change"}[spec.ranking.by]
        each = f" in each {_label(spec.dimensions[0], catalog)}" if spec.ranking.per_group and spec.dimensions else ""
        parts.append(f"{order}{by}" + (f", top {spec.ranking.limit}{each}" if spec.ranking.limit else ""))
    if spec.comparison is not None and spec.comparison.time_range is None:
        parts.append(f"each {_label(spec.dimensions[-1], catalog)} compared with the one before")
    elif spec.comparison is not None and spec.comparison.time_range is not None:
        how = {"year_over_year": "year over year", "previous_period": "previous period", "explicit": "named period"}
        parts.append(f"compared with {(spec.comparison.time_range.label or '').removeprefix('from ')} "
                     f"({how[spec.comparison.kind]})")
        current, other = spec.time_range, spec.comparison.time_range
        if current is not None and current.partial and other.partial:
            # "this quarter vs the same days of last quarter": like for like, said so (with how to get all of it)
            days = (current.end - current.start).days
            name = (current.label or current.phrase).removesuffix(" to date")
            parts.append(f"{name} is not over, so both sides cover their first {days} days, not the whole earlier "
                         "period (name its dates to compare with all of it)")
        elif current is not None and current.partial and other.end <= current.start:
            # "this quarter vs last quarter" mid-quarter: the named earlier period whole, and the current one so far
            days, whole = (current.end - current.start).days, (other.end - other.start).days
            name = (current.label or current.phrase).removesuffix(" to date")
            parts.append(f"{name} is not over: its first {days} days are compared with all {whole} days of "
                         f"{_period_name(other)} (ask for \"the same days of {_period_name(other)}\" to compare like "
                         "for like)")
    if spec.share_of_total:
        part = _filter_text(spec.part, catalog)
        whole = _filter_text(spec.filters, catalog)
        if part and spec.dimensions:  # the part within each group's whole: "share of category: sunglasses within
            # each province's total"
            parts.append(f"share of {'; '.join(part)} within each {_label(spec.dimensions[-1], catalog)}'s total"
                         + (f" for {'; '.join(whole)}" if whole else ""))
        elif part:  # the whole keeps the filters that are not the part's: "brand: Oakley within category: sunglasses"
            parts.append(f"share of {'; '.join(part)} within "
                         + (f"the total for {'; '.join(whole)}" if whole else "the total"))
        else:
            parts.append("share of the total per group" + (f" within {'; '.join(whole)}" if whole else ""))
    return "Interpretation: " + " · ".join(parts)


def _period_name(period: TimeRange) -> str:
    return (period.label or period.phrase).removeprefix("from ")


def _scope(spec: QuerySpec, catalog: Catalog | None) -> str:
    bits = _filter_text(spec.filters, catalog) + [f"excluding {t}" for t in _filter_text(spec.exclude, catalog)]
    return f" ({'; '.join(bits)})" if bits else ""


def _when(spec: QuerySpec) -> str:
    if spec.time_range is not None:
        return " " + spec.time_range.phrase
    return " over all recorded sales" if spec.family == "sales" else ""


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def sentence(spec: QuerySpec, columns: Sequence[str], rows: Sequence[Sequence[Any]], catalog: Catalog | None = None,
             *, truncated: bool = False) -> str:
    """The answer in words, from the spec's parts and the rows (every number comes from the rows)."""
    info = measure_info(spec)
    m = spec.measure
    data = [dict(zip(columns, r, strict=True)) for r in rows]
    scope, when = _scope(spec, catalog), _when(spec)
    currency = tenant_currency(catalog) if catalog is not None else DEFAULT_CURRENCY

    def fmt(value: Any, *, signed: bool = False, kind: str | None = None) -> str:
        return format_value(kind or info.kind, value, signed=signed, currency=currency)

    if not data:
        return f"No data matched: {info.label}{scope}{when}."
    if spec.comparison is not None and spec.comparison.time_range is not None and not spec.dimensions:
        row = data[0]
        prev = spec.comparison.time_range
        cur, before = row[m], row[f"previous_{m}"]
        text = (f"{_cap(info.label)}{scope}: {fmt(cur)} {spec.time_range.phrase if spec.time_range else ''} vs "
                f"{fmt(before)} {prev.phrase}")
        if row["change"] is None:
            return text + "."
        pct = f" ({fmt(row['change_pct'], signed=True, kind='pct')})" if row["change_pct"] is not None else ""
        return text + f", a change of {fmt(row['change'], signed=True)}{pct}."
    if spec.share_of_total and not spec.dimensions:
        row = data[0]
        part = "; ".join(_filter_text(spec.part, catalog))
        whole = "; ".join(_filter_text(spec.filters, catalog) + [f"excluding {t}" for t in _filter_text(
            spec.exclude, catalog)])
        within = f" within the total for {whole}" if whole else " of the total"
        return (f"{_cap(part)}: {fmt(row[m])} of {fmt(row[f'total_{m}'])} {info.label}{within}{when}, a share of "
                f"{fmt(row['share_pct'], kind='pct')}.")
    if not spec.dimensions and spec.average_over is not None:
        if not data[0]["units_averaged"]:
            return f"No data matched: {MEASURES[m].label}{scope}{when}."
        return (f"{_cap(info.label)}{scope}{when}: {fmt(data[0][m])} (the mean of "
                f"{_averaged_units(spec, data[0]['units_averaged'])}).")
    if not spec.dimensions:
        return f"{_cap(info.label)}{scope}{when}: {fmt(data[0][m])}."
    dim_words = ", ".join(_label(d, catalog) for d in spec.dimensions)
    plural = _label(spec.dimensions[-1], catalog, plural=True)

    def item(row: Mapping[str, Any], dims: Sequence[str] | None = None) -> str:
        extra = []
        if spec.comparison is not None:
            pct = f", {fmt(row['change_pct'], signed=True, kind='pct')}" if row.get("change_pct") is not None else ""
            extra.append(f"vs {fmt(row[f'previous_{m}'])}, {fmt(row['change'], signed=True)}{pct}")
        if spec.share_of_total and f"total_{m}" in row:  # the part within this group's whole
            return (f"{_row_label(spec, row, catalog, dims)}: {fmt(row[m])} of {fmt(row[f'total_{m}'])} "
                    f"({fmt(row['share_pct'], kind='pct')})")
        if spec.share_of_total:
            extra.append(f"{fmt(row['share_pct'], kind='pct')} of the total")
        if spec.average_over is not None:
            extra.append(f"the mean of {_averaged_units(spec, row['units_averaged'])}")
        return f"{_row_label(spec, row, catalog, dims)}: {fmt(row[m])}" + (f" ({'; '.join(extra)})" if extra else "")

    compared = ""
    if spec.comparison is not None and spec.comparison.time_range is not None:
        compared = f" ({spec.time_range.label if spec.time_range else ''} vs {spec.comparison.time_range.label})"
    elif spec.comparison is not None:
        compared = f" (each {_label(spec.dimensions[-1], catalog)} vs the one before)"
    if spec.ranking is not None:
        what = {"measure": info.label, "change": f"change in {info.label}",
                "change_pct": f"% change in {info.label}"}[spec.ranking.by]
        word = "highest" if spec.ranking.direction == "desc" else "lowest"
        if spec.ranking.per_group:  # the top N inside each group of the first dimension, group by group
            first, rest = spec.dimensions[:1], spec.dimensions[1:]
            groups: dict[str, list[Mapping[str, Any]]] = {}
            for row in data:
                groups.setdefault(_row_label(spec, row, catalog, first), []).append(row)
            shown_groups = list(groups.items())[:8]
            listed = " | ".join(f"{g}: " + "; ".join(f"{i}. {item(r, rest)}" for i, r in enumerate(rows, 1))
                                for g, rows in shown_groups)
            more = f" (and {len(groups) - 8} more {_label(first[0], catalog, plural=True)}: see the table)" \
                if len(groups) > 8 else ""
            rest_words = ", ".join(_label(d, catalog, plural=spec.ranking.limit != 1) for d in rest)
            top = "The" if spec.ranking.limit == 1 else f"The {spec.ranking.limit}"
            return (f"{top} {rest_words} with the {word} {what} in each {_label(first[0], catalog)}{scope}{when}"
                    f"{compared}: {listed}{more}.")
        if spec.ranking.limit == 1 or len(data) == 1:
            return f"The {_label(spec.dimensions[0], catalog) if len(spec.dimensions) == 1 else dim_words} with " \
                   f"the {word} {what}{scope}{when}{compared} was {item(data[0])}."
        listed = "; ".join(f"{i}. {item(r)}" for i, r in enumerate(data[:10], 1))
        more = f" (and {len(data) - 10} more)" if len(data) > 10 else ""
        return f"{_cap(plural)} with the {word} {what}{scope}{when}{compared}: {listed}{more}."
    shown = data[:12]
    listed = "; ".join(item(r) for r in shown)
    more = f"; and {len(data) - len(shown)} more (see the table)" if len(data) > len(shown) else ""
    cap = " The row cap was reached; the list may be incomplete." if truncated else ""
    if spec.share_of_total and not spec.part.is_empty():
        part = "; ".join(_filter_text(spec.part, catalog))
        return (f"Share of {part} in each {_label(spec.dimensions[-1], catalog)}'s {info.label}{scope}{when}: "
                f"{listed}{more}.{cap}")
    return f"{_cap(info.label)} by {dim_words}{scope}{when}{compared}: {listed}{more}.{cap}"


def table(spec: QuerySpec | None, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
          currency: Currency = DEFAULT_CURRENCY) -> str:
    """A Markdown table of the rows (at most 25 shown); values formatted by the spec's number kinds, money in
    `currency`."""
    if not columns:
        return ""
    head = [c.replace("_", " ") for c in columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    for row in rows[:TABLE_ROWS_SHOWN]:
        cells = []
        for column, value in zip(columns, row, strict=True):
            kind = _column_kind(column, spec) if spec is not None else "label"
            if kind == "label":
                text = label_of(column, value) if column not in _KEY_COLUMNS else str(value)
                if spec is None and isinstance(value, Decimal):
                    text = f"{value:,.2f}"
            else:
                text = format_value(kind, value, currency=currency)
            cells.append(text.replace("|", "\\|").replace("\n", " "))
        lines.append("| " + " | ".join(cells) + " |")
    if len(rows) > TABLE_ROWS_SHOWN:
        lines.append(f"\n… and {len(rows) - TABLE_ROWS_SHOWN} more rows.")
    return "\n".join(lines)


def unresolved_message(items: Sequence[Any], catalog: Catalog) -> str:
    """Names the catalog does not have: say which, list the caller's own stores when useful; no query ran."""
    parts = []
    for u in items:
        if u.kind == "ambiguous":
            options = [f"{s.name} ({s.code})" if (s := catalog.store(c)) else c for c in u.options]
            parts.append(f'"{u.text}" matches several of your stores: {_join(options)}. Which one do you mean?')
        elif u.kind == "store_or_model" and len(u.options) == 2:
            store = catalog.store(u.options[0])
            where = f"{store.name} ({store.code})" if store else u.options[0]
            models = sorted(p.name for p in catalog.products if u.options[1] in p.name.lower())
            parts.append(f'"{u.text}" is both your store {where} and a product model ({_join(models)}). Do you mean '
                         f'sales at the store ("at {u.text}") or of the model ("{u.text} models")?')
        elif u.kind == "ambiguous_state":
            regions = catalog_regions(catalog)
            options = [regions.display(v) for v in u.options]
            parts.append(f'"{u.text}" could mean more than one of your {regions.word()[1]}: {_join(options, "or")}. '
                         "Which one do you mean?")
        elif u.kind == "city_or_state" and len(u.options) == 2:
            regions = catalog_regions(catalog)
            word, state = regions.word()[0], regions.display(u.options[1])
            parts.append(f'"{u.text}" is both your city {u.options[0]} and your {word} {state}. '
                         f'Do you mean the city ("{u.text} city") or the whole {word} ("the {word} of {u.text}")?')
        elif u.kind == "region_group":
            regions = catalog_regions(catalog)
            options = [regions.display(v) for v in u.options]
            parts.append(f'"{u.text}" covers several of your {regions.word()[1]} ({_join(options)}): set beside other '
                         f'places it would be shown {regions.word()[0]} by {regions.word()[0]}, not as one total. Ask '
                         f'about "{u.text}" on its own for its total.')
        elif u.kind == "smaller_region" and u.options:
            regions = catalog_regions(catalog)
            parts.append(f'"{u.text}" is a smaller area than your {regions.word()[1]}, and your data records only the '
                         f'{regions.word()[0]} and the city of each store. Ask about the city ("{u.options[0]}") or '
                         f'the whole {regions.word()[0]}.')
        elif u.kind == "ambiguous_city":
            parts.append(f'"{u.text}" could mean more than one of your cities: {_join(list(u.options), "or")}. '
                         "Which one do you mean?")
        elif u.kind == "store":
            parts.append(f'No store matching "{u.text}" was found among your stores.')
        elif u.kind == "city" and u.options:
            # the chain's own region codes that no subdivision places ("GY" of shops in Győr and Sopron): "none of
            # your stores is there" could be false
            parts.append(f'I cannot tell which of your stores are in "{u.text}": your data records some regions as '
                         f'codes of your own ({_join(list(u.options))}) that I cannot place on the map. Ask by city or '
                         'store.')
        elif u.kind == "city":
            parts.append(f'None of your stores is in "{u.text}".')
        elif u.kind == "code":
            parts.append(f'No store code or SKU "{u.text}" exists in your data.')
        else:
            parts.append(f'"{u.text}" is not one of your stores, products, brands or cities.')
    text = " ".join(parts)
    if any(u.kind in ("store", "city") for u in items) and 0 < len(catalog.stores) <= 10:
        text += " Your stores are: " + "; ".join(f"{s.name} ({s.code}, {s.city})" for s in catalog.stores) + "."
    return text + " I did not run a query."
