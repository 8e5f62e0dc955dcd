"""The SQL answer bench's case files (bench/data/answers_sql/cases*.jsonl, heldout*.jsonl) and their CSV tenants: every
case names a tenant registered in `bench.bench_answers.TENANTS` whose five CSV files exist, ids are unique over all
files, refusals carry no `calc` and answers carry one with a known measure; the independent checks of held-out sets 10
to 29 (`check_heldout10.py` ... `check_heldout29.py`; 28 and 29 reuse 27's method) pass, and fail when the bench's
expected values or a label are wrong; the Spanish tenant azahar, the Quebec tenant belvue, the Dutch tenant tulp, the
Brazilian tenant ipe, the Swiss tenant edelweiss, the Italian tenant lucciola, the Polish tenant jaskolka, the
Indonesian tenant melati, the Mexican tenant jacaranda, the Moroccan tenant zellige, the Greek tenant elia, the
Portuguese tenant andorinha, the Vietnamese tenant senhong, the Chilean tenant copihue, the Indian tenant nazar, the
Swedish tenant glimt, the Turkish tenant yakamoz, the Czech tenant jiskra, the Hungarian tenant pipacs and the Romanian
tenant ghiocel regenerate byte for byte from their seeded scripts and have the traits their cases rely on (a store shut
for a month or closed for good, a store opened late, never-sold products, stores shut on Sundays and public holidays,
sales ending the day before the bench's reference day or near it, a region code like Napoli's "NA" read as text, Sundays
shut but for the trading Sundays, a province shut for a day of silence, street shops shut on Islamic and national
holidays while the malls trade, an island shop that trades April to October only, Orthodox Easter holidays, town
holidays, a chain's own sales week, Tết closures by the lunar calendar, Chile's feriados irrenunciables with street
shops shut on Sundays, Diwali and Holi closures with a mall branch trading, cities stored by their new names, Swedish
red days with a mall shop trading on two of them, bayram days shut by the lunar calendar with a mall shop trading on the
second day, list prices that rise twice a year, Czech mall shops shut by law on seven holidays while the street shops
trade on four of them, a product family named after a land that holds shops, a mall-only Good Friday, a shop in the
county around the capital but not in it, Orthodox Easter and Rusalii with the malls trading, a seasonal beach shop, a
shop shut for works, a chain's own day that opens every shop on a Sunday, a price rise with VAT, a county code of the
chain's own beside car-plate codes). A ranking within each group (`within`) is scored group by group. No database, no
model: pandas over the CSV files."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

import pytest

import bench.bench_answers as answers

SQL = answers.SQL_DATA


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_h_{name}", SQL / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _case_files() -> list[Path]:
    return sorted(p for p in SQL.glob("*.jsonl") if p.name.startswith(("cases", "heldout")))


def test_every_sql_case_names_a_registered_tenant_and_has_a_valid_label():
    check = _module("check_heldout10")
    measures = check.SALES | check.STOCK | set(check.CATALOG)
    ids: Counter[str] = Counter()
    for path in _case_files():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            case = json.loads(line)
            where = f"{path.name}:{n}"
            ids[case["id"]] += 1
            assert case["tenant"] in answers.TENANTS, where
            assert all((SQL / case["tenant"] / f"{t}.csv").is_file() for t in answers.TABLES), where
            if case.get("expect") == "refuse":
                assert "calc" not in case, where
            else:
                assert case["calc"]["m"] in measures, where
    assert [i for i, k in ids.items() if k > 1] == []
    wanted = {f"heldout{n}.jsonl" for n in range(10, 30)}
    assert wanted <= {p.name for p in _case_files()}


CHECKS = ("check_heldout10", "check_heldout11", "check_heldout12", "check_heldout13", "check_heldout14",
          "check_heldout15", "check_heldout16", "check_heldout17", "check_heldout18", "check_heldout19",
          "check_heldout20", "check_heldout21", "check_heldout22", "check_heldout23",
          "check_heldout24", "check_heldout25", "check_heldout26", "check_heldout27", "check_heldout28",
          "check_heldout29")


@pytest.mark.parametrize("check", CHECKS)
def test_heldout_values_agree_with_an_independent_recomputation(check):
    assert _module(check).main() == 0


@pytest.mark.parametrize("check", CHECKS)
def test_heldout_check_fails_when_the_bench_computes_another_value(check, monkeypatch, capsys):
    real = answers.expected_sql

    def off_by_one(calc, frames):
        out = real(calc, frames)
        if out["kind"] == "scalar" and out["value"] is not None:
            out = {**out, "value": out["value"] + 1}
        return out

    monkeypatch.setattr(answers, "expected_sql", off_by_one)
    assert _module(check).main() == 1
    assert "DISAGREE" in capsys.readouterr().out


@pytest.mark.parametrize(("check", "tenant", "ghost"), [("check_heldout10", "azahar", "AZ-99"),
                                                          ("check_heldout11", "belvue", "BV-99"),
                                                          ("check_heldout12", "tulp", "TO-99"),
                                                          ("check_heldout13", "ipe", "IP-99"),
                                                          ("check_heldout14", "edelweiss", "EW-99"),
                                                          ("check_heldout15", "lucciola", "LC-99"),
                                                          ("check_heldout16", "jaskolka", "JK-99"),
                                                          ("check_heldout17", "melati", "ML-99"),
                                                          ("check_heldout18", "jacaranda", "JC-99"),
                                                          ("check_heldout19", "zellige", "ZL-99"),
                                                          ("check_heldout20", "elia", "EL-99"),
                                                          ("check_heldout21", "andorinha", "AN-99"),
                                                          ("check_heldout22", "senhong", "SH-99"),
                                                          ("check_heldout23", "copihue", "CP-99"),
                                                          ("check_heldout24", "nazar", "NZ-99"),
                                                          ("check_heldout25", "glimt", "GL-99"),
                                                          ("check_heldout26", "yakamoz", "YK-99"),
                                                          ("check_heldout27", "jiskra", "JS-99"),
                                                          ("check_heldout28", "pipacs", "PO-99"),
                                                          ("check_heldout29", "ghiocel", "GH-99")])
def test_heldout_check_fails_on_a_label_the_data_cannot_hold(check, tenant, ghost, tmp_path, capsys):
    prefix = check.replace("check_heldout", "h")
    bad = [{"id": f"{prefix}-001", "tenant": tenant, "route": "sql", "shape": "total",
            "question": "units at a ghost shop", "calc": {"m": "units", "f": {"store": [ghost]},
                                                          "p": ["2025-01-01", "2025-12-31"]}},
           {"id": f"{prefix}-002", "tenant": tenant, "route": "sql", "shape": "refusal", "question": "margin please",
            "expect": "refuse", "calc": {"m": "revenue"}},
           {"id": f"{prefix}-003", "tenant": tenant, "route": "sql", "shape": "stock", "question": "stock by month",
            "calc": {"m": "stock_on_hand", "by": ["month"]}}]
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in bad), encoding="utf-8")
    assert _module(check).main(path=path) == 1
    out = capsys.readouterr().out
    assert ghost in out and "a refusal with a calc label" in out and "time breakdown month" in out


@pytest.mark.parametrize(("script", "tenant"), [("make_csv_azahar", "azahar"), ("make_csv_belvue", "belvue"),
                                                   ("make_csv_tulp", "tulp"), ("make_csv_ipe", "ipe"),
                                                   ("make_csv_edelweiss", "edelweiss"),
                                                   ("make_csv_lucciola", "lucciola"),
                                                   ("make_csv_jaskolka", "jaskolka"),
                                                   ("make_csv_melati", "melati"),
                                                   ("make_csv_jacaranda", "jacaranda"),
                                                   ("make_csv_zellige", "zellige"),
                                                   ("make_csv_elia", "elia"),
                                                   ("make_csv_andorinha", "andorinha"),
                                                   ("make_csv_senhong", "senhong"),
                                                   ("make_csv_copihue", "copihue"),
                                                   ("make_csv_nazar", "nazar"),
                                                   ("make_csv_glimt", "glimt"),
                                                   ("make_csv_yakamoz", "yakamoz"),
                                                   ("make_csv_jiskra", "jiskra"),
                                                   ("make_csv_pipacs", "pipacs"),
                                                   ("make_csv_ghiocel", "ghiocel")])
def test_tenant_csv_files_regenerate_byte_for_byte(script, tenant, tmp_path, monkeypatch):
    make = _module(script)
    monkeypatch.setattr(make, "OUT", tmp_path)
    make.main()
    for table in answers.TABLES:
        assert (tmp_path / f"{table}.csv").read_bytes() == (SQL / tenant / f"{table}.csv").read_bytes(), table


@pytest.fixture(scope="module")
def azahar():
    return answers.load_frames("azahar")


def test_azahar_has_the_traits_its_cases_rely_on(azahar):
    stores, sales, products = azahar["stores"], azahar["sales"], azahar["products"]
    assert len(stores) == 12 and set(stores["state"]) == {"MD", "CT", "AN", "VC", "PV", "GA"}
    assert sales["day"].max() == answers.TODAY - timedelta(days=1)
    triana = sales[sales["store_code"] == "AZ-06"]["day"]
    assert not triana.between(date(2025, 8, 1), date(2025, 8, 31)).any()
    assert triana.between(date(2025, 7, 1), date(2025, 7, 31)).any()
    assert sales[sales["store_code"] == "AZ-11"]["day"].min() == date(2024, 11, 4)
    never = set(products["sku"]) - set(sales["sku"])
    assert never == {"AZ0016", "AZ0029"}
    assert (products["name"].str.contains("Triana")).sum() == 2 and "Etnia Barcelona" in set(products["brand"])
    stock = azahar["stock"]
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_belvue_has_the_traits_its_cases_rely_on():
    belvue = answers.load_frames("belvue")
    stores, sales, products, stock = belvue["stores"], belvue["sales"], belvue["products"], belvue["stock"]
    assert len(stores) == 12 and set(stores["state"]) == {"QC", "ON", "NB"}
    assert {"Montréal", "Québec", "Trois-Rivières", "L'Assomption", "Lévis"} <= set(stores["city"])
    assert (stores["city"] == "Ottawa").sum() == 2 and (stores["city"] == "Montréal").sum() == 2
    assert sales["day"].max() == answers.TODAY - timedelta(days=1) and sales["day"].min() == date(2024, 6, 1)
    sherbrooke = sales[sales["store_code"] == "BV-07"]["day"]
    assert sherbrooke.max() <= date(2025, 10, 31) and sherbrooke.max() >= date(2025, 10, 1)
    assert "BV-07" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "BV-08"]["day"].min() >= date(2025, 3, 10)
    assert set(products["sku"]) - set(sales["sku"]) == {"BLV-014", "BLV-028"}
    assert products["name"].str.contains("Aurore").sum() == 2 and "Soleil d'Été" in set(products["brand"])
    essilor = sales[sales["sku"] == "BLV-018"]  # Essilor Unifocal 1.5, listed at 99.00
    assert set(essilor[essilor["day"] >= date(2026, 1, 1)]["unit_price"]) == {103.95}
    assert set(essilor[essilor["day"] < date(2026, 1, 1)]["unit_price"]) == {99.0}
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_tulp_has_the_traits_its_cases_rely_on():
    tulp = answers.load_frames("tulp")
    stores, sales, products, stock = tulp["stores"], tulp["sales"], tulp["products"], tulp["stock"]
    assert len(stores) == 15 and set(stores["state"]) == {"NH", "ZH", "UT", "NB", "LI", "GR", "GE", "FR"}
    assert {"'s-Hertogenbosch", "Den Haag", "Alphen aan den Rijn", "Bergen op Zoom"} <= set(stores["city"])
    assert (stores["city"] == "Amsterdam").sum() == 2 and set(stores.loc[stores["state"] == "UT", "city"]) == {
        "Utrecht", "Amersfoort"} and list(stores.loc[stores["state"] == "GR", "city"]) == ["Groningen"]
    assert sales["day"].min() == date(2024, 6, 3) and sales["day"].max() == answers.TODAY - timedelta(days=1)
    bergen = sales[sales["store_code"] == "TO-11"]["day"]
    assert date(2026, 1, 1) <= bergen.max() <= date(2026, 1, 31) and "TO-11" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "TO-14"]["day"].min() >= date(2025, 9, 1)
    assert not sales["day"].isin([date(2025, 12, 25), date(2026, 1, 1), date(2026, 4, 27)]).any()
    sunday = sales[sales["day"].map(lambda d: d.isoweekday() == 7)]
    assert set(sunday["store_code"]) == {"TO-01", "TO-02", "TO-04", "TO-05", "TO-07"}
    assert set(products["sku"]) - set(sales["sku"]) == {"TU-012", "TU-031"}
    assert products["name"].str.contains("Night Shift").sum() == 2 and "Ace & Tate" in set(products["brand"])
    hoya = sales[sales["sku"] == "TU-019"]  # Hoya Single Vision 1.5, listed at 79.00
    assert set(hoya[hoya["day"] >= date(2026, 3, 1)]["unit_price"]) == {82.95}
    assert set(hoya[hoya["day"] < date(2026, 3, 1)]["unit_price"]) == {79.0}
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_ipe_has_the_traits_its_cases_rely_on():
    ipe = answers.load_frames("ipe")
    stores, sales, products, stock = ipe["stores"], ipe["sales"], ipe["products"], ipe["stock"]
    assert len(stores) == 15 and set(stores["state"]) == {"SP", "RJ", "MG", "PR", "SC", "RS", "DF", "BA", "PE"}
    assert {"São Paulo", "Rio de Janeiro", "Santa Bárbara d'Oeste", "Juiz de Fora", "Florianópolis", "Brasília"} <= set(
        stores["city"])
    assert (stores["city"] == "São Paulo").sum() == 2 and set(stores.loc[stores["state"] == "RJ", "city"]) == {
        "Rio de Janeiro", "Niterói"} and "Óticas Ipê Beira-Mar" in set(stores["name"])
    assert sales["day"].min() == date(2024, 7, 16) and sales["day"].max() == answers.TODAY - timedelta(days=1)
    santa = sales[sales["store_code"] == "IP-05"]["day"]
    assert date(2025, 10, 1) <= santa.max() <= date(2025, 10, 31) and "IP-05" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "IP-14"]["day"].min() >= date(2025, 11, 10)
    juiz = sales[sales["store_code"] == "IP-09"]["day"]
    assert not juiz.between(date(2025, 3, 3), date(2025, 3, 30)).any() and juiz.between(date(2025, 2, 1),
                                                                                          date(2025, 2, 28)).any()
    assert not sales["day"].isin([date(2025, 1, 1), date(2025, 4, 18), date(2025, 12, 25), date(2026, 4, 3)]).any()
    sunday = sales[sales["day"].map(lambda d: d.isoweekday() == 7)]
    assert set(sunday["store_code"]) == {"IP-01", "IP-02", "IP-06", "IP-11", "IP-14"}
    assert set(products["sku"]) - set(sales["sku"]) == {"IPE-0015", "IPE-0028"}
    assert products["name"].str.contains("Full Moon").sum() == 2 and products["name"].str.contains("Beija-Flor").sum() \
        == 2 and "Bausch + Lomb" in set(products["brand"])
    zeiss = sales[sales["sku"] == "IPE-0020"]  # Zeiss Single Vision 1.6, listed at 560.00
    assert set(zeiss[zeiss["day"] >= date(2026, 4, 1)]["unit_price"]) == {593.6}
    assert set(zeiss[zeiss["day"] < date(2026, 4, 1)]["unit_price"]) == {560.0}
    black_friday = sales[sales["day"] == date(2025, 11, 28)]
    assert (black_friday["discount"] > 0).mean() > 0.5 > (sales["discount"] > 0).mean()
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_edelweiss_has_the_traits_its_cases_rely_on():
    edelweiss = answers.load_frames("edelweiss")
    stores, sales, products, stock = (edelweiss[t] for t in ("stores", "sales", "products", "stock"))
    assert len(stores) == 15 and set(stores["state"]) == {"ZH", "GE", "VD", "BE", "BS", "LU", "TI", "SG", "NE", "FR",
                                                          "GR"}
    assert {"Zürich", "Genève", "Biel/Bienne", "Yverdon-les-Bains", "La Chaux-de-Fonds", "St. Gallen"} <= set(
        stores["city"])
    assert (stores["city"] == "Zürich").sum() == 2 and set(stores.loc[stores["state"] == "BE", "city"]) == {
        "Bern", "Biel/Bienne"} and list(stores.loc[stores["state"] == "NE", "city"]) == ["La Chaux-de-Fonds"]
    assert sales["day"].min() == date(2024, 5, 21) and sales["day"].max() == answers.TODAY - timedelta(days=1)
    yverdon = sales[sales["store_code"] == "EW-06"]["day"]
    assert yverdon.max() == date(2025, 11, 29) and "EW-06" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "EW-14"]["day"].min() >= date(2025, 9, 1)
    luzern = sales[sales["store_code"] == "EW-10"]["day"]
    assert not luzern.between(date(2025, 7, 7), date(2025, 7, 27)).any() and luzern.between(date(2025, 6, 1),
                                                                                              date(2025, 6, 30)).any()
    sunday = sales[sales["day"].map(lambda d: d.isoweekday() == 7)]
    assert set(sunday["store_code"]) == {"EW-02"}
    shut = [date(2025, 1, 2), date(2025, 4, 21), date(2025, 5, 29), date(2025, 8, 1), date(2025, 12, 26)]
    assert set(sales.loc[sales["day"].isin(shut), "store_code"]) <= {"EW-02"}
    assert not sales["day"].isin([date(2024, 12, 25), date(2025, 1, 1), date(2025, 12, 25), date(2026, 1, 1)]).any()
    assert set(products["sku"]) - set(sales["sku"]) == {"EDW-014", "EDW-027"}
    assert {"Götti", "Knecht & Müller"} <= set(products["brand"]) and {"Edelweiss Sonntag", "Edelweiss Late Summer",
                                                                       "Edelweiss Night Train"} <= set(products["name"])
    drive = sales[sales["sku"] == "EDW-015"]  # Zeiss DriveSafe 1.6, listed at 420.00
    assert set(drive[drive["day"] >= date(2026, 3, 1)]["unit_price"]) == {436.8}
    assert set(drive[drive["day"] < date(2026, 3, 1)]["unit_price"]) == {420.0}
    january = sales[sales["day"].map(lambda d: d.month == 1 and d.day >= 3)]
    assert (january["discount"] > 0).mean() > 0.5 > (sales["discount"] > 0).mean()
    assert ((sales["unit_price"] * 20).round(6) % 1 == 0).all() and ((sales["discount"] * 20).round(6) % 1 == 0).all()
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_lucciola_has_the_traits_its_cases_rely_on():
    lucciola = answers.load_frames("lucciola")
    stores, products, sales, stock, patients = (lucciola[t] for t in answers.TABLES)
    assert len(stores) == 16 and set(stores["state"]) == {"MI", "BG", "CO", "TO", "VE", "RE", "BO", "FC", "RM", "NA",
                                                          "BL"}
    assert "NA" in set(patients["state"]) and "NA" in set(stores["state"])  # Napoli's code is text, not a gap
    assert {"Reggio nell'Emilia", "Cortina d'Ampezzo", "Forlì", "Cantù", "Sesto San Giovanni"} <= set(stores["city"])
    assert all((stores["city"] == city).sum() == 2 for city in ("Milano", "Venezia", "Roma"))
    assert set(stores.loc[stores["state"] == "CO", "city"]) == {"Como", "Cantù"}
    assert "Ottica Lucciola Duomo" in set(stores["name"]) and products["name"].str.contains("Duomo").sum() == 3
    assert sales["day"].min() == date(2024, 7, 1) and sales["day"].max() == date(2026, 6, 13)
    forli = sales[sales["store_code"] == "LC-12"]["day"]
    assert date(2026, 1, 1) <= forli.max() <= date(2026, 1, 31) and "LC-12" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "LC-14"]["day"].min() >= date(2025, 10, 6)
    cortina = sales[sales["store_code"] == "LC-16"]["day"]
    assert not cortina.between(date(2025, 11, 3), date(2025, 11, 28)).any()
    sunday = sales[sales["day"].map(lambda d: d.isoweekday() == 7 and d.month != 12)]
    assert set(sunday["store_code"]) == {"LC-08", "LC-16"}
    summer_break = sales[sales["day"].map(lambda d: d.month == 8 and 10 <= d.day <= 24)]
    assert set(summer_break["store_code"]) <= {"LC-05", "LC-08", "LC-16"} and not summer_break.empty
    assert not sales["day"].isin([date(2025, 8, 15), date(2025, 12, 25), date(2026, 1, 6), date(2026, 6, 2)]).any()
    assert set(products["sku"]) - set(sales["sku"]) == {"LUC-106", "LUC-128"}
    varilux = sales[sales["sku"] == "LUC-116"]  # Essilor Varilux X Series, listed at 690.00
    assert set(varilux[varilux["day"] >= date(2026, 2, 1)]["unit_price"]) == {724.5}
    assert set(varilux[varilux["day"] < date(2026, 2, 1)]["unit_price"]) == {690.0}
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_jaskolka_has_the_traits_its_cases_rely_on():
    jaskolka = answers.load_frames("jaskolka")
    stores, products, sales, stock, patients = (jaskolka[t] for t in answers.TABLES)
    assert len(stores) == 16 and set(stores["state"]) == {"MZ", "MA", "SL", "DS", "PM", "WP", "LD", "ZP", "LU", "PK"}
    assert {"Kraków", "Łódź", "Wrocław", "Gdańsk", "Bielsko-Biała", "Jelenia Góra", "Nowy Sącz"} <= set(stores["city"])
    assert (stores["city"] == "Warszawa").sum() == 2 and (stores["state"] == "MZ").sum() == 3
    assert (stores["state"] == "DS").sum() == 2 and set(patients["state"]) <= set(stores["state"])
    assert "Optyka Jaskółka Rynek" in set(stores["name"]) and products["name"].str.contains("Rynek").sum() == 2
    assert sales["day"].min() == date(2024, 6, 3) and sales["day"].max() == answers.TODAY - timedelta(days=1)
    radom = sales[sales["store_code"] == "JK-03"]["day"]
    assert date(2026, 1, 1) <= radom.max() <= date(2026, 1, 31) and "JK-03" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "JK-11"]["day"].min() >= date(2025, 10, 16)
    rzeszow = sales[sales["store_code"] == "JK-16"]["day"]
    assert not rzeszow.between(date(2025, 2, 10), date(2025, 2, 28)).any()
    assert rzeszow.between(date(2025, 2, 1), date(2025, 2, 9)).any()
    sundays = sales[sales["day"].map(lambda d: d.isoweekday() == 7)]
    trading = {date(2025, 1, 26), date(2025, 4, 13), date(2025, 4, 27), date(2025, 6, 29), date(2025, 8, 31),
               date(2025, 12, 7), date(2025, 12, 14), date(2025, 12, 21)}
    assert set(sundays.loc[sundays["store_code"] != "JK-02", "day"]) & {d for d in trading} == trading
    assert {d for d in sundays.loc[sundays["store_code"] != "JK-02", "day"] if d.year == 2025} == trading
    holidays = [date(2025, 1, 6), date(2025, 5, 1), date(2025, 5, 3), date(2025, 6, 19), date(2025, 11, 11),
                date(2025, 12, 24), date(2025, 12, 26)]
    assert set(sales.loc[sales["day"].isin(holidays), "store_code"]) <= {"JK-02"}
    assert not sales["day"].isin([date(2024, 12, 25), date(2025, 1, 1), date(2025, 4, 20), date(2025, 12, 25)]).any()
    assert set(products["sku"]) - set(sales["sku"]) == {"JSK-114", "JSK-126"}
    eyezen = sales[sales["sku"] == "JSK-116"]  # Essilor Eyezen, listed at 690.00
    assert set(eyezen[eyezen["day"] >= date(2026, 2, 1)]["unit_price"]) == {724.5}
    assert set(eyezen[eyezen["day"] < date(2026, 2, 1)]["unit_price"]) == {690.0}
    black_friday = sales[sales["day"].between(date(2025, 11, 28), date(2025, 12, 1))]
    assert (black_friday["discount"] > 0).mean() > 0.5 > (sales["discount"] > 0).mean()
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_melati_has_the_traits_its_cases_rely_on():
    melati = answers.load_frames("melati")
    stores, products, sales, stock, patients = (melati[t] for t in answers.TABLES)
    assert len(stores) == 14 and set(stores["state"]) == {"JK", "JB", "BT", "JT", "YO", "JI", "BA", "SU", "SN", "RI"}
    assert (stores["city"] == "Jakarta").sum() == 3 and (stores["state"] == "JI").sum() == 2
    assert set(patients["state"]) <= set(stores["state"]) and patients["zip"].str.fullmatch(r"\d{5}").all()
    assert "Optik Melati Braga" in set(stores["name"]) and products["name"].str.contains("Braga").sum() == 2
    assert "Saturdays" in set(products["brand"]) and "Melati Lebaran Edition" in set(products["name"])
    assert sales["day"].min() == date(2024, 7, 1) and sales["day"].max() == answers.TODAY - timedelta(days=1)
    assert set(sales["day"].map(lambda d: d.isoweekday())) == set(range(1, 8))  # mall stores trade on Sundays
    pekanbaru = sales[sales["store_code"] == "ML-14"]["day"]
    assert pekanbaru.max() == date(2026, 2, 28) and "ML-14" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "ML-13"]["day"].min() == date(2025, 9, 8)
    malioboro = sales[sales["store_code"] == "ML-06"]["day"]
    assert not malioboro.between(date(2025, 12, 1), date(2025, 12, 21)).any()
    assert malioboro.between(date(2025, 12, 22), date(2025, 12, 31)).any()
    shut = [date(2025, 1, 1), date(2025, 3, 31), date(2025, 4, 1), date(2026, 1, 1), date(2026, 3, 20),
            date(2026, 3, 21)]
    assert not sales["day"].isin(shut).any()
    bali = sales[sales["store_code"] == "ML-10"]["day"]
    assert not bali.isin([date(2025, 3, 29), date(2026, 3, 19)]).any()
    assert sales.loc[sales["day"] == date(2026, 3, 19), "store_code"].nunique() > 5  # Nyepi shuts Bali only
    assert set(products["sku"]) - set(sales["sku"]) == {"MLT-08", "MLT-24"}
    hoya = sales[sales["sku"] == "MLT-12"]  # Hoya Nulux Single Vision, listed at 640,000
    assert set(hoya[hoya["day"] >= date(2026, 3, 1)]["unit_price"]) == {704000.0}
    assert set(hoya[hoya["day"] < date(2026, 3, 1)]["unit_price"]) == {640000.0}
    rush = sales[sales["day"].between(date(2026, 3, 6), date(2026, 3, 19))]
    assert (rush["discount"] > 0).mean() > 0.5 > (sales["discount"] > 0).mean()
    assert ((sales["unit_price"] % 1 == 0) & (sales["discount"] % 1000 == 0)).all()  # whole rupiah
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_jacaranda_has_the_traits_its_cases_rely_on():
    jacaranda = answers.load_frames("jacaranda")
    stores, products, sales, stock, patients = (jacaranda[t] for t in answers.TABLES)
    assert len(stores) == 13 and set(stores["state"]) == {"DF", "JC", "NL", "PL", "QT", "YN", "QR", "GT"}
    assert (stores["city"] == "Ciudad de México").sum() == 4 and "Coyoacán" in " ".join(stores["name"])
    assert set(patients["state"]) <= set(stores["state"]) and patients["zip"].str.fullmatch(r"\d{5}").all()
    assert products["name"].str.contains("Coyoacán").sum() == 2 and "Jacaranda Domingo" in set(products["name"])
    assert sales["day"].min() == date(2024, 7, 1) and sales["day"].max() == answers.TODAY - timedelta(days=1)
    malls = {"JC-03", "JC-06", "JC-08", "JC-09", "JC-12"}
    assert set(sales.loc[sales["day"].map(lambda d: d.isoweekday()) == 7, "store_code"]) == malls
    queretaro = sales[sales["store_code"] == "JC-10"]["day"]
    assert queretaro.max() <= date(2025, 11, 30) and "JC-10" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "JC-12"]["day"].min() >= date(2025, 9, 4)
    leon = sales[sales["store_code"] == "JC-13"]["day"]
    assert not leon.between(date(2025, 7, 7), date(2025, 8, 3)).any() and leon.between(date(2025, 6, 1),
                                                                                        date(2025, 7, 6)).any()
    assert not sales["day"].isin([date(2025, 1, 1), date(2025, 9, 16), date(2025, 12, 25)]).any()
    good_friday = date(2026, 4, 3)
    assert set(sales.loc[sales["day"] == good_friday, "store_code"]) <= malls
    assert set(products["sku"]) - set(sales["sku"]) == {"MXJ-2006", "MXJ-5003"}
    micas = sales[sales["sku"] == "MXJ-3002"]  # Micas Jacaranda Antirreflejante, listed at 1,290.00
    assert set(micas[micas["day"] >= date(2026, 1, 1)]["unit_price"]) == {1367.4}
    assert set(micas[micas["day"] < date(2026, 1, 1)]["unit_price"]) == {1290.0}
    buen_fin = sales[sales["day"].between(date(2025, 11, 14), date(2025, 11, 17))]
    assert (buen_fin["discount"] > 0).mean() > 0.5 > (sales["discount"] > 0).mean()
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()

def test_zellige_has_the_traits_its_cases_rely_on():
    zellige = answers.load_frames("zellige")
    stores, products, sales, stock, patients = (zellige[t] for t in answers.TABLES)
    assert len(stores) == 16 and set(stores["state"]) == {"CS", "RK", "TT", "FM", "MS", "SM", "OR", "BK"}
    assert (stores["city"] == "Casablanca").sum() == 2 and (stores["city"] == "Rabat").sum() == 2
    assert (stores["state"] == "CS").sum() == 4
    assert {"Salé", "Kénitra", "Tétouan", "Fès", "Meknès"} <= set(stores["city"])
    assert set(patients["state"]) <= set(stores["state"]) and patients["zip"].str.fullmatch(r"\d{5}").all()
    assert "Optique Zellige Agdal" in set(stores["name"]) and products["name"].str.contains("Agdal").sum() == 2
    assert "Zellige Essaouira" in set(products["name"]) and "Essaouira" not in set(stores["city"])
    assert sales["day"].min() == date(2024, 7, 1) and sales["day"].max() == answers.TODAY - timedelta(days=1)
    malls = {"ZL-02", "ZL-13"}
    assert set(sales.loc[sales["day"].map(lambda d: d.isoweekday()) == 7, "store_code"]) == malls
    meknes = sales[sales["store_code"] == "ZL-12"]["day"]
    assert meknes.max() == date(2026, 1, 31) and "ZL-12" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "ZL-15"]["day"].min() >= date(2025, 10, 6)
    agadir = sales[sales["store_code"] == "ZL-14"]["day"]
    assert not agadir.between(date(2025, 8, 4), date(2025, 8, 24)).any()
    assert agadir.between(date(2025, 8, 1), date(2025, 8, 3)).any()
    holidays = [date(2025, 1, 14), date(2025, 5, 1), date(2025, 7, 30), date(2025, 9, 5), date(2025, 11, 18)]
    assert set(sales.loc[sales["day"].isin(holidays), "store_code"]) <= malls
    assert not sales["day"].isin([date(2025, 3, 31), date(2025, 6, 7), date(2026, 3, 20), date(2026, 5, 27)]).any()
    assert set(products["sku"]) - set(sales["sku"]) == {"ZLG-F07", "ZLG-S06"}
    crizal = sales[sales["sku"] == "ZLG-V02"]  # Essilor Crizal Sapphire, listed at 1,350.00 dirhams
    assert set(crizal[crizal["day"] >= date(2026, 3, 1)]["unit_price"]) == {1404.0}
    assert set(crizal[crizal["day"] < date(2026, 3, 1)]["unit_price"]) == {1350.0}
    soldes = sales[sales["day"].between(date(2025, 7, 1), date(2025, 7, 14))]
    assert (soldes["discount"] > 0).mean() > 0.5 > (sales["discount"] > 0).mean()
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_elia_has_the_traits_its_cases_rely_on():
    elia = answers.load_frames("elia")
    stores, products, sales, stock, patients = (elia[t] for t in answers.TABLES)
    assert len(stores) == 16 and set(stores["state"]) == {"AT", "KM", "KR", "DE", "TH", "PE", "EP", "NA"}
    assert (stores["city"] == "Athina").sum() == 2 and (stores["state"] == "AT").sum() == 5
    assert {"Peiraias", "Irakleio", "Patra", "Larisa", "Rodos"} <= set(stores["city"])
    assert not {"Athens", "Piraeus", "Heraklion", "Patras", "Rhodes"} & set(stores["city"])
    assert set(patients["state"]) <= set(stores["state"]) and patients["zip"].str.fullmatch(r"\d{5}").all()
    assert "Optika Elia Kolonaki" in set(stores["name"]) and products["name"].str.contains("Kolonaki").sum() == 2
    assert "Elia Mykonos" in set(products["name"]) and "Mykonos" not in " ".join(stores["city"])
    assert sales["day"].min() == date(2024, 9, 2) and sales["day"].max() == answers.TODAY - timedelta(days=1)
    assert set(sales.loc[sales["day"].map(lambda d: d.isoweekday()) == 7, "store_code"]) == {"EL-03"}
    serres = sales[sales["store_code"] == "EL-07"]["day"]
    assert serres.max() <= date(2026, 2, 28) and "EL-07" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "EL-16"]["day"].min() >= date(2025, 10, 1)
    assert not sales.loc[sales["store_code"] == "EL-15", "day"].map(lambda d: d.month in (11, 12, 1, 2, 3)).any()
    patra = sales[sales["store_code"] == "EL-10"]["day"]
    assert not patra.between(date(2025, 7, 7), date(2025, 7, 27)).any() and patra.between(date(2025, 7, 1),
                                                                                          date(2025, 7, 6)).any()
    holidays = [date(2025, 3, 3), date(2025, 3, 25), date(2025, 4, 21), date(2025, 6, 9), date(2025, 10, 28),
                date(2026, 2, 23), date(2026, 4, 13)]  # Clean Monday, Orthodox Easter / Whit Mondays among them
    assert set(sales.loc[sales["day"].isin(holidays), "store_code"]) <= {"EL-03"}
    assert not sales["day"].isin([date(2024, 12, 25), date(2025, 1, 1), date(2025, 4, 20), date(2026, 4, 12)]).any()
    assert set(products["sku"]) - set(sales["sku"]) == {"ELA-S06", "ELA-A03"}
    hoya = sales[sales["sku"] == "ELA-L01"]  # Hoya Nulux EP 1.6, listed at 140.00 euros
    assert set(hoya[hoya["day"] >= date(2026, 1, 1)]["unit_price"]) == {148.4}
    assert set(hoya[hoya["day"] < date(2026, 1, 1)]["unit_price"]) == {140.0}
    ekptoseis = sales[sales["day"].between(date(2025, 7, 14), date(2025, 8, 31))]
    assert (ekptoseis["discount"] > 0).mean() > 0.4 > (sales["discount"] > 0).mean()
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_andorinha_has_the_traits_its_cases_rely_on():
    books = answers.load_frames("andorinha")
    stores, products, sales, stock, patients = (books[t] for t in answers.TABLES)
    assert len(stores) == 15 and set(stores["state"]) == {"LX", "PO", "BR", "CO", "AV", "FA", "SE", "MD"}
    assert (stores["city"] == "Lisboa").sum() == 2 and (stores["state"] == "LX").sum() == 3
    assert not {"Lisbon", "Oporto"} & set(stores["city"]) and (stores["state"] == "FA").sum() == 3
    assert set(patients["state"]) <= set(stores["state"]) and patients["zip"].str.fullmatch(r"\d{5}").all()
    assert products["name"].str.contains("Belém").sum() == 2 and "Belém" not in " ".join(stores["name"])
    assert "Andorinha Nazaré" in set(products["name"]) and "Nazaré" not in set(stores["city"])
    assert sales["day"].min() == date(2024, 6, 3) and sales["day"].max() == answers.TODAY - timedelta(days=1)
    assert set(sales.loc[sales["day"].map(lambda d: d.isoweekday()) == 7, "store_code"]) == {"AN-02"}
    guimaraes = sales[sales["store_code"] == "AN-08"]["day"]
    assert date(2026, 1, 1) <= guimaraes.max() <= date(2026, 1, 31) and "AN-08" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "AN-15"]["day"].min() >= date(2025, 11, 3)
    lagos = sales[sales["store_code"] == "AN-12"]["day"]
    assert not lagos.between(date(2025, 2, 3), date(2025, 2, 23)).any() and lagos.between(date(2025, 2, 24),
                                                                                          date(2025, 2, 28)).any()
    national = [date(2025, 4, 18), date(2025, 4, 25), date(2025, 6, 10), date(2025, 6, 19), date(2025, 12, 8),
                date(2026, 4, 3)]  # Good Friday, Freedom Day, Portugal Day, Corpus Christi, Immaculate Conception
    assert set(sales.loc[sales["day"].isin(national), "store_code"]) <= {"AN-02"}
    santo_antonio = sales[sales["day"] == date(2025, 6, 13)]["store_code"]
    assert "AN-01" not in set(santo_antonio) and "AN-02" in set(santo_antonio)
    assert not sales["day"].isin([date(2024, 12, 25), date(2025, 1, 1), date(2025, 4, 20), date(2026, 4, 5)]).any()
    assert set(products["sku"]) - set(sales["sku"]) == {"AND-108", "AND-503"}
    zeiss = sales[sales["sku"] == "AND-304"]  # Zeiss SmartLife Individual, listed at 350.00 euros
    assert set(zeiss[zeiss["day"] >= date(2026, 3, 1)]["unit_price"]) == {367.5}
    assert set(zeiss[zeiss["day"] < date(2026, 3, 1)]["unit_price"]) == {350.0}
    semana = sales[sales["day"].between(date(2025, 10, 20), date(2025, 10, 26))]
    framed = semana[semana["sku"].isin(products.loc[products["category"].isin(["frames", "sunglasses"]), "sku"])]
    twenty = (0.2 * framed["quantity"] * framed["unit_price"]).round(2)
    assert len(framed) > 50 and (framed["discount"] - twenty).abs().max() < 0.006
    saldos = sales[sales["day"].between(date(2025, 7, 15), date(2025, 8, 31))]
    assert (saldos["discount"] > 0).mean() > 0.4 > (sales["discount"] > 0).mean()
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def _result(columns, rows, measure, dimensions):
    """A stand-in for the SQL tool's result: only what `score_sql_result` reads."""
    from types import SimpleNamespace

    spec = SimpleNamespace(measure=measure, dimensions=tuple(dimensions), average_over=None)
    return SimpleNamespace(summary="", error=None, spec=spec, executed=True, columns=columns, rows=rows)


def test_senhong_has_the_traits_its_cases_rely_on():
    books = answers.load_frames("senhong")
    stores, products, sales, stock, patients = (books[t] for t in answers.TABLES)
    assert len(stores) == 14 and set(stores["state"]) == {"HN", "SG", "DN", "HP", "CT"}
    assert (stores["city"] == "Hà Nội").sum() == 3 and (stores["state"] == "HN").sum() == 4
    assert (stores["city"] == "TP. Hồ Chí Minh").sum() == 3 and (stores["state"] == "SG").sum() == 4
    assert not {"Hanoi", "Ho Chi Minh City", "Saigon", "Danang", "Haiphong"} & set(stores["city"])
    assert {"Sơn Tây", "Thủ Đức", "Đồ Sơn"} <= set(stores["city"]) and "Hội An" not in set(stores["city"])
    assert set(patients["state"]) <= set(stores["state"]) and patients["zip"].str.fullmatch(r"\d{5}").all()
    assert products["name"].str.contains("Bến Thành").sum() == 2 and "Sen Hồng Bến Thành" in set(stores["name"])
    assert products["name"].str.contains("Hạ Long").sum() == 2 and "Hạ Long" not in " ".join(stores["name"])
    assert sales["day"].min() == date(2024, 7, 1) and sales["day"].max() == answers.TODAY - timedelta(days=1)
    assert sales["day"].map(lambda d: d.isoweekday() == 7).any()  # open on Sundays
    son_tra = sales[sales["store_code"] == "SH-10"]["day"]
    assert date(2026, 2, 1) <= son_tra.max() <= date(2026, 2, 28) and "SH-10" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "SH-03"]["day"].min() >= date(2025, 9, 8)
    cai_rang = sales[sales["store_code"] == "SH-14"]["day"]
    assert not cai_rang.between(date(2025, 10, 1), date(2025, 10, 19)).any() and cai_rang.between(
        date(2025, 10, 20), date(2025, 10, 31)).any()
    assert not sales["day"].isin([date(2025, 1, 29), date(2026, 2, 17)]).any()  # the first day of Tết
    street_shut = [date(2024, 9, 2), date(2025, 9, 2), date(2025, 1, 28), date(2025, 1, 31), date(2026, 2, 16),
                   date(2026, 2, 19)]  # National Day, Tết eve to the third day: only the Vincom mall shop trades
    assert set(sales.loc[sales["day"].isin(street_shut), "store_code"]) == {"SH-06"}
    assert set(products["sku"]) - set(sales["sku"]) == {"SHV-1013", "SHV-1025"}
    chemi = sales[sales["sku"] == "SHV-1018"]  # Chemi Perfect UV 1.56, listed at 450,000 đồng
    assert set(chemi[chemi["day"] >= date(2026, 3, 1)]["unit_price"]) == {486000.0}
    assert set(chemi[chemi["day"] < date(2026, 3, 1)]["unit_price"]) == {450000.0}
    sale_days = sales[sales["day"].isin([date(2025, 11, 11), date(2025, 11, 28)])]
    assert (sale_days["discount"] > 0).mean() > 0.5 > (sales["discount"] > 0).mean()
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_copihue_has_the_traits_its_cases_rely_on():
    books = answers.load_frames("copihue")
    stores, products, sales, stock, patients = (books[t] for t in answers.TABLES)
    assert len(stores) == 14 and set(stores["state"]) == {"RM", "VS", "BI", "AR", "LL", "AN"}
    assert (stores["state"] == "RM").sum() == 5 and (stores["city"] == "Providencia").sum() == 2
    assert "Copihue Providencia" in set(stores["name"]) and "Copihue Valparaíso" in set(stores["name"])
    assert set(stores.loc[stores["state"] == "VS", "city"]) == {"Valparaíso", "Viña del Mar", "Quilpué"}
    assert {"Ñuñoa", "Los Ángeles", "Concepción"} <= set(stores["city"]) and "Los Angeles" not in set(stores["city"])
    assert set(patients["state"]) <= set(stores["state"]) and patients["zip"].str.fullmatch(r"\d{5}").all()
    assert products["name"].str.contains("Cerro Alegre").sum() == 2 and "Cerro Alegre" not in " ".join(stores["name"])
    assert products["name"].str.contains("Atacama").sum() == 2 and "Atacama" not in " ".join(stores["city"])
    assert sales["day"].max() == answers.TODAY - timedelta(days=1)
    temuco = sales[sales["store_code"] == "CP-11"]["day"]
    assert date(2026, 3, 1) <= temuco.max() <= date(2026, 3, 31) and "CP-11" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "CP-08"]["day"].min() == date(2025, 9, 2)
    sundays = sales[sales["day"].map(lambda d: d.isoweekday() == 7)]
    assert set(sundays["store_code"]) == {"CP-02", "CP-07"}  # only the two mall shops trade on Sundays
    shut = [date(y, m, d) for y in (2024, 2025) for m, d in ((1, 1), (5, 1), (9, 18), (9, 19), (12, 25))]
    assert not sales["day"].isin(shut).any()
    assert set(products["sku"]) - set(sales["sku"]) == {"CPH-211", "CPH-223"}
    cyber = sales[sales["day"].isin([date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 3)])]
    assert (cyber["discount"] > 0).mean() > 0.5 > (sales["discount"] > 0).mean()
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_nazar_has_the_traits_its_cases_rely_on():
    books = answers.load_frames("nazar")
    stores, products, sales, stock, patients = (books[t] for t in answers.TABLES)
    assert len(stores) == 14 and set(stores["state"]) == {"MH", "KA", "TN", "DL", "HR", "WB", "TG"}
    assert {"Bengaluru", "Mumbai", "Mysuru", "Gurugram", "Kolkata"} <= set(stores["city"])
    assert not {"Bangalore", "Bombay", "Mysore", "Gurgaon", "Calcutta"} & set(stores["city"])
    assert set(stores.loc[stores["state"] == "DL", "city"]) == {"Delhi"}  # the city and the state share a name
    assert "Nazar Mysuru" in set(stores["name"]) and "Nazar Coimbatore" in set(stores["name"])
    assert products["name"].str.contains("Jaipur").sum() == 2 and "Jaipur" not in " ".join(stores["city"])
    assert set(patients["state"]) <= set(stores["state"]) and patients["zip"].str.fullmatch(r"\d{5}").all()
    assert sales["day"].min() == date(2024, 4, 1) and sales["day"].max() == answers.TODAY - timedelta(days=1)
    park_street = sales[sales["store_code"] == "NZ-12"]["day"]
    assert date(2026, 1, 1) <= park_street.max() <= date(2026, 1, 31) and "NZ-12" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "NZ-13"]["day"].min() >= date(2025, 8, 18)
    shut = [date(2024, 11, 1), date(2025, 10, 21), date(2025, 3, 14), date(2026, 3, 4)]  # Diwali and Holi
    assert set(sales.loc[sales["day"].isin(shut), "store_code"]) == {"NZ-05"}  # the mall branch trades
    assert set(products["sku"]) - set(sales["sku"]) == {"NZO-312", "NZO-324"}
    titan = sales[sales["sku"] == "NZO-313"]  # Titan lenses: 6 % more from the new financial year
    assert set(titan[titan["day"] >= date(2026, 4, 1)]["unit_price"]) == {1908.0}
    assert set(titan[titan["day"] < date(2026, 4, 1)]["unit_price"]) == {1800.0}
    dhamaka = sales[sales["day"].between(date(2025, 10, 11), date(2025, 10, 20))]
    assert (dhamaka["discount"] > 0).mean() > 0.5 > (sales["discount"] > 0).mean()
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()



def test_glimt_has_the_traits_its_cases_rely_on():
    books = answers.load_frames("glimt")
    stores, products, sales, stock, patients = (books[t] for t in answers.TABLES)
    assert len(stores) == 13 and set(stores["state"]) == {"ST", "UP", "VG", "SK", "OG", "VB", "NB"}
    assert {"Göteborg", "Malmö", "Linköping", "Umeå"} <= set(stores["city"])
    assert not {"Gothenburg", "Malmo", "Scania"} & (set(stores["city"]) | set(stores["state"]))
    assert set(stores.loc[stores["state"] == "UP", "city"]) == {"Uppsala"}  # the city and the county share a name
    assert set(stores.loc[stores["state"] == "ST", "city"]) == {"Stockholm", "Solna"}
    assert {"Glimt Uppsala", "Glimt Lund"} <= set(stores["name"])
    assert products["name"].str.contains("Visby").sum() == 2 and "Visby" not in " ".join(stores["city"])
    assert set(patients["state"]) <= set(stores["state"]) and patients["zip"].str.fullmatch(r"\d{5}").all()
    assert sales["day"].min() == date(2024, 6, 3) and sales["day"].max() == answers.TODAY - timedelta(days=1)
    kiruna = sales[sales["store_code"] == "GL-13"]["day"]
    assert date(2026, 2, 1) <= kiruna.max() <= date(2026, 2, 28) and "GL-13" not in set(stock["store_code"])
    assert not kiruna.map(lambda d: d.isoweekday() == 7).any()
    assert sales[sales["store_code"] == "GL-09"]["day"].min() >= date(2025, 9, 1)
    red = [date(2024, 6, 21), date(2024, 12, 25), date(2025, 6, 20), date(2025, 12, 24), date(2025, 12, 25)]
    assert not sales["day"].isin(red).any()
    mall_only = [date(2025, 1, 1), date(2025, 4, 18), date(2026, 1, 1), date(2026, 4, 3)]  # nyårsdagen, långfredag
    assert set(sales.loc[sales["day"].isin(mall_only), "store_code"]) == {"GL-03"}
    assert set(products["sku"]) - set(sales["sku"]) == {"GLO-411", "GLO-425"}
    zeiss = sales[(sales["sku"] == "GLO-412")]  # Zeiss lenses: 4 % more from 1 Feb 2026
    assert set(zeiss[zeiss["day"] >= date(2026, 2, 1)]["unit_price"]) == {1976.0}
    black_week = sales[sales["day"].between(date(2025, 11, 24), date(2025, 11, 30))]
    assert (black_week["discount"] > 0).mean() > 0.5 > (sales["discount"] > 0).mean()
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_yakamoz_has_the_traits_its_cases_rely_on():
    books = answers.load_frames("yakamoz")
    stores, products, sales, stock, patients = (books[t] for t in answers.TABLES)
    assert len(stores) == 12 and set(stores["state"]) == {"MA", "EG", "IC", "AK", "KA", "GD"}
    assert {"İstanbul", "İzmir", "Eskişehir"} <= set(stores["city"])  # the dotted capital İ, as stored
    assert not {"Istanbul", "Izmir", "Antep", "Aegean"} & (set(stores["city"]) | set(stores["state"]))
    assert set(stores.loc[stores["city"] == "İstanbul", "store_code"]) == {"YK-01", "YK-02", "YK-03"}
    assert set(stores.loc[stores["city"] == "İzmir", "store_code"]) == {"YK-05", "YK-06"}
    assert set(stores.loc[stores["state"] == "KA", "city"]) == {"Trabzon"}
    assert products["name"].str.contains("Boğaz").sum() == 2 and products["name"].str.contains("Bodrum").sum() == 2
    assert "Bodrum" not in " ".join(stores["city"]) and "Konya" not in " ".join(stores["city"])
    assert set(patients["state"]) <= set(stores["state"]) and patients["zip"].str.fullmatch(r"\d{5}").all()
    assert sales["day"].min() == date(2024, 6, 3) and sales["day"].max() == answers.TODAY - timedelta(days=1)
    antep = sales[sales["store_code"] == "YK-12"]["day"]
    assert antep.max() == date(2026, 1, 31) and "YK-12" not in set(stock["store_code"])
    sundays = sales[sales["store_code"].isin(["YK-11", "YK-12"])]["day"].map(lambda d: d.isoweekday() == 7)
    assert not sundays.any()
    assert sales[sales["store_code"] == "YK-06"]["day"].min() == date(2025, 10, 13)
    first_days = [date(2024, 6, 16), date(2025, 3, 30), date(2025, 6, 6), date(2026, 3, 20), date(2026, 5, 27)]
    assert not sales["day"].isin(first_days).any()  # the first day of each bayram: every shop shut
    mall_only = [date(2025, 1, 1), date(2025, 3, 31), date(2026, 1, 1), date(2026, 3, 21), date(2026, 5, 28)]
    assert set(sales.loc[sales["day"].isin(mall_only), "store_code"]) == {"YK-03"}
    assert set(products["sku"]) - set(sales["sku"]) == {"YKO-111", "YKO-124"}
    aviator = sales[sales["sku"] == "YKO-109"]  # list prices rise on 1 Jan and 1 Jul
    prices = [set(aviator[aviator["day"].between(lo, hi)]["unit_price"]) for lo, hi in
              ((date(2024, 6, 3), date(2024, 12, 31)), (date(2025, 1, 1), date(2025, 6, 30)),
               (date(2025, 7, 1), date(2025, 12, 31)), (date(2026, 1, 1), date(2026, 6, 14)))]
    assert [len(p) for p in prices] == [1, 1, 1, 1] and max(prices[0]) < max(prices[1]) < max(prices[2])
    assert prices[3] == {float(products.loc[products["sku"] == "YKO-109", "unit_price"].iloc[0])}
    efsane = sales[sales["day"].between(date(2025, 11, 28), date(2025, 11, 30))]
    assert (efsane["discount"] > 0).mean() > 0.5 > (sales["discount"] > 0).mean()
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_jiskra_has_the_traits_its_cases_rely_on():
    books = answers.load_frames("jiskra")
    stores, products, sales, stock, patients = (books[t] for t in answers.TABLES)
    assert len(stores) == 12 and set(stores["state"]) == {"PR", "JM", "MS", "PL", "OL", "JC", "HK", "KV", "LB"}
    assert {"Praha", "Plzeň", "České Budějovice", "Karlovy Vary", "Hradec Králové"} <= set(stores["city"])
    assert not {"Prague", "Pilsen", "Budweis", "Carlsbad", "Budějky"} & set(stores["city"])
    assert set(stores.loc[stores["city"] == "Praha", "store_code"]) == {"JS-01", "JS-02", "JS-03"}
    assert set(stores.loc[stores["city"] == "Brno", "store_code"]) == {"JS-04", "JS-05"}
    assert products["name"].str.contains("Vltava").sum() == 2 and products["name"].str.contains("Krkonoše").sum() == 2
    assert products["name"].str.contains("Morava").sum() == 1 and "Dioptra" in set(products["brand"])
    assert not {"Krkonoše", "Český Krumlov", "Morava"} & set(stores["city"])
    assert set(patients["state"]) <= set(stores["state"]) and patients["zip"].str.fullmatch(r"\d{5}").all()
    assert sales["day"].min() == date(2024, 7, 1) and sales["day"].max() == answers.TODAY - timedelta(days=1)
    vary = sales[sales["store_code"] == "JS-11"]["day"]
    assert vary.max() == date(2026, 2, 28) and "JS-11" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "JS-04"]["day"].min() == date(2025, 9, 1)
    street = [f"JS-{n:02d}" for n in range(5, 12)]  # the street shops outside Praha: never on a Sunday
    assert not sales[sales["store_code"].isin(street)]["day"].map(lambda d: d.isoweekday() == 7).any()
    malls = {"JS-02", "JS-04", "JS-12"}
    law_days = [date(2025, 4, 21), date(2025, 5, 8), date(2025, 9, 28), date(2025, 10, 28), date(2026, 4, 6),
                date(2026, 5, 8)]  # Czech law shuts the malls; the street shops trade
    on_law_days = sales[sales["day"].isin(law_days)]
    assert not set(on_law_days["store_code"]) & malls and on_law_days["day"].nunique() == len(law_days)
    assert not sales["day"].isin([date(2024, 12, 25), date(2024, 12, 26), date(2025, 1, 1), date(2025, 12, 25),
                                  date(2025, 12, 26), date(2026, 1, 1)]).any()
    eve = sales[sales["day"].isin([date(2024, 12, 24), date(2025, 12, 24)])]
    assert len(eve) and set(eve["store_code"]) <= malls  # Štědrý den: the malls only, until noon
    assert set(products["sku"]) - set(sales["sku"]) == {"JSK-111", "JSK-124"}
    wayfarer = sales[sales["sku"] == "JSK-109"]  # the list prices rose on 1 Jan 2026
    before, after = (set(wayfarer[wayfarer["day"] < date(2026, 1, 1)]["unit_price"]),
                     set(wayfarer[wayfarer["day"] >= date(2026, 1, 1)]["unit_price"]))
    assert len(before) == 1 and max(before) < min(after)
    assert after == {float(products.loc[products["sku"] == "JSK-109", "unit_price"].iloc[0])}
    black_friday = sales[sales["day"].between(date(2025, 11, 24), date(2025, 11, 30))]
    assert (black_friday["discount"] > 0).mean() > 0.5 > (sales["discount"] > 0).mean()
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_pipacs_has_the_traits_its_cases_rely_on():
    books = answers.load_frames("pipacs")
    stores, products, sales, stock, patients = (books[t] for t in answers.TABLES)
    assert len(stores) == 12 and set(stores["state"]) == {"BP", "PE", "HB", "CS", "BA", "GY", "BO", "FE"}
    assert {"Budapest", "Pécs", "Győr", "Sopron", "Székesfehérvár", "Budaörs"} <= set(stores["city"])
    assert not {"Fünfkirchen", "Raab", "Ödenburg", "Fehérvár", "Siófok", "Balaton"} & set(stores["city"])
    assert set(stores.loc[stores["city"] == "Budapest", "store_code"]) == {"PO-01", "PO-02", "PO-03"}
    assert set(stores.loc[stores["state"] == "PE", "city"]) == {"Budaörs"}  # Pest megye, not the capital
    assert set(stores.loc[stores["city"] == "Debrecen", "store_code"]) == {"PO-05", "PO-11"}
    assert products["name"].str.contains("Tisza").sum() == 2 and products["name"].str.contains("Balaton").sum() == 2
    assert products["name"].str.contains("Mátra").sum() == 1 and "Hungarolens" in set(products["brand"])
    assert set(patients["state"]) <= set(stores["state"]) and patients["zip"].str.fullmatch(r"0\d{4}").all()
    assert sales["day"].min() == date(2024, 7, 1) and sales["day"].max() == answers.TODAY - timedelta(days=1)
    miskolc = sales[sales["store_code"] == "PO-09"]["day"]
    assert date(2026, 1, 1) <= miskolc.max() <= date(2026, 1, 31) and "PO-09" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "PO-11"]["day"].min() == date(2025, 10, 2)
    street = {"PO-05", "PO-06", "PO-07", "PO-09", "PO-10", "PO-12"}  # outside Budapest: never on a Sunday
    assert not sales[sales["store_code"].isin(street)]["day"].map(lambda d: d.isoweekday() == 7).any()
    holidays = [date(2024, 8, 20), date(2025, 3, 15), date(2025, 6, 9), date(2025, 10, 23), date(2025, 12, 25),
                date(2026, 1, 1), date(2026, 3, 15), date(2026, 4, 6), date(2026, 5, 25)]
    assert not sales["day"].isin(holidays).any()
    malls = {"PO-02", "PO-03", "PO-04", "PO-08", "PO-11"}
    good_friday = sales[sales["day"].isin([date(2025, 4, 18), date(2026, 4, 3)])]
    assert len(good_friday) and set(good_friday["store_code"]) <= malls  # nagypéntek: the malls only
    assert set(products["sku"]) - set(sales["sku"]) == {"PPC-11", "PPC-24"}
    aviator = sales[sales["sku"] == "PPC-09"]  # the list prices rose on 1 Feb 2026
    before, after = (set(aviator[aviator["day"] < date(2026, 2, 1)]["unit_price"]),
                     set(aviator[aviator["day"] >= date(2026, 2, 1)]["unit_price"]))
    assert len(before) == 1 and max(before) < min(after)
    assert after == {float(products.loc[products["sku"] == "PPC-09", "unit_price"].iloc[0])}
    black_friday = sales[sales["day"].between(date(2025, 11, 24), date(2025, 11, 30))]
    assert (black_friday["discount"] > 0).mean() > 0.5 > (sales["discount"] > 0).mean()
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_ghiocel_has_the_traits_its_cases_rely_on():
    books = answers.load_frames("ghiocel")
    stores, products, sales, stock, patients = (books[t] for t in answers.TABLES)
    assert len(stores) == 13 and set(stores["state"]) == {"BU", "IF", "CJ", "SB", "TM", "IS", "CT", "BV", "BH"}
    assert {"București", "Cluj-Napoca", "Timișoara", "Iași", "Constanța", "Brașov", "Voluntari"} <= set(stores["city"])
    assert not {"Bucharest", "Cluj", "Kolozsvár", "Hermannstadt", "Temeswar", "Nagyvárad", "Craiova", "Vama Veche"} & (
        set(stores["city"]) | set(stores["name"]))
    assert set(stores.loc[stores["city"] == "București", "store_code"]) == {"GH-01", "GH-02", "GH-03"}
    assert set(stores.loc[stores["state"] == "IF", "city"]) == {"Voluntari"}  # Pipera: beside the capital, not in it
    assert set(stores.loc[stores["city"] == "Constanța", "store_code"]) == {"GH-10", "GH-11"}
    assert not stores["name"].str.contains("Sector").any()  # which sector a shop is in is not stored
    names = products["name"]
    assert names.str.contains("Carpați").sum() == 2 and names.str.contains("Vama Veche").sum() == 2
    assert "Lentiro" in set(products["brand"]) and "Ghiocel" in set(products["brand"])
    assert set(patients["state"]) <= set(stores["state"]) and patients["zip"].str.fullmatch(r"\d{5}").all()
    assert sales["day"].min() == date(2024, 6, 3) and sales["day"].max() == answers.TODAY - timedelta(days=1)
    oradea = sales[sales["store_code"] == "GH-13"]["day"]
    assert oradea.max() == date(2026, 3, 31) and "GH-13" not in set(stock["store_code"])
    assert sales[sales["store_code"] == "GH-06"]["day"].min() == date(2025, 9, 18)
    titan = sales[sales["store_code"] == "GH-03"]["day"]
    assert not titan.between(date(2026, 1, 12), date(2026, 2, 1)).any() and titan.max() > date(2026, 2, 1)
    mamaia = sales[sales["store_code"] == "GH-11"]["day"]
    assert mamaia.map(lambda d: (6, 1) <= (d.month, d.day) <= (9, 15)).all()
    assert {date(2025, 8, 15), date(2026, 6, 1)} <= set(mamaia)  # the beach shop trades on summer holidays
    street = {"GH-01", "GH-03", "GH-05", "GH-07", "GH-10", "GH-12", "GH-13"}
    street_sundays = sales[sales["store_code"].isin(street) & sales["day"].map(lambda d: d.isoweekday() == 7)]
    assert set(street_sundays["day"]) == {date(2026, 3, 1)}  # Ziua Ghiocelului opens every shop, even on a Sunday
    assert not sales["day"].isin([date(2025, 4, 20), date(2026, 4, 12), date(2025, 12, 25), date(2026, 1, 1)]).any()
    malls = {"GH-02", "GH-04", "GH-06", "GH-08", "GH-09"}
    holidays = [date(2025, 12, 1), date(2026, 4, 10), date(2026, 4, 13), date(2026, 5, 31), date(2026, 1, 24)]
    on_holidays = sales[sales["day"].isin(holidays)]
    assert set(on_holidays["store_code"]) == malls  # Orthodox Good Friday, Easter Monday, Rusalii, 1 Dec, 24 Jan
    assert set(products["sku"]) - set(sales["sku"]) == {"GHC-11", "GHC-24"}
    wayfarer = sales[sales["sku"] == "GHC-09"]  # the list prices rose with VAT on 1 Aug 2025
    before, after = (set(wayfarer[wayfarer["day"] < date(2025, 8, 1)]["unit_price"]),
                     set(wayfarer[wayfarer["day"] >= date(2025, 8, 1)]["unit_price"]))
    assert len(before) == 1 and max(before) < min(after)
    assert after == {float(products.loc[products["sku"] == "GHC-09", "unit_price"].iloc[0])}
    black_friday = sales[sales["day"].between(date(2025, 11, 7), date(2025, 11, 9))]  # Romania's: early November
    assert (black_friday["discount"] > 0).mean() > 0.5 > (sales["discount"] > 0).mean()
    us_black_friday = sales[sales["day"].between(date(2025, 11, 28), date(2025, 11, 30))]
    assert (us_black_friday["discount"] > 0).mean() < 0.2
    assert (stock["on_hand"] == 0).any() and (stock["on_hand"] == stock["reorder_point"]).any()


def test_a_ranking_within_each_group_is_scored_group_by_group():
    import pandas as pd

    frames = {"stores": pd.DataFrame({"store_code": ["A", "B", "C"], "name": ["a", "b", "c"],
                                      "city": ["X", "X", "Y"], "state": ["P", "P", "Q"]}),
              "products": pd.DataFrame({"sku": ["S1"], "name": ["n"], "category": ["frames"], "brand": ["b"]}),
              "sales": pd.DataFrame({"order_id": [1, 2, 3], "store_code": ["A", "B", "C"], "sku": ["S1"] * 3,
                                     "day": [date(2025, 1, 2)] * 3, "quantity": [3, 5, 1],
                                     "unit_price": [10.0] * 3, "discount": [0.0] * 3})}
    case = {"calc": {"m": "units", "by": ["state", "store"], "within": "state", "rank": ["desc", 1]}}
    expected = answers.expected_sql(case["calc"], frames)
    assert expected["kind"] == "rank_per" and expected["top"] == {"P": [(("P", "B"), 5)], "Q": [(("Q", "C"), 1)]}
    columns = ["state", "store_code", "units"]
    per_region = _result(columns, [("P", "B", 5), ("Q", "C", 1)], "units", ["state", "store"])
    assert answers.score_sql_result(case, per_region, expected).verdict == "right"
    overall_top = _result(columns, [("P", "B", 5)], "units", ["state", "store"])  # a plain top 1: Q is missing
    assert answers.score_sql_result(case, overall_top, expected).verdict == "wrong"
    worst_first = _result(columns, [("P", "A", 3), ("P", "B", 5), ("Q", "C", 1)], "units", ["state", "store"])
    assert answers.score_sql_result(case, worst_first, expected).verdict == "wrong"
    with pytest.raises(ValueError):
        answers.expected_sql({**case["calc"], "within": "store"}, frames)


def test_a_bottom_store_ranking_within_a_place_ranks_only_that_place_s_stores():
    import pandas as pd

    frames = {"stores": pd.DataFrame({"store_code": ["A", "B", "C"], "name": ["a", "b", "c"],
                                      "city": ["X", "X", "Y"], "state": ["P", "P", "Q"]}),
              "products": pd.DataFrame({"sku": ["S1"], "name": ["n"], "category": ["frames"], "brand": ["b"]}),
              "sales": pd.DataFrame({"order_id": [1, 2], "store_code": ["A", "B"], "sku": ["S1", "S1"],
                                     "day": [date(2025, 1, 2)] * 2, "quantity": [3, 5], "unit_price": [10.0, 10.0],
                                     "discount": [0.0, 0.0]})}
    got = answers.expected_sql({"m": "units", "by": ["store"], "f": {"state": ["P"]}, "rank": ["asc", 1]}, frames)
    assert got["top"] == [("A", 3)]  # store C (no sales, other state) is not the worst store of P
    everywhere = answers.expected_sql({"m": "units", "by": ["store"], "rank": ["asc", 1]}, frames)
    assert everywhere["top"] == [("C", 0)]
