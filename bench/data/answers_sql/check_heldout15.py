"""Independent check of the SQL held-out set 15: its expected values recomputed from the CSV files, and its labels.

python bench/data/answers_sql/check_heldout15.py [-v]        (exit 0: all agree; 1: a disagreement or a bad label)

Contract: for every case of heldout15.jsonl with a `calc` label this script works the answer out with its own
pandas code and holds it against `bench.bench_answers.expected_sql` (read only to compare; the SQL tool is never
run). Its own route to a value: each tenant's CSV files are read as text and joined once into three fact tables
(`facts()`: sale lines, stock lines, patients; plus the store and product catalogues), each with a column per label
name (store, product, city, state, category, brand, keyword source `name`, the calendar keys day / week / month /
quarter / year / weekday, age_band, lens_type). A label is answered by `solve()`: rows chosen by `select()` (filters,
exclusions, the period), then one of the bench's result shapes (scalar, by, rank, cmp, cmp_by, share,
share_by, and the per-unit averages: the mean of the per-day / week / month / quarter / year / store totals over
the units that have rows). A measure is a `Metric` (its fact table and its reducer over a frame).

Label checks (`problems()`): ids `h15-NNN`, unique; a known shape; a refusal has `expect: refuse`, no `calc`, and a
note when its shape is not `refusal`; an answer has a `calc` with a known measure, filter / exclusion / part /
breakdown names that are columns of the measure's table, filter values that occur in the tenant's data, ISO periods
running forwards that overlap the tenant's sales and are only given to sales measures, rankings with a breakdown, a
share part without breakdown or comparison; a follow-up has its earlier turns; no question is asked twice and none
repeats a question of another SQL case file (heldout11.jsonl and heldout13.jsonl are closed to this set's writer and
are never opened). Printed but not failing (`remarks()`): an expected 0 or empty breakdown the note does not
announce, a tie at the cut of a ranking. `main(path=...)` checks another file in this format.
"""

from __future__ import annotations

import importlib
import json
import operator
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import reduce
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
CASES = HERE / "heldout15.jsonl"
NOT_OPENED = {"heldout11.jsonl", "heldout13.jsonl"}
SHAPES = {"total", "breakdown", "ranking", "time_ranking", "time_shape", "comparison", "yoy", "share", "average",
          "distinct", "catalog", "stock", "patients", "filters", "follow_up", "multi_dim", "typo", "refusal"}
TIME_KEYS = ("day", "week", "month", "quarter", "year", "weekday")


def _div(a: float, b: float, scale: float = 1.0) -> float | None:
    return scale * a / b if b else None


@dataclass(frozen=True)
class Metric:
    table: str  # sales | stock | patients | stores | products
    reduce: Callable[[pd.DataFrame], Any]


def _net(f: pd.DataFrame) -> float:
    return float((f["qty"] * f["price"]).sum() - f["off"].sum())


def _orders_with_discount(f: pd.DataFrame) -> int:
    return int(f.loc[f["off"] > 0, "order_id"].nunique())


METRICS: dict[str, Metric] = {
    "units": Metric("sales", lambda f: int(f["qty"].sum())),
    "revenue": Metric("sales", _net),
    "gross_revenue": Metric("sales", lambda f: float((f["qty"] * f["price"]).sum())),
    "discount_total": Metric("sales", lambda f: float(f["off"].sum())),
    "discount_rate": Metric("sales", lambda f: _div(f["off"].sum(), (f["qty"] * f["price"]).sum(), 100.0)),
    "order_lines": Metric("sales", lambda f: len(f)),
    "orders": Metric("sales", lambda f: int(f["order_id"].nunique())),
    "distinct_products": Metric("sales", lambda f: int(f["product"].nunique())),
    "distinct_brands": Metric("sales", lambda f: int(f["brand"].nunique())),
    "distinct_stores": Metric("sales", lambda f: int(f["store"].nunique())),
    "avg_selling_price": Metric("sales", lambda f: _div(_net(f), f["qty"].sum())),
    "avg_order_value": Metric("sales", lambda f: _div(_net(f), f["order_id"].nunique())),
    "units_per_order": Metric("sales", lambda f: _div(f["qty"].sum(), f["order_id"].nunique())),
    "avg_discount_per_order": Metric("sales", lambda f: _div(f["off"].sum(), f["order_id"].nunique())),
    "discounted_orders": Metric("sales", _orders_with_discount),
    "discounted_order_rate": Metric("sales", lambda f: _div(_orders_with_discount(f), f["order_id"].nunique(),
                                                            100.0)),
    "stock_on_hand": Metric("stock", lambda f: int(f["have"].sum())),
    "stock_value": Metric("stock", lambda f: float((f["have"] * f["list"]).sum())),
    "items_below_reorder": Metric("stock", lambda f: int((f["have"] < f["point"]).sum())),
    "items_at_reorder": Metric("stock", lambda f: int((f["have"] == f["point"]).sum())),
    "items_at_or_below_reorder": Metric("stock", lambda f: int((f["have"] <= f["point"]).sum())),
    "items_out_of_stock": Metric("stock", lambda f: int((f["have"] == 0).sum())),
    "stock_lines": Metric("stock", lambda f: len(f)),
    "patients": Metric("patients", lambda f: len(f)),
    "store_count": Metric("stores", lambda f: len(f)),
    "product_count": Metric("products", lambda f: len(f)),
    "brand_count": Metric("products", lambda f: int(f["brand"].nunique())),
}


def _read(slug: str, table: str) -> pd.DataFrame:
    return pd.read_csv(HERE / slug / f"{table}.csv", dtype=str, keep_default_na=False, encoding="utf-8")


def _calendar(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    when = pd.to_datetime(frame[column], format="%Y-%m-%d")
    monday = when - pd.to_timedelta(when.dt.day_of_week, unit="D")
    return frame.assign(day=when.dt.strftime("%Y-%m-%d"), week=monday.dt.strftime("%Y-%m-%d"),
                        month=when.dt.strftime("%Y-%m"), quarter=[f"{d.year}-Q{(d.month + 2) // 3}" for d in when],
                        year=when.dt.year.astype(int), weekday=when.dt.isocalendar().day.astype(int))


def _age_band(born: str, seen: str) -> str:
    b, s = date.fromisoformat(born), date.fromisoformat(seen)
    years = s.year - b.year - ((s.month, s.day) < (b.month, b.day))
    return "90+" if years >= 90 else f"{years // 10 * 10}-{years // 10 * 10 + 9}"


def facts(slug: str) -> dict[str, pd.DataFrame]:
    """The tenant's fact tables, each with a column per label name."""
    stores = _read(slug, "stores").rename(columns={"store_code": "store"})
    products = _read(slug, "products").rename(columns={"sku": "product", "unit_price": "list"})
    products["list"] = products["list"].astype(float)
    place = stores[["store", "city", "state"]]
    item = products[["product", "name", "category", "brand", "list"]]

    def widen(table: str) -> pd.DataFrame:
        raw = _read(slug, table).rename(columns={"store_code": "store", "sku": "product"})
        wide = raw.merge(item, on="product", how="left", validate="many_to_one").merge(
            place, on="store", how="left", validate="many_to_one")
        if wide[["category", "state"]].isna().any().any():
            raise SystemExit(f"{slug}/{table}.csv names a store or product missing from the catalogue")
        return wide

    sales = _calendar(widen("sales"), "sold_at")
    sales["qty"], sales["price"] = sales["quantity"].astype(int), sales["unit_price"].astype(float)
    sales["off"] = sales["discount"].replace("", "0").astype(float)
    stock = widen("stock")
    stock["have"], stock["point"] = stock["on_hand"].astype(int), stock["reorder_point"].astype(int)
    patients = _read(slug, "patients")
    patients["age_band"] = [_age_band(b, s) for b, s in zip(patients["date_of_birth"], patients["last_exam_date"],
                                                             strict=True)]
    return {"sales": sales, "stock": stock, "patients": patients, "stores": stores, "products": products}


def _condition(frame: pd.DataFrame, name: str, values: list[Any]) -> pd.Series:
    """One label condition; its values are alternatives; a keyword is a part of the product name."""
    if name == "keyword":
        return frame["name"].str.lower().map(lambda text: any(v.lower() in text for v in values))
    return frame[name].isin([int(v) for v in values] if name == "weekday" else values)


def select(frame: pd.DataFrame, conditions: dict[str, list[Any]] | None, period: list[str] | None = None) -> pd.Series:
    """Rows meeting every condition and, on a table with dates, lying in the period (both days included)."""
    tests = [_condition(frame, name, values) for name, values in (conditions or {}).items()]
    if period and "day" in frame.columns:
        tests.append(frame["day"].between(period[0], period[1]))
    return reduce(operator.and_, tests, pd.Series(True, index=frame.index))


def per_group(frame: pd.DataFrame, dims: list[str], measure: str) -> dict[Any, Any]:
    """measure per group (a value for one dimension, a tuple for several); no rows, no groups."""
    one = len(dims) == 1
    return {(key[0] if one and isinstance(key, tuple) else key): METRICS[measure].reduce(part)
            for key, part in frame.groupby(dims[0] if one else dims, sort=True)} if len(frame) else {}


def order(values: dict[Any, Any], direction: str) -> list[tuple[Any, Any]]:
    """By value, largest first for desc; groups without a value at the end."""
    known = sorted(((k, v) for k, v in values.items() if v is not None), key=lambda kv: kv[1],
                   reverse=direction == "desc")
    return known + [(k, v) for k, v in values.items() if v is None]


def solve(calc: dict[str, Any], tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """The answer of a label in the shapes of `bench.bench_answers.expected_sql`."""
    measure, dims = calc["m"], list(calc.get("by") or [])
    value_of = METRICS[measure].reduce
    frame = tables[METRICS[measure].table]
    keep = select(frame, calc.get("f"))
    if calc.get("x"):
        keep &= ~select(frame, calc["x"])
    frame = frame[keep]
    if "cmp" in calc:
        now, then = frame[select(frame, None, calc.get("p"))], frame[select(frame, None, calc["cmp"])]
        if not dims:
            return {"kind": "cmp", "current": value_of(now), "previous": value_of(then)}
        current, previous = per_group(now, dims, measure), per_group(then, dims, measure)
        if "rank" not in calc:
            return {"kind": "cmp_by", "current": current, "previous": previous}
        direction, n = calc["rank"]
        delta = {k: (current.get(k) or 0) - (previous.get(k) or 0) for k in set(current) | set(previous)}
        return {"kind": "rank", "top": [(k, current.get(k, 0)) for k, _ in order(delta, direction)[:n]],
                "all": current}
    frame = frame[select(frame, None, calc.get("p"))]
    if calc.get("avg"):
        totals = per_group(frame, [*dims, calc["avg"]], measure)
        buckets: dict[Any, list[float]] = {}
        for key, value in totals.items():
            group = None if not dims else (key[0] if len(dims) == 1 else key[:-1])
            buckets.setdefault(group, []).append(value or 0)
        means = {k: sum(v) / len(v) for k, v in buckets.items()}
        if not dims:
            return {"kind": "scalar", "value": means.get(None)}
        if "rank" in calc:
            direction, n = calc["rank"]
            return {"kind": "rank", "top": order(means, direction)[:n], "all": means}
        return {"kind": "by", "groups": means}
    if calc.get("part") is not None:
        whole, part = value_of(frame), value_of(frame[select(frame, calc["part"])])
        return {"kind": "share", "value": part, "total": whole, "share": _div(part, whole, 100.0)}
    if not dims:
        return {"kind": "scalar", "value": value_of(frame)}
    groups = per_group(frame, dims, measure)
    if "rank" in calc and calc.get("within"):  # a ranking inside each group of the first dimension (stop 30)
        direction, n = calc["rank"]
        inner: dict[Any, dict[Any, Any]] = {}
        for key, value in groups.items():
            inner.setdefault(key[0], {})[key] = value
        return {"kind": "rank_per", "top": {g: order(vals, direction)[:n] for g, vals in inner.items()},
                "all": groups}
    if "rank" in calc:
        direction, n = calc["rank"]
        if direction == "asc" and dims in (["store"], ["product"]):  # what sold nothing ranks at the bottom too
            side = ("store", "city", "state") if dims == ["store"] else ("category", "brand", "product", "keyword")
            catalogue = tables["stores" if dims == ["store"] else "products"]
            wanted = select(catalogue, {k: v for k, v in (calc.get("f") or {}).items() if k in side})
            groups = dict.fromkeys(catalogue.loc[wanted, dims[0]], 0) | groups
        return {"kind": "rank", "top": order(groups, direction)[:n], "all": groups}
    if calc.get("share_by"):
        whole = sum(v for v in groups.values() if v is not None)
        return {"kind": "share_by", "groups": {k: 100.0 * v / whole for k, v in groups.items()}}
    return {"kind": "by", "groups": groups}


# ---- holding two answers against each other -------------------------------------------------------------------


def flatten(value: Any, at: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [pair for key in sorted(value, key=repr) for pair in flatten(value[key], f"{at}.{key!r}")]
    if isinstance(value, (list, tuple)):
        return [pair for i, v in enumerate(value) for pair in flatten(v, f"{at}[{i}]")] or [(at, "empty")]
    return [(at, value)]


def same(mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    """Equal kinds and leaves (numbers to a relative millionth); a ranking's names may differ only among ties."""
    if mine["kind"] == theirs["kind"] == "rank":
        mine = {"values": [v for _, v in mine["top"]], "all": mine["all"]}
        theirs = {"values": [v for _, v in theirs["top"]], "all": theirs["all"]}
    a, b = flatten(mine), flatten(theirs)
    if [p for p, _ in a] != [p for p, _ in b]:
        return False
    for (_, x), (_, y) in zip(a, b, strict=True):
        try:
            if abs(float(x) - float(y)) > 1e-6 * max(1.0, abs(float(x))):
                return False
        except (TypeError, ValueError):
            if str(x) != str(y):
                return False
    return True


# ---- labels ---------------------------------------------------------------------------------------------------


def plain(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def _shape_problems(case: dict[str, Any]) -> list[str]:
    context = case.get("context")
    turns_ok = context is None or (isinstance(context, list) and bool(context)
                                   and all(isinstance(t, str) for t in context))
    refusal = "expect" in case
    flags = {
        f"unknown shape {case.get('shape')!r}": case.get("shape") not in SHAPES,
        "route must be sql": case.get("route") != "sql",
        "context must be a non-empty list of earlier questions": not turns_ok,
        "a follow-up without its earlier turns": case.get("shape") == "follow_up" and not context,
        f"unknown expect {case.get('expect')!r}": refusal and case.get("expect") != "refuse",
        "a refusal with a calc label": refusal and "calc" in case,
        "a refusal outside the refusal shape needs a note": refusal and case.get("shape") != "refusal"
        and not case.get("note"),
    }
    return [text for text, bad in flags.items() if bad]


def _value_problems(section: str, name: str, values: list[Any], calc: dict[str, Any],
                    tables: dict[str, pd.DataFrame]) -> list[str]:
    """A filter / exclusion / part condition whose column or values the measure's table lacks."""
    frame = tables[METRICS[calc["m"]].table]
    if name == "keyword":
        names = " | ".join(tables["products"]["name"]).lower()
        return [f"{section}: no product name holds {v!r}" for v in values if v.lower() not in names]
    if name == "weekday":
        return [f"{section}: weekday {v!r} is not 1-7" for v in values if v not in range(1, 8)]
    if name not in frame.columns:
        return [f"{section}: {name} is not a column of the {calc['m']} table"]
    known = set(frame[name]).union(*(set(t[name]) for t in (tables["stores"], tables["products"]) if name in t))
    return [f"{section}: {name}={v!r} does not occur in the tenant's data" for v in values if v not in known]


def _period_problems(key: str, period: Any, calc: dict[str, Any], tables: dict[str, pd.DataFrame]) -> list[str]:
    try:
        start, end = [date.fromisoformat(d).isoformat() for d in period]
    except (TypeError, ValueError):
        return [f"{key} must be two ISO dates"]
    days = tables["sales"]["day"]
    flags = {
        f"{key} runs backwards": start > end,
        f"{key} lies outside the tenant's sales ({days.min()} - {days.max()})": end < days.min() or start > days.max(),
        f"a period on {calc['m']}, whose table has no date": "day" not in tables[METRICS[calc["m"]].table],
    }
    return [text for text, bad in flags.items() if bad]


def problems(case: dict[str, Any], tables: dict[str, pd.DataFrame]) -> list[str]:
    """What is wrong with one case's label (nothing: an empty list)."""
    found = _shape_problems(case)
    if "expect" in case:
        return found
    calc = case.get("calc")
    if not isinstance(calc, dict) or calc.get("m") not in METRICS:
        return [*found, f"an answer needs a calc with a known measure, got {calc!r}"]
    columns = tables[METRICS[calc["m"]].table].columns
    found += [problem for section in ("f", "x", "part") for name, values in (calc.get(section) or {}).items()
              for problem in _value_problems(section, name, values, calc, tables)]
    found += [f"{'time breakdown' if name in TIME_KEYS else 'breakdown'} {name} of {calc['m']}: not in its table"
              for name in [*(calc.get("by") or []), *filter(None, [calc.get("avg")])] if name not in columns]
    found += [problem for key in ("p", "cmp") if key in calc
              for problem in _period_problems(key, calc[key], calc, tables)]
    rank, dims = calc.get("rank"), calc.get("by")
    flags = {
        f"bad ranking {rank!r}": rank is not None and not (
            isinstance(rank, list) and len(rank) == 2 and rank[0] in ("asc", "desc") and isinstance(rank[1], int)
            and rank[1] >= 1 and bool(dims)),
        "share_by without a breakdown": bool(calc.get("share_by")) and not dims,
        "a share part with a breakdown or a comparison": calc.get("part") is not None and bool(dims or calc.get("cmp")),
    }
    return found + [text for text, bad in flags.items() if bad]


def remarks(case: dict[str, Any], answer: dict[str, Any]) -> list[str]:
    """Worth a look, failing nothing (a note mentioning '0' or 'tie' silences the first and the last)."""
    note, said = case.get("note") or "", []
    if answer["kind"] == "scalar" and not answer["value"] and "0" not in note:
        said.append("expected value 0 not announced in the note")
    if answer["kind"] in ("by", "cmp_by", "share_by") and not (answer.get("groups") or answer.get("current")):
        said.append("a breakdown without groups")
    calc = case["calc"]
    if answer["kind"] == "rank" and "cmp" not in calc and "tie" not in note:
        n = calc["rank"][1]
        values = [v for _, v in order(answer["all"], calc["rank"][0])]
        if n < len(values) and values[n - 1] == values[n]:
            said.append(f"a tie at the cut of the ranking ({values[n]})")
    return said


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines() if text.strip()]


def earlier_questions(source: Path) -> set[str]:
    """The questions of the other SQL case files (the closed ones are skipped unopened)."""
    others = [p for p in sorted(HERE.glob("*.jsonl")) if p.name not in NOT_OPENED and p.resolve() != source.resolve()]
    return {plain(case["question"]) for other in others for case in read_jsonl(other)}


def bench_module() -> Any:
    """bench.bench_answers, importable when this file runs as a script from anywhere."""
    if str(HERE.parents[2]) not in sys.path:
        sys.path.insert(0, str(HERE.parents[2]))
    return importlib.import_module("bench.bench_answers")


def main(verbose: bool = False, path: Path | None = None) -> int:
    """Check heldout15.jsonl (or `path` in its format, then without comparing the bench loader's count)."""
    bench = bench_module()
    source = path or CASES
    cases = read_jsonl(source)
    failures: list[str] = []
    if path is None:
        loaded = sum(c["_split"] == CASES.stem for c in bench.load_cases("sql"))
        if loaded != len(cases):
            failures.append(f"the bench loads {loaded} cases of {CASES.stem}, the file has {len(cases)}")
    ids = [str(c.get("id")) for c in cases]
    if len(set(ids)) != len(ids) or not all(re.fullmatch(r"h15-\d{3}", i) for i in ids):
        failures.append("ids must be unique and of the form h15-NNN")
    unknown = sorted({c.get("tenant") for c in cases if c.get("tenant") not in bench.TENANTS
                      or not (HERE / str(c.get("tenant"))).is_dir()}, key=str)
    if unknown:
        print(*failures, f"tenants unregistered in bench_answers.TENANTS or without CSV files: {unknown}", sep="\n")
        return 1
    tables = {slug: facts(slug) for slug in sorted({c["tenant"] for c in cases})}
    bench_frames: dict[str, Any] = {}
    asked: set[tuple[str, str, tuple[str, ...]]] = set()
    elsewhere = earlier_questions(source)
    valued: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for case in cases:
        tag = f"{case.get('id')} [{case['tenant']}/{case.get('shape')}] {case['question']!r}"
        turn = (case["tenant"], plain(case["question"]), tuple(plain(t) for t in case.get("context") or ()))
        wrong = problems(case, tables[case["tenant"]])
        if turn in asked:
            wrong.append("asked twice in this set")
        if not case.get("context") and turn[1] in elsewhere:
            wrong.append("the same question is in another case file")
        asked.add(turn)
        failures += [f"LABEL {tag}: {w}" for w in wrong]
        if not wrong and "calc" in case:
            valued.append((tag, case, solve(case["calc"], tables[case["tenant"]])))
    for slug in {case["tenant"] for _, case, _ in valued}:
        bench_frames[slug] = bench.load_frames(slug)
    agreed = 0
    for tag, case, mine in valued:
        theirs = bench.expected_sql(case["calc"], bench_frames[case["tenant"]])
        agreed += same(mine, theirs)
        failures += [] if same(mine, theirs) else [f"DISAGREE {tag}\n    mine:  {str(mine)[:300]}\n"
                                                   f"    bench: {str(theirs)[:300]}"]
        shown = [f"note {tag}: {remark}" for remark in remarks(case, mine)]
        shown += [f"{case['id']}: {str({k: v for k, v in mine.items() if k != 'all'})[:260]}"] if verbose else []
        print(*shown, sep="\n") if shown else None
    print(*failures, sep="\n") if failures else None
    print(f"{len(cases)} cases, {len(cases) - len(valued)} refusals or broken labels, {len(valued)} with values: "
          f"{agreed} agree with the bench's expected_sql; {len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(verbose="-v" in sys.argv[1:]))
