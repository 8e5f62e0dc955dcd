"""Independent check of the SQL held-out set 20: every labelled value is worked out again from the CSV files.

python bench/data/answers_sql/check_heldout20.py [-v]

Contract: each case of heldout20.jsonl with a `calc` label is answered here with pandas from the tenant's five CSV
files, and the answer is compared with `bench.bench_answers.expected_sql` (imported only to compare; the SQL tool
never runs). The approach differs from the bench's on purpose: rows are narrowed once (`Ledger.narrow`), then one
`groupby(...).agg(...)` per breakdown yields a table of additive ingredients (gross, discount, units, tickets,
discounted tickets, lines and distinct counts; shelf counts and retail value; row counts), and every measure is a
formula over those ingredient columns (`FORMULAS`), so a ratio is always the ratio of sums. Result shapes are the
bench's: scalar, by, rank, rank_per, cmp, cmp_by, share, share_by; `avg` is the mean of the per-unit totals over the
units that have rows.
Before any value is computed `label_faults()` rejects a malformed case: an id that is not h20-NNN or is repeated, an
unknown shape, a refusal without `expect: refuse` or with a calc, a follow-up without earlier turns, an unknown
measure, a filter / exclusion / part naming a column the measure's table lacks or a value absent from it, a time
breakdown or a period on a measure without dates, a period that is not two ordered ISO dates touching the data, a
ranking without a breakdown, `within` that is not the first of exactly two dimensions, a share part beside a
breakdown or a comparison, a question asked twice, or (without earlier turns) a question worded as in another case
file of this folder. Prints DISAGREE / LABEL lines; exit status 1 when there is any. `main(path=...)` checks another
file of the same format.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
CASES = HERE / "heldout20.jsonl"
SHAPES = {"total", "filters", "breakdown", "time_shape", "time_ranking", "ranking", "comparison", "yoy", "share",
          "average", "distinct", "catalog", "stock", "patients", "multi_dim", "follow_up", "typo", "refusal"}
TIME_DIMS = {"day", "week", "month", "quarter", "year", "weekday"}
FIELD = {"store": "store_code", "product": "sku"}
EPS = 0.005


def _div(top: Any, bottom: Any, scale: float = 1.0) -> Any:
    return None if not bottom else scale * float(top) / float(bottom)


# measure -> (table, formula over one row of the ingredient table)
FORMULAS: dict[str, tuple[str, Any]] = {
    "revenue": ("sales", lambda r: r["gross"] - r["off"]),
    "gross_revenue": ("sales", lambda r: r["gross"]),
    "units": ("sales", lambda r: r["qty"]),
    "discount_total": ("sales", lambda r: r["off"]),
    "discount_rate": ("sales", lambda r: _div(r["off"], r["gross"], 100)),
    "order_lines": ("sales", lambda r: r["lines"]),
    "orders": ("sales", lambda r: r["tickets"]),
    "distinct_products": ("sales", lambda r: r["skus"]),
    "distinct_brands": ("sales", lambda r: r["brands"]),
    "distinct_stores": ("sales", lambda r: r["shops"]),
    "discounted_orders": ("sales", lambda r: r["cut"]),
    "discounted_order_rate": ("sales", lambda r: _div(r["cut"], r["tickets"], 100)),
    "avg_selling_price": ("sales", lambda r: _div(r["gross"] - r["off"], r["qty"])),
    "avg_order_value": ("sales", lambda r: _div(r["gross"] - r["off"], r["tickets"])),
    "units_per_order": ("sales", lambda r: _div(r["qty"], r["tickets"])),
    "avg_discount_per_order": ("sales", lambda r: _div(r["off"], r["tickets"])),
    "stock_on_hand": ("stock", lambda r: r["on_hand"]),
    "stock_value": ("stock", lambda r: r["worth"]),
    "items_below_reorder": ("stock", lambda r: r["below"]),
    "items_at_reorder": ("stock", lambda r: r["level"]),
    "items_at_or_below_reorder": ("stock", lambda r: r["below"] + r["level"]),
    "items_out_of_stock": ("stock", lambda r: r["none_left"]),
    "stock_lines": ("stock", lambda r: r["rows"]),
    "patients": ("patients", lambda r: r["rows"]),
    "store_count": ("stores", lambda r: r["rows"]),
    "product_count": ("products", lambda r: r["rows"]),
    "brand_count": ("products", lambda r: r["brands"]),
}


def _band(born: str, seen: str) -> str:
    b, s = date.fromisoformat(born), date.fromisoformat(seen)
    years = s.year - b.year - ((s.month, s.day) < (b.month, b.day))
    return "90+" if years >= 90 else f"{years // 10 * 10}-{years // 10 * 10 + 9}"


class Ledger:
    """One tenant's tables, flattened from its CSV files."""

    def __init__(self, slug: str) -> None:
        def csv(name: str) -> pd.DataFrame:
            return pd.read_csv(HERE / slug / f"{name}.csv", dtype=str, keep_default_na=False)

        shops, items = csv("stores"), csv("products")
        named_shops = shops.rename(columns={"name": "store_name"})
        lines = csv("sales").merge(items.drop(columns="unit_price"), on="sku", how="left")
        lines = lines.merge(named_shops, on="store_code", how="left")
        lines["qty"] = pd.to_numeric(lines["quantity"])
        lines["off"] = pd.to_numeric(lines["discount"])
        lines["gross"] = lines["qty"] * pd.to_numeric(lines["unit_price"])
        when = pd.to_datetime(lines["sold_at"])
        lines["when"] = when
        lines["day"] = when.dt.strftime("%Y-%m-%d")
        lines["month"] = when.dt.strftime("%Y-%m")
        lines["quarter"] = when.dt.year.astype(str) + "-Q" + when.dt.quarter.astype(str)
        lines["year"] = when.dt.year
        lines["weekday"] = when.dt.day_of_week + 1
        lines["week"] = (when - pd.to_timedelta(when.dt.day_of_week, unit="D")).dt.strftime("%Y-%m-%d")
        shelf = csv("stock").merge(items, on="sku", how="left").merge(named_shops, on="store_code", how="left")
        shelf["have"] = pd.to_numeric(shelf["on_hand"])
        shelf["point"] = pd.to_numeric(shelf["reorder_point"])
        shelf["worth"] = shelf["have"] * pd.to_numeric(shelf["unit_price"])
        people = csv("patients")
        people["age_band"] = [_band(b, s) for b, s in zip(people["date_of_birth"], people["last_exam_date"],
                                                          strict=True)]
        self.tables = {"sales": lines, "stock": shelf, "patients": people, "stores": shops, "products": items}
        self.span = (when.min().date(), when.max().date())

    def narrow(self, table: str, calc: dict[str, Any], period: list[str] | None) -> pd.DataFrame:
        t = self.tables[table]
        keep = _mask(t, calc.get("f"))
        if calc.get("x"):
            keep &= ~_mask(t, calc["x"])
        if period and table == "sales":
            keep &= t["when"].between(pd.Timestamp(period[0]), pd.Timestamp(period[1]))
        return t[keep]


def _mask(t: pd.DataFrame, wanted: dict[str, list[Any]] | None) -> pd.Series:
    keep = pd.Series(True, index=t.index)
    for name, values in (wanted or {}).items():
        if name == "keyword":
            low = t["name"].str.lower()
            keep &= pd.concat([low.str.contains(v.lower(), regex=False) for v in values], axis=1).any(axis=1)
        elif name == "weekday":
            keep &= t["weekday"].isin([int(v) for v in values])
        else:
            keep &= t[FIELD.get(name, name)].isin(values)
    return keep


def ingredients(t: pd.DataFrame, table: str, dims: list[str]) -> pd.DataFrame:
    """One row per group (or one row without dims) of additive ingredients for the measure formulas."""
    t = t.assign(_all=0)
    keys = [FIELD.get(d, d) for d in dims] or ["_all"]
    g = t.groupby(keys, sort=True)
    if table == "sales":
        out = g.agg(gross=("gross", "sum"), off=("off", "sum"), qty=("qty", "sum"), lines=("sku", "size"),
                    tickets=("order_id", "nunique"), skus=("sku", "nunique"), brands=("brand", "nunique"),
                    shops=("store_code", "nunique"))
        cut = t[t["off"] > 0].groupby(keys)["order_id"].nunique()
        out["cut"] = cut.reindex(out.index, fill_value=0)
    elif table == "stock":
        out = g.agg(on_hand=("have", "sum"), worth=("worth", "sum"), rows=("sku", "size"))
        for col, test in (("below", t["have"] < t["point"]), ("level", t["have"] == t["point"]),
                          ("none_left", t["have"] == 0)):
            out[col] = test.groupby([t[k] for k in keys]).sum().reindex(out.index, fill_value=0)
    else:
        out = g.size().to_frame("rows")
        if "brand" in t:
            out["brands"] = g["brand"].nunique()
    return out


def _clean(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return float(v)


def values(led: Ledger, calc: dict[str, Any], dims: list[str], period: list[str] | None) -> dict[Any, Any]:
    """Measure per group key (the bench's key shapes); a single value under the key None without dims."""
    table, formula = FORMULAS[calc["m"]]
    t = led.narrow(table, calc, period)
    if t.empty:
        return {} if dims else {None: formula(_zero(table))}
    rows = ingredients(t, table, dims)
    out = {}
    for key, row in rows.iterrows():
        parts = key if isinstance(key, tuple) else (key,)
        parts = tuple(int(p) if d in ("year", "weekday") else p for d, p in zip(dims, parts, strict=False))
        out[None if not dims else (parts if len(dims) > 1 else parts[0])] = _clean(formula(row))
    return out


def _zero(table: str) -> Any:
    cols = {"sales": ("gross", "off", "qty", "lines", "tickets", "skus", "brands", "shops", "cut"),
            "stock": ("on_hand", "worth", "rows", "below", "level", "none_left")}.get(table, ("rows", "brands"))
    return pd.Series(0, index=list(cols))


def _order(groups: dict[Any, Any], direction: str) -> list[tuple[Any, Any]]:
    have = [(k, v) for k, v in groups.items() if v is not None]
    have.sort(key=lambda kv: kv[1], reverse=direction == "desc")
    return have + [(k, v) for k, v in groups.items() if v is None]


def recompute(calc: dict[str, Any], led: Ledger) -> dict[str, Any]:
    dims, rank = list(calc.get("by", [])), calc.get("rank")
    if calc.get("cmp"):
        now, before = values(led, calc, dims, calc.get("p")), values(led, calc, dims, calc["cmp"])
        if not dims:
            return {"kind": "cmp", "current": now[None], "previous": before[None]}
        if not rank:
            return {"kind": "cmp_by", "current": now, "previous": before}
        delta = {k: (now.get(k) or 0) - (before.get(k) or 0) for k in {*now, *before}}
        return {"kind": "rank", "all": now, "top": [(k, now.get(k, 0)) for k, _ in _order(delta, rank[0])[: rank[1]]]}
    if calc.get("avg"):
        per_unit = values(led, calc, [*dims, calc["avg"]], calc.get("p"))
        if not dims:
            units = [v or 0 for v in per_unit.values()]
            return {"kind": "scalar", "value": sum(units) / len(units) if units else None}
        sums: Counter = Counter()
        seen: Counter = Counter()
        for key, v in per_unit.items():
            head = key[0] if len(dims) == 1 else key[:-1]
            sums[head] += v or 0
            seen[head] += 1
        means = {head: sums[head] / seen[head] for head in seen}
        if rank:
            return {"kind": "rank", "all": means, "top": _order(means, rank[0])[: rank[1]]}
        return {"kind": "by", "groups": means}
    if calc.get("part") is not None:
        whole = values(led, calc, [], calc.get("p"))[None]
        piece = _part_on_top(led, calc)
        return {"kind": "share", "value": piece, "total": whole, "share": _div(piece, whole, 100)}
    groups = values(led, calc, dims, calc.get("p"))
    if not dims:
        return {"kind": "scalar", "value": groups[None]}
    if rank and calc.get("within"):
        nested: dict[Any, dict[Any, Any]] = defaultdict(dict)
        for key, v in groups.items():
            nested[key[0]][key] = v
        return {"kind": "rank_per", "all": groups, "top": {g: _order(m, rank[0])[: rank[1]] for g, m in nested.items()}}
    if rank:
        if rank[0] == "asc" and len(dims) == 1 and dims[0] in FIELD:
            listing = led.tables["stores" if dims[0] == "store" else "products"]
            scope = {"store": ("store", "city", "state"),
                     "product": ("category", "brand", "product", "keyword")}[dims[0]]
            listing = listing[_mask(listing, {k: v for k, v in (calc.get("f") or {}).items() if k in scope})]
            groups = {**dict.fromkeys(listing[FIELD[dims[0]]], 0.0), **groups}
        return {"kind": "rank", "all": groups, "top": _order(groups, rank[0])[: rank[1]]}
    if calc.get("share_by"):
        total = sum(v for v in groups.values() if v is not None)
        return {"kind": "share_by", "groups": {k: _div(v, total, 100) for k, v in groups.items()}}
    return {"kind": "by", "groups": groups}


def _part_on_top(led: Ledger, calc: dict[str, Any]) -> Any:
    table, formula = FORMULAS[calc["m"]]
    t = led.narrow(table, calc, calc.get("p"))
    t = t[_mask(t, calc["part"])]
    return _clean(formula(ingredients(t, table, []).iloc[0])) if not t.empty else _clean(formula(_zero(table)))


# ---- comparing with the bench ------------------------------------------------------------------------------------


def _near(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= EPS


def _same_map(a: dict, b: dict) -> bool:
    return set(a) == set(b) and all(_near(a[k], b[k]) for k in a)


def _same_top(mine: list, theirs: list, every: dict) -> bool:
    return len(mine) == len(theirs) and all(
        _near(mv or 0, tv or 0) and (mk == tk or _near(every.get(tk, -1) or 0, mv or 0))
        for (mk, mv), (tk, tv) in zip(mine, theirs, strict=True))


def agree(mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    kind = mine["kind"]
    if kind != theirs["kind"]:
        return False
    if kind == "scalar":
        return _near(mine["value"] or 0, theirs["value"] or 0)
    if kind == "cmp":
        return all(_near(mine[s] or 0, theirs[s] or 0) for s in ("current", "previous"))
    if kind == "share":
        return all(_near(mine[s], theirs[s]) for s in ("value", "total", "share"))
    if kind in ("by", "share_by"):
        return _same_map(mine["groups"], theirs["groups"])
    if kind == "cmp_by":
        return _same_map(mine["current"], theirs["current"]) and _same_map(mine["previous"], theirs["previous"])
    if kind == "rank":
        return _same_top(mine["top"], list(theirs["top"]), mine["all"])
    return set(mine["top"]) == set(theirs["top"]) and all(
        _same_top(top, list(theirs["top"][g]), mine["all"]) for g, top in mine["top"].items())


# ---- label faults ------------------------------------------------------------------------------------------------


def _dates(pair: Any) -> tuple[date, date] | None:
    try:
        first, last = pair
        return date.fromisoformat(first), date.fromisoformat(last)
    except (TypeError, ValueError):
        return None


def calc_faults(calc: dict[str, Any], led: Ledger) -> list[str]:
    if calc.get("m") not in FORMULAS:
        return [f"unknown or missing measure {calc.get('m')!r}"]
    table = FORMULAS[calc["m"]][0]
    t, found = led.tables[table], []
    for section in ("f", "x", "part"):
        for name, wanted in (calc.get(section) or {}).items():
            if name == "keyword":
                names = " ".join(t["name"].str.lower()) if "name" in t else ""
                found += [f"{section}.keyword {v!r} is in no name" for v in wanted if v.lower() not in names]
            elif name == "weekday":
                found += [f"{section}.weekday {v!r} is not 1-7" for v in wanted if int(v) not in range(1, 8)]
            elif FIELD.get(name, name) not in t:
                found.append(f"{section}.{name} is not a column of {table}")
            else:
                held = set(t[FIELD.get(name, name)])
                found += [f"{section}.{name} value {v} does not occur in the data" for v in wanted if v not in held]
    for dim in [*calc.get("by", []), *([calc["avg"]] if calc.get("avg") else [])]:
        if dim in TIME_DIMS and table != "sales":
            found.append(f"time breakdown {dim} on a {table} measure")
        elif dim not in TIME_DIMS and FIELD.get(dim, dim) not in t:
            found.append(f"breakdown {dim} is not a column of {table}")
    for key in ("p", "cmp"):
        if calc.get(key) is None:
            continue
        if table != "sales":
            found.append(f"a period ({key}) on a {table} measure")
            continue
        span = _dates(calc[key])
        if span is None:
            found.append(f"{key} {calc[key]!r} is not two ISO dates")
        elif span[0] > span[1] or span[1] < led.span[0] or (span[0] - led.span[1]).days > 31:
            found.append(f"{key} {calc[key]} runs backwards or misses the data")
    dims, within = list(calc.get("by", [])), calc.get("within")
    structure = (
        (bool(calc.get("rank")) and not dims, "a ranking without a breakdown"),
        (bool(within) and [*dims[:1], len(dims)] != [within, 2],
         f"within {within!r} is not the first of two dimensions {dims}"),
        (calc.get("part") is not None and bool(dims or calc.get("cmp")), "a share part with a breakdown or comparison"),
    )
    return found + [message for broken, message in structure if broken]


def _plain(question: str) -> str:
    return " ".join(re.findall(r"\w+", question.lower()))


def label_faults(cases: list[dict[str, Any]], source: Path, ledgers: dict[str, Ledger | None]) -> dict[str, list[str]]:
    ids = Counter(str(c.get("id")) for c in cases)
    asked = Counter((c.get("tenant"), tuple(c.get("context") or ()), c.get("question")) for c in cases)
    others = {_plain(json.loads(line)["question"])
              for p in sorted(HERE.glob("*.jsonl")) if p.name.startswith(("cases", "heldout"))
              and p.resolve() != source.resolve()
              for line in p.read_text(encoding="utf-8").splitlines() if line.strip()}
    faults: dict[str, list[str]] = {}
    for case in cases:
        cid, shape, slug = str(case.get("id")), case.get("shape"), str(case.get("tenant"))
        found = [] if re.fullmatch(r"h20-\d{3}", cid) else [f"id {cid!r} is not h20-NNN"]
        found += [f"id {cid} used {ids[cid]} times"] if ids[cid] > 1 else []
        found += [] if shape in SHAPES else [f"unknown shape {shape!r}"]
        if shape == "follow_up" and not case.get("context"):
            found.append("a follow-up without its earlier turns (context)")
        if asked[(case.get("tenant"), tuple(case.get("context") or ()), case.get("question"))] > 1:
            found.append("the same question twice")
        if not case.get("context") and _plain(str(case.get("question", ""))) in others:
            found.append("the same question is in another case file")
        if slug not in ledgers:
            ledgers[slug] = Ledger(slug) if (HERE / slug / "sales.csv").is_file() else None
        if ledgers[slug] is None:
            found.append(f"tenant {slug!r} has no CSV files")
        elif case.get("expect") == "refuse" or shape == "refusal":
            found += [] if case.get("expect") == "refuse" else ["a refusal without expect: refuse"]
            found += ["a refusal with a calc label"] if "calc" in case else []
        else:
            found += calc_faults(case.get("calc") or {}, ledgers[slug])
        if found:
            faults[cid] = found
    return faults


def compare_all(cases: list[dict[str, Any]], ledgers: dict[str, Ledger | None], verbose: bool) -> tuple[int, int]:
    """Recompute each well-labelled case and hold it against the bench: (values checked, disagreements)."""
    import bench.bench_answers as bench

    frames: dict[str, Any] = {}
    checked = differ = 0
    for case in cases:
        slug = case["tenant"]
        mine = recompute(case["calc"], ledgers[slug])
        if slug not in frames:
            frames[slug] = bench.load_frames(slug)
        theirs = bench.expected_sql(case["calc"], frames[slug])
        checked += 1
        same = agree(mine, theirs)
        differ += not same
        if not same:
            print(f"DISAGREE {case['id']} {case['question']!r}\n   mine:  {str(mine)[:300]}\n"
                  f"   bench: {str(theirs)[:300]}")
        elif verbose:
            print(f"ok {case['id']} {str(mine)[:160]}")
    return checked, differ


def main(verbose: bool = False, path: Path | None = None) -> int:
    source = path or CASES
    lines = source.read_text(encoding="utf-8").splitlines()
    cases = [json.loads(text) for text in lines if text.strip()]
    ledgers: dict[str, Ledger | None] = {}
    faults = label_faults(cases, source, ledgers)
    print("".join(f"LABEL {cid}: {'; '.join(found)}\n" for cid, found in faults.items()), end="")
    sound = [c for c in cases if "calc" in c and str(c.get("id")) not in faults]
    checked, differ = compare_all(sound, ledgers, verbose)
    print(f"{len(cases)} cases, {checked} values recomputed, {differ + len(faults)} disagreements or label problems")
    return 1 if differ or faults else 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[2]))
    sys.exit(main(verbose="-v" in sys.argv))
