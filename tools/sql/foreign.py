"""Questions asked in the tenant's own language: the words of a sales question in French, Spanish, Portuguese, Italian,
German, Dutch, Swedish, Polish, Indonesian or Vietnamese, and (tables in tools/sql/foreign_more.py) Turkish, Czech,
Slovak, Danish, Norwegian, Finnish, Romanian, Hungarian or Tagalog, put into the English the parser reads.

Contract: `in_english(question, names)` returns the question with the foreign words it knows replaced by their English
meaning, phrase by phrase (longest first), or the question unchanged when it holds none. Only what a sales question is
made of is known: what is counted ("chiffre d'affaires", "Umsatz", "omzet", "ventas"), the store words ("Filialen",
"tiendas", "loja", "sklepy"; the category words are `entities.FOREIGN_CATEGORY_WORDS`, read in any question), time words
("le mois passé", "letztes Jahr", "primer trimestre", the month and weekday names of each language from CLDR via babel)
and the question and linking words ("combien", "wie viel", "und", "nel"). The tenant's own names (`names`: stores,
cities, products, brands, regions) are never replaced, inside a whole name or a word of one, so "Plaza de Armas" is read
as written; a question without a marker word of one language ("combien", "Umsatz", "cuánto"...) is left as it is. The
average sale's local names ("ticket promedio", "panier moyen", "średni paragon": `_AVERAGE_SALE`) are read in any
question, with or without a marker word. Anything else foreign stays as written: the parser then says it does not know
it (a refusal, never a guess).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from functools import lru_cache

from config.cache import cached_json
from safety.text_fold import strip_accents
from tools.dates import MONTH_ABBR, MONTHS
from tools.english import english_words
from tools.sql.foreign_more import (
    CLDR_LOCALE,
    MORE_MARKERS,
    MORE_PHRASES,
    NAME_ENDINGS,
    ORDINALS,
    SEASONS,
    month_forms,
)

# what a sales question is made of, per language (lower case; accents as written, matched with or without them)
_PHRASES: dict[str, dict[str, str]] = {
    "fr": {
        "chiffre d'affaires": "revenue", "ca": "revenue", "combien": "how much", "combien de": "how many",
        "on a vendu": "did we sell", "avons-nous vendu": "did we sell", "vendu": "sold", "ventes": "sales",
        "remise": "discount", "remises": "discounts", "magasin": "store", "magasins": "stores", "boutiques": "stores",
        "le mois passé": "last month", "le mois dernier": "last month", "ce mois-ci": "this month",
        "l'année dernière": "last year", "l'an dernier": "last year", "cette année": "this year",
        "depuis le début de l'année": "year to date", "depuis le début du mois": "month to date",
        "par magasin": "by store", "par mois": "by month", "par région": "by region", "trimestre": "quarter",
        "premier trimestre": "first quarter", "semaine dernière": "last week", "la semaine dernière": "last week",
        "à": "at", "en": "in", "et": "and", "quel": "what", "quelle": "what", "le": "the", "la": "the", "les": "the",
        "du": "of the", "des": "of the", "au": "in the",
        # per, during, compared with, patients
        "par": "per", "pendant": "during", "par rapport à": "compared with", "comparé à": "compared with",
        "patients": "patients", "combien de patients": "how many patients", "portent": "wear",
        # the sold forms of the past participle ("combien de montures vendues"), "avons-nous" / "a-t-on" (have we)
        "vendus": "sold", "vendue": "sold", "vendues": "sold", "avons-nous": "do we have", "avons nous": "do we have",
        "depuis": "since", "depuis l'ouverture": "since it opened", "depuis qu'il a ouvert": "since it opened",
    },
    "es": {
        # "la provincia de Sevilla": the region, not the city of the same name ("estado de" is left as written: the
        # "Estado de México" is a state's own name, not the state of Mexico City)
        "provincia de": "province of", "región de": "region of",
        "cuánto": "how much", "cuánto vendieron": "how much did sell", "cuántos": "how many", "cuántas": "how many",
        "vendieron": "sold", "vendimos": "did we sell", "ventas": "sales", "facturación": "revenue",
        "tienda": "store", "tiendas": "stores", "sucursal": "store", "sucursales": "stores",
        "el mes pasado": "last month", "el año pasado": "last year", "este año": "this year",
        "este mes": "this month", "primer trimestre": "first quarter", "segundo trimestre": "second quarter",
        "trimestre": "quarter", "descuentos": "discounts", "por tienda": "by store",
        "por ciudad": "by city", "ciudad": "city", "ciudades": "cities", "las dos": "the two",
        "los dos": "the two", "en el": "in the", "en": "in", "por": "by", "de": "of", "las": "the", "los": "the",
        "el": "the", "y": "and",
        "durante": "during", "comparado con": "compared with", "frente a": "compared with",
        "pacientes": "patients", "tenemos": "do we have", "llevan": "wear", "usan": "wear", "de ellos": "of them",
        "vendidas": "sold", "vendidos": "sold", "unidades": "units", "unidades vendidas": "units sold",
        "desde": "since", "desde que abrió": "since it opened", "la semana pasada": "last week",
        "el trimestre pasado": "last quarter", "por mes": "by month", "ingresos": "revenue",
        "productos": "products",
        # units, receipts, stock and the year so far as the staff say them ("piezas vendidas en lo que va del año",
        # "productos agotados", "inventario de lentes de sol", "porcentaje de descuento", "por estado")
        "piezas": "units", "pzas": "units", "tuvimos": "did we have", "hicimos": "did we make",
        "otorgados": "given", "otorgadas": "given", "otorgamos": "did we give", "dimos": "did we give",
        "en lo que va del año": "year to date", "lo que va del año": "year to date",
        "en lo que va de año": "year to date", "lo que va de año": "year to date", "en lo que llevamos de año":
        "year to date", "en lo que va de mes": "month to date", "lo que va de mes": "month to date",
        "en lo que va del mes": "month to date", "lo que va del mes": "month to date",
        "inventario": "stock on hand", "existencias": "stock on hand", "agotados": "out of stock",
        "agotadas": "out of stock", "productos agotados": "items out of stock", "sin existencias": "out of stock",
        "porcentaje de descuento": "discount rate", "tasa de descuento": "discount rate", "descuento": "discount",
        "por estado": "by state", "por marca": "by brand", "por sucursal": "by store", "por semana": "by week",
        "por día de la semana": "by day of the week", "día de la semana": "day of the week",
        "mensual": "monthly", "semanal": "weekly", "diario": "daily", "más": "most", "menos": "least",
        "cuál": "which", "qué": "which", "juntas": "combined", "juntos": "combined",
    },
    "pt": {
        # "o estado de São Paulo", "o distrito de Faro": the region, not the city of the same name
        "estado de": "state of", "estado do": "state of", "estado da": "state of", "distrito de": "district of",
        "distrito do": "district of", "região de": "region of", "província de": "province of",
        "quanto": "how much", "quantos": "how many", "quantas": "how many", "vendeu": "sold", "venderam": "sold",
        "vendemos": "did we sell", "vendas": "sales", "faturamento": "revenue", "loja": "store", "lojas": "stores",
        "o mês passado": "last month", "mês passado": "last month", "no mês passado": "last month",
        "o ano passado": "last year", "ano passado": "last year", "este ano": "this year", "descontos": "discounts",
        "por loja": "by store", "a loja": "the store", "as lojas": "the stores", "em": "in", "no": "in the",
        "na": "in the", "da": "of the", "do": "of the",
        "durante": "during", "comparado com": "compared with", "pacientes": "patients", "usam": "wear",
        "temos": "do we have",
        # European Portuguese "faturação", the article "o / os" ("durante o Carnaval"), "since it opened"
        "faturação": "revenue", "o": "the", "os": "the", "desde": "since", "desde que abriu": "since it opened",
        "vendidas": "sold", "vendidos": "sold", "unidades": "units", "por mês": "by month",
        "a semana passada": "last week", "semana passada": "last week", "receita": "revenue", "de": "of",
        # what was made, ordered, stocked and given, and the periods and breakdowns as said in Brazil and Portugal
        # ("quanto faturamos", "pedidos", "estoque", "taxa de desconto", "1º trimestre", "por dia da semana",
        # "2025 x 2024")
        "quanto faturamos": "how much revenue did we make", "faturamos": "did we make", "faturou": "made",
        "faturaram": "made", "pedidos": "orders", "pedido": "order", "estoque": "stock on hand",
        "em estoque": "in stock", "sem estoque": "out of stock", "esgotados": "out of stock",
        "zerados": "out of stock", "itens": "items", "concedidos": "given", "concedidas": "given",
        "taxa de desconto": "discount rate", "desconto": "discount", "juntas": "combined", "juntos": "combined",
        "por": "by", "por estado": "by state", "por marca": "by brand", "por dia da semana": "by day of the week",
        "dia da semana": "day of the week", "mensal": "monthly", "semanal": "weekly", "diário": "daily",
        "1º trimestre": "first quarter", "1 trimestre": "first quarter", "2 trimestre": "second quarter",
        "3 trimestre": "third quarter", "4 trimestre": "fourth quarter", "1 semestre": "first half",
        "2 semestre": "second half", "primeiro trimestre": "first quarter", "2º trimestre": "second quarter",
        "segundo trimestre": "second quarter", "trimestre passado": "last quarter",
        "o trimestre passado": "last quarter", "trimestre": "quarter", "1º semestre": "first half",
        "primeiro semestre": "first half", "2º semestre": "second half", "segundo semestre": "second half",
        "este mês": "this month", "neste mês": "this month", "ontem": "yesterday", "e": "and", "x": "vs",
        "entre": "between", "mais": "most", "menos": "least", "qual": "which", "quais": "which",
        "no feriado de": "on", "feriado de": "", "feriado": "", "produtos": "products",
    },
    "it": {
        "quanto": "how much", "quanti": "how many", "quante": "how many", "venduto": "sold", "hanno venduto": "sold",
        "ha venduto": "sold", "abbiamo venduto": "did we sell", "vendite": "sales", "fatturato": "revenue",
        "negozio": "store", "negozi": "stores", "il mese scorso": "last month", "l'anno scorso": "last year",
        "quest'anno": "this year", "sconti": "discounts", "per negozio": "by store", "nel": "in", "nella": "in",
        "del": "of the", "della": "of the", "ha": "",
        "durante": "during", "rispetto a": "compared with", "rispetto al": "compared with", "pazienti": "patients",
        "portano": "wear", "ad": "in", "a": "in", "i": "the", "gli": "the", "il": "the", "le": "the",
        "abbiamo": "do we have", "quanti negozi abbiamo": "how many stores do we have", "venduti": "sold",
        "vendute": "sold", "pezzi": "units", "dal": "from", "al": "to", "da quando ha aperto": "since it opened",
        "per mese": "by month", "la settimana scorsa": "last week", "settimana scorsa": "last week",
        # takings, receipts, stock and quarters as said in Italy ("incasso", "ricavi", "scontrini emessi",
        # "giacenze", "articoli esauriti", "primo trimestre", "il trimestre scorso", "con più fatturato")
        "incasso": "revenue", "incassi": "revenue", "ricavi": "revenue", "ricavo": "revenue",
        "abbiamo incassato": "revenue did we make", "incassato": "made", "emessi": "", "concessi": "given",
        "giacenze": "stock on hand", "giacenza": "stock on hand", "in magazzino": "in stock",
        "esauriti": "out of stock", "esaurito": "out of stock", "articoli": "items", "articoli esauriti":
        "items out of stock", "primo trimestre": "first quarter", "secondo trimestre": "second quarter",
        "il trimestre scorso": "last quarter", "trimestre scorso": "last quarter", "lo scorso trimestre":
        "last quarter", "trimestre": "quarter", "il mese": "the month", "con più": "with the most",
        "più": "most", "meno": "least", "marchi": "brands", "per provincia": "by province",
        "per regione": "by region", "per marca": "by brand", "per marchio": "by brand", "pasquetta": "Easter Monday",
        "e": "and", "quale": "which", "quali": "which",
    },
    "de": {
        "umsatz": "revenue", "wie viel": "how much", "wieviel": "how much", "wie viele": "how many",
        "verkauft": "sold", "filiale": "store", "filialen": "stores", "geschäft": "store", "geschäfte": "stores",
        "letzten monat": "last month", "letztes jahr": "last year", "dieses jahr": "this year",
        "diesen monat": "this month", "rabatte": "discounts", "pro filiale": "by store", "je filiale": "by store",
        "im": "in", "und": "and", "der": "of the", "des": "of the", "die": "the", "das": "the", "in den": "in the",
        "haben": "did", "hat": "did", "gemacht": "", "zwei": "two", "drei": "three", "vier": "four",
        "quartal": "quarter", "im letzten quartal": "last quarter", "letzten quartal": "last quarter",
        "während": "during", "im vergleich zu": "compared with", "verglichen mit": "compared with",
        "patienten": "patients", "tragen": "wear", "trotz": "despite",
        # "vom 1. bis 7. März" (from ... to), "seit" (since), "haben wir" (do we have), "Stück" (units)
        "vom": "from", "von": "from", "bis": "to", "seit": "since", "haben wir": "do we have", "stück": "units",
        "pro monat": "by month", "letzte woche": "last week", "letzten woche": "last week",
        # stock: "wie viele Artikel sind ausverkauft / unter Mindestbestand", "Lagerbestand"
        "artikel": "items", "sind": "are", "ist": "is", "ausverkauft": "out of stock", "nicht vorrätig": "out of stock",
        "lagerbestand": "stock on hand", "bestand": "stock", "auf lager": "in stock",
        "unter mindestbestand": "below their reorder point", "unter dem mindestbestand": "below their reorder point",
        # "Welche Filiale hatte im Mai den höchsten Umsatz?"
        "welche": "which", "welcher": "which", "welches": "which", "hatte": "had", "hatten": "had",
        "den höchsten": "the highest", "den niedrigsten": "the lowest", "höchsten": "highest",
        "niedrigsten": "lowest", "am meisten": "the most", "am wenigsten": "the least", "meisten": "most",
        # "Wie hoch war der Umsatz ...?", "Wie viel haben wir ...?", "hatten wir"
        "wie hoch war": "how much was", "wie hoch waren": "how much were", "wie hoch ist": "how much is",
        "wie hoch": "how much", "war": "was", "waren": "were", "wir": "we", "hatten wir": "did we have",
        # "Wie liefen die beiden Berliner Filialen im März? Umsatz bitte einzeln."
        "wie liefen": "how did", "wie lief": "how did", "wie laufen": "how do", "beiden": "two", "bitte": "",
        "einzeln": "each", "jeweils": "each", "pro stück": "per unit", "insgesamt": "total", "zusammen": "together",
    },
    "pl": {
        "ile": "how much", "ile sztuk": "how many units", "ilu": "how many", "sprzedaż": "sales", "sprzedaży": "sales",
        "obrót": "revenue", "obroty": "revenue", "przychód": "revenue", "przychody": "revenue", "sprzedał": "sold",
        "sprzedała": "sold", "sprzedało": "sold", "sprzedali": "sold", "sprzedaliśmy": "did we sell", "sztuk": "units",
        "rabaty": "discounts", "rabatów": "discounts", "sklep": "store", "sklepy": "stores", "sklepów": "stores",
        "salon": "store", "salony": "stores", "salonów": "stores", "na sklep": "by store", "na salon": "by store",
        "w zeszłym miesiącu": "last month", "w ubiegłym miesiącu": "last month", "w tym miesiącu": "this month",
        "w zeszłym roku": "last year", "w ubiegłym roku": "last year", "w tym roku": "this year",
        # months in the locative, as said after "w" ("w maju": in May); CLDR has the nominative and genitive
        "w styczniu": "in January", "w lutym": "in February", "w marcu": "in March", "w kwietniu": "in April",
        "w maju": "in May", "w czerwcu": "in June", "w lipcu": "in July", "w sierpniu": "in August",
        "we wrześniu": "in September", "w październiku": "in October", "w listopadzie": "in November",
        "w grudniu": "in December", "w": "in", "we": "in", "i": "and", "za": "for",
        "rok wcześniej": "the year before", "a rok wcześniej": "and the year before", "w czasie": "during",
        "podczas": "during", "pacjentów": "patients", "daliśmy": "did we give",
        "mamy": "do we have", "od": "from", "do": "to", "od otwarcia": "since it opened", "na miesiąc": "by month",
        "w zeszłym tygodniu": "last week", "w ubiegłym tygodniu": "last week",
    },
    "nl": {
        "omzet": "revenue", "hoeveel omzet": "how much revenue", "hoeveel": "how many", "verkocht": "sold",
        "winkel": "store", "winkels": "stores", "filialen": "stores", "vorige maand": "last month",
        "vorig jaar": "last year", "dit jaar": "this year", "kortingen": "discounts", "per winkel": "by store",
        "en": "and", "van": "of", "de": "the", "het": "the",
        "patiënten": "patients", "hoeveel patiënten": "how many patients", "dragen": "wear", "tijdens": "during",
        "vergeleken met": "compared with", "heeft": "did", "p/winkel": "per store",
        "hebben we": "do we have", "hebben": "have", "we": "we", "sinds": "since", "vorige week": "last week",
        "per maand": "by month", "stuks": "units",
    },
    # Swedish: the words of a sales question ("Vad var omsättningen i mars?", "Omsättning per butik 2025", "hur många
    # bågar sålde vi förra månaden")
    "sv": {
        "omsättning": "revenue", "omsättningen": "revenue", "försäljning": "sales", "försäljningen": "sales",
        "intäkter": "revenue", "vad var": "what was", "vad är": "what is", "hur mycket": "how much",
        "hur många": "how many", "sålde": "sold", "sålt": "sold", "sålda": "sold", "butik": "store",
        "butiken": "the store", "butiker": "stores", "butikerna": "the stores", "per butik": "by store",
        "per månad": "by month", "per vecka": "by week", "förra månaden": "last month", "förra året": "last year",
        "i fjol": "last year", "förra veckan": "last week", "i år": "this year", "den här månaden": "this month",
        "i månaden": "this month", "kvartal": "quarter", "förra kvartalet": "last quarter", "rabatter": "discounts",
        "rabatt": "discount", "rabatten": "the discount", "kvitton": "receipts", "kvitto": "receipt",
        "ordrar": "orders", "patienter": "patients", "enheter": "units", "styck": "units", "st": "units",
        "vi": "we", "har": "have", "hade": "had", "och": "and", "i": "in", "på": "at", "under": "during",
        "jämfört med": "compared with", "mot": "against", "från": "from", "till": "to", "sedan": "since",
        "vilken": "which", "vilka": "which", "bäst": "best", "sämst": "worst", "mest": "most", "minst": "least",
        "lager": "stock", "i lager": "in stock", "slut i lager": "out of stock", "län": "county", "länet": "county",
    },
    # Indonesian (Bahasa Indonesia): the words of a sales question ("omzet Jabar bulan lalu", "berapa toko kami di
    # Jawa?")
    "id": {
        "berapa": "how much", "berapa banyak": "how many", "berapa toko": "how many stores", "penjualan": "sales",
        "omzet": "revenue", "pendapatan": "revenue", "terjual": "sold", "toko": "stores", "cabang": "stores",
        "gerai": "stores", "kami": "we", "kita": "we", "punya": "have", "yang": "", "ada": "", "di": "in",
        "bulan lalu": "last month", "tahun lalu": "last year", "minggu lalu": "last week", "bulan ini": "this month",
        "tahun ini": "this year", "kuartal lalu": "last quarter", "kuartal": "quarter", "per toko": "by store",
        "per bulan": "by month", "diskon": "discounts", "dan": "and", "selama": "during", "saat": "during",
        "dibandingkan dengan": "compared with", "dibanding": "compared with", "pasien": "patients", "sejak": "since",
        "unit": "units", "pcs": "units",
    },
    # Vietnamese: the words of a sales question ("Doanh thu tháng 4 năm 2026 của cả chuỗi là bao nhiêu?", "doanh số
    # Hoàn Kiếm tuần trước"); a year is written "năm 2026", a month "tháng 4" (CLDR's month names, below)
    "vi": {
        "doanh thu": "revenue", "doanh số": "sales", "bao nhiêu": "how much", "là bao nhiêu": "how much",
        "mấy": "how many", "bao nhiêu cửa hàng": "how many stores", "đã bán": "sold", "bán được": "sold",
        "bán": "sell", "giảm giá": "discounts", "chiết khấu": "discounts", "đơn hàng": "orders", "hóa đơn": "orders",
        "cửa hàng": "store", "các cửa hàng": "stores", "chi nhánh": "store", "các chi nhánh": "stores",
        "cả chuỗi": "the whole chain", "toàn chuỗi": "the whole chain", "chuỗi": "chain", "của": "of", "là": "",
        "tháng trước": "last month", "tháng này": "this month", "tuần trước": "last week", "tuần này": "this week",
        "năm ngoái": "last year", "năm trước": "last year", "năm nay": "this year", "quý trước": "last quarter",
        "quý này": "this quarter", "quý": "quarter", "tháng": "month", "tuần": "week", "năm": "",
        "theo tháng": "by month", "theo cửa hàng": "by store", "theo tuần": "by week", "từng tháng": "by month",
        "khách hàng": "customers", "bệnh nhân": "patients", "và": "and", "ở": "in", "tại": "at", "trong": "in",
        "so với": "compared with", "từ": "from", "đến": "to", "sản phẩm": "products", "thương hiệu": "brands",
        "tồn kho": "stock", "hết hàng": "out of stock", "chúng ta": "we", "chúng tôi": "we", "mình": "we",
        "được": "", "đã": "", "có": "", "ngày": "on", "vào ngày": "on", "vào": "on", "dịp": "during",
    },
}
# the languages of the first tables: only their month names are read in a question of any language (`foreign_months`);
# the later languages' months come through CLDR's table of every language, which leaves out English words ("mart")
_FIRST_LANGUAGES = tuple(_PHRASES)
_PHRASES.update(MORE_PHRASES)

# words that mark a question as written in the language (a lone "de" or "en" does not)
_MARKERS: dict[str, frozenset[str]] = {
    "fr": frozenset("combien chiffre depuis vendu vendues vendus ventes magasins mois passé dernier année remise "
                    "remises".split()),
    "es": frozenset("cuánto cuanto cuántos vendieron vendimos ventas tiendas tienda pasado trimestre facturación "
                    "sucursales pacientes tenemos descuentos".split()),
    "pt": frozenset("quanto quantos vendeu venderam vendas loja lojas faturamento faturação mês pacientes "
                    "usam".split()),
    "it": frozenset("quanti quante venduto vendite fatturato negozi negozio scorso rispetto pazienti sconti abbiamo"
                    .split()),
    "de": frozenset("umsatz filialen filiale verkauft letztes letzten wieviel viele und im quartal patienten vom seit "
                    "ausverkauft lagerbestand".split()),
    "nl": frozenset("omzet hoeveel verkocht winkels vorige vorig patiënten heeft hebben".split()),
    "sv": frozenset("omsättning omsättningen försäljning försäljningen sålde butik butiker butikerna förra hur vad "
                    "många rabatter kvitton".split()),
    "id": frozenset("berapa penjualan toko bulan tahun lalu terjual pendapatan kami cabang gerai".split()),
    # only words whose accents no English word has: "thu" is also Thursday, "nam" and "ban" English words or names
    "vi": frozenset("doanh nhiêu tháng tuần cửa của được bán trước chuỗi năm".split()),
    "pl": frozenset("ile ilu sprzedaż sprzedaży sprzedał sprzedała sprzedali sprzedaliśmy obrót obroty przychód "
                    "sklepy sklepów salony zeszłym ubiegłym miesiącu rabatów rabaty wcześniej mamy".split()),
    **MORE_MARKERS,
}


# the average sale as the chains' staff call it in their languages ("ticket promedio", "panier moyen", "średni
# paragon"): the average order value, in English words the measure rules read, in any question (no marker word
# needed: "What was our ticket promedio in May?")
_AVERAGE_SALE = re.compile(r"\b(?:ticket\s+(?:promedio|medio|médio|moyen)|(?:valor|importe)\s+(?:promedio|medio)\s+"
                           r"(?:por|del?)\s+ticket|panier\s+moyen|scontrino\s+medio|durchschnittsbon"
                           r"|(?:durchschnittlicher|mittlerer)\s+bon(?:wert)?|gemiddelde?\s+bon(?:bedrag)?"
                           r"|[śs]redni\s+paragon|[śs]rednia\s+warto[śs][ćc]\s+paragonu"
                           r"|rata-rata\s+(?:nilai\s+)?(?:transaksi|struk))\b", re.IGNORECASE)


def phrase_words() -> frozenset[str]:
    """Every word of the phrases this module knows, in any language ("les", "der", "por"): never an English typo."""
    return frozenset(w for phrases in _PHRASES.values() for phrase in phrases for w in phrase.split())


# what is measured and what it is counted by, in the staff's own words, read in an English question too ("monthly CA",
# "average remise per ticket", "Umsatz by store", "how many boletas", "revenue by comuna", "which local sold most"):
# words no English sentence uses otherwise ("local" only as a noun); "CA" only in capitals (and never where it
# is one of the tenant's names, California's "CA")
_MEASURE_LOANS = {"chiffre d'affaires": "revenue", "ca": "revenue", "remise": "discount", "remises": "discounts",
                  "umsatz": "revenue", "omzet": "revenue", "fatturato": "revenue", "facturación": "revenue",
                  "facturacion": "revenue", "faturamento": "revenue", "faturação": "revenue", "faturacao": "revenue",
                  "rabatte": "discounts", "sconti": "discounts", "receita": "revenue",
                  "descuentos": "discounts", "descontos": "discounts", "kortingen": "discounts",
                  # what is counted and what it is counted by: the receipt ("boleta", "nota fiscal", "scontrino"),
                  # the store ("local" / "locales", "sucursal", "loja", "negozio", "Filiale", "winkel"), the town
                  # ("comuna", "comune", "município", "Gemeinde"), the brand ("marca")
                  "boleta": "receipt", "boletas": "receipts", "scontrino": "receipt", "scontrini": "receipts",
                  "fiş": "receipt", "fişi": "receipt", "fişler": "receipts", "účtenka": "receipt",
                  "účtenky": "receipts", "účtenek": "receipts", "nyugta": "receipt", "nyugták": "receipts",
                  "blokk": "receipt", "blokkok": "receipts", "kvittering": "receipt", "kvitteringer": "receipts",
                  "kuitti": "receipt", "kuitit": "receipts", "resibo": "receipt", "struk": "receipt",
                  "bon fiscal": "receipt", "bonuri fiscale": "receipts", "bonuri": "receipts", "bon": "receipt",
                  "nota fiscal": "receipt", "notas fiscais": "receipts", "local": "store", "locales": "stores",
                  "sucursal": "store", "sucursales": "stores", "tienda": "store", "tiendas": "stores",
                  "loja": "store", "lojas": "stores", "negozio": "store", "negozi": "stores", "filiale": "store",
                  "filialen": "stores", "winkel": "store", "winkels": "stores", "comuna": "city", "comunas": "cities",
                  "comune": "city", "comuni": "cities", "município": "city", "municípios": "cities",
                  "gemeinde": "city", "gemeinden": "cities", "marca": "brand", "marcas": "brands", "marche": "brands",
                  "marken": "brands", "merken": "brands"}
MEASURE_LOAN = re.compile(r"(?<![\w'’-])(?:(?i:chiffre\s+d['’]affaires|remises?|umsatz|omzet|fatturato"
                          r"|facturaci[oó]n|faturamento|fatura[çc][ãa]o|receita|rabatte|sconti|descuentos|descontos|kortingen"
                          r"|boletas?|scontrin[oi]|notas?\s+fisca(?:l|is)|fiş(?:i|ler)?|účten(?:ka|ky|ek)|nyugt(?:a|ák)"
                          r"|blokk(?:ok)?|kvittering(?:er)?|kuitt?i[t]?|resibo|struk|bon(?:uri)?(?:\s+fiscal[e]?)?"
                          r"|locales|sucursal(?:es)?|tiendas?|lojas?"
                          r"|negozi[o]?|filialen?|winkels?|comunas?|comun[ei]|munic[ií]pios?|gemeinden?|marcas|marche"
                          r"|marken|merken"
                          # "local" is the store only as a noun: "which local", "each local's", "per local?"
                          r"|(?:(?<=which\s)|(?<=each\s)|(?<=every\s)|(?<=per\s)|(?<=what\s)|(?<=one\s)|(?<=our\s)"
                          r"|(?<=that\s)|(?<=the\s)|(?<=by\s))local(?=['’]s\b|\s*(?:[?.,;:!)]|$)|\s+(?:had|has|did"
                          r"|does|sold|sells|made|makes|was|is|in|at|with|for|on|last|this|over|during|by|and|or|vs)\b))"
                          r"|CA)(?![\w'’-])")


def measure_loans(question: str, names: Collection[str]) -> str:
    """`question` with the measure words of other languages it uses (`MEASURE_LOAN`) in English, except where one is
    a tenant's name or a word of one (`names`)."""
    name_words = {w for n in names for w in re.findall(r"[^\W\d_]+", n.lower())}

    def swap(m: re.Match[str]) -> str:
        word = " ".join(m.group(0).lower().replace("’", "'").split())
        if word in name_words or any(word == n.lower() for n in names):
            return m.group(0)
        if word not in _MEASURE_LOANS:  # "Boletas" in capitals, "Tiendas": written with other cases
            word = strip_accents(word) if strip_accents(word) in _MEASURE_LOANS else word
        if word == "ca" and re.search(r"\b(?:in|at|from|for|of|to|across|and|or|vs|versus|than|with|by)\s+$",
                                      m.string[:m.start()], re.IGNORECASE):
            return m.group(0)  # "stores in CA": a place the tenant does not have, reported as such
        return _MEASURE_LOANS.get(word, m.group(0))
    return MEASURE_LOAN.sub(swap, question)


@lru_cache(maxsize=8)
def _lexicon(language: str) -> dict[str, str]:
    """The language's phrases plus its ordinals (`ORDINALS`), its seasons (`SEASONS`) and its month and weekday names
    (CLDR, wide and abbreviated), folded forms too."""
    phrases = dict(_PHRASES[language])
    for word, english in (*ORDINALS.get(language, {}).items(), *SEASONS.get(language, {}).items()):
        phrases.setdefault(word, english)
    try:
        from babel.dates import get_day_names, get_month_names
    except ImportError:  # pragma: no cover - a dependency
        get_day_names = get_month_names = None
    if get_month_names is not None:
        english = get_month_names("wide", locale="en")
        days = get_day_names("wide", locale="en")
        locale = CLDR_LOCALE.get(language, language)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for n, name in get_month_names(width, context, locale=locale).items():
                    phrases.setdefault(name.lower().rstrip("."), english[n])
            # weekdays written out only: abbreviated ones ("mar." for mardi, "ven") are too often other words
            for n, name in get_day_names("wide", context, locale=locale).items():
                phrases.setdefault(name.lower(), days[n])
        # the case forms of the month names ("nisan ayında", "huhtikuussa", "áprilisban", "od dubna")
        for form, meaning in month_forms(language, get_month_names("wide", "stand-alone", locale=locale),
                                         get_month_names("wide", "format", locale=locale), english).items():
            phrases.setdefault(form, meaning)
    out = dict(phrases)
    for phrase, meaning in phrases.items():
        if len(phrase) > 2:  # "à" is never "a"
            out.setdefault(strip_accents(phrase), meaning)
    return out


def language_of(question: str) -> str | None:
    """The language `question` is written in, when it is one of the table's and holds one of its marker words, or
    None."""
    return _language(re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", question.lower()))


# words of the phrase tables that are English words too: never a sign of the language
_ENGLISH_LOOKALIKES = frozenset(("patients", "pendant", "salon", "della", "trong", "in den", "quelle", "local",
                                 "under", "sedan", "lager", "filial", "magazine", "total", "hasta",
                                 "per region", "per uge", "per uke", "rabat"))


@lru_cache(maxsize=16)
def _lexicon_markers(language: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The phrase table's own words and phrases of five letters or more that no English sentence uses ("vendidos",
    "unidades vendidas", "hóa đơn"): (single words, phrases of several words), accents folded too (not Vietnamese)."""
    keys = {k for k in _PHRASES[language] if len(k) >= 5 and k not in _ENGLISH_LOOKALIKES}
    if language != "vi":
        keys |= {strip_accents(k) for k in keys}
    return frozenset(k for k in keys if " " not in k), tuple(sorted(k for k in keys if " " in k))


@lru_cache(maxsize=32)
def _foreign_months(language: str, width: str = "wide") -> dict[str, str]:
    """The language's month names (CLDR, `width` "wide" or "abbreviated", lower case without a trailing dot; folded
    too, but not Vietnamese) of four letters or more (three for abbreviations) that are no English month name or
    abbreviation -> the English month name."""
    try:
        from babel.dates import get_month_names
    except ImportError:  # pragma: no cover - a dependency
        return {}
    english = get_month_names("wide", locale="en")
    shortest = 4 if width == "wide" else 3
    out: dict[str, str] = {}
    for context in ("format", "stand-alone"):
        try:
            found = get_month_names(width, context, locale=CLDR_LOCALE.get(language, language))
        except (ValueError, LookupError):  # a language CLDR has no data for
            continue
        for n, name in found.items():
            low = name.lower().rstrip(".")
            if len(low) >= shortest and low not in MONTHS and low not in MONTH_ABBR:
                out.setdefault(low, str(english[n]))
                if language != "vi":
                    out.setdefault(strip_accents(low), str(english[n]))
    return out


def _language(words: list[str]) -> str | None:
    """The language whose marker words the question holds most of (at least one), or None. Besides the hand-picked
    markers, the phrase table's own long words and phrases count ("vendidos", "unidades vendidas", "hóa đơn"); the
    language's month names ("febrero") add half a point to a language already found, never decide alone."""
    folded = {strip_accents(w) for w in words} | set(words)
    text = f" {' '.join(words)} "
    folded_text = strip_accents(text)

    def markers(lang: str) -> frozenset[str]:  # Vietnamese without its accents is too often English ("ban", "nam")
        return _MARKERS[lang] if lang == "vi" else _MARKERS[lang] | {strip_accents(w) for w in _MARKERS[lang]}

    def found_in(lang: str) -> set[str]:
        bag = set(words) if lang == "vi" else folded
        single, phrases = _lexicon_markers(lang)
        found = bag & (markers(lang) | single)
        found |= {p for p in phrases if f" {p} " in (text if lang == "vi" else folded_text)}
        return found

    def score(lang: str) -> float:
        found = found_in(lang)
        return len(found) + 0.5 * len((set(words) | folded) & _foreign_months(lang).keys()) if found else 0.0
    best = max(_MARKERS, key=score)
    return best if score(best) > 0 else None


def foreign_months(question: str, names: Collection[str]) -> str:
    """`question` with the month names of the eight other Latin-script languages put into English where a year or a day
    number goes with them ("agosto 2025", "marzo de 2026", "15 de febrero", "3. März"), in any question, except where
    the word is a tenant's name or a word of one (`names`)."""
    months = _month_lookup()
    if not months:
        return question
    name_words = {w for n in names for w in re.findall(r"[^\W\d_]+", n.lower())}

    def swap(m: re.Match[str]) -> str:
        group = "m" if m.group("m") else "m2"
        word = m.group(group)
        english = months.get(word.lower()) or months.get(strip_accents(word.lower()))
        if english is None and group == "m2" and word[:1].isupper():
            english = _worded_months().get(word.lower())
        if english is None or word.lower() in name_words:
            return m.group(0)
        return english if group == "m" else f" {english}"  # "marzo de 2026" -> "March 2026", "15 de mayo" -> "15 May"

    def month(word: str) -> str | None:
        low = word.lower()
        if low in name_words:
            return None
        if low in MONTHS:
            return word
        return months.get(low) or months.get(strip_accents(low))

    def span(m: re.Match[str]) -> str:
        first, last = month(m.group("a")), month(m.group("b"))
        if first is None or last is None:
            return m.group(0)
        return f"{first} to {last}"  # "červen–srpen" -> "June to August", "juin à août" -> "June to August"
    question = _FOREIGN_MONTH_SPAN.sub(span, _abbreviated_dates(question, name_words))
    return _FOREIGN_MONTH_DATE.sub(swap, question)


def local_month_days(question: str, names: Collection[str], countries: Collection[str]) -> str:
    """`question` with the month names of the official languages of the tenant's `countries` (CLDR, written out or
    abbreviated: "július", "júl.", "szept.") put into English where a day number follows ("júl. 1–14." -> "July
    1–14.", "március 15." -> "March 15."): the month-before-day order of Hungarian and East Asian dates, which no
    other language's month table reads. A tenant's name or a word of one (`names`) stays as written."""
    months = _local_months(tuple(sorted(countries)))
    if not months:
        return question
    name_words = {w for n in names for w in re.findall(r"[^\W\d_]+", n.lower())}

    def swap(m: re.Match[str]) -> str:
        low = m.group("m").lower()
        english = months.get(low) or months.get(strip_accents(low))
        return m.group(0) if english is None or low in name_words else f"{english} "
    return _LOCAL_MONTH_DAY.sub(swap, question)


_LOCAL_MONTH_DAY = re.compile(r"(?<![\w'’-])(?P<m>[^\W\d_]{3,})\.?\s+(?=\d{1,2}\b(?![.,]\d|\s*%))")


@lru_cache(maxsize=16)
def _local_months(countries: tuple[str, ...]) -> dict[str, str]:
    """The official languages' (of `countries`) month names, wide and abbreviated (`_foreign_months`), that are
    Latin-script words and no English word, with their folded spellings -> the English month name."""
    try:
        from babel.languages import get_official_languages
    except ImportError:  # pragma: no cover - a dependency
        return {}
    words = english_words()
    out: dict[str, str] = {}
    for country in countries:
        for language in get_official_languages(country):
            if language == "en":
                continue
            for width in ("wide", "abbreviated"):
                names = _foreign_months(language, width)
                kept = {low for low in names if _latin_word(low) and low not in words}
                for low in sorted(kept | {strip_accents(low) for low in kept}):  # "máj" kept: "maj" too
                    out.setdefault(low, names[low])
    return out


def _abbreviated_dates(question: str, name_words: Collection[str]) -> str:
    """`question` with the other languages' abbreviated month names put into English where they stand in a date
    that cannot be read otherwise: after a day number and either before a year ("1 dic 2024", "3 set. 2025") or in a
    range of two days ("29 nov al 1 dic", "28 nov.-2 dez."), the range's word ("al", "au", "bis", "tot") becoming
    "to". A three-letter word after a number alone ("2 out of 5", "3 set") is left as it is."""
    abbreviations = _abbreviation_lookup()

    def english(word: str) -> str | None:
        low = word.lower().rstrip(".")
        if low in name_words:
            return None
        if low in MONTH_ABBR or low in MONTHS:
            return word
        return abbreviations.get(low) or abbreviations.get(strip_accents(low))

    def span(m: re.Match[str]) -> str:
        first, last = english(m.group("a1")), english(m.group("a2"))
        if first is None or last is None or first == m.group("a1") and last == m.group("a2"):
            return m.group(0)
        return f"{m.group('d1')} {first.rstrip('.')} to {m.group('d2')} {last.rstrip('.')}"

    def dated(m: re.Match[str]) -> str:
        word = english(m.group("a"))
        return m.group(0) if word is None else f"{m.group('d')} {word.rstrip('.')}"
    question = _ABBREVIATED_SPAN.sub(span, question)
    return _ABBREVIATED_DATED.sub(dated, question)


@lru_cache(maxsize=1)
def _abbreviation_lookup() -> dict[str, str]:
    """The first tables' languages' (`_FIRST_LANGUAGES`) abbreviated month names (`_foreign_months(language,
    "abbreviated")`) -> the English month name. (Other languages' abbreviations are left out: hundreds of them are
    English words, "few", "cut", "lab"; or words of their own language, Czech "pro", Romanian "mai".)"""
    out: dict[str, str] = {}
    for language in _FIRST_LANGUAGES:
        if language != "vi":
            for name, english in _foreign_months(language, "abbreviated").items():
                out.setdefault(name, english)
    return out


@lru_cache(maxsize=1)
def _month_lookup() -> dict[str, str]:
    """Every other Latin-script language's month name (lower case, and folded) -> the English month name: the first
    phrase tables' languages (`_FIRST_LANGUAGES`) first, then every other language CLDR knows (`_every_language_months`,
    which leaves out English words and names two languages give to different months: "Kasım", "Temmuz", "lipiec",
    "huhtikuu")."""
    out: dict[str, str] = {}
    for language in _FIRST_LANGUAGES:
        if language != "vi":
            for name, english in _foreign_months(language).items():
                out.setdefault(name, english)
    words = english_words()
    for name, english in _every_language_months("wide").items():
        if name not in words:  # "mart", "here", "gene": only as `_worded_months` allows
            out.setdefault(name, english)
    return out


@lru_cache(maxsize=1)
def _worded_months() -> dict[str, str]:
    """The other languages' month names that are English strings too ("Mart", Turkish March; "Nisan", April): read as
    a month only when written with a capital after a day number ("20-22 Mart", "1 Nisan"), never before a year alone
    ("top 5 here", "mart 2025" stay as they are)."""
    words = english_words()
    return {name: english for name, english in _every_language_months("wide").items() if name in words}


def _latin_word(word: str) -> bool:
    return bool(re.fullmatch(r"[^\W\d_]+", word)) and all(unicodedata.name(c, "").startswith("LATIN") for c in word)


@lru_cache(maxsize=2)
def _every_language_months(width: str) -> dict[str, str]:
    """The month names (`width` "wide" or "abbreviated") of every base language CLDR (babel) holds that writes them as
    one word in Latin letters, lower case without a trailing dot, and folded -> the English month name. A name two
    languages give to different months ("listopad": November in Polish and Czech, October in Croatian) is left out,
    and so are English month names and abbreviations and names shorter than `_foreign_months` takes. Reading the
    hundreds of locale files takes seconds, so the table is kept in the data folder's cache per babel version
    (`config.cache`): a new process reads one small JSON file. Only ever used where a day number or a year goes with
    the word (`foreign_months`)."""
    try:
        import babel
    except ImportError:  # pragma: no cover - a dependency
        return {}
    name = f"cldr-month-names-{width}-{babel.__version__}-v{_MONTH_TABLE_VERSION}.json"
    table = cached_json(name, lambda: _build_every_language_months(width),
                        lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()))
    return dict(table)


# the cached month table's rules (`_build_every_language_months`): raise it when they change
_MONTH_TABLE_VERSION = 1


def _build_every_language_months(width: str) -> dict[str, str]:
    from babel.dates import get_month_names
    from babel.localedata import locale_identifiers

    english = get_month_names("wide", locale="en")
    shortest = 4 if width == "wide" else 3
    months: dict[str, set[int]] = {}
    for locale in locale_identifiers():
        if "_" in locale or locale in ("en", "root"):
            continue
        for context in ("format", "stand-alone"):
            for n, name in get_month_names(width, context, locale=locale).items():
                low = name.lower().rstrip(".")
                if len(low) >= shortest and _latin_word(low) and low not in MONTHS and low not in MONTH_ABBR:
                    for form in {low, strip_accents(low)}:
                        months.setdefault(form, set()).add(n)
    return {name: str(english[next(iter(ns))]) for name, ns in sorted(months.items()) if len(ns) == 1}


_ABBR_WORD = r"[^\W\d_]{3,5}\.?"
# "29 nov al 1 dic", "28 nov.-2 dez.", "du 30 sept. au 2 oct.": a range of two days, each with its month
_ABBREVIATED_SPAN = re.compile(
    rf"(?<![\w.])(?P<d1>\d{{1,2}})\.?\s+(?P<a1>{_ABBR_WORD})\s*(?:al|au|bis|tot|ao|até|a|to|-|–)\s*"
    rf"(?P<d2>\d{{1,2}})\.?\s+(?P<a2>{_ABBR_WORD})(?![\w'’-])", re.IGNORECASE)
# "1 dic 2024", "3 set. 2025", "4. Okt. 2025": a day, an abbreviated month and a year
_ABBREVIATED_DATED = re.compile(
    rf"(?<![\w.])(?P<d>\d{{1,2}})\.?\s+(?P<a>{_ABBR_WORD})(?=,?\s+(?:de\s+)?(?:19|20)\d\d\b)", re.IGNORECASE)
# "červen–srpen", "juin à août", "de junio a agosto", "von Juni bis August": two month words joined by a dash or the
# languages' word for "to" (read as months only when both words are month names, with or without a year after them;
# not the Romance "a", which is "and" in Czech and Slovak: "červen a srpen" is two months)
_FOREIGN_MONTH_SPAN = re.compile(
    r"(?<![\w'’-])(?P<a>[^\W\d_]{4,})\s*(?:[-–—]|\s(?:to|till|until|až|do|bis|à|au|al|hasta|até|tot|t/m|til|"
    r"kuni)\s)\s*(?P<b>[^\W\d_]{4,})(?![\w'’-])", re.IGNORECASE)
# "agosto 2025", "marzo de 2026", "15 de febrero", "3. März", "1er avril" (a month word with a year or a day number)
_FOREIGN_MONTH_DATE = re.compile(
    r"(?<![\w'’-])(?P<m>[^\W\d_]{4,})(?:\s+(?:de|del|di|van))?(?=\s+(?:19|20)\d\d\b)"
    r"|(?<=\d)(?:\.|er|º|°)?\s+(?:(?:de|di)\s+)?(?P<m2>[^\W\d_]{4,})(?![\w'’-])")


def in_english(question: str, names: Collection[str]) -> str:
    """`question` with the foreign words of its language that it knows put into English (see the module docstring).
    `names`: the tenant's names (stores, cities, products, brands, regions): never translated, neither inside a
    whole name written in the question ("Plaza de Armas") nor a word of three letters or more of one ("Verres"); the
    caller may pass none when `language_of` finds no language. The average sale's local names are read in any
    question."""
    question = _AVERAGE_SALE.sub("average ticket", question)
    language = language_of(question)
    if language is None:
        return question
    lexicon = _lexicon(language)
    lowered = {n.lower() for n in names if n.strip()}
    name_words = {f for n in lowered for w in re.findall(r"[^\W\d_]+", n) if len(w) >= 3 for f in (w, strip_accents(w))}
    if language == "de":  # "der Berliner Filialen": the stores of Berlin (a city's adjective is its name + "er")
        question = re.sub(r"\b([^\W\d_]{3,})er\b", lambda m: m.group(1) if m.group(1).lower() in name_words
                          else m.group(0), question)
    if language in ("es", "pt"):
        # "del 1 al 15 de mayo", "del 01/12/2025 al 24/12/2025", "de 1 a 15 de maio": a span of days
        question = re.sub(r"(?i)\bdel\s+(?=\d)", "from ", question)
        question = re.sub(r"(?i)(?<=\d)\s+al\s+(?=\d)", " to ", question)
        question = re.sub(r"(?i)\bde\s+(\d{1,2})\s+a\s+(?=\d)", r"from \1 to ", question)
    if language in NAME_ENDINGS:
        question = _inflected_names(question, language, names)
    low = question.lower()
    protected = [(m.start(), m.end()) for n in lowered if len(n) >= 3
                 for m in re.finditer(r"(?<!\w)" + re.escape(n) + r"(?!\w)", low)]
    # once the question is known to be in the language, its short words are that language's ("les", "die", "en")
    keys = sorted((k for k in lexicon if " " in k or k not in name_words), key=len, reverse=True)
    rx = re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w'’-])", re.IGNORECASE)

    def swap(m: re.Match[str]) -> str:
        text = m.group(0)
        if any(a < m.end() and m.start() < b for a, b in protected):
            return text
        meaning = lexicon.get(text.lower())
        if meaning is None:
            meaning = lexicon.get(strip_accents(text.lower()), text)
        return meaning[:1].upper() + meaning[1:] if text[:1].isupper() and meaning else meaning

    english = rx.sub(swap, question)
    if language in _DOT_ORDINALS:  # "im 1. Quartal", "2. čtvrtletí": a number with a dot is an ordinal
        english = _DOTTED_ORDINAL.sub(lambda m: ("first", "second", "third", "fourth")[int(m.group(1)) - 1] + " ",
                                      english)
    return " ".join(english.split())


# the languages that write an ordinal as the number and a dot ("1. Quartal", "2. pololetí", "3. kvartal")
_DOT_ORDINALS = frozenset(("de", "cs", "sk", "pl", "da", "nb", "fi", "hu", "tr"))
_DOTTED_ORDINAL = re.compile(r"(?<![\w.,])([1-4])\.\s+(?=(?:quarter|half|week|month)\b)", re.IGNORECASE)


def _inflected_names(question: str, language: str, names: Collection[str]) -> str:
    """`question` with the tenant's place and store names written in one of the language's case forms put back to the
    name (`NAME_ENDINGS`): "Oulussa" -> "in Oulu", "Pécsen" -> "in Pécs", "v Košiciach" -> "v Košice", "İzmir'de" ->
    "in İzmir". A capitalized word is read as a name's case form when it is the name word (four letters or more;
    without its last vowel) followed by one of the endings, the ending six letters at most, and only one name word
    fits; Turkish only after an apostrophe. Any other word is left as written."""
    words: dict[str, str] = {}
    for name in names:
        for word in re.findall(r"[^\W\d_]+", name):
            if len(word) >= 4:
                words.setdefault(word.lower(), word)
                # also without accents: "Izmir'de" (the parser reads a dotted capital İ as I) is İzmir's
                words.setdefault(strip_accents(word.lower()), word)
    endings = NAME_ENDINGS[language]

    def stem(word: str) -> str:
        return word[:-1] if word[-1] in "aeiouyáéíóúýěäöüåıeæø" and len(word) > 4 else word

    def swap(m: re.Match[str]) -> str:
        text, low = m.group(0), m.group(0).lower()
        if low in words:
            return text
        if language == "tr":
            base, _, ending = low.replace("’", "'").partition("'")
            found = [w for w in words if w == base] if ending in endings else []
        else:
            found = [w for w in words if low.startswith(stem(w)) and 0 < len(low) - len(stem(w)) <= 6
                     and any(low.endswith(e) and len(low) - len(e) >= len(stem(w)) - 1 for e in endings)]
            ending = next((e for e in sorted(endings, key=len, reverse=True) if low.endswith(e)), "")
        if len(found) != 1:
            return text
        before = endings.get(ending, "")
        return f"{before} {words[found[0]]}" if before else words[found[0]]
    pattern = r"(?<![\w'’-])[^\W\d_]+['’][^\W\d_]+" if language == "tr" else r"(?<![\w'’-])[^\W\d_]+(?![\w'’-])"
    return re.sub(pattern, lambda m: swap(m) if m.group(0)[:1].isupper() else m.group(0), question)
