"""Independent check of the SQL held-out set 12: recompute every labelled case from the CSV files and compare.

python bench/data/answers_sql/check_heldout12.py [-v]

Contract: every case of heldout12.jsonl with a `calc` label is answered here from the tenant's CSV files by this
script's own pandas code (a `Tenant` holding one wide frame per table family with derived calendar columns; a measure
is a function of a frame; filters are `isin` selections; breakdowns are `groupby` over derived key columns); neither
the bench's `expected_sql` nor the SQL tool is used. The answer is then compared with what `expected_sql` makes of
the same label, and the labels are checked: ids `h12-NNN`, unique; a known shape; a refusal carries no `calc`, an
answer carries one with a known measure; filters and breakdowns exist in the measure's table and every filter value
in the tenant's data; periods run forwards and overlap the tenant's sales; no bottom store ranking within a place
(the bench lists every store of the tenant with 0 there); a follow-up has its earlier turns; no
question is asked twice in the set (same tenant, same earlier turns) nor repeated from another SQL case file (the
held-out 11 file is not read: it is closed to everyone but its writer). Warnings (not errors): an expected 0 that the
note does not announce, a tie at the cut of a ranking, a breakdown with no groups. Exit 1 on any disagreement or label
problem, else 0. Reads only CSV and JSON-lines files; needs pandas (the project venv).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

FOLDER = Path(__file__).parent
CASES = FOLDER / "heldout12.jsonl"
CLOSED = {"heldout11.jsonl"}  # case files this script must not read
ID = re.compile(r"h12-\d{3}")
SHAPES = ("total average breakdown multi_dim filters follow_up patients ranking time_ranking time_shape typo yoy "
          "comparison share distinct catalog stock refusal").split()
CALENDAR = ("day", "week", "month", "quarter", "year", "weekday")
COLUMN = {"store": "store_code", "product": "sku"}


def _ratio(top: str, bottom: str, scale: float = 1.0) -> Callable[[pd.DataFrame], Any]:
    def measure(f: pd.DataFrame) -> Any:
        below = SALES[bottom](f)
        return scale * SALES[top](f) / below if below else None
    return measure


SALES: dict[str, Callable[[pd.DataFrame], Any]] = {
    "units": lambda f: int(f["qty"].sum()),
    "gross_revenue": lambda f: float(f["gross"].sum()),
    "discount_total": lambda f: float(f["off"].sum()),
    "revenue": lambda f: float(f["gross"].sum() - f["off"].sum()),
    "order_lines": len,
    "orders": lambda f: f["order_id"].nunique(),
    "distinct_products": lambda f: f["sku"].nunique(),
    "distinct_brands": lambda f: f["brand"].nunique(),
    "distinct_stores": lambda f: f["store_code"].nunique(),
    "discounted_orders": lambda f: f.loc[f["off"] > 0, "order_id"].nunique(),
}
SALES |= {"avg_selling_price": _ratio("revenue", "units"), "avg_order_value": _ratio("revenue", "orders"),
          "units_per_order": _ratio("units", "orders"), "avg_discount_per_order": _ratio("discount_total", "orders"),
          "discount_rate": _ratio("discount_total", "gross_revenue", 100.0),
          "discounted_order_rate": _ratio("discounted_orders", "orders", 100.0)}
STOCK: dict[str, Callable[[pd.DataFrame], Any]] = {
    "stock_on_hand": lambda f: int(f["have"].sum()),
    "stock_value": lambda f: float((f["have"] * f["list_price"]).sum()),
    "items_below_reorder": lambda f: int((f["have"] < f["floor"]).sum()),
    "items_at_reorder": lambda f: int((f["have"] == f["floor"]).sum()),
    "items_at_or_below_reorder": lambda f: int((f["have"] <= f["floor"]).sum()),
    "items_out_of_stock": lambda f: int((f["have"] == 0).sum()),
    "stock_lines": len,
}
COUNTS: dict[str, tuple[str, Callable[[pd.DataFrame], Any]]] = {
    "patients": ("patients", len), "store_count": ("stores", len), "product_count": ("products", len),
    "brand_count": ("products", lambda f: f["brand"].nunique()),
}


class Tenant:
    """One tenant's CSV files as frames a label is answered from."""

    def __init__(self, slug: str) -> None:
        self.slug = slug

    def _csv(self, table: str) -> pd.DataFrame:
        return pd.read_csv(FOLDER / self.slug / f"{table}.csv", dtype=str, keep_default_na=False)

    @cached_property
    def stores(self) -> pd.DataFrame:
        return self._csv("stores")

    @cached_property
    def products(self) -> pd.DataFrame:
        return self._csv("products")

    @cached_property
    def sales(self) -> pd.DataFrame:
        f = self._csv("sales")
        f = f.join(self.products.set_index("sku")[["name", "category", "brand"]], on="sku")
        f = f.join(self.stores.set_index("store_code")[["city", "state"]], on="store_code")
        if f[["brand", "state"]].isna().any().any():
            raise SystemExit(f"{self.slug}: a sale names an unknown product or store")
        f["qty"] = f["quantity"].astype(int)
        f["gross"] = f["qty"] * f["unit_price"].astype(float)
        f["off"] = f["discount"].astype(float)
        stamp = pd.to_datetime(f["sold_at"], format="%Y-%m-%d")
        f["day"] = stamp.dt.strftime("%Y-%m-%d")
        f["week"] = (stamp - pd.to_timedelta(stamp.dt.day_of_week, unit="D")).dt.strftime("%Y-%m-%d")
        f["month"] = stamp.dt.strftime("%Y-%m")
        f["quarter"] = stamp.dt.year.astype(str) + "-Q" + ((stamp.dt.month + 2) // 3).astype(str)
        f["year"] = stamp.dt.year
        f["weekday"] = stamp.dt.day_of_week + 1
        return f

    @cached_property
    def stock(self) -> pd.DataFrame:
        f = self._csv("stock")
        f = f.join(self.products.set_index("sku")[["name", "category", "brand", "unit_price"]], on="sku")
        f = f.join(self.stores.set_index("store_code")[["city", "state"]], on="store_code")
        f["have"], f["floor"] = f["on_hand"].astype(int), f["reorder_point"].astype(int)
        f["list_price"] = f["unit_price"].astype(float)
        return f

    @cached_property
    def patients(self) -> pd.DataFrame:
        f = self._csv("patients")
        born, seen = (f[c].map(date.fromisoformat) for c in ("date_of_birth", "last_exam_date"))
        age = [s.year - b.year - ((s.month, s.day) < (b.month, b.day)) for b, s in zip(born, seen, strict=True)]
        f["age_band"] = ["90+" if a >= 90 else f"{a // 10 * 10}-{a // 10 * 10 + 9}" for a in age]
        return f

    def table_of(self, measure: str) -> tuple[pd.DataFrame, Callable[[pd.DataFrame], Any]]:
        if measure in SALES:
            return self.sales, SALES[measure]
        if measure in STOCK:
            return self.stock, STOCK[measure]
        table, count = COUNTS[measure]
        return getattr(self, table), count


def select(frame: pd.DataFrame, conditions: dict[str, list[Any]] | None) -> pd.Series:
    """Rows meeting every condition (a keyword: any of the words inside the product name, case-blind)."""
    keep = pd.Series(True, index=frame.index)
    for name, wanted in (conditions or {}).items():
        if name == "keyword":
            lowered = frame["name"].str.lower()
            keep &= lowered.map(lambda n, ws=[w.lower() for w in wanted]: any(w in n for w in ws))
        else:
            keep &= frame[COLUMN.get(name, name)].isin([int(w) for w in wanted] if name == "weekday" else wanted)
    return keep


def in_period(frame: pd.DataFrame, period: list[str] | None) -> pd.DataFrame:
    if not period or "day" not in frame:
        return frame
    return frame[(frame["day"] >= period[0]) & (frame["day"] <= period[1])]


def breakdown(frame: pd.DataFrame, dims: list[str], measure: Callable[[pd.DataFrame], Any]) -> dict[Any, Any]:
    if frame.empty:
        return {}
    columns = [COLUMN.get(d, d) for d in dims]
    result = {}
    for key, rows in frame.groupby(columns if len(columns) > 1 else columns[0]):
        key = tuple(k.item() if hasattr(k, "item") else k for k in key) if len(columns) > 1 else \
            (key.item() if hasattr(key, "item") else key)
        result[key] = measure(rows)
    return result


def ranked(values: dict[Any, Any], direction: str, n: int) -> list[tuple[Any, Any]]:
    present = [(k, v) for k, v in values.items() if v is not None]
    present.sort(key=lambda kv: kv[1], reverse=direction == "desc")
    return present[:n]


def recompute(calc: dict[str, Any], tenant: Tenant) -> dict[str, Any]:
    frame, measure = tenant.table_of(calc["m"])
    keep = select(frame, calc.get("f"))
    if calc.get("x"):
        keep &= ~select(frame, calc["x"])
    frame = frame[keep]
    dims = calc.get("by") or []
    if calc.get("cmp"):
        now, before = in_period(frame, calc.get("p")), in_period(frame, calc["cmp"])
        if not dims:
            return {"kind": "cmp", "current": measure(now), "previous": measure(before)}
        a, b = breakdown(now, dims, measure), breakdown(before, dims, measure)
        if not calc.get("rank"):
            return {"kind": "cmp_by", "current": a, "previous": b}
        moves = {k: (a.get(k) or 0) - (b.get(k) or 0) for k in a.keys() | b.keys()}
        return {"kind": "rank", "top": [(k, a.get(k, 0)) for k, _ in ranked(moves, *calc["rank"])], "all": a}
    frame = in_period(frame, calc.get("p"))
    if calc.get("part") is not None:
        whole, part = measure(frame), measure(frame[select(frame, calc["part"])])
        return {"kind": "share", "value": part, "total": whole, "share": 100 * part / whole if whole else None}
    if not dims:
        return {"kind": "scalar", "value": measure(frame)}
    groups = breakdown(frame, dims, measure)
    if calc.get("rank"):
        direction, n = calc["rank"]
        if direction == "asc" and dims == ["store"]:  # a store that sold nothing is the bottom, with 0
            groups = {code: 0 for code in tenant.stores["store_code"]} | groups
        elif direction == "asc" and dims == ["product"]:
            side = {k: v for k, v in (calc.get("f") or {}).items() if k in ("category", "brand", "product", "keyword")}
            groups = {sku: 0 for sku in tenant.products.loc[select(tenant.products, side), "sku"]} | groups
        return {"kind": "rank", "top": ranked(groups, direction, n), "all": groups}
    if calc.get("share_by"):
        whole = sum(v for v in groups.values() if v is not None)
        return {"kind": "share_by", "groups": {k: 100 * v / whole for k, v in groups.items()}}
    return {"kind": "by", "groups": groups}


# ---- comparing ----------------------------------------------------------------------------------------------------


def same(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if a is None or b is None or isinstance(a, str) or isinstance(b, str):
        return a == b or str(a) == str(b)
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))


def agrees(mine: dict[str, Any], bench: dict[str, Any]) -> bool:
    if mine["kind"] != bench["kind"]:
        return False
    if mine["kind"] == "rank":  # tied places may list other keys: compare the values and the whole breakdown
        return same([v for _, v in mine["top"]], [v for _, v in bench["top"]]) and same(mine["all"], bench["all"])
    return same(mine, bench)


# ---- label checks -------------------------------------------------------------------------------------------------


def words(question: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", question.lower()))


def label_errors(case: dict[str, Any], tenant: Tenant) -> list[str]:
    errors = []
    if case.get("shape") not in SHAPES:
        errors.append(f"unknown shape {case.get('shape')!r}")
    context = case.get("context")
    if context is not None and not (isinstance(context, list) and context and all(isinstance(t, str) for t in context)):
        errors.append("context must be a non-empty list of earlier questions")
    if case.get("shape") == "follow_up" and not context:
        errors.append("a follow-up without its earlier turns")
    if "expect" in case:
        if case["expect"] != "refuse":
            errors.append(f"unknown expect {case['expect']!r}")
        if "calc" in case:
            errors.append("a refusal with a calc label")
        return errors
    calc = case.get("calc") or {}
    m = calc.get("m")
    if m not in SALES and m not in STOCK and m not in COUNTS:
        return errors + [f"unknown measure {m!r}"]
    frame, _ = tenant.table_of(m)
    for section in ("f", "x", "part"):
        for name, wanted in (calc.get(section) or {}).items():
            if name == "keyword":
                names = " | ".join(tenant.products["name"]).lower()
                errors += [f"{section}: keyword {w!r} is in no product name" for w in wanted if w.lower() not in names]
            elif name == "weekday":
                errors += [f"{section}: weekday {w!r} is not 1-7" for w in wanted if not 1 <= int(w) <= 7]
            elif COLUMN.get(name, name) not in frame:
                errors.append(f"{section}: {name} is not a column of the {m} table")
            else:
                known = set(frame[COLUMN.get(name, name)])
                for table in (tenant.stores, tenant.products):
                    known |= set(table.get(COLUMN.get(name, name), []))
                errors += [f"{section}: {name}={w!r} is not in the tenant's data" for w in wanted if w not in known]
    for dim in calc.get("by") or []:
        if COLUMN.get(dim, dim) not in frame:
            kind = "time breakdown" if dim in CALENDAR else "breakdown"
            errors.append(f"{kind} {dim} of {m}: not in its table")
    first_sale, last_sale = tenant.sales["day"].min(), tenant.sales["day"].max()
    for key in ("p", "cmp"):
        if key not in calc:
            continue
        start, end = calc[key]
        date.fromisoformat(start), date.fromisoformat(end)  # noqa: B018 - raises on a malformed date
        if start > end:
            errors.append(f"{key} runs backwards")
        if end < first_sale or start > last_sale:
            errors.append(f"{key} lies outside the tenant's sales ({first_sale} - {last_sale})")
        if "day" not in frame:
            errors.append(f"a period on {m}, which has no date")
    rank = calc.get("rank")
    if rank is not None and (rank[0] not in ("asc", "desc") or int(rank[1]) < 1 or not calc.get("by")):
        errors.append(f"bad ranking {rank}")
    if calc.get("share_by") and not calc.get("by"):
        errors.append("share_by without a breakdown")
    if rank and rank[0] == "asc" and calc.get("by") == ["store"] and not calc.get("cmp") and \
            {"store", "city", "state"} & set(calc.get("f") or {}):
        errors.append("a bottom store ranking within a place: expected_sql ranks every store of the tenant (0 for "
                      "the others), so its expected answer would be a store outside the place")
    return errors


def warnings(case: dict[str, Any], mine: dict[str, Any]) -> list[str]:
    out = []
    if mine["kind"] == "scalar" and not mine["value"] and "0" not in case.get("note", ""):
        out.append("the expected value is 0 and the note does not say so")
    if mine["kind"] in ("by", "share_by") and not mine["groups"]:
        out.append("a breakdown with no groups")
    if mine["kind"] == "rank" and not case["calc"].get("cmp"):
        direction, n = case["calc"]["rank"]
        order = [v for _, v in ranked(mine["all"], direction, len(mine["all"]))]
        if n < len(order) and order[n] == order[n - 1]:
            out.append(f"a tie at the cut of the ranking ({order[n]})")
    return out


def main(verbose: bool = False, path: Path | None = None) -> int:
    """Check the set (or another file in its format, `path`; then the bench's loader is not asked)."""
    sys.path.insert(0, str(FOLDER.parents[2]))
    from bench.bench_answers import TENANTS, expected_sql, load_cases, load_frames

    source = path or CASES
    cases = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    trouble: list[str] = []
    if path is None:
        loaded = sum(c["_split"] == CASES.stem for c in load_cases("sql"))
        if loaded != len(cases):
            trouble.append(f"the bench's loader reads {loaded} cases of {CASES.stem}, the file has {len(cases)}")
    ids = [c.get("id") for c in cases]
    if len(set(ids)) != len(ids) or not all(ID.fullmatch(str(i)) for i in ids):
        trouble.append("ids must be unique and look like h12-NNN")
    unknown = sorted({c.get("tenant") for c in cases} - {s for s in TENANTS if (FOLDER / s).is_dir()}, key=str)
    trouble += [f"tenant {s!r} is not registered in bench_answers.TENANTS or has no CSV files" for s in unknown]
    for line in trouble:
        print(line)
    if unknown:
        return 1
    asked_before = {words(json.loads(line)["question"]) for other in FOLDER.glob("*.jsonl")
                    if other.name not in CLOSED and other != CASES
                    for line in other.read_text(encoding="utf-8").splitlines() if line.strip()}
    tenants = {slug: Tenant(slug) for slug in {c["tenant"] for c in cases}}
    frames = {slug: load_frames(slug) for slug in tenants}
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    problems, valued, agreed = len(trouble), 0, 0
    for case in cases:
        tag = f"{case['id']} [{case['tenant']}/{case.get('shape')}] {case['question']!r}"
        errors = label_errors(case, tenants[case["tenant"]])
        turn = (case["tenant"], words(case["question"]), tuple(words(t) for t in case.get("context") or []))
        if turn in seen:
            errors.append("asked twice in the set")
        seen.add(turn)
        if not case.get("context") and words(case["question"]) in asked_before:
            errors.append("the same question is in an earlier case file")
        for error in errors:
            print(f"LABEL {tag}: {error}")
        problems += len(errors)
        if errors or "calc" not in case:
            continue
        valued += 1
        mine = recompute(case["calc"], tenants[case["tenant"]])
        bench = expected_sql(case["calc"], frames[case["tenant"]])
        if agrees(mine, bench):
            agreed += 1
        else:
            problems += 1
            print(f"DISAGREE {tag}\n    mine:  {str(mine)[:300]}\n    bench: {str(bench)[:300]}")
        for warning in warnings(case, mine):
            print(f"warn {tag}: {warning}")
        if verbose:
            shown = {k: v for k, v in mine.items() if k != "all"}
            print(f"{case['id']}: {str(shown)[:240]}")
    print(f"{len(cases)} cases ({len(cases) - valued} refusals or broken labels, {valued} with values): {agreed} "
          f"recomputed values agree with the bench's expected_sql; {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main("-v" in sys.argv[1:]))
