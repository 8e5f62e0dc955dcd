"""Independent check of the SQL held-out set 27: each labelled answer is worked out again from the CSV files.

python bench/data/answers_sql/check_heldout27.py [-v]

Contract: for every case of heldout27.jsonl with a `calc` label, this script derives the answer from the tenant's five
CSV files with pandas code of its own (sale lines become a fact table with a money column per line; each measure is a
reducer over such a table; groups come from one `groupby` on the label's columns, time buckets being columns made once
per line), without the SQL tool and without the helpers of `bench.bench_answers`. It then asks
`bench.bench_answers.expected_sql` for the bench's answer and holds the two side by side for the answer's kind (a
ranking may list the rows tied at its cut in any order). The labels are checked first: ids `h27-NNN`, each once; a
registered tenant; `expect: refuse` without a calc and every other case with one; earlier turns on a follow-up; a
measure the bench knows; filter, exclusion and part values that the tenant's data holds (a keyword inside some product
name); no period and no time breakdown on a stock, patient or catalogue measure; periods as two ISO dates in order;
`within` as the first of exactly two dimensions; no first-turn question worded as one of another case file in this
folder. Each problem is one line starting LABEL or DISAGREE, then a summary line; the exit status is 1 when there was
any problem, else 0. `main(path=..., prefix=...)` checks another file whose ids start with another prefix (later sets
reuse this script's method through it).
"""

from __future__ import annotations

import json
import operator
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

import bench.bench_answers as bench  # noqa: E402

CASES = HERE / "heldout27.jsonl"
PREFIX = "h27-"
TIME_COLUMNS = ("day", "week", "month", "quarter", "year", "weekday")
CODE_COLUMN = {"store": "store_code", "product": "sku"}


def _ratio(top: float, bottom: float, scale: float = 1.0) -> float | None:
    return scale * top / bottom if bottom else None


def _orders(t: pd.DataFrame) -> int:
    return t["order_id"].nunique()


def _cut_orders(t: pd.DataFrame) -> int:
    return t.loc[t["cut"] > 0, "order_id"].nunique()


SALE_REDUCERS: dict[str, Callable[[pd.DataFrame], Any]] = {
    "units": lambda t: t["n"].sum(),
    "revenue": lambda t: t["paid"].sum(),
    "gross_revenue": lambda t: t["list"].sum(),
    "discount_total": lambda t: t["cut"].sum(),
    "discount_rate": lambda t: _ratio(t["cut"].sum(), t["list"].sum(), 100.0),
    "order_lines": len,
    "orders": _orders,
    "distinct_products": lambda t: t["sku"].nunique(),
    "distinct_brands": lambda t: t["brand"].nunique(),
    "distinct_stores": lambda t: t["store_code"].nunique(),
    "avg_selling_price": lambda t: _ratio(t["paid"].sum(), t["n"].sum()),
    "avg_order_value": lambda t: _ratio(t["paid"].sum(), _orders(t)),
    "units_per_order": lambda t: _ratio(t["n"].sum(), _orders(t)),
    "discounted_orders": _cut_orders,
    "discounted_order_rate": lambda t: _ratio(_cut_orders(t), _orders(t), 100.0),
    "avg_discount_per_order": lambda t: _ratio(t["cut"].sum(), _orders(t)),
}
SHELF_TESTS: dict[str, Callable[[pd.DataFrame], pd.Series]] = {
    "items_below_reorder": lambda t: t["have"] < t["min"],
    "items_at_reorder": lambda t: t["have"] == t["min"],
    "items_at_or_below_reorder": lambda t: t["have"] <= t["min"],
    "items_out_of_stock": lambda t: t["have"] == 0,
    "stock_lines": lambda t: t["have"] >= 0,
}
SHELF_REDUCERS: dict[str, Callable[[pd.DataFrame], Any]] = {
    "stock_on_hand": lambda t: int(t["have"].sum()),
    "stock_value": lambda t: float((t["have"] * t["list_price"]).sum()),
    **{name: (lambda t, test=test: int(test(t).sum())) for name, test in SHELF_TESTS.items()},
}
LIST_REDUCERS: dict[str, Callable[[pd.DataFrame], Any]] = {
    "patients": len, "store_count": len, "product_count": len, "brand_count": lambda t: t["brand"].nunique()}
KNOWN = set(SALE_REDUCERS) | set(SHELF_REDUCERS) | set(LIST_REDUCERS)


def bucket(dim: str, day: date) -> Any:
    """The name the bench gives the time bucket `dim` holding `day`."""
    if dim == "week":
        return date.fromordinal(day.toordinal() - day.weekday()).isoformat()
    return {"day": day.isoformat(), "month": f"{day.year:04d}-{day.month:02d}",
            "quarter": f"{day.year}-Q{(day.month + 2) // 3}", "year": day.year,
            "weekday": day.isoweekday()}[dim]


def age_band(born: str, seen: str) -> str:
    b, s = date.fromisoformat(born), date.fromisoformat(seen)
    years = s.year - b.year - int((s.month, s.day) < (b.month, b.day))
    low = min(years, 90) // 10 * 10
    return "90+" if years >= 90 else f"{low}-{low + 9}"


class Books:
    """One tenant's CSV files as three fact tables (sale lines, shelf lines, patient cards) plus its two lists."""

    def __init__(self, slug: str) -> None:
        def read(table: str) -> pd.DataFrame:
            return pd.read_csv(bench.SQL_DATA / slug / f"{table}.csv", dtype=str, keep_default_na=False)

        self.stores = read("stores")
        self.products = read("products")
        goods = self.products.rename(columns={"unit_price": "list_price"})
        goods["list_price"] = goods["list_price"].astype(float)
        shops = self.stores.rename(columns={"name": "store_name"})
        lines = read("sales").merge(goods, on="sku", how="left").merge(shops, on="store_code", how="left")
        lines["n"] = lines["quantity"].astype(int)
        lines["list"] = lines["n"] * lines["unit_price"].astype(float)
        lines["cut"] = lines["discount"].astype(float)
        lines["paid"] = lines["list"] - lines["cut"]
        lines["when"] = lines["sold_at"].map(date.fromisoformat)
        for dim in TIME_COLUMNS:
            lines[dim] = lines["when"].map(lambda d, dim=dim: bucket(dim, d))
        self.lines = lines
        shelf = read("stock").merge(goods, on="sku", how="left").merge(shops, on="store_code", how="left")
        shelf["have"] = shelf["on_hand"].astype(int)
        shelf["min"] = shelf["reorder_point"].astype(int)
        self.shelf = shelf
        cards = read("patients")
        cards["age_band"] = [age_band(b, s) for b, s in zip(cards["date_of_birth"], cards["last_exam_date"],
                                                            strict=True)]
        self.cards = cards

    def facts(self, measure: str) -> tuple[pd.DataFrame, Callable[[pd.DataFrame], Any]]:
        if measure in SALE_REDUCERS:
            return self.lines, SALE_REDUCERS[measure]
        if measure in SHELF_REDUCERS:
            return self.shelf, SHELF_REDUCERS[measure]
        table = {"patients": self.cards, "store_count": self.stores}.get(measure, self.products)
        return table, LIST_REDUCERS[measure]

    def holds(self, dim: str, value: Any) -> bool:
        if dim == "keyword":
            return self.products["name"].str.lower().str.contains(str(value).lower(), regex=False).any()
        if dim == "weekday":
            return str(value).isdigit() and 1 <= int(value) <= 7
        column = CODE_COLUMN.get(dim, dim)
        tables = (self.stores, self.products, self.lines, self.shelf, self.cards)
        return any(str(value) in set(t[column].astype(str)) for t in tables if column in t)


def narrow(table: pd.DataFrame, wanted: dict[str, list[Any]] | None) -> pd.DataFrame:
    for dim, values in (wanted or {}).items():
        if dim == "keyword":
            names = table["name"].str.lower()
            keep = pd.Series(False, index=table.index)
            for v in values:
                keep |= names.str.contains(str(v).lower(), regex=False)
        elif dim == "weekday":
            keep = table["weekday"].isin([int(v) for v in values])
        else:
            keep = table[CODE_COLUMN.get(dim, dim)].isin(list(values))
        table = table[keep]
    return table


def within_dates(table: pd.DataFrame, span: list[str] | None) -> pd.DataFrame:
    if not span or "when" not in table:
        return table
    return table[table["when"].between(*map(date.fromisoformat, span))]


def per_group(table: pd.DataFrame, dims: list[str], reduce: Callable[[pd.DataFrame], Any]) -> dict[Any, Any]:
    if table.empty:
        return {}
    columns = [CODE_COLUMN.get(d, d) for d in dims]
    found = {}
    for key, part in table.groupby(columns if len(columns) > 1 else columns[0], sort=False):
        found[key] = reduce(part)
    return found


def worked_out(calc: dict[str, Any], books: Books) -> dict[str, Any]:
    """This script's own answer to one label, in the shape of the bench's result kinds."""
    table, reduce = books.facts(calc["m"])
    table = narrow(table, calc.get("f"))
    if calc.get("x"):
        table = table.loc[table.index.difference(narrow(table, calc["x"]).index)]
    dims = list(calc.get("by", []))
    if calc.get("cmp"):
        now, then = within_dates(table, calc.get("p")), within_dates(table, calc["cmp"])
        if not dims:
            return {"kind": "cmp", "current": reduce(now), "previous": reduce(then)}
        a, b = per_group(now, dims, reduce), per_group(then, dims, reduce)
        if calc.get("rank"):
            change = {k: (a.get(k) or 0) - (b.get(k) or 0) for k in a.keys() | b.keys()}
            return {"kind": "rank", "order_by": change, "shown": {k: a.get(k, 0) for k in change},
                    "rank": calc["rank"]}
        return {"kind": "cmp_by", "current": a}
    table = within_dates(table, calc.get("p"))
    if calc.get("avg"):
        units = per_group(table, [*dims, calc["avg"]], reduce)
        sheet = pd.DataFrame([(*(k if isinstance(k, tuple) else (k,)), v or 0) for k, v in units.items()],
                             columns=[*dims, calc["avg"], "total"])
        if not dims:
            return {"kind": "scalar", "value": float(sheet["total"].mean()) if len(sheet) else None}
        means = sheet.groupby(dims if len(dims) > 1 else dims[0])["total"].mean().to_dict()
        if calc.get("rank"):  # "the shop with the best average day": groups ranked by their mean
            return {"kind": "rank", "order_by": means, "shown": means, "rank": calc["rank"]}
        return {"kind": "by", "groups": means}
    if calc.get("part") is not None:
        whole, piece = reduce(table), reduce(narrow(table, calc["part"]))
        return {"kind": "share", "share": 100 * piece / whole if whole else None}
    if not dims:
        return {"kind": "scalar", "value": reduce(table)}
    groups = per_group(table, dims, reduce)
    if calc.get("share_by"):
        total = sum(v for v in groups.values() if v is not None)
        return {"kind": "share_by", "groups": {k: 100 * v / total for k, v in groups.items()}}
    if not calc.get("rank"):
        return {"kind": "by", "groups": groups}
    if calc.get("within"):
        return {"kind": "rank_per", "groups": groups, "rank": calc["rank"]}
    if calc["rank"][0] == "asc" and len(dims) == 1 and dims[0] in CODE_COLUMN:
        # the bottom of a store or product ranking counts the asked scope's members that sold nothing
        scope = {"store": ("store", "city", "state"), "product": ("category", "brand", "product", "keyword")}[dims[0]]
        members = narrow(books.stores if dims[0] == "store" else books.products,
                         {k: v for k, v in (calc.get("f") or {}).items() if k in scope})
        groups = {**{k: 0 for k in members[CODE_COLUMN[dims[0]]]}, **groups}
    return {"kind": "rank", "order_by": groups, "shown": groups, "rank": calc["rank"]}


def equal(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    x, y = float(a), float(b)
    return abs(x - y) <= max(1e-6, 1e-10 * max(abs(x), abs(y)))  # float sums of money: exact to far less


def _norm(key: Any) -> Any:
    """Group keys as plain Python values (numpy integers of year and weekday buckets become int)."""
    if isinstance(key, tuple):
        return tuple(_norm(k) for k in key)
    return int(key) if hasattr(key, "item") and not isinstance(key, str) else key


def check_ranking(listed: list[tuple[Any, Any]], order_by: dict[Any, Any], shown: dict[Any, Any],
                  rank: list[Any]) -> str:
    """'' when `listed` is a right top/bottom N of `order_by` (ties at the cut in any order) showing `shown`."""
    direction, size = rank
    valued = {k: v for k, v in order_by.items() if v is not None}
    ladder = sorted(valued.values(), reverse=direction == "desc")
    if len(listed) != min(size, len(order_by)):
        return f"{len(listed)} rows listed, {min(size, len(order_by))} expected"
    if not ladder:
        return ""
    cut = ladder[min(size, len(ladder)) - 1]
    better = operator.gt if direction == "desc" else operator.lt
    needed = {k for k, v in valued.items() if better(v, cut)}
    problems = [f"{k} not in the ranking" for k in needed if k not in {lk for lk, _ in listed}]
    for position, (key, value) in enumerate(listed):
        if key not in order_by:
            problems.append(f"{key} is not a group")
            continue
        if key not in needed and not equal(order_by[key], cut):
            problems.append(f"{key} should not be ranked")
        if not equal(value or 0, shown.get(key, 0) or 0):
            problems.append(f"{key}: {value} vs {shown.get(key)}")
        if position and listed[position - 1][0] in order_by and order_by[key] is not None \
                and order_by[listed[position - 1][0]] is not None \
                and better(order_by[key], order_by[listed[position - 1][0]]):
            problems.append(f"{key} out of order")
    return "; ".join(problems)


def compare(mine: dict[str, Any], bench_answer: dict[str, Any]) -> str:
    """What differs between this script's answer and the bench's ('' when nothing does)."""
    kind = mine["kind"]
    if kind != bench_answer["kind"]:
        return f"result kind {bench_answer['kind']} from the bench, {kind} here"
    if kind == "scalar":
        return "" if equal(mine["value"], bench_answer["value"]) else f"{bench_answer['value']} vs {mine['value']}"
    if kind == "share":
        theirs_share = bench_answer["share"]
        return "" if equal(mine["share"], theirs_share) else f"share {theirs_share} vs {mine['share']}"
    if kind == "cmp":
        pairs = [(bench_answer[s], mine[s]) for s in ("current", "previous")]
        return "" if all(equal(x, y) for x, y in pairs) else f"periods {pairs}"
    if kind in ("by", "share_by", "cmp_by"):
        slot = "current" if kind == "cmp_by" else "groups"
        ours = {_norm(k): v for k, v in mine[slot].items()}
        theirs = {_norm(k): v for k, v in bench_answer[slot].items()}
        off = [k for k in ours.keys() | theirs.keys() if not equal(ours.get(k) or 0, theirs.get(k) or 0)]
        return f"{len(off)} groups differ, e.g. {sorted(map(str, off))[:3]}" if off else ""
    if kind == "rank":
        order_by = {_norm(k): v for k, v in mine["order_by"].items()}
        shown = {_norm(k): v for k, v in mine["shown"].items()}
        return check_ranking([(_norm(k), v) for k, v in bench_answer["top"]], order_by, shown, mine["rank"])
    if kind == "rank_per":
        heads: dict[Any, dict[Any, Any]] = {}
        for key, value in mine["groups"].items():
            heads.setdefault(_norm(key[0]), {})[_norm(key)] = value
        theirs = {_norm(k): [(_norm(gk), gv) for gk, gv in top] for k, top in bench_answer["top"].items()}
        if heads.keys() != theirs.keys():
            return "not the same groups ranked"
        gaps = [f"{h}: {g}" for h in heads if (g := check_ranking(theirs[h], heads[h], heads[h], mine["rank"]))]
        return "; ".join(gaps)
    return f"no comparison for kind {kind}"


def plain_words(question: str) -> str:
    return " ".join(re.findall(r"\w+", question.casefold()))


def two_dates_in_order(span: Any) -> bool:
    try:
        first, last = (date.fromisoformat(s) for s in span)
    except (TypeError, ValueError):
        return False
    return first <= last


def label_problems(case: dict[str, Any], books: Books | None, other_questions: set[str],
                   prefix: str = PREFIX) -> list[str]:
    ident, earlier = str(case.get("id", "")), bool(case.get("context"))
    messages = {
        f"id {ident!r} is not {prefix}NNN": not re.fullmatch(re.escape(prefix) + r"\d{3}", ident),
        "a follow-up without earlier turns": case.get("shape") == "follow_up" and not earlier,
        "the question repeats one of another case file":
            not earlier and plain_words(case.get("question", "")) in other_questions,
        f"tenant {case.get('tenant')!r} is not registered": case.get("tenant") not in bench.TENANTS}
    found = [text for text, broken in messages.items() if broken]
    if case.get("tenant") not in bench.TENANTS:
        return found
    calc = case.get("calc")
    if case.get("expect") == "refuse":
        return [*found, "a refusal with a calc label"] if calc is not None else found
    if not calc:
        return [*found, "an answer case without a calc label"]
    measure = calc.get("m")
    if measure not in KNOWN:
        return [*found, f"unknown measure {measure!r}"]
    for slot in ("f", "x", "part"):
        for dim, values in (calc.get(slot) or {}).items():
            found += [f"{slot} {dim}={v!r} is not in the data" for v in values
                      if books is not None and not books.holds(dim, v)]
    if measure not in SALE_REDUCERS:
        found += [f"time breakdown {d} on {measure}" for d in calc.get("by", []) if d in TIME_COLUMNS]
        found += [f"a period on {measure}"] if calc.get("p") or calc.get("cmp") else []
    found += [f"{slot} {calc[slot]} is not two ISO dates in order" for slot in ("p", "cmp")
              if slot in calc and not two_dates_in_order(calc[slot])]
    if "within" in calc and (len(calc.get("by", [])) != 2 or calc["by"][0] != calc["within"]):
        found.append(f"within {calc['within']!r} is not the first of two dimensions {calc.get('by')}")
    return found


def main(path: Path = CASES, verbose: bool = False, prefix: str = PREFIX) -> int:
    target = Path(path).resolve()
    cases = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines() if line.strip()]
    other_questions = set()
    for other in HERE.glob("*.jsonl"):
        if other.resolve() != target and other.name.startswith(("cases", "heldout")):
            other_questions |= {plain_words(json.loads(line).get("question", ""))
                                for line in other.read_text(encoding="utf-8").splitlines() if line.strip()}
    lines: list[str] = []
    seen: dict[str, int] = {}
    for case in cases:
        seen[str(case.get("id"))] = seen.get(str(case.get("id")), 0) + 1
    lines += [f"LABEL {ident}: id used twice" for ident, n in sorted(seen.items()) if n > 1]
    slugs = {c.get("tenant") for c in cases if c.get("tenant") in bench.TENANTS}
    books = {slug: Books(slug) for slug in sorted(slugs)}
    frames = {slug: bench.load_frames(slug) for slug in sorted(slugs)}
    done = 0
    for case in cases:
        slug = case.get("tenant")
        problems = label_problems(case, books.get(slug), other_questions, prefix)
        lines += [f"LABEL {case.get('id')}: {p}" for p in problems]
        if problems or "calc" not in case or case.get("expect") == "refuse":
            continue
        done += 1
        gap = compare(worked_out(case["calc"], books[slug]), bench.expected_sql(case["calc"], frames[slug]))
        if gap:
            lines.append(f"DISAGREE {case['id']} ({slug}): {gap}")
        elif verbose:
            print(f"agree {case['id']}")
    lines.append(f"{len(cases)} cases, {done} values recomputed, {len(lines)} problems")
    print("\n".join(lines))
    return 1 if len(lines) > 1 else 0


if __name__ == "__main__":
    sys.exit(main(verbose="-v" in sys.argv[1:]))
