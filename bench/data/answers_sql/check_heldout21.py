"""Independent check of the SQL held-out set 21: each labelled value is computed again from the CSV files.

python bench/data/answers_sql/check_heldout21.py [-v]

Contract: every case of heldout21.jsonl that carries a `calc` label is answered here without pandas and without the
SQL tool: the tenant's CSV files are read with the `csv` module, money is summed as `Decimal`, and one pass over the
kept rows fills an accumulator (`Tally`) per group key, from which each measure is read (`READ`). Only then is
`bench.bench_answers.expected_sql` called, to compare. Result shapes are the bench's (scalar, by, rank, rank_per,
cmp, cmp_by, share, share_by); `avg` is the mean of the per-unit totals over the units that have rows; a bottom
ranking of stores or products counts the listed ones without rows as 0.
Before any value is computed `problems()` reports a malformed case: an id not h21-NNN or used twice, an unknown
shape, a refusal without `expect: refuse` or with a calc, a follow-up without its earlier turns, an unknown measure,
a filter / exclusion / part on a column the measure's table does not have or with a value the data never holds, a
time breakdown or a period on a measure without dates, a period that is not two ordered ISO dates near the data, a
ranking without a breakdown, `within` that is not the first of two dimensions, a share part with a breakdown or a
comparison, a question asked twice, and (without earlier turns) a question worded like one in another case file of
this folder. Prints LABEL and DISAGREE lines and exits 1 when there is any; `main(path=...)` checks another file.
"""

from __future__ import annotations

import csv
import json
import re
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent
CASES = FOLDER / "heldout21.jsonl"
KNOWN_SHAPES = frozenset({"total", "filters", "breakdown", "time_shape", "time_ranking", "ranking", "comparison",
                          "yoy", "share", "average", "distinct", "catalog", "stock", "patients", "multi_dim",
                          "follow_up", "typo", "refusal"})
CLOCK = ("day", "week", "month", "quarter", "year", "weekday")
COLUMN = {"store": "store_code", "product": "sku"}
SLACK = 0.005


@dataclass
class Tally:
    """What one group of rows adds up to; every measure is read from these fields."""

    gross: Decimal = Decimal(0)
    off: Decimal = Decimal(0)
    qty: int = 0
    rows: int = 0
    orders: set = field(default_factory=set)
    cut_orders: set = field(default_factory=set)
    skus: set = field(default_factory=set)
    brands: set = field(default_factory=set)
    shops: set = field(default_factory=set)
    on_hand: int = 0
    worth: Decimal = Decimal(0)
    under: int = 0
    at: int = 0
    empty: int = 0

    def add(self, row: dict[str, Any]) -> None:
        self.rows += 1
        if "brand" in row:
            self.brands.add(row["brand"])
        if "quantity" in row:  # a sales line
            line = int(row["quantity"]) * Decimal(row["unit_price"])
            cut = Decimal(row["discount"] or "0")
            self.gross += line
            self.off += cut
            self.qty += int(row["quantity"])
            self.orders.add(row["order_id"])
            if cut > 0:
                self.cut_orders.add(row["order_id"])
            self.skus.add(row["sku"])
            self.shops.add(row["store_code"])
        elif "on_hand" in row:  # a shelf
            have, floor = int(row["on_hand"]), int(row["reorder_point"])
            self.on_hand += have
            self.worth += have * Decimal(row["list_price"])
            self.under += have < floor
            self.at += have == floor
            self.empty += have == 0


def _ratio(top: Any, bottom: Any, times: int = 1) -> float | None:
    return float(Decimal(top) * times / Decimal(bottom)) if bottom else None


READ: dict[str, tuple[str, Callable[[Tally], Any]]] = {
    "revenue": ("sales", lambda t: float(t.gross - t.off)),
    "gross_revenue": ("sales", lambda t: float(t.gross)),
    "discount_total": ("sales", lambda t: float(t.off)),
    "discount_rate": ("sales", lambda t: _ratio(t.off, t.gross, 100)),
    "units": ("sales", lambda t: t.qty),
    "order_lines": ("sales", lambda t: t.rows),
    "orders": ("sales", lambda t: len(t.orders)),
    "discounted_orders": ("sales", lambda t: len(t.cut_orders)),
    "discounted_order_rate": ("sales", lambda t: _ratio(len(t.cut_orders), len(t.orders), 100)),
    "distinct_products": ("sales", lambda t: len(t.skus)),
    "distinct_brands": ("sales", lambda t: len(t.brands)),
    "distinct_stores": ("sales", lambda t: len(t.shops)),
    "avg_selling_price": ("sales", lambda t: _ratio(t.gross - t.off, t.qty)),
    "avg_order_value": ("sales", lambda t: _ratio(t.gross - t.off, len(t.orders))),
    "units_per_order": ("sales", lambda t: _ratio(t.qty, len(t.orders))),
    "avg_discount_per_order": ("sales", lambda t: _ratio(t.off, len(t.orders))),
    "stock_on_hand": ("stock", lambda t: t.on_hand),
    "stock_value": ("stock", lambda t: float(t.worth)),
    "items_below_reorder": ("stock", lambda t: t.under),
    "items_at_reorder": ("stock", lambda t: t.at),
    "items_at_or_below_reorder": ("stock", lambda t: t.under + t.at),
    "items_out_of_stock": ("stock", lambda t: t.empty),
    "stock_lines": ("stock", lambda t: t.rows),
    "patients": ("patients", lambda t: t.rows),
    "store_count": ("stores", lambda t: t.rows),
    "product_count": ("products", lambda t: t.rows),
    "brand_count": ("products", lambda t: len(t.brands)),
}


def _age_band(born: str, seen: str) -> str:
    b, s = date.fromisoformat(born), date.fromisoformat(seen)
    age = s.year - b.year - (1 if (s.month, s.day) < (b.month, b.day) else 0)
    return "90+" if age >= 90 else f"{10 * (age // 10)}-{10 * (age // 10) + 9}"


class Books:
    """A tenant's five CSV files as lists of row dicts, sales and shelves joined to their product and store."""

    def __init__(self, slug: str) -> None:
        def read(name: str) -> list[dict[str, str]]:
            with (FOLDER / slug / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
                return list(csv.DictReader(handle))

        shops = {r["store_code"]: r for r in read("stores")}
        items = {r["sku"]: r for r in read("products")}

        def joined(row: dict[str, str]) -> dict[str, Any]:
            item, shop = items[row["sku"]], shops[row["store_code"]]
            return {**row, "name": item["name"], "category": item["category"], "brand": item["brand"],
                    "list_price": item["unit_price"], "store_name": shop["name"], "city": shop["city"],
                    "state": shop["state"]}

        sales = []
        for row in read("sales"):
            line = joined(row)
            line["day"] = date.fromisoformat(row["sold_at"])
            sales.append(line)
        people = read("patients")
        for person in people:
            person["age_band"] = _age_band(person["date_of_birth"], person["last_exam_date"])
        self.tables: dict[str, list[dict[str, Any]]] = {
            "sales": sales, "stock": [joined(r) for r in read("stock")], "patients": people,
            "stores": list(shops.values()), "products": list(items.values())}
        days = [r["day"] for r in sales]
        self.first, self.last = min(days), max(days)


def _matches(row: dict[str, Any], wanted: dict[str, list[Any]] | None) -> bool:
    for name, values in (wanted or {}).items():
        if name == "keyword":
            if not any(v.lower() in row["name"].lower() for v in values):
                return False
        elif name == "weekday":
            if row["day"].isoweekday() not in {int(v) for v in values}:
                return False
        elif row.get(COLUMN.get(name, name)) not in values:
            return False
    return True


def _key_part(row: dict[str, Any], dim: str) -> Any:
    if dim not in CLOCK:
        return row[COLUMN.get(dim, dim)]
    d: date = row["day"]
    return {"day": lambda: d.isoformat(), "month": lambda: f"{d.year}-{d.month:02d}",
            "quarter": lambda: f"{d.year}-Q{(d.month + 2) // 3}", "year": lambda: d.year,
            "weekday": lambda: d.isoweekday(), "week": lambda: (d - timedelta(days=d.weekday())).isoformat()}[dim]()


def tallies(books: Books, calc: dict[str, Any], dims: list[str], period: list[str] | None,
            extra: dict[str, list[Any]] | None = None) -> dict[Any, Tally]:
    """One Tally per key (a tuple of the dims' values; () without dims) over the rows the label keeps."""
    table = READ[calc["m"]][0]
    start = date.fromisoformat(period[0]) if period and table == "sales" else None
    end = date.fromisoformat(period[1]) if period and table == "sales" else None
    out: dict[Any, Tally] = defaultdict(Tally)
    for row in books.tables[table]:
        if start is not None and not start <= row["day"] <= end:
            continue
        if not _matches(row, calc.get("f")) or (calc.get("x") and _matches(row, calc["x"])):
            continue
        if extra and not _matches(row, extra):
            continue
        out[tuple(_key_part(row, d) for d in dims)].add(row)
    return out


def measured(books: Books, calc: dict[str, Any], dims: list[str], period: list[str] | None,
             extra: dict[str, list[Any]] | None = None) -> dict[Any, Any]:
    """The measure per bench-shaped key: the bare value for one dim, a tuple for two, None without dims."""
    read = READ[calc["m"]][1]
    groups = tallies(books, calc, dims, period, extra)
    if not dims:
        return {None: read(groups.get((), Tally()))}
    return {(k if len(dims) > 1 else k[0]): read(t) for k, t in groups.items()}


def _sorted(pairs: Iterable[tuple[Any, Any]], direction: str) -> list[tuple[Any, Any]]:
    pairs = list(pairs)
    valued = sorted((p for p in pairs if p[1] is not None), key=lambda p: p[1], reverse=direction == "desc")
    return valued + [p for p in pairs if p[1] is None]


def answer(calc: dict[str, Any], books: Books) -> dict[str, Any]:
    dims, rank, period = list(calc.get("by", [])), calc.get("rank"), calc.get("p")
    if calc.get("cmp"):
        now, then = measured(books, calc, dims, period), measured(books, calc, dims, calc["cmp"])
        if not dims:
            return {"kind": "cmp", "current": now[None], "previous": then[None]}
        if not rank:
            return {"kind": "cmp_by", "current": now, "previous": then}
        moved = [(k, (now.get(k) or 0) - (then.get(k) or 0)) for k in set(now) | set(then)]
        return {"kind": "rank", "all": now, "top": [(k, now.get(k, 0)) for k, _ in _sorted(moved, rank[0])[:rank[1]]]}
    if calc.get("avg"):
        units = measured(books, calc, [*dims, calc["avg"]], period)
        heads = [None if not dims else (k[0] if len(dims) == 1 else k[:-1]) for k in units]
        means = {h: statistics.fmean(v or 0 for k, v in zip(heads, units.values(), strict=True) if k == h)
                 for h in dict.fromkeys(heads)}
        if not dims:
            return {"kind": "scalar", "value": means.get(None)}
        if rank:
            return {"kind": "rank", "all": means, "top": _sorted(means.items(), rank[0])[:rank[1]]}
        return {"kind": "by", "groups": means}
    if calc.get("part") is not None:
        whole = measured(books, calc, [], period)[None]
        piece = measured(books, calc, [], period, calc["part"])[None]
        return {"kind": "share", "value": piece, "total": whole, "share": _ratio(Decimal(str(piece)),
                                                                                Decimal(str(whole)), 100)}
    groups = measured(books, calc, dims, period)
    if not dims:
        return {"kind": "scalar", "value": groups[None]}
    if rank and calc.get("within"):
        inner: dict[Any, list[tuple[Any, Any]]] = defaultdict(list)
        for key, v in groups.items():
            inner[key[0]].append((key, v))
        top = {g: _sorted(kv, rank[0])[:rank[1]] for g, kv in inner.items()}
        return {"kind": "rank_per", "all": groups, "top": top}
    if rank:
        if rank[0] == "asc" and len(dims) == 1 and dims[0] in COLUMN:
            listing, scope = ((books.tables["stores"], ("store", "city", "state")) if dims[0] == "store"
                              else (books.tables["products"], ("category", "brand", "product", "keyword")))
            limits = {k: v for k, v in (calc.get("f") or {}).items() if k in scope}
            for row in listing:
                if _matches(row, limits):
                    groups.setdefault(row[COLUMN[dims[0]]], 0)
        return {"kind": "rank", "all": groups, "top": _sorted(groups.items(), rank[0])[:rank[1]]}
    if calc.get("share_by"):
        total = sum(v for v in groups.values() if v is not None)
        return {"kind": "share_by", "groups": {k: _ratio(Decimal(str(v)), Decimal(str(total)), 100)
                                               for k, v in groups.items()}}
    return {"kind": "by", "groups": groups}


# ---- holding it against the bench --------------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= SLACK


def _same_groups(a: dict[Any, Any], b: dict[Any, Any]) -> bool:
    return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)


def _same_ranking(mine: list[tuple[Any, Any]], theirs: list[tuple[Any, Any]], every: dict[Any, Any]) -> bool:
    """Same length, same values in order; a different key is fine where it ties with the one expected."""
    if len(mine) != len(theirs):
        return False
    for (my_key, my_value), (their_key, their_value) in zip(mine, theirs, strict=True):
        if not _same(my_value or 0, their_value or 0):
            return False
        if my_key != their_key and not _same(every.get(their_key, -1) or 0, my_value or 0):
            return False
    return True


def same_answer(mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    kind = mine["kind"]
    if kind != theirs["kind"]:
        return False
    checks: dict[str, Callable[[], bool]] = {
        "scalar": lambda: _same(mine["value"] or 0, theirs["value"] or 0),
        "cmp": lambda: _same(mine["current"] or 0, theirs["current"] or 0)
        and _same(mine["previous"] or 0, theirs["previous"] or 0),
        "share": lambda: all(_same(mine[k], theirs[k]) for k in ("value", "total", "share")),
        "by": lambda: _same_groups(mine["groups"], theirs["groups"]),
        "share_by": lambda: _same_groups(mine["groups"], theirs["groups"]),
        "cmp_by": lambda: _same_groups(mine["current"], theirs["current"])
        and _same_groups(mine["previous"], theirs["previous"]),
        "rank": lambda: _same_ranking(mine["top"], list(theirs["top"]), mine["all"]),
        "rank_per": lambda: mine["top"].keys() == theirs["top"].keys() and all(
            _same_ranking(top, list(theirs["top"][g]), mine["all"]) for g, top in mine["top"].items()),
    }
    return checks[kind]()


# ---- malformed labels --------------------------------------------------------------------------------------------


def _span(pair: Any) -> tuple[date, date] | None:
    if not isinstance(pair, list | tuple) or len(pair) != 2:
        return None
    try:
        return date.fromisoformat(pair[0]), date.fromisoformat(pair[1])
    except (TypeError, ValueError):
        return None


def calc_problems(calc: dict[str, Any], books: Books) -> list[str]:
    if calc.get("m") not in READ:
        return [f"unknown or missing measure {calc.get('m')!r}"]
    table = READ[calc["m"]][0]
    rows = books.tables[table]
    columns = set(rows[0]) if rows else set()
    found: list[str] = []
    for part in ("f", "x", "part"):
        for name, values in (calc.get(part) or {}).items():
            if name == "keyword":
                names = [r["name"].lower() for r in rows] if "name" in columns else []
                found += [f"{part}.keyword {v!r} is in no name" for v in values
                          if not any(v.lower() in n for n in names)]
            elif name == "weekday":
                if table != "sales":
                    found.append(f"{part}.weekday on a {table} measure")
                found += [f"{part}.weekday {v!r} is not 1-7" for v in values if str(v) not in "1234567"]
            elif COLUMN.get(name, name) not in columns:
                found.append(f"{part}.{name} is not a column of {table}")
            else:
                held = {r[COLUMN.get(name, name)] for r in rows}
                found += [f"{part}.{name} value {v} does not occur in the data" for v in values if v not in held]
    timed = table == "sales"
    for dim in [*calc.get("by", []), *([calc["avg"]] if calc.get("avg") else [])]:
        if dim in CLOCK and not timed:
            found.append(f"time breakdown {dim} on a {table} measure")
        if dim not in CLOCK and COLUMN.get(dim, dim) not in columns:
            found.append(f"breakdown {dim} is not a column of {table}")
    periods = {k: calc[k] for k in ("p", "cmp") if calc.get(k) is not None}
    found += [f"a period ({k}) on a {table} measure" for k in periods if not timed]
    for k, pair in (periods.items() if timed else ()):
        span = _span(pair)
        fits = span is not None and span[0] <= span[1] and span[1] >= books.first \
            and (span[0] - books.last).days <= 31
        if not fits:
            found.append(f"{k} {pair!r} is not two ordered ISO dates that touch the data")
    return found + list(_structure(calc))


def _structure(calc: dict[str, Any]) -> Iterable[str]:
    """Label parts that cannot go together."""
    dims = calc.get("by") or []
    if not dims and calc.get("rank"):
        yield "a ranking without a breakdown"
    within = calc.get("within")
    if within and dims[:1] + dims[2:] != [within] or within and len(dims) < 2:
        yield f"within {within!r} is not the first of two dimensions {dims}"
    has_part = calc.get("part") is not None
    if has_part and len(dims) + bool(calc.get("cmp")) > 0:
        yield "a share part with a breakdown or comparison"


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def problems(cases: list[dict[str, Any]], source: Path, books: dict[str, Books | None]) -> dict[str, list[str]]:
    elsewhere = set()
    for other in sorted(FOLDER.glob("*.jsonl")):
        if other.name.startswith(("cases", "heldout")) and other.resolve() != source.resolve():
            elsewhere |= {_words(json.loads(t)["question"]) for t in other.read_text(encoding="utf-8").splitlines()
                          if t.strip()}
    id_count: dict[str, int] = defaultdict(int)
    asked: dict[tuple, int] = defaultdict(int)
    for case in cases:
        id_count[str(case.get("id"))] += 1
        asked[(case.get("tenant"), tuple(case.get("context") or ()), case.get("question"))] += 1
    out: dict[str, list[str]] = {}
    for case in cases:
        cid, shape, slug = str(case.get("id")), case.get("shape"), str(case.get("tenant"))
        found = [] if re.fullmatch(r"h21-\d{3}", cid) else [f"id {cid!r} is not h21-NNN"]
        if id_count[cid] > 1:
            found.append(f"id {cid} used {id_count[cid]} times")
        if shape not in KNOWN_SHAPES:
            found.append(f"unknown shape {shape!r}")
        if shape == "follow_up" and not case.get("context"):
            found.append("a follow-up without its earlier turns (context)")
        if asked[(case.get("tenant"), tuple(case.get("context") or ()), case.get("question"))] > 1:
            found.append("the same question twice")
        if not case.get("context") and _words(str(case.get("question", ""))) in elsewhere:
            found.append("the same question is in another case file")
        if slug not in books:
            books[slug] = Books(slug) if (FOLDER / slug / "sales.csv").is_file() else None
        if books[slug] is None:
            found.append(f"tenant {slug!r} has no CSV files")
        elif shape == "refusal" or case.get("expect") == "refuse":
            if case.get("expect") != "refuse":
                found.append("a refusal without expect: refuse")
            if "calc" in case:
                found.append("a refusal with a calc label")
        else:
            found += calc_problems(case.get("calc") or {}, books[slug])
        if found:
            out[cid] = found
    return out


def main(verbose: bool = False, path: Path | None = None) -> int:
    import bench.bench_answers as bench

    source = path or CASES
    cases = [json.loads(t) for t in source.read_text(encoding="utf-8").splitlines() if t.strip()]
    books: dict[str, Books | None] = {}
    bad = problems(cases, source, books)
    for cid, found in bad.items():
        print(f"LABEL {cid}: {'; '.join(found)}")
    frames: dict[str, Any] = {}
    checked = differ = 0
    for case in cases:
        if "calc" not in case or str(case.get("id")) in bad:
            continue
        slug = case["tenant"]
        mine = answer(case["calc"], books[slug])
        if slug not in frames:
            frames[slug] = bench.load_frames(slug)
        theirs = bench.expected_sql(case["calc"], frames[slug])
        checked += 1
        if same_answer(mine, theirs):
            if verbose:
                print(f"ok {case['id']} {str(mine)[:160]}")
            continue
        differ += 1
        print(f"DISAGREE {case['id']} {case['question']!r}\n   mine:  {str(mine)[:300]}\n   bench: {str(theirs)[:300]}")
    print(f"{len(cases)} cases, {checked} values recomputed, {differ + len(bad)} disagreements or label problems")
    return 1 if differ or bad else 0


if __name__ == "__main__":
    sys.path.insert(0, str(FOLDER.parents[2]))
    sys.exit(main(verbose="-v" in sys.argv))
