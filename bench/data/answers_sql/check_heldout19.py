"""Independent check of the SQL held-out set 19: each labelled answer worked out again from the CSV files.

python bench/data/answers_sql/check_heldout19.py [-v]

Contract: every case of heldout19.jsonl that carries a `calc` label is answered by this file's own pandas code and
the result is held against `bench.bench_answers.expected_sql` (imported only to compare; the SQL tool never runs).
How: `Books` turns one tenant's five CSV files into flat tables (sale lines with their net amount and calendar
columns, shelf lines with their list price, patient cards with the age band at the last exam, the store and product
lists); `rows_for()` narrows a table by the label's filters (`f`), exclusions (`x`) and period (`p`); `MEASURE` maps a
measure to its table and to a function of the narrowed rows; `answer()` builds the bench's result shapes (scalar,
by, rank, rank_per, cmp, cmp_by, share, share_by; `avg` is the mean of the per-unit totals of the units with rows).
`problems()` refuses a malformed label: an id that is not h19-NNN or comes twice, an unknown shape, a refusal that
is not `expect: refuse` or carries a calc, a follow-up without its earlier turns, an unknown measure, a filter,
exclusion, part or breakdown that the measure's table cannot hold or a value it does not contain, a period on a
measure without dates or one that is not two ISO dates in order touching the data, a ranking without a breakdown,
`within` that is not the first of two dimensions, a share part beside a breakdown or comparison, the same question
twice, or (without earlier turns) a question worded as in another case file of this folder.
`notes()` prints `look` lines, never failing: an empty or zero answer whose note says nothing of 0, a tie at a
ranking's cut. Exit status 1 on any DISAGREE or LABEL line; `main(path=...)` checks another file of this format.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

FOLDER = Path(__file__).resolve().parent
DEFAULT = FOLDER / "heldout19.jsonl"
KNOWN_SHAPES = frozenset(("total", "filters", "breakdown", "time_shape", "time_ranking", "ranking", "comparison",
                          "yoy", "share", "average", "distinct", "catalog", "stock", "patients", "multi_dim",
                          "follow_up", "typo", "refusal"))
CALENDAR = ("day", "week", "month", "quarter", "year", "weekday")
COLUMN = {"store": "store_code", "product": "sku"}
TOLERANCE = 0.005


def ratio(top: float, bottom: float, times: float = 1.0) -> float | None:
    return None if not bottom else times * float(top) / float(bottom)


def _sale(kind: str):
    """A sales measure computed from narrowed sale lines."""

    def run(t: pd.DataFrame) -> Any:
        gross, off, units = t["gross"].sum(), t["off"].sum(), t["qty"].sum()
        tickets = t["order_id"].nunique()
        cut = t.loc[t["off"] > 0, "order_id"].nunique()
        table = {
            "units": lambda: units, "revenue": lambda: gross - off, "gross_revenue": lambda: gross,
            "discount_total": lambda: off, "discount_rate": lambda: ratio(off, gross, 100),
            "order_lines": lambda: len(t), "orders": lambda: tickets,
            "distinct_products": lambda: t["sku"].nunique(), "distinct_brands": lambda: t["brand"].nunique(),
            "distinct_stores": lambda: t["store_code"].nunique(), "discounted_orders": lambda: cut,
            "discounted_order_rate": lambda: ratio(cut, tickets, 100),
            "avg_selling_price": lambda: ratio(gross - off, units),
            "avg_order_value": lambda: ratio(gross - off, tickets), "units_per_order": lambda: ratio(units, tickets),
            "avg_discount_per_order": lambda: ratio(off, tickets),
        }
        return table[kind]()

    return run


SALE_KINDS = ("units", "revenue", "gross_revenue", "discount_total", "discount_rate", "order_lines", "orders",
              "distinct_products", "distinct_brands", "distinct_stores", "discounted_orders",
              "discounted_order_rate", "avg_selling_price", "avg_order_value", "units_per_order",
              "avg_discount_per_order")
MEASURE: dict[str, tuple[str, Any]] = {kind: ("sales", _sale(kind)) for kind in SALE_KINDS}
MEASURE.update({
    "stock_on_hand": ("stock", lambda t: int(t["count"].sum())),
    "stock_value": ("stock", lambda t: float((t["count"] * t["list_price"]).sum())),
    "items_below_reorder": ("stock", lambda t: int((t["count"] < t["level"]).sum())),
    "items_at_reorder": ("stock", lambda t: int((t["count"] == t["level"]).sum())),
    "items_at_or_below_reorder": ("stock", lambda t: int((t["count"] <= t["level"]).sum())),
    "items_out_of_stock": ("stock", lambda t: int((t["count"] == 0).sum())),
    "stock_lines": ("stock", lambda t: int(len(t))),
    "patients": ("patients", lambda t: int(len(t))),
    "store_count": ("stores", lambda t: int(len(t))),
    "product_count": ("products", lambda t: int(len(t))),
    "brand_count": ("products", lambda t: int(t["brand"].nunique())),
})


def age_band(born: str, seen: str) -> str:
    b, s = date.fromisoformat(born), date.fromisoformat(seen)
    age = s.year - b.year - int((s.month, s.day) < (b.month, b.day))
    if age >= 90:
        return "90+"
    low = 10 * (age // 10)
    return f"{low}-{low + 9}"


class Books:
    """One tenant's tables, read from its CSV files and nothing else."""

    def __init__(self, slug: str) -> None:
        def read(name: str) -> pd.DataFrame:
            return pd.read_csv(FOLDER / slug / f"{name}.csv", dtype=str, keep_default_na=False)

        stores, products = read("stores"), read("products")
        places = stores.rename(columns={"name": "store_name"})
        sold = read("sales")
        sold = sold.merge(products[["sku", "name", "category", "brand"]], how="left", on="sku")
        sold = sold.merge(places, how="left", on="store_code")
        sold["qty"] = sold["quantity"].astype(int)
        sold["off"] = sold["discount"].astype(float)
        sold["gross"] = sold["qty"] * sold["unit_price"].astype(float)
        stamp = pd.to_datetime(sold["sold_at"]).dt.normalize()
        sold["stamp"] = stamp
        sold["day"] = stamp.dt.date.map(date.isoformat)
        sold["month"] = stamp.dt.to_period("M").astype(str)
        sold["quarter"] = stamp.dt.to_period("Q").map(lambda q: f"{q.year}-Q{q.quarter}")
        sold["year"] = stamp.dt.year.astype(int)
        sold["weekday"] = stamp.dt.isocalendar().day.astype(int)
        sold["week"] = stamp.dt.to_period("W-SUN").map(lambda w: w.start_time.date().isoformat())
        shelf = read("stock").merge(products, how="left", on="sku").merge(places, how="left", on="store_code")
        shelf["count"] = shelf["on_hand"].astype(int)
        shelf["level"] = shelf["reorder_point"].astype(int)
        shelf["list_price"] = shelf["unit_price"].astype(float)
        cards = read("patients")
        cards["age_band"] = [age_band(b, s) for b, s in zip(cards["date_of_birth"], cards["last_exam_date"],
                                                             strict=True)]
        self.tables = {"sales": sold, "stock": shelf, "patients": cards, "stores": stores, "products": products}
        self.first, self.last = stamp.min().date(), stamp.max().date()


def matches(t: pd.DataFrame, wanted: dict[str, list[Any]] | None) -> pd.Series:
    mask = pd.Series(True, index=t.index)
    for key, values in (wanted or {}).items():
        if key == "keyword":
            words = [v.lower() for v in values]
            mask &= t["name"].str.lower().map(lambda name, w=words: any(x in name for x in w))
        elif key == "weekday":
            mask &= t["weekday"].isin([int(v) for v in values])
        else:
            mask &= t[COLUMN.get(key, key)].isin(values)
    return mask


def rows_for(books: Books, calc: dict[str, Any], period: list[str] | None) -> pd.DataFrame:
    t = books.tables[MEASURE[calc["m"]][0]]
    t = t[matches(t, calc.get("f"))]
    if calc.get("x"):
        t = t[~matches(t, calc["x"])]
    if period and "stamp" in t:
        t = t[(t["stamp"] >= pd.Timestamp(period[0])) & (t["stamp"] <= pd.Timestamp(period[1]))]
    return t


def per_group(t: pd.DataFrame, dims: list[str], kind: str) -> dict[Any, Any]:
    fn = MEASURE[kind][1]
    if t.empty:
        return {}
    out: dict[Any, Any] = {}
    for key, part in t.groupby([COLUMN.get(d, d) for d in dims], sort=True):
        parts = tuple(int(v) if d in ("year", "weekday") else v
                      for d, v in zip(dims, key if isinstance(key, tuple) else (key,), strict=True))
        out[parts if len(dims) > 1 else parts[0]] = fn(part)
    return out


def sort_by_value(values: dict[Any, Any], direction: str) -> list[tuple[Any, Any]]:
    known = sorted(((k, v) for k, v in values.items() if v is not None), key=lambda kv: float(kv[1]),
                   reverse=direction == "desc")
    return known + [(k, v) for k, v in values.items() if v is None]


def answer(calc: dict[str, Any], books: Books) -> dict[str, Any]:
    kind, dims, rank = calc["m"], list(calc.get("by", [])), calc.get("rank")
    fn = MEASURE[kind][1]
    if calc.get("cmp"):
        now, then = rows_for(books, calc, calc.get("p")), rows_for(books, calc, calc["cmp"])
        if not dims:
            return {"kind": "cmp", "current": fn(now), "previous": fn(then)}
        cur, prev = per_group(now, dims, kind), per_group(then, dims, kind)
        if not rank:
            return {"kind": "cmp_by", "current": cur, "previous": prev}
        change = {k: (cur.get(k) or 0) - (prev.get(k) or 0) for k in set(cur) | set(prev)}
        picked = sort_by_value(change, rank[0])[: rank[1]]
        return {"kind": "rank", "top": [(k, cur.get(k, 0)) for k, _ in picked], "all": cur}
    t = rows_for(books, calc, calc.get("p"))
    if calc.get("avg"):
        pooled: dict[Any, list[float]] = {}
        for key, value in per_group(t, [*dims, calc["avg"]], kind).items():
            outer = None if not dims else (key[0] if len(dims) == 1 else key[:-1])
            pooled.setdefault(outer, []).append(value or 0)
        means = {k: sum(v) / len(v) for k, v in pooled.items()}
        if not dims:
            return {"kind": "scalar", "value": means.get(None)}
        if rank:
            return {"kind": "rank", "top": sort_by_value(means, rank[0])[: rank[1]], "all": means}
        return {"kind": "by", "groups": means}
    if calc.get("part") is not None:
        whole, piece = fn(t), fn(t[matches(t, calc["part"])])
        return {"kind": "share", "value": piece, "total": whole, "share": ratio(piece, whole, 100)}
    if not dims:
        return {"kind": "scalar", "value": fn(t)}
    groups = per_group(t, dims, kind)
    if rank and calc.get("within"):
        inside: dict[Any, dict[Any, Any]] = {}
        for key, value in groups.items():
            inside.setdefault(key[0], {})[key] = value
        return {"kind": "rank_per", "all": groups,
                "top": {g: sort_by_value(v, rank[0])[: rank[1]] for g, v in inside.items()}}
    if rank:
        if rank[0] == "asc" and len(dims) == 1 and dims[0] in ("store", "product"):
            # the bottom of a ranking counts the stores / products of the asked scope that sold nothing
            listing = books.tables["stores" if dims[0] == "store" else "products"]
            scope = ("store", "city", "state") if dims[0] == "store" else ("category", "brand", "product", "keyword")
            listing = listing[matches(listing, {k: v for k, v in (calc.get("f") or {}).items() if k in scope})]
            groups = {**{k: 0 for k in listing[COLUMN[dims[0]]]}, **groups}
        return {"kind": "rank", "top": sort_by_value(groups, rank[0])[: rank[1]], "all": groups}
    if calc.get("share_by"):
        whole = sum(v for v in groups.values() if v is not None)
        return {"kind": "share_by", "groups": {k: ratio(v, whole, 100) for k, v in groups.items()}}
    return {"kind": "by", "groups": groups}


def near(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= TOLERANCE


def near_dict(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(near(a[k], b[k]) for k in a)


def near_rank(mine: list, bench: list, every: dict) -> bool:
    if len(mine) != len(bench):
        return False
    for (mk, mv), (bk, bv) in zip(mine, bench, strict=True):
        if not near(mv or 0, bv or 0):
            return False
        if mk != bk and not near(every.get(bk, -1) or 0, mv or 0):  # a tie may be listed in either order
            return False
    return True


def same_answer(mine: dict[str, Any], bench: dict[str, Any]) -> bool:
    if mine["kind"] != bench["kind"]:
        return False
    kind = mine["kind"]
    if kind == "scalar":
        return near(mine["value"] or 0, bench["value"] or 0)
    if kind == "cmp":
        return near(mine["current"] or 0, bench["current"] or 0) and near(mine["previous"] or 0,
                                                                          bench["previous"] or 0)
    if kind == "share":
        return near(mine["value"], bench["value"]) and near(mine["total"], bench["total"]) and near(
            mine["share"], bench["share"])
    if kind in ("by", "share_by"):
        return near_dict(mine["groups"], bench["groups"])
    if kind == "cmp_by":
        return near_dict(mine["current"], bench["current"]) and near_dict(mine["previous"], bench["previous"])
    if kind == "rank":
        return near_rank(mine["top"], list(bench["top"]), mine["all"])
    return mine["top"].keys() == bench["top"].keys() and all(
        near_rank(top, list(bench["top"][g]), mine["all"]) for g, top in mine["top"].items())


def _values_absent(section: str, key: str, values: list[Any], t: pd.DataFrame, table: str) -> list[str]:
    if key == "weekday":
        return [f"{section}.weekday {v!r} is not 1-7" for v in values if int(v) not in range(1, 8)]
    if key == "keyword":
        names = " | ".join(t["name"].str.lower()) if "name" in t else ""
        return [f"{section}.keyword {v!r} is in no name" for v in values if v.lower() not in names]
    if COLUMN.get(key, key) not in t:
        return [f"{section}.{key} is not a column of {table}"]
    held = set(t[COLUMN.get(key, key)])
    return [f"{section}.{key} value {v} does not occur in the data" for v in values if v not in held]


def _span(value: Any) -> tuple[date, date] | None:
    try:
        return date.fromisoformat(value[0]), date.fromisoformat(value[1])
    except (TypeError, ValueError, IndexError, KeyError):
        return None


def _rule_filters(calc: dict[str, Any], books: Books, table: str) -> list[str]:
    t = books.tables[table]
    return [msg for section in ("f", "x", "part") for key, values in (calc.get(section) or {}).items()
            for msg in _values_absent(section, key, values, t, table)]


def _rule_dimensions(calc: dict[str, Any], books: Books, table: str) -> list[str]:
    out = []
    grouped = [*calc.get("by", []), *filter(None, [calc.get("avg")])]
    for dim in grouped:
        timed = dim in CALENDAR
        if timed and table != "sales":
            out.append(f"time breakdown {dim} on a {table} measure")
        if not timed and COLUMN.get(dim, dim) not in books.tables[table]:
            out.append(f"breakdown {dim} is not a column of {table}")
    return out


def _rule_periods(calc: dict[str, Any], books: Books, table: str) -> list[str]:
    out = []
    for key in (k for k in ("p", "cmp") if calc.get(k) is not None):
        if table != "sales":
            out.append(f"a period ({key}) on a {table} measure")
            continue
        span = _span(calc[key])
        if span is None:
            out.append(f"{key} {calc[key]!r} is not two ISO dates")
        elif span[0] > span[1] or span[1] < books.first or (span[0] - books.last).days > 31:
            out.append(f"{key} {calc[key]} runs backwards or misses the data")
    return out


def _rule_structure(calc: dict[str, Any], books: Books, table: str) -> list[str]:
    dims, out = list(calc.get("by", [])), []
    if calc.get("rank") and not dims:
        out.append("a ranking without a breakdown")
    if calc.get("within") and dims[:1] != [calc["within"]]:
        out.append(f"within {calc['within']!r} is not the first of two dimensions {dims}")
    elif calc.get("within") and len(dims) != 2:
        out.append(f"within {calc['within']!r} is not the first of two dimensions {dims}")
    if calc.get("part") is not None and (dims or calc.get("cmp")):
        out.append("a share part with a breakdown or comparison")
    return out


CALC_RULES = (_rule_filters, _rule_dimensions, _rule_periods, _rule_structure)


def _rule_frame(case: dict[str, Any], ids: Counter) -> list[str]:
    """Id, shape, follow-up and refusal form: what holds whatever the tenant's data."""
    cid, shape = str(case.get("id", "")), case.get("shape")
    out = [] if re.fullmatch(r"h19-\d{3}", cid) else [f"id {cid!r} is not h19-NNN"]
    out += [f"id {cid} used {ids[cid]} times"] if ids[cid] > 1 else []
    out += [] if shape in KNOWN_SHAPES else [f"unknown shape {shape!r}"]
    if shape == "follow_up" and not case.get("context"):
        out.append("a follow-up without its earlier turns (context)")
    return out


def problems(case: dict[str, Any], books: Books | None, ids: Counter) -> list[str]:
    """What is wrong with one case's label (an empty list when nothing is)."""
    found = _rule_frame(case, ids)
    if books is None:
        return [*found, f"tenant {case.get('tenant')!r} has no CSV files"]
    if case.get("expect") == "refuse" or case.get("shape") == "refusal":
        found += [] if case.get("expect") == "refuse" else ["a refusal without expect: refuse"]
        found += ["a refusal with a calc label"] if "calc" in case else []
        return found
    calc = case.get("calc") or {}
    if calc.get("m") not in MEASURE:
        return [*found, f"unknown or missing measure {calc.get('m')!r}"]
    table = MEASURE[calc["m"]][0]
    for rule in CALC_RULES:
        found += rule(calc, books, table)
    return found


def notes(case: dict[str, Any], mine: dict[str, Any]) -> list[str]:
    out = []
    nothing = (mine["kind"] == "scalar" and not mine["value"]) or (mine["kind"] == "by" and not mine["groups"])
    if nothing and "0" not in case.get("note", ""):
        out.append("expected 0 or nothing, and the note does not say so")
    if mine["kind"] == "rank":
        lists = [(None, mine["top"])]
    elif mine["kind"] == "rank_per":
        lists = list(mine["top"].items())
    else:
        lists = []
    for group, top in lists:
        if not top:
            continue
        chosen = {k for k, _ in top}
        others = [v for k, v in mine["all"].items() if k not in chosen and (group is None or k[0] == group)]
        if any(near(v or 0, top[-1][1] or 0) for v in others):
            out.append(f"a tie at the ranking's cut ({top[-1][0]})")
    return out


def words(question: str) -> str:
    return " ".join(re.findall(r"\w+", question.lower()))


def other_questions(source: Path) -> set[str]:
    """The questions of this folder's other case files, in plain lower-case words."""
    files = [p for p in sorted(FOLDER.glob("*.jsonl"))
             if p.name.startswith(("cases", "heldout")) and p.resolve() != source.resolve()]
    return {words(json.loads(line)["question"]) for p in files
            for line in p.read_text(encoding="utf-8").splitlines() if line.strip()}


def label_report(cases: list[dict[str, Any]], source: Path, books: dict[str, Books | None]) -> dict[str, list[str]]:
    """Each case id with its label problems (cases without problems are left out)."""
    ids = Counter(str(c.get("id")) for c in cases)
    turns = Counter((c.get("tenant"), tuple(c.get("context", [])), c.get("question")) for c in cases)
    elsewhere = other_questions(source)
    report: dict[str, list[str]] = {}
    for case in cases:
        slug = str(case.get("tenant"))
        if slug not in books:
            books[slug] = Books(slug) if (FOLDER / slug / "sales.csv").is_file() else None
        found = problems(case, books[slug], ids)
        if turns[(case.get("tenant"), tuple(case.get("context", [])), case.get("question"))] > 1:
            found.append("the same question twice")
        if not case.get("context") and words(str(case.get("question", ""))) in elsewhere:
            found.append("the same question is in another case file")
        if found:
            report[str(case.get("id"))] = found
    return report


def main(verbose: bool = False, path: Path | None = None) -> int:
    import bench.bench_answers as bench

    source = path or DEFAULT
    cases = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    books: dict[str, Books | None] = {}
    flawed = label_report(cases, source, books)
    for cid, found in flawed.items():
        print(f"LABEL {cid}: " + "; ".join(found))
    answered = [c for c in cases if "calc" in c and str(c.get("id")) not in flawed]
    frames: dict[str, Any] = {}
    wrong = 0
    for case in answered:
        slug = case["tenant"]
        mine = answer(case["calc"], books[slug])
        if slug not in frames:
            frames[slug] = bench.load_frames(slug)
        theirs = bench.expected_sql(case["calc"], frames[slug])
        if same_answer(mine, theirs):
            if verbose:
                print(f"ok {case['id']}")
        else:
            wrong += 1
            print(f"DISAGREE {case['id']} {case['question']!r}\n   mine:  {str(mine)[:300]}\n"
                  f"   bench: {str(theirs)[:300]}")
        for line in notes(case, mine):
            print(f"look {case['id']}: {line}")
    bad = wrong + len(flawed)
    print(f"{len(cases)} cases, {len(answered)} values recomputed, {bad} disagreements or label problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.path.insert(0, str(FOLDER.parents[2]))
    sys.exit(main(verbose="-v" in sys.argv))
