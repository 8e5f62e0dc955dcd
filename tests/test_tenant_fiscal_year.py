"""A tenant's recorded financial year (`tenants.fiscal_year_start`, migration 0016): set at creation or later with the
CLI, validated by the registry and by the database's CHECK, read by the SQL tool's catalog under the tenant's own RLS
session, and used for "last financial year" before the deployment's SIGHTLINE_FISCAL_YEAR_START and the country's law.
Made-up tenants on the real embedded PostgreSQL, imported from CSV like a new user's; no bench tenant or wording."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from app.cli import cli
from db import registry
from db.engine import admin_engine
from db.importer import import_csv
from db.migrate import downgrade, upgrade
from tools.catalog import load_catalog
from tools.sql_tool import run_sql_tool

runner = CliRunner()
TODAY = date(2026, 6, 15)
# a made-up chain in the United States, where each company picks its own financial year: asked unless recorded
STORES = "store_code,name,city,state\nBL-1,Bluejay Eyewear Congress,Austin,TX\nBL-2,Bluejay Eyewear Elm,Dallas,TX\n"
PRODUCTS = "sku,name,category,brand,unit_price\nBJ-F1,Tamarack,frames,Bluejay,120.00\nBJ-L1,Clearview,lenses,Optra,80\n"
# inside July 2024 - June 2025: 2 x 120 + 1 x 80 + 3 x 80 = 560; the days either side are outside it
SALES = ("order_id,sold_at,store_code,sku,quantity,unit_price,discount\n"
         "B1,2024-06-30,BL-1,BJ-F1,5,120.00,0\n"
         "B2,2024-07-01,BL-1,BJ-F1,2,120.00,0\n"
         "B3,2025-01-15,BL-2,BJ-L1,1,80.00,0\n"
         "B4,2025-06-30,BL-2,BJ-L1,3,80.00,0\n"
         "B5,2025-07-01,BL-1,BJ-F1,7,120.00,0\n"
         "B6,2026-02-01,BL-2,BJ-L1,1,80.00,0\n")


@pytest.mark.parametrize(("typed", "stored"), [
    ("07-01", "07-01"), ("7-1", "07-01"), ("1 July", "07-01"), ("July 1st", "07-01"), ("July", "07-01"),
    ("apr", "04-01"), ("6 April", "04-06"), ("1st of October", "10-01"), ("02-28", "02-28"), ("12-31", "12-31"),
    ("auto", None), ("", None), (None, None),
])
def test_the_accepted_forms_are_stored_as_mm_dd(typed: str | None, stored: str | None) -> None:
    assert registry.parse_fiscal_year_start(typed) == stored


@pytest.mark.parametrize("typed", ["02-29", "02-30", "04-31", "06-31", "13-01", "00-10", "07-00", "07/01",
                                   "2025-07-01", "Julember", "31 June", "29 February"])
def test_a_day_not_in_every_year_or_an_unreadable_one_is_refused(typed: str) -> None:
    with pytest.raises(registry.RegistryError, match=f"financial year start '{typed}' is not a day"):
        registry.parse_fiscal_year_start(typed)


def test_the_migration_applies_and_rolls_back(pg_server: sa.URL, database: str) -> None:
    name = f"t_fy_migration_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(pg_server.set(database="postgres"), isolation_level="AUTOCOMMIT",
                             poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE sightline_template'))
    url = pg_server.set(database=name).render_as_string(hide_password=False)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)

    def column() -> int:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM information_schema.columns WHERE table_name = 'tenants' "
                                        "AND column_name = 'fiscal_year_start'")).scalar_one()

    try:
        assert column() == 1
        downgrade(url, "0015")
        assert column() == 0
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == "0015"
        upgrade(url)
        assert column() == 1
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == "0016"
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def tenants(database: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, registry.Tenant]:
    folder: Path = tmp_path_factory.mktemp("fy_csv")
    made = {"a": registry.add_tenant("fy-bluejay", "Bluejay Eyewear", fiscal_year_start="1 July"),
            "b": registry.add_tenant("fy-other", "Other Eyewear")}
    for tenant in made.values():
        registry.add_user(f"admin@{tenant.slug}.example", tenant.slug, "admin")
        for table, text in (("stores", STORES), ("products", PRODUCTS), ("sales", SALES)):
            path = folder / f"{tenant.slug}-{table}.csv"
            path.write_text(text)
            import_csv(table, path, tenant.id)
    return made


def test_the_database_check_refuses_a_bad_day(tenants) -> None:
    for bad in ("02-29", "02-30", "04-31", "11-31", "13-01", "7-01", "07-1", "July"):
        with admin_engine().begin() as conn, pytest.raises(sa.exc.IntegrityError, match="tenants_fiscal_year_start"):
            conn.execute(sa.text("UPDATE tenants SET fiscal_year_start = :f WHERE slug = 'fy-bluejay'"), {"f": bad})
    assert registry.get_tenant("fy-bluejay").fiscal_year_start == "07-01"
    with admin_engine().begin() as conn:  # every day that every year has is taken
        for good in ("01-31", "02-28", "04-30", "12-31"):
            conn.execute(sa.text("UPDATE tenants SET fiscal_year_start = :f WHERE slug = 'fy-other'"), {"f": good})
        conn.execute(sa.text("UPDATE tenants SET fiscal_year_start = NULL WHERE slug = 'fy-other'"))


def test_it_is_read_under_the_tenant_session_only(tenants) -> None:
    assert tenants["a"].fiscal_year_start == "07-01" and tenants["b"].fiscal_year_start is None
    bluejay = registry.principal_for("admin@fy-bluejay.example")
    other = registry.principal_for("admin@fy-other.example")
    assert load_catalog(bluejay).fiscal_year_start == "07-01"
    assert load_catalog(other).fiscal_year_start == ""  # never the other tenant's row
    assert registry.find_user("admin@fy-bluejay.example").tenant.fiscal_year_start == "07-01"


def test_last_financial_year_is_the_recorded_one_and_another_tenant_is_still_asked(tenants) -> None:
    bluejay = registry.principal_for("admin@fy-bluejay.example")
    result = run_sql_tool(bluejay, "what was our revenue last financial year?", today=TODAY)
    assert result.ok and not result.refused, result.answer_text
    assert "2024-07-01" in result.interpretation and "2025-06-30" in result.interpretation
    assert "560" in result.answer_text and result.rows and float(result.rows[0][-1]) == 560.0
    other = registry.principal_for("admin@fy-other.example")  # same data, no year recorded, a US chain
    asked = run_sql_tool(other, "what was our revenue last financial year?", today=TODAY)
    assert asked.refused and not asked.executed
    assert "sightline tenant fiscal-year" in asked.answer_text + (asked.error or "")


def test_the_cli_sets_lists_clears_and_refuses_bad_input(tenants) -> None:
    result = runner.invoke(cli, ["tenant", "fiscal-year", "fy-other", "April"])
    assert result.exit_code == 0 and "financial year starts on 1 April (04-01)" in result.output
    other = registry.principal_for("admin@fy-other.example")
    answered = run_sql_tool(other, "revenue last financial year", today=TODAY)
    assert "2025-04-01" in answered.interpretation and "2026-03-31" in answered.interpretation
    listing = runner.invoke(cli, ["tenant", "list"]).output
    assert any(line.startswith("fy-other") and "FY 04-01" in line for line in listing.splitlines())
    for bad in ("02-29", "31 June", "someday"):
        result = runner.invoke(cli, ["tenant", "fiscal-year", "fy-other", bad])
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        assert f"error: financial year start '{bad}' is not a day" in result.output
        assert registry.get_tenant("fy-other").fiscal_year_start == "04-01"  # nothing stored changed
    result = runner.invoke(cli, ["tenant", "add", "fy-bad", "--name", "Bad Year", "--fiscal-year-start", "04-31"])
    assert result.exit_code == 2 and "error: financial year start '04-31'" in result.output
    assert "fy-bad" not in {t.slug for t in registry.list_tenants()}  # no tenant half made
    result = runner.invoke(cli, ["tenant", "fiscal-year", "fy-other", "auto"])
    assert result.exit_code == 0 and "(auto)" in result.output
    assert registry.get_tenant("fy-other").fiscal_year_start is None
    assert run_sql_tool(other, "revenue last financial year", today=TODAY).refused
    result = runner.invoke(cli, ["tenant", "add", "fy-kiwi", "--name", "Kiwi Eyes", "--fiscal-year-start", "04-01"])
    assert result.exit_code == 0 and "fiscal-year-start=04-01" in result.output
    assert registry.set_tenant_fiscal_year("fy-kiwi", None).fiscal_year_start is None
