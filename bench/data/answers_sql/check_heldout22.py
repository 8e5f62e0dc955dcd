"""Independent check of the SQL held-out set 22: every labelled value is recomputed from the CSV files with pandas.

python bench/data/answers_sql/check_heldout22.py [-v]

Contract: each case of heldout22.jsonl that carries a `calc` label is answered here from the tenant's CSV files
with this file's own pandas code (one enriched line table per tenant, per-group aggregates from `groupby().agg`,
measures derived from those columns), without the SQL tool and without `bench.bench_answers`'s helpers; only then is
`bench.bench_answers.expected_sql` called and its result compared, shape by shape (a ranking may order tied values
either way). Labels are checked first: ids `h22-NNN`, unique; a registered tenant; a refusal is `expect: refuse`
without a calc, every other case has one; a follow-up has earlier turns; a known measure; every filter value is one
the tenant's data holds (a keyword must occur in a product name); no time breakdown and no period on a stock,
patient or catalogue measure; periods are two ordered ISO dates; `within` is the first of two dimensions; a question
without earlier turns is not worded like one in another case file of this folder. Prints LABEL and DISAGREE lines
and returns 1 when there is any (0 otherwise); `main(path=...)` checks another file.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

import bench.bench_answers as answers  # noqa: E402

CASES = HERE / "heldout22.jsonl"
SALES_MEASURES = {"units", "revenue", "gross_revenue", "discount_total", "discount_rate", "order_lines", "orders",
                  "distinct_products", "distinct_brands", "distinct_stores", "avg_selling_price", "avg_order_value",
                  "units_per_order", "discounted_orders", "discounted_order_rate", "avg_discount_per_order"}
STOCK_MEASURES = {"stock_on_hand", "stock_value", "items_below_reorder", "items_at_reorder",
                  "items_at_or_below_reorder", "items_out_of_stock", "stock_lines"}
OTHER_MEASURES = {"patients": "patients", "store_count": "stores", "product_count": "products",
                  "brand_count": "products"}
TIME_DIMS = ("day", "week", "month", "quarter", "year", "weekday")
COLUMN = {"store": "store_code", "product": "sku"}


# ---- the tenant's tables ----------------------------------------------------------------------------------------


class Tenant:
    """The five CSV files of one tenant, read as text and given the columns the measures need."""

    def __init__(self, slug: str) -> None:
        def table(name: str) -> pd.DataFrame:
            return pd.read_csv(answers.SQL_DATA / slug / f"{name}.csv", dtype=str, keep_default_na=False)

        self.stores, self.products = table("stores"), table("products")
        place = self.stores.rename(columns={"name": "store_name"})
        goods = self.products.rename(columns={"unit_price": "list_price"})
        sales = table("sales").merge(goods, on="sku", how="left").merge(place, on="store_code", how="left")
        sales["qty"] = pd.to_numeric(sales["quantity"])
        sales["gross"] = sales["qty"] * pd.to_numeric(sales["unit_price"])
        sales["off"] = pd.to_numeric(sales["discount"])
        sales["when"] = pd.to_datetime(sales["sold_at"])
        sales["weekday"] = sales["when"].dt.day_of_week + 1
        sales["deal"] = sales["order_id"].where(sales["off"] > 0)
        self.sales = sales
        stock = table("stock").merge(goods, on="sku", how="left").merge(place, on="store_code", how="left")
        stock["have"] = pd.to_numeric(stock["on_hand"])
        stock["point"] = pd.to_numeric(stock["reorder_point"])
        stock["worth"] = stock["have"] * pd.to_numeric(stock["list_price"])
        self.stock = stock
        patients = table("patients")
        born, seen = pd.to_datetime(patients["date_of_birth"]), pd.to_datetime(patients["last_exam_date"])
        before = (seen.dt.month < born.dt.month) | ((seen.dt.month == born.dt.month) & (seen.dt.day < born.dt.day))
        age = seen.dt.year - born.dt.year - before.astype(int)
        low = (age // 10) * 10
        patients["age_band"] = [("90+" if a >= 90 else f"{b}-{b + 9}") for a, b in zip(age, low, strict=True)]
        self.patients = patients

    def values(self, dim: str) -> set[str]:
        """Every value a filter on `dim` may take here."""
        column = COLUMN.get(dim, dim)
        frames = [self.stores, self.products, self.patients, self.stock]
        return {str(v) for f in frames if column in f for v in f[column]}


def restrict(df: pd.DataFrame, wanted: dict[str, list[Any]] | None) -> pd.DataFrame:
    for dim, values in (wanted or {}).items():
        if dim == "keyword":
            pattern = "|".join(re.escape(v.lower()) for v in values)
            df = df[df["name"].str.lower().str.contains(pattern, regex=True)]
        elif dim == "weekday":
            df = df[df["weekday"].isin([int(v) for v in values])]
        else:
            df = df[df[COLUMN.get(dim, dim)].isin(values)]
    return df


def within_period(df: pd.DataFrame, period: list[str] | None) -> pd.DataFrame:
    if not period or "when" not in df:
        return df
    return df[df["when"].between(pd.Timestamp(period[0]), pd.Timestamp(period[1]))]


def time_key(df: pd.DataFrame, dim: str) -> pd.Series:
    when = df["when"]
    if dim == "day":
        return when.dt.strftime("%Y-%m-%d")
    if dim == "week":
        return (when - pd.to_timedelta(when.dt.day_of_week, unit="D")).dt.strftime("%Y-%m-%d")
    if dim == "month":
        return when.dt.strftime("%Y-%m")
    if dim == "quarter":
        return when.dt.year.astype(str) + "-Q" + when.dt.quarter.astype(str)
    if dim == "year":
        return when.dt.year.astype(int)
    return df["weekday"].astype(int)


def _div(top: pd.Series, bottom: pd.Series, times: float = 1.0) -> pd.Series:
    return (times * top / bottom.where(bottom != 0)).astype(object).where(bottom != 0, None)


def sales_table(df: pd.DataFrame, measure: str) -> pd.Series:
    """One value per row of an aggregate table (columns from `SALES_AGG`)."""
    net = df["gross"] - df["off"]
    derived = {"units": df["qty"], "revenue": net, "gross_revenue": df["gross"], "discount_total": df["off"],
               "discount_rate": _div(df["off"], df["gross"], 100), "order_lines": df["lines"],
               "orders": df["orders"], "distinct_products": df["skus"], "distinct_brands": df["brands"],
               "distinct_stores": df["shops"], "avg_selling_price": _div(net, df["qty"]),
               "avg_order_value": _div(net, df["orders"]), "units_per_order": _div(df["qty"], df["orders"]),
               "discounted_orders": df["deals"], "discounted_order_rate": _div(df["deals"], df["orders"], 100),
               "avg_discount_per_order": _div(df["off"], df["orders"])}
    return derived[measure]


SALES_AGG = {"qty": ("qty", "sum"), "gross": ("gross", "sum"), "off": ("off", "sum"), "lines": ("sku", "size"),
             "orders": ("order_id", "nunique"), "skus": ("sku", "nunique"), "brands": ("brand", "nunique"),
             "shops": ("store_code", "nunique"), "deals": ("deal", "nunique")}


def totals(rows: pd.DataFrame, measure: str, dims: list[str]) -> dict[Any, Any]:
    """The measure per group of `dims` (a plain value under the key None when there are none)."""
    if measure in SALES_MEASURES:
        if rows.empty:
            return {} if dims else {None: 0 if measure in ("units", "revenue", "gross_revenue", "discount_total",
                                                           "order_lines", "orders", "distinct_products",
                                                           "distinct_brands", "distinct_stores",
                                                           "discounted_orders") else None}
        keys = [time_key(rows, d).rename(d) if d in TIME_DIMS else rows[COLUMN.get(d, d)].rename(d) for d in dims]
        if not keys:
            agg = rows.assign(_all=0).groupby("_all").agg(**SALES_AGG)
        else:
            agg = rows.groupby(keys).agg(**SALES_AGG)
        values = sales_table(agg, measure)
        out = {k: (None if v is None else float(v)) for k, v in values.items()}
        return {None: next(iter(out.values()))} if not dims else out
    if measure in STOCK_MEASURES:
        test = {"items_below_reorder": rows["have"] < rows["point"], "items_at_reorder": rows["have"] == rows["point"],
                "items_at_or_below_reorder": rows["have"] <= rows["point"], "items_out_of_stock": rows["have"] == 0,
                "stock_lines": rows["have"] >= 0}
        column = {"stock_on_hand": rows["have"], "stock_value": rows["worth"]}.get(measure)
        series = column if column is not None else test[measure].astype(int)
    elif measure == "brand_count":
        if not dims:
            return {None: rows["brand"].nunique()}
        return rows.groupby([rows[COLUMN.get(d, d)] for d in dims])["brand"].nunique().to_dict()
    else:  # patients, store_count, product_count: one per row
        series = pd.Series(1, index=rows.index)
    if not dims:
        return {None: _plain(series.sum()) if len(series) else 0}
    keys = [rows[COLUMN.get(d, d)].rename(d) for d in dims]
    return {k: _plain(v) for k, v in series.groupby(keys).sum().items()}


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def base_rows(tenant: Tenant, measure: str) -> pd.DataFrame:
    if measure in SALES_MEASURES:
        return tenant.sales
    if measure in STOCK_MEASURES:
        return tenant.stock
    return {"patients": tenant.patients, "stores": tenant.stores, "products": tenant.products}[OTHER_MEASURES[measure]]


def order(pairs: dict[Any, Any], direction: str) -> list[tuple[Any, Any]]:
    valued = sorted(((k, v) for k, v in pairs.items() if v is not None), key=lambda kv: kv[1],
                    reverse=direction == "desc")
    return valued + [(k, v) for k, v in pairs.items() if v is None]


def answer(calc: dict[str, Any], tenant: Tenant) -> dict[str, Any]:
    m, dims = calc["m"], list(calc.get("by", []))
    rows = restrict(base_rows(tenant, m), calc.get("f"))
    if calc.get("x"):
        rows = rows.drop(restrict(rows, calc["x"]).index)
    if calc.get("cmp"):
        now, then = within_period(rows, calc.get("p")), within_period(rows, calc["cmp"])
        if not dims:
            return {"kind": "cmp", "current": totals(now, m, [])[None], "previous": totals(then, m, [])[None]}
        a, b = totals(now, m, dims), totals(then, m, dims)
        if calc.get("rank"):
            direction, n = calc["rank"]
            change = {k: (a.get(k) or 0) - (b.get(k) or 0) for k in set(a) | set(b)}
            return {"kind": "rank", "top": [(k, a.get(k, 0)) for k, _ in order(change, direction)[:n]], "all": a}
        return {"kind": "cmp_by", "current": a, "previous": b}
    rows = within_period(rows, calc.get("p"))
    if calc.get("avg"):  # the mean of the per-unit totals (units with sales), per group
        per = pd.Series(totals(rows, m, [*dims, calc["avg"]]), dtype=float).fillna(0)
        if not dims:
            return {"kind": "scalar", "value": float(per.mean()) if len(per) else None}
        levels = list(range(len(dims)))
        means = {k: float(v) for k, v in per.groupby(level=levels).mean().items()}
        if not calc.get("rank"):
            return {"kind": "by", "groups": means}
        direction, n = calc["rank"]
        return {"kind": "rank", "top": order(means, direction)[:n], "all": means}
    if calc.get("part") is not None:
        whole, part = totals(rows, m, [])[None], totals(restrict(rows, calc["part"]), m, [])[None]
        return {"kind": "share", "value": part, "total": whole, "share": 100 * part / whole if whole else None}
    if not dims:
        return {"kind": "scalar", "value": totals(rows, m, [])[None]}
    groups = totals(rows, m, dims)
    if calc.get("rank") and calc.get("within"):
        direction, n = calc["rank"]
        inner: dict[Any, dict[Any, Any]] = {}
        for key, value in groups.items():
            inner.setdefault(key[0], {})[key] = value
        return {"kind": "rank_per", "top": {g: order(v, direction)[:n] for g, v in inner.items()}, "all": groups}
    if calc.get("rank"):
        direction, n = calc["rank"]
        if direction == "asc" and len(dims) == 1 and dims[0] in ("store", "product"):
            kept = ("store", "city", "state") if dims[0] == "store" else ("category", "brand", "product", "keyword")
            pool = tenant.stores if dims[0] == "store" else tenant.products
            pool = restrict(pool, {k: v for k, v in calc.get("f", {}).items() if k in kept})
            for key in pool[COLUMN[dims[0]]]:
                groups.setdefault(key, 0)
        return {"kind": "rank", "top": order(groups, direction)[:n], "all": groups}
    if calc.get("share_by"):
        whole = sum(v for v in groups.values() if v is not None)
        return {"kind": "share_by", "groups": {k: 100 * v / whole for k, v in groups.items()}}
    return {"kind": "by", "groups": groups}


# ---- comparing --------------------------------------------------------------------------------------------------


def close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= max(0.005, 1e-9 * abs(float(b)))


def close_groups(a: dict[Any, Any], b: dict[Any, Any]) -> bool:
    keys = set(a) | set(b)
    return all(close(a.get(k) or 0, b.get(k) or 0) for k in keys)


def close_ranking(mine: list[tuple[Any, Any]], theirs: list[tuple[Any, Any]], every: dict[Any, Any]) -> bool:
    """Same length, the same values in order; a different key only where it holds the same value (a tie)."""
    if len(mine) != len(theirs):
        return False
    for (mk, mv), (tk, tv) in zip(mine, theirs, strict=True):
        if not close(mv or 0, tv or 0):
            return False
        if mk != tk and not close(every.get(tk, 0) or 0, mv or 0):
            return False
    return True


def agree(mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    kind = mine["kind"]
    if kind != theirs.get("kind"):
        return False
    if kind == "scalar":
        return close(mine["value"], theirs["value"])
    if kind == "cmp":
        return close(mine["current"], theirs["current"]) and close(mine["previous"], theirs["previous"])
    if kind == "cmp_by":
        return close_groups(mine["current"], theirs["current"]) and close_groups(mine["previous"], theirs["previous"])
    if kind == "share":
        return all(close(mine[k], theirs[k]) for k in ("value", "total", "share"))
    if kind in ("by", "share_by"):
        return close_groups(mine["groups"], theirs["groups"])
    if kind == "rank":
        return close_groups(mine["all"], theirs["all"]) and close_ranking(mine["top"], theirs["top"], mine["all"])
    if kind == "rank_per":
        return set(mine["top"]) == set(theirs["top"]) and all(
            close_ranking(mine["top"][g], theirs["top"][g], mine["all"]) for g in mine["top"])
    return False


# ---- the labels -------------------------------------------------------------------------------------------------


def period_problem(pair: Any) -> str | None:
    try:
        start, end = (date.fromisoformat(x) for x in pair)
    except (TypeError, ValueError):
        return f"period {pair!r} is not two ISO dates"
    if start > end or start.year < 2023 or end > answers.TODAY:
        return f"period {pair!r} is out of order or away from the data"
    return None


def label_problems(case: dict[str, Any], tenant: Tenant | None) -> list[str]:
    found: list[str] = []
    if not re.fullmatch(r"h22-\d{3}", str(case.get("id", ""))):
        found.append("id is not h22-NNN")
    if tenant is None:
        return [*found, f"tenant {case.get('tenant')!r} is not registered"]
    if case.get("shape") == "refusal" or case.get("expect") == "refuse":
        if case.get("expect") != "refuse":
            found.append("a refusal without expect: refuse")
        if "calc" in case:
            found.append("a refusal with a calc label")
        return found
    if case.get("shape") == "follow_up" and not case.get("context"):
        found.append("a follow-up without its earlier turns")
    calc = case.get("calc")
    if not isinstance(calc, dict):
        return [*found, "no calc label"]
    m = calc.get("m")
    if m not in SALES_MEASURES | STOCK_MEASURES | set(OTHER_MEASURES):
        return [*found, f"unknown measure {m!r}"]
    dims = list(calc.get("by", []))
    if m not in SALES_MEASURES:
        found += [f"time breakdown {d} on a {m} measure" for d in dims if d in TIME_DIMS]
        if calc.get("p") or calc.get("cmp"):
            found.append(f"a period on the {m} measure, which has no dates")
    for key in ("p", "cmp"):
        if calc.get(key) and (problem := period_problem(calc[key])):
            found.append(problem)
    for group in ("f", "x", "part"):
        for dim, values in (calc.get(group) or {}).items():
            if dim == "keyword":
                names = " | ".join(tenant.products["name"]).lower()
                found += [f"keyword {v!r} in no product name" for v in values if v.lower() not in names]
            elif dim == "weekday":
                found += [f"weekday {v!r}" for v in values if int(v) not in range(1, 8)]
            else:
                known = tenant.values(dim)
                found += [f"{dim} {v!r} is not in the data" for v in values if str(v) not in known]
    if calc.get("within") and (len(dims) != 2 or dims[0] != calc["within"]):
        found.append(f"within {calc['within']!r} is not the first of two dimensions {dims}")
    return found


def wording(question: str) -> str:
    """A question's words, lower case, without punctuation: two questions worded alike compare equal."""
    return " ".join(re.findall(r"\w+", question.lower()))


def main(verbose: bool = False, path: Path | None = None) -> int:
    cases = [json.loads(line) for line in (path or CASES).read_text(encoding="utf-8").splitlines() if line.strip()]
    tenants = {slug: Tenant(slug) if slug in answers.TENANTS else None for slug in {c.get("tenant") for c in cases}}
    frames = {slug: answers.load_frames(slug) for slug, tenant in tenants.items() if tenant is not None}
    ids = Counter(c.get("id") for c in cases)
    asked_elsewhere = {wording(json.loads(line)["question"]) for other in sorted(HERE.glob("*.jsonl"))
                       if other.resolve() != (path or CASES).resolve()
                       for line in other.read_text(encoding="utf-8").splitlines() if line.strip()}
    report: list[str] = []
    recomputed = 0
    for case in cases:
        found = label_problems(case, tenants[case.get("tenant")])
        found += ["duplicate id"] if ids[case.get("id")] > 1 else []
        if not case.get("context") and wording(str(case.get("question", ""))) in asked_elsewhere:
            found.append("the same question is in another case file")
        if found:
            report.append(f"LABEL {case.get('id')}: {'; '.join(found)}")
        elif case.get("expect") != "refuse":
            recomputed += 1
            mine = answer(case["calc"], tenants[case["tenant"]])
            theirs = answers.expected_sql(case["calc"], frames[case["tenant"]])
            if not agree(mine, theirs):
                report.append(f"DISAGREE {case['id']} {case['question']!r}\n   mine:  {str(mine)[:300]}\n"
                              f"   bench: {str(theirs)[:300]}")
            elif verbose:
                print(f"ok {case['id']} {str(mine)[:160]}")
    print("\n".join([*report, f"{len(cases)} cases, {recomputed} values recomputed, {len(report)} disagreements or "
                                "label problems"]))
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main(verbose="-v" in sys.argv))
