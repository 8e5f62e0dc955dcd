"""SQL guard of the SQL tool: accept one read-only SELECT over allow-listed relations and functions, LIMIT enforced.

This is the second wall; the first is PostgreSQL row-level security plus the SELECT-only reader role in a
read-only transaction. Model-written SQL is parsed with sqlglot (postgres dialect) and every node of the tree
is checked against allow-lists:

- node types: only those that occur in a fixed corpus of safe example queries (``_SYNTAX_EXAMPLES``,
  ``_FUNCTION_EXAMPLES``, ``_CAST_TYPES``); anything else (DML, DDL, ``INTO``, ``FOR UPDATE``, commands, ...)
  is rejected, so a construct sqlglot learns in a later version is refused until it is added here;
- functions: by SQL name (``ALLOWED_FUNCTIONS``), case-insensitive unless quoted; ``generate_series`` only as
  a FROM item; schema-qualified function calls never;
- relations: only ``allowed_relations`` (optionally ``public.``-qualified) and CTE names in scope;
- casts: only to plain scalar types (no ``regclass``, ``oid``, ``xml``, user-defined types).

The accepted tree is re-generated as canonical SQL (comments dropped) with a LIMIT of at most ``max_rows``,
and that text is parsed and checked again, so what runs is exactly what was checked.
See docs/sql-guard.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from db.roles import READER_TABLES

__all__ = [
    "ALLOWED_CAST_TYPES",
    "ALLOWED_FUNCTIONS",
    "DEFAULT_MAX_ROWS",
    "MAX_SQL_CHARS",
    "READER_RELATIONS",
    "SQLRejected",
    "ValidatedSQL",
    "validate_sql",
]

DIALECT = "postgres"
READER_RELATIONS: frozenset[str] = frozenset(READER_TABLES)
DEFAULT_MAX_ROWS = 200
MAX_SQL_CHARS = 20_000

# --------------------------------------------------------------------------------------------------------------
# Allow-lists, written as SQL. The node types sqlglot builds for these examples are what the guard accepts.
# --------------------------------------------------------------------------------------------------------------

# Function name -> example calls (several when the name has more than one syntax or sqlglot maps arities apart).
_FUNCTION_EXAMPLES: dict[str, tuple[str, ...]] = {
    # aggregates
    "count": ("count(*)", "count(DISTINCT x)", "count(x)"),
    "sum": ("sum(x)",),
    "avg": ("avg(x)",),
    "min": ("min(x)",),
    "max": ("max(x)",),
    "stddev": ("stddev(x)",),
    "stddev_pop": ("stddev_pop(x)",),
    "stddev_samp": ("stddev_samp(x)",),
    "variance": ("variance(x)",),
    "var_pop": ("var_pop(x)",),
    "var_samp": ("var_samp(x)",),
    "bool_and": ("bool_and(x)",),
    "bool_or": ("bool_or(x)",),
    "string_agg": ("string_agg(x, ',')", "string_agg(x, ',' ORDER BY x)"),
    "array_agg": ("array_agg(x)", "array_agg(x ORDER BY x)"),
    "percentile_cont": ("percentile_cont(0.5) WITHIN GROUP (ORDER BY x)",),
    "percentile_disc": ("percentile_disc(0.5) WITHIN GROUP (ORDER BY x)",),
    "mode": ("mode() WITHIN GROUP (ORDER BY x)",),
    "corr": ("corr(x, y)",),
    "covar_pop": ("covar_pop(x, y)",),
    "covar_samp": ("covar_samp(x, y)",),
    "grouping": ("grouping(x)",),
    # numbers and conditionals
    "round": ("round(x)", "round(x, 2)"),
    "abs": ("abs(x)",),
    "ceil": ("ceil(x)",),
    "ceiling": ("ceiling(x)",),
    "floor": ("floor(x)",),
    "trunc": ("trunc(x)", "trunc(x, 1)"),
    "sign": ("sign(x)",),
    "sqrt": ("sqrt(x)",),
    "power": ("power(x, 2)",),
    "mod": ("mod(x, 2)",),
    "ln": ("ln(x)",),
    "log": ("log(x)",),
    "exp": ("exp(x)",),
    "coalesce": ("coalesce(x, 0)",),
    "nullif": ("nullif(x, 0)",),
    "greatest": ("greatest(x, y)",),
    "least": ("least(x, y)",),
    # dates and times
    "date_trunc": ("date_trunc('month', x)",),
    "date_part": ("date_part('year', x)",),
    "extract": ("extract(year FROM x)",),
    "to_char": ("to_char(x, 'YYYY-MM')",),
    "to_date": ("to_date(x, 'YYYY-MM-DD')",),
    "to_timestamp": ("to_timestamp(x, 'YYYY-MM-DD')", "to_timestamp(x)"),
    "now": ("now()",),
    "current_date": ("current_date",),
    "current_timestamp": ("current_timestamp",),
    "make_date": ("make_date(2024, 1, 1)",),
    "make_interval": ("make_interval(days => 3)", "make_interval(0, 1)"),
    "age": ("age(x)", "age(x, y)"),
    # text
    "lower": ("lower(x)",),
    "upper": ("upper(x)",),
    "initcap": ("initcap(x)",),
    "trim": ("trim(x)", "trim(BOTH ' ' FROM x)", "trim(LEADING '0' FROM x)"),
    "btrim": ("btrim(x)", "btrim(x, 'a')"),
    "ltrim": ("ltrim(x)", "ltrim(x, 'a')"),
    "rtrim": ("rtrim(x)", "rtrim(x, 'a')"),
    "length": ("length(x)",),
    "char_length": ("char_length(x)",),
    "concat": ("concat(x, y)",),
    "concat_ws": ("concat_ws(',', x, y)",),
    "substring": ("substring(x, 1, 2)", "substring(x FROM 1 FOR 2)", "substring(x FROM 2)"),
    "substr": ("substr(x, 1, 2)",),
    "replace": ("replace(x, 'a', 'b')",),
    "split_part": ("split_part(x, ',', 1)",),
    "left": ("left(x, 2)",),
    "right": ("right(x, 2)",),
    "lpad": ("lpad(x, 3, '0')",),
    "rpad": ("rpad(x, 3, '0')",),
    "position": ("position('a' IN x)",),
    "strpos": ("strpos(x, 'a')",),
    # window functions
    "row_number": ("row_number() OVER (ORDER BY x)",),
    "rank": ("rank() OVER (ORDER BY x)",),
    "dense_rank": ("dense_rank() OVER (ORDER BY x)",),
    "percent_rank": ("percent_rank() OVER (ORDER BY x)",),
    "cume_dist": ("cume_dist() OVER (ORDER BY x)",),
    "ntile": ("ntile(4) OVER (ORDER BY x)",),
    "lag": ("lag(x) OVER (ORDER BY x)", "lag(x, 1, 0) OVER (ORDER BY x)"),
    "lead": ("lead(x) OVER (ORDER BY x)", "lead(x, 1, 0) OVER (ORDER BY x)"),
    "first_value": ("first_value(x) OVER (ORDER BY x)",),
    "last_value": ("last_value(x) OVER (ORDER BY x)",),
    "nth_value": ("nth_value(x, 2) OVER (ORDER BY x)",),
}
ALLOWED_FUNCTIONS: frozenset[str] = frozenset(_FUNCTION_EXAMPLES)

# The only table function, and only as a FROM item (e.g. to fill months that had no sales).
_TABLE_FUNCTION_EXAMPLES = (
    "SELECT g FROM generate_series(1, 10) AS g",
    "SELECT m FROM generate_series(DATE '2024-01-01', DATE '2024-12-01', INTERVAL '1 month') AS m(m)",
)

# Types a value may be cast to (CAST(x AS t), x::t, typed literals such as DATE '2024-01-01').
_CAST_TYPES = (
    "smallint", "integer", "int", "bigint", "numeric", "numeric(12, 2)", "decimal", "real", "double precision",
    "float", "text", "varchar", "varchar(20)", "character varying", "char", "char(3)", "boolean", "date", "time",
    "timestamp", "timestamptz", "timestamp with time zone", "interval", "uuid", "int[]", "text[]", "date[]",
)  # fmt: skip

# Syntax that is not a named function: joins, subqueries, CTEs, set operations, operators, CASE, casts, windows...
_SYNTAX_EXAMPLES = (
    "SELECT DISTINCT a, b AS c, t.*, * FROM sales AS t WHERE a = 1 AND b <> 2 OR NOT c IS NULL",
    "SELECT DISTINCT ON (a) a FROM sales ORDER BY a ASC NULLS FIRST, b DESC NULLS LAST LIMIT 5 OFFSET 10",
    "SELECT a FROM sales OFFSET 2 ROWS FETCH FIRST 5 ROWS ONLY",
    "SELECT a FROM sales s JOIN stores st ON s.x = st.x LEFT JOIN stock k USING (sku) RIGHT JOIN products p ON TRUE"
    " FULL OUTER JOIN stores z ON FALSE CROSS JOIN stock c NATURAL JOIN products n",
    "SELECT a FROM sales, stores WHERE a IN (1, 2) AND b NOT IN (SELECT b FROM stock) AND EXISTS (SELECT 1)",
    "SELECT a FROM sales WHERE a = ANY (SELECT b FROM stock) AND a > ALL (SELECT b FROM stock)"
    " AND a = ANY (ARRAY[1, 2]) AND a BETWEEN 1 AND 2 AND a NOT BETWEEN 3 AND 4",
    "SELECT a FROM sales WHERE a LIKE 'x%' AND a ILIKE 'x%' AND a NOT LIKE 'y' AND a SIMILAR TO 'z'"
    " AND a ~ 'r' AND a ~* 'r' AND a !~ 'r' AND a !~* 'r' AND a LIKE 'a!%' ESCAPE '!'",
    "SELECT a IS TRUE, a IS NOT FALSE, a IS NOT NULL, a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b FROM sales",
    "SELECT a + 1, a - 1, a * 2, a / 2, a % 2, a ^ 2, -a, (a + b) * c, a || 'x', a < b, a <= b, a > b, a >= b,"
    " a != b FROM sales",
    "SELECT 1, 1.5, 'text', 'it''s', $$dollar$$, E'esc\\n', TRUE, FALSE, NULL",
    "SELECT CASE WHEN a > 1 THEN 'x' WHEN a < 0 THEN 'y' ELSE 'z' END, CASE a WHEN 1 THEN 'one' END FROM sales",
    "SELECT CAST(a AS integer), a::numeric, DATE '2024-01-01', TIMESTAMP '2024-01-01 00:00', INTERVAL '1 day',"
    " a + INTERVAL '30 days', a AT TIME ZONE 'UTC', a COLLATE \"C\" FROM sales",
    "SELECT ARRAY[1, 2], ARRAY(SELECT 1), (array_agg(a))[1], (a, b) = (1, 2) FROM sales",
    "SELECT a, count(*) FROM sales GROUP BY a HAVING count(*) > 1",
    "SELECT a, sum(b) FROM sales GROUP BY ROLLUP (a), CUBE (b), GROUPING SETS ((a), (b), ())",
    "SELECT count(*) FILTER (WHERE a > 1), sum(b) OVER (PARTITION BY a ORDER BY c"
    " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), sum(b) OVER w FROM sales"
    " WINDOW w AS (PARTITION BY a ORDER BY c RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING)",
    "WITH a AS (SELECT 1 AS x), b(y) AS (SELECT x FROM a) SELECT * FROM a, b",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r",
    "SELECT 1 UNION SELECT 2 UNION ALL SELECT 3 INTERSECT SELECT 4 EXCEPT SELECT 5 EXCEPT ALL SELECT 6",
    "(SELECT 1) UNION (SELECT 2) ORDER BY 1 LIMIT 1",
    "SELECT * FROM (SELECT a FROM sales) AS s(a), LATERAL (SELECT s.a) AS l, (VALUES (1, 'a'), (2, 'b')) AS v(i, n)",
    "SELECT (SELECT max(a) FROM sales) AS m, a FROM sales WHERE a = (SELECT min(a) FROM stock)",
    "SELECT * FROM ONLY sales",
    "SELECT a FROM public.sales",
)

# --------------------------------------------------------------------------------------------------------------


class SQLRejected(Exception):
    """The SQL is not allowed; ``reason`` is a user-facing message that names the offending part."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True)
class ValidatedSQL:
    """A query that passed the guard: canonical postgres SQL with ``LIMIT limit`` (≤ max_rows) on the outside."""

    sql: str
    relations: tuple[str, ...]  # allow-listed relations the query reads, sorted, CTE names excluded
    limit: int


# Statement-level node types, named for messages. Any node type not derived from the examples is rejected anyway;
# this table only makes the message say "DELETE" instead of "unsupported construct".
_STATEMENT_NAMES: dict[type[exp.Expr], str] = {
    exp.Delete: "DELETE", exp.Update: "UPDATE", exp.Insert: "INSERT", exp.Merge: "MERGE", exp.Copy: "COPY",
    exp.Create: "CREATE", exp.Drop: "DROP", exp.Alter: "ALTER", exp.TruncateTable: "TRUNCATE",
    exp.Grant: "GRANT", exp.Revoke: "REVOKE", exp.Set: "SET", exp.Transaction: "BEGIN", exp.Commit: "COMMIT",
    exp.Rollback: "ROLLBACK", exp.Analyze: "ANALYZE", exp.Comment: "COMMENT", exp.Describe: "DESCRIBE",
    exp.Use: "USE", exp.Pragma: "PRAGMA", exp.Show: "SHOW", exp.Values: "VALUES", exp.LoadData: "LOAD DATA",
    exp.Cache: "CACHE", exp.Uncache: "UNCACHE", exp.Refresh: "REFRESH", exp.Kill: "KILL", exp.Execute: "EXECUTE",
    exp.Declare: "DECLARE",
}  # fmt: skip
_STATEMENT_MODULES = ("sqlglot.expressions.ddl", "sqlglot.expressions.dml")
# Never allowed, whatever the examples contain.
_NEVER: tuple[type[exp.Expr], ...] = (
    exp.Anonymous, exp.AnonymousAggFunc, exp.Dot, exp.Parameter, exp.Placeholder, exp.SessionParameter,
    exp.Command, exp.Into, exp.Lock, exp.Returning, exp.ObjectIdentifier,
)  # fmt: skip


def _node_types(sql: str) -> set[type[exp.Expr]]:
    return {type(node) for node in sqlglot.parse_one(sql, read=DIALECT).walk()}


def _build_allow_lists() -> tuple[frozenset[type[exp.Expr]], frozenset[type[exp.Expr]], frozenset[object], str]:
    allowed: set[type[exp.Expr]] = set()
    for sql in _SYNTAX_EXAMPLES:
        allowed |= _node_types(sql)
    for calls in _FUNCTION_EXAMPLES.values():
        for call in calls:
            allowed |= _node_types(f"SELECT {call} FROM sales")
    dtypes: set[object] = set()
    for type_sql in _CAST_TYPES:
        tree = sqlglot.parse_one(f"SELECT CAST(x AS {type_sql})", read=DIALECT)
        for node in tree.find_all(exp.DataType):
            dtypes.add(node.this)
            allowed.add(type(node))
        allowed |= {type(node) for node in tree.walk()}
    table_functions: set[type[exp.Expr]] = set()
    for sql in _TABLE_FUNCTION_EXAMPLES:
        for table in sqlglot.parse_one(sql, read=DIALECT).find_all(exp.Table):
            if isinstance(table.this, exp.Func):
                table_functions.add(type(table.this))
        allowed |= {t for t in _node_types(sql) if not issubclass(t, exp.Func)}
    allowed -= table_functions
    # VALUES is a statement at the top (rejected there) but a fine FROM item, so it stays in the set.
    allowed = {t for t in allowed if not issubclass(t, _NEVER) and (t is exp.Values or t not in _STATEMENT_NAMES)}
    allowed = {t for t in allowed if t.__module__ not in _STATEMENT_MODULES}
    cast_names = ", ".join(sorted({t.split("(")[0] for t in _CAST_TYPES if "[" not in t}))
    return frozenset(allowed), frozenset(table_functions), frozenset(dtypes), cast_names


_ALLOWED_NODE_TYPES, _TABLE_FUNCTION_TYPES, _ALLOWED_DTYPES, _CAST_TYPE_NAMES = _build_allow_lists()
ALLOWED_CAST_TYPES: tuple[str, ...] = _CAST_TYPES
_FUNCTION_LIST = ", ".join(sorted(ALLOWED_FUNCTIONS))
# SQL-standard functions called without parentheses that sqlglot reads as plain column names.
_KEYWORD_FUNCTIONS = frozenset(
    {"user", "current_user", "current_role", "session_user", "system_user", "current_catalog"}
)
_WORD = re.compile(r'^\s*"?([A-Za-z_][A-Za-z0-9_$]*)"?\s*(?:\(|$)')


def _ident(node: exp.Expr | str | None) -> str:
    """The name PostgreSQL sees: unquoted identifiers fold to lower case, quoted ones are exact."""
    if node is None:
        return ""
    if isinstance(node, str):
        return node.lower()
    if isinstance(node, exp.Identifier):
        return node.this if node.quoted else node.this.lower()
    return node.name.lower()


def _snippet(node: exp.Expr, width: int = 80) -> str:
    try:
        text = node.sql(dialect=DIALECT, comments=False)
    except Exception:  # noqa: BLE001 - a message helper must not fail
        text = type(node).__name__
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _function_name(node: exp.Expr) -> str:
    if isinstance(node, (exp.Anonymous, exp.AnonymousAggFunc)):
        this = node.this
        return this.this if isinstance(this, exp.Identifier) and this.quoted else _ident(this)
    match = _WORD.match(_snippet(node, 200))
    if match:
        return match.group(1).lower()
    return node.sql_name().lower() if isinstance(node, exp.Func) else type(node).__name__.lower()


def _is_keyword_function(column: exp.Column) -> bool:
    """An unqualified, unquoted ``user``/``current_role``/... is a function call in PostgreSQL, not a column."""
    this = column.this
    return (
        not column.table
        and isinstance(this, exp.Identifier)
        and not this.quoted
        and this.this.lower() in _KEYWORD_FUNCTIONS
    )


def _statement_name(node: exp.Expr) -> str | None:
    for cls, name in _STATEMENT_NAMES.items():
        if isinstance(node, cls):
            return name
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    if type(node).__module__ in _STATEMENT_MODULES and not isinstance(node, exp.Func):
        return node.key.upper()
    return None


class _Checker:
    """Walks one parsed statement and raises SQLRejected at the first node that is not allowed."""

    def __init__(self, allowed_relations: frozenset[str]) -> None:
        self.allowed_relations = allowed_relations
        self.allowed_text = ", ".join(sorted(allowed_relations))
        self.relations: set[str] = set()

    def check(self, root: exp.Expr) -> None:
        inner = root
        while isinstance(inner, exp.Subquery):
            inner = inner.this
        if not isinstance(inner, (exp.Select, exp.SetOperation)):
            name = _statement_name(inner) or (_snippet(inner, 40).split() or ["?"])[0].upper()
            raise SQLRejected(f"only a single SELECT query is allowed, got {name}")
        for node in root.walk():
            self._check_node(node)

    def _check_node(self, node: exp.Expr) -> None:
        name = _statement_name(node)
        if name is not None and not (name == "VALUES" and node.parent is not None):
            where = " inside a WITH clause" if node.find_ancestor(exp.CTE) else " inside the query"
            raise SQLRejected(f"{name} is not allowed{where}: only SELECT queries can run")
        if isinstance(node, exp.Into):
            raise SQLRejected(f'SELECT ... INTO is not allowed ("{_snippet(node)}"): the SQL tool cannot create tables')
        if isinstance(node, exp.Lock):
            raise SQLRejected(f'locking clause "{_snippet(node)}" is not allowed: the SQL tool only reads')
        if isinstance(node, exp.Table):
            self._check_table(node)
        elif isinstance(node, exp.Dot) and isinstance(node.expression, exp.Func):
            prefix = _snippet(node.this, 60).replace('"', "")
            qualified = f"{prefix}.{_function_name(node.expression)}"
            raise SQLRejected(
                f'schema-qualified function "{qualified}" is not allowed; call allowed functions unqualified'
            )
        elif isinstance(node, exp.Func):
            self._check_function(node)
        elif isinstance(node, (exp.DataType, exp.ObjectIdentifier)):
            self._check_type(node)
        elif isinstance(node, exp.Column) and _is_keyword_function(node):
            raise SQLRejected(f'function "{node.name.lower()}" is not allowed (allowed functions: {_FUNCTION_LIST})')
        elif isinstance(node, exp.Parameter | exp.Placeholder):
            raise SQLRejected(f'parameter "{_snippet(node)}" is not allowed: write literal values')
        elif type(node) not in _ALLOWED_NODE_TYPES:
            raise SQLRejected(f'unsupported SQL construct "{_snippet(node)}"')

    def _check_table(self, table: exp.Table) -> None:
        if table.args.get("rows_from"):
            raise SQLRejected(f'"{_snippet(table)}": ROWS FROM (...) is not allowed')
        this = table.this
        if isinstance(this, exp.Func):
            prefix = [_ident(p) for p in (table.args.get("catalog"), table.args.get("db")) if p is not None]
            if prefix:  # FROM evil.generate_series(...) would call a function of another schema
                qualified = ".".join([*prefix, _function_name(this)])
                raise SQLRejected(
                    f'schema-qualified function "{qualified}" is not allowed; call allowed functions unqualified'
                )
            if type(this) not in _TABLE_FUNCTION_TYPES:
                raise SQLRejected(
                    f'table function "{_function_name(this)}" is not allowed in FROM (only generate_series)'
                )
            return
        if not isinstance(this, exp.Identifier):
            raise SQLRejected(f'unsupported FROM item "{_snippet(table)}"')
        schema = table.args.get("db")
        display = ".".join(_ident(part) for part in (table.args.get("catalog"), schema, this) if part is not None)
        name = _ident(this)
        if table.args.get("catalog") is not None or (schema is not None and _ident(schema) != "public"):
            raise SQLRejected(f'relation "{display}" is not allowed (allowed: {self.allowed_text}, schema public only)')
        if schema is None and _is_cte_reference(table, name):
            return
        if name not in self.allowed_relations:
            raise SQLRejected(f'relation "{display}" is not allowed (allowed: {self.allowed_text})')
        if table.args.get("sample") is not None:
            raise SQLRejected(f'unsupported FROM item "{_snippet(table)}"')
        self.relations.add(name)

    def _check_function(self, func: exp.Func) -> None:
        if isinstance(func, (exp.Anonymous, exp.AnonymousAggFunc)):
            if _function_name(func) in ALLOWED_FUNCTIONS:
                return
            if isinstance(func.this, str) and func.this.upper() == "ALL":  # x <> ALL (ARRAY[...]): syntax, not a call
                return
        elif type(func) in _TABLE_FUNCTION_TYPES:
            if isinstance(func.parent, (exp.Table, exp.Lateral)) and func.arg_key == "this":
                return
            raise SQLRejected(f'function "{_function_name(func)}" is only allowed as a FROM item')
        elif type(func) in _ALLOWED_NODE_TYPES:
            return
        name = _function_name(func)
        if _WORD.match(_snippet(func, 200)) is None and not isinstance(func, exp.Anonymous | exp.AnonymousAggFunc):
            raise SQLRejected(f'operator or construct "{_snippet(func)}" is not allowed')
        raise SQLRejected(f'function "{name}" is not allowed (allowed functions: {_FUNCTION_LIST})')

    def _check_type(self, node: exp.Expr) -> None:
        if isinstance(node, exp.DataType) and node.this in _ALLOWED_DTYPES:
            return
        raise SQLRejected(f'type "{_snippet(node).lower()}" is not allowed (allowed types: {_CAST_TYPE_NAMES})')


def _cte_name(cte: exp.Expr) -> str:
    alias = cte.args.get("alias")
    return _ident(alias.this) if isinstance(alias, exp.TableAlias) else _ident(cte.alias)


def _is_cte_reference(table: exp.Table, name: str) -> bool:
    """Does unqualified ``name`` at ``table`` resolve to a CTE in scope (PostgreSQL's rules), not a real relation?

    Inner WITH clauses shadow outer ones; inside a non-recursive WITH a CTE sees only the CTEs listed before it
    (so ``WITH users AS (SELECT * FROM users)`` reads the real ``users`` table), a WITH RECURSIVE one sees all.
    """
    child: exp.Expr = table
    node = table.parent
    while node is not None:
        if isinstance(node, exp.With):
            ctes = list(node.expressions)
            index = next((i for i, cte in enumerate(ctes) if cte is child), len(ctes))
            visible = ctes if node.args.get("recursive") else ctes[:index]
            if name in {_cte_name(cte) for cte in visible}:
                return True
            owner = node.parent  # the query that owns this WITH: its other CTEs are not in scope from here
            if owner is None:
                return False
            child, node = owner, owner.parent
            continue
        with_ = node.args.get("with_")
        if isinstance(with_, exp.With) and with_ is not child:
            if name in {_cte_name(cte) for cte in with_.expressions}:
                return True
        child, node = node, node.parent
    return False


def _limit_value(node: exp.Expr | None) -> int | None:
    """The row count of a LIMIT/FETCH if it is a plain non-negative integer literal, else None."""
    if isinstance(node, exp.Limit):
        value = node.expression
    elif isinstance(node, exp.Fetch):
        value = node.args.get("count")
        if value is None:
            return 1  # FETCH FIRST ROW ONLY
    else:
        return None
    if isinstance(value, exp.Literal) and not value.is_string and value.is_int:
        count = int(value.this)
        return count if count >= 0 else None
    return None


def _enforce_limit(root: exp.Expr, max_rows: int) -> int:
    current = root.args.get("limit")
    value = _limit_value(current)
    if isinstance(current, exp.Limit) and value is not None and value <= max_rows:
        return value
    limit = max_rows if value is None else min(value, max_rows)
    root.set("limit", exp.Limit(expression=exp.Literal.number(limit)))
    return limit


def _parse_one(sql: str) -> exp.Expr:
    try:
        # None: an empty statement (";;"); Semicolon: only a comment after the last ";".
        parsed = sqlglot.parse(sql, read=DIALECT)
        statements = [s for s in parsed if s is not None and not isinstance(s, exp.Semicolon)]
    except ParseError as error:
        detail = error.errors[0] if error.errors else {}
        description = str(detail.get("description") or "invalid syntax").strip()
        where = ""
        if detail.get("line") is not None:
            near = str(detail.get("highlight") or "").strip()[:40]
            where = f" at line {detail['line']}, column {detail.get('col')}" + (f' near "{near}"' if near else "")
        raise SQLRejected(f"could not parse the SQL: {description}{where}") from None
    except TokenError as error:
        raise SQLRejected(f"could not parse the SQL: {str(error).splitlines()[0][:120]}") from None
    except RecursionError:
        raise SQLRejected("could not parse the SQL: it is nested too deeply") from None
    except Exception as error:  # noqa: BLE001 - any parser failure is the model's SQL, not a crash
        raise SQLRejected(f"could not parse the SQL ({type(error).__name__})") from None
    if not statements:
        raise SQLRejected("the SQL is empty: write one SELECT query")
    if len(statements) > 1:
        raise SQLRejected(f"only one statement is allowed, found {len(statements)} (separated by ';')")
    return statements[0]


def _generate(root: exp.Expr) -> str:
    return root.sql(dialect=DIALECT, comments=False, normalize_functions=False)


def validate_sql(
    sql: str, *, allowed_relations: frozenset[str] = READER_RELATIONS, max_rows: int = DEFAULT_MAX_ROWS
) -> ValidatedSQL:
    """Check model-written SQL; return it normalized with a LIMIT of at most ``max_rows``, or raise SQLRejected."""
    if max_rows < 1:
        raise ValueError("max_rows must be at least 1")
    if not isinstance(sql, str):
        raise SQLRejected("the SQL must be text")
    if len(sql) > MAX_SQL_CHARS:
        raise SQLRejected(f"the SQL is too long ({len(sql)} characters, at most {MAX_SQL_CHARS})")
    checker = _Checker(allowed_relations)
    root = _parse_one(sql)
    try:
        checker.check(root)
        limit = _enforce_limit(root, max_rows)
        normalized = _generate(root)
        # What runs is the generated text: parse and check it again, and require a fixed point.
        again = _parse_one(normalized)
        checker = _Checker(allowed_relations)  # report what the final text reads (a replaced LIMIT may drop some)
        checker.check(again)
        if _limit_value(again.args.get("limit")) != limit or _generate(again) != normalized:
            raise SQLRejected("the query could not be normalized safely; please simplify it")
    except SQLRejected:
        raise
    except RecursionError:
        raise SQLRejected("the query is nested too deeply") from None
    except Exception as error:  # noqa: BLE001 - never leak a stack trace for model-written SQL
        raise SQLRejected(f"the query could not be checked ({type(error).__name__}); please simplify it") from None
    return ValidatedSQL(sql=normalized, relations=tuple(sorted(checker.relations)), limit=limit)
