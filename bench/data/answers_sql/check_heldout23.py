"""Independent check of the SQL held-out set 23: each labelled value is worked out again from the CSV files.

python bench/data/answers_sql/check_heldout23.py [-v]

Contract: for every case of heldout23.jsonl with a `calc` label, this file computes the answer from the tenant's five
CSV files with its own pandas code (a fact table of sale lines with per-line money columns, `pivot_table`-style
sums per group, ratios formed from those sums), never through the SQL tool nor `bench.bench_answers`'s helpers;
then it calls `bench.bench_answers.expected_sql` and compares the two answers kind by kind (tied values in a ranking
may come in either order). Before that the labels themselves are checked: ids `h23-NNN` and unique, a registered
tenant, a refusal (`expect: refuse`) has no calc and every other case has one, a follow-up carries its earlier turns,
the measure is known, every filter value occurs in the tenant's data (a keyword in some product name), stock, patient
and catalogue measures have neither a period nor a time breakdown, a period is two ISO dates in order, `within` is
the first of exactly two dimensions, and a first-turn question does not repeat one of another case file here.
Prints one LABEL or DISAGREE line per problem and returns 1 if there is any, else 0; `main(path=...)` checks another
file.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

import bench.bench_answers as answers  # noqa: E402

CASES = HERE / "heldout23.jsonl"
PREFIX = "h23-"
TIME = {"day", "week", "month", "quarter", "year", "weekday"}
ON_LINES = {"units", "revenue", "gross_revenue", "discount_total", "discount_rate", "order_lines", "orders",
            "distinct_products", "distinct_brands", "distinct_stores", "avg_selling_price", "avg_order_value",
            "units_per_order", "discounted_orders", "discounted_order_rate", "avg_discount_per_order"}
ON_SHELF = {"stock_on_hand", "stock_value", "items_below_reorder", "items_at_reorder", "items_at_or_below_reorder",
            "items_out_of_stock", "stock_lines"}
ON_CARDS = {"patients", "store_count", "product_count", "brand_count"}
FIELD = {"store": "store_code", "product": "sku"}
# the bench's key of a day in each time dimension
CALENDAR: dict[str, Any] = {
    "day": date.isoformat, "month": lambda d: f"{d.year}-{d.month:02d}",
    "quarter": lambda d: f"{d.year}-Q{(d.month + 2) // 3}", "year": lambda d: d.year, "weekday": date.isoweekday,
    "week": lambda d: date.fromordinal(d.toordinal() - d.weekday()).isoformat()}


def _read(slug: str, table: str) -> pd.DataFrame:
    return pd.read_csv(answers.SQL_DATA / slug / f"{table}.csv", dtype=str, keep_default_na=False)


class Books:
    """One tenant's tables: sale lines, stock lines, patient cards, stores and products, with derived columns."""

    def __init__(self, slug: str) -> None:
        self.stores = _read(slug, "stores")
        self.products = _read(slug, "products")
        shops = self.stores.rename(columns={"name": "shop_name"})
        items = self.products.rename(columns={"unit_price": "list_price"})
        lines = _read(slug, "sales").merge(items, on="sku", how="left").merge(shops, on="store_code", how="left")
        lines["n"] = lines["quantity"].astype(int)
        lines["gross"] = lines["n"] * lines["unit_price"].astype(float)
        lines["cut"] = lines["discount"].astype(float)
        lines["net"] = lines["gross"] - lines["cut"]
        lines["when"] = lines["sold_at"].map(date.fromisoformat)
        for dim, label in CALENDAR.items():
            lines[dim] = lines["when"].map(label)
        self.lines = lines
        shelf = _read(slug, "stock").merge(items, on="sku", how="left").merge(shops, on="store_code", how="left")
        shelf["have"] = shelf["on_hand"].astype(int)
        shelf["minimum"] = shelf["reorder_point"].astype(int)
        shelf["worth"] = shelf["have"] * shelf["list_price"].astype(float)
        self.shelf = shelf
        cards = _read(slug, "patients")
        born = pd.to_datetime(cards["date_of_birth"])
        seen = pd.to_datetime(cards["last_exam_date"])
        early = (seen.dt.month * 100 + seen.dt.day) < (born.dt.month * 100 + born.dt.day)
        years = seen.dt.year - born.dt.year - early.astype(int)
        cards["age_band"] = years.map(lambda a: "90+" if a >= 90 else f"{a - a % 10}-{a - a % 10 + 9}")
        self.cards = cards

    def frame(self, measure: str) -> pd.DataFrame:
        if measure in ON_SHELF:
            return self.shelf
        if measure == "patients":
            return self.cards
        if measure == "store_count":
            return self.stores
        if measure in ("product_count", "brand_count"):
            return self.products
        return self.lines

    def holds(self, dim: str, value: Any) -> bool:
        if dim == "keyword":
            return self.products["name"].str.lower().str.contains(str(value).lower(), regex=False).any()
        if dim == "weekday":
            return str(value) in {str(d) for d in range(1, 8)}
        for table in (self.lines, self.shelf, self.cards, self.stores, self.products):
            column = FIELD.get(dim, dim)
            if column in table.columns and str(value) in set(table[column]):
                return True
        return False


def measure_of(rows: pd.DataFrame, m: str) -> Any:
    """One measure over a set of rows of the table the measure reads."""
    if m in ON_SHELF:
        tests = {"stock_on_hand": None, "stock_value": None, "items_below_reorder": rows["have"] < rows["minimum"],
                 "items_at_reorder": rows["have"] == rows["minimum"],
                 "items_at_or_below_reorder": rows["have"] <= rows["minimum"], "items_out_of_stock": rows["have"] == 0}
        if m == "stock_on_hand":
            return int(rows["have"].sum())
        if m == "stock_value":
            return float(rows["worth"].sum())
        if m == "stock_lines":
            return len(rows)
        return int(tests[m].sum())
    if m in ("patients", "store_count", "product_count"):
        return len(rows)
    if m == "brand_count":
        return rows["brand"].nunique()
    gross, cut, units = rows["gross"].sum(), rows["cut"].sum(), rows["n"].sum()
    net, tickets = gross - cut, rows["order_id"].nunique()
    marked = rows.loc[rows["cut"] > 0, "order_id"].nunique()
    per = {"units": units, "revenue": net, "gross_revenue": gross, "discount_total": cut, "order_lines": len(rows),
           "orders": tickets, "distinct_products": rows["sku"].nunique(), "distinct_brands": rows["brand"].nunique(),
           "distinct_stores": rows["store_code"].nunique(), "discounted_orders": marked}
    if m in per:
        return per[m]
    ratio = {"discount_rate": (100 * cut, gross), "avg_selling_price": (net, units), "avg_order_value": (net, tickets),
             "units_per_order": (units, tickets), "discounted_order_rate": (100 * marked, tickets),
             "avg_discount_per_order": (cut, tickets)}[m]
    return ratio[0] / ratio[1] if ratio[1] else None


def narrow(rows: pd.DataFrame, filters: dict[str, list[Any]]) -> pd.DataFrame:
    keep = pd.Series(True, index=rows.index)
    for dim, values in (filters or {}).items():
        if dim == "keyword":
            keep &= rows["name"].str.contains("|".join(map(re.escape, values)), case=False, regex=True)
        elif dim == "weekday":
            keep &= rows["weekday"].isin([int(v) for v in values])
        else:
            keep &= rows[FIELD.get(dim, dim)].isin(values)
    return rows[keep]


def within(rows: pd.DataFrame, period: list[str] | None) -> pd.DataFrame:
    if not period or "when" not in rows.columns:
        return rows
    first, last = date.fromisoformat(period[0]), date.fromisoformat(period[1])
    return rows[(rows["when"] >= first) & (rows["when"] <= last)]


def per_group(rows: pd.DataFrame, dims: list[str], m: str) -> dict[Any, Any]:
    if rows.empty:
        return {}
    columns = [FIELD.get(d, d) for d in dims]
    out = {}
    for key, part in rows.groupby(columns, sort=False):
        key = tuple(int(k) if d in ("year", "weekday") else k for d, k in zip(dims, key, strict=True))
        out[key if len(dims) > 1 else key[0]] = measure_of(part, m)
    return out


def recompute(calc: dict[str, Any], books: Books) -> dict[str, Any]:
    m, dims = calc["m"], calc.get("by", [])
    rows = narrow(books.frame(m), calc.get("f", {}))
    if calc.get("x"):
        rows = rows[~rows.index.isin(narrow(rows, calc["x"]).index)]
    if calc.get("cmp"):
        now, then = within(rows, calc.get("p")), within(rows, calc["cmp"])
        if not dims:
            return {"kind": "cmp", "current": measure_of(now, m), "previous": measure_of(then, m)}
        a, b = per_group(now, dims, m), per_group(then, dims, m)
        if calc.get("rank"):
            delta = {k: (a.get(k) or 0) - (b.get(k) or 0) for k in a.keys() | b.keys()}
            return {"kind": "rank", "values": {k: a.get(k, 0) for k in delta}, "order": delta,
                    "dir": calc["rank"][0], "n": calc["rank"][1]}
        return {"kind": "cmp_by", "current": a}
    rows = within(rows, calc.get("p"))
    if calc.get("avg"):
        table = pd.Series(per_group(rows, [*dims, calc["avg"]], m), dtype=float).fillna(0)
        if not dims:
            return {"kind": "scalar", "value": table.mean() if len(table) else None}
        levels = list(range(len(dims)))
        return {"kind": "by", "groups": table.groupby(level=levels).mean().to_dict()}
    if calc.get("part") is not None:
        whole, piece = measure_of(rows, m), measure_of(narrow(rows, calc["part"]), m)
        return {"kind": "share", "share": 100 * piece / whole if whole else None}
    if not dims:
        return {"kind": "scalar", "value": measure_of(rows, m)}
    groups = per_group(rows, dims, m)
    if calc.get("share_by"):
        total = sum(v for v in groups.values() if v is not None)
        return {"kind": "share_by", "groups": {k: 100 * v / total for k, v in groups.items()}}
    if calc.get("rank"):
        direction, n = calc["rank"]
        if calc.get("within"):
            return {"kind": "rank_per", "groups": groups, "dir": direction, "n": n}
        if direction == "asc" and len(dims) == 1 and dims[0] in ("store", "product"):
            pool = narrow(books.stores if dims[0] == "store" else books.products,
                          {k: v for k, v in calc.get("f", {}).items()
                           if k in (("store", "city", "state") if dims[0] == "store"
                                    else ("category", "brand", "product", "keyword"))})
            for key in pool[FIELD[dims[0]]]:
                groups.setdefault(key, 0)
        return {"kind": "rank", "values": groups, "order": groups, "dir": direction, "n": n}
    return {"kind": "by", "groups": groups}


def near(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))


def _best(order: dict[Any, Any], direction: str, n: int) -> tuple[list[Any], Any]:
    """The keys a top/bottom n may hold (ties at the cut included) and the n-th value."""
    valued = sorted((v for v in order.values() if v is not None), reverse=direction == "desc")
    if not valued:
        return [], None
    cut = valued[min(n, len(valued)) - 1]
    inside = [k for k, v in order.items() if v is not None and (v > cut if direction == "desc" else v < cut)]
    return inside, cut


def agree(mine: dict[str, Any], bench: dict[str, Any]) -> str:
    """'' when the bench's answer is the one recomputed here, else what differs."""
    kind = mine["kind"]
    if bench["kind"] != kind:
        return f"kind {bench['kind']} vs {kind}"
    if kind == "scalar":
        return "" if near(mine["value"], bench["value"]) else f"{bench['value']} vs {mine['value']}"
    if kind == "cmp":
        same = near(mine["current"], bench["current"]) and near(mine["previous"], bench["previous"])
        return "" if same else f"{bench['current']}/{bench['previous']} vs {mine['current']}/{mine['previous']}"
    if kind == "share":
        return "" if near(mine["share"], bench["share"]) else f"{bench['share']} vs {mine['share']}"
    if kind in ("by", "share_by"):
        want, got = mine["groups"], bench["groups"]
        bad = [k for k in want.keys() | got.keys() if not near(want.get(k, 0) or 0, got.get(k, 0) or 0)]
        return f"groups differ: {sorted(map(str, bad))[:3]}" if bad else ""
    if kind == "cmp_by":
        bad = [k for k in mine["current"].keys() | bench["current"].keys()
               if not near(mine["current"].get(k, 0) or 0, bench["current"].get(k, 0) or 0)]
        return f"groups differ: {sorted(map(str, bad))[:3]}" if bad else ""
    if kind == "rank":
        top = bench["top"]
        if len(top) != min(mine["n"], len(mine["order"])):
            return f"{len(top)} ranked rows"
        inside, cut = _best(mine["order"], mine["dir"], mine["n"])
        keys = [k for k, _ in top]
        for k, v in top:
            if not near(v, mine["values"].get(k, 0)):
                return f"{k}: {v} vs {mine['values'].get(k)}"
            if k not in inside and not near(mine["order"].get(k), cut):
                return f"{k} is not in the {mine['dir']} {mine['n']}"
        missing = [k for k in inside if k not in keys]
        return f"missing {missing[:2]}" if missing else ""
    if kind == "rank_per":
        outer: dict[Any, dict[Any, Any]] = {}
        for key, value in mine["groups"].items():
            outer.setdefault(key[0], {})[key] = value
        if set(outer) != set(bench["top"]):
            return "groups of the ranking differ"
        for head, members in outer.items():
            inside, cut = _best(members, mine["dir"], mine["n"])
            got = bench["top"][head]
            if len(got) != min(mine["n"], len(members)):
                return f"{head}: {len(got)} rows"
            for k, v in got:
                if not near(v, members.get(k)) or (k not in inside and not near(v, cut)):
                    return f"{head}: {k}={v}"
        return ""
    return f"unknown kind {kind}"


def wording(question: str) -> str:
    """A question's words, lower case, without punctuation: two wordings that differ only in those are the same."""
    return " ".join(re.findall(r"\w+", question.lower()))


def label_problems(case: dict[str, Any], books: Books | None, seen_elsewhere: set[str]) -> list[str]:
    out = []
    if not str(case.get("id", "")).startswith(PREFIX) or not str(case["id"])[len(PREFIX):].isdigit():
        out.append(f"id {case.get('id')!r} is not {PREFIX}NNN")
    if case.get("tenant") not in answers.TENANTS:
        return [*out, f"tenant {case.get('tenant')!r} is not registered"]
    if case.get("shape") == "follow_up" and not case.get("context"):
        out.append("a follow-up without earlier turns")
    if not case.get("context") and wording(case.get("question", "")) in seen_elsewhere:
        out.append("the question repeats one of another case file")
    if case.get("expect") == "refuse":
        return [*out, "a refusal with a calc label"] if "calc" in case else out
    calc = case.get("calc")
    if not calc:
        return [*out, "an answer case without a calc label"]
    m = calc.get("m")
    if m not in ON_LINES | ON_SHELF | ON_CARDS:
        return [*out, f"unknown measure {m!r}"]
    for key in ("f", "x", "part"):
        for dim, values in (calc.get(key) or {}).items():
            out += [f"{key} {dim}={v!r}: not in the data" for v in values if books and not books.holds(dim, v)]
    dims = calc.get("by", [])
    if m not in ON_LINES:
        out += [f"time breakdown {d} on {m}" for d in dims if d in TIME]
        if calc.get("p") or calc.get("cmp"):
            out.append(f"a period on {m}")
    for key in ("p", "cmp"):
        span = calc.get(key)
        if span is not None:
            try:
                ordered = len(span) == 2 and date.fromisoformat(span[0]) <= date.fromisoformat(span[1])
            except ValueError:
                ordered = False
            if not ordered:
                out.append(f"{key} {span} is not two ordered ISO dates")
    if calc.get("within") and (len(dims) != 2 or dims[0] != calc["within"]):
        out.append(f"within {calc['within']} is not the first of two dimensions {dims}")
    return out


def main(path: Path = CASES, verbose: bool = False) -> int:
    cases = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    others = set()
    for other in HERE.glob("*.jsonl"):
        if other.resolve() != Path(path).resolve() and other.name.startswith(("cases", "heldout")):
            for line in other.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    others.add(wording(json.loads(line).get("question", "")))
    ids = [c.get("id") for c in cases]
    problems = [f"LABEL {i}: id used twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    books: dict[str, Books] = {}
    frames: dict[str, Any] = {}
    checked = 0
    for case in cases:
        slug = case.get("tenant")
        if slug in answers.TENANTS and slug not in books:
            books[slug], frames[slug] = Books(slug), answers.load_frames(slug)
        found = label_problems(case, books.get(slug), others)
        problems += [f"LABEL {case.get('id')}: {p}" for p in found]
        if found or "calc" not in case or case.get("expect") == "refuse":
            continue
        difference = agree(recompute(case["calc"], books[slug]), answers.expected_sql(case["calc"], frames[slug]))
        checked += 1
        if difference:
            problems.append(f"DISAGREE {case['id']} ({slug}): {difference}")
        elif verbose:
            print(f"ok {case['id']}")
    for line in problems:
        print(line)
    print(f"{len(cases)} cases, {checked} values recomputed, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(verbose="-v" in sys.argv[1:]))
