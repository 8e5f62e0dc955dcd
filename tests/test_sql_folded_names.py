"""Names typed without their diacritics, in a made-up tenant: "Zurich" / "Zuerich" for a stored "Zürich",
"Bahnhofstrasse" for "Bahnhofstraße", "Grunblick" / "Gruenblick" for the brand "Grünblick" are the stored names (the
typo corrector folds the stored names to ASCII). Parser tests use in-memory catalogs (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from tools.catalog import Catalog, Product, Store
from tools.sql.entities import ascii_folds
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 15)
SHOP = Catalog(stores=(Store("AL-1", "Alpsicht Optik Bahnhofstraße", "Zürich", "ZH"),
                       Store("AL-2", "Alpsicht Optik Mönchsplatz", "Genève", "GE"),
                       Store("AL-3", "Alpsicht Optik Altstadt", "Bern", "BE")),
               products=(Product("AL01", "Grünblick Föhn", "frames", "Grünblick"),
                         Product("AL02", "Bergsee Sol", "sunglasses", "Bergsee")),
               tenant_words=frozenset({"alpsicht"}), sales_from=date(2024, 1, 2), sales_to=date(2026, 6, 14))


@pytest.mark.parametrize(("question", "name", "value"), [
    ("revenue at Bahnhofstrasse in 2025", "store", ("AL-1",)),
    ("revenue at Monchsplatz in 2025", "store", ("AL-2",)),
    ("revenue at Moenchsplatz in 2025", "store", ("AL-2",)),
    ("units sold in Zurich in 2025", "city", ("Zürich",)),
    ("units sold in Zuerich in 2025", "city", ("Zürich",)),
    ("units sold in Geneve in 2025", "city", ("Genève",)),
    ("Grunblick frames revenue 2025", "brand", ("Grünblick",)),
    ("Gruenblick frames revenue 2025", "brand", ("Grünblick",)),
])
def test_a_name_typed_without_diacritics_is_the_stored_name(question: str, name: str, value: tuple) -> None:
    parsed = parse_question(question, SHOP, TODAY)
    assert parsed.spec is not None, parsed.refusal or parsed.unresolved
    assert getattr(parsed.spec.filters, name) == value


def test_ascii_folds() -> None:
    assert ascii_folds("straße") == {"strasse"}
    assert ascii_folds("föhn") == {"fohn", "foehn"}
    assert ascii_folds("bern") == set()
