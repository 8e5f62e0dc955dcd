"""CSV import of tenant business data: validate every row, then one all-or-nothing COPY + upsert per file."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from config import get_settings
from config.errors import UserError
from config.secrets import get_or_create_secret
from db.session import tenant_session
from safety.deid import deidentify_patient

MAX_REPORTED = 50
CATEGORIES = ("frames", "lenses", "contact_lenses", "sunglasses", "accessories", "services")
LENS_TYPES = ("single_vision", "bifocal", "progressive", "occupational", "reading", "contact_lenses")


class FieldError(ValueError):
    """One field failed to parse; the message says why (without the raw value when it is an identifier)."""


@dataclass(frozen=True)
class Issue:
    source: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class ImportFailed(UserError, ValueError):
    """The file was rejected; nothing was written. `issues` lists what and where."""

    def __init__(self, issues: list[Issue], total: int | None = None):
        self.issues = issues
        self.total = total if total is not None else len(issues)
        more = f"\n... and {self.total - len(issues)} more" if self.total > len(issues) else ""
        super().__init__(
            f"import rejected, nothing was imported ({self.total} problem(s)):\n"
            + "\n".join(f"  {i}" for i in issues)
            + more
        )


@dataclass(frozen=True)
class ImportResult:
    table: str
    source: str
    rows: int
    table_rows_after: int


# ---- field parsers -------------------------------------------------------------------------------------------

def _show(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:37] + "...")


def text(value: str) -> str:
    value = value.strip()
    if not value:
        raise FieldError("is empty")
    if len(value) > 200:
        raise FieldError(f"is longer than 200 characters ({len(value)})")
    return value


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise FieldError(f"is not a date in YYYY-MM-DD form: {_show(value)}") from None


def _int(value: str, minimum: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise FieldError(f"is not a whole number: {_show(value)}") from None
    if number < minimum:
        kind = "negative" if number < 0 else "below the minimum"
        raise FieldError(f"must be >= {minimum}, got {number} ({kind})")
    return number


def positive_int(value: str) -> int:
    return _int(value, 1)


def non_negative_int(value: str) -> int:
    return _int(value, 0)


_MONEY_MAX = Decimal("1e10")
_ZERO = Decimal(0)


def money(value: str) -> Decimal:
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        raise FieldError(f"is not a number: {_show(value)}") from None
    if not amount.is_finite():
        raise FieldError(f"is not a finite number: {_show(value)}")
    if amount < _ZERO:
        raise FieldError(f"must not be negative, got {amount}")
    if amount >= _MONEY_MAX:
        raise FieldError(f"is too large: {amount}")
    return amount


def optional(parser: Callable[[str], Any], default: Any = None) -> Callable[[str], Any]:
    def parse(value: str) -> Any:
        return default if not value.strip() else parser(value)

    return parse


def one_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        v = value.strip().lower()
        if v not in choices:
            raise FieldError(f"{_show(value)} is not one of: {', '.join(choices)}")
        return v

    return parse


def diopters(limit: float) -> Callable[[str], Decimal | None]:
    def parse(value: str) -> Decimal | None:
        if not value.strip():
            return None
        try:
            d = Decimal(value.strip())
        except InvalidOperation:
            raise FieldError(f"is not a number: {_show(value)}") from None
        if not d.is_finite() or abs(d) > Decimal(str(limit)):
            raise FieldError(f"must be between -{limit} and +{limit} diopters, got {_show(value)}")
        return d.quantize(Decimal("0.01"))

    return parse


def us_state(value: str) -> str:
    v = value.strip().upper()
    if len(v) != 2 or not v.isalpha():
        raise FieldError(f"must be a 2-letter state code, got {_show(value)}")
    return v


def zip5(value: str) -> str:
    v = value.strip().split("-")[0]
    if len(v) != 5 or not v.isdigit():
        raise FieldError("must be a 5-digit ZIP code")
    return v


# ---- table specs ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Col:
    name: str
    parse: Callable[[str], Any]
    identifier: bool = False  # raw personal data: never echoed in messages, never stored


@dataclass(frozen=True)
class TableSpec:
    table: str
    columns: tuple[Col, ...]
    key: tuple[str, ...]  # natural key (without tenant_id): upsert target and duplicate check
    refs: dict[str, str] = field(default_factory=dict)  # column -> table whose key it must exist in
    stored: tuple[str, ...] = ()  # columns written to the table (default: the CSV columns)
    transform: Callable[[dict[str, Any], str], dict[str, Any]] | None = None

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def stored_columns(self) -> tuple[str, ...]:
        return self.stored or self.header


def _deidentify(row: dict[str, Any], tenant_id: str) -> dict[str, Any]:
    secret = get_or_create_secret("deid_key", get_settings().deid_key).encode()
    p = deidentify_patient(
        secret=secret,
        tenant_id=tenant_id,
        patient_id=row["patient_id"],
        date_of_birth=row["date_of_birth"],
        state=row["state"],
        zip_code=row["zip"],
        last_exam_date=row["last_exam_date"],
        lens_type=row["lens_type"],
        sphere_od=row["sphere_od"],
        sphere_os=row["sphere_os"],
        cylinder_od=row["cylinder_od"],
        cylinder_os=row["cylinder_os"],
    )
    return {
        "patient_key": p.patient_key, "age_band": p.age_band, "state": p.state, "zip3": p.zip3,
        "last_exam_year": p.last_exam_year, "sphere_od": p.sphere_od, "sphere_os": p.sphere_os,
        "cylinder_od": p.cylinder_od, "cylinder_os": p.cylinder_os, "lens_type": p.lens_type,
    }


def _past_date(value: str) -> date:
    d = iso_date(value)
    if d > date.today():
        raise FieldError("is in the future")
    return d


def _birth_date(value: str) -> date:
    try:
        return _past_date(value)
    except FieldError as exc:  # the value itself is identifying: never echo it
        raise FieldError("is not a valid past date in YYYY-MM-DD form (value withheld)") from exc


def _identifier_text(value: str) -> str:
    if not value.strip():
        raise FieldError("is empty")
    return value.strip()


SPECS: dict[str, TableSpec] = {
    "stores": TableSpec(
        "stores",
        (Col("store_code", text), Col("name", text), Col("city", text), Col("state", us_state)),
        key=("store_code",),
    ),
    "products": TableSpec(
        "products",
        (Col("sku", text), Col("name", text), Col("category", one_of(CATEGORIES)), Col("brand", text),
         Col("unit_price", money)),
        key=("sku",),
    ),
    "sales": TableSpec(
        "sales",
        (Col("order_id", text), Col("sold_at", iso_date), Col("store_code", text), Col("sku", text),
         Col("quantity", positive_int), Col("unit_price", money), Col("discount", optional(money, Decimal("0.00")))),
        key=("order_id", "sku"),
        refs={"store_code": "stores", "sku": "products"},
    ),
    "stock": TableSpec(
        "stock",
        (Col("store_code", text), Col("sku", text), Col("on_hand", non_negative_int),
         Col("reorder_point", non_negative_int), Col("as_of", iso_date)),
        key=("store_code", "sku"),
        refs={"store_code": "stores", "sku": "products"},
    ),
    "patients": TableSpec(
        "patients",
        (Col("patient_id", _identifier_text, True), Col("first_name", _identifier_text, True),
         Col("last_name", _identifier_text, True), Col("date_of_birth", _birth_date, True),
         Col("email", str, True), Col("phone", str, True), Col("street", str, True), Col("city", str, True),
         Col("state", us_state), Col("zip", zip5, True), Col("last_exam_date", optional(_past_date)),
         Col("sphere_od", diopters(30)), Col("sphere_os", diopters(30)), Col("cylinder_od", diopters(10)),
         Col("cylinder_os", diopters(10)), Col("lens_type", one_of(LENS_TYPES))),
        key=("patient_key",),
        stored=("patient_key", "age_band", "state", "zip3", "last_exam_year", "sphere_od", "sphere_os",
                "cylinder_od", "cylinder_os", "lens_type"),
        transform=_deidentify,
    ),
}

REF_KEY = {"stores": "store_code", "products": "sku"}


# ---- reading -------------------------------------------------------------------------------------------------

Row = tuple[int, list[str]]  # (line number, values in the spec's column order)


def read_csv(path: Path, spec: TableSpec) -> Iterator[Row]:
    """Yield (line number, row) from a CSV file whose header must hold exactly the spec's columns."""
    source = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailed([Issue(str(path), None, None, f"cannot read file: {exc.strerror}")]) from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed([Issue(source, None, None, f"is not UTF-8 text (byte {exc.start})")]) from None
    return iter_rows(io.StringIO(content, newline=""), spec, source)


def iter_rows(stream: Iterable[str], spec: TableSpec, source: str) -> Iterator[Row]:
    reader = csv.reader(stream)
    header = next(reader, None)
    if header is None:
        raise ImportFailed([Issue(source, 1, None, "file is empty: a header row is required")])
    header = [h.strip() for h in header]
    expected = spec.header
    missing = [c for c in expected if c not in header]
    unknown = [c for c in header if c not in expected]
    if missing or unknown or len(header) != len(set(header)):
        parts = []
        if missing:
            parts.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s): {', '.join(unknown)}")
        if len(header) != len(set(header)):
            parts.append("repeated column names")
        raise ImportFailed([Issue(source, 1, None, "bad header row: " + "; ".join(parts)
                                  + f" (expected: {','.join(expected)})")])
    index = [header.index(c) for c in expected]
    in_order = index == list(range(len(expected)))

    def rows() -> Iterator[Row]:
        for values in reader:
            line = reader.line_num
            if not values or (len(values) == 1 and not values[0].strip()):
                continue  # blank line
            if len(values) != len(index):
                yield line, values  # wrong width: reported by the validator
            else:
                yield line, values if in_order else [values[i] for i in index]

    return rows()


def dict_rows(records: Iterable[dict[str, str]], spec: TableSpec) -> Iterator[Row]:
    """Rows given as dicts (the demo generator), numbered as if line 1 were the header."""
    names = spec.header
    for i, record in enumerate(records):
        yield i + 2, [record.get(n, "") for n in names]


# ---- validation + load ---------------------------------------------------------------------------------------

def _existing_keys(conn: sa.Connection, table: str) -> set[str]:
    col = REF_KEY[table]
    # FOR KEY SHARE: the referenced rows cannot be deleted or re-keyed until this import commits.
    return {r[0] for r in conn.execute(sa.text(f"SELECT {col} FROM {table} FOR KEY SHARE"))}


class _Report:
    """Problems found while streaming rows; raised as ImportFailed once the whole file was read."""

    def __init__(self, source: str):
        self.source = source
        self.issues: list[Issue] = []
        self.total = 0
        self.good = 0

    def add(self, line: int | None, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.issues) < MAX_REPORTED:
            self.issues.append(Issue(self.source, line, column, message))

    def raise_if_bad(self) -> None:
        if self.total:
            raise ImportFailed(self.issues, self.total)
        if not self.good:
            raise ImportFailed([Issue(self.source, None, None, "no data rows after the header")])


def _records(
    conn: sa.Connection, spec: TableSpec, rows: Iterable[Row], report: _Report, tenant_id: str
) -> Iterator[tuple[Any, ...]]:
    """Parse and check each row; yield the stored tuple of every good row while no problem has been found.

    The referenced keys are read now, before the caller starts COPY on the same connection.
    """
    refs = {col: _existing_keys(conn, table) for col, table in spec.refs.items()}
    return _checked(spec, rows, report, tenant_id, refs)


def _checked(
    spec: TableSpec, rows: Iterable[Row], report: _Report, tenant_id: str, refs: dict[str, set[str]]
) -> Iterator[tuple[Any, ...]]:
    names = spec.header
    parsers = [c.parse for c in spec.columns]
    width = len(parsers)
    ref_checks = [(names.index(col), refs[col], "store" if table == "stores" else "sku", table)
                  for col, table in spec.refs.items()]
    key_idx = [names.index(k) for k in spec.key] if spec.transform is None else None
    line_total = [names.index(c) for c in ("quantity", "unit_price", "discount")] if spec.table == "sales" else None
    stored = spec.stored_columns
    out_idx = [names.index(c) for c in stored] if spec.transform is None else None
    seen: dict[Any, int] = {}
    problem = report.add

    for line, raw in rows:
        if len(raw) != width:
            problem(line, None, f"has {len(raw)} fields, the header has {width}")
            continue
        try:  # fast path: every field parses
            values = [parse(v) for parse, v in zip(parsers, raw, strict=True)]
        except FieldError:  # slow path: name each bad column
            for name, parse, v in zip(names, parsers, raw, strict=True):
                try:
                    parse(v)
                except FieldError as exc:
                    problem(line, name, str(exc))
            continue
        bad_ref = False
        for idx, known, what, table in ref_checks:
            if values[idx] not in known:
                problem(line, names[idx], f"unknown {what} {_show(values[idx])}: import {table} first")
                bad_ref = True
        if bad_ref:
            continue
        if spec.transform is not None:
            try:
                record = spec.transform(dict(zip(names, values, strict=True)), tenant_id)
            except ValueError as exc:
                problem(line, None, str(exc))
                continue
            key: Any = tuple(record[k] for k in spec.key)
            row = tuple(record[c] for c in stored)
            key_label = "patient_id"
        else:
            key = tuple(values[i] for i in key_idx)
            row = tuple(values[i] for i in out_idx)
            key_label = ", ".join(spec.key)
        if line_total is not None:
            qty, price, discount = (values[i] for i in line_total)
            if discount > price * qty:
                problem(line, "discount", f"{discount} exceeds the line total {price * qty}")
                continue
        if key in seen:
            problem(line, key_label, f"duplicate key (same {key_label} as line {seen[key]})")
            continue
        seen[key] = line
        report.good += 1
        if not report.total:  # after the first problem nothing more is written (it will be rolled back)
            yield row


def _copy(conn: sa.Connection, target: str, cols: tuple[str, ...], records: Iterable[tuple[Any, ...]]) -> None:
    """Stream records into `target` with COPY while they are validated (Python and the server work in parallel)."""
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {target} ({', '.join(cols)}) FROM STDIN") as copy:
        for rec in records:
            copy.write_row(rec)


def _load(conn: sa.Connection, spec: TableSpec, records: Iterable[tuple[Any, ...]], report: _Report) -> None:
    """COPY into a temporary table (COPY into an RLS table is not allowed), then update the rows whose natural key
    exists and insert the rest: an upsert without per-row speculative insertion."""
    cols = spec.stored_columns
    col_list = ", ".join(cols)
    conn.execute(sa.text(f"CREATE TEMP TABLE import_rows ON COMMIT DROP AS SELECT {col_list} "
                         f"FROM {spec.table} WITH NO DATA"))
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY import_rows ({col_list}) FROM STDIN") as copy:
        for rec in records:  # validated while streaming: Python and the server work in parallel
            copy.write_row(rec)
    report.raise_if_bad()
    empty = conn.execute(sa.text(f"SELECT NOT EXISTS (SELECT 1 FROM {spec.table})")).scalar_one()
    match = " AND ".join(f"t.{k} = i.{k}" for k in spec.key)
    if not empty:
        conn.execute(sa.text("ANALYZE import_rows"))
        updates = [c for c in cols if c not in spec.key]
        conn.execute(sa.text(
            f"UPDATE {spec.table} t SET {', '.join(f'{c} = i.{c}' for c in updates)} FROM import_rows i "
            f"WHERE {match} AND ({', '.join(f't.{c}' for c in updates)}) IS DISTINCT FROM "
            f"({', '.join(f'i.{c}' for c in updates)})"
        ))
    new_only = "" if empty else f" WHERE NOT EXISTS (SELECT 1 FROM {spec.table} t WHERE {match})"
    conn.execute(sa.text(f"INSERT INTO {spec.table} ({col_list}) SELECT {col_list} FROM import_rows i{new_only}"))


def import_rows(table: str, rows: Iterable[Row], tenant_id: uuid.UUID | str, source: str) -> ImportResult:
    """Validate `rows` and write them for `tenant_id` in one transaction (nothing is written on any error)."""
    spec = _spec(table)
    report = _Report(source)
    with tenant_session(tenant_id) as conn:
        _load(conn, spec, _records(conn, spec, rows, report, str(tenant_id)), report)
        after = conn.execute(sa.text(f"SELECT count(*) FROM {spec.table}")).scalar_one()
    return ImportResult(table=table, source=source, rows=report.good, table_rows_after=after)


def import_csv(table: str, path: Path, tenant_id: uuid.UUID | str) -> ImportResult:
    spec = _spec(table)
    return import_rows(table, read_csv(Path(path), spec), tenant_id, Path(path).name)


def _spec(table: str) -> TableSpec:
    try:
        return SPECS[table]
    except KeyError:
        raise ImportFailed([Issue(table, None, None, f"unknown table; choose one of {', '.join(SPECS)}")]) from None
