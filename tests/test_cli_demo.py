"""The `sightline` CLI end to end (real database), and the demo tenants' shape."""

from __future__ import annotations

import sqlalchemy as sa
from typer.testing import CliRunner

from app.cli import cli
from db import registry
from db.demo import DEMO_TENANTS
from db.session import tenant_session

runner = CliRunner()


def run(*args: str):
    return runner.invoke(cli, list(args))


def test_tenant_and_user_commands(database):
    r = run("tenant", "add", "acme", "--name", "Acme Optics")
    assert r.exit_code == 0, r.output
    assert "created tenant acme" in r.output
    r = run("tenant", "add", "acme", "--name", "Again")
    assert r.exit_code == 2 and "already exists" in r.output
    r = run("tenant", "add", "Bad Slug!", "--name", "x")
    assert r.exit_code == 2 and "slug" in r.output
    r = run("tenant", "list")
    assert "acme" in r.output and "Acme Optics" in r.output
    r = run("user", "add", "Ann@Acme.example", "--tenant", "acme", "--role", "admin")
    assert r.exit_code == 0 and "ann@acme.example -> acme (admin)" in r.output
    assert run("user", "add", "x@acme.example", "--tenant", "nope").exit_code == 2
    assert run("user", "add", "x@acme.example", "--tenant", "acme", "--role", "root").exit_code == 2
    r = run("user", "list", "--tenant", "acme")
    assert "ann@acme.example" in r.output
    assert registry.find_user("ANN@acme.example").tenant.slug == "acme"


def test_import_command_reports_errors_with_exit_2(database, tmp_path):
    good = tmp_path / "stores.csv"
    good.write_text("store_code,name,city,state\nA1,Pearl,Portland,OR\n")
    r = run("import", "stores", str(good), "--tenant", "acme")
    assert r.exit_code == 0 and "imported 1 row(s)" in r.output
    bad = tmp_path / "products.csv"
    bad.write_text("sku,name,category,brand,unit_price\nP1,Thing,frames,X,-3\n")
    r = run("import", "products", str(bad), "--tenant", "acme")
    assert r.exit_code == 2
    assert "products.csv, line 2, column 'unit_price': must not be negative" in r.output
    assert run("import", "hats", str(bad), "--tenant", "acme").exit_code == 2
    assert run("import", "stores", str(good), "--tenant", "ghost").exit_code == 2


def test_db_url_hides_password_and_names_roles(database):
    r = run("db", "url", "--role", "reader")
    assert r.exit_code == 0 and "sightline_reader" in r.output and database in r.output


def test_demo_is_idempotent_and_tenants_differ(database):
    r = run("demo")
    assert r.exit_code == 0, r.output
    totals = {}
    for t in DEMO_TENANTS:
        tenant = registry.get_tenant(t.slug)
        with tenant_session(tenant.id) as conn:
            totals[t.slug] = conn.execute(sa.text(
                "SELECT (SELECT count(*) FROM stores), (SELECT count(*) FROM sales), (SELECT sum(quantity*unit_price"
                " - discount) FROM sales), (SELECT count(DISTINCT date_trunc('month', sold_at)) FROM sales),"
                " (SELECT count(*) FROM stock WHERE on_hand < reorder_point), (SELECT count(*) FROM patients),"
                " (SELECT count(*) FROM users)")).one()
    assert run("demo").exit_code == 0
    for t in DEMO_TENANTS:
        tenant = registry.get_tenant(t.slug)
        with tenant_session(tenant.id) as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM sales")).scalar_one() == totals[t.slug][1]
    nw, lu = totals["northwind"], totals["lumen"]
    assert (nw[0], lu[0]) == (3, 25)
    assert nw[2] != lu[2] and lu[1] > nw[1] * 3
    for tot in (nw, lu):
        assert tot[3] >= 12  # months of sales
        assert tot[4] > 0  # items below reorder point
        assert 200 <= tot[5] <= 1000  # a few hundred anonymized patients
        assert tot[6] >= 2


def test_demo_sales_show_seasonality(database):
    tenant = registry.get_tenant("lumen")
    with tenant_session(tenant.id) as conn:
        by_month = dict(conn.execute(sa.text(
            "SELECT extract(month FROM sold_at)::int, sum(s.quantity) FROM sales s "
            "JOIN products p USING (tenant_id, sku)"
            " WHERE p.category = 'sunglasses' AND sold_at < '2026-01-01' GROUP BY 1")).all())
    assert by_month[7] > 2 * by_month[1]


def test_principal_for_known_unknown_and_disabled(database):
    registry.add_tenant("pr", "Principal Optics")
    registry.add_user("boss@pr.example", "pr", "admin")
    p = registry.principal_for("Boss@PR.example")
    assert p.tenant_slug == "pr" and p.is_admin and p.email == "boss@pr.example"
    import pytest

    with pytest.raises(registry.RegistryError, match="unknown user"):
        registry.principal_for("nobody@pr.example")
    registry.set_tenant_status("pr", "disabled")
    with pytest.raises(registry.RegistryError, match="disabled"):
        registry.principal_for("boss@pr.example")
