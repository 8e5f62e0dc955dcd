"""Independent check of the SQL held-out set 11: every labelled answer recomputed from the CSV files, labels vetted.

python bench/data/answers_sql/check_heldout11.py [-v] [CASES.jsonl]

Contract: for each case of heldout11.jsonl (or of the file given) the expected answer is computed here from the
tenant's five CSV files with this script's own pandas code (tables indexed by their keys and joined with `join`,
rows picked by boolean masks, groups collected as row positions per key in plain dicts), never through
the bench's `expected_sql` nor the SQL tool, and then compared with what the bench's `expected_sql` makes of the
same `calc` label (same kinds: scalar, cmp, share, by, share_by, cmp_by, rank). The labels are vetted too: ids
`h11-NNN` unique and in order, a known shape, refusals without `calc` and answers with one, a measure the bench
knows, filters and breakdowns that are columns of the measure's table, filter values that exist in the tenant's own
data, periods that run forwards and overlap the tenant's sales, follow-ups carrying their earlier turns, no question
already asked in an earlier SQL case file or twice in the set, and (for the set itself) the bench's loader reading
every case from a registered tenant. Answers that are easy to hit by accident are warned about, not failed: a 0 the
note does not announce, a tie at a ranking's cut, a breakdown with no rows. Prints each disagreement and label
problem and exits 1 when there is any, else 0. Reads only files; needs pandas (the project venv).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

FOLDER = Path(__file__).parent
NAME = "heldout11"
KNOWN_SHAPES = frozenset(
    "total average breakdown multi_dim filters follow_up patients ranking time_ranking time_shape typo yoy "
    "comparison share distinct catalog stock refusal".split())
CALENDAR = ("day", "week", "month", "quarter", "year", "weekday")
SALES_MEASURES = frozenset(
    "units revenue gross_revenue discount_total discount_rate order_lines orders distinct_products distinct_brands "
    "distinct_stores discounted_orders discounted_order_rate avg_discount_per_order avg_selling_price "
    "avg_order_value units_per_order".split())
STOCK_MEASURES = frozenset(
    "stock_on_hand stock_value items_below_reorder items_at_reorder items_at_or_below_reorder items_out_of_stock "
    "stock_lines".split())
LIST_MEASURES = {"patients": "patients", "store_count": "stores", "product_count": "products",
                 "brand_count": "products"}
COLUMN = {"store": "store_code", "product": "sku"}


@dataclass
class Tenant:
    """A tenant's tables; sales and stock rows carry their product's and store's columns."""

    stores: pd.DataFrame
    products: pd.DataFrame
    sales: pd.DataFrame
    stock: pd.DataFrame
    patients: pd.DataFrame

    @classmethod
    def load(cls, slug: str) -> Tenant:
        def table(name: str) -> pd.DataFrame:
            return pd.read_csv(FOLDER / slug / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8")

        stores, products = table("stores"), table("products")
        by_sku = products.set_index("sku")[["name", "category", "brand", "unit_price"]]
        by_store = stores.set_index("store_code")[["city", "state"]]
        sales = table("sales").join(by_sku.drop(columns="unit_price"), on="sku").join(by_store, on="store_code")
        if sales[["category", "city"]].isna().any(axis=None):
            raise SystemExit(f"{slug}: a sale refers to a product or store that is not in the catalogue")
        qty = sales["quantity"].astype(int)
        sales = sales.assign(qty=qty, gross=qty * sales["unit_price"].astype(float),
                             off=sales["discount"].astype(float), date=pd.to_datetime(sales["sold_at"]))
        stock = table("stock").join(by_sku, on="sku").join(by_store, on="store_code")
        stock = stock.assign(have=stock["on_hand"].astype(int), point=stock["reorder_point"].astype(int))
        stock["retail"] = stock["have"] * stock["unit_price"].astype(float)
        patients = table("patients")
        patients["age_band"] = [band(date.fromisoformat(b), date.fromisoformat(e))
                                for b, e in zip(patients["date_of_birth"], patients["last_exam_date"], strict=True)]
        return cls(stores, products, sales, stock, patients)

    def rows_for(self, measure: str) -> pd.DataFrame:
        if measure in SALES_MEASURES:
            return self.sales
        if measure in STOCK_MEASURES:
            return self.stock
        return getattr(self, LIST_MEASURES[measure])


def band(born: date, seen: date) -> str:
    years = seen.year - born.year - (1 if (seen.month, seen.day) < (born.month, born.day) else 0)
    low = min(years, 90) // 10 * 10
    return "90+" if years >= 90 else f"{low}-{low + 9}"


# ---- measures -------------------------------------------------------------------------------------------------


def ratio(top: float, bottom: float, scale: float = 1.0) -> float | None:
    return scale * top / bottom if bottom else None


def sales_measure(rows: pd.DataFrame, measure: str) -> Any:
    gross, off, qty = rows["gross"].sum(), rows["off"].sum(), rows["qty"].sum()
    net, orders = gross - off, rows["order_id"].nunique()
    with_discount = rows.loc[rows["off"] > 0, "order_id"].nunique()
    table = {
        "units": lambda: int(qty), "revenue": lambda: float(net), "gross_revenue": lambda: float(gross),
        "discount_total": lambda: float(off), "discount_rate": lambda: ratio(off, gross, 100.0),
        "order_lines": lambda: len(rows), "orders": lambda: orders, "distinct_products": lambda: rows["sku"].nunique(),
        "distinct_brands": lambda: rows["brand"].nunique(), "distinct_stores": lambda: rows["store_code"].nunique(),
        "discounted_orders": lambda: with_discount,
        "discounted_order_rate": lambda: ratio(with_discount, orders, 100.0),
        "avg_discount_per_order": lambda: ratio(off, orders), "avg_selling_price": lambda: ratio(net, qty),
        "avg_order_value": lambda: ratio(net, orders), "units_per_order": lambda: ratio(qty, orders),
    }
    return table[measure]()


STOCK_TESTS = {  # a stock line counts for the measure when ...
    "items_below_reorder": lambda have, point: have < point, "items_at_reorder": lambda have, point: have == point,
    "items_at_or_below_reorder": lambda have, point: have <= point,
    "items_out_of_stock": lambda have, point: have == 0, "stock_lines": lambda have, point: have >= 0,
}


def measure_of(rows: pd.DataFrame, measure: str) -> Any:
    if measure in SALES_MEASURES:
        return sales_measure(rows, measure)
    if measure in STOCK_TESTS:
        return int(STOCK_TESTS[measure](rows["have"], rows["point"]).sum())
    sums = {"stock_on_hand": ("have", int), "stock_value": ("retail", float)}
    if measure in sums:
        column, cast = sums[measure]
        return cast(rows[column].sum())
    return rows["brand"].nunique() if measure == "brand_count" else len(rows)


# ---- rows and groups ------------------------------------------------------------------------------------------


def picks(rows: pd.DataFrame, conditions: dict[str, list[Any]] | None) -> pd.Series:
    """True where a row meets every condition (keyword: a word of the product name; weekday: ISO 1-7)."""
    keep = pd.Series(True, index=rows.index)
    for name, values in (conditions or {}).items():
        if name == "keyword":
            lowered = rows["name"].str.lower()
            hit = pd.Series(False, index=rows.index)
            for word in values:
                hit |= lowered.str.find(word.lower()) >= 0
            keep &= hit
        elif name == "weekday":
            keep &= (rows["date"].dt.day_of_week + 1).isin([int(v) for v in values])
        else:
            keep &= rows[COLUMN.get(name, name)].isin(values)
    return keep


def during(rows: pd.DataFrame, span: list[str] | None) -> pd.DataFrame:
    if not span or "date" not in rows.columns:
        return rows
    first, last = pd.Timestamp(span[0]), pd.Timestamp(span[1])
    return rows[(rows["date"] >= first) & (rows["date"] <= last)]


def labels(rows: pd.DataFrame, dim: str) -> list[Any]:
    if dim not in CALENDAR:
        return list(rows[COLUMN.get(dim, dim)])
    days = [d.date() for d in rows["date"]]
    make = {"day": lambda d: d.isoformat(), "month": lambda d: f"{d.year}-{d.month:02d}",
            "quarter": lambda d: f"{d.year}-Q{(d.month + 2) // 3}", "year": lambda d: d.year,
            "weekday": lambda d: d.isoweekday(),
            "week": lambda d: date.fromordinal(d.toordinal() - d.weekday()).isoformat()}[dim]
    return [make(d) for d in days]


def groups(rows: pd.DataFrame, dims: list[str], measure: str) -> dict[Any, Any]:
    if rows.empty:
        return {}
    members: dict[tuple[Any, ...], list[int]] = {}
    for position, key in enumerate(zip(*(labels(rows, d) for d in dims), strict=True)):
        members.setdefault(key, []).append(position)
    return {(key if len(dims) > 1 else key[0]): measure_of(rows.iloc[members[key]], measure)
            for key in sorted(members)}


def ranked(values: dict[Any, Any], direction: str, n: int) -> list[Any]:
    """Keys of the n first places, None last (a stable sort on the value; ties keep the key order)."""
    present = sorted((k for k in values if values[k] is not None), key=lambda k: values[k],
                     reverse=direction == "desc")
    return (present + [k for k in values if values[k] is None])[:n]


def kind_of(calc: dict[str, Any]) -> str:
    """The answer's kind, named as the bench names it (a ranked comparison is a "rank" with the change as key)."""
    split = bool(calc.get("by"))
    if "cmp" in calc:
        return ("cmp_rank" if "rank" in calc else "cmp_by") if split else "cmp"
    if "part" in calc:
        return "share"
    if not split:
        return "scalar"
    return "rank" if "rank" in calc else "share_by" if calc.get("share_by") else "by"


def selected(calc: dict[str, Any], tenant: Tenant) -> pd.DataFrame:
    base = tenant.rows_for(calc["m"])
    keep = picks(base, calc.get("f"))
    return base[keep & ~picks(base, calc["x"])] if calc.get("x") else base[keep]


def compared(kind: str, calc: dict[str, Any], rows: pd.DataFrame) -> dict[str, Any]:
    measure, dims = calc["m"], list(calc.get("by", []))
    later, earlier = during(rows, calc.get("p")), during(rows, calc["cmp"])
    if kind == "cmp":
        return {"kind": "cmp", "current": measure_of(later, measure), "previous": measure_of(earlier, measure)}
    now, then = groups(later, dims, measure), groups(earlier, dims, measure)
    if kind == "cmp_by":
        return {"kind": "cmp_by", "current": now, "previous": then}
    delta = {key: (now.get(key) or 0) - (then.get(key) or 0) for key in {**then, **now}}
    return {"kind": "rank", "top": [(key, now.get(key, 0)) for key in ranked(delta, *calc["rank"])], "all": now}


def placed(calc: dict[str, Any], rows: pd.DataFrame, tenant: Tenant) -> dict[str, Any]:
    """A ranking; a bottom ranking of stores or products also places those that sold nothing, with 0."""
    dims = list(calc["by"])
    found = groups(rows, dims, calc["m"])
    if calc["rank"][0] == "asc" and dims in (["store"], ["product"]):
        if dims == ["store"]:
            everyone = list(tenant.stores["store_code"])
        else:
            product_side = {k: v for k, v in (calc.get("f") or {}).items()
                            if k in ("category", "brand", "product", "keyword")}
            everyone = list(tenant.products.loc[picks(tenant.products, product_side), "sku"])
        found = {**{key: 0 for key in everyone if key not in found}, **found}
    return {"kind": "rank", "top": [(key, found[key]) for key in ranked(found, *calc["rank"])], "all": found}


def recompute(calc: dict[str, Any], tenant: Tenant) -> dict[str, Any]:
    kind, measure, rows = kind_of(calc), calc["m"], selected(calc, tenant)
    if kind.startswith("cmp"):
        return compared(kind, calc, rows)
    rows = during(rows, calc.get("p"))
    if kind == "rank":
        return placed(calc, rows, tenant)
    if kind == "share":
        whole, piece = measure_of(rows, measure), measure_of(rows[picks(rows, calc["part"])], measure)
        return {"kind": "share", "value": piece, "total": whole, "share": ratio(piece, whole, 100.0)}
    if kind == "scalar":
        return {"kind": "scalar", "value": measure_of(rows, measure)}
    found = groups(rows, list(calc["by"]), measure)
    if kind == "by":
        return {"kind": "by", "groups": found}
    whole = sum(v for v in found.values() if v is not None)
    return {"kind": "share_by", "groups": {key: 100.0 * v / whole for key, v in found.items()}}


# ---- verdicts -------------------------------------------------------------------------------------------------


def same(mine: Any, theirs: Any) -> bool:
    """Equal structure; numbers equal to 1e-6 (relative for large ones), keys and text exactly."""
    if isinstance(mine, dict):
        return isinstance(theirs, dict) and set(mine) == set(theirs) and all(same(mine[k], theirs[k]) for k in mine)
    if isinstance(mine, (list, tuple)):
        return (isinstance(theirs, (list, tuple)) and len(mine) == len(theirs)
                and all(same(a, b) for a, b in zip(mine, theirs, strict=True)))
    if mine is None or theirs is None:
        return mine is None and theirs is None
    if isinstance(mine, str) or isinstance(theirs, str):
        return str(mine) == str(theirs)
    return abs(float(mine) - float(theirs)) <= 1e-6 * max(1.0, abs(float(mine)))


def agrees(mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    if mine["kind"] != "rank" or theirs.get("kind") != "rank":
        return same(mine, theirs)
    # the places are compared by value (tied keys may come in either order); the ranked groups must be equal
    return same([v for _, v in mine["top"]], [v for _, v in theirs["top"]]) and same(mine["all"], theirs["all"])


def known_values(tenant: Tenant, rows: pd.DataFrame, column: str) -> set[Any]:
    values = set(rows[column]) if column in rows.columns else set()
    for side in (tenant.stores, tenant.products):
        if column in side.columns:
            values |= set(side[column])
    return values


def vet(case: dict[str, Any], tenant: Tenant) -> list[str]:
    """What is wrong with one case's label (empty when nothing)."""
    issues: list[str] = []
    if case.get("shape") not in KNOWN_SHAPES:
        issues.append(f"shape {case.get('shape')!r} is not one the bench reports")
    turns = case.get("context")
    if turns is not None and not (isinstance(turns, list) and turns and all(isinstance(t, str) for t in turns)):
        issues.append("context must list the earlier turns as text")
    if case.get("shape") == "follow_up" and not turns:
        issues.append("a follow_up case has no earlier turn")
    if "expect" in case:
        if case["expect"] != "refuse":
            issues.append(f"expect must be 'refuse', not {case['expect']!r}")
        if "calc" in case:
            issues.append("a refusal with a calc label")
        return issues
    calc = case.get("calc") or {}
    measure = calc.get("m")
    if measure not in SALES_MEASURES | STOCK_MEASURES | set(LIST_MEASURES):
        return [*issues, f"no calc label or an unknown measure {measure!r}"]
    rows = tenant.rows_for(measure)
    for part in ("f", "x", "part"):
        for name, values in (calc.get(part) or {}).items():
            if not isinstance(values, list) or not values:
                issues.append(f"{part}.{name} must be a non-empty list")
            elif name == "keyword":
                names = " | ".join(tenant.products["name"]).lower()
                issues += [f"keyword {v!r} is in no product name" for v in values if v.lower() not in names]
            elif name == "weekday":
                issues += [f"weekday {v!r} is not ISO 1-7" for v in values if str(v) not in "1234567"]
            elif COLUMN.get(name, name) not in rows.columns:
                issues.append(f"{part}.{name}: the {measure} table has no such column")
            else:
                have = known_values(tenant, rows, COLUMN.get(name, name))
                issues += [f"{part}.{name}={v!r} is not in the tenant's data" for v in values if v not in have]
    for dim in calc.get("by", []):
        if dim in CALENDAR and "date" not in rows.columns:
            issues.append(f"time breakdown {dim} of {measure}, a table without dates")
        elif dim not in CALENDAR and COLUMN.get(dim, dim) not in rows.columns:
            issues.append(f"breakdown {dim}: the {measure} table has no such column")
    first_sale, last_sale = tenant.sales["date"].min().date(), tenant.sales["date"].max().date()
    for key in ("p", "cmp"):
        if key not in calc:
            continue
        start, end = (date.fromisoformat(v) for v in calc[key])
        if end < start:
            issues.append(f"{key} ends before it starts")
        if end < first_sale or start > last_sale:
            issues.append(f"{key} does not overlap the tenant's sales ({first_sale} - {last_sale})")
        if "date" not in rows.columns:
            issues.append(f"a period on {measure}, a table without dates")
    if "rank" in calc:
        direction, n = calc["rank"]
        if direction not in ("asc", "desc") or not isinstance(n, int) or n < 1:
            issues.append(f"ranking {calc['rank']} is not [asc|desc, n >= 1]")
        if not calc.get("by"):
            issues.append("a ranking without a breakdown")
    if calc.get("share_by") and not calc.get("by"):
        issues.append("share_by without a breakdown")
    return issues


def worries(case: dict[str, Any], mine: dict[str, Any]) -> list[str]:
    note = case.get("note", "")
    out = []
    if mine["kind"] == "scalar" and not mine["value"] and "0" not in note:
        out.append("expected 0, and the note does not say so")
    if mine["kind"] in ("by", "share_by") and not mine["groups"]:
        out.append("the breakdown has no rows")
    if mine["kind"] == "rank" and "cmp" not in case["calc"]:
        values = sorted((v for v in mine["all"].values() if v is not None),
                        reverse=case["calc"]["rank"][0] == "desc")
        cut = len(mine["top"])
        if cut < len(values) and values[cut] == values[cut - 1]:
            out.append(f"a tie at the ranking's cut ({values[cut]})")
    return out


def words(question: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", question.lower()))


@dataclass
class Verdict:
    """One case's outcome: printed lines (label problems, disagreement, warnings), counts, the value shown by -v."""

    lines: list[str]
    detail: list[str]
    failures: int = 0
    valued: bool = False
    matched: bool = False


def judge(case: dict[str, Any], tenant: Tenant, frames: dict[str, Any], asked_before: set[str],
          bench_value: Any) -> Verdict:
    where = f"{case['id']} [{case['tenant']}/{case.get('shape')}] {case['question']!r}"
    issues = vet(case, tenant) + (["an earlier SQL case file asks the same question"]
                                  if words(case["question"]) in asked_before else [])
    verdict = Verdict([f"LABEL {where}: {issue}" for issue in issues], [], failures=len(issues))
    if issues or "calc" not in case:
        return verdict
    mine, theirs = recompute(case["calc"], tenant), bench_value(case["calc"], frames)
    verdict.valued, verdict.matched = True, agrees(mine, theirs)
    if not verdict.matched:
        verdict.failures += 1
        verdict.lines.append(f"DISAGREE {where}\n    here:  {str(mine)[:300]}\n    bench: {str(theirs)[:300]}")
    verdict.lines += [f"warn {where}: {worry}" for worry in worries(case, mine)]
    verdict.detail.append(f"{case['id']}: {str({k: v for k, v in mine.items() if k != 'all'})[:240]}")
    return verdict


def main(verbose: bool = False, path: Path | None = None) -> int:
    """Check the set (or another file in its format, `path`: then the bench's loader is not consulted)."""
    sys.path.insert(0, str(FOLDER.parents[2]))
    from bench.bench_answers import TENANTS, expected_sql, load_cases, load_frames

    own = FOLDER / f"{NAME}.jsonl"
    cases = [json.loads(line) for line in (path or own).read_text(encoding="utf-8").splitlines() if line.strip()]
    failures = 0
    if path is None:
        loaded = sum(1 for c in load_cases("sql") if c["_split"] == NAME)
        if loaded != len(cases):
            print(f"the bench's loader reads {loaded} cases of {NAME}, the file holds {len(cases)}")
            failures += 1
    ids = [c.get("id") for c in cases]
    if ids != [f"h11-{n:03d}" for n in range(1, len(cases) + 1)]:
        print("ids must run h11-001, h11-002, ... in file order, each once")
        failures += 1
    asked = [(words(c.get("question", "")), tuple(c.get("context") or ())) for c in cases]
    repeated = sorted({q for q, _ in asked if asked.count((q, _)) > 1})
    if repeated:
        print(f"asked twice in the set (same earlier turns): {repeated}")
        failures += 1
    strangers = sorted({c.get("tenant") for c in cases if c.get("tenant") not in TENANTS
                        or not (FOLDER / str(c.get("tenant"))).is_dir()}, key=str)
    if strangers:
        print(f"tenants not registered in bench_answers.TENANTS or without CSV files: {strangers}")
        return 1
    asked_before = {words(json.loads(line)["question"]) for other in sorted(FOLDER.glob("*.jsonl")) if other != own
                    for line in other.read_text(encoding="utf-8").splitlines() if line.strip()}
    tenants = {slug: Tenant.load(slug) for slug in {c["tenant"] for c in cases}}
    frames = {slug: load_frames(slug) for slug in tenants}
    verdicts = [judge(case, tenants[case["tenant"]], frames[case["tenant"]], asked_before, expected_sql)
                for case in cases]
    for line in (line for v in verdicts for line in v.lines + (v.detail if verbose else [])):
        print(line)
    failures += sum(v.failures for v in verdicts)
    valued = sum(v.valued for v in verdicts)
    matched = sum(v.matched for v in verdicts)
    print(f"{len(cases)} cases, {valued} with values ({len(cases) - valued} refusals or broken labels): {matched} "
          f"agree with the bench's expected_sql; {failures} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    given = [Path(a) for a in sys.argv[1:] if not a.startswith("-")]
    raise SystemExit(main("-v" in sys.argv[1:], given[0] if given else None))
