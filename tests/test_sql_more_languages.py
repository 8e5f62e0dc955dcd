"""Questions to the SQL tool in Turkish, Czech, Slovak, Danish, Norwegian, Finnish, Romanian, Hungarian and Tagalog
(tools/sql/foreign.py with the tables of tools/sql/foreign_more.py), parser level, on made-up chains of each country
(not bench tenants). Before, each was refused word by word ("I do not know what "ciromuz" means").

- The words of a sales question in each language, with the case forms of inflected and agglutinative languages
  ("ciromuz", "bölgelere göre", "po prodejnách", "myymälöittäin", "boltonként") and the month forms made from CLDR
  ("nisan ayında", "huhtikuussa", "áprilisban", "od dubna"), the Czech and Slovak locatives ("v dubnu", "v apríli").
- A tenant's place name in a case form is read as the place ("Oulussa", "Pécsen", "v Košiciach", "İzmir'de").
- A question with a word the tables do not know is still refused ("kira giderimiz": the rent).
- English questions, and the languages read before, are read exactly as before.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.foreign import in_english, language_of
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 15)


def _chain(brand: str, stores: tuple[tuple[str, str, str, str], ...]) -> Catalog:
    return Catalog(stores=tuple(Store(*s) for s in stores),
                   products=(Product("F-1", f"{brand} Klasik", "frames", brand),
                             Product("S-1", f"{brand} Sol", "sunglasses", brand)),
                   tenant_words=frozenset({brand.lower()}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 14))


CHAINS = {
    "tr": _chain("Lacivert", (("LC-1", "Lacivert Kızılay", "Ankara", "IC"),
                              ("LC-2", "Lacivert Alsancak", "İzmir", "EG"),
                              ("LC-3", "Lacivert Nilüfer", "Bursa", "MR"))),
    "cs": _chain("Vlaštovka", (("VL-1", "Vlaštovka Centrum", "Brno", "JM"),
                               ("VL-2", "Vlaštovka Poruba", "Ostrava", "MS"),
                               ("VL-3", "Vlaštovka Horní náměstí", "Olomouc", "OL"))),
    "sk": _chain("Lipa", (("LP-1", "Lipa Obchodná", "Bratislava", "BL"), ("LP-2", "Lipa Hlavná", "Košice", "KI"),
                          ("LP-3", "Lipa Mariánske námestie", "Žilina", "ZI"))),
    "da": _chain("Fyrtårn", (("FT-1", "Fyrtårn Strøget", "Aarhus", "82"),
                             ("FT-2", "Fyrtårn Kongensgade", "Odense", "83"),
                             ("FT-3", "Fyrtårn Boulevarden", "Aalborg", "81"))),
    "nb": _chain("Nordlys", (("NL-1", "Nordlys Bryggen", "Bergen", "46"),
                             ("NL-2", "Nordlys Solsiden", "Trondheim", "50"),
                             ("NL-3", "Nordlys Storgata", "Tromsø", "55"))),
    "fi": _chain("Revontuli", (("RV-1", "Revontuli Hämeenkatu", "Tampere", "11"),
                               ("RV-2", "Revontuli Rotuaari", "Oulu", "17"),
                               ("RV-3", "Revontuli Aurakatu", "Turku", "19"))),
    "ro": _chain("Bujor", (("BJ-1", "Bujor Iulius", "Cluj-Napoca", "CJ"), ("BJ-2", "Bujor Copou", "Iași", "IS"),
                           ("BJ-3", "Bujor Unirii", "Timișoara", "TM"))),
    "hu": _chain("Pipacs", (("PP-1", "Pipacs Piac utca", "Debrecen", "HB"), ("PP-2", "Pipacs Kárász", "Szeged", "CS"),
                            ("PP-3", "Pipacs Széchenyi", "Pécs", "BA"))),
    "tl": _chain("Sampaguita", (("SG-1", "Sampaguita Colon", "Cebu City", "CEB"),
                                ("SG-2", "Sampaguita Bajada", "Davao City", "DAS"),
                                ("SG-3", "Sampaguita Cubao", "Quezon City", "NCR"))),
}
APRIL, MAY, THIS_YEAR = (date(2026, 4, 1), date(2026, 5, 1)), (date(2026, 5, 1), date(2026, 6, 1)), (
    date(2026, 1, 1), date(2027, 1, 1))
LAST_YEAR, LAST_QUARTER = (date(2025, 1, 1), date(2026, 1, 1)), (date(2026, 1, 1), date(2026, 4, 1))
SINCE_APRIL, SINCE_MARCH = (date(2026, 4, 1), date(2026, 6, 16)), (date(2026, 3, 1), date(2026, 6, 16))
BEST = ("desc", 1)

# (language, question, measure, dimensions, city filter, (start, end) or None, ranking (direction, limit) or None)
CASES = [
    ("tr", "Nisan ayında toplam ciromuz ne kadardı?", "revenue", (), (), APRIL, None),
    ("tr", "Geçen ay İzmir'de kaç adet sattık?", "units", (), ("İzmir",), MAY, None),
    ("tr", "Mağaza bazında bu yılki satışlarımız", "revenue", ("store",), (), THIS_YEAR, None),
    ("tr", "Kaç hastamız var, bölgelere göre?", "patients", ("state",), (), None, None),
    ("tr", "Bursa'da stokta olmayan ürünler", "items_out_of_stock", (), ("Bursa",), None, None),
    ("tr", "Geçen yıl hangi mağaza en çok ciro yaptı?", "revenue", ("store",), (), LAST_YEAR, BEST),
    ("tr", "Kaç mağazamız var?", "store_count", (), (), None, None),
    ("tr", "Nisan'dan beri ciromuz", "revenue", (), (), SINCE_APRIL, None),
    ("cs", "Kolik jsme utržili v dubnu?", "revenue", (), (), APRIL, None),
    ("cs", "Tržby po prodejnách za květen", "revenue", ("store",), (), MAY, None),
    ("cs", "Kolik máme pacientů?", "patients", (), (), None, None),
    ("cs", "Slevy v Olomouci v minulém čtvrtletí", "discount_total", (), ("Olomouc",), LAST_QUARTER, None),
    ("cs", "Která prodejna měla loni nejvíce tržeb?", "revenue", ("store",), (), LAST_YEAR, BEST),
    ("cs", "tržby podle krajů letos", "revenue", ("state",), (), THIS_YEAR, None),
    ("cs", "Tržby od dubna", "revenue", (), (), SINCE_APRIL, None),
    ("sk", "Koľko sme predali v apríli?", "revenue", (), (), APRIL, None),
    ("sk", "Tržby podľa predajní za minulý mesiac", "revenue", ("store",), (), MAY, None),
    ("sk", "Koľko kusov sme predali v Košiciach vlani?", "units", (), ("Košice",), LAST_YEAR, None),
    ("sk", "Koľko máme pacientov?", "patients", (), (), None, None),
    ("sk", "Zľavy v Žiline v minulom štvrťroku", "discount_total", (), ("Žilina",), LAST_QUARTER, None),
    ("sk", "Koľko predajní máme?", "store_count", (), (), None, None),
    ("da", "Hvor meget solgte vi i april?", "revenue", (), (), APRIL, None),
    ("da", "Omsætning pr. butik i år", "revenue", ("store",), (), THIS_YEAR, None),
    ("da", "Hvor mange enheder solgte butikken i Odense sidste måned?", "units", (), ("Odense",), MAY, None),
    ("da", "Hvor mange patienter har vi?", "patients", (), (), None, None),
    ("da", "Rabatter i Aalborg sidste kvartal", "discount_total", (), ("Aalborg",), LAST_QUARTER, None),
    ("da", "Hvilken butik havde mest omsætning sidste år?", "revenue", ("store",), (), LAST_YEAR, BEST),
    ("nb", "Hvor mye solgte vi i april?", "revenue", (), (), APRIL, None),
    ("nb", "Omsetning per butikk i år", "revenue", ("store",), (), THIS_YEAR, None),
    ("nb", "Hvor mange enheter solgte butikken i Bergen forrige måned?", "units", (), ("Bergen",), MAY, None),
    ("nb", "Hvor mange pasienter har vi?", "patients", (), (), None, None),
    ("nb", "Hvor mye rabatt ga vi i Tromsø forrige kvartal?", "discount_total", (), ("Tromsø",), LAST_QUARTER, None),
    ("nb", "Hvilken butikk hadde mest omsetning i fjor?", "revenue", ("store",), (), LAST_YEAR, BEST),
    ("fi", "Paljonko myimme huhtikuussa?", "revenue", (), (), APRIL, None),
    ("fi", "Myynti myymälöittäin viime kuussa", "revenue", ("store",), (), MAY, None),
    ("fi", "Kuinka monta kappaletta myytiin Tampereella viime vuonna?", "units", (), ("Tampere",), LAST_YEAR, None),
    ("fi", "Kuinka monta potilasta meillä on?", "patients", (), (), None, None),
    ("fi", "Alennukset Oulussa viime neljänneksellä", "discount_total", (), ("Oulu",), LAST_QUARTER, None),
    ("fi", "liikevaihto kuukausittain tänä vuonna", "revenue", ("month",), (), THIS_YEAR, None),
    ("fi", "Myynti maaliskuusta lähtien", "revenue", (), (), SINCE_MARCH, None),
    ("ro", "Cât am vândut în aprilie?", "revenue", (), (), APRIL, None),
    ("ro", "Vânzări pe magazin luna trecută", "revenue", ("store",), (), MAY, None),
    ("ro", "Câte bucăți am vândut la Iași anul trecut?", "units", (), ("Iași",), LAST_YEAR, None),
    ("ro", "Câți pacienți avem?", "patients", (), (), None, None),
    ("ro", "Reduceri la Timișoara trimestrul trecut", "discount_total", (), ("Timișoara",), LAST_QUARTER, None),
    ("ro", "Care magazin a avut cele mai mari vânzări anul acesta?", "revenue", ("store",), (), THIS_YEAR, BEST),
    ("ro", "cifra de afaceri pe lună anul acesta", "revenue", ("month",), (), THIS_YEAR, None),
    ("hu", "Mennyi volt a forgalom áprilisban?", "revenue", (), (), APRIL, None),
    ("hu", "Eladások boltonként tavaly", "revenue", ("store",), (), LAST_YEAR, None),
    ("hu", "Hány darabot adtunk el Szegeden a múlt hónapban?", "units", (), ("Szeged",), MAY, None),
    ("hu", "Hány páciensünk van?", "patients", (), (), None, None),
    ("hu", "Kedvezmények Pécsen az előző negyedévben", "discount_total", (), ("Pécs",), LAST_QUARTER, None),
    ("hu", "forgalom havonta idén", "revenue", ("month",), (), THIS_YEAR, None),
    ("hu", "Hány boltunk van?", "store_count", (), (), None, None),
    ("tl", "Magkano ang benta natin noong Abril?", "revenue", (), (), APRIL, None),
    ("tl", "Benta bawat tindahan ngayong taon", "revenue", ("store",), (), THIS_YEAR, None),
    ("tl", "Ilang piraso ang naibenta sa Cebu City noong nakaraang buwan?", "units", (), ("Cebu City",), MAY, None),
    ("tl", "Ilan ang pasyente natin?", "patients", (), (), None, None),
    ("tl", "Diskwento sa Davao City noong nakaraang taon", "discount_total", (), ("Davao City",), LAST_YEAR, None),
    ("tl", "Aling tindahan ang may pinakamataas na benta noong nakaraang taon?", "revenue", ("store",), (), LAST_YEAR,
     BEST),
    ("tl", "Ilan ang tindahan natin?", "store_count", (), (), None, None),
]


# below the reorder point, in each language (the items counted, "are", the reorder-point phrase, the place)
CASES += [
    ("tr", "Bursa'da kaç ürün kritik stok seviyesinin altında?", "items_below_reorder", (), ("Bursa",), None, None),
    ("cs", "Kolik položek je pod minimální zásobou v Olomouci?", "items_below_reorder", (), ("Olomouc",), None, None),
    ("sk", "Koľko položiek je pod minimálnou zásobou v Žiline?", "items_below_reorder", (), ("Žilina",), None, None),
    ("da", "Hvor mange varer er under minimumsbeholdningen i Odense?", "items_below_reorder", (), ("Odense",), None,
     None),
    ("nb", "Hvor mange varer er under bestillingspunktet i Bergen?", "items_below_reorder", (), ("Bergen",), None,
     None),
    ("fi", "Kuinka monta tuotetta on alle tilauspisteen Oulussa?", "items_below_reorder", (), ("Oulu",), None, None),
    ("ro", "Câte produse sunt sub stocul minim la Iași?", "items_below_reorder", (), ("Iași",), None, None),
    ("hu", "Hány termék van a rendelési pont alatt Szegeden?", "items_below_reorder", (), ("Szeged",), None, None),
    ("tl", "Ilang produkto ang mababa sa reorder point sa Cebu City?", "items_below_reorder", (), ("Cebu City",), None,
     None),
]


@pytest.mark.parametrize(("language", "question", "measure", "dims", "city", "period", "ranking"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_questions_in_more_languages(language: str, question: str, measure: str, dims: tuple[str, ...],
                                     city: tuple[str, ...], period: tuple[date, date] | None,
                                     ranking: tuple[str, int] | None) -> None:
    assert language_of(question) == language
    spec = spec_of(question, CHAINS[language], TODAY)
    assert (spec.measure, tuple(spec.dimensions), spec.filters.city) == (measure, dims, city), spec
    if period is None:
        assert spec.time_range is None, spec.time_range
    else:
        assert (spec.time_range.start, spec.time_range.end) == period, spec.time_range
    got = None if spec.ranking is None else (spec.ranking.direction, spec.ranking.limit)
    assert got == ranking, spec.ranking


def test_every_language_has_five_questions_of_different_shapes() -> None:
    for language in CHAINS:
        rows = [c for c in CASES if c[0] == language]
        assert len(rows) >= 5 and len({(c[2], c[3], bool(c[4]), c[6]) for c in rows}) >= 5, language


def test_unknown_words_are_still_refused() -> None:
    # "kira giderimiz" (our rent expense), "nájemné" (rent): costs are not in the data, never dropped
    assert parse_question("Geçen ay kira giderimiz ne kadardı?", CHAINS["tr"], TODAY).spec is None
    assert parse_question("Kolik jsme zaplatili za nájemné minulý měsíc?", CHAINS["cs"], TODAY).spec is None


@pytest.mark.parametrize("question", [
    "What did we take in total in April 2026?", "how many products does the company list in total",
    "Rabat stores revenue last quarter", "revenue per region in May", "units per uge", "total revenue by store",
    "which store sold the most magazine racks", "How many patients do we have by region?",
    "revenue at Mart in May 2025", "sales in Nisan 2025", "orders in the Bolt store", "revenue van Aalborg",
    "discounts at Filial 3 last month", "revenue for the Cat & Fiddle store", "hasta la vista revenue",
])
def test_english_questions_are_left_as_they_are(question: str) -> None:
    # words of the new tables that are English words or places too ("total", "magazine", "per region", "Rabat",
    # "hasta", "filial") never mark a language
    assert language_of(question) is None
    assert in_english(question, ("Aalborg", "Rabat")) == question


@pytest.mark.parametrize(("question", "language"), [
    ("Hur mycket sålde butiken i mars?", "sv"), ("rabatter per butik förra kvartalet", "sv"),
    ("Hvor meget solgte butikken i marts?", "da"), ("Hvor mye solgte butikken i mars?", "nb"),
    ("Kolik jsme utržili?", "cs"), ("Koľko sme predali?", "sk"), ("omzet per winkel vorige maand", "nl"),
    ("ile sprzedał Poznań w maju?", "pl"), ("cuánto vendieron las tiendas el mes pasado", "es"),
])
def test_neighbouring_languages_are_told_apart(question: str, language: str) -> None:
    assert language_of(question) == language


def test_case_forms_of_place_names_are_read_as_the_place() -> None:
    names = ("Oulu", "Pécs", "Košice", "İzmir", "Tampere")
    assert in_english("Alennukset Oulussa viime kuussa", names) == "Discounts in Oulu last month"
    assert "in Pécs" in in_english("Kedvezmények Pécsen tavaly", names)
    assert "Košice" in in_english("Koľko kusov sme predali v Košiciach vlani?", names)
    assert "in İzmir" in in_english("Geçen ay İzmir'de kaç adet sattık?", names)
    # a capitalized word that only begins like a name is left alone
    assert "Ouluvaara" in in_english("Myynti Ouluvaara viime kuussa", names)


@pytest.mark.parametrize(("language", "question"), [
    ("tr", "Bu yılki ciromuz geçen yıla göre"), ("cs", "Tržby letos ve srovnání s loňským rokem"),
    ("sk", "Tržby tento rok v porovnaní s minulým rokom"), ("da", "Omsætning i år sammenlignet med sidste år"),
    ("nb", "Omsetning i år sammenlignet med i fjor"), ("fi", "Myynti tänä vuonna verrattuna viime vuoteen"),
    ("ro", "Vânzări anul acesta comparativ cu anul trecut"), ("hu", "Forgalom idén a tavalyihoz képest"),
    ("tl", "Benta ngayong taon kumpara sa nakaraang taon"),
])
def test_this_year_compared_with_last_year(language: str, question: str) -> None:
    spec = spec_of(question, CHAINS[language], TODAY)
    assert spec.measure == "revenue" and spec.time_range.start == date(2026, 1, 1), spec
    assert spec.comparison is not None and spec.comparison.time_range.start == date(2025, 1, 1), spec.comparison
