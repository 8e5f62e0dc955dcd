"""Independent check of the SQL held-out set 10: recompute every labelled case from the CSV files and compare.

python bench/data/answers_sql/check_heldout10.py [-v]

Contract: for every case of heldout10.jsonl this script computes the expected answer from the tenant's CSV files with
its own pandas code (one joined frame per table family, boolean masks, `groupby`; neither the bench's `expected_sql`
nor the SQL tool), then compares it with what the bench's `expected_sql` makes of the same `calc` label (the
bench's loader must also read every case of the file, from a registered tenant). It checks the labels themselves:
unique ids named `h10-NNN`, known shapes and measures, refusals without `calc` and answers with one, filter and
breakdown names that fit the measure's table, every filter value present in the tenant's data, periods that run
forwards and lie inside the tenant's sales, follow-ups with their earlier turns, no question repeated from an
earlier SQL case file. It warns about answers that are easy to get right by accident or ambiguous (a total of 0
not announced in the note, a tie at the cut of a ranking, an empty breakdown). Prints the disagreements and label
errors and exits 1 when there is any, 0 otherwise. Reads only the CSV and case files; needs pandas (the project venv).
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).parent
SET = "heldout10"
SHAPES = {"total", "average", "breakdown", "multi_dim", "filters", "follow_up", "patients", "ranking", "time_ranking",
          "time_shape", "typo", "yoy", "comparison", "share", "distinct", "catalog", "stock", "refusal"}
TIME = {"month", "quarter", "week", "day", "year", "weekday"}
RATIOS = {  # measure -> (numerator, denominator, scale)
    "discount_rate": ("disc", "gross", 100.0), "avg_selling_price": ("net", "units", 1.0),
    "avg_order_value": ("net", "orders", 1.0), "units_per_order": ("units", "orders", 1.0),
    "discounted_order_rate": ("disc_orders", "orders", 100.0), "avg_discount_per_order": ("disc", "orders", 1.0),
}
TOTALS = {"units": "units", "revenue": "net", "gross_revenue": "gross", "discount_total": "disc",
          "order_lines": "lines", "orders": "orders", "distinct_products": "skus", "distinct_brands": "brands",
          "distinct_stores": "stores", "discounted_orders": "disc_orders"}
SALES = set(TOTALS) | set(RATIOS)
STOCK = {"stock_on_hand", "stock_value", "items_below_reorder", "items_at_reorder", "items_at_or_below_reorder",
         "items_out_of_stock", "stock_lines"}
CATALOG = {"patients", "store_count", "product_count", "brand_count"}
KEYS = {"store": "store_code", "product": "sku"}


# ---- data -------------------------------------------------------------------------------------------------------


def read(slug: str) -> dict[str, pd.DataFrame]:
    """The tenant's tables, joined per family: sales and stock carry product and store columns."""
    folder = HERE / slug

    def csv(name: str) -> pd.DataFrame:
        return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8")

    stores, products = csv("stores"), csv("products")
    product_cols = products[["sku", "name", "category", "brand"]]
    store_cols = stores[["store_code", "city", "state"]]
    sales = csv("sales").merge(product_cols, on="sku", how="left", validate="many_to_one")
    sales = sales.merge(store_cols, on="store_code", how="left", validate="many_to_one")
    if sales[["brand", "state"]].eq("").any().any() or sales[["brand", "state"]].isna().any().any():
        raise SystemExit(f"{slug}: a sale names an unknown product or store")
    sales["q"] = pd.to_numeric(sales["quantity"]).astype("int64")
    sales["line_gross"] = sales["q"] * pd.to_numeric(sales["unit_price"])
    sales["line_disc"] = pd.to_numeric(sales["discount"])
    sales["when"] = pd.to_datetime(sales["sold_at"], format="%Y-%m-%d")
    stock = csv("stock").merge(products[["sku", "name", "category", "brand", "unit_price"]], on="sku", how="left")
    stock = stock.merge(store_cols, on="store_code", how="left")
    stock["oh"] = pd.to_numeric(stock["on_hand"]).astype("int64")
    stock["rp"] = pd.to_numeric(stock["reorder_point"]).astype("int64")
    stock["worth"] = stock["oh"] * pd.to_numeric(stock["unit_price"])
    patients = csv("patients")
    born = pd.to_datetime(patients["date_of_birth"])
    seen = pd.to_datetime(patients["last_exam_date"])
    before_birthday = (seen.dt.month < born.dt.month) | ((seen.dt.month == born.dt.month) & (seen.dt.day < born.dt.day))
    age = seen.dt.year - born.dt.year - before_birthday.astype(int)
    patients["age_band"] = [("90+" if a >= 90 else f"{a - a % 10}-{a - a % 10 + 9}") for a in age]
    return {"stores": stores, "products": products, "sales": sales, "stock": stock, "patients": patients}


def family(data: dict[str, pd.DataFrame], m: str) -> pd.DataFrame:
    if m in SALES:
        return data["sales"]
    if m in STOCK:
        return data["stock"]
    return {"patients": data["patients"], "store_count": data["stores"]}.get(m, data["products"])


# ---- one measure --------------------------------------------------------------------------------------------------


def sales_parts(rows: pd.DataFrame) -> dict[str, float]:
    orders = rows["order_id"].nunique()
    disc_orders = rows.loc[rows["line_disc"] > 0, "order_id"].nunique()
    gross, disc = float(rows["line_gross"].sum()), float(rows["line_disc"].sum())
    return {"units": int(rows["q"].sum()), "gross": gross, "disc": disc, "net": gross - disc, "orders": orders,
            "lines": len(rows), "skus": rows["sku"].nunique(), "brands": rows["brand"].nunique(),
            "stores": rows["store_code"].nunique(), "disc_orders": disc_orders}


def value(rows: pd.DataFrame, m: str) -> Any:
    if m in TOTALS:
        return sales_parts(rows)[TOTALS[m]]
    if m in RATIOS:
        parts = sales_parts(rows)
        top, bottom, scale = RATIOS[m]
        return scale * parts[top] / parts[bottom] if parts[bottom] else None
    if m == "stock_on_hand":
        return int(rows["oh"].sum())
    if m == "stock_value":
        return float(rows["worth"].sum())
    if m in STOCK:
        oh, rp = rows["oh"], rows["rp"]
        flag = {"items_below_reorder": oh < rp, "items_at_reorder": oh == rp, "items_at_or_below_reorder": oh <= rp,
                "items_out_of_stock": oh == 0, "stock_lines": oh >= 0}[m]
        return int(flag.sum())
    if m == "brand_count":
        return rows["brand"].nunique()
    return len(rows)


# ---- selecting and grouping ---------------------------------------------------------------------------------------


def mask(rows: pd.DataFrame, conditions: dict[str, list[Any]]) -> pd.Series:
    keep = pd.Series(True, index=rows.index)
    for name, wanted in conditions.items():
        if name == "keyword":
            lowered = rows["name"].str.lower()
            hit = pd.Series(False, index=rows.index)
            for word in wanted:
                hit |= lowered.str.contains(word.lower(), regex=False)
            keep &= hit
        elif name == "weekday":
            keep &= rows["when"].dt.isocalendar().day.astype(int).isin([int(w) for w in wanted])
        else:
            keep &= rows[KEYS.get(name, name)].isin(wanted)
    return keep


def within(rows: pd.DataFrame, period: list[str] | None) -> pd.DataFrame:
    if not period or "when" not in rows:
        return rows
    first, last = pd.Timestamp(period[0]), pd.Timestamp(period[1])
    return rows[(rows["when"] >= first) & (rows["when"] <= last)]


def key_series(rows: pd.DataFrame, dim: str) -> pd.Series:
    when = rows["when"] if "when" in rows else None
    if dim == "month":
        return when.dt.strftime("%Y-%m")
    if dim == "quarter":
        return when.dt.year.astype(str) + "-Q" + when.dt.quarter.astype(str)
    if dim == "week":
        return (when - pd.to_timedelta(when.dt.day_of_week, unit="D")).dt.strftime("%Y-%m-%d")
    if dim == "day":
        return when.dt.strftime("%Y-%m-%d")
    if dim == "year":
        return when.dt.year.astype(int)
    if dim == "weekday":
        return when.dt.day_of_week.astype(int) + 1
    return rows[KEYS.get(dim, dim)]


def grouped(rows: pd.DataFrame, dims: list[str], m: str) -> dict[Any, Any]:
    if rows.empty:
        return {}
    labels = [f"_g{i}" for i in range(len(dims))]
    framed = rows.assign(**{label: key_series(rows, d).values for label, d in zip(labels, dims, strict=True)})
    out: dict[Any, Any] = {}
    for key, part in framed.groupby(labels, sort=True):
        key = tuple(k.item() if hasattr(k, "item") else k for k in key)
        out[key if len(dims) > 1 else key[0]] = value(part, m)
    return out


def answer(calc: dict[str, Any], data: dict[str, pd.DataFrame]) -> dict[str, Any]:
    m, dims = calc["m"], calc.get("by", [])
    rows = family(data, m)
    rows = rows[mask(rows, calc.get("f", {}))]
    if calc.get("x"):
        rows = rows[~mask(rows, calc["x"])]
    if calc.get("cmp"):
        now, then = within(rows, calc.get("p")), within(rows, calc["cmp"])
        if not dims:
            return {"kind": "cmp", "current": value(now, m), "previous": value(then, m)}
        cur, prev = grouped(now, dims, m), grouped(then, dims, m)
        if calc.get("rank"):
            direction, n = calc["rank"]
            change = {k: (cur.get(k) or 0) - (prev.get(k) or 0) for k in cur.keys() | prev.keys()}
            ordered = sorted(change, key=change.__getitem__, reverse=direction == "desc")[:n]
            return {"kind": "rank", "top": [(k, cur.get(k, 0)) for k in ordered], "all": cur}
        return {"kind": "cmp_by", "current": cur, "previous": prev}
    rows = within(rows, calc.get("p"))
    if calc.get("part") is not None:
        whole, part = value(rows, m), value(rows[mask(rows, calc["part"])], m)
        return {"kind": "share", "value": part, "total": whole, "share": 100 * part / whole if whole else None}
    if not dims:
        return {"kind": "scalar", "value": value(rows, m)}
    result = grouped(rows, dims, m)
    if calc.get("rank"):
        direction, n = calc["rank"]
        if direction == "asc" and dims in (["store"], ["product"]):  # what sold nothing ranks first, with 0
            if dims == ["store"]:
                everyone = data["stores"]["store_code"]
            else:
                catalog = data["products"]
                product_side = {k: v for k, v in calc.get("f", {}).items()
                                if k in ("category", "brand", "product", "keyword")}
                everyone = catalog[mask(catalog, product_side)]["sku"]
            for key in everyone:
                result.setdefault(key, 0)
        ordered = sorted(result.items(), key=lambda kv: (kv[1] is None, kv[1]), reverse=direction == "desc")
        return {"kind": "rank", "top": ordered[:n], "all": result}
    if calc.get("share_by"):
        whole = sum(v for v in result.values() if v is not None)
        return {"kind": "share_by", "groups": {k: 100 * v / whole for k, v in result.items()}}
    return {"kind": "by", "groups": result}


# ---- comparing and checking ---------------------------------------------------------------------------------------


def agree(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(agree(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(agree(x, y) for x, y in zip(a, b, strict=True))
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))


def normalized(question: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", question.lower()))


def label_problems(case: dict[str, Any], data: dict[str, pd.DataFrame]) -> list[str]:
    problems = []
    if case.get("shape") not in SHAPES:
        problems.append(f"unknown shape {case.get('shape')!r}")
    if case.get("context") is not None and (not isinstance(case["context"], list) or not case["context"]):
        problems.append("context must be a non-empty list of earlier turns")
    if case.get("shape") == "follow_up" and not case.get("context"):
        problems.append("a follow-up without its earlier turns")
    if case.get("expect") == "refuse":
        return problems + (["a refusal with a calc label"] if "calc" in case else [])
    if case.get("expect") is not None:
        return problems + [f"unknown expect {case['expect']!r}"]
    calc = case.get("calc")
    if not calc:
        return problems + ["no calc label"]
    m = calc.get("m")
    if m not in SALES | STOCK | CATALOG:
        return problems + [f"unknown measure {m!r}"]
    table = family(data, m)
    for section in ("f", "x", "part"):
        for name, wanted in (calc.get(section) or {}).items():
            if name == "keyword":
                names = data["products"]["name"].str.lower()
                problems += [f"keyword {w!r} is in no product name" for w in wanted
                             if not names.str.contains(w.lower(), regex=False).any()]
            elif name == "weekday":
                problems += [f"weekday {w!r} is not 1-7" for w in wanted if int(w) not in range(1, 8)]
            elif KEYS.get(name, name) not in table:
                problems.append(f"{section}: {name} is not a column of the {m} table")
            else:
                present = set(table[KEYS.get(name, name)])
                for extra in ("stores", "products"):
                    if KEYS.get(name, name) in data[extra]:
                        present |= set(data[extra][KEYS.get(name, name)])
                problems += [f"{section}: {name}={w!r} is not in the tenant's data" for w in wanted
                             if w not in present]
    for dim in calc.get("by", []):
        if dim in TIME and "when" not in table:
            problems.append(f"time breakdown {dim} of {m}, which has no date")
        elif dim not in TIME and KEYS.get(dim, dim) not in table:
            problems.append(f"breakdown {dim} is not a column of the {m} table")
    sold = data["sales"]["when"]
    for key in ("p", "cmp"):
        if key in calc:
            first, last = (date.fromisoformat(d) for d in calc[key])
            if first > last:
                problems.append(f"{key} runs backwards")
            if last < sold.min().date() or first > sold.max().date():
                problems.append(f"{key} lies outside the tenant's sales")
            if "when" not in table:
                problems.append(f"a period on {m}, which has no date")
    if "rank" in calc and (calc["rank"][0] not in ("asc", "desc") or int(calc["rank"][1]) < 1):
        problems.append(f"bad ranking {calc['rank']}")
    if calc.get("share_by") and not calc.get("by"):
        problems.append("share_by without a breakdown")
    return problems


def doubts(case: dict[str, Any], mine: dict[str, Any]) -> list[str]:
    out, note = [], case.get("note", "")
    if mine["kind"] == "scalar" and not mine["value"] and "0" not in note:
        out.append("the expected value is 0 and the note does not say so")
    if mine["kind"] == "rank" and "cmp" not in case["calc"]:
        n = len(mine["top"])
        values = sorted((v for v in mine["all"].values() if v is not None), reverse=case["calc"]["rank"][0] == "desc")
        if len(values) > n and values[n - 1] == values[n]:
            out.append(f"tie at the cut of the ranking ({values[n - 1]})")
    if mine["kind"] in ("by", "share_by") and not mine["groups"]:
        out.append("no groups")
    return out


def main(verbose: bool = False, path: Path | None = None) -> int:
    """Check the set (or another case file in the same format, `path`: then the bench's loader is not asked)."""
    sys.path.insert(0, str(HERE.parents[2]))
    from bench.bench_answers import TENANTS, expected_sql, load_cases, load_frames

    own = path is None
    path = path or HERE / f"{SET}.jsonl"
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    problems = 0
    read_by_bench = [c for c in load_cases("sql") if c["_split"] == SET] if own else cases
    if len(read_by_bench) != len(cases):
        print(f"the bench's loader reads {len(read_by_bench)} cases of {path.name}, the file has {len(cases)}")
        problems += 1
    ids = [c.get("id") for c in cases]
    if len(set(ids)) != len(ids) or not all(re.fullmatch(r"h10-\d{3}", str(i)) for i in ids):
        print("ids must be unique and look like h10-NNN")
        problems += 1
    earlier = {normalized(json.loads(line)["question"])
               for other in HERE.glob("*.jsonl") if other.name != f"{SET}.jsonl"
               for line in other.read_text(encoding="utf-8").splitlines() if line.strip()}
    slugs = sorted({c["tenant"] for c in cases})
    unknown = [s for s in slugs if s not in TENANTS or not (HERE / s).is_dir()]
    if unknown:
        print(f"tenants not registered in bench_answers.TENANTS or without CSV files: {unknown}")
        return 1
    data = {s: read(s) for s in slugs}
    frames = {s: load_frames(s) for s in slugs}
    agreed = 0
    for case in cases:
        tag = f"{case['id']} [{case['tenant']}/{case.get('shape')}] {case['question']!r}"
        if normalized(case["question"]) in earlier:
            print(f"LABEL {tag}: the same question is in an earlier case file")
            problems += 1
        found = label_problems(case, data[case["tenant"]])
        for problem in found:
            print(f"LABEL {tag}: {problem}")
        problems += len(found)
        if found or case.get("expect") == "refuse" or "calc" not in case:
            continue
        mine = answer(case["calc"], data[case["tenant"]])
        bench = expected_sql(case["calc"], frames[case["tenant"]])
        if mine["kind"] == "rank":  # places compared by value: tied keys may come in another order
            same = agree([v for _, v in mine["top"]], [v for _, v in bench["top"]]) and agree(mine["all"], bench["all"])
        else:
            same = agree(mine, bench)
        if same:
            agreed += 1
        else:
            print(f"DISAGREE {tag}\n    mine:  {str(mine)[:300]}\n    bench: {str(bench)[:300]}")
            problems += 1
        for doubt in doubts(case, mine):
            print(f"warn {tag}: {doubt}")
        if verbose:
            print(f"{case['id']}: {str({k: v for k, v in mine.items() if k != 'all'})[:220]}")
    refusals = sum(c.get("expect") == "refuse" for c in cases)
    print(f"{len(cases)} cases ({refusals} refusals, {len(cases) - refusals} with values): {agreed} recomputed "
          f"values agree with the bench's expected_sql; {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main("-v" in sys.argv[1:]))
