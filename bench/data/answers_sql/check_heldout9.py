"""Independent check of the SQL held-out set 9: recompute every labelled case from the CSV files and compare.

python bench/data/answers_sql/check_heldout9.py [-v]

Contract: for every case of heldout9.jsonl this script computes the expected answer from the tenant's CSV files with
its own pandas code (not the bench's `expected_sql`, not the SQL tool), then compares it with what the bench's
`expected_sql` makes of the same `calc` label. It also checks the labels themselves: unique ids, a known tenant and
measure, refusals without `calc`, every filter value present in the tenant's data, and it warns about answers that
are easy to get right by accident or that are ambiguous (a total of 0, a tie at the cut of a ranking). It prints the
disagreements and exits 1 when there is any (or a label error), 0 otherwise. Reads only the CSV files and the case
file; needs pandas (the project's venv).
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).parent
CASES = HERE / "heldout9.jsonl"
TIME_DIMS = ("month", "quarter", "week", "day", "year", "weekday")
SALES_MEASURES = {"units", "revenue", "gross_revenue", "discount_total", "discount_rate", "order_lines", "orders",
                  "distinct_products", "distinct_brands", "distinct_stores", "discounted_orders",
                  "discounted_order_rate", "avg_discount_per_order", "avg_selling_price", "avg_order_value",
                  "units_per_order"}
STOCK_MEASURES = {"stock_on_hand", "stock_value", "items_below_reorder", "items_at_reorder",
                  "items_at_or_below_reorder", "items_out_of_stock", "stock_lines"}
OTHER_MEASURES = {"patients", "store_count", "product_count", "brand_count"}


# ---- the tenant's data ------------------------------------------------------------------------------------------


def load(slug: str) -> dict[str, pd.DataFrame]:
    folder = HERE / slug
    stores = pd.read_csv(folder / "stores.csv", dtype=str, keep_default_na=False)
    products = pd.read_csv(folder / "products.csv", dtype=str, keep_default_na=False)
    products["list_price"] = products["unit_price"].astype(float)
    sales = pd.read_csv(folder / "sales.csv", dtype=str, keep_default_na=False)
    sales["qty"] = sales["quantity"].astype(int)
    sales["price"] = sales["unit_price"].astype(float)
    sales["disc"] = sales["discount"].astype(float)
    sales["date"] = pd.to_datetime(sales["sold_at"]).dt.date
    sales = sales.merge(products[["sku", "name", "category", "brand"]], on="sku", how="left")
    sales = sales.merge(stores[["store_code", "city", "state"]], on="store_code", how="left")
    assert sales["category"].notna().all() and sales["city"].notna().all(), f"{slug}: sales with unknown sku/store"
    stock = pd.read_csv(folder / "stock.csv", dtype=str, keep_default_na=False)
    stock["oh"] = stock["on_hand"].astype(int)
    stock["rp"] = stock["reorder_point"].astype(int)
    stock = stock.merge(products[["sku", "name", "category", "brand", "list_price"]], on="sku", how="left")
    stock = stock.merge(stores[["store_code", "city", "state"]], on="store_code", how="left")
    patients = pd.read_csv(folder / "patients.csv", dtype=str, keep_default_na=False)

    def age_band(born: str, seen: str) -> str:
        b, s = date.fromisoformat(born), date.fromisoformat(seen)
        years = s.year - b.year - (1 if (s.month, s.day) < (b.month, b.day) else 0)
        if years >= 90:
            return "90+"
        low = (years // 10) * 10
        return f"{low}-{low + 9}"

    patients["age_band"] = [age_band(b, s) for b, s in zip(patients["date_of_birth"], patients["last_exam_date"],
                                                             strict=True)]
    return {"stores": stores, "products": products, "sales": sales, "stock": stock, "patients": patients}


# ---- one measure over a set of rows -----------------------------------------------------------------------------


def measure(rows: pd.DataFrame, m: str) -> Any:
    if m in SALES_MEASURES:
        gross = float((rows["qty"] * rows["price"]).sum())
        disc = float(rows["disc"].sum())
        net = gross - disc
        units = int(rows["qty"].sum())
        orders = rows["order_id"].nunique()
        disc_orders = rows.loc[rows["disc"] > 0, "order_id"].nunique()
        ratio = {"discount_rate": (disc, gross, 100), "avg_selling_price": (net, units, 1),
                 "avg_order_value": (net, orders, 1), "units_per_order": (units, orders, 1),
                 "discounted_order_rate": (disc_orders, orders, 100), "avg_discount_per_order": (disc, orders, 1)}
        if m in ratio:
            top, bottom, scale = ratio[m]
            return scale * top / bottom if bottom else None
        return {"units": units, "revenue": net, "gross_revenue": gross, "discount_total": disc,
                "order_lines": len(rows), "orders": orders, "distinct_products": rows["sku"].nunique(),
                "distinct_brands": rows["brand"].nunique(), "distinct_stores": rows["store_code"].nunique(),
                "discounted_orders": disc_orders}[m]
    if m == "stock_on_hand":
        return int(rows["oh"].sum())
    if m == "stock_value":
        return float((rows["oh"] * rows["list_price"]).sum())
    if m in STOCK_MEASURES:
        test = {"items_below_reorder": rows["oh"] < rows["rp"], "items_at_reorder": rows["oh"] == rows["rp"],
                "items_at_or_below_reorder": rows["oh"] <= rows["rp"], "items_out_of_stock": rows["oh"] == 0,
                "stock_lines": rows["oh"] >= 0}[m]
        return int(test.sum())
    if m == "brand_count":
        return rows["brand"].nunique()
    return len(rows)  # patients, store_count, product_count


def table_for(data: dict[str, pd.DataFrame], m: str) -> pd.DataFrame:
    if m in SALES_MEASURES:
        return data["sales"]
    if m in STOCK_MEASURES:
        return data["stock"]
    return {"patients": data["patients"], "store_count": data["stores"]}.get(m, data["products"])


COLUMN = {"store": "store_code", "product": "sku"}


def matches(rows: pd.DataFrame, conditions: dict[str, list[Any]]) -> pd.Series:
    keep = pd.Series(True, index=rows.index)
    for name, values in conditions.items():
        if name == "keyword":
            words = [v.lower() for v in values]
            keep &= rows["name"].str.lower().map(lambda n, ws=words: any(w in n for w in ws))
        elif name == "weekday":
            keep &= rows["date"].map(lambda d: d.isoweekday()).isin([int(v) for v in values])
        else:
            keep &= rows[COLUMN.get(name, name)].isin(values)
    return keep


def in_period(rows: pd.DataFrame, period: list[str] | None) -> pd.DataFrame:
    if not period or "date" not in rows:
        return rows
    first, last = date.fromisoformat(period[0]), date.fromisoformat(period[1])
    return rows[(rows["date"] >= first) & (rows["date"] <= last)]


def group_key(dim: str, rows: pd.DataFrame) -> pd.Series:
    if dim == "month":
        return rows["date"].map(lambda d: f"{d.year}-{d.month:02d}")
    if dim == "quarter":
        return rows["date"].map(lambda d: f"{d.year}-Q{(d.month + 2) // 3}")
    if dim == "week":
        return rows["date"].map(lambda d: (d - timedelta(days=d.isoweekday() - 1)).isoformat())
    if dim == "day":
        return rows["date"].map(lambda d: d.isoformat())
    if dim == "year":
        return rows["date"].map(lambda d: d.year)
    if dim == "weekday":
        return rows["date"].map(lambda d: d.isoweekday())
    return rows[COLUMN.get(dim, dim)]


def groups(rows: pd.DataFrame, dims: list[str], m: str) -> dict[Any, Any]:
    if rows.empty:
        return {}
    keys = [group_key(d, rows).rename(f"k{i}") for i, d in enumerate(dims)]
    frame = rows.assign(**{k.name: k for k in keys})
    out = {}
    for key, part in frame.groupby([k.name for k in keys]):
        key = tuple(key) if len(dims) > 1 else (key[0] if isinstance(key, tuple) else key)
        out[key] = measure(part, m)
    return out


def expected(calc: dict[str, Any], data: dict[str, pd.DataFrame]) -> dict[str, Any]:
    m = calc["m"]
    rows = table_for(data, m)
    rows = rows[matches(rows, calc.get("f", {}))]
    if calc.get("x"):
        rows = rows[~matches(rows, calc["x"])]
    by = calc.get("by", [])
    if "cmp" in calc:
        now, before = in_period(rows, calc.get("p")), in_period(rows, calc["cmp"])
        if not by:
            return {"kind": "cmp", "current": measure(now, m), "previous": measure(before, m)}
        a, b = groups(now, by, m), groups(before, by, m)
        if "rank" in calc:
            way, n = calc["rank"]
            delta = {k: (a.get(k) or 0) - (b.get(k) or 0) for k in set(a) | set(b)}
            order = sorted(delta.items(), key=lambda kv: kv[1], reverse=way == "desc")
            return {"kind": "rank", "top": [(k, a.get(k, 0)) for k, _ in order[:n]], "all": a}
        return {"kind": "cmp_by", "current": a, "previous": b}
    rows = in_period(rows, calc.get("p"))
    if "part" in calc:
        whole, part = measure(rows, m), measure(rows[matches(rows, calc["part"])], m)
        return {"kind": "share", "value": part, "total": whole, "share": 100 * part / whole if whole else None}
    if not by:
        return {"kind": "scalar", "value": measure(rows, m)}
    g = groups(rows, by, m)
    if "rank" in calc:
        way, n = calc["rank"]
        if way == "asc" and by in (["store"], ["product"]):  # never-sold stores / products rank first with 0
            if by == ["store"]:
                universe = list(data["stores"]["store_code"])
            else:
                cat = data["products"]
                conditions = {k: v for k, v in calc.get("f", {}).items()
                              if k in ("category", "brand", "product", "keyword")}
                universe = list(cat[matches(cat, conditions)]["sku"])
            for key in universe:
                g.setdefault(key, 0)
        order = sorted(g.items(), key=lambda kv: (kv[1] is None, kv[1]), reverse=way == "desc")
        return {"kind": "rank", "top": order[:n], "all": g}
    if calc.get("share_by"):
        total = sum(v for v in g.values() if v is not None)
        return {"kind": "share_by", "groups": {k: 100 * v / total for k, v in g.items()}}
    return {"kind": "by", "groups": g}


# ---- comparing two answers --------------------------------------------------------------------------------------


def same(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))


def label_errors(case: dict[str, Any], data: dict[str, pd.DataFrame]) -> list[str]:
    errors = []
    if case.get("expect") == "refuse":
        return ["a refusal with a calc label"] if "calc" in case else []
    calc = case.get("calc")
    if not calc:
        return ["no calc label"]
    m = calc.get("m")
    if m not in SALES_MEASURES | STOCK_MEASURES | OTHER_MEASURES:
        errors.append(f"unknown measure {m!r}")
        return errors
    source = table_for(data, m)
    for part in ("f", "x", "part"):
        for name, values in calc.get(part, {}).items():
            if name == "keyword":
                for v in values:
                    if not data["products"]["name"].str.lower().str.contains(v.lower(), regex=False).any():
                        errors.append(f"keyword {v!r} in no product name")
                continue
            if name == "weekday":
                continue
            column = COLUMN.get(name, name)
            if column not in source:
                errors.append(f"{part}: {name} is not a column of the {m} table")
                continue
            known = set(source[column]) | (set(data["stores"][column]) if column in data["stores"] else set()) | \
                (set(data["products"][column]) if column in data["products"] else set())
            errors += [f"{part}: {name}={v!r} is not in the tenant's data" for v in values if v not in known]
    for dim in calc.get("by", []):
        if dim not in TIME_DIMS and COLUMN.get(dim, dim) not in source:
            errors.append(f"breakdown {dim} does not fit {m}")
        if dim in TIME_DIMS and "date" not in source:
            errors.append(f"time breakdown {dim} of a snapshot measure {m}")
    for key in ("p", "cmp"):
        if key in calc:
            first, last = (date.fromisoformat(x) for x in calc[key])
            if first > last:
                errors.append(f"{key} runs backwards")
    return errors


def warnings(case: dict[str, Any], mine: dict[str, Any]) -> list[str]:
    out = []
    note = case.get("note", "")
    if mine["kind"] == "scalar" and not mine["value"] and "0" not in note:
        out.append("expected value is 0 / empty")
    if mine["kind"] == "rank":
        n = len(mine["top"])
        ordered = sorted((v for v in mine["all"].values() if v is not None),
                         reverse=case["calc"]["rank"][0] == "desc")
        if len(ordered) > n and ordered[n - 1] == ordered[n] and "cmp" not in case["calc"]:
            out.append(f"tie at the cut of the ranking ({ordered[n - 1]})")
    if mine["kind"] in ("by", "share_by") and not mine["groups"]:
        out.append("no groups")
    return out


def main(verbose: bool = False) -> int:
    sys.path.insert(0, str(HERE.parents[2]))
    from bench.bench_answers import TENANTS, expected_sql, load_cases, load_frames

    cases = [json.loads(line) for line in CASES.read_text().splitlines() if line.strip()]
    loaded = [c for c in load_cases("sql") if c["_split"] == "heldout9"]
    problems = 0
    if len(loaded) != len(cases):
        print(f"bench loader read {len(loaded)} cases, the file has {len(cases)}")
        problems += 1
    ids = [c["id"] for c in cases]
    if len(set(ids)) != len(ids):
        print("duplicate ids:", sorted({i for i in ids if ids.count(i) > 1}))
        problems += 1
    data = {slug: load(slug) for slug in sorted({c["tenant"] for c in cases})}
    frames = {slug: load_frames(slug) for slug in data}
    agree = 0
    for case in cases:
        tag = f"{case['id']} [{case['tenant']}/{case.get('shape')}] {case['question']!r}"
        if case["tenant"] not in TENANTS:
            print(f"LABEL {tag}: tenant not registered in bench_answers.TENANTS")
            problems += 1
            continue
        for error in label_errors(case, data[case["tenant"]]):
            print(f"LABEL {tag}: {error}")
            problems += 1
        if case.get("expect") == "refuse" or "calc" not in case:
            continue
        mine = expected(case["calc"], data[case["tenant"]])
        theirs = expected_sql(case["calc"], frames[case["tenant"]])
        if mine["kind"] == "rank":  # compare rankings by value at each place (ties may order keys differently)
            ok = same([v for _, v in mine["top"]], [v for _, v in theirs["top"]]) and same(mine["all"], theirs["all"])
        else:
            ok = same(mine, theirs)
        if ok:
            agree += 1
        else:
            print(f"DISAGREE {tag}\n    mine:  {str(mine)[:300]}\n    bench: {str(theirs)[:300]}")
            problems += 1
        for w in warnings(case, mine):
            print(f"warn {tag}: {w}")
        if verbose:
            shown = {k: v for k, v in mine.items() if k != "all"}
            print(f"{case['id']}: {str(shown)[:200]}")
    refusals = sum(c.get("expect") == "refuse" for c in cases)
    print(f"{len(cases)} cases ({refusals} refusals): {agree} recomputed values agree with the bench, "
          f"{problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main("-v" in sys.argv[1:]))
