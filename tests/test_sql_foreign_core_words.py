"""The core words of a sales question in Portuguese, Spanish and Italian beyond the first table (tools/sql/foreign.py),
parser level, on made-up chains in Brazil, Mexico and Italy (not bench tenants).

- Measures as the staff say them: "quanto faturamos" (revenue), "pedidos" (orders), "estoque" / "inventario" /
  "giacenze" (stock on hand), "agotados" / "esauriti" (out of stock), "taxa de desconto" / "porcentaje de descuento"
  (discount rate), "piezas" (units), "incasso" / "ricavi" (revenue).
- Periods and breakdowns: "1º trimestre", "primo trimestre", "il trimestre scorso", "en lo que va del año" (year to
  date), "del 1 al 15 de mayo", "entre 01/03/2026 e 15/03/2026", "por dia da semana", "por estado", "per provincia".
- "2025 x 2024": a comparison (before: both years added together, a wrong answer).
- Before: each of these was refused as an unknown word ("I do not know what 'pedidos' means").
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store

TODAY = date(2026, 6, 15)
_PRODUCTS = (Product("P-1", "Alpha Classic", "frames", "Alpha"), Product("P-2", "Ray-Ban Aviator", "sunglasses",
                                                                          "Ray-Ban"))
BRAZIL = Catalog(stores=(Store("AR-1", "Óticas Araucária Paulista", "São Paulo", "SP"),
                         Store("AR-2", "Óticas Araucária Leblon", "Rio de Janeiro", "RJ"),
                         Store("AR-3", "Óticas Araucária Boa Viagem", "Recife", "PE")),
                 products=_PRODUCTS, tenant_words=frozenset({"araucária", "óticas"}), sales_from=date(2024, 1, 1),
                 sales_to=date(2026, 6, 14))
MEXICO = Catalog(stores=(Store("CL-1", "Colibrí Ópticas Chapultepec", "Guadalajara", "JAL"),
                         Store("CL-2", "Colibrí Ópticas San Pedro", "Monterrey", "NLE")),
                 products=_PRODUCTS, tenant_words=frozenset({"colibrí", "ópticas"}), sales_from=date(2024, 1, 1),
                 sales_to=date(2026, 6, 14))
ITALY = Catalog(stores=(Store("GR-1", "Ottica Grillo Navigli", "Milano", "MI"),
                        Store("GR-2", "Ottica Grillo Pantheon", "Roma", "RM")),
                products=_PRODUCTS, tenant_words=frozenset({"grillo", "ottica"}), sales_from=date(2024, 1, 1),
                sales_to=date(2026, 6, 14))


@pytest.mark.parametrize(("question", "catalog", "measure", "dims", "start", "end"), [
    ("quanto faturamos em Recife em 2025?", BRAZIL, "revenue", (), date(2025, 1, 1), date(2026, 1, 1)),
    ("pedidos em Recife na semana passada", BRAZIL, "orders", (), date(2026, 6, 8), date(2026, 6, 15)),
    ("ticket médio por loja no 1º trimestre de 2026", BRAZIL, "avg_order_value", ("store",), date(2026, 1, 1),
     date(2026, 4, 1)),
    ("taxa de desconto em Recife ano passado", BRAZIL, "discount_rate", (), date(2025, 1, 1), date(2026, 1, 1)),
    ("vendas por dia da semana em 2025", BRAZIL, "revenue", ("weekday",), date(2025, 1, 1), date(2026, 1, 1)),
    ("faturamento entre 01/03/2026 e 15/03/2026", BRAZIL, "revenue", (), date(2026, 3, 1), date(2026, 3, 16)),
    ("piezas vendidas en Monterrey en lo que va del año", MEXICO, "units", (), date(2026, 1, 1), None),
    ("ventas del 1 al 15 de mayo de 2026", MEXICO, "revenue", (), date(2026, 5, 1), date(2026, 5, 16)),
    ("ventas por estado el trimestre pasado", MEXICO, "revenue", ("state",), date(2026, 1, 1), date(2026, 4, 1)),
    ("porcentaje de descuento en Monterrey este año", MEXICO, "discount_rate", (), date(2026, 1, 1), None),
    ("ricavi per mese nel 2025 a Roma", ITALY, "revenue", ("month",), date(2025, 1, 1), date(2026, 1, 1)),
    ("scontrino medio per negozio nel primo trimestre 2026", ITALY, "avg_order_value", ("store",), date(2026, 1, 1),
     date(2026, 4, 1)),
    ("fatturato per provincia nel trimestre scorso", ITALY, "revenue", ("state",), date(2026, 1, 1),
     date(2026, 4, 1)),
])
def test_core_words_are_read(question: str, catalog: Catalog, measure: str, dims: tuple[str, ...], start: date,
                             end: date | None) -> None:
    spec = spec_of(question, catalog, TODAY)
    assert (spec.measure, tuple(spec.dimensions), spec.time_range.start) == (measure, dims, start), spec
    if end is not None:
        assert spec.time_range.end == end, spec.time_range


@pytest.mark.parametrize(("question", "catalog", "measure"), [
    ("estoque de óculos de sol em Recife", BRAZIL, "stock_on_hand"),
    ("inventario de lentes de sol en Monterrey", MEXICO, "stock_on_hand"),
    ("productos agotados en Monterrey", MEXICO, "items_out_of_stock"),
    ("giacenze di montature a Roma", ITALY, "stock_on_hand"),
    ("articoli esauriti a Milano", ITALY, "items_out_of_stock"),
])
def test_stock_words_are_read(question: str, catalog: Catalog, measure: str) -> None:
    assert spec_of(question, catalog, TODAY).measure == measure


def test_x_between_two_years_is_a_comparison() -> None:
    spec = spec_of("faturamento 2025 x 2024 em Recife", BRAZIL, TODAY)
    assert spec.comparison is not None and spec.time_range.start == date(2025, 1, 1), spec
