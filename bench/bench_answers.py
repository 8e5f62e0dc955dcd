"""Answer-accuracy bench: `python -m bench answers [--only ROUTE] [--shape SHAPE] [-v]`.

Tenants are imported with the project's CSV importer from files that are not the demo generator's
(bench/data/answers_sql/<tenant>/*.csv, made by bench/data/answers_sql/make_csv*.py). Cases are JSON lines in
bench/data/answers_*/ files named `cases*.jsonl` or `heldout*.jsonl`; each has an `id`, a `tenant`, a `route`, a
`question` and route-specific labels. Every route has a scorer in `SCORERS` (name -> function(case, env) -> Outcome);
other routes (docs, industry) add their own scorer and case files in the same way (see `register`).

SQL cases carry a `calc` label (measure, filters, period, breakdown, ranking, comparison, share, a ranking within
each group of the first dimension (`within`): the question's meaning, written by hand); the expected numbers are
computed from the CSV files with pandas (`expected_sql`), never through the SQL tool. An answer is right when its
numbers match; wrong when it answered with other numbers (or a different measure) — "answered a different question";
a refusal is counted separately. The table prints accuracy per route and per shape, tuning vs held-out, and every
miss.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
SQL_DATA = DATA / "answers_sql"
TODAY = date(2026, 6, 15)  # the reference day of every relative date in the cases
TENANTS = {"harbor": "Harbor Eyecare", "peak": "Peak Vision", "mesa": "Mesa Optical", "cedar": "Cedar Optical",
           "saltbush": "Saltbush Optometrists", "linden": "Lindenhof Augenoptik",
           "azahar": "Ópticas Azahar", "belvue": "Lunetterie Belvue", "tulp": "Tulp Opticiens",
           "ipe": "Óticas Ipê", "edelweiss": "Edelweiss Optik",
           "lucciola": "Ottica Lucciola", "jaskolka": "Optyka Jaskółka", "melati": "Optik Melati",
           "jacaranda": "Ópticas Jacaranda", "zellige": "Optique Zellige",
           "elia": "Optika Elia", "andorinha": "Ópticas Andorinha",
           "senhong": "Mắt Kính Sen Hồng", "copihue": "Ópticas Copihue",
           "nazar": "Nazar Opticals", "glimt": "Glimt Optik",
           "yakamoz": "Yakamoz Optik", "jiskra": "Oční optika Jiskra",
           "pipacs": "Pipacs Optika", "ghiocel": "Optica Ghiocel"}
TABLES = ("stores", "products", "sales", "stock", "patients")


@dataclass
class Outcome:
    verdict: str  # right | wrong | refused
    detail: str = ""
    answer: str = ""


@dataclass
class Env:
    """What scorers get: principals per tenant, the CSV frames per tenant, the reference day, shared caches."""

    principals: dict[str, Any]
    frames: dict[str, dict[str, Any]]
    today: date = TODAY
    cache: dict[str, Any] = field(default_factory=dict)


Scorer = Callable[[dict[str, Any], Env], Outcome]
# route -> module with its own `main(args)` (its own tenants and scoring), run by `python -m bench answers` too
OWN_BENCHES = {"docs": "bench.answers_docs", "industry": "bench.answers_industry"}
SCORERS: dict[str, Scorer] = {}
SETUP_HOOKS: list[Callable[[Env], None]] = []


def register(route: str, scorer: Scorer) -> None:
    """Add the scorer of a route (docs and industry scorers register themselves from their own modules)."""
    SCORERS[route] = scorer


# ---- the expected answer, from the CSV files (pandas) -----------------------------------------------------------


def load_frames(slug: str) -> dict[str, Any]:
    import pandas as pd

    folder = SQL_DATA / slug
    # keep_default_na=False: a value like "NA" (Napoli's province code) is text, not a missing value
    frames = {t: pd.read_csv(folder / f"{t}.csv", dtype=str, keep_default_na=False) for t in TABLES}
    s = frames["sales"]
    s["quantity"] = s["quantity"].astype(int)
    s["unit_price"] = s["unit_price"].astype(float)
    s["discount"] = s["discount"].astype(float)
    s["day"] = pd.to_datetime(s["sold_at"]).dt.date
    k = frames["stock"]
    k["on_hand"] = k["on_hand"].astype(int)
    k["reorder_point"] = k["reorder_point"].astype(int)
    pt = frames["patients"]

    def band(row: Any) -> str:
        born = date.fromisoformat(row["date_of_birth"])
        on = date.fromisoformat(row["last_exam_date"])
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        return "90+" if age >= 90 else f"{age // 10 * 10}-{age // 10 * 10 + 9}"

    pt["age_band"] = pt.apply(band, axis=1)
    return frames


def _key(dim: str, value: Any) -> Any:
    if dim == "month":
        return value.strftime("%Y-%m")
    if dim == "quarter":
        return f"{value.year}-Q{(value.month - 1) // 3 + 1}"
    if dim == "week":
        return (value - timedelta(days=value.weekday())).isoformat()
    if dim == "day":
        return value.isoformat()
    if dim == "year":
        return int(value.year)
    if dim == "weekday":
        return int(value.isoweekday())
    return value


def _apply_filters(df: Any, filters: dict[str, list[Any]]) -> Any:
    for name, values in (filters or {}).items():
        if name == "keyword":
            mask = df["name"].str.lower().apply(lambda n, vs=values: any(v.lower() in n for v in vs))
            df = df[mask]
        elif name == "weekday":
            df = df[df["day"].apply(lambda d: d.isoweekday()).isin([int(v) for v in values])]
        else:
            column = {"store": "store_code", "product": "sku"}.get(name, name)
            df = df[df[column].isin(values)]
    return df


def _sales_view(frames: dict[str, Any]) -> Any:
    s = frames["sales"].merge(frames["products"][["sku", "name", "category", "brand"]], on="sku")
    stores = frames["stores"].rename(columns={"name": "store_name"})
    return s.merge(stores, on="store_code")


def _sales_value(df: Any, measure: str) -> float:
    gross = (df["quantity"] * df["unit_price"]).sum()
    net = gross - df["discount"].sum()
    units = df["quantity"].sum()
    orders = df["order_id"].nunique()
    values = {"units": units, "revenue": net, "gross_revenue": gross, "discount_total": df["discount"].sum(),
              "discount_rate": (100 * df["discount"].sum() / gross) if gross else None, "order_lines": len(df),
              "orders": orders, "distinct_products": df["sku"].nunique(),
              "avg_selling_price": (net / units) if units else None,
              "avg_order_value": (net / orders) if orders else None, "distinct_brands": df["brand"].nunique(),
              "distinct_stores": df["store_code"].nunique(),
              "units_per_order": (units / orders) if orders else None,
              "discounted_orders": df.loc[df["discount"] > 0, "order_id"].nunique(),
              "discounted_order_rate": (100 * df.loc[df["discount"] > 0, "order_id"].nunique() / orders) if orders
              else None,
              "avg_discount_per_order": (df["discount"].sum() / orders) if orders else None}
    return values[measure]


_STOCK = {"stock_on_hand": None, "items_below_reorder": lambda k: k.on_hand < k.reorder_point,
          "items_at_reorder": lambda k: k.on_hand == k.reorder_point,
          "items_at_or_below_reorder": lambda k: k.on_hand <= k.reorder_point,
          "items_out_of_stock": lambda k: k.on_hand == 0, "stock_lines": lambda k: k.on_hand >= 0}


def _value(df: Any, measure: str) -> Any:
    if measure == "stock_value":
        return float((df["on_hand"] * df["unit_price"].astype(float)).sum())
    if measure in _STOCK:
        if measure == "stock_on_hand":
            return int(df["on_hand"].sum())
        return int(_STOCK[measure](df).sum())
    if measure == "patients":
        return len(df)
    if measure in ("store_count", "product_count"):
        return len(df)
    if measure == "brand_count":
        return df["brand"].nunique()
    return _sales_value(df, measure)


def _base(frames: dict[str, Any], measure: str) -> Any:
    if measure in _STOCK or measure == "stock_value":
        k = frames["stock"].merge(frames["products"][["sku", "name", "category", "brand", "unit_price"]], on="sku")
        return k.merge(frames["stores"].rename(columns={"name": "store_name"}), on="store_code")
    if measure == "patients":
        return frames["patients"]
    if measure == "store_count":
        return frames["stores"]
    if measure in ("product_count", "brand_count"):
        return frames["products"]
    return _sales_view(frames)


def _in(df: Any, period: list[str] | None) -> Any:
    if not period or "day" not in df:
        return df
    start, last = date.fromisoformat(period[0]), date.fromisoformat(period[1])
    return df[(df["day"] >= start) & (df["day"] <= last)]


def _grouped(df: Any, dims: list[str], measure: str) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    if df.empty:
        return out
    keys = []
    for d in dims:
        column = {"store": "store_code", "product": "sku"}.get(d, d)
        if d in ("month", "quarter", "week", "day", "year", "weekday"):
            keys.append(df["day"].apply(lambda v, d=d: _key(d, v)).rename(d))
        else:
            keys.append(df[column].rename(d))
    for key, part in df.groupby(keys):
        out[key if len(dims) > 1 else (key[0] if isinstance(key, tuple) else key)] = _value(part, measure)
    return out


def expected_sql(calc: dict[str, Any], frames: dict[str, Any]) -> dict[str, Any]:
    """The answer of a labelled SQL case, computed from the CSV frames (independent of the SQL tool)."""
    m = calc["m"]
    df = _apply_filters(_base(frames, m), calc.get("f", {}))
    if calc.get("x"):  # excluded values
        df = df.drop(_apply_filters(df, calc["x"]).index)
    by = calc.get("by", [])
    if calc.get("cmp"):
        cur, prev = _in(df, calc.get("p")), _in(df, calc["cmp"])
        if by:
            a, b = _grouped(cur, by, m), _grouped(prev, by, m)
            if calc.get("rank"):  # ranked by the change ("dropped the most"): rows with both periods
                direction, n = calc["rank"]
                change = {k: (a.get(k) or 0) - (b.get(k) or 0) for k in set(a) | set(b)}
                ordered = sorted(change, key=lambda k: change[k], reverse=direction == "desc")
                return {"kind": "rank", "top": [(k, a.get(k, 0)) for k in ordered[:n]], "all": a}
            return {"kind": "cmp_by", "current": a, "previous": b}
        return {"kind": "cmp", "current": _value(cur, m), "previous": _value(prev, m)}
    df = _in(df, calc.get("p"))
    if calc.get("avg"):  # "average monthly revenue (by store)": the mean of the per-unit totals, per group
        per_unit = _grouped(df, [*by, calc["avg"]], m)
        means: dict[Any, list[Any]] = defaultdict(list)
        for key, value in per_unit.items():
            means[(key[:-1] if len(by) > 1 else key[0]) if by else None].append(value or 0)
        averaged = {k: sum(v) / len(v) for k, v in means.items()}
        if not by:
            return {"kind": "scalar", "value": averaged.get(None)}
        if calc.get("rank"):
            direction, n = calc["rank"]
            ordered = sorted(averaged.items(), key=lambda kv: kv[1], reverse=direction == "desc")
            return {"kind": "rank", "top": ordered[:n], "all": averaged}
        return {"kind": "by", "groups": averaged}
    if calc.get("part") is not None:
        part = _apply_filters(df, calc["part"])
        total, value = _value(df, m), _value(part, m)
        return {"kind": "share", "value": value, "total": total, "share": 100 * value / total if total else None}
    if not by:
        return {"kind": "scalar", "value": _value(df, m)}
    groups = _grouped(df, by, m)
    if calc.get("rank") and calc.get("within"):  # "the top N products in each store": a ranking within each group
        return _ranked_per_group(groups, calc)
    if calc.get("rank"):
        direction, n = calc["rank"]
        if direction == "asc" and by[0] in ("store", "product") and len(by) == 1:
            # zero-sales stores or products of the asked place / category only ("worst store in Ontario")
            universe = _apply_filters(frames["stores"], {k: v for k, v in calc.get("f", {}).items()
                                                         if k in ("store", "city", "state")})["store_code"] \
                if by[0] == "store" else _apply_filters(
                frames["products"], {k: v for k, v in calc.get("f", {}).items()
                                     if k in ("category", "brand", "product", "keyword")})["sku"]
            for key in universe:
                groups.setdefault(key, 0)
        # groups without a value (no sales to divide by) go last whatever the direction
        ordered = sorted(((k, v) for k, v in groups.items() if v is not None), key=lambda kv: kv[1],
                         reverse=direction == "desc") + [(k, v) for k, v in groups.items() if v is None]
        return {"kind": "rank", "top": ordered[:n], "all": groups}
    if calc.get("share_by"):
        total = sum(v for v in groups.values() if v is not None)
        return {"kind": "share_by", "groups": {k: 100 * v / total for k, v in groups.items()}}
    return {"kind": "by", "groups": groups}


def _ranked_per_group(groups: dict[Any, Any], calc: dict[str, Any]) -> dict[str, Any]:
    """Top / bottom N of the second dimension within each value of the first (`within`, which must be `by[0]`):
    "the best store in each region" is by [state, store], within state, rank [desc, 1]. Groups with no value go
    last."""
    if calc["by"][:1] != [calc["within"]] or len(calc["by"]) != 2:
        raise ValueError(f"within {calc['within']!r} must be the first of two dimensions, got {calc['by']}")
    direction, n = calc["rank"]
    within: dict[Any, list[tuple[Any, Any]]] = defaultdict(list)
    for key, value in groups.items():
        within[key[0]].append((key, value))
    top = {outer: (sorted([kv for kv in rows if kv[1] is not None], key=lambda kv: kv[1],
                          reverse=direction == "desc") + [kv for kv in rows if kv[1] is None])[:n]
           for outer, rows in within.items()}
    return {"kind": "rank_per", "top": top, "all": groups}


# ---- scoring an SQL answer --------------------------------------------------------------------------------------


def _close(a: Any, b: Any, measure: str | None = None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = float(a), float(b)
    tolerance = 0.051 if measure in (None, "share", "pct") else 0.011
    if measure in ("discount_rate",):
        tolerance = 0.051
    if measure in ("discounted_order_rate",):
        tolerance = 0.051
    if measure in ("avg_selling_price", "avg_order_value", "units_per_order", "avg_discount_per_order"):
        tolerance = 0.0051 * 2
    return abs(a - b) <= max(tolerance, 1e-9)


def _result_key(dims: list[str], row: dict[str, Any]) -> Any:
    parts = []
    for d in dims:
        column = {"store": "store_code", "product": "sku"}.get(d, d)
        value = row.get(column)
        if d in ("month", "quarter", "week", "day") and value is not None:
            value = _key(d, value)
        elif d in ("year", "weekday") and value is not None:
            value = int(value)
        parts.append(value)
    return tuple(parts) if len(dims) > 1 else parts[0]


def score_sql_result(case: dict[str, Any], result: Any, expected: dict[str, Any]) -> Outcome:
    calc = case["calc"]
    m = calc["m"]
    answer = (result.summary or "")[:300]
    if result.error is not None or result.spec is None:
        if result.executed:
            return Outcome("wrong", f"error after running: {result.error}", answer)
        return Outcome("refused", (result.error or "")[:200], answer)
    spec = result.spec
    if spec.measure != m:
        return Outcome("wrong", f"measure {spec.measure}, expected {m}", answer)
    if getattr(spec, "average_over", None) != calc.get("avg"):
        return Outcome("wrong", f"average over {getattr(spec, 'average_over', None)}, expected {calc.get('avg')}",
                       answer)
    rows = [dict(zip(result.columns, r, strict=True)) for r in result.rows]
    by = calc.get("by", [])
    if list(spec.dimensions) != by and not (expected["kind"] in ("scalar", "cmp", "share") and not spec.dimensions):
        return Outcome("wrong", f"breakdown {list(spec.dimensions)}, expected {by}", answer)
    kind = expected["kind"]
    if kind == "scalar":
        got = rows[0].get(m) if rows else None
        want = expected["value"]
        if _close(got or 0, want or 0, m) or (got is None and not want):
            return Outcome("right", answer=answer)
        return Outcome("wrong", f"got {got}, expected {want}", answer)
    if kind == "cmp":
        if not rows or f"previous_{m}" not in rows[0]:
            return Outcome("wrong", "no comparison in the answer", answer)
        got = (rows[0][m] or 0, rows[0][f"previous_{m}"] or 0)
        want = (expected["current"] or 0, expected["previous"] or 0)
        if _close(got[0], want[0], m) and _close(got[1], want[1], m):
            return Outcome("right", answer=answer)
        return Outcome("wrong", f"got {got}, expected {want}", answer)
    if kind == "share":
        got = rows[0].get("share_pct") if rows else None
        if got is not None and _close(got, expected["share"], "share"):
            return Outcome("right", answer=answer)
        return Outcome("wrong", f"share {got}, expected {expected['share']}", answer)
    got_groups = {_result_key(by, r): r.get(m) for r in rows}
    if kind == "by":
        want = expected["groups"]
        bad = [k for k in want if not _close(got_groups.get(k, 0) or 0, want[k] or 0, m)]
        extra = [k for k in got_groups if k not in want and (got_groups[k] or 0) != 0]
        if not bad and not extra:
            return Outcome("right", answer=answer)
        return Outcome("wrong", f"{len(bad)} groups differ (e.g. {bad[:2]}), {len(extra)} extra", answer)
    if kind == "share_by":
        got_share = {_result_key(by, r): r.get("share_pct") for r in rows}
        bad = [k for k, v in expected["groups"].items() if not _close(got_share.get(k) or 0, v, "share")]
        return Outcome("right", answer=answer) if not bad else Outcome("wrong", f"shares differ for {bad[:2]}", answer)
    if kind == "cmp_by":
        bad = [k for k, v in expected["current"].items() if not _close(got_groups.get(k, 0) or 0, v or 0, m)]
        return Outcome("right", answer=answer) if not bad else Outcome("wrong", f"groups differ: {bad[:2]}", answer)
    if kind == "rank_per":  # each group's rows in the order answered, held against that group's top N
        answered: dict[Any, list[tuple[Any, Any]]] = defaultdict(list)
        for r in rows:
            key = _result_key(by, r)
            answered[key[0]].append((key, r.get(m)))
        extra = [g for g in answered if g not in expected["top"] and any((v or 0) != 0 for _, v in answered[g])]
        if extra:
            return Outcome("wrong", f"groups not asked for: {extra[:2]}", answer)
        for outer, top in expected["top"].items():
            got_list = answered.get(outer, [])[: len(top)]
            if len(got_list) < len(top):
                return Outcome("wrong", f"{outer}: {len(got_list)} rows, expected {len(top)}", answer)
            for (gk, gv), (wk, wv) in zip(got_list, top, strict=True):
                if not _close(gv or 0, wv or 0, m) or (gk != wk and not _close(
                        expected["all"].get(gk, -1) or 0, wv or 0, m)):
                    return Outcome("wrong", f"{outer}: ranked {gk}={gv}, expected {wk}={wv}", answer)
        return Outcome("right", answer=answer)
    if kind == "rank":
        top = expected["top"]
        got_list = [(_result_key(by, r), r.get(m)) for r in rows[: len(top)]]
        if len(got_list) < len(top):
            return Outcome("wrong", f"{len(got_list)} rows, expected {len(top)}", answer)
        for (gk, gv), (wk, wv) in zip(got_list, top, strict=False):
            if not _close(gv or 0, wv or 0, m):
                return Outcome("wrong", f"ranked {gk}={gv}, expected {wk}={wv}", answer)
            if gk != wk and not _close(expected["all"].get(gk, -1) or 0, wv or 0, m):
                return Outcome("wrong", f"ranked {gk}, expected {wk}", answer)
        return Outcome("right", answer=answer)
    return Outcome("wrong", f"unknown expected kind {kind}", answer)


def score_sql(case: dict[str, Any], env: Env) -> Outcome:
    from tools.sql_tool import run_sql_tool

    principal = env.principals[case["tenant"]]
    context = None
    for earlier in case.get("context", []):
        context = run_sql_tool(principal, earlier, context=context, today=env.today)
        if context.error is not None:
            return Outcome("wrong" if context.executed else "refused", f"context turn failed: {context.error}")
    result = run_sql_tool(principal, case["question"], context=context, today=env.today)
    if case.get("expect") == "refuse":  # a name the tenant does not have, or no data question at all
        if result.error is not None and not result.executed:
            return Outcome("right", "refused as expected", (result.summary or "")[:200])
        return Outcome("wrong", "answered a question that should have been refused", (result.summary or "")[:200])
    expected = expected_sql(case["calc"], env.frames[case["tenant"]])
    return score_sql_result(case, result, expected)


register("sql", score_sql)


# ---- running ----------------------------------------------------------------------------------------------------


def load_cases(route: str | None = None) -> list[dict[str, Any]]:
    cases = []
    for path in sorted(DATA.glob("answers_*/*.jsonl")):
        if not path.name.startswith(("cases", "heldout")):
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if not line.strip():
                continue
            case = json.loads(line)
            case.setdefault("route", path.parent.name.removeprefix("answers_"))
            case["_file"] = f"{path.parent.name}/{path.name}:{n}"
            case["_split"] = path.stem if path.name.startswith("heldout") else "tuning"
            if route is None or case["route"] == route:
                cases.append(case)
    return cases


def setup_tenants() -> Env:
    """Create the bench tenants and import their CSV files with the project's importer."""
    from db import registry
    from db.importer import import_csv

    principals = {}
    for slug, name in TENANTS.items():
        tenant = registry.ensure_tenant(slug, name)
        email = f"manager@{slug}.example"
        registry.add_user(email, slug, "admin")
        for table in TABLES:
            import_csv(table, SQL_DATA / slug / f"{table}.csv", tenant.id)
        principals[slug] = registry.principal_for(email)
    env = Env(principals=principals, frames={slug: load_frames(slug) for slug in TENANTS})
    for hook in SETUP_HOOKS:
        hook(env)
    return env


def run(cases: list[dict[str, Any]], env: Env, verbose: bool = False) -> dict[str, Any]:
    from bench.common import print_table

    by_route: dict[str, list[tuple[dict[str, Any], Outcome]]] = defaultdict(list)
    t0 = time.perf_counter()
    for case in cases:
        scorer = SCORERS.get(case["route"])
        if scorer is None:
            outcome = Outcome("wrong", f"no scorer for route {case['route']!r}")
        else:
            try:
                outcome = scorer(case, env)
            except Exception as error:  # noqa: BLE001 - a crash is a miss, reported with its type
                outcome = Outcome("wrong", f"crashed: {type(error).__name__}: {error}")
        by_route[case["route"]].append((case, outcome))
        if verbose:
            print(f"{outcome.verdict:8} {case['id']:10} {case['question']}  -> {outcome.detail}")
    elapsed = time.perf_counter() - t0

    def row(name: str, items: list[tuple[dict[str, Any], Outcome]]) -> list[str]:
        n = len(items)
        right = sum(o.verdict == "right" for _, o in items)
        wrong = sum(o.verdict == "wrong" for _, o in items)
        refused = sum(o.verdict == "refused" for _, o in items)
        return [name, str(n), str(right), f"{100 * right / n:.1f}%" if n else "-", str(refused), str(wrong)]

    header = ["group", "cases", "right", "accuracy", "refused", "wrong"]
    all_items = [x for items in by_route.values() for x in items]
    print_table(f"Answer accuracy by route ({len(all_items)} cases, {elapsed:.1f} s)", header,
                [row(r, items) for r, items in sorted(by_route.items())] + [row("all", all_items)])
    for route, items in sorted(by_route.items()):
        shapes: dict[str, list[tuple[dict[str, Any], Outcome]]] = defaultdict(list)
        splits: dict[str, list[tuple[dict[str, Any], Outcome]]] = defaultdict(list)
        for case, outcome in items:
            shapes[case.get("shape", "-")].append((case, outcome))
            splits[case["_split"]].append((case, outcome))
        print_table(f"{route}: by shape", header, [row(s, it) for s, it in sorted(shapes.items())])
        print_table(f"{route}: tuning vs held-out", header, [row(s, it) for s, it in sorted(splits.items())])
    misses = [(c, o) for c, o in all_items if o.verdict != "right"]
    print(f"\nMisses ({len(misses)}):")
    for case, outcome in misses:
        print(f"  [{outcome.verdict}] {case['route']}/{case.get('shape', '-')} {case['id']} ({case['_split']}): "
              f"{case['question']!r}\n      {outcome.detail}")
    right = sum(o.verdict == "right" for _, o in all_items)
    return {"cases": len(all_items), "right": right, "wrong": sum(o.verdict == "wrong" for _, o in all_items),
            "refused": sum(o.verdict == "refused" for _, o in all_items)}


def _split_args(bench: Any, split: str | None) -> list[str] | None:
    """The arguments that run one split in a route's own bench (None when it has no set of that name): the docs
    bench's `--set NAME`, the industry bench's `--NAME` for a held-out set and `--no-heldout` for the tuning one."""
    if not split:
        return []
    if hasattr(bench, "SETS"):
        return ["--set", split] if split in bench.SETS else None
    if hasattr(bench, "HELDOUT_SETS"):
        if split == "tuning":
            return ["--no-heldout"]
        return [f"--{split}"] if split in bench.HELDOUT_SETS else None
    return None


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench answers", description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run one route (sql, docs, industry)")
    parser.add_argument("--shape", help="run one shape")
    parser.add_argument("--split", help="one case set in every route: tuning, heldout, heldout2, heldout3 ...")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    from bench.common import bench_database

    cases = [c for c in load_cases(args.only) if (not args.shape or c.get("shape") == args.shape)
             and (not args.split or c["_split"] == args.split)]
    unscored = sorted({c["route"] for c in cases if c["route"] not in SCORERS})
    cases = [c for c in cases if c["route"] in SCORERS]
    if cases:
        with bench_database("sightline_bench_answers"):
            env = setup_tenants()
            run(cases, env, verbose=args.verbose)
    # Routes benchmarked by their own module (own tenants, documents and scoring) run after the SQL table.
    for route, module in OWN_BENCHES.items():
        if args.only not in (None, route) or args.shape:
            continue
        try:
            bench = __import__(module, fromlist=["main"])
        except ModuleNotFoundError as error:
            if error.name != module:
                raise
            continue
        own_args = _split_args(bench, args.split)
        if own_args is None:
            continue
        bench.main(own_args)
        unscored = [r for r in unscored if r != route]
    if unscored:
        print(f"\nCases of routes with no scorer here were not run: {', '.join(unscored)}")


def _json_default(value: Any) -> Any:  # pragma: no cover - debugging helper
    if isinstance(value, (date, Decimal)):
        return str(value)
    raise TypeError(type(value).__name__)
