"""Independent check of the SQL held-out set 14: recompute each labelled case from the CSV files, compare.

python bench/data/answers_sql/check_heldout14.py [-v]

Contract: every case of heldout14.jsonl with a `calc` label is answered here by this script's own pandas code, in
three steps: `Tenant` reads the five CSV files of a tenant once and derives one wide frame per fact family (sale
lines with their product, store and calendar columns; stock lines with the list price; patients with the age band
at their last exam; the store and product catalogues); `keep()` turns a label's filters, exclusions or share part
into one boolean mask; `REDUCERS` maps each measure to a function of a frame. `recompute()` then builds the answer in
the bench's result shapes (scalar, by, rank, cmp, cmp_by, share, share_by; averages per day / week / month / quarter /
year / store as the mean of the per-unit totals over the units with rows). Neither `bench.bench_answers.expected_sql`
nor the SQL tool is used to get it; the bench's value is read afterwards only to compare (exit 1 on a disagreement).
The labels are checked too (`label_errors`): ids `h14-NNN`, unique; a known shape; refusals carry `expect: refuse`,
no `calc`, and a note when their shape is not `refusal`; answers carry a `calc` with a known measure; filter,
exclusion, part and breakdown columns belong to the measure's table and filter values occur in the tenant's data;
periods are ISO dates, run forwards, touch the tenant's sales and only go on sales measures; rankings have a
breakdown; a share part has neither breakdown nor comparison; follow-ups carry their earlier turns; no question is
asked twice and none is copied from another SQL case file (heldout11.jsonl and heldout13.jsonl are closed to this
writer and never read). Notes that deserve a look but fail nothing: an expected 0 or an empty breakdown the case's
note does not announce, and a tie at the cut of a ranking. `main(path=...)` checks another file in the same format.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

FOLDER = Path(__file__).resolve().parent
CASE_FILE = FOLDER / "heldout14.jsonl"
CLOSED = ("heldout11.jsonl", "heldout13.jsonl")
ID_FORM = re.compile(r"h14-\d{3}")
KNOWN_SHAPES = ("total", "breakdown", "ranking", "time_ranking", "time_shape", "comparison", "yoy", "share",
                "average", "distinct", "catalog", "stock", "patients", "filters", "follow_up", "multi_dim", "typo",
                "refusal")
CALENDAR = ("day", "week", "month", "quarter", "year", "weekday")
COLUMN = {"store": "store_code", "product": "sku"}  # label names -> CSV column names
PLACE_SIDE, PRODUCT_SIDE = ("store", "city", "state"), ("category", "brand", "product", "keyword")


def ratio(top: float, bottom: float, times: float = 1.0) -> float | None:
    return times * top / bottom if bottom else None


def _discounted_orders(f: pd.DataFrame) -> int:
    return int(f.loc[f["off"] > 0, "order_id"].nunique())


REDUCERS: dict[str, tuple[str, Callable[[pd.DataFrame], Any]]] = {
    # sale lines
    "units": ("sales", lambda f: int(f["qty"].sum())),
    "gross_revenue": ("sales", lambda f: float(f["gross"].sum())),
    "discount_total": ("sales", lambda f: float(f["off"].sum())),
    "revenue": ("sales", lambda f: float(f["gross"].sum() - f["off"].sum())),
    "order_lines": ("sales", len),
    "orders": ("sales", lambda f: int(f["order_id"].nunique())),
    "distinct_products": ("sales", lambda f: int(f["sku"].nunique())),
    "distinct_brands": ("sales", lambda f: int(f["brand"].nunique())),
    "distinct_stores": ("sales", lambda f: int(f["store_code"].nunique())),
    "discounted_orders": ("sales", _discounted_orders),
    "avg_selling_price": ("sales", lambda f: ratio(f["gross"].sum() - f["off"].sum(), f["qty"].sum())),
    "avg_order_value": ("sales", lambda f: ratio(f["gross"].sum() - f["off"].sum(), f["order_id"].nunique())),
    "units_per_order": ("sales", lambda f: ratio(f["qty"].sum(), f["order_id"].nunique())),
    "avg_discount_per_order": ("sales", lambda f: ratio(f["off"].sum(), f["order_id"].nunique())),
    "discount_rate": ("sales", lambda f: ratio(f["off"].sum(), f["gross"].sum(), 100.0)),
    "discounted_order_rate": ("sales", lambda f: ratio(_discounted_orders(f), f["order_id"].nunique(), 100.0)),
    # stock lines (a snapshot)
    "stock_on_hand": ("stock", lambda f: int(f["have"].sum())),
    "stock_value": ("stock", lambda f: float((f["have"] * f["list_price"]).sum())),
    "items_below_reorder": ("stock", lambda f: int((f["have"] < f["floor"]).sum())),
    "items_at_reorder": ("stock", lambda f: int((f["have"] == f["floor"]).sum())),
    "items_at_or_below_reorder": ("stock", lambda f: int((f["have"] <= f["floor"]).sum())),
    "items_out_of_stock": ("stock", lambda f: int((f["have"] == 0).sum())),
    "stock_lines": ("stock", len),
    # counts of rows of a catalogue or of patients
    "patients": ("patients", len),
    "store_count": ("stores", len),
    "product_count": ("products", len),
    "brand_count": ("products", lambda f: int(f["brand"].nunique())),
}


def reduce(measure: str, frame: pd.DataFrame) -> Any:
    return REDUCERS[measure][1](frame)


class Tenant:
    """One tenant's CSV files and the wide frames a label is answered from (built on first use)."""

    def __init__(self, slug: str) -> None:
        self.slug = slug

    def csv(self, table: str) -> pd.DataFrame:
        return pd.read_csv(FOLDER / self.slug / f"{table}.csv", dtype=str, keep_default_na=False, encoding="utf-8")

    @cached_property
    def stores(self) -> pd.DataFrame:
        return self.csv("stores")

    @cached_property
    def products(self) -> pd.DataFrame:
        return self.csv("products")

    def _widen(self, table: str, product_columns: list[str]) -> pd.DataFrame:
        rows = self.csv(table)
        wide = rows.join(self.products.set_index("sku")[product_columns], on="sku")
        wide = wide.join(self.stores.set_index("store_code")[["city", "state"]], on="store_code")
        if len(wide) != len(rows) or wide[["brand", "state"]].isna().any().any():
            raise SystemExit(f"{self.slug}/{table}.csv: a line names a product or store the catalogue lacks")
        return wide

    @cached_property
    def sales(self) -> pd.DataFrame:
        f = self._widen("sales", ["name", "category", "brand"])
        f["qty"] = pd.to_numeric(f["quantity"]).astype("int64")
        f["gross"] = f["qty"] * pd.to_numeric(f["unit_price"])
        f["off"] = pd.to_numeric(f["discount"].where(f["discount"] != "", "0"))
        sold = pd.to_datetime(f["sold_at"], format="%Y-%m-%d")
        f["day"] = sold.dt.strftime("%Y-%m-%d")
        f["week"] = (sold - pd.to_timedelta(sold.dt.day_of_week, unit="D")).dt.strftime("%Y-%m-%d")
        f["month"] = sold.dt.strftime("%Y-%m")
        f["quarter"] = sold.dt.year.astype(str) + "-Q" + sold.dt.quarter.astype(str)
        f["year"] = sold.dt.year.astype("int64")
        f["weekday"] = (sold.dt.day_of_week + 1).astype("int64")
        return f

    @cached_property
    def stock(self) -> pd.DataFrame:
        f = self._widen("stock", ["name", "category", "brand", "unit_price"])
        f["have"] = pd.to_numeric(f["on_hand"]).astype("int64")
        f["floor"] = pd.to_numeric(f["reorder_point"]).astype("int64")
        f["list_price"] = pd.to_numeric(f["unit_price"])
        return f

    @cached_property
    def patients(self) -> pd.DataFrame:
        f = self.csv("patients")
        born = pd.to_datetime(f["date_of_birth"], format="%Y-%m-%d")
        seen = pd.to_datetime(f["last_exam_date"], format="%Y-%m-%d")
        before_birthday = (seen.dt.month * 100 + seen.dt.day) < (born.dt.month * 100 + born.dt.day)
        decade = ((seen.dt.year - born.dt.year - before_birthday.astype(int)) // 10 * 10).clip(upper=90)
        f["age_band"] = [("90+" if d == 90 else f"{d}-{d + 9}") for d in decade]
        return f

    def frame_of(self, measure: str) -> pd.DataFrame:
        return getattr(self, REDUCERS[measure][0])


def condition(frame: pd.DataFrame, key: str, values: list[Any]) -> pd.Series:
    """Rows matching one label key; the key's values are alternatives (a keyword is a part of the product name)."""
    if key == "keyword":
        names = frame["name"].str.casefold()
        return names.apply(lambda name: any(v.casefold() in name for v in values))
    wanted = {int(v) for v in values} if key == "weekday" else set(values)
    return frame[COLUMN.get(key, key)].isin(wanted)


def keep(frame: pd.DataFrame, conditions: dict[str, list[Any]] | None) -> pd.Series:
    """Rows meeting every condition of a label section (filters, exclusions or a share's part)."""
    tests = [condition(frame, key, values) for key, values in (conditions or {}).items()]
    return pd.concat(tests, axis=1).all(axis=1) if tests else pd.Series(True, index=frame.index)


def in_period(frame: pd.DataFrame, period: list[str] | None) -> pd.DataFrame:
    if not period or "day" not in frame.columns:
        return frame
    return frame[(frame["day"] >= period[0]) & (frame["day"] <= period[1])]


def by_groups(frame: pd.DataFrame, dims: list[str], measure: str) -> dict[Any, Any]:
    """measure per group; a key is the value itself for one dimension, a tuple for several."""
    if frame.empty:
        return {}
    columns = [COLUMN.get(d, d) for d in dims]
    result: dict[Any, Any] = {}
    for key, part in frame.groupby(columns if len(columns) > 1 else columns[0], sort=True):
        if isinstance(key, tuple) and len(columns) == 1:
            key = key[0]
        result[key] = reduce(measure, part)
    return result


def ranked(values: dict[Any, Any], direction: str) -> list[tuple[Any, Any]]:
    """Largest (desc) or smallest (asc) first; groups with no value (nothing to divide by) last."""
    valued = [(k, v) for k, v in values.items() if v is not None]
    valued.sort(key=lambda kv: kv[1], reverse=direction == "desc")
    return valued + [(k, v) for k, v in values.items() if v is None]


def zero_filled(groups: dict[Any, Any], calc: dict[str, Any], tenant: Tenant) -> dict[Any, Any]:
    """For a bottom ranking of stores or products: the asked place's stores / category's products with no sales."""
    dims, filters = calc.get("by") or [], calc.get("f") or {}
    if dims == ["store"]:
        side, catalogue, column = PLACE_SIDE, tenant.stores, "store_code"
    elif dims == ["product"]:
        side, catalogue, column = PRODUCT_SIDE, tenant.products, "sku"
    else:
        return groups
    chosen = catalogue[keep(catalogue, {k: v for k, v in filters.items() if k in side})]
    return {code: 0 for code in chosen[column]} | groups


def as_ranking(values: dict[Any, Any], calc: dict[str, Any], tenant: Tenant | None = None) -> dict[str, Any]:
    """The label's top / bottom N; with `tenant`, a bottom ranking also counts what sold nothing (`zero_filled`)."""
    direction, n = calc["rank"]
    if tenant is not None and direction == "asc":
        values = zero_filled(values, calc, tenant)
    return {"kind": "rank", "top": ranked(values, direction)[:n], "all": values}


def part_share(frame: pd.DataFrame, measure: str, part: dict[str, list[Any]]) -> dict[str, Any]:
    """A part's value, the whole's, and the part as a percentage of the whole."""
    values = {"value": reduce(measure, frame[keep(frame, part)]), "total": reduce(measure, frame)}
    return {"kind": "share", **values, "share": ratio(values["value"], values["total"], 100.0)}


def recompute(calc: dict[str, Any], tenant: Tenant) -> dict[str, Any]:
    """The label's answer, in the shapes `bench_answers.expected_sql` returns."""
    measure, dims = calc["m"], list(calc.get("by") or [])
    frame = tenant.frame_of(measure)
    mask = keep(frame, calc.get("f"))
    if calc.get("x"):
        mask &= ~keep(frame, calc["x"])
    frame = frame[mask]
    if calc.get("cmp"):
        now, before = in_period(frame, calc.get("p")), in_period(frame, calc["cmp"])
        if not dims:
            return {"kind": "cmp", "current": reduce(measure, now), "previous": reduce(measure, before)}
        current, previous = by_groups(now, dims, measure), by_groups(before, dims, measure)
        if not calc.get("rank"):
            return {"kind": "cmp_by", "current": current, "previous": previous}
        direction, n = calc["rank"]
        change = {k: (current.get(k) or 0) - (previous.get(k) or 0) for k in {*current, *previous}}
        return {"kind": "rank", "top": [(k, current.get(k, 0)) for k, _ in ranked(change, direction)[:n]],
                "all": current}
    frame = in_period(frame, calc.get("p"))
    if calc.get("avg"):
        per_unit = by_groups(frame, [*dims, calc["avg"]], measure)
        if not dims:
            return {"kind": "scalar", "value": (sum(v or 0 for v in per_unit.values()) / len(per_unit))
                    if per_unit else None}
        totals: dict[Any, list[float]] = {}
        for key, value in per_unit.items():
            totals.setdefault(key[:-1] if len(dims) > 1 else key[0], []).append(value or 0)
        means = {k: sum(v) / len(v) for k, v in totals.items()}
        return as_ranking(means, calc) if calc.get("rank") else {"kind": "by", "groups": means}
    if calc.get("part") is not None:
        return part_share(frame, measure, calc["part"])
    if not dims:
        return {"kind": "scalar", "value": reduce(measure, frame)}
    groups = by_groups(frame, dims, measure)
    if calc.get("rank"):
        return as_ranking(groups, calc, tenant)
    if not calc.get("share_by"):
        return {"kind": "by", "groups": groups}
    sizes = pd.Series(groups, dtype="float64")
    return {"kind": "share_by", "groups": dict(zip(groups, (100.0 * sizes / sizes.sum()).tolist(), strict=True))}


# ---- agreement with the bench ---------------------------------------------------------------------------------------


def leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """A nested answer as (path, leaf) pairs in a fixed order; dict keys and sequence positions make the path."""
    if isinstance(value, dict):
        return [pair for key in sorted(value, key=repr) for pair in leaves(value[key], f"{path}/{key!r}")]
    if isinstance(value, (list, tuple)):
        return [pair for i, item in enumerate(value) for pair in leaves(item, f"{path}[{i}]")] or [(path, ())]
    return [(path, value)]


def close(a: Any, b: Any) -> bool:
    """Two leaves: numbers within a millionth (relative), anything else by its text."""
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) or hasattr(a, "dtype") or hasattr(b, "dtype"):
        try:
            return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))
        except (TypeError, ValueError):
            pass
    return str(a) == str(b)


def agrees(mine: dict[str, Any], bench: dict[str, Any]) -> bool:
    """Same kind and same leaves; in a ranking only the values in rank order (tied groups may swap names)."""
    if mine["kind"] == "rank" and bench["kind"] == "rank":
        mine = {"top": [v for _, v in mine["top"]], "all": mine["all"]}
        bench = {"top": [v for _, v in bench["top"]], "all": bench["all"]}
    ours, theirs = leaves(mine), leaves(bench)
    return [p for p, _ in ours] == [p for p, _ in theirs] and all(
        close(a, b) for (_, a), (_, b) in zip(ours, theirs, strict=True))


# ---- label checks ---------------------------------------------------------------------------------------------------


def words(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def _value_errors(calc: dict[str, Any], tenant: Tenant, frame: pd.DataFrame) -> list[str]:
    names = "\n".join(tenant.products["name"]).casefold()
    errors = []
    for section in ("f", "x", "part"):
        for key, values in (calc.get(section) or {}).items():
            column = COLUMN.get(key, key)
            if key == "keyword":
                errors += [f"{section}: no product name holds the keyword {v!r}" for v in values
                           if v.casefold() not in names]
            elif key == "weekday":
                errors += [f"{section}: weekday {v!r} is not an ISO day 1-7" for v in values
                           if str(v) not in "1234567" or len(str(v)) != 1]
            elif column not in frame.columns:
                errors.append(f"{section}: {key} is not a column of the {calc['m']} table")
            else:
                seen = set(frame[column])
                for catalogue in (tenant.stores, tenant.products):
                    seen |= set(catalogue[column]) if column in catalogue.columns else set()
                errors += [f"{section}: {key}={v!r} is not in the tenant's data" for v in values if v not in seen]
    return errors


def _period_errors(calc: dict[str, Any], tenant: Tenant, frame: pd.DataFrame) -> list[str]:
    errors = []
    first, last = tenant.sales["day"].min(), tenant.sales["day"].max()
    for key in ("p", "cmp"):
        if key not in calc:
            continue
        try:
            start, end = (date.fromisoformat(d).isoformat() for d in calc[key])
        except (TypeError, ValueError):
            errors.append(f"{key} must be two ISO dates")
            continue
        errors += [text for wrong, text in (
            (start > end, f"{key} runs backwards"),
            (end < first or start > last, f"{key} lies outside the tenant's sales ({first} - {last})"),
            ("day" not in frame.columns, f"a period on {calc['m']}, whose table has no date"),
        ) if wrong]
    return errors


def label_errors(case: dict[str, Any], tenant: Tenant) -> list[str]:
    """Everything wrong with one case's label (empty list: none)."""
    refusal, turns = "expect" in case, case.get("context")
    errors = [text for wrong, text in (
        (case.get("shape") not in KNOWN_SHAPES, f"unknown shape {case.get('shape')!r}"),
        (case.get("route", "sql") != "sql", "route must be sql"),
        (turns is not None and not (isinstance(turns, list) and turns and all(isinstance(t, str) for t in turns)),
         "context must be a non-empty list of earlier questions"),
        (case.get("shape") == "follow_up" and not turns, "a follow-up without its earlier turns"),
        (refusal and case["expect"] != "refuse", f"unknown expect {case.get('expect')!r}"),
        (refusal and "calc" in case, "a refusal with a calc label"),
        (refusal and case.get("shape") != "refusal" and not case.get("note"),
         "a refusal outside the refusal shape needs a note saying why"),
    ) if wrong]
    if refusal:
        return errors
    calc = case.get("calc")
    if not isinstance(calc, dict):
        return [*errors, "an answer without a calc label"]
    if calc.get("m") not in REDUCERS:
        return [*errors, f"unknown measure {calc.get('m')!r}"]
    frame = tenant.frame_of(calc["m"])
    errors += _value_errors(calc, tenant, frame)
    for dim in calc.get("by") or []:
        if COLUMN.get(dim, dim) not in frame.columns:
            kind = "time breakdown" if dim in CALENDAR else "breakdown"
            errors.append(f"{kind} {dim} of {calc['m']}: not in its table")
    if calc.get("avg") and COLUMN.get(calc["avg"], calc["avg"]) not in frame.columns:
        errors.append(f"an average per {calc['avg']} of {calc['m']}: not in its table")
    errors += _period_errors(calc, tenant, frame)
    rank, dims = calc.get("rank"), calc.get("by")
    well_ranked = rank is None or (isinstance(rank, list) and len(rank) == 2 and rank[0] in ("asc", "desc")
                                   and int(rank[1]) >= 1 and bool(dims))
    return errors + [text for wrong, text in (
        (not well_ranked, f"bad ranking {rank}"),
        (bool(calc.get("share_by")) and not dims, "share_by without a breakdown"),
        (calc.get("part") is not None and bool(dims or calc.get("cmp")),
         "a share part with a breakdown or comparison (the bench scores neither)"),
    ) if wrong]


def doubts(case: dict[str, Any], mine: dict[str, Any]) -> list[str]:
    """Worth a look, fails nothing; the case's note may announce it ('0', 'tie')."""
    note, found = case.get("note", ""), []
    if mine["kind"] == "scalar" and not mine["value"] and "0" not in note:
        found.append("the expected value is 0 and the note does not say so")
    if mine["kind"] in ("by", "share_by", "cmp_by") and not (mine.get("groups") or mine.get("current")):
        found.append("a breakdown with no groups")
    calc = case["calc"]
    if mine["kind"] == "rank" and not calc.get("cmp") and "tie" not in note:
        direction, n = calc["rank"]
        values = [v for _, v in ranked(mine["all"], direction)]
        if n < len(values) and values[n - 1] == values[n]:
            found.append(f"a tie at the cut of the ranking ({values[n]})")
    return found


def other_questions(source: Path) -> set[str]:
    """The questions of the other SQL case files here (the closed ones are not opened)."""
    found = set()
    for other in sorted(FOLDER.glob("*.jsonl")):
        if other.name in CLOSED or other.resolve() == source.resolve():
            continue
        found |= {words(json.loads(line)["question"]) for line in other.read_text(encoding="utf-8").splitlines()
                  if line.strip()}
    return found


@dataclass
class Review:
    """The outcome of one case: failures (fail the run), notes (printed only), and whether a value was compared."""

    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    compared: bool = False
    agreed: bool = False


def review(case: dict[str, Any], tenant: Tenant, bench_value: Callable[[dict[str, Any]], dict[str, Any]],
           seen: set[tuple[str, str, tuple[str, ...]]], earlier: set[str], verbose: bool) -> Review:
    """Check one case's label and, when it has a value, recompute it and hold it against the bench's."""
    tag = f"{case.get('id')} [{case['tenant']}/{case.get('shape')}] {case['question']!r}"
    turn = (case["tenant"], words(case["question"]), tuple(words(t) for t in case.get("context") or ()))
    errors = label_errors(case, tenant)
    errors += ["asked twice in the set"] * (turn in seen)
    errors += ["the same question is in an earlier case file"] * (not case.get("context") and turn[1] in earlier)
    seen.add(turn)
    out = Review(failures=[f"LABEL {tag}: {e}" for e in errors])
    if errors or "calc" not in case:
        return out
    mine, theirs = recompute(case["calc"], tenant), bench_value(case)
    out.compared, out.agreed = True, agrees(mine, theirs)
    if not out.agreed:
        out.failures.append(f"DISAGREE {tag}\n    mine:  {str(mine)[:300]}\n    bench: {str(theirs)[:300]}")
    out.notes = [f"note {tag}: {d}" for d in doubts(case, mine)]
    if verbose:
        out.notes.append(f"{case['id']}: {str({k: v for k, v in mine.items() if k != 'all'})[:260]}")
    return out


def main(verbose: bool = False, path: Path | None = None) -> int:
    """Check heldout14.jsonl (or `path`, a file in its format; then the bench's loader count is not compared)."""
    root = str(FOLDER.parents[2])
    if root not in sys.path:
        sys.path.insert(0, root)
    import bench.bench_answers as bench

    source = path or CASE_FILE
    cases = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    run_failures = []
    if path is None and (loaded := sum(c["_split"] == CASE_FILE.stem for c in bench.load_cases("sql"))) != len(cases):
        run_failures.append(f"the bench's loader reads {loaded} cases of {CASE_FILE.stem}, the file has {len(cases)}")
    ids = [str(c.get("id")) for c in cases]
    if len(set(ids)) != len(ids) or not all(ID_FORM.fullmatch(i) for i in ids):
        run_failures.append("ids must be unique and look like h14-NNN")
    slugs = sorted({str(c.get("tenant")) for c in cases})
    if missing := [s for s in slugs if s not in bench.TENANTS or not (FOLDER / s).is_dir()]:
        print(*run_failures, f"tenants not registered in bench_answers.TENANTS or without CSV files: {missing}",
              sep="\n")
        return 1
    tenants = {slug: Tenant(slug) for slug in slugs}
    frames: dict[str, Any] = {}

    def bench_value(case: dict[str, Any]) -> dict[str, Any]:
        slug = case["tenant"]
        if slug not in frames:
            frames[slug] = bench.load_frames(slug)
        return bench.expected_sql(case["calc"], frames[slug])

    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    earlier = other_questions(source)
    reviews = [review(case, tenants[case["tenant"]], bench_value, seen, earlier, verbose) for case in cases]
    for line in run_failures + [line for r in reviews for line in (*r.failures, *r.notes)]:
        print(line)
    failed = len(run_failures) + sum(len(r.failures) for r in reviews)
    compared = sum(r.compared for r in reviews)
    print(f"{len(cases)} cases, {len(cases) - compared} refusals or broken labels, {compared} with values: "
          f"{sum(r.agreed for r in reviews)} agree with the bench's expected_sql; {failed} problem(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(verbose="-v" in sys.argv[1:]))
