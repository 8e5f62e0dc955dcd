"""Independent check of the SQL held-out set 17: recompute every labelled answer from the CSV files and compare.

python bench/data/answers_sql/check_heldout17.py [-v]

Contract: every case of heldout17.jsonl that carries a `calc` label is answered here with this file's own pandas code
and held against `bench.bench_answers.expected_sql` (called only to compare; the SQL tool never runs). Design: a
`Tenant` reads the five CSV files of one tenant itself (no bench loader) and keeps one tidy frame per family: sales
lines (net = quantity * price - discount, with product, place and calendar columns), stock lines priced at list,
patients with their age band at the last exam, the store list and the product list. `rows_for()` applies a label's
filters (`f`), exclusions (`x`) and period (`p`); `compute()` evaluates one measure; `answer()` builds the bench's
result shapes (scalar, by, rank, rank_per, cmp, cmp_by, share, share_by, and the per-day / per-month / per-store
averages, the mean of the per-unit totals over the units that have rows). Exit status 1 when a value disagrees
(printed with DISAGREE) or a label is malformed: ids h17-NNN, unique; a known shape; a refusal says
`expect: refuse` and carries no calc; a known measure; filter / exclusion / part / breakdown keys that belong to the
measure's family, values that occur in the tenant's data; ISO periods that run forwards, on sales measures only and
touching the data; a ranking has a breakdown, `within` is the first of two dimensions; a share part goes without a
breakdown or comparison; a follow-up names its earlier turns; no question asked twice. Printed without failing: an
expected 0 or empty answer the note does not announce, and a tie at a ranking's cut. `main(path=...)` checks
another file in the same format.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
CASES = HERE / "heldout17.jsonl"
KNOWN_SHAPES = frozenset({"total", "breakdown", "ranking", "time_ranking", "time_shape", "comparison", "yoy", "share",
                          "average", "distinct", "catalog", "stock", "patients", "filters", "follow_up", "multi_dim",
                          "typo", "refusal"})
CALENDAR = ("day", "week", "month", "quarter", "year", "weekday")
COLUMN = {"store": "store_code", "product": "sku"}
SALES_ONES = ("units", "revenue", "gross_revenue", "discount_total", "discount_rate", "order_lines", "orders",
              "distinct_products", "distinct_brands", "distinct_stores", "discounted_orders", "discounted_order_rate",
              "avg_selling_price", "avg_order_value", "units_per_order", "avg_discount_per_order")
STOCK_ONES = ("stock_on_hand", "stock_value", "items_below_reorder", "items_at_reorder", "items_at_or_below_reorder",
              "items_out_of_stock", "stock_lines")
FAMILY_OF = {**{m: "sales" for m in SALES_ONES}, **{m: "stock" for m in STOCK_ONES}, "patients": "patients",
             "store_count": "stores", "product_count": "products", "brand_count": "products"}


def _ratio(top: float, bottom: float, times: float = 1.0) -> float | None:
    return times * float(top) / float(bottom) if bottom else None


class Tenant:
    """One tenant's CSV files, read as text and shaped into one frame per measure family."""

    def __init__(self, slug: str) -> None:
        folder = HERE / slug

        def read(name: str) -> pd.DataFrame:
            return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)

        stores, products = read("stores"), read("products")
        place = stores.rename(columns={"name": "store_name"})
        sales = read("sales").merge(products.drop(columns=["unit_price"]), on="sku", how="left")
        sales = sales.merge(place, on="store_code", how="left")
        sales["qty"] = sales["quantity"].astype(int)
        sales["each"] = sales["unit_price"].astype(float)
        sales["off"] = sales["discount"].astype(float)
        sales["gross"] = sales["qty"] * sales["each"]
        stamp = pd.to_datetime(sales["sold_at"])
        sales["on"] = stamp.dt.date
        sales["day"] = stamp.dt.strftime("%Y-%m-%d")
        sales["month"] = stamp.dt.strftime("%Y-%m")
        sales["quarter"] = stamp.dt.year.astype(str) + "-Q" + stamp.dt.quarter.astype(str)
        sales["year"] = stamp.dt.year.astype(int)
        sales["weekday"] = (stamp.dt.day_of_week + 1).astype(int)
        sales["week"] = (stamp - pd.to_timedelta(stamp.dt.day_of_week, unit="D")).dt.strftime("%Y-%m-%d")
        stock = read("stock").merge(products, on="sku", how="left").merge(place, on="store_code", how="left")
        stock["have"] = stock["on_hand"].astype(int)
        stock["reorder"] = stock["reorder_point"].astype(int)
        stock["list_price"] = stock["unit_price"].astype(float)
        patients = read("patients")
        born = pd.to_datetime(patients["date_of_birth"])
        seen = pd.to_datetime(patients["last_exam_date"])
        before_birthday = (seen.dt.month < born.dt.month) | ((seen.dt.month == born.dt.month)
                                                              & (seen.dt.day < born.dt.day))
        age = seen.dt.year - born.dt.year - before_birthday.astype(int)
        patients["age_band"] = [("90+" if a >= 90 else f"{a // 10 * 10}-{a // 10 * 10 + 9}") for a in age]
        self.frames = {"sales": sales, "stock": stock, "patients": patients, "stores": stores, "products": products}
        self.first_sale, self.last_sale = min(sales["on"]), max(sales["on"])


def compute(name: str, rows: pd.DataFrame) -> Any:
    """One measure over the rows of its family."""
    if name in SALES_ONES:
        gross, off, qty = rows["gross"].sum(), rows["off"].sum(), rows["qty"].sum()
        net = gross - off
        orders = rows["order_id"].nunique()
        with_off = rows.loc[rows["off"] > 0, "order_id"].nunique()
        return {"units": qty, "revenue": net, "gross_revenue": gross, "discount_total": off,
                "discount_rate": _ratio(off, gross, 100), "order_lines": len(rows), "orders": orders,
                "distinct_products": rows["sku"].nunique(), "distinct_brands": rows["brand"].nunique(),
                "distinct_stores": rows["store_code"].nunique(), "discounted_orders": with_off,
                "discounted_order_rate": _ratio(with_off, orders, 100), "avg_selling_price": _ratio(net, qty),
                "avg_order_value": _ratio(net, orders), "units_per_order": _ratio(qty, orders),
                "avg_discount_per_order": _ratio(off, orders)}[name]
    if name == "stock_on_hand":
        return int(rows["have"].sum())
    if name == "stock_value":
        return float((rows["have"] * rows["list_price"]).sum())
    if name in STOCK_ONES:
        test = {"items_below_reorder": rows["have"] < rows["reorder"],
                "items_at_reorder": rows["have"] == rows["reorder"],
                "items_at_or_below_reorder": rows["have"] <= rows["reorder"],
                "items_out_of_stock": rows["have"] == 0, "stock_lines": rows["have"] >= 0}[name]
        return int(test.sum())
    if name == "brand_count":
        return int(rows["brand"].nunique())
    return len(rows)  # patients, store_count, product_count: one row each


def mask(rows: pd.DataFrame, section: dict[str, list[Any]] | None) -> pd.Series:
    """The rows that match every key of a label section (values of one key are alternatives)."""
    keep = pd.Series(True, index=rows.index)
    for key, values in (section or {}).items():
        if key == "keyword":
            lowered = rows["name"].str.lower()
            keep &= lowered.map(lambda text, vs=values: any(v.lower() in text for v in vs))
        elif key == "weekday":
            keep &= rows["weekday"].isin([int(v) for v in values])
        else:
            keep &= rows[COLUMN.get(key, key)].isin(values)
    return keep


def rows_for(tenant: Tenant, calc: dict[str, Any], period: list[str] | None) -> pd.DataFrame:
    rows = tenant.frames[FAMILY_OF[calc["m"]]]
    rows = rows[mask(rows, calc.get("f"))]
    if calc.get("x"):
        rows = rows[~mask(rows, calc["x"])]
    if period and "on" in rows:
        start, end = date.fromisoformat(period[0]), date.fromisoformat(period[1])
        rows = rows[(rows["on"] >= start) & (rows["on"] <= end)]
    return rows


def grouped(rows: pd.DataFrame, dims: list[str], name: str) -> dict[Any, Any]:
    if rows.empty:
        return {}
    columns = [COLUMN.get(d, d) for d in dims]
    out = {}
    for key, part in rows.groupby(columns, sort=True):
        key = tuple(key) if isinstance(key, tuple) else (key,)
        key = tuple(int(k) if d in ("year", "weekday") else k for d, k in zip(dims, key, strict=True))
        out[key if len(dims) > 1 else key[0]] = compute(name, part)
    return out


def ranked(values: dict[Any, Any], direction: str) -> list[tuple[Any, Any]]:
    """Best first for "desc", worst first for "asc"; groups without a value last; ties keep their first-seen order."""
    sign = -1 if direction == "desc" else 1
    return sorted(values.items(), key=lambda kv: (kv[1] is None, 0 if kv[1] is None else sign * float(kv[1])))


def zero_filled(values: dict[Any, Any], calc: dict[str, Any], tenant: Tenant) -> dict[Any, Any]:
    """A bottom ranking of stores or products also ranks those of the asked place / range that sold nothing."""
    dim = calc["by"][0]
    if calc["rank"][0] != "asc" or len(calc["by"]) != 1 or dim not in ("store", "product"):
        return values
    family, keys, column = (("stores", ("store", "city", "state"), "store_code") if dim == "store"
                            else ("products", ("category", "brand", "product", "keyword"), "sku"))
    listing = tenant.frames[family]
    listing = listing[mask(listing, {k: v for k, v in (calc.get("f") or {}).items() if k in keys})]
    return {**{code: 0 for code in listing[column]}, **values}


def answer(calc: dict[str, Any], tenant: Tenant) -> dict[str, Any]:
    name, dims = calc["m"], calc.get("by", [])
    if calc.get("cmp"):
        now, then = rows_for(tenant, calc, calc.get("p")), rows_for(tenant, calc, calc["cmp"])
        if not dims:
            return {"kind": "cmp", "current": compute(name, now), "previous": compute(name, then)}
        a, b = grouped(now, dims, name), grouped(then, dims, name)
        if calc.get("rank"):
            change = {k: (a.get(k) or 0) - (b.get(k) or 0) for k in set(a) | set(b)}
            order = [k for k, _ in ranked(change, calc["rank"][0])][: calc["rank"][1]]
            return {"kind": "rank", "top": [(k, a.get(k, 0)) for k in order], "all": a}
        return {"kind": "cmp_by", "current": a, "previous": b}
    rows = rows_for(tenant, calc, calc.get("p"))
    if calc.get("avg"):
        per_unit = grouped(rows, [*dims, calc["avg"]], name)
        pools: dict[Any, list[float]] = defaultdict(list)
        for key, value in per_unit.items():
            outer = None if not dims else (key[0] if len(dims) == 1 else key[:-1])
            pools[outer].append(value or 0)
        means = {k: sum(v) / len(v) for k, v in pools.items()}
        if not dims:
            return {"kind": "scalar", "value": means.get(None)}
        if calc.get("rank"):
            return {"kind": "rank", "top": ranked(means, calc["rank"][0])[: calc["rank"][1]], "all": means}
        return {"kind": "by", "groups": means}
    if calc.get("part") is not None:
        whole, piece = compute(name, rows), compute(name, rows[mask(rows, calc["part"])])
        return {"kind": "share", "value": piece, "total": whole, "share": _ratio(piece, whole, 100)}
    if not dims:
        return {"kind": "scalar", "value": compute(name, rows)}
    values = grouped(rows, dims, name)
    if calc.get("rank") and calc.get("within"):
        per: dict[Any, dict[Any, Any]] = defaultdict(dict)
        for key, value in values.items():
            per[key[0]][key] = value
        return {"kind": "rank_per", "all": values,
                "top": {g: ranked(v, calc["rank"][0])[: calc["rank"][1]] for g, v in per.items()}}
    if calc.get("rank"):
        values = zero_filled(values, calc, tenant)
        return {"kind": "rank", "top": ranked(values, calc["rank"][0])[: calc["rank"][1]], "all": values}
    if calc.get("share_by"):
        whole = sum(v for v in values.values() if v is not None)
        return {"kind": "share_by", "groups": {k: _ratio(v, whole, 100) for k, v in values.items()}}
    return {"kind": "by", "groups": values}


def near(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= max(0.005, 1e-9 * abs(float(b)))


def _rank_agrees(mine: list, theirs: list, all_mine: dict) -> bool:
    if len(mine) != len(theirs):
        return False
    for (mk, mv), (tk, tv) in zip(mine, theirs, strict=True):
        if not near(mv or 0, tv or 0) or (mk != tk and not near(all_mine.get(tk, -1) or 0, mv or 0)):
            return False
    return True


def agrees(mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    """The same answer: the same kind, the same keys, numbers within half a cent; ties may swap places."""
    if mine["kind"] != theirs["kind"]:
        return False
    kind = mine["kind"]
    if kind == "scalar":
        return near(mine["value"] or 0, theirs["value"] or 0)
    if kind == "cmp":
        return near(mine["current"] or 0, theirs["current"] or 0) and near(mine["previous"] or 0,
                                                                          theirs["previous"] or 0)
    if kind == "share":
        return all(near(mine[k], theirs[k]) for k in ("value", "total", "share"))
    if kind in ("by", "share_by"):
        a, b = mine["groups"], theirs["groups"]
        return set(a) == set(b) and all(near(a[k], b[k]) for k in a)
    if kind == "cmp_by":
        return all(set(mine[s]) == set(theirs[s]) and all(near(mine[s][k], theirs[s][k]) for k in mine[s])
                   for s in ("current", "previous"))
    if kind == "rank":
        return _rank_agrees(mine["top"], list(theirs["top"]), mine["all"])
    if kind == "rank_per":
        return set(mine["top"]) == set(theirs["top"]) and all(
            _rank_agrees(mine["top"][g], list(theirs["top"][g]), mine["all"]) for g in mine["top"])
    return False


def problems(case: dict[str, Any], tenant: Tenant | None, seen_ids: Counter) -> list[str]:
    """What is wrong with a case's label (an empty list when nothing is)."""
    found = []
    cid = str(case.get("id", ""))
    if not (cid.startswith("h17-") and cid[4:].isdigit() and len(cid) == 7):
        found.append(f"id {cid!r} is not h17-NNN")
    if seen_ids[cid] > 1:
        found.append(f"id {cid} used {seen_ids[cid]} times")
    if case.get("shape") not in KNOWN_SHAPES:
        found.append(f"unknown shape {case.get('shape')!r}")
    if tenant is None:
        return [*found, f"tenant {case.get('tenant')!r} has no CSV folder"]
    if case.get("shape") == "follow_up" and not case.get("context"):
        found.append("a follow-up without its earlier turns (context)")
    if case.get("expect") == "refuse" or case.get("shape") == "refusal":
        if case.get("expect") != "refuse":
            found.append("a refusal without expect: refuse")
        if "calc" in case:
            found.append("a refusal with a calc label")
        return found
    calc = case.get("calc")
    if not calc or calc.get("m") not in FAMILY_OF:
        return [*found, f"unknown or missing measure {None if not calc else calc.get('m')!r}"]
    family = FAMILY_OF[calc["m"]]
    rows = tenant.frames[family]
    for section in ("f", "x", "part"):
        for key, values in (calc.get(section) or {}).items():
            found += _values_missing(section, key, values, rows, family)
    dims = calc.get("by", [])
    for dim in [*dims, *([calc["avg"]] if calc.get("avg") else [])]:
        if dim in CALENDAR and family != "sales":
            found.append(f"time breakdown {dim} on a {family} measure")
        elif dim not in CALENDAR and COLUMN.get(dim, dim) not in rows:
            found.append(f"breakdown {dim} is not a column of {family}")
    for key in ("p", "cmp"):
        span = calc.get(key)
        if span is None:
            continue
        if family != "sales":
            found.append(f"a period on a {family} measure")
            continue
        try:
            start, end = date.fromisoformat(span[0]), date.fromisoformat(span[1])
        except (ValueError, TypeError, IndexError):
            found.append(f"{key} {span!r} is not two ISO dates")
            continue
        if start > end or end < tenant.first_sale or start > tenant.last_sale + pd.Timedelta(days=31):
            found.append(f"{key} {span} runs backwards or misses the data")
    if calc.get("rank") and not dims:
        found.append("a ranking without a breakdown")
    if calc.get("within") and (len(dims) != 2 or dims[0] != calc["within"]):
        found.append(f"within {calc['within']!r} is not the first of two dimensions {dims}")
    if calc.get("part") is not None and (dims or calc.get("cmp")):
        found.append("a share part with a breakdown or comparison")
    return found


def _values_missing(section: str, key: str, values: list[Any], rows: pd.DataFrame, family: str) -> list[str]:
    if key == "keyword":
        names = " | ".join(rows["name"].str.lower()) if "name" in rows else ""
        return [f"{section}.keyword {v!r} is in no name" for v in values if v.lower() not in names]
    if key == "weekday":
        return [f"{section}.weekday {v!r} is not 1-7" for v in values if int(v) not in range(1, 8)]
    column = COLUMN.get(key, key)
    if column not in rows:
        return [f"{section}.{key} is not a column of {family}"]
    present = set(rows[column])
    return [f"{section}.{key} value {v} does not occur in the data" for v in values if v not in present]


def worth_a_look(case: dict[str, Any], mine: dict[str, Any]) -> list[str]:
    note = case.get("note", "")
    notes = []
    empty = (mine["kind"] == "scalar" and not mine["value"]) or (mine["kind"] == "by" and not mine["groups"])
    if empty and "0" not in note:
        notes.append("expected 0 or nothing, and the note does not say so")
    if mine["kind"] in ("rank", "rank_per"):
        tops = mine["top"].values() if mine["kind"] == "rank_per" else [mine["top"]]
        for top in tops:
            if not top:
                continue
            chosen = {k for k, _ in top}
            group = top[0][0][0] if mine["kind"] == "rank_per" else None
            rest = [v for k, v in mine["all"].items() if k not in chosen and (group is None or k[0] == group)]
            if any(near(v or 0, top[-1][1] or 0) for v in rest):
                notes.append(f"a tie at the ranking's cut ({top[-1][0]})")
    return notes


def main(verbose: bool = False, path: Path | None = None) -> int:
    import bench.bench_answers as bench

    source = path or CASES
    cases = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    ids = Counter(str(c.get("id")) for c in cases)
    questions = Counter((c.get("tenant"), tuple(c.get("context", [])), c.get("question")) for c in cases)
    tenants: dict[str, Tenant] = {}
    bad = checked = 0
    for case in cases:
        slug = case.get("tenant")
        if slug not in tenants and (HERE / str(slug) / "sales.csv").is_file():
            tenants[slug] = Tenant(slug)
        tenant = tenants.get(slug)
        issues = problems(case, tenant, ids)
        if questions[(slug, tuple(case.get("context", [])), case.get("question"))] > 1:
            issues.append("the same question twice")
        if issues:
            bad += 1
            print(f"LABEL {case.get('id')}: " + "; ".join(issues))
            continue
        if "calc" not in case:
            continue
        checked += 1
        mine = answer(case["calc"], tenant)
        theirs = bench.expected_sql(case["calc"], _BENCH_FRAMES[slug])
        if not agrees(mine, theirs):
            bad += 1
            print(f"DISAGREE {case['id']} {case['question']!r}\n   mine:  {str(mine)[:300]}\n   bench: "
                  f"{str(theirs)[:300]}")
        elif verbose:
            print(f"ok {case['id']}")
        for note in worth_a_look(case, mine):
            print(f"look {case['id']}: {note}")
    print(f"{len(cases)} cases, {checked} values recomputed, {bad} disagreements or label problems")
    return 1 if bad else 0


class _Frames(dict):
    """The bench's frames per tenant, loaded once per run (the bench's own loader, only to compare)."""

    def __missing__(self, slug: str) -> Any:
        import bench.bench_answers as bench

        self[slug] = bench.load_frames(slug)
        return self[slug]


_BENCH_FRAMES = _Frames()


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[2]))
    sys.exit(main(verbose="-v" in sys.argv))
