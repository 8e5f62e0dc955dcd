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
import math
import re
import sys
from collections import Counter
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
CATALOG = {"patients": "patients", "store_count": "stores", "product_count": "products", "brand_count": "products"}
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
    """The rows a measure is computed over (the catalogue counts: products, stores, patients)."""
    return data["sales" if m in SALES else "stock" if m in STOCK else CATALOG[m]]


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
        numerator, denominator, scale = RATIOS[m]
        return scale * parts[numerator] / parts[denominator] if parts[denominator] else None
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


def condition(rows: pd.DataFrame, name: str, wanted: list[Any]) -> pd.Series:
    """Rows meeting one filter: a keyword is a case-blind substring of the product name, a weekday ISO 1-7."""
    if name == "keyword":
        pattern = "|".join(re.escape(w) for w in wanted)
        return rows["name"].str.contains(pattern, case=False, regex=True)
    if name == "weekday":
        return rows["when"].dt.isocalendar().day.astype(int).isin({int(w) for w in wanted})
    return rows[KEYS.get(name, name)].isin(wanted)


def mask(rows: pd.DataFrame, conditions: dict[str, list[Any]]) -> pd.Series:
    masks = [condition(rows, name, wanted) for name, wanted in conditions.items()]
    return pd.concat(masks, axis=1).all(axis=1) if masks else pd.Series(True, index=rows.index)


def within(rows: pd.DataFrame, period: list[str] | None) -> pd.DataFrame:
    if not period or "when" not in rows:
        return rows
    return rows[rows["when"].between(pd.Timestamp(period[0]), pd.Timestamp(period[1]), inclusive="both")]


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


def universe(calc: dict[str, Any], data: dict[str, pd.DataFrame]) -> list[Any]:
    """Stores or products a bottom ranking also lists with 0: every store, every product the product filters allow."""
    if calc["by"] == ["store"]:
        return list(data["stores"]["store_code"])
    product_side = {k: v for k, v in calc.get("f", {}).items() if k in ("category", "brand", "product", "keyword")}
    catalog = data["products"]
    return list(catalog.loc[mask(catalog, product_side), "sku"])


def top(series: pd.Series, direction: str, n: int) -> list[Any]:
    """The first n keys of a ranking (None last); ties in any order: places are compared by value."""
    return list(series.sort_values(ascending=direction == "asc", kind="stable", na_position="last").index[:n])


def answer(calc: dict[str, Any], data: dict[str, pd.DataFrame]) -> dict[str, Any]:
    m, dims = calc["m"], calc.get("by", [])
    rows = family(data, m)
    keep = mask(rows, calc.get("f", {}))
    if calc.get("x"):
        keep &= ~mask(rows, calc["x"])
    rows = rows[keep]
    if "cmp" in calc:
        now, then = within(rows, calc.get("p")), within(rows, calc["cmp"])
        if not dims:
            return {"kind": "cmp", "current": value(now, m), "previous": value(then, m)}
        cur, prev = grouped(now, dims, m), grouped(then, dims, m)
        if "rank" not in calc:
            return {"kind": "cmp_by", "current": cur, "previous": prev}
        change = pd.Series({k: (cur.get(k) or 0) - (prev.get(k) or 0) for k in [*cur, *prev]}, dtype=float)
        return {"kind": "rank", "top": [(k, cur.get(k, 0)) for k in top(change, *calc["rank"])], "all": cur}
    rows = within(rows, calc.get("p"))
    if "part" in calc:
        whole, part = value(rows, m), value(rows[mask(rows, calc["part"])], m)
        return {"kind": "share", "value": part, "total": whole, "share": part * 100 / whole if whole else None}
    if not dims:
        return {"kind": "scalar", "value": value(rows, m)}
    result = grouped(rows, dims, m)
    if "rank" in calc:
        if calc["rank"][0] == "asc" and dims in (["store"], ["product"]):  # what sold nothing ranks first, with 0
            result = dict.fromkeys(universe(calc, data), 0) | result
        keys = top(pd.Series(list(result.values()), index=range(len(result)), dtype=float), *calc["rank"])
        listed = list(result.items())
        return {"kind": "rank", "top": [listed[i] for i in keys], "all": result}
    if calc.get("share_by"):
        whole = pd.Series(list(result.values()), dtype=float).sum()  # NaN (a None ratio) is skipped
        return {"kind": "share_by", "groups": {k: v * 100 / whole for k, v in result.items()}}
    return {"kind": "by", "groups": result}


# ---- comparing and checking ---------------------------------------------------------------------------------------


def agree(a: Any, b: Any) -> bool:
    """Two answers are the same: same keys and lengths, the same text, numbers within 1e-6 (relative above 1)."""
    if isinstance(a, dict) or isinstance(b, dict):
        both = isinstance(a, dict) and isinstance(b, dict)
        return both and a.keys() == b.keys() and all(agree(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b) and \
            all(map(agree, a, b))
    if a is None or b is None:
        return a is b
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-6)


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
    if m not in SALES | STOCK | set(CATALOG):
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
    """Answers easy to get right by accident, or ambiguous: not errors, printed as warnings."""
    out = []
    kind = mine["kind"]
    if kind == "scalar" and not mine["value"] and "0" not in case.get("note", ""):
        out.append("the expected value is 0 and the note does not say so")
    if kind in ("by", "share_by") and not mine["groups"]:
        out.append("no groups")
    if kind == "rank" and "cmp" not in case["calc"]:
        cut = len(mine["top"])
        ranked = pd.Series(list(mine["all"].values()), dtype=float).dropna()
        ranked = ranked.sort_values(ascending=case["calc"]["rank"][0] == "asc").tolist()
        if cut < len(ranked) and ranked[cut] == ranked[cut - 1]:
            out.append(f"tie at the cut of the ranking ({ranked[cut]})")
    return out


def file_problems(cases: list[dict[str, Any]], bench_count: int, tenants: dict[str, str]) -> list[str]:
    """What is wrong with the file as a whole: the bench reads another number of cases, ids, unknown tenants."""
    out = []
    if bench_count != len(cases):
        out.append(f"the bench's loader reads {bench_count} cases of the set, the file has {len(cases)}")
    ids = Counter(c.get("id") for c in cases)
    if max(ids.values(), default=1) > 1 or not all(re.fullmatch(r"h10-\d{3}", str(i)) for i in ids):
        out.append("ids must be unique and look like h10-NNN")
    out += [f"tenant {s!r} is not registered in bench_answers.TENANTS or has no CSV files"
            for s in sorted({c["tenant"] for c in cases}) if s not in tenants or not (HERE / s).is_dir()]
    return out


def same_answer(mine: dict[str, Any], bench: dict[str, Any]) -> bool:
    if mine["kind"] != "rank":
        return agree(mine, bench)
    # places compared by value, tied keys may come in another order; the full breakdown must match
    return agree([v for _, v in mine["top"]], [v for _, v in bench["top"]]) and agree(mine["all"], bench["all"])


def main(verbose: bool = False, path: Path | None = None) -> int:
    """Check the set (or another case file in the same format, `path`: then the bench's loader is not asked)."""
    sys.path.insert(0, str(HERE.parents[2]))
    from bench.bench_answers import TENANTS, expected_sql, load_cases, load_frames

    own_file = HERE / f"{SET}.jsonl"
    lines = (path or own_file).read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    bench_count = len([c for c in load_cases("sql") if c["_split"] == SET]) if path is None else len(cases)
    errors = file_problems(cases, bench_count, TENANTS)
    for error in errors:
        print(error)
    if any(e.startswith("tenant ") for e in errors):
        return 1
    earlier = {normalized(json.loads(line)["question"]) for other in HERE.glob("*.jsonl") if other != own_file
               for line in other.read_text(encoding="utf-8").splitlines() if line.strip()}
    slugs = {c["tenant"] for c in cases}
    data, frames = {s: read(s) for s in slugs}, {s: load_frames(s) for s in slugs}
    problems, agreed, valued = len(errors), 0, 0
    for case in cases:
        tag = f"{case['id']} [{case['tenant']}/{case.get('shape')}] {case['question']!r}"
        found = label_problems(case, data[case["tenant"]])
        if normalized(case["question"]) in earlier:
            found.append("the same question is in an earlier case file")
        print("".join(f"LABEL {tag}: {p}\n" for p in found), end="")
        problems += len(found)
        if found or "calc" not in case:
            continue
        valued += 1
        mine = answer(case["calc"], data[case["tenant"]])
        bench = expected_sql(case["calc"], frames[case["tenant"]])
        if same_answer(mine, bench):
            agreed += 1
        else:
            problems += 1
            print(f"DISAGREE {tag}\n    mine:  {str(mine)[:300]}\n    bench: {str(bench)[:300]}")
        print("".join(f"warn {tag}: {d}\n" for d in doubts(case, mine)), end="")
        if verbose:
            print(f"{case['id']}: {str({k: v for k, v in mine.items() if k != 'all'})[:220]}")
    print(f"{len(cases)} cases ({len(cases) - valued} refusals or broken labels, {valued} with values): {agreed} "
          f"recomputed values agree with the bench's expected_sql; {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main("-v" in sys.argv[1:]))
