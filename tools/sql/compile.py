"""Spec -> one SELECT with bound parameters (SQLAlchemy Core), checked by the SQL guard before it can run.

`compile_spec(spec)` builds the statement from table and column objects and `bindparam`s; no value ever enters the
SQL text and no SQL is assembled from strings. The rendered text (binds as ``:name``) then passes
`tools.sql_guard.validate_sql` exactly like model-written SQL: binds become sentinel literals for the check, and the
guard's canonical output, with the sentinels swapped back for binds, is what runs (`CompiledQuery.sql`).

Shapes, all one SELECT:
- a total or a breakdown (GROUP BY the dimensions; time dimensions via date_trunc / extract);
- a ranking (ORDER BY the measure or its change, LIMIT N); a bottom ranking of stores or products starts from the
  store/product table with a LEFT JOIN, so entries that sold nothing rank too (with 0);
- a comparison (each aggregate twice, with FILTER (WHERE day in period), plus difference and percent change);
- a share of total: each group's share of all groups (a window SUM), or the part's share of the whole (the part as a
  FILTER over the whole; with a breakdown, over each group's whole: "sunglasses' share of each province's revenue");
- an average per day / week / month / quarter / year / store ("average monthly revenue by store"): the spec broken
  down by that unit as well, in a subquery, then AVG per group over the units that have sales, with their count.
Output columns are named after the spec: the dimension names (store adds store_code, product adds sku), the measure
name, `previous_<measure>`, `change`, `change_pct`, `total_<measure>`, `share_pct`, `units_averaged`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import ColumnElement

from tools.sql.spec import MEASURES, TIME_DIMENSIONS, Filters, QuerySpec, Ranking, SpecError, check_spec
from tools.sql_guard import DEFAULT_MAX_ROWS, validate_sql

__all__ = ["CompiledQuery", "compile_spec", "guard_bound_sql"]

_S = sa.table("sales", sa.column("order_id"), sa.column("sold_at", sa.Date), sa.column("store_code"),
              sa.column("sku"), sa.column("quantity", sa.Integer), sa.column("unit_price", sa.Numeric),
              sa.column("discount", sa.Numeric))
_P = sa.table("products", sa.column("sku"), sa.column("name"), sa.column("category"), sa.column("brand"),
              sa.column("unit_price", sa.Numeric))
_ST = sa.table("stores", sa.column("store_code"), sa.column("name"), sa.column("city"), sa.column("state"))
_K = sa.table("stock", sa.column("store_code"), sa.column("sku"), sa.column("on_hand", sa.Integer),
              sa.column("reorder_point", sa.Integer))
_PT = sa.table("patients", sa.column("age_band"), sa.column("lens_type"), sa.column("state"))

s = _S.alias("s")
p = _P.alias("p")
st = _ST.alias("st")
k = _K.alias("k")
pt = _PT.alias("pt")
_TEXT_ARRAY = postgresql.ARRAY(sa.Text)


@dataclass(frozen=True)
class CompiledQuery:
    """The checked SQL that runs (binds as ``:name``), its bind values and the output column names."""

    sql: str
    params: dict[str, Any]
    columns: tuple[str, ...] = field(default=())

    @property
    def display_sql(self) -> str:
        return self.sql.replace("\\:", ":")


class _Binds:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def __call__(self, name: str, value: Any, type_: Any = None) -> ColumnElement[Any]:
        key = name
        n = 2
        while key in self.values:
            key, n = f"{name}_{n}", n + 1
        self.values[key] = value
        return sa.bindparam(key, value, type_=type_)

    def any_of(self, column: ColumnElement[Any], name: str, values: tuple[str, ...]) -> ColumnElement[bool]:
        return column == sa.any_(self(name, list(values), _TEXT_ARRAY))


def _const(value: int | str) -> ColumnElement[Any]:
    """A fixed constant of the compiler itself (0, 100, 'month'), never a user value: written into the SQL text."""
    if isinstance(value, int):
        return sa.literal_column(str(int(value)))
    if not re.fullmatch(r"[a-z]+", value):
        raise ValueError(f"not a compiler constant: {value!r}")
    return sa.literal_column(f"'{value}'")


def _like(word: str) -> str:
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# ---- the parts of a query ---------------------------------------------------------------------------------------


def _net() -> ColumnElement[Any]:
    return s.c.quantity * s.c.unit_price - s.c.discount


def _gross() -> ColumnElement[Any]:
    return s.c.quantity * s.c.unit_price


def _agg(fn: Any, cond: ColumnElement[bool] | None) -> ColumnElement[Any]:
    return fn.filter(cond) if cond is not None else fn


def _ratio(num: ColumnElement[Any], den: ColumnElement[Any], scale: int = 1) -> ColumnElement[Any]:
    value = num * _const(scale) if scale != 1 else num
    return sa.func.round(sa.cast(value, sa.Numeric) / sa.func.nullif(den, _const(0)), _const(2))


def _measure(name: str, cond: ColumnElement[bool] | None, zero: bool) -> ColumnElement[Any]:
    """The aggregate of `name`, restricted to rows where `cond` holds (FILTER); `zero`: 0 instead of NULL."""

    def total(x: ColumnElement[Any]) -> ColumnElement[Any]:
        value = _agg(sa.func.sum(x), cond)
        return sa.func.coalesce(value, _const(0)) if zero else value

    def count_distinct(x: ColumnElement[Any]) -> ColumnElement[Any]:
        return _agg(sa.func.count(sa.distinct(x)), cond)

    if name == "units":
        return total(s.c.quantity)
    if name == "revenue":
        return total(_net())
    if name == "gross_revenue":
        return total(_gross())
    if name == "discount_total":
        return total(s.c.discount)
    if name == "discount_rate":
        return _ratio(_agg(sa.func.sum(s.c.discount), cond), _agg(sa.func.sum(_gross()), cond), 100)
    if name == "order_lines":
        return _agg(sa.func.count(s.c.sku), cond)
    if name == "orders":
        return count_distinct(s.c.order_id)
    if name == "distinct_products":
        return count_distinct(s.c.sku)
    if name == "distinct_brands":
        return count_distinct(p.c.brand)
    if name == "distinct_stores":
        return count_distinct(s.c.store_code)
    if name == "avg_selling_price":
        return _ratio(_agg(sa.func.sum(_net()), cond), _agg(sa.func.sum(s.c.quantity), cond))
    if name == "avg_order_value":
        return _ratio(_agg(sa.func.sum(_net()), cond), count_distinct(s.c.order_id))
    if name == "discounted_orders":
        discounted = s.c.discount > _const(0)
        only = discounted if cond is None else sa.and_(discounted, cond)
        return sa.func.count(sa.distinct(s.c.order_id)).filter(only)
    if name == "discounted_order_rate":
        discounted = s.c.discount > _const(0)
        only = discounted if cond is None else sa.and_(discounted, cond)
        return _ratio(sa.func.count(sa.distinct(s.c.order_id)).filter(only), count_distinct(s.c.order_id), 100)
    if name == "avg_discount_per_order":
        return _ratio(_agg(sa.func.sum(s.c.discount), cond), count_distinct(s.c.order_id))
    if name == "units_per_order":
        return _ratio(_agg(sa.func.sum(s.c.quantity), cond), count_distinct(s.c.order_id))
    if name == "stock_value":
        return total(k.c.on_hand * p.c.unit_price)
    if name == "stock_on_hand":
        return total(k.c.on_hand)
    stock_conditions = {
        "items_below_reorder": k.c.on_hand < k.c.reorder_point,
        "items_at_reorder": k.c.on_hand == k.c.reorder_point,
        "items_at_or_below_reorder": k.c.on_hand <= k.c.reorder_point,
        "items_out_of_stock": k.c.on_hand == _const(0),
    }
    if name in stock_conditions:
        inner = stock_conditions[name] if cond is None else sa.and_(stock_conditions[name], cond)
        return sa.func.count(k.c.sku).filter(inner)
    if name == "stock_lines":
        return _agg(sa.func.count(k.c.sku), cond)
    if name == "patients":
        return _agg(sa.func.count(), cond)
    if name == "store_count":
        return _agg(sa.func.count(st.c.store_code), cond)
    if name == "product_count":
        return _agg(sa.func.count(p.c.sku), cond)
    if name == "brand_count":
        return count_distinct(p.c.brand)
    raise ValueError(f"unknown measure {name!r}")


def _dimension(name: str, family: str) -> list[tuple[str, ColumnElement[Any]]]:
    """Output (column name, expression) pairs of one dimension; the last pair is the label, the first the key."""
    if name == "store":
        return [("store_code", st.c.store_code), ("store", st.c.name)]
    if name == "product":
        return [("sku", p.c.sku), ("product", p.c.name)]
    if name == "city":
        return [("city", st.c.city)]
    if name == "state":
        return [("state", pt.c.state if family == "patients" else st.c.state)]
    if name == "category":
        return [("category", p.c.category)]
    if name == "brand":
        return [("brand", p.c.brand)]
    if name == "age_band":
        return [("age_band", pt.c.age_band)]
    if name == "lens_type":
        return [("lens_type", pt.c.lens_type)]
    day = s.c.sold_at
    if name == "day":
        return [("day", day)]
    if name in ("week", "month", "quarter"):
        return [(name, sa.cast(sa.func.date_trunc(_const(name), day), sa.Date))]
    if name == "year":
        return [("year", sa.cast(sa.extract("year", day), sa.Integer))]
    if name == "weekday":
        return [("weekday", sa.cast(sa.extract("isodow", day), sa.Integer))]
    raise ValueError(f"unknown dimension {name!r}")


def _conditions(filters: Filters, family: str, binds: _Binds) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    columns: dict[str, ColumnElement[Any]] = {
        "store": st.c.store_code, "city": st.c.city, "state": pt.c.state if family == "patients" else st.c.state,
        "category": p.c.category, "brand": p.c.brand, "product": p.c.sku, "age_band": pt.c.age_band,
        "lens_type": pt.c.lens_type,
    }
    for name, values in filters.items():
        if name == "keyword":
            out.append(sa.func.lower(p.c.name).like(sa.any_(binds("keyword", [_like(v) for v in values],
                                                                  _TEXT_ARRAY))))
        elif name == "weekday":
            day = sa.cast(sa.extract("isodow", s.c.sold_at), sa.Integer)
            out.append(day == sa.any_(binds("weekday", [int(v) for v in values], postgresql.ARRAY(sa.Integer))))
        else:
            out.append(binds.any_of(columns[name], name, values))
    return out


def _in_range(binds: _Binds, start: date, end: date, prefix: str = "") -> ColumnElement[bool]:
    return sa.and_(s.c.sold_at >= binds(f"{prefix}start", start, sa.Date),
                   s.c.sold_at < binds(f"{prefix}end", end, sa.Date))


def _from(family: str, spec: QuerySpec) -> tuple[Any, bool]:
    """The FROM clause; True when it starts from the store/product table (a bottom ranking that keeps zeros)."""
    if family == "sales":
        keep_zero = (spec.ranking is not None and spec.ranking.direction == "asc" and spec.comparison is None
                     and len(spec.dimensions) == 1 and spec.dimensions[0] in ("store", "product")
                     and not spec.share_of_total and spec.exclude.is_empty())
        if keep_zero:
            return None, True  # built by the caller (the join condition carries the filters)
        return s.join(p, p.c.sku == s.c.sku).join(st, st.c.store_code == s.c.store_code), False
    if family == "stock":
        return k.join(p, p.c.sku == k.c.sku).join(st, st.c.store_code == k.c.store_code), False
    if family == "patients":
        return pt, False
    if family == "stores":
        return st, False
    return p, False


def compile_spec(spec: QuerySpec, *, max_rows: int = DEFAULT_MAX_ROWS) -> CompiledQuery:
    """The checked, runnable SQL for `spec`. Raises SpecError (not answerable) or SQLRejected (guard)."""
    check_spec(spec)
    binds = _Binds()
    if spec.average_over is None:
        stmt, columns = _select(spec, binds, max_rows)
    else:
        stmt, columns = _average(spec, binds, max_rows)
    text = str(stmt.compile(dialect=postgresql.dialect(paramstyle="named"),
                            compile_kwargs={"render_postcompile": False}))
    runnable, _ = guard_bound_sql(text, max_rows=max_rows)
    return CompiledQuery(sql=runnable, params=dict(binds.values), columns=columns)


def _average(spec: QuerySpec, binds: _Binds, max_rows: int) -> tuple[Any, tuple[str, ...]]:
    """"average monthly revenue (by store)": the per-unit totals (the spec broken down by the unit as well) in a
    subquery, then their mean per group, with how many units it averages (`units_averaged`)."""
    over = str(spec.average_over)
    inner_spec = spec.model_copy(update={"dimensions": (*spec.dimensions, over), "average_over": None,
                                         "ranking": None})
    inner, _ = _select(inner_spec, binds, max_rows)
    per = inner.subquery("per_unit")
    keys = [name for d in spec.dimensions for name, _ in _dimension(d, spec.family)]
    m = spec.measure
    mean = sa.func.round(sa.cast(sa.func.avg(per.c[m]), sa.Numeric), _const(2))
    columns = [*(per.c[k].label(k) for k in keys), mean.label(m), sa.func.count().label("units_averaged")]
    stmt = sa.select(*columns)
    if keys:
        group = [per.c[k] for k in keys]
        stmt = stmt.group_by(*group)
        if spec.ranking is not None:
            ordered = mean.desc() if spec.ranking.direction == "desc" else mean.asc()
            first = [(name, per.c[name]) for name, _ in _dimension(spec.dimensions[0], spec.family)]
            stmt = _ranked(stmt, ordered, group, first, spec.ranking, max_rows)
        elif any(d in TIME_DIMENSIONS for d in spec.dimensions):
            stmt = stmt.order_by(*group)
        else:
            stmt = stmt.order_by(mean.desc().nulls_last(), *group)
    return stmt, (*keys, m, "units_averaged")


def _select(spec: QuerySpec, binds: _Binds, max_rows: int) -> tuple[Any, tuple[str, ...]]:
    """The SELECT of a spec without an average (see `compile_spec`), and its output column names."""
    family = spec.family
    where: list[ColumnElement[bool]] = []
    current: ColumnElement[bool] | None = None
    previous: ColumnElement[bool] | None = None
    sequential = spec.comparison is not None and spec.comparison.kind == "sequential"
    if family == "sales" and spec.time_range is not None:
        current = _in_range(binds, spec.time_range.start, spec.time_range.end)
        if spec.comparison is not None and spec.comparison.time_range is not None:
            other = spec.comparison.time_range
            previous = _in_range(binds, other.start, other.end, "prev_")
            where.append(sa.or_(current, previous))
        else:
            where.append(current)
    filters = _conditions(spec.filters, family, binds)
    filters += [sa.not_(c) for c in _conditions(spec.exclude, family, binds)]
    part = _conditions(spec.part, family, binds) if spec.share_of_total else []
    if not spec.share_of_total:
        filters += part
        part = []

    base, keep_zero = _from(family, spec)
    if keep_zero:
        anchor_dim = spec.dimensions[0]
        facts = s.join(st, st.c.store_code == s.c.store_code) if anchor_dim == "product" else \
            s.join(p, p.c.sku == s.c.sku)
        anchor = p if anchor_dim == "product" else st
        anchor_key = p.c.sku if anchor_dim == "product" else st.c.store_code
        fact_key = s.c.sku if anchor_dim == "product" else s.c.store_code
        anchor_cols = {"product": {"category", "brand", "product", "keyword"}, "store": {"store", "city", "state"}}
        on = [fact_key == anchor_key, *where]
        outside: list[ColumnElement[bool]] = []
        for (name, _), cond in zip(spec.filters.items(), filters, strict=False):
            (outside if name in anchor_cols[anchor_dim] else on).append(cond)
        base = anchor.outerjoin(facts, sa.and_(*on))
        where = outside
        filters = []

    columns: list[tuple[str, ColumnElement[Any]]] = []
    group: list[ColumnElement[Any]] = []
    for dim in spec.dimensions:
        for name, expr in _dimension(dim, family):
            columns.append((name, expr))
            group.append(expr)
    m = spec.measure
    scalar_total = not spec.dimensions and not spec.share_of_total and MEASURES[m].additive
    compared = spec.comparison is not None and not sequential
    # in a comparison a total over no rows of the period is 0 (a store that sold nothing this May fell by all it sold
    # last May: it ranks among the biggest falls, not after every store, as a NULL change would)
    value = _measure(m, current if compared else None,
                     keep_zero or scalar_total or (compared and MEASURES[m].additive))
    measure_cols: list[tuple[str, ColumnElement[Any]]] = [(m, value)]
    order_value: ColumnElement[Any] = value
    if sequential:
        time_key = _dimension(spec.dimensions[-1], family)[0][1]
        others = [e for d in spec.dimensions[:-1] for _, e in _dimension(d, family)]
        before = sa.func.lag(value).over(partition_by=others or None, order_by=time_key)
        change = value - before
        change_pct = sa.func.round(sa.cast(change, sa.Numeric) * _const(100) / sa.func.nullif(before, _const(0)),
                                   _const(1))
        measure_cols += [(f"previous_{m}", before), ("change", change), ("change_pct", change_pct)]
    elif spec.comparison is not None:
        # a total over no rows is 0 (a store that opened since sold nothing then: it grew by all it sells now)
        before = _measure(m, previous, MEASURES[m].additive)
        change = value - before
        change_pct = sa.func.round(sa.cast(change, sa.Numeric) * _const(100) / sa.func.nullif(before, _const(0)),
                                   _const(1))
        measure_cols += [(f"previous_{m}", before), ("change", change), ("change_pct", change_pct)]
        if spec.ranking is not None and spec.ranking.by == "change":
            order_value = change
        elif spec.ranking is not None and spec.ranking.by == "change_pct":
            order_value = change_pct
    if spec.share_of_total:
        if spec.dimensions and not part:  # each group's share of the total of all groups: a window sum
            share = sa.func.round(sa.cast(value, sa.Numeric) * _const(100)
                                  / sa.func.nullif(sa.func.sum(value).over(), _const(0)), _const(1))
            measure_cols.append(("share_pct", share))
        else:  # the part's share of the whole (of each group's whole, with a breakdown): the part as a FILTER
            part_cond = sa.and_(*part)
            numerator = _measure(m, part_cond, bool(spec.dimensions))
            share = sa.func.round(sa.cast(numerator, sa.Numeric) * _const(100) / sa.func.nullif(value, _const(0)),
                                  _const(1))
            measure_cols = [(m, numerator), (f"total_{m}", value), ("share_pct", share)]
            if spec.dimensions:
                order_value = share  # "which province has the highest share of sunglasses": ranked by the share
    columns += measure_cols
    stmt = sa.select(*[expr.label(name) for name, expr in columns]).select_from(base)
    conds = [*where, *filters]
    if conds:
        stmt = stmt.where(sa.and_(*conds))
    if group:
        stmt = stmt.group_by(*group)
        if m.startswith("items_"):  # "which items are out of stock": only the groups that have any
            stmt = stmt.having(value > _const(0))
    if spec.ranking is not None and group and sequential:
        raise SpecError("a period-on-period series cannot also be ranked")
    if spec.ranking is not None and group:
        ordered = order_value.desc() if spec.ranking.direction == "desc" else order_value.asc()
        first = _dimension(spec.dimensions[0], family)
        stmt = _ranked(stmt, ordered, group, first, spec.ranking, max_rows)
    elif group:
        time_first = [e for d in spec.dimensions for n, e in _dimension(d, family) if d in TIME_DIMENSIONS]
        if time_first:
            stmt = stmt.order_by(*group)
        else:
            stmt = stmt.order_by(order_value.desc().nulls_last(), *group)  # a part's share per group: by share
    return stmt, tuple(n for n, _ in columns)


def _ranked(stmt: Any, ordered: ColumnElement[Any], group: list[ColumnElement[Any]],
            first: list[tuple[str, ColumnElement[Any]]], ranking: Ranking, max_rows: int) -> Any:
    """`stmt` ordered by `ordered` and cut to the ranking's N rows. With `per_group`: N rows inside each group of
    the first dimension (`first`: its column names and expressions), numbered by ROW_NUMBER() OVER (PARTITION BY
    the group) in a subquery and listed group by group, best first."""
    if not ranking.per_group or ranking.limit is None:
        stmt = stmt.order_by(ordered.nulls_last(), *group)
        if ranking.limit is not None:
            stmt = stmt.limit(_const(min(int(ranking.limit), max_rows)))
        return stmt
    position = sa.func.row_number().over(partition_by=[e for _, e in first], order_by=[ordered.nulls_last(), *group])
    inner = stmt.add_columns(position.label("rank_in_group")).subquery("ranked")
    shown = [column for column in inner.c if column.name != "rank_in_group"]
    keys = [inner.c[name] for name, _ in first]
    return (sa.select(*shown).where(inner.c.rank_in_group <= _const(int(ranking.limit)))
            .order_by(*keys, inner.c.rank_in_group))


_BIND = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")
_SENTINEL = re.compile(r"'__bind_([a-z0-9_]+?)__'")


def guard_bound_sql(sql: str, *, max_rows: int = DEFAULT_MAX_ROWS) -> tuple[str, Any]:
    """Check SQL that has ``:name`` binds with the SQL guard; return the runnable text (binds restored).

    Each bind becomes a sentinel string literal for the check; in the guard's canonical output the sentinels become
    binds again and every other colon is escaped, so SQLAlchemy's ``text()`` binds exactly the declared parameters.
    """
    probe = _BIND.sub(lambda m: f"'__bind_{m.group(1)}__'", sql)
    checked = validate_sql(probe, max_rows=max_rows)
    runnable = _SENTINEL.sub(lambda m: f":{m.group(1)}", checked.sql.replace(":", "\\:"))
    return runnable, checked
