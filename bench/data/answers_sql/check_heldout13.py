"""Independent check of the SQL held-out set 13: answer every labelled case again from the CSV files and compare.

python bench/data/answers_sql/check_heldout13.py [-v]

Contract: each case of heldout13.jsonl that carries a `calc` label is answered here by this script's own pandas code:
one `Facts` object per tenant reads the five CSV files and joins them into three fact frames (sales lines, stock
lines, patients) plus the two catalogue frames, with the calendar keys as plain columns; a measure is a named
reducer over a frame; a label's filters, exclusions and share part are boolean masks; breakdowns are `groupby` over
columns. Neither the bench's `expected_sql` nor the SQL tool is called to get the answer. The answer is then compared
with what `expected_sql` makes of the same label (exit 1 on any disagreement). The labels are checked too: ids
`h13-NNN` and unique; a known shape; a refusal has no `calc`, an answer has one with a known measure; filter,
exclusion and breakdown columns exist in the measure's table and every filter value occurs in the tenant's data;
periods are real dates, run forwards and overlap the tenant's sales (and only sales measures take a period); a
follow-up carries its earlier turns; no question twice in the set (same tenant, same earlier turns) and none copied
from another SQL case file (heldout11.jsonl is not read: it is closed to all but its writer). Warnings (no failure):
an expected 0 or empty answer that the case's note does not announce, a tie at the cut of a ranking. Reads only CSV
and JSON-lines files; needs pandas (the project venv). `main(path=...)` checks another file in the same format.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).parent
CASES = HERE / "heldout13.jsonl"
NOT_READ = frozenset({"heldout11.jsonl"})
CASE_ID = re.compile(r"h13-\d{3}")
SHAPES = frozenset({"total", "breakdown", "ranking", "time_ranking", "time_shape", "comparison", "yoy", "share",
                    "average", "distinct", "catalog", "stock", "patients", "filters", "follow_up", "multi_dim",
                    "typo", "refusal"})
TIME_KEYS = ("day", "week", "month", "quarter", "year", "weekday")
ALIAS = {"store": "store_code", "product": "sku"}
PLACE_FILTERS = ("store", "city", "state")
PRODUCT_FILTERS = ("category", "brand", "product", "keyword")


def _div(top: float, bottom: float, scale: float = 1.0) -> float | None:
    return scale * top / bottom if bottom else None


def _sales(f: pd.DataFrame) -> dict[str, Any]:
    """Every sales measure of a frame of sale lines at once (cheap: a few sums)."""
    gross, off, units = float(f["line_gross"].sum()), float(f["disc"].sum()), int(f["qty"].sum())
    orders = int(f["order_id"].nunique())
    discounted = int(f.loc[f["disc"] > 0, "order_id"].nunique())
    return {"units": units, "gross_revenue": gross, "discount_total": off, "revenue": gross - off,
            "order_lines": len(f), "orders": orders, "distinct_products": int(f["sku"].nunique()),
            "distinct_brands": int(f["brand"].nunique()), "distinct_stores": int(f["store_code"].nunique()),
            "discounted_orders": discounted, "avg_selling_price": _div(gross - off, units),
            "avg_order_value": _div(gross - off, orders), "units_per_order": _div(units, orders),
            "avg_discount_per_order": _div(off, orders), "discount_rate": _div(off, gross, 100.0),
            "discounted_order_rate": _div(discounted, orders, 100.0)}


def _stock(f: pd.DataFrame) -> dict[str, Any]:
    have, floor = f["have"], f["floor"]
    return {"stock_on_hand": int(have.sum()), "stock_value": float((have * f["list_price"]).sum()),
            "items_below_reorder": int((have < floor).sum()), "items_at_reorder": int((have == floor).sum()),
            "items_at_or_below_reorder": int((have <= floor).sum()), "items_out_of_stock": int((have == 0).sum()),
            "stock_lines": len(f)}


SALES_MEASURES = frozenset(_sales(pd.DataFrame({"line_gross": [1.0], "disc": [0.0], "qty": [1], "order_id": ["o"],
                                                "sku": ["s"], "brand": ["b"], "store_code": ["c"]})))
STOCK_MEASURES = frozenset(_stock(pd.DataFrame({"have": [1], "floor": [1], "list_price": [1.0]})))
COUNT_MEASURES = {"patients": "patients", "store_count": "stores", "product_count": "products",
                  "brand_count": "products"}


def measure_of(name: str, frame: pd.DataFrame) -> Any:
    if name in SALES_MEASURES:
        return _sales(frame)[name]
    if name in STOCK_MEASURES:
        return _stock(frame)[name]
    if name == "brand_count":
        return int(frame["brand"].nunique())
    return len(frame)


@dataclass
class Facts:
    """A tenant's CSV files, joined into the frames labels are answered from."""

    slug: str
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    def raw(self, table: str) -> pd.DataFrame:
        return pd.read_csv(HERE / self.slug / f"{table}.csv", dtype=str, keep_default_na=False, encoding="utf-8")

    def table(self, name: str) -> pd.DataFrame:
        if name not in self.frames:
            self.frames[name] = getattr(self, f"_build_{name}")()
        return self.frames[name]

    def _build_stores(self) -> pd.DataFrame:
        return self.raw("stores")

    def _build_products(self) -> pd.DataFrame:
        return self.raw("products")

    def _joined(self, table: str, product_columns: list[str]) -> pd.DataFrame:
        f = self.raw(table).merge(self.table("products")[["sku", *product_columns]], on="sku", how="left",
                                  validate="many_to_one")
        f = f.merge(self.table("stores")[["store_code", "city", "state"]], on="store_code", how="left",
                    validate="many_to_one")
        if f["brand"].isna().any() or f["city"].isna().any():
            raise SystemExit(f"{self.slug}/{table}.csv names a product or store its catalogue lacks")
        return f

    def _build_sales(self) -> pd.DataFrame:
        f = self._joined("sales", ["name", "category", "brand"])
        f["qty"] = f["quantity"].astype("int64")
        f["line_gross"] = f["qty"] * f["unit_price"].astype(float)
        f["disc"] = f["discount"].replace("", "0").astype(float)
        when = pd.DatetimeIndex(pd.to_datetime(f["sold_at"], format="%Y-%m-%d"))
        f["day"] = when.strftime("%Y-%m-%d")
        f["week"] = (when - pd.to_timedelta(when.day_of_week, unit="D")).strftime("%Y-%m-%d")
        f["month"] = when.strftime("%Y-%m")
        f["quarter"] = [f"{y}-Q{q}" for y, q in zip(when.year, when.quarter, strict=True)]
        f["year"] = when.year
        f["weekday"] = when.day_of_week + 1
        return f

    def _build_stock(self) -> pd.DataFrame:
        f = self._joined("stock", ["name", "category", "brand", "unit_price"])
        f["have"] = f["on_hand"].astype("int64")
        f["floor"] = f["reorder_point"].astype("int64")
        f["list_price"] = f["unit_price"].astype(float)
        return f

    def _build_patients(self) -> pd.DataFrame:
        f = self.raw("patients")

        def band(born: str, seen: str) -> str:
            b, s = date.fromisoformat(born), date.fromisoformat(seen)
            years = s.year - b.year - (1 if (s.month, s.day) < (b.month, b.day) else 0)
            low = min(years // 10 * 10, 90)
            return "90+" if low == 90 else f"{low}-{low + 9}"

        f["age_band"] = [band(b, s) for b, s in zip(f["date_of_birth"], f["last_exam_date"], strict=True)]
        return f

    def for_measure(self, measure: str) -> pd.DataFrame:
        if measure in SALES_MEASURES:
            return self.table("sales")
        if measure in STOCK_MEASURES:
            return self.table("stock")
        return self.table(COUNT_MEASURES[measure])


def mask(frame: pd.DataFrame, conditions: dict[str, list[Any]] | None) -> pd.Series:
    keep = pd.Series(True, index=frame.index)
    for key, values in (conditions or {}).items():
        if key == "keyword":
            words = [v.casefold() for v in values]
            keep &= frame["name"].str.casefold().map(lambda n, ws=tuple(words): any(w in n for w in ws))
        elif key == "weekday":
            keep &= frame["weekday"].isin({int(v) for v in values})
        else:
            keep &= frame[ALIAS.get(key, key)].isin(set(values))
    return keep


def during(frame: pd.DataFrame, period: list[str] | None) -> pd.DataFrame:
    if not period or "day" not in frame.columns:
        return frame
    return frame[frame["day"].between(period[0], period[1])]


def grouped(frame: pd.DataFrame, dims: list[str], measure: str) -> dict[Any, Any]:
    if frame.empty:
        return {}
    keys = [ALIAS.get(d, d) for d in dims]
    out: dict[Any, Any] = {}
    for key, rows in frame.groupby(keys, sort=True):
        parts = tuple(k.item() if hasattr(k, "item") else k for k in (key if isinstance(key, tuple) else (key,)))
        out[parts if len(dims) > 1 else parts[0]] = measure_of(measure, rows)
    return out


def order(values: dict[Any, Any], direction: str) -> list[tuple[Any, Any]]:
    known = sorted(((k, v) for k, v in values.items() if v is not None), key=lambda kv: kv[1],
                   reverse=direction == "desc")
    return known + [(k, v) for k, v in values.items() if v is None]


def answer(calc: dict[str, Any], facts: Facts) -> dict[str, Any]:
    """The label's answer in the bench's result shapes (scalar, by, rank, cmp, cmp_by, share, share_by)."""
    m = calc["m"]
    frame = facts.for_measure(m)
    keep = mask(frame, calc.get("f"))
    if calc.get("x"):
        keep &= ~mask(frame, calc["x"])
    frame = frame[keep]
    dims = list(calc.get("by") or [])
    if calc.get("cmp"):
        now, then = during(frame, calc.get("p")), during(frame, calc["cmp"])
        if not dims:
            return {"kind": "cmp", "current": measure_of(m, now), "previous": measure_of(m, then)}
        cur, prev = grouped(now, dims, m), grouped(then, dims, m)
        if calc.get("rank"):
            direction, n = calc["rank"]
            delta = {k: (cur.get(k) or 0) - (prev.get(k) or 0) for k in set(cur) | set(prev)}
            return {"kind": "rank", "top": [(k, cur.get(k, 0)) for k, _ in order(delta, direction)[:n]], "all": cur}
        return {"kind": "cmp_by", "current": cur, "previous": prev}
    frame = during(frame, calc.get("p"))
    if calc.get("part") is not None:
        whole, piece = measure_of(m, frame), measure_of(m, frame[mask(frame, calc["part"])])
        return {"kind": "share", "value": piece, "total": whole, "share": _div(piece, whole, 100.0)}
    if not dims:
        return {"kind": "scalar", "value": measure_of(m, frame)}
    groups = grouped(frame, dims, m)
    if calc.get("rank"):
        direction, n = calc["rank"]
        if direction == "asc" and dims == ["store"]:  # a store of the asked place that sold nothing ranks last
            stores = facts.table("stores")
            side = {k: v for k, v in (calc.get("f") or {}).items() if k in PLACE_FILTERS}
            groups = {code: 0 for code in stores.loc[mask(stores, side), "store_code"]} | groups
        elif direction == "asc" and dims == ["product"]:
            products = facts.table("products")
            side = {k: v for k, v in (calc.get("f") or {}).items() if k in PRODUCT_FILTERS}
            groups = {sku: 0 for sku in products.loc[mask(products, side), "sku"]} | groups
        return {"kind": "rank", "top": order(groups, direction)[:n], "all": groups}
    if calc.get("share_by"):
        whole = sum(v for v in groups.values() if v is not None)
        return {"kind": "share_by", "groups": {k: _div(v, whole, 100.0) for k, v in groups.items()}}
    return {"kind": "by", "groups": groups}


# ---- comparing with the bench -------------------------------------------------------------------------------------


def equal(a: Any, b: Any) -> bool:
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() and all(
            equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b) and all(
            equal(x, y) for x, y in zip(a, b, strict=True))
    if a is None or b is None or isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))


def matches(mine: dict[str, Any], bench: dict[str, Any]) -> bool:
    if mine["kind"] != bench["kind"]:
        return False
    if mine["kind"] == "rank":  # tied places may name other keys
        return equal([v for _, v in mine["top"]], [v for _, v in bench["top"]]) and equal(mine["all"], bench["all"])
    return equal(mine, bench)


# ---- label checks -------------------------------------------------------------------------------------------------


def plain(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def problems_of(case: dict[str, Any], facts: Facts) -> list[str]:
    """What is wrong with one case's label (empty when nothing is)."""
    turns, shape, refusal = case.get("context"), case.get("shape"), "expect" in case
    well_formed_turns = turns is None or (isinstance(turns, list) and bool(turns)
                                          and all(isinstance(t, str) for t in turns))
    rules = [(shape not in SHAPES, f"unknown shape {shape!r}"),
             (case.get("route", "sql") != "sql", "route must be sql"),
             (not well_formed_turns, "context must be a non-empty list of earlier questions"),
             (shape == "follow_up" and not turns, "a follow-up without its earlier turns"),
             (refusal and case.get("expect") != "refuse", f"unknown expect {case.get('expect')!r}"),
             (refusal and "calc" in case, "a refusal with a calc label"),
             (refusal and shape != "refusal" and not case.get("note"),
              "a refusal outside the refusal shape needs a note saying why")]
    found = [message for broken, message in rules if broken]
    if refusal:
        return found
    calc = case.get("calc")
    if not isinstance(calc, dict):
        return [*found, "an answer without a calc label"]
    m = calc.get("m")
    if m not in SALES_MEASURES and m not in STOCK_MEASURES and m not in COUNT_MEASURES:
        return [*found, f"unknown measure {m!r}"]
    frame = facts.for_measure(m)
    names = " | ".join(facts.table("products")["name"]).casefold()
    for section in ("f", "x", "part"):
        for key, values in (calc.get(section) or {}).items():
            if key == "keyword":
                found += [f"{section}: keyword {v!r} is in no product name" for v in values
                          if v.casefold() not in names]
            elif key == "weekday":
                found += [f"{section}: weekday {v!r} is not 1-7" for v in values if int(v) not in range(1, 8)]
            elif ALIAS.get(key, key) not in frame.columns:
                found.append(f"{section}: {key} is not a column of the {m} table")
            else:
                column = ALIAS.get(key, key)
                known = set(frame[column])
                for catalogue in ("stores", "products"):
                    if column in facts.table(catalogue).columns:
                        known |= set(facts.table(catalogue)[column])
                found += [f"{section}: {key}={v!r} is not in the tenant's data" for v in values if v not in known]
    for dim in calc.get("by") or []:
        if ALIAS.get(dim, dim) not in frame.columns:
            found.append(f"{'time breakdown' if dim in TIME_KEYS else 'breakdown'} {dim} of {m}: not in its table")
    sales = facts.table("sales")
    first, last = sales["day"].min(), sales["day"].max()
    for key in ("p", "cmp"):
        if key not in calc:
            continue
        start, end = calc[key]
        try:
            date.fromisoformat(start), date.fromisoformat(end)
        except ValueError:
            found.append(f"{key} is not two ISO dates")
            continue
        if start > end:
            found.append(f"{key} runs backwards")
        if end < first or start > last:
            found.append(f"{key} lies outside the tenant's sales ({first} - {last})")
        if "day" not in frame.columns:
            found.append(f"a period on {m}, which has no date")
    rank = calc.get("rank")
    if rank is not None and (len(rank) != 2 or rank[0] not in ("asc", "desc") or int(rank[1]) < 1
                             or not calc.get("by")):
        found.append(f"bad ranking {rank}")
    if calc.get("share_by") and not calc.get("by"):
        found.append("share_by without a breakdown")
    if calc.get("part") is not None and (calc.get("by") or calc.get("cmp")):
        found.append("a share part with a breakdown or comparison (the bench scores neither)")
    return found


def warnings_of(case: dict[str, Any], mine: dict[str, Any]) -> list[str]:
    """Doubts worth a look that do not fail the check; a case's note may announce them ('0', 'tie')."""
    note, kind = case.get("note", ""), mine["kind"]
    doubts = {
        "the expected value is 0 and the note does not say so":
            kind == "scalar" and not mine["value"] and "0" not in note,
        "a breakdown with no groups": kind in ("by", "share_by", "cmp_by") and not (mine.get("groups")
                                                                                     or mine.get("current")),
    }
    said = [text for text, doubtful in doubts.items() if doubtful]
    if kind == "rank" and not case["calc"].get("cmp") and "tie" not in note:
        direction, n = case["calc"]["rank"]
        values = [v for _, v in order(mine["all"], direction)]
        said += [f"a tie at the cut of the ranking ({values[n]})"] if values[n - 1:n + 1].count(values[n - 1]) == 2 \
            and n < len(values) else []
    return said


@dataclass
class Tally:
    """What one run found: cases read, cases answered here, answers the bench agrees with, problems printed."""

    cases: int = 0
    answered: int = 0
    agreed: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, line: str) -> None:
        self.problems.append(line)
        print(line)

    def summary(self) -> str:
        return (f"{self.cases} cases ({self.cases - self.answered} refusals or broken labels, {self.answered} with "
                f"values): {self.agreed} recomputed values agree with the bench's expected_sql; "
                f"{len(self.problems)} problem(s)")


def earlier_questions(source: Path) -> set[str]:
    """The questions of every other SQL case file here, except the closed ones (never opened)."""
    files = [f for f in sorted(HERE.glob("*.jsonl")) if f.name not in NOT_READ and f.resolve() != source.resolve()]
    return {plain(json.loads(row)["question"]) for f in files for row in f.read_text(encoding="utf-8").splitlines()
            if row.strip()}


def main(verbose: bool = False, path: Path | None = None) -> int:
    """Check heldout13.jsonl (or `path`, a file in its format: then the bench's loader is not compared)."""
    if str(HERE.parents[2]) not in sys.path:
        sys.path.insert(0, str(HERE.parents[2]))
    import bench.bench_answers as bench

    source = path or CASES
    cases = [json.loads(row) for row in source.read_text(encoding="utf-8").splitlines() if row.strip()]
    tally = Tally(cases=len(cases))
    if path is None and (seen := sum(c["_split"] == CASES.stem for c in bench.load_cases("sql"))) != len(cases):
        tally.problem(f"the bench's loader reads {seen} cases of {CASES.stem}, the file has {len(cases)}")
    ids = [str(c.get("id")) for c in cases]
    if len(set(ids)) != len(ids) or any(CASE_ID.fullmatch(i) is None for i in ids):
        tally.problem("ids must be unique and look like h13-NNN")
    slugs = {str(c.get("tenant")) for c in cases}
    if unknown := sorted(s for s in slugs if s not in bench.TENANTS or not (HERE / s).is_dir()):
        tally.problem(f"tenants not registered in bench_answers.TENANTS or without CSV files: {unknown}")
        return 1
    before = earlier_questions(source)
    facts = {slug: Facts(slug) for slug in sorted(slugs)}
    frames = {slug: bench.load_frames(slug) for slug in facts}
    asked: set[tuple[str, str, tuple[str, ...]]] = set()
    for case in cases:
        tag = f"{case['id']} [{case['tenant']}/{case.get('shape')}] {case['question']!r}"
        errors = problems_of(case, facts[case["tenant"]])
        turn = (case["tenant"], plain(case["question"]), tuple(plain(t) for t in case.get("context") or ()))
        errors += ["asked twice in the set"] if turn in asked else []
        errors += ["the same question is in an earlier case file"] if not case.get("context") and turn[1] in before \
            else []
        asked.add(turn)
        for error in errors:
            tally.problem(f"LABEL {tag}: {error}")
        if errors or "calc" not in case:
            continue
        tally.answered += 1
        mine, theirs = answer(case["calc"], facts[case["tenant"]]), bench.expected_sql(case["calc"],
                                                                                        frames[case["tenant"]])
        if matches(mine, theirs):
            tally.agreed += 1
        else:
            tally.problem(f"DISAGREE {tag}\n    mine:  {str(mine)[:300]}\n    bench: {str(theirs)[:300]}")
        for doubt in warnings_of(case, mine):
            print(f"warn {tag}: {doubt}")
        if verbose:
            print(f"{case['id']}: {str({k: v for k, v in mine.items() if k != 'all'})[:260]}")
    print(tally.summary())
    return 0 if not tally.problems else 1


if __name__ == "__main__":
    raise SystemExit(main(verbose="-v" in sys.argv[1:]))
