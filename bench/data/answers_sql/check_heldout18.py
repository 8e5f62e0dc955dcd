"""Independent check of the SQL held-out set 18: every labelled value recomputed from the CSV files, then compared.

python bench/data/answers_sql/check_heldout18.py [-v]

Contract: each case of heldout18.jsonl with a `calc` label is evaluated by this file's own pandas code and held
against `bench.bench_answers.expected_sql` (imported only to compare; the SQL tool never runs). Design: `Ledger`
reads one tenant's five CSV files and prepares three fact tables (sales lines with net amount, calendar keys, product
and store columns; stock lines priced at list; patients with the age band at their last exam) and two lists (stores,
products); `pick()` narrows a table by a label section (`f`, `x`, `part`) and `p`; `MEASURES` maps each measure to
a function of the narrowed rows; `evaluate()` returns the bench's result shapes (scalar, by, rank, rank_per, cmp,
cmp_by, share, share_by; `avg` is the mean of the per-unit totals of the units that have rows). `lint()` rejects
malformed labels: ids h18-NNN used once; a known shape; refusals with `expect: refuse` and no calc; follow-ups with
their earlier turns; a known measure; filter, exclusion, part and breakdown keys of the measure's table with values
that occur in it; periods as two ISO dates, forwards, on sales measures only and touching the data; a ranking with a
breakdown, `within` the first of two dimensions; no share part with a breakdown or comparison; no question twice,
and none (without earlier turns) worded as in another case file of this folder (same words, case and punctuation
aside).
Printed as `look` without failing: an expected 0 or empty answer the note does not mention, a tie at a ranking's cut.
Exit status 1 on any DISAGREE or LABEL line. `main(path=...)` checks another file of the same format.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
CASES = HERE / "heldout18.jsonl"
SHAPES = {"total", "breakdown", "ranking", "time_ranking", "time_shape", "comparison", "yoy", "share", "average",
          "distinct", "catalog", "stock", "patients", "filters", "follow_up", "multi_dim", "typo", "refusal"}
TIME_KEYS = {"day", "week", "month", "quarter", "year", "weekday"}
FIELD = {"store": "store_code", "product": "sku"}


def _per(a: float, b: float, scale: float = 1.0) -> float | None:
    return scale * float(a) / float(b) if b else None


def _sales(fn: Callable[[pd.DataFrame, float, float, int, int], Any]) -> Callable[[pd.DataFrame], Any]:
    def run(t: pd.DataFrame) -> Any:
        gross, net, units, tickets = t["line_gross"].sum(), t["line_net"].sum(), t["qty"].sum(), t["order_id"].nunique()
        return fn(t, gross, net, units, tickets)
    return run


def _flag(test: Callable[[pd.DataFrame], pd.Series]) -> Callable[[pd.DataFrame], int]:
    return lambda t: int(test(t).sum())


MEASURES: dict[str, tuple[str, Callable[[pd.DataFrame], Any]]] = {
    "units": ("sales", _sales(lambda t, g, n, u, o: u)),
    "revenue": ("sales", _sales(lambda t, g, n, u, o: n)),
    "gross_revenue": ("sales", _sales(lambda t, g, n, u, o: g)),
    "discount_total": ("sales", _sales(lambda t, g, n, u, o: t["rebate"].sum())),
    "discount_rate": ("sales", _sales(lambda t, g, n, u, o: _per(t["rebate"].sum(), g, 100))),
    "order_lines": ("sales", _sales(lambda t, g, n, u, o: len(t))),
    "orders": ("sales", _sales(lambda t, g, n, u, o: o)),
    "distinct_products": ("sales", _sales(lambda t, g, n, u, o: t["sku"].nunique())),
    "distinct_brands": ("sales", _sales(lambda t, g, n, u, o: t["brand"].nunique())),
    "distinct_stores": ("sales", _sales(lambda t, g, n, u, o: t["store_code"].nunique())),
    "discounted_orders": ("sales", _sales(lambda t, g, n, u, o: t.loc[t["rebate"] > 0, "order_id"].nunique())),
    "discounted_order_rate": ("sales", _sales(
        lambda t, g, n, u, o: _per(t.loc[t["rebate"] > 0, "order_id"].nunique(), o, 100))),
    "avg_selling_price": ("sales", _sales(lambda t, g, n, u, o: _per(n, u))),
    "avg_order_value": ("sales", _sales(lambda t, g, n, u, o: _per(n, o))),
    "units_per_order": ("sales", _sales(lambda t, g, n, u, o: _per(u, o))),
    "avg_discount_per_order": ("sales", _sales(lambda t, g, n, u, o: _per(t["rebate"].sum(), o))),
    "stock_on_hand": ("stock", lambda t: int(t["have"].sum())),
    "stock_value": ("stock", lambda t: float((t["have"] * t["list"]).sum())),
    "items_below_reorder": ("stock", _flag(lambda t: t["have"] < t["point"])),
    "items_at_reorder": ("stock", _flag(lambda t: t["have"] == t["point"])),
    "items_at_or_below_reorder": ("stock", _flag(lambda t: t["have"] <= t["point"])),
    "items_out_of_stock": ("stock", _flag(lambda t: t["have"] == 0)),
    "stock_lines": ("stock", len),
    "patients": ("patients", len),
    "store_count": ("stores", len),
    "product_count": ("products", len),
    "brand_count": ("products", lambda t: int(t["brand"].nunique())),
}


class Ledger:
    """One tenant's tables, built from its CSV files alone."""

    def __init__(self, slug: str) -> None:
        def load(table: str) -> pd.DataFrame:
            return pd.read_csv(HERE / slug / f"{table}.csv", dtype=str, keep_default_na=False)

        stores, products = load("stores"), load("products")
        shops = stores.rename(columns={"name": "store_name"})
        lines = load("sales").merge(products[["sku", "name", "category", "brand"]], on="sku", how="left")
        lines = lines.merge(shops, on="store_code", how="left")
        lines["qty"] = pd.to_numeric(lines["quantity"])
        lines["rebate"] = pd.to_numeric(lines["discount"])
        lines["line_gross"] = lines["qty"] * pd.to_numeric(lines["unit_price"])
        lines["line_net"] = lines["line_gross"] - lines["rebate"]
        when = pd.to_datetime(lines["sold_at"]).dt.normalize()
        lines["when"] = when
        lines["day"] = when.dt.strftime("%Y-%m-%d")
        lines["month"] = when.dt.strftime("%Y-%m")
        lines["quarter"] = when.dt.year.astype(str) + "-Q" + ((when.dt.month + 2) // 3).astype(str)
        lines["year"] = when.dt.year
        lines["weekday"] = when.dt.day_of_week + 1
        lines["week"] = (when - pd.to_timedelta(when.dt.day_of_week, unit="D")).dt.strftime("%Y-%m-%d")
        shelf = load("stock").merge(products, on="sku", how="left").merge(shops, on="store_code", how="left")
        shelf["have"] = pd.to_numeric(shelf["on_hand"])
        shelf["point"] = pd.to_numeric(shelf["reorder_point"])
        shelf["list"] = pd.to_numeric(shelf["unit_price"])
        cards = load("patients")
        cards["age_band"] = [self._band(date.fromisoformat(b), date.fromisoformat(s))
                             for b, s in zip(cards["date_of_birth"], cards["last_exam_date"], strict=True)]
        self.tables = {"sales": lines, "stock": shelf, "patients": cards, "stores": stores, "products": products}
        self.span = (when.min().date(), when.max().date())

    @staticmethod
    def _band(born: date, seen: date) -> str:
        years = seen.year - born.year - (1 if (seen.month, seen.day) < (born.month, born.day) else 0)
        return "90+" if years >= 90 else f"{years - years % 10}-{years - years % 10 + 9}"


def keep(t: pd.DataFrame, section: dict[str, list[Any]] | None) -> pd.Series:
    ok = pd.Series(True, index=t.index)
    for key, wanted in (section or {}).items():
        if key == "keyword":
            ok &= t["name"].str.lower().map(lambda n, w=tuple(v.lower() for v in wanted): any(x in n for x in w))
        elif key == "weekday":
            ok &= t["weekday"].isin({int(v) for v in wanted})
        else:
            ok &= t[FIELD.get(key, key)].isin(list(wanted))
    return ok


def pick(book: Ledger, calc: dict[str, Any], period: list[str] | None) -> pd.DataFrame:
    t = book.tables[MEASURES[calc["m"]][0]]
    t = t[keep(t, calc.get("f"))]
    if calc.get("x"):
        t = t[~keep(t, calc["x"])]
    if period and "when" in t:
        t = t[t["when"].between(pd.Timestamp(period[0]), pd.Timestamp(period[1]))]
    return t


def totals(t: pd.DataFrame, dims: list[str], name: str) -> dict[Any, Any]:
    fn = MEASURES[name][1]
    out: dict[Any, Any] = {}
    if t.empty:
        return out
    for key, part in t.groupby([FIELD.get(d, d) for d in dims]):
        parts = key if isinstance(key, tuple) else (key,)
        parts = tuple(int(v) if d in ("year", "weekday") else v for d, v in zip(dims, parts, strict=True))
        out[parts if len(dims) > 1 else parts[0]] = fn(part)
    return out


def order(values: dict[Any, Any], direction: str) -> list[tuple[Any, Any]]:
    have = [(k, v) for k, v in values.items() if v is not None]
    have.sort(key=lambda kv: float(kv[1]), reverse=direction == "desc")
    return have + [(k, v) for k, v in values.items() if v is None]


def evaluate(calc: dict[str, Any], book: Ledger) -> dict[str, Any]:
    name, dims, rank = calc["m"], list(calc.get("by", [])), calc.get("rank")
    fn = MEASURES[name][1]
    if calc.get("cmp"):
        now, before = pick(book, calc, calc.get("p")), pick(book, calc, calc["cmp"])
        if not dims:
            return {"kind": "cmp", "current": fn(now), "previous": fn(before)}
        a, b = totals(now, dims, name), totals(before, dims, name)
        if rank:
            delta = {k: (a.get(k) or 0) - (b.get(k) or 0) for k in {*a, *b}}
            return {"kind": "rank", "top": [(k, a.get(k, 0)) for k, _ in order(delta, rank[0])[: rank[1]]], "all": a}
        return {"kind": "cmp_by", "current": a, "previous": b}
    t = pick(book, calc, calc.get("p"))
    if calc.get("avg"):
        pools: dict[Any, list[float]] = defaultdict(list)
        for key, value in totals(t, [*dims, calc["avg"]], name).items():
            head = None if not dims else (key[0] if len(dims) == 1 else key[:-1])
            pools[head].append(value or 0)
        mean = {k: sum(v) / len(v) for k, v in pools.items()}
        if not dims:
            return {"kind": "scalar", "value": mean.get(None)}
        if rank:
            return {"kind": "rank", "top": order(mean, rank[0])[: rank[1]], "all": mean}
        return {"kind": "by", "groups": mean}
    if calc.get("part") is not None:
        whole, piece = fn(t), fn(t[keep(t, calc["part"])])
        return {"kind": "share", "value": piece, "total": whole, "share": _per(piece, whole, 100)}
    if not dims:
        return {"kind": "scalar", "value": fn(t)}
    values = totals(t, dims, name)
    if rank and calc.get("within"):
        inner: dict[Any, dict[Any, Any]] = defaultdict(dict)
        for key, value in values.items():
            inner[key[0]][key] = value
        return {"kind": "rank_per", "all": values, "top": {g: order(v, rank[0])[: rank[1]] for g, v in inner.items()}}
    if rank:
        if rank[0] == "asc" and len(dims) == 1 and dims[0] in ("store", "product"):
            listing, allowed = ((book.tables["stores"], ("store", "city", "state")) if dims[0] == "store"
                                else (book.tables["products"], ("category", "brand", "product", "keyword")))
            listing = listing[keep(listing, {k: v for k, v in (calc.get("f") or {}).items() if k in allowed})]
            values = {**dict.fromkeys(listing[FIELD[dims[0]]], 0), **values}
        return {"kind": "rank", "top": order(values, rank[0])[: rank[1]], "all": values}
    if calc.get("share_by"):
        whole = sum(v for v in values.values() if v is not None)
        return {"kind": "share_by", "groups": {k: _per(v, whole, 100) for k, v in values.items()}}
    return {"kind": "by", "groups": values}


def same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 0.005


def same_ranking(mine: list, theirs: list, every: dict) -> bool:
    return len(mine) == len(theirs) and all(
        same(mv or 0, tv or 0) and (mk == tk or same(every.get(tk, -1) or 0, mv or 0))
        for (mk, mv), (tk, tv) in zip(mine, theirs, strict=True))


def same_groups(a: dict, b: dict) -> bool:
    return set(a) == set(b) and all(same(a[k], b[k]) for k in a)


def agree(mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    kind = mine["kind"]
    if kind != theirs["kind"]:
        return False
    if kind == "scalar":
        return same(mine["value"] or 0, theirs["value"] or 0)
    if kind == "cmp":
        return same(mine["current"] or 0, theirs["current"] or 0) and same(mine["previous"] or 0,
                                                                          theirs["previous"] or 0)
    if kind == "share":
        return all(same(mine[k], theirs[k]) for k in ("value", "total", "share"))
    if kind in ("by", "share_by"):
        return same_groups(mine["groups"], theirs["groups"])
    if kind == "cmp_by":
        return same_groups(mine["current"], theirs["current"]) and same_groups(mine["previous"], theirs["previous"])
    if kind == "rank":
        return same_ranking(mine["top"], list(theirs["top"]), mine["all"])
    return set(mine["top"]) == set(theirs["top"]) and all(
        same_ranking(mine["top"][g], list(theirs["top"][g]), mine["all"]) for g in mine["top"])


def lint(case: dict[str, Any], book: Ledger | None, ids: Counter) -> list[str]:
    """The problems of one case's label; an empty list when it is sound."""
    out = []
    cid = str(case.get("id", ""))
    if len(cid) != 7 or not cid.startswith("h18-") or not cid[4:].isdigit():
        out.append(f"id {cid!r} is not h18-NNN")
    if ids[cid] > 1:
        out.append(f"id {cid} used {ids[cid]} times")
    if case.get("shape") not in SHAPES:
        out.append(f"unknown shape {case.get('shape')!r}")
    if book is None:
        return [*out, f"tenant {case.get('tenant')!r} has no CSV files"]
    if case.get("shape") == "follow_up" and not case.get("context"):
        out.append("a follow-up without its earlier turns (context)")
    if case.get("shape") == "refusal" or case.get("expect") == "refuse":
        if case.get("expect") != "refuse":
            out.append("a refusal without expect: refuse")
        if "calc" in case:
            out.append("a refusal with a calc label")
        return out
    calc = case.get("calc") or {}
    if calc.get("m") not in MEASURES:
        return [*out, f"unknown or missing measure {calc.get('m')!r}"]
    table_name = MEASURES[calc["m"]][0]
    t = book.tables[table_name]
    for section in ("f", "x", "part"):
        for key, wanted in (calc.get(section) or {}).items():
            out += absent(section, key, wanted, t, table_name)
    dims = list(calc.get("by", []))
    for dim in [*dims, *([calc["avg"]] if calc.get("avg") else [])]:
        if dim in TIME_KEYS:
            if table_name != "sales":
                out.append(f"time breakdown {dim} on a {table_name} measure")
        elif FIELD.get(dim, dim) not in t:
            out.append(f"breakdown {dim} is not a column of {table_name}")
    for key in ("p", "cmp"):
        if calc.get(key) is None:
            continue
        if table_name != "sales":
            out.append(f"a period ({key}) on a {table_name} measure")
            continue
        try:
            start, end = (date.fromisoformat(v) for v in calc[key])
        except (TypeError, ValueError):
            out.append(f"{key} {calc[key]!r} is not two ISO dates")
            continue
        if start > end or end < book.span[0] or (start - book.span[1]).days > 31:
            out.append(f"{key} {calc[key]} runs backwards or misses the data")
    if calc.get("rank") and not dims:
        out.append("a ranking without a breakdown")
    if calc.get("within") and (len(dims) != 2 or dims[0] != calc["within"]):
        out.append(f"within {calc['within']!r} is not the first of two dimensions {dims}")
    if calc.get("part") is not None and (dims or calc.get("cmp")):
        out.append("a share part with a breakdown or comparison")
    return out


def absent(section: str, key: str, wanted: list[Any], t: pd.DataFrame, table_name: str) -> list[str]:
    if key == "keyword":
        names = t["name"].str.lower().tolist() if "name" in t else []
        return [f"{section}.keyword {v!r} is in no name" for v in wanted if not any(v.lower() in n for n in names)]
    if key == "weekday":
        return [f"{section}.weekday {v!r} is not 1-7" for v in wanted if not 1 <= int(v) <= 7]
    column = FIELD.get(key, key)
    if column not in t:
        return [f"{section}.{key} is not a column of {table_name}"]
    there = set(t[column])
    return [f"{section}.{key} value {v} does not occur in the data" for v in wanted if v not in there]


def looks(case: dict[str, Any], mine: dict[str, Any]) -> list[str]:
    out = []
    empty = (mine["kind"] == "scalar" and not mine["value"]) or (mine["kind"] == "by" and not mine["groups"])
    if empty and "0" not in case.get("note", ""):
        out.append("expected 0 or nothing, and the note does not say so")
    if mine["kind"] in ("rank", "rank_per"):
        for top in (mine["top"].values() if mine["kind"] == "rank_per" else [mine["top"]]):
            if not top:
                continue
            head = top[0][0][0] if mine["kind"] == "rank_per" else None
            chosen = {k for k, _ in top}
            rest = [v for k, v in mine["all"].items() if k not in chosen and (head is None or k[0] == head)]
            if any(same(v or 0, top[-1][1] or 0) for v in rest):
                out.append(f"a tie at the ranking's cut ({top[-1][0]})")
    return out


def plain(question: str) -> str:
    return " ".join(re.findall(r"\w+", question.lower()))


def asked_elsewhere(source: Path) -> set[str]:
    """The questions of the folder's other case files, in plain words."""
    out = set()
    for other in sorted(HERE.glob("*.jsonl")):
        if other.name.startswith(("cases", "heldout")) and other.resolve() != source.resolve():
            out |= {plain(json.loads(x)["question"]) for x in other.read_text(encoding="utf-8").splitlines()
                    if x.strip()}
    return out


def main(verbose: bool = False, path: Path | None = None) -> int:
    import bench.bench_answers as bench

    source = path or CASES
    cases = [json.loads(x) for x in source.read_text(encoding="utf-8").splitlines() if x.strip()]
    elsewhere = asked_elsewhere(source)
    ids = Counter(str(c.get("id")) for c in cases)
    asked = Counter((c.get("tenant"), tuple(c.get("context", [])), c.get("question")) for c in cases)
    books: dict[str, Ledger | None] = {}
    bench_frames: dict[str, Any] = {}
    bad = done = 0
    for case in cases:
        slug = str(case.get("tenant"))
        if slug not in books:
            books[slug] = Ledger(slug) if (HERE / slug / "sales.csv").is_file() else None
        issues = lint(case, books[slug], ids)
        if asked[(case.get("tenant"), tuple(case.get("context", [])), case.get("question"))] > 1:
            issues.append("the same question twice")
        if not case.get("context") and plain(str(case.get("question", ""))) in elsewhere:
            issues.append("the same question is in another case file")
        if issues:
            bad += 1
            print(f"LABEL {case.get('id')}: " + "; ".join(issues))
            continue
        if "calc" not in case:
            continue
        done += 1
        mine = evaluate(case["calc"], books[slug])
        if slug not in bench_frames:
            bench_frames[slug] = bench.load_frames(slug)
        theirs = bench.expected_sql(case["calc"], bench_frames[slug])
        if not agree(mine, theirs):
            bad += 1
            print(f"DISAGREE {case['id']} {case['question']!r}\n   mine:  {str(mine)[:300]}\n"
                  f"   bench: {str(theirs)[:300]}")
        elif verbose:
            print(f"ok {case['id']}")
        for note in looks(case, mine):
            print(f"look {case['id']}: {note}")
    print(f"{len(cases)} cases, {done} values recomputed, {bad} disagreements or label problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[2]))
    sys.exit(main(verbose="-v" in sys.argv))
