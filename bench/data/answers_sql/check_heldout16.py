"""Independent check of the SQL held-out set 16: answer every labelled case again from the CSV files, compare.

python bench/data/answers_sql/check_heldout16.py [-v]

Contract: for each case of heldout16.jsonl with a `calc` label this script computes the answer with its own pandas
code and holds it against `bench.bench_answers.expected_sql` (read only to compare; the SQL tool is never run).
How it answers: `Facts` reads a tenant's five CSV files once and joins them into one flat frame per family (sales
lines with product, place and calendar columns; stock lines with the list price; patients with the age band at the
last exam; the store and product lists); `select()` turns one label section (filters `f`, exclusions `x`, a share's
`part`) into a row mask; `measure()` computes a measure over a frame; `solve()` assembles the bench's result shapes
(scalar, by, rank, rank_per, cmp, cmp_by, share, share_by; averages per day / week / month / quarter / year / store
as the mean of the per-unit totals over the units that have rows). Exit status 1 when a value disagrees or a label is
malformed: ids `h16-NNN`, unique; a known shape; refusals carry `expect: refuse` and no `calc`; a measure the bench
knows; filter, exclusion, part and breakdown keys that are columns of the measure's family and values that occur in
the tenant's data; ISO periods that run forwards, touch the tenant's sales and go on sales measures only; a ranking
has a breakdown, a `within` ranking is by its `within` dimension and one other; a share part has no breakdown or
comparison; a follow-up names its earlier turns; no question twice, none copied from another case file (the files
closed to this writer, heldout11/13/15.jsonl, are never opened). Printed, failing nothing: an expected 0 or an empty
breakdown that the note does not announce, and a tie at a ranking's cut (in any group of a `within` ranking).
`main(path=...)` checks another file in the same format.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
CASES = HERE / "heldout16.jsonl"
NOT_MINE = {"heldout11.jsonl", "heldout13.jsonl", "heldout15.jsonl"}  # closed to this writer: never read
SHAPES = {"total", "breakdown", "ranking", "time_ranking", "time_shape", "comparison", "yoy", "share", "average",
          "distinct", "catalog", "stock", "patients", "filters", "follow_up", "multi_dim", "typo", "refusal"}
TIME_DIMS = {"day", "week", "month", "quarter", "year", "weekday"}
RENAME = {"store": "store_code", "product": "sku"}
SALES_MEASURES = {"units", "revenue", "gross_revenue", "discount_total", "discount_rate", "order_lines", "orders",
                  "distinct_products", "distinct_brands", "distinct_stores", "discounted_orders",
                  "discounted_order_rate", "avg_selling_price", "avg_order_value", "units_per_order",
                  "avg_discount_per_order"}
STOCK_MEASURES = {"stock_on_hand", "stock_value", "items_below_reorder", "items_at_reorder",
                  "items_at_or_below_reorder", "items_out_of_stock", "stock_lines"}
FAMILY = {**dict.fromkeys(SALES_MEASURES, "sales"), **dict.fromkeys(STOCK_MEASURES, "stock"),
          "patients": "patients", "store_count": "stores", "product_count": "products", "brand_count": "products"}


def _div(a: float, b: float, scale: float = 1.0) -> float | None:
    return None if not b else scale * float(a) / float(b)


def measure(name: str, rows: pd.DataFrame) -> Any:
    """One measure over a family's rows (sales money: net = quantity * price - discount)."""
    if name in SALES_MEASURES:
        qty, gross, off = rows["qty"].sum(), rows["line_gross"].sum(), rows["off"].sum()
        orders = rows["order_id"].nunique()
        with_off = rows.loc[rows["off"] > 0, "order_id"].nunique()
        table = {"units": lambda: int(qty), "revenue": lambda: float(gross - off),
                 "gross_revenue": lambda: float(gross),
                 "discount_total": lambda: float(off), "discount_rate": lambda: _div(off, gross, 100.0),
                 "order_lines": lambda: int(len(rows)), "orders": lambda: int(orders),
                 "distinct_products": lambda: int(rows["sku"].nunique()),
                 "distinct_brands": lambda: int(rows["brand"].nunique()),
                 "distinct_stores": lambda: int(rows["store_code"].nunique()),
                 "discounted_orders": lambda: int(with_off),
                 "discounted_order_rate": lambda: _div(with_off, orders, 100.0),
                 "avg_selling_price": lambda: _div(gross - off, qty),
                 "avg_order_value": lambda: _div(gross - off, orders),
                 "units_per_order": lambda: _div(qty, orders), "avg_discount_per_order": lambda: _div(off, orders)}
        return table[name]()
    if name == "stock_on_hand":
        return int(rows["have"].sum())
    if name == "stock_value":
        return float((rows["have"] * rows["list_price"]).sum())
    if name in STOCK_MEASURES:
        test = {"items_below_reorder": rows["have"] < rows["point"], "items_at_reorder": rows["have"] == rows["point"],
                "items_at_or_below_reorder": rows["have"] <= rows["point"], "items_out_of_stock": rows["have"] == 0,
                "stock_lines": rows["have"] >= 0}[name]
        return int(test.sum())
    if name == "brand_count":
        return int(rows["brand"].nunique())
    return int(len(rows))  # patients, store_count, product_count


class Facts:
    """A tenant's CSV files joined into one flat frame per family, read on first use."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        self._cache: dict[str, pd.DataFrame] = {}

    def _read(self, table: str) -> pd.DataFrame:
        return pd.read_csv(HERE / self.slug / f"{table}.csv", dtype=str, keep_default_na=False, encoding="utf-8")

    def family(self, name: str) -> pd.DataFrame:
        if name not in self._cache:
            self._cache[name] = getattr(self, f"_build_{name}")()
        return self._cache[name]

    def _build_stores(self) -> pd.DataFrame:
        return self._read("stores")

    def _build_products(self) -> pd.DataFrame:
        return self._read("products")

    def _placed(self, table: str, product_columns: list[str]) -> pd.DataFrame:
        lines = self._read(table)
        out = lines.merge(self.family("products")[["sku", *product_columns]], on="sku", how="left", validate="m:1")
        out = out.merge(self.family("stores")[["store_code", "city", "state"]], on="store_code", how="left",
                        validate="m:1")
        if out[["category", "state"]].isna().any().any():
            raise SystemExit(f"{self.slug}/{table}.csv names a store or product missing from the lists")
        return out

    def _build_sales(self) -> pd.DataFrame:
        f = self._placed("sales", ["name", "category", "brand"])
        f["qty"] = f["quantity"].astype(int)
        f["line_gross"] = f["qty"] * f["unit_price"].astype(float)
        f["off"] = f["discount"].replace("", "0").astype(float)
        when = pd.to_datetime(f["sold_at"], format="%Y-%m-%d")
        monday = when - pd.to_timedelta(when.dt.day_of_week, unit="D")
        f["day"] = when.dt.date.astype(str)
        f["week"], f["month"] = monday.dt.date.astype(str), when.dt.strftime("%Y-%m")
        f["quarter"] = [f"{y}-Q{q}" for y, q in zip(when.dt.year, when.dt.quarter, strict=True)]
        f["year"], f["weekday"] = when.dt.year.astype(int), (when.dt.day_of_week + 1).astype(int)
        return f

    def _build_stock(self) -> pd.DataFrame:
        f = self._placed("stock", ["name", "category", "brand", "unit_price"])
        f["have"], f["point"] = f["on_hand"].astype(int), f["reorder_point"].astype(int)
        f["list_price"] = f["unit_price"].astype(float)
        return f

    def _build_patients(self) -> pd.DataFrame:
        f = self._read("patients")

        def band(born: str, seen: str) -> str:
            b, s = date.fromisoformat(born), date.fromisoformat(seen)
            years = s.year - b.year - int((s.month, s.day) < (b.month, b.day))
            return "90+" if years >= 90 else f"{years // 10 * 10}-{years // 10 * 10 + 9}"

        f["age_band"] = [band(b, s) for b, s in zip(f["date_of_birth"], f["last_exam_date"], strict=True)]
        return f


def select(rows: pd.DataFrame, section: dict[str, list[Any]] | None) -> pd.Series:
    """Rows meeting every key of a label section; a key's values are alternatives."""
    mask = pd.Series(True, index=rows.index)
    for key, values in (section or {}).items():
        if key == "keyword":
            lowered = rows["name"].str.lower()
            hit = pd.Series(False, index=rows.index)
            for word in values:
                hit |= lowered.str.contains(word.lower(), regex=False)
            mask &= hit
        elif key == "weekday":
            mask &= rows["weekday"].isin([int(v) for v in values])
        else:
            mask &= rows[RENAME.get(key, key)].isin(values)
    return mask


def window(rows: pd.DataFrame, period: list[str] | None) -> pd.DataFrame:
    if not period or "day" not in rows.columns:
        return rows
    return rows[rows["day"].between(period[0], period[1])]


def per_group(rows: pd.DataFrame, dims: list[str], name: str) -> dict[Any, Any]:
    if rows.empty:
        return {}
    keys = [RENAME.get(d, d) for d in dims]
    out = {}
    for key, part in rows.groupby(keys, sort=True):
        out[key if len(keys) > 1 else key[0]] = measure(name, part)
    return out


def order(values: dict[Any, Any], direction: str) -> list[tuple[Any, Any]]:
    """Largest first (desc) or smallest first (asc); groups without a value at the end."""
    present = sorted(((k, v) for k, v in values.items() if v is not None), key=lambda kv: kv[1],
                     reverse=direction == "desc")
    return present + [(k, v) for k, v in values.items() if v is None]


def with_zeros(values: dict[Any, Any], calc: dict[str, Any], facts: Facts) -> dict[Any, Any]:
    """A bottom ranking of stores or products also ranks the asked place's stores / products that sold nothing."""
    dims, wanted = calc.get("by") or [], calc.get("f") or {}
    if dims == ["store"]:
        listed, column, sides = facts.family("stores"), "store_code", {"store", "city", "state"}
    elif dims == ["product"]:
        listed, column, sides = facts.family("products"), "sku", {"category", "brand", "product", "keyword"}
    else:
        return values
    chosen = listed[select(listed, {k: v for k, v in wanted.items() if k in sides})][column]
    return {**dict.fromkeys(chosen, 0), **values}


def solve(calc: dict[str, Any], facts: Facts) -> dict[str, Any]:
    """The label's answer in the shapes of `bench_answers.expected_sql`."""
    name, dims = calc["m"], list(calc.get("by") or [])
    rows = facts.family(FAMILY[name])
    keep = select(rows, calc.get("f"))
    if calc.get("x"):
        keep &= ~select(rows, calc["x"])
    rows = rows[keep]
    if calc.get("cmp"):
        sides = [window(rows, span) for span in (calc.get("p"), calc["cmp"])]
        values = [per_group(side, dims, name) if dims else measure(name, side) for side in sides]
        shape = "cmp" if not dims else ("rank" if calc.get("rank") else "cmp_by")
        if shape != "rank":
            return {"kind": shape, "current": values[0], "previous": values[1]}
        # ranked by the change ("dropped the most"), listed with the current value
        change = {k: (values[0].get(k) or 0) - (values[1].get(k) or 0) for k in {*values[0], *values[1]}}
        return {"kind": "rank", "all": values[0],
                "top": [(k, values[0].get(k, 0)) for k, _ in order(change, calc["rank"][0])[: calc["rank"][1]]]}
    rows = window(rows, calc.get("p"))
    if calc.get("avg"):
        unit_totals = per_group(rows, [*dims, calc["avg"]], name)
        buckets: dict[Any, list[float]] = {}
        for key, value in unit_totals.items():
            outer = None if not dims else (key[:-1] if len(dims) > 1 else key[0])
            buckets.setdefault(outer, []).append(value or 0)
        means = {k: sum(v) / len(v) for k, v in buckets.items()}
        if not dims:
            return {"kind": "scalar", "value": means.get(None)}
        if calc.get("rank"):
            direction, n = calc["rank"]
            return {"kind": "rank", "top": order(means, direction)[:n], "all": means}
        return {"kind": "by", "groups": means}
    if calc.get("part") is not None:
        part, whole = measure(name, rows[select(rows, calc["part"])]), measure(name, rows)
        return {"kind": "share", "value": part, "total": whole, "share": _div(part, whole, 100.0)}
    if not dims:
        return {"kind": "scalar", "value": measure(name, rows)}
    groups = per_group(rows, dims, name)
    if calc.get("rank") and calc.get("within"):
        direction, n = calc["rank"]
        inner: dict[Any, dict[Any, Any]] = {}
        for key, value in groups.items():
            inner.setdefault(key[0], {})[key] = value
        return {"kind": "rank_per", "top": {g: order(vals, direction)[:n] for g, vals in inner.items()},
                "all": groups}
    if calc.get("rank"):
        direction, n = calc["rank"]
        if direction == "asc":
            groups = with_zeros(groups, calc, facts)
        return {"kind": "rank", "top": order(groups, direction)[:n], "all": groups}
    if calc.get("share_by"):
        total = sum(v for v in groups.values() if v is not None)
        return {"kind": "share_by", "groups": {k: 100.0 * v / total for k, v in groups.items()}}
    return {"kind": "by", "groups": groups}


# ---- holding the answer against the bench's ---------------------------------------------------------------------


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _text(key: Any) -> Any:
    """A group key as text (numpy and Python integers alike), part by part for a key of several dimensions."""
    return tuple(str(part) for part in key) if isinstance(key, tuple) else str(key)


def same(mine: Any, theirs: Any) -> bool:
    """Structural equality: dict keys (as text) and list lengths equal, numbers within a millionth, text equal. In a
    ranking's (key, value) pairs only the values count, so tied groups may stand in either order."""
    if isinstance(mine, dict) and isinstance(theirs, dict):
        if {_text(k) for k in mine} != {_text(k) for k in theirs}:
            return False
        lookup = {_text(k): v for k, v in theirs.items()}
        return all(same(v, lookup[_text(k)]) for k, v in mine.items())
    if isinstance(mine, (list, tuple)) and isinstance(theirs, (list, tuple)):
        if len(mine) != len(theirs):
            return False
        ranked = all(isinstance(x, tuple) and len(x) == 2 for x in (*mine, *theirs))
        pairs = [(a[1], b[1]) for a, b in zip(mine, theirs, strict=True)] if ranked else zip(mine, theirs,
                                                                                              strict=True)
        return all(same(a, b) for a, b in pairs)
    a, b = _number(mine), _number(theirs)
    if a is not None and b is not None and not isinstance(mine, str) and not isinstance(theirs, str):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)
    return str(mine) == str(theirs)


# ---- label checks -------------------------------------------------------------------------------------------------


def plain(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def label_problems(case: dict[str, Any], facts: Facts, today: date) -> list[str]:
    """What is wrong with one case's label; empty when nothing is."""
    problems = []
    if case.get("shape") not in SHAPES:
        problems.append(f"unknown shape {case.get('shape')!r}")
    if case.get("route", "sql") != "sql":
        problems.append("route must be sql")
    turns = case.get("context")
    if turns is not None and (not isinstance(turns, list) or not turns or not all(isinstance(t, str) for t in turns)):
        problems.append("context must list the earlier questions")
    if case.get("shape") == "follow_up" and not turns:
        problems.append("a follow-up without its earlier turns")
    if "expect" in case:
        if case["expect"] != "refuse":
            problems.append(f"unknown expect {case['expect']!r}")
        if "calc" in case:
            problems.append("a refusal with a calc label")
        if not case.get("note"):
            problems.append("a refusal needs a note saying what the data cannot answer")
        return problems
    calc = case.get("calc")
    if not isinstance(calc, dict) or calc.get("m") not in FAMILY:
        return [*problems, f"an answer needs a calc with a known measure, got {calc!r}"]
    rows = facts.family(FAMILY[calc["m"]])
    for section in ("f", "x", "part"):
        for key, values in (calc.get(section) or {}).items():
            problems += _value_problems(section, key, values, rows, facts, calc["m"])
    for dim in [*(calc.get("by") or []), *([calc["avg"]] if calc.get("avg") else [])]:
        if RENAME.get(dim, dim) not in rows.columns:
            problems.append(f"{'time breakdown' if dim in TIME_DIMS else 'breakdown'} {dim} of {calc['m']}: "
                            "not a column of its family")
    problems += _period_problems(calc, facts, rows, today)
    dims, rank = calc.get("by") or [], calc.get("rank")
    if rank is not None and not (isinstance(rank, list) and len(rank) == 2 and rank[0] in ("asc", "desc")
                                 and isinstance(rank[1], int) and rank[1] >= 1 and dims):
        problems.append(f"bad ranking {rank!r}")
    if calc.get("within") is not None and (not rank or len(dims) != 2 or dims[0] != calc["within"]):
        problems.append(f"within {calc['within']!r} needs a ranking by it and one other dimension, got {dims}")
    if calc.get("share_by") and not dims:
        problems.append("share_by without a breakdown")
    if calc.get("part") is not None and (dims or calc.get("cmp")):
        problems.append("a share part with a breakdown or a comparison")
    return problems


def _value_problems(section: str, key: str, values: list[Any], rows: pd.DataFrame, facts: Facts,
                    name: str) -> list[str]:
    if not isinstance(values, list) or not values:
        return [f"{section}: {key} needs a non-empty list"]
    if key == "keyword":
        names = " | ".join(facts.family("products")["name"]).lower()
        return [f"{section}: no product name contains {v!r}" for v in values if str(v).lower() not in names]
    if key == "weekday":
        return [f"{section}: weekday {v!r} is not 1-7" for v in values if v not in range(1, 8)]
    column = RENAME.get(key, key)
    if column not in rows.columns:
        return [f"{section}: {key} is not a column of the {name} family"]
    known = set(rows[column])
    for listed in (facts.family("stores"), facts.family("products")):
        if column in listed.columns:
            known |= set(listed[column])
    return [f"{section}: {key}={v!r} does not occur in the tenant's data" for v in values if v not in known]


def _period_problems(calc: dict[str, Any], facts: Facts, rows: pd.DataFrame, today: date) -> list[str]:
    """A period may run up to the bench's reference day ("week to date" on a Monday: today only, no sales yet)."""
    found = []
    days = facts.family("sales")["day"]
    for key in ("p", "cmp"):
        if key not in calc:
            continue
        span = calc[key]
        try:
            start, end = (date.fromisoformat(d) for d in span)
        except (TypeError, ValueError):
            found.append(f"{key} must be two ISO dates")
            continue
        if start > end:
            found.append(f"{key} runs backwards")
        if end.isoformat() < days.min() or start > max(date.fromisoformat(days.max()), today):
            found.append(f"{key} lies outside the tenant's sales ({days.min()} - {days.max()}) and today ({today})")
        if "day" not in rows.columns:
            found.append(f"a period on {calc['m']}, which has no date")
    return found


def worth_a_look(case: dict[str, Any], mine: dict[str, Any]) -> list[str]:
    note, calc, seen = case.get("note", ""), case["calc"], []
    if mine["kind"] == "scalar" and not mine["value"] and "0" not in note:
        seen.append("expected 0, and the note does not say so")
    if mine["kind"] in ("by", "share_by", "cmp_by") and not (mine.get("groups") or mine.get("current")):
        seen.append("a breakdown without groups")
    if calc.get("rank") and not calc.get("cmp") and "tie" not in note:
        direction, n = calc["rank"]
        pools = {None: mine["all"]} if mine["kind"] == "rank" else {
            g: {k: v for k, v in mine["all"].items() if k[0] == g} for g in mine["top"]}
        for group, pool in pools.items():
            values = [v for _, v in order(pool, direction)]
            if n < len(values) and values[n - 1] == values[n]:
                seen.append(f"a tie at the ranking's cut{'' if group is None else f' in {group}'} ({values[n]})")
    return seen


def questions_elsewhere(source: Path) -> set[str]:
    found: set[str] = set()
    for other in sorted(HERE.glob("*.jsonl")):
        if other.name in NOT_MINE or other.resolve() == source.resolve():
            continue
        for line in other.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.add(plain(json.loads(line)["question"]))
    return found


def main(verbose: bool = False, path: Path | None = None) -> int:
    """Check heldout16.jsonl (or `path`, a file in its format: then the bench loader's count is not compared)."""
    repo = str(HERE.parents[2])
    if repo not in sys.path:
        sys.path.insert(0, repo)
    import bench.bench_answers as bench

    source = path or CASES
    cases = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    ids = [str(c.get("id")) for c in cases]
    loaded = None if path else sum(c["_split"] == CASES.stem for c in bench.load_cases("sql"))
    failures = [text for bad, text in (
        (loaded not in (None, len(cases)), f"the bench loads {loaded} cases of {CASES.stem}, the file {len(cases)}"),
        (len(ids) != len(set(ids)) or any(not re.fullmatch(r"h16-\d{3}", i) for i in ids),
         "ids must be unique and read h16-NNN"),
    ) if bad]
    unknown = sorted({c.get("tenant") for c in cases} - {s for s in bench.TENANTS if (HERE / s).is_dir()}, key=str)
    if unknown:
        print(*failures, f"tenants not in bench_answers.TENANTS or without CSV files: {unknown}", sep="\n")
        return 1
    facts = {slug: Facts(slug) for slug in {c["tenant"] for c in cases}}
    bench_frames: dict[str, Any] = {}
    elsewhere = questions_elsewhere(source)
    # a turn: the tenant, the question's words and its earlier turns' words; the same turn twice is one too many
    turns = Counter((c["tenant"], plain(c["question"]), tuple(map(plain, c.get("context") or ()))) for c in cases)
    notes, compared, agreed = [], 0, 0
    for case in cases:
        tag = f"{case.get('id')} [{case['tenant']}/{case.get('shape')}] {case['question']!r}"
        words = plain(case["question"])
        problems = [*label_problems(case, facts[case["tenant"]], bench.TODAY),
                    *["asked twice in this set"] * (turns[(case["tenant"], words, tuple(
                        map(plain, case.get("context") or ())))] > 1),
                    *["the same question is in another case file"] * (not case.get("context") and words in elsewhere)]
        failures += [f"LABEL {tag}: {p}" for p in problems]
        if problems or "calc" not in case:
            continue
        mine = solve(case["calc"], facts[case["tenant"]])
        if case["tenant"] not in bench_frames:
            bench_frames[case["tenant"]] = bench.load_frames(case["tenant"])
        theirs = bench.expected_sql(case["calc"], bench_frames[case["tenant"]])
        compared += 1
        if mine["kind"] == theirs["kind"] and same(mine, theirs):
            agreed += 1
        else:
            failures.append(f"DISAGREE {tag}\n    mine:  {str(mine)[:300]}\n    bench: {str(theirs)[:300]}")
        notes += [f"note {tag}: {n}" for n in worth_a_look(case, mine)]
        if verbose:
            notes.append(f"{case['id']}: {str({k: v for k, v in mine.items() if k != 'all'})[:260]}")
    print(*failures, *notes, sep="\n")
    print(f"{len(cases)} cases, {len(cases) - compared} refusals or broken labels, {compared} with values: "
          f"{agreed} agree with the bench's expected_sql; {len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(verbose="-v" in sys.argv[1:]))
