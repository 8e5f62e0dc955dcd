"""A tenant's recorded currency (`tenants.currency`, migration 0015): set at creation or later, validated, read by
the SQL tool's catalog under the tenant's own RLS session, and preferred over the currency derived from its stored
region codes and cities (a chain writing its regions as its own sales-area codes in cities that GeoNames cannot place
would otherwise be answered in US dollars)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from app.cli import cli
from db import registry
from db.engine import admin_engine
from tools.catalog import Catalog, Product, Store, load_catalog
from tools.sql.money import tenant_currency
from tools.sql.parse import parse_question
from tools.sql.sentences import sentence

runner = CliRunner()
TODAY = date(2026, 6, 15)
# the chain's own sales-area codes: no country is read from them; the stores' cities (Warszawa, Kraków) are in Poland,
# so the derived currency is PLN. (Voivodeships written "MZ", "MA" are read as Poland from ISO 3166-2's former codes.)
_STORES = (Store("KW-1", "Kwiat Optyk Mokotów", "Warszawa", "Q7X"),
           Store("KW-2", "Kwiat Optyk Kazimierz", "Kraków", "Q8X"))
_PRODUCTS = (Product("KW-F1", "Lipa 52", "frames", "Kwiat"),)


def _catalog(currency: str = "") -> Catalog:
    return Catalog(stores=_STORES, products=_PRODUCTS, tenant_words=frozenset({"kwiat"}), sales_from=date(2025, 1, 2),
                   sales_to=date(2026, 6, 12), currency=currency)


def test_a_recorded_currency_wins_over_the_derived_one() -> None:
    assert tenant_currency(_catalog()).code == "PLN"  # what the area codes and the cities give
    assert tenant_currency(_catalog("EUR")).code == "EUR"  # the recorded currency wins over the derived one
    voivodeships = Catalog(stores=(Store("KW-1", "Kwiat Optyk Mokotów", "Warszawa", "MZ"),
                                   Store("KW-2", "Kwiat Optyk Kazimierz", "Kraków", "MA"),
                                   Store("KW-3", "Kwiat Optyk Oliwa", "Gdańsk", "PM")), products=_PRODUCTS)
    assert tenant_currency(voivodeships).code == "PLN"  # former ISO letter codes of Polish voivodeships
    assert tenant_currency(_catalog("PLN")).code == "PLN"
    parsed = parse_question("revenue by store in 2025", _catalog("PLN"), TODAY)
    assert parsed.spec is not None
    rows = [("KW-1", "Kwiat Optyk Mokotów", Decimal("1500")), ("KW-2", "Kwiat Optyk Kazimierz", Decimal("900"))]
    text = sentence(parsed.spec, ["store_code", "store", "revenue"], rows, _catalog("PLN"))
    assert "PLN 1,500.00" in text and "$" not in text


def test_euros_asked_of_a_zloty_tenant_are_refused_and_zloty_answered() -> None:
    refused = parse_question("revenue in euros in 2025", _catalog("PLN"), TODAY)
    assert refused.spec is None and "złoty (PLN)" in (refused.refusal or "")
    answered = parse_question("revenue in złoty in 2025", _catalog("PLN"), TODAY)
    assert answered.spec is not None and answered.spec.measure == "revenue"


@pytest.fixture(scope="module")
def tenants(database: str) -> dict[str, registry.Tenant]:
    a = registry.add_tenant("cur-kwiat", "Kwiat Optyk", currency="pln")
    b = registry.add_tenant("cur-other", "Other Optics")
    for slug in ("cur-kwiat", "cur-other"):
        registry.add_user(f"admin@{slug}.example", slug, "admin")
    return {"a": a, "b": b}


def test_the_currency_is_stored_and_read_under_the_tenant_session(tenants) -> None:
    assert tenants["a"].currency == "PLN" and tenants["b"].currency is None
    kwiat = registry.principal_for("admin@cur-kwiat.example")
    other = registry.principal_for("admin@cur-other.example")
    assert load_catalog(kwiat).currency == "PLN"
    assert load_catalog(other).currency == ""  # never the other tenant's row
    assert registry.set_tenant_currency("cur-other", "chf").currency == "CHF"
    assert load_catalog(other).currency == "CHF" and load_catalog(kwiat).currency == "PLN"
    assert registry.set_tenant_currency("cur-other", None).currency is None


def test_a_bad_currency_is_a_clear_error_and_changes_nothing(tenants) -> None:
    with pytest.raises(registry.RegistryError, match="not an ISO 4217 code"):
        registry.set_tenant_currency("cur-kwiat", "zloty")
    result = runner.invoke(cli, ["tenant", "currency", "cur-kwiat", "XQZ"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "error: currency 'XQZ' is not an ISO 4217 currency code" in result.output
    assert registry.get_tenant("cur-kwiat").currency == "PLN"
    with admin_engine().begin() as conn, pytest.raises(sa.exc.IntegrityError):  # the database refuses it too
        conn.execute(sa.text("UPDATE tenants SET currency = 'pln' WHERE slug = 'cur-kwiat'"))
    assert registry.get_tenant("cur-kwiat").currency == "PLN"


def test_the_cli_sets_lists_and_clears_it(tenants) -> None:
    result = runner.invoke(cli, ["tenant", "currency", "cur-other", "gbp"])
    assert result.exit_code == 0 and "amounts in GBP" in result.output
    listing = runner.invoke(cli, ["tenant", "list"]).output
    assert any(line.startswith("cur-other") and " GBP " in line for line in listing.splitlines())
    result = runner.invoke(cli, ["tenant", "currency", "cur-other", "auto"])
    assert result.exit_code == 0 and registry.get_tenant("cur-other").currency is None
    result = runner.invoke(cli, ["tenant", "add", "cur-yen", "--name", "Yen Optics", "--currency", "JPY"])
    assert result.exit_code == 0 and "currency=JPY" in result.output
