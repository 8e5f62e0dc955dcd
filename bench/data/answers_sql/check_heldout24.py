"""Independent check of the SQL held-out set 24: every labelled value is derived again from the CSV files.

python bench/data/answers_sql/check_heldout24.py [-v]

Contract: for each case of heldout24.jsonl that carries a `calc` label, this script works the answer out of the
tenant's five CSV files with its own pandas code (one wide table per fact: sale lines with money columns, shelf lines,
patient cards; sums of those columns per group through `groupby(...).agg`, ratios made from the sums), without the
SQL tool and without `bench.bench_answers`'s helpers; it then asks `bench.bench_answers.expected_sql` for the bench's
answer and compares the two, result kind by result kind (tied values at a ranking's cut may come in either order).
First the labels themselves are checked: ids `h24-NNN`, each used once; the tenant is registered; a refusal
(`expect: refuse`) has no calc and any other case has one; a follow-up has its earlier turns; the measure is one the
bench knows; every filter, exclusion and part value is present in the tenant's data (a keyword in some product name);
stock, patient and catalogue measures carry neither a period nor a time breakdown; periods are two ISO dates in
order; `within` is the first of exactly two dimensions; a first-turn question is not worded like one of another
case file in this folder. Prints one LABEL or DISAGREE line per problem and a summary; returns 1 when anything was
found, else 0. `main(path=...)` checks another file.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd

FOLDER = Path(__file__).resolve().parent
sys.path.insert(0, str(FOLDER.parents[2]))

import bench.bench_answers as bench  # noqa: E402

SET_FILE = FOLDER / "heldout24.jsonl"
ID_PREFIX = "h24-"
CLOCK_DIMS = ("day", "week", "month", "quarter", "year", "weekday")
SALE_MEASURES = frozenset({
    "units", "revenue", "gross_revenue", "discount_total", "discount_rate", "order_lines", "orders",
    "distinct_products", "distinct_brands", "distinct_stores", "avg_selling_price", "avg_order_value",
    "units_per_order", "discounted_orders", "discounted_order_rate", "avg_discount_per_order"})
SHELF_MEASURES = frozenset({"stock_on_hand", "stock_value", "items_below_reorder", "items_at_reorder",
                            "items_at_or_below_reorder", "items_out_of_stock", "stock_lines"})
LIST_MEASURES = frozenset({"patients", "store_count", "product_count", "brand_count"})
COLUMN_OF = {"store": "store_code", "product": "sku"}


def _period_key(dim: str, day: date) -> Any:
    """How the bench names the bucket of a day in a time dimension."""
    if dim == "day":
        return day.isoformat()
    if dim == "week":
        return (day - timedelta(days=day.weekday())).isoformat()
    if dim == "month":
        return day.strftime("%Y-%m")
    if dim == "quarter":
        return f"{day.year}-Q{1 + (day.month - 1) // 3}"
    if dim == "year":
        return day.year
    return day.isoweekday()


class Tenant:
    """The CSV tables of one tenant, joined into one wide table per fact."""

    def __init__(self, slug: str) -> None:
        read = {t: pd.read_csv(bench.SQL_DATA / slug / f"{t}.csv", dtype=str, keep_default_na=False)
                for t in bench.TABLES}
        self.stores, self.products = read["stores"], read["products"]
        catalog = self.products.rename(columns={"unit_price": "list_price", "name": "name"})
        places = self.stores.rename(columns={"name": "store_name"})
        sales = read["sales"].merge(catalog, how="left", on="sku").merge(places, how="left", on="store_code")
        sales["qty"] = pd.to_numeric(sales["quantity"])
        sales["gross"] = sales["qty"] * pd.to_numeric(sales["unit_price"])
        sales["off"] = pd.to_numeric(sales["discount"])
        sales["net"] = sales["gross"] - sales["off"]
        sales["on"] = [date.fromisoformat(v) for v in sales["sold_at"]]
        for dim in CLOCK_DIMS:
            sales[dim] = [_period_key(dim, d) for d in sales["on"]]
        self.sales = sales
        shelf = read["stock"].merge(catalog, how="left", on="sku").merge(places, how="left", on="store_code")
        shelf["count"] = pd.to_numeric(shelf["on_hand"])
        shelf["floor"] = pd.to_numeric(shelf["reorder_point"])
        shelf["value"] = shelf["count"] * pd.to_numeric(shelf["list_price"])
        self.shelf = shelf
        cards = read["patients"].copy()
        ages = []
        for born, seen in zip(cards["date_of_birth"], cards["last_exam_date"], strict=True):
            b, s = date.fromisoformat(born), date.fromisoformat(seen)
            ages.append(s.year - b.year - (1 if (s.month, s.day) < (b.month, b.day) else 0))
        cards["age_band"] = ["90+" if a >= 90 else f"{10 * (a // 10)}-{10 * (a // 10) + 9}" for a in ages]
        self.cards = cards

    def table_for(self, measure: str) -> pd.DataFrame:
        if measure in SHELF_MEASURES:
            return self.shelf
        return {"patients": self.cards, "store_count": self.stores, "product_count": self.products,
                "brand_count": self.products}.get(measure, self.sales)

    def has_value(self, dim: str, value: Any) -> bool:
        if dim == "keyword":
            return any(str(value).lower() in name.lower() for name in self.products["name"])
        if dim == "weekday":
            return int(value) in range(1, 8)
        column = COLUMN_OF.get(dim, dim)
        return any(column in t.columns and str(value) in set(t[column])
                   for t in (self.stores, self.products, self.sales, self.shelf, self.cards))


def compute(rows: pd.DataFrame, measure: str) -> Any:
    """One measure over the rows of its own table."""
    if measure in SHELF_MEASURES:
        have, floor = rows["count"], rows["floor"]
        return {"stock_on_hand": lambda: int(have.sum()), "stock_value": lambda: float(rows["value"].sum()),
                "stock_lines": lambda: len(rows), "items_below_reorder": lambda: int((have < floor).sum()),
                "items_at_reorder": lambda: int((have == floor).sum()),
                "items_at_or_below_reorder": lambda: int((have <= floor).sum()),
                "items_out_of_stock": lambda: int((have == 0).sum())}[measure]()
    if measure == "brand_count":
        return rows["brand"].nunique()
    if measure in LIST_MEASURES:
        return len(rows)
    money = rows[["qty", "gross", "off", "net"]].sum()
    bills = rows["order_id"].nunique()
    cut_bills = rows.loc[rows["off"] > 0, "order_id"].nunique()

    def ratio(top: float, bottom: float) -> float | None:
        return top / bottom if bottom else None

    table = {
        "units": lambda: money["qty"], "revenue": lambda: money["net"], "gross_revenue": lambda: money["gross"],
        "discount_total": lambda: money["off"], "order_lines": lambda: len(rows), "orders": lambda: bills,
        "distinct_products": lambda: rows["sku"].nunique(), "distinct_brands": lambda: rows["brand"].nunique(),
        "distinct_stores": lambda: rows["store_code"].nunique(), "discounted_orders": lambda: cut_bills,
        "discount_rate": lambda: ratio(100 * money["off"], money["gross"]),
        "avg_selling_price": lambda: ratio(money["net"], money["qty"]),
        "avg_order_value": lambda: ratio(money["net"], bills),
        "units_per_order": lambda: ratio(money["qty"], bills),
        "discounted_order_rate": lambda: ratio(100 * cut_bills, bills),
        "avg_discount_per_order": lambda: ratio(money["off"], bills)}
    return table[measure]()


def keep_matching(rows: pd.DataFrame, filters: dict[str, list[Any]] | None) -> pd.DataFrame:
    mask = pd.Series(True, index=rows.index)
    for dim, wanted in (filters or {}).items():
        if dim == "keyword":
            low = rows["name"].str.lower()
            mask &= low.map(lambda n, w=wanted: any(str(v).lower() in n for v in w))
        elif dim == "weekday":
            mask &= rows["weekday"].isin({int(v) for v in wanted})
        else:
            mask &= rows[COLUMN_OF.get(dim, dim)].isin(set(wanted))
    return rows.loc[mask]


def in_span(rows: pd.DataFrame, span: list[str] | None) -> pd.DataFrame:
    if not span or "on" not in rows.columns:
        return rows
    lo, hi = (date.fromisoformat(x) for x in span)
    return rows.loc[rows["on"].map(lambda d: lo <= d <= hi)]


def by_groups(rows: pd.DataFrame, dims: list[str], measure: str) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    if not len(rows):
        return result
    for key, part in rows.groupby([COLUMN_OF.get(d, d) for d in dims], sort=True):
        parts = key if isinstance(key, tuple) else (key,)
        parts = tuple(int(p) if d in ("year", "weekday") else p for d, p in zip(dims, parts, strict=True))
        result[parts if len(dims) > 1 else parts[0]] = compute(part, measure)
    return result


def percent(piece: Any, whole: Any) -> float | None:
    return 100 * piece / whole if whole else None


def rework(calc: dict[str, Any], tenant: Tenant) -> dict[str, Any]:
    """The answer of one label, worked out here."""
    measure, dims = calc["m"], list(calc.get("by", []))
    rows = keep_matching(tenant.table_for(measure), calc.get("f"))
    if calc.get("x"):
        rows = rows.drop(index=keep_matching(rows, calc["x"]).index)
    span_then = calc.get("cmp")
    if span_then:
        halves = [in_span(rows, span) for span in (calc.get("p"), span_then)]
        if not dims:
            current, previous = (compute(h, measure) for h in halves)
            return {"kind": "cmp", "current": current, "previous": previous}
        this, last = (by_groups(h, dims, measure) for h in halves)
        if not calc.get("rank"):
            return {"kind": "cmp_by", "current": this}
        moves = {k: (this.get(k) or 0) - (last.get(k) or 0) for k in set(this) | set(last)}
        return {"kind": "rank", "shown": {k: this.get(k, 0) for k in moves}, "key": moves,
                "direction": calc["rank"][0], "size": calc["rank"][1]}
    rows = in_span(rows, calc.get("p"))
    if calc.get("avg"):
        units = by_groups(rows, [*dims, calc["avg"]], measure)
        series = pd.Series({(k if isinstance(k, tuple) else (k,)): (v or 0) for k, v in units.items()}, dtype=float)
        if not dims:
            return {"kind": "scalar", "value": float(series.mean()) if len(series) else None}
        means = series.groupby(level=list(range(len(dims)))).mean()
        return {"kind": "by", "groups": {(k if len(dims) > 1 else (k[0] if isinstance(k, tuple) else k)): v
                                         for k, v in means.items()}}
    if calc.get("part") is not None:
        part_rows = keep_matching(rows, calc["part"])
        return {"kind": "share", "share": percent(compute(part_rows, measure), compute(rows, measure))}
    groups = by_groups(rows, dims, measure) if dims else {}
    if not dims or calc.get("share_by"):
        whole = sum(v for v in groups.values() if v is not None)
        return ({"kind": "share_by", "groups": {k: percent(v, whole) for k, v in groups.items()}} if dims
                else {"kind": "scalar", "value": compute(rows, measure)})
    if not calc.get("rank"):
        return {"kind": "by", "groups": groups}
    direction, size = calc["rank"]
    if calc.get("within"):
        return {"kind": "rank_per", "groups": groups, "direction": direction, "size": size}
    if direction == "asc" and dims in (["store"], ["product"]):  # the asked scope's rows with nothing are zeros
        scope = ("store", "city", "state") if dims == ["store"] else ("category", "brand", "product", "keyword")
        pool = tenant.stores if dims == ["store"] else tenant.products
        narrowed = keep_matching(pool, {k: v for k, v in (calc.get("f") or {}).items() if k in scope})
        for key in narrowed[COLUMN_OF[dims[0]]]:
            groups.setdefault(key, 0)
    return {"kind": "rank", "shown": groups, "key": groups, "direction": direction, "size": size}


def same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)), abs(float(b)))


def allowed(values: dict[Any, Any], direction: str, size: int) -> tuple[set[Any], Any]:
    """Keys that must be in a top/bottom `size`, and the value at the cut (ties there may go either way)."""
    ordered = sorted((v for v in values.values() if v is not None), reverse=direction == "desc")
    if not ordered:
        return set(), None
    edge = ordered[min(size, len(ordered)) - 1]
    beyond = (lambda v: v > edge) if direction == "desc" else (lambda v: v < edge)
    return {k for k, v in values.items() if v is not None and beyond(v)}, edge


def ranking_gap(rows: list[tuple[Any, Any]], shown: dict[Any, Any], key: dict[Any, Any], direction: str,
                size: int) -> str:
    """'' when `rows` (the bench's ranked keys and values) are a right top/bottom `size` of `key`, showing `shown`."""
    if len(rows) != min(size, len(key)):
        return f"{len(rows)} rows in the ranking"
    must, edge = allowed(key, direction, size)
    order = [key.get(k) for k, _ in rows if key.get(k) is not None]
    if any((a < b) if direction == "desc" else (a > b) for a, b in pairwise(order)):
        return f"not in {direction} order: {[k for k, _ in rows]}"
    wrong = [f"{k}={v} (here {shown.get(k)})" for k, v in rows if not same(v, shown.get(k, 0))]
    outside = [str(k) for k, _ in rows if k not in must and not same(key.get(k), edge)]
    absent = [str(k) for k in must - {k for k, _ in rows}]
    return "; ".join(part for part in (", ".join(wrong), " ".join(f"{k} outside" for k in outside),
                                       " ".join(f"{k} missing" for k in absent)) if part)


def differences(mine: dict[str, Any], theirs: dict[str, Any]) -> str:
    """An empty string when the bench's answer equals the one worked out here, else what differs."""
    if mine["kind"] != theirs["kind"]:
        return f"kind {theirs['kind']} (bench) vs {mine['kind']}"
    kind = mine["kind"]
    if kind == "scalar":
        return "" if same(mine["value"], theirs["value"]) else f"{theirs['value']} (bench) vs {mine['value']}"
    if kind == "share":
        return "" if same(mine["share"], theirs["share"]) else f"share {theirs['share']} vs {mine['share']}"
    if kind == "cmp":
        pairs = [(mine[k], theirs[k]) for k in ("current", "previous")]
        return "" if all(same(a, b) for a, b in pairs) else f"comparison {pairs}"
    if kind in ("by", "share_by", "cmp_by"):
        field = "current" if kind == "cmp_by" else "groups"
        a, b = mine[field], theirs[field]
        off = sorted(str(k) for k in set(a) | set(b) if not same(a.get(k) or 0, b.get(k) or 0))
        return f"groups {off[:3]} differ" if off else ""
    if kind == "rank":
        return ranking_gap(theirs["top"], mine["shown"], mine["key"], mine["direction"], mine["size"])
    if kind == "rank_per":
        heads: dict[Any, dict[Any, Any]] = defaultdict(dict)
        for key, value in mine["groups"].items():
            heads[key[0]][key] = value
        if set(heads) != set(theirs["top"]):
            return "the groups ranked differ"
        gaps = {head: ranking_gap(theirs["top"][head], members, members, mine["direction"], mine["size"])
                for head, members in heads.items()}
        return "; ".join(f"{head}: {gap}" for head, gap in gaps.items() if gap)
    return f"kind {kind} unknown here"


def words_of(text: str) -> str:
    """A question reduced to its lower-case words: wordings differing only in case or punctuation are one."""
    return " ".join(re.findall(r"\w+", text.lower()))


def _ordered_span(span: Any) -> bool:
    try:
        return len(span) == 2 and date.fromisoformat(span[0]) <= date.fromisoformat(span[1])
    except (TypeError, ValueError):
        return False


def _calc_problems(calc: dict[str, Any], tenant: Tenant | None) -> list[str]:
    """What is wrong with an answer label (empty when nothing is)."""
    measure, dims = calc.get("m"), list(calc.get("by", []))
    if measure not in SALE_MEASURES | SHELF_MEASURES | LIST_MEASURES:
        return [f"unknown measure {measure!r}"]
    missing = [f"{slot} {dim}={v!r}: not in the data" for slot in ("f", "x", "part")
               for dim, values in (calc.get(slot) or {}).items() for v in values
               if tenant is not None and not tenant.has_value(dim, v)]
    timeless = measure not in SALE_MEASURES
    clock = [f"time breakdown {d} on {measure}" for d in dims if timeless and d in CLOCK_DIMS]
    dated = [f"a period on {measure}"] if timeless and (calc.get("p") or calc.get("cmp")) else []
    spans = [f"{slot} {calc[slot]} is not two ordered ISO dates" for slot in ("p", "cmp")
             if calc.get(slot) is not None and not _ordered_span(calc[slot])]
    nested = ([f"within {calc['within']} is not the first of two dimensions {dims}"]
              if calc.get("within") and dims[:1] != [calc["within"]] or calc.get("within") and len(dims) != 2 else [])
    return missing + clock + dated + spans + nested


def check_label(case: dict[str, Any], tenant: Tenant | None, elsewhere: set[str]) -> list[str]:
    ident = str(case.get("id", ""))
    shape_ok = ident.startswith(ID_PREFIX) and ident[len(ID_PREFIX):].isdigit()
    head = [] if shape_ok else [f"id {case.get('id')!r} is not {ID_PREFIX}NNN"]
    if case.get("tenant") not in bench.TENANTS:
        return [*head, f"tenant {case.get('tenant')!r} is not registered"]
    rules = ((case.get("shape") == "follow_up" and not case.get("context"), "a follow-up without earlier turns"),
             (not case.get("context") and words_of(case.get("question", "")) in elsewhere,
              "the question repeats one of another case file"))
    head += [text for broken, text in rules if broken]
    if case.get("expect") == "refuse":
        return head + ["a refusal with a calc label"] * ("calc" in case)
    if not case.get("calc"):
        return [*head, "an answer case without a calc label"]
    return head + _calc_problems(case["calc"], tenant)


def main(path: Path = SET_FILE, verbose: bool = False) -> int:
    target = Path(path).resolve()
    cases = [json.loads(x) for x in target.read_text(encoding="utf-8").splitlines() if x.strip()]
    elsewhere = {words_of(json.loads(x).get("question", ""))
                 for other in sorted(FOLDER.glob("*.jsonl"))
                 if other.resolve() != target and other.name.startswith(("cases", "heldout"))
                 for x in other.read_text(encoding="utf-8").splitlines() if x.strip()}
    counts = Counter(str(case.get("id")) for case in cases)
    report = [f"LABEL {i}: id used twice" for i in sorted(i for i, n in counts.items() if n > 1)]
    slugs = sorted({case.get("tenant") for case in cases} & set(bench.TENANTS))
    tenants = {slug: Tenant(slug) for slug in slugs}
    frames = {slug: bench.load_frames(slug) for slug in slugs}
    recomputed = 0
    for case in cases:
        label = check_label(case, tenants.get(case.get("tenant")), elsewhere)
        report.extend(f"LABEL {case.get('id')}: {text}" for text in label)
        if label or case.get("expect") == "refuse" or "calc" not in case:
            continue
        recomputed += 1
        slug = case["tenant"]
        gap = differences(rework(case["calc"], tenants[slug]), bench.expected_sql(case["calc"], frames[slug]))
        report.extend([f"DISAGREE {case['id']} ({slug}): {gap}"] if gap else [])
        if verbose and not gap:
            print(f"ok {case['id']}")
    print("\n".join(report + [f"{len(cases)} cases, {recomputed} values recomputed, {len(report)} problems"]))
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main(verbose="-v" in sys.argv[1:]))
