"""The words of a sales question in Turkish, Czech, Slovak, Danish, Norwegian (Bokmål), Finnish, Romanian, Hungarian and
Tagalog/Filipino: phrase tables and marker words that tools/sql/foreign.py merges into its own (`MORE_PHRASES`,
`MORE_MARKERS`), and the case forms of each language's month names (`month_forms`).

Contract: data only, read by tools/sql/foreign.py. Each table maps a lower-case phrase (accents as written; foreign.py
matches it with or without them) to the English the SQL parser reads. Inflected and agglutinative languages are
written with the case forms a question uses ("ciromuz", "satışlarımız", "bölgelere göre", "po prodejnách",
"myymälöittäin", "boltonként"); the month forms that follow one rule for every month ("nisan ayında", "huhtikuussa",
"áprilisban", "od dubna") are made from CLDR's month names by `month_forms`, the irregular ones (the Czech and Slovak
locatives "v dubnu", "v apríli") are written here. A marker word (`MORE_MARKERS`) is a word no English sentence and no
other table's language uses in a question; foreign.py also counts each table's own keys of five letters or more.
"""

from __future__ import annotations

# CLDR (babel) locale of each language whose code babel does not know as written
CLDR_LOCALE = {"tl": "fil"}

MORE_PHRASES: dict[str, dict[str, str]] = {
    # Turkish: "Nisan ayında toplam ciromuz ne kadardı?", "Bölge bazında bu yılki satışlarımız", "Kaç hastamız var,
    # bölgelere göre?" (possessive and case suffixes written out: "ciromuz" our turnover, "mağazalarımız" our shops)
    "tr": {
        "ciro": "revenue", "cirosu": "revenue", "ciromuz": "revenue", "ciroyu": "revenue", "cironun": "revenue",
        "ciromuzu": "revenue", "cirolar": "revenue", "ciroları": "revenue", "cirolarımız": "revenue",
        "hasılat": "revenue", "hasılatı": "revenue", "hasılatımız": "revenue", "gelir": "revenue",
        "gelirimiz": "revenue", "geliri": "revenue", "toplam ciro": "total revenue", "toplam": "total",
        "satış": "sales", "satışlar": "sales", "satışı": "sales", "satışları": "sales", "satışımız": "sales",
        "satışlarımız": "sales", "satışlarımızı": "sales", "satışlarını": "sales", "satışların": "sales",
        "ne kadar": "how much", "ne kadardı": "how much", "ne kadardır": "how much", "ne kadar oldu": "how much",
        "kaç": "how many", "kaç adet": "how many units", "kaç tane": "how many", "kaç mağazamız": "how many stores",
        "kaç mağaza": "how many stores", "kaç şubemiz": "how many stores",
        "sattık": "did we sell", "sattı": "sold", "sattılar": "sold", "satılan": "sold", "satıldı": "were sold",
        "adet": "units", "adedi": "units", "birim": "units",
        "sipariş": "orders", "siparişler": "orders", "siparişleri": "orders", "siparişlerimiz": "orders",
        "sipariş sayısı": "orders", "fiş sayısı": "receipts", "fişler": "receipts", "fişleri": "receipts",
        "ortalama fiş tutarı": "average order value", "ortalama sepet": "average order value",
        "ortalama": "average",
        "indirim": "discounts", "indirimler": "discounts", "indirimleri": "discounts", "indirimlerimiz": "discounts",
        "indirim oranı": "discount rate",
        "mağaza": "store", "mağazalar": "stores", "mağazası": "store", "mağazamız": "store",
        "mağazalarımız": "stores", "mağazalarımızın": "stores", "mağazaları": "stores", "mağazada": "at store",
        "mağazasında": "at store", "mağazalarda": "in stores", "şube": "store", "şubeler": "stores",
        "şubesi": "store", "şubelerimiz": "stores", "şubeleri": "stores", "şubemiz": "store",
        "bölge": "region", "bölgeler": "regions", "bölgesi": "region", "bölgesinde": "in region",
        "bölgelere göre": "by region", "bölgeye göre": "by region", "bölge bazında": "by region",
        "bölge bölge": "by region", "bölgelerde": "in regions",
        "mağazalara göre": "by store", "mağazaya göre": "by store", "mağaza bazında": "by store",
        "şubelere göre": "by store", "şube bazında": "by store", "mağaza başına": "per store",
        "aylara göre": "by month", "ay bazında": "by month", "aylık": "monthly", "ay ay": "by month",
        "markaya göre": "by brand", "marka bazında": "by brand", "kategoriye göre": "by category",
        "kategori bazında": "by category", "şehre göre": "by city", "şehir bazında": "by city",
        "geçen ay": "last month", "geçen ayki": "last month", "bu ay": "this month", "bu ayki": "this month",
        "bu yıl": "this year", "bu yılki": "this year", "bu sene": "this year", "bu seneki": "this year",
        "geçen yıl": "last year", "geçen yılki": "last year", "geçen sene": "last year", "geçen seneki": "last year",
        "geçen hafta": "last week", "geçen haftaki": "last week", "bu hafta": "this week",
        "geçen çeyrek": "last quarter", "geçen çeyrekte": "last quarter", "ilk çeyrek": "first quarter",
        "ilk çeyrekte": "first quarter", "çeyrek": "quarter", "yılbaşından beri": "year to date",
        "yılında": "", "yılı": "", "dün": "yesterday", "bugün": "today",
        "karşılaştırıldığında": "compared with", "geçen yıla göre": "compared with last year",
        "geçen yıla kıyasla": "compared with last year", "geçen seneye göre": "compared with last year",
        "geçen aya göre": "compared with last month", "kıyasla": "compared with", "karşı": "versus",
        "boyunca": "during", "sırasında": "during",
        "hasta": "patients", "hastalar": "patients", "hastamız": "patients", "hastalarımız": "patients",
        "hasta sayısı": "patients", "hasta sayımız": "patients",
        "stok": "stock on hand", "stokta": "in stock", "stoktaki": "in stock", "stok miktarı": "stock on hand",
        "yeniden sipariş seviyesinin altında": "below their reorder point",
        "kritik stok seviyesinin altında": "below their reorder point",
        "minimum stok seviyesinin altında": "below their reorder point",
        "kritik seviyenin altında": "below their reorder point", "stokta yok": "out of stock",
        "stokta olmayan": "out of stock", "tükenen": "out of stock",
        "ürün": "products", "ürünler": "products", "ürünleri": "products",
        "hangi": "which", "en çok": "most", "en fazla": "most", "en iyi": "best", "en kötü": "worst",
        "en az": "least", "yaptı": "made", "yaptık": "did we make", "aldık": "did we get",
        "biz": "we", "bizim": "our", "var": "do we have", "ve": "and", "ile": "and", "için": "for",
        "da": "", "de": "",
    },
    # Czech: "Kolik jsme utržili v dubnu?", "tržby po prodejnách za květen", "Kolik máme pacientů?"
    "cs": {
        "tržby": "revenue", "tržba": "revenue", "tržbu": "revenue", "tržeb": "revenue", "tržbách": "revenue",
        "obrat": "revenue", "obratu": "revenue", "utržili": "made", "utržila": "made", "utržilo": "made",
        "utržil": "made", "kolik jsme utržili": "how much revenue did we make",
        "kolik utržila": "how much revenue did make", "kolik utržilo": "how much revenue did make",
        "prodej": "sales", "prodeje": "sales", "prodejů": "sales", "prodali": "sold", "prodala": "sold",
        "prodalo": "sold", "prodal": "sold", "prodáno": "sold", "prodaných": "sold", "jsme prodali": "did we sell",
        "kolik": "how much", "kolik kusů": "how many units", "kusů": "units", "kolik položek": "how many items",
        "položek": "items", "položky": "items", "kolik produktů": "how many items", "je": "are", "jsou": "are",
        "kusy": "units", "ks": "units",
        "kolik objednávek": "how many orders", "objednávky": "orders", "objednávek": "orders",
        "objednávka": "order", "kolik účtenek": "how many receipts", "účtenky": "receipts", "účtenek": "receipts",
        "účtenka": "receipt", "průměrná účtenka": "average order value",
        "průměrná hodnota účtenky": "average order value", "slevy": "discounts", "slev": "discounts",
        "sleva": "discount", "slevu": "discount",
        "prodejna": "store", "prodejny": "stores", "prodejen": "stores", "prodejně": "store", "prodejnu": "store",
        "prodejnách": "stores", "pobočka": "store", "pobočky": "stores", "poboček": "stores", "pobočce": "store",
        "pobočkách": "stores", "kolik prodejen": "how many stores", "kolik poboček": "how many stores",
        "po prodejnách": "by store", "podle prodejen": "by store", "na prodejnu": "per store",
        "po pobočkách": "by store", "podle poboček": "by store", "na pobočku": "per store",
        "po měsících": "by month", "podle měsíců": "by month", "po krajích": "by region", "podle krajů": "by region",
        "po regionech": "by region", "podle regionů": "by region", "kraj": "region", "kraje": "regions",
        "krajů": "regions", "kraji": "region", "podle značek": "by brand", "podle kategorií": "by category",
        "minulý měsíc": "last month", "minulého měsíce": "last month", "v minulém měsíci": "last month",
        "za minulý měsíc": "last month", "tento měsíc": "this month", "tento rok": "this year", "letos": "this year",
        "letošní": "this year's", "loni": "last year", "vloni": "last year", "minulý rok": "last year",
        "v minulém roce": "last year", "za minulý rok": "last year", "minulý týden": "last week",
        "minulého týdne": "last week", "za minulý týden": "last week", "minulé čtvrtletí": "last quarter",
        "v minulém čtvrtletí": "last quarter", "za minulé čtvrtletí": "last quarter",
        "první čtvrtletí": "first quarter", "v prvním čtvrtletí": "in the first quarter", "čtvrtletí": "quarter",
        "od začátku roku": "year to date", "v roce": "in", "za rok": "in",
        "v lednu": "in January", "v únoru": "in February", "v březnu": "in March", "v dubnu": "in April",
        "v květnu": "in May", "v červnu": "in June", "v červenci": "in July", "v srpnu": "in August",
        "v září": "in September", "v říjnu": "in October", "v listopadu": "in November", "v prosinci": "in December",
        "ve srovnání s": "compared with", "loňským rokem": "last year", "minulým rokem": "last year",
        "minulým měsícem": "last month", "v porovnání s": "compared with", "oproti": "compared with",
        "během": "during", "měla": "had", "měl": "had", "mělo": "had", "měly": "had",
        "pacienti": "patients", "pacientů": "patients", "pacientech": "patients",
        "kolik máme pacientů": "how many patients do we have", "kolik pacientů": "how many patients",
        "máme": "do we have", "skladem": "in stock", "zásoby": "stock on hand", "stav zásob": "stock on hand",
        "stav skladu": "stock on hand", "není skladem": "out of stock", "vyprodané": "out of stock",
        "vyprodáno": "out of stock", "pod minimální zásobou": "below their reorder point",
        "který": "which", "která": "which", "které": "which", "nejlepší": "best", "nejhorší": "worst",
        "nejvíce": "most", "nejvíc": "most", "nejméně": "least", "jsme": "we", "naše": "our", "naší": "our",
        "našich": "our", "celkem": "total", "celkové": "total", "a": "and", "v": "in", "ve": "in", "na": "at",
        "za": "for", "od": "since", "do": "to", "pro": "for", "s": "with", "z": "of",
    },
    # Slovak: "Koľko sme predali v apríli?", "tržby podľa predajní za minulý mesiac"
    "sk": {
        "tržby": "revenue", "tržba": "revenue", "tržbu": "revenue", "tržieb": "revenue", "obrat": "revenue",
        "obratu": "revenue", "predaj": "sales", "predaje": "sales", "predajov": "sales", "predali": "sold",
        "predala": "sold", "predalo": "sold", "predal": "sold", "predaných": "sold", "sme predali": "did we sell",
        "koľko sme predali": "how much did we sell", "koľko": "how much", "koľko kusov": "how many units",
        "kusov": "units", "koľko položiek": "how many items", "položiek": "items", "položky": "items", "je": "are",
        "sú": "are", "kusy": "units", "ks": "units", "koľko objednávok": "how many orders",
        "objednávky": "orders", "objednávok": "orders", "koľko blokov": "how many receipts", "bloky": "receipts",
        "blokov": "receipts", "účtenky": "receipts", "zľavy": "discounts", "zliav": "discounts",
        "zľava": "discount", "predajňa": "store", "predajne": "stores", "predajní": "stores", "predajni": "store",
        "predajniach": "stores", "prevádzka": "store", "prevádzky": "stores", "prevádzok": "stores",
        "pobočka": "store", "pobočky": "stores", "pobočiek": "stores", "koľko predajní": "how many stores",
        "koľko pobočiek": "how many stores", "podľa predajní": "by store", "po predajniach": "by store",
        "podľa pobočiek": "by store", "podľa prevádzok": "by store", "na predajňu": "per store",
        "podľa mesiacov": "by month", "po mesiacoch": "by month", "podľa krajov": "by region",
        "po krajoch": "by region", "podľa regiónov": "by region", "kraj": "region", "kraje": "regions",
        "krajov": "regions", "podľa značiek": "by brand", "podľa kategórií": "by category",
        "minulý mesiac": "last month", "minulého mesiaca": "last month", "za minulý mesiac": "last month",
        "tento mesiac": "this month", "tento rok": "this year", "tohto roku": "this year", "vlani": "last year",
        "minulý rok": "last year", "za minulý rok": "last year", "minulý týždeň": "last week",
        "minulý štvrťrok": "last quarter", "v minulom štvrťroku": "last quarter",
        "minulom štvrťroku": "last quarter", "v minulom mesiaci": "last month", "v minulom roku": "last year",
        "mala": "had", "mal": "had", "malo": "had", "mali": "had", "za minulý štvrťrok": "last quarter",
        "minulé štvrťročie": "last quarter",
        "prvý štvrťrok": "first quarter", "v prvom štvrťroku": "in the first quarter", "štvrťrok": "quarter",
        "od začiatku roka": "year to date", "v roku": "in", "za rok": "in",
        "v januári": "in January", "vo februári": "in February", "v marci": "in March", "v apríli": "in April",
        "v máji": "in May", "v júni": "in June", "v júli": "in July", "v auguste": "in August",
        "v septembri": "in September", "v októbri": "in October", "v novembri": "in November",
        "v decembri": "in December",
        "v porovnaní s": "compared with", "minulým rokom": "last year", "minulým mesiacom": "last month",
        "oproti": "compared with", "počas": "during", "pacienti": "patients",
        "pacientov": "patients", "koľko máme pacientov": "how many patients do we have",
        "koľko pacientov": "how many patients", "máme": "do we have", "skladom": "in stock",
        "zásoby": "stock on hand", "stav zásob": "stock on hand", "nie je skladom": "out of stock",
        "vypredané": "out of stock", "pod minimálnou zásobou": "below their reorder point", "ktorý": "which",
        "ktorá": "which", "ktoré": "which", "najlepší": "best",
        "najhorší": "worst", "najviac": "most", "najmenej": "least", "sme": "we", "naše": "our", "našich": "our",
        "celkom": "total", "spolu": "total", "a": "and", "v": "in", "vo": "in", "na": "at", "za": "for",
        "od": "since", "do": "to", "pre": "for", "s": "with",
    },
    # Danish: "Hvor meget solgte butikken i Aarhus sidste måned?", "omsætning pr. butik i år"
    "da": {
        "omsætning": "revenue", "omsætningen": "revenue", "omsætning pr. butik": "revenue by store",
        "salg": "sales", "salget": "sales", "solgte": "sold", "solgt": "sold", "solgte vi": "did we sell",
        "hvor meget": "how much", "hvor mange": "how many", "enheder": "units", "varer": "items", "vare": "item",
        "er": "are", "stk": "units", "styk": "units",
        "ordrer": "orders", "bestillinger": "orders", "kvitteringer": "receipts", "bonner": "receipts",
        "rabatter": "discounts", "rabat": "discount", "rabatten": "the discount", "gav vi": "did we give",
        "gav": "gave",
        "butik": "store", "butikken": "the store", "butikker": "stores", "butikkerne": "the stores",
        "forretning": "store", "forretninger": "stores", "filial": "store", "filialer": "stores",
        "pr. butik": "by store", "per butik": "by store", "pr butik": "by store", "pr. måned": "by month",
        "per måned": "by month", "pr måned": "by month", "pr. uge": "by week", "per uge": "by week",
        "pr. region": "by region", "per region": "by region", "regioner": "regions",
        "sidste måned": "last month", "forrige måned": "last month", "denne måned": "this month", "i år": "this year",
        "sidste år": "last year", "sidste uge": "last week", "forrige uge": "last week",
        "sidste kvartal": "last quarter", "forrige kvartal": "last quarter", "første kvartal": "first quarter",
        "kvartal": "quarter", "i går": "yesterday", "siden": "since", "sammenlignet med": "compared with",
        "i forhold til": "compared with", "mod": "versus", "i løbet af": "during", "patienter": "patients",
        "lagerbeholdning": "stock on hand", "lagerbeholdningen": "stock on hand", "på lager": "in stock",
        "udsolgt": "out of stock", "udsolgte": "out of stock",
        "under minimumsbeholdningen": "below their reorder point", "under genbestillingspunktet":
        "below their reorder point", "hvilken": "which", "hvilke": "which", "bedst": "best", "dårligst": "worst",
        "værst": "worst", "mest": "most", "flest": "most", "færrest": "least", "mindst": "least", "vi": "we",
        "har": "have", "havde": "had", "har vi": "do we have", "vores": "our", "og": "and", "i": "in", "på": "at",
        "fra": "from", "til": "to", "hvad var": "what was", "hvad er": "what is", "hvad": "what",
    },
    # Norwegian (Bokmål): "Hvor mye solgte butikken i Bergen forrige måned?", "omsetning per butikk i år"
    "nb": {
        "omsetning": "revenue", "omsetningen": "revenue", "salg": "sales", "salget": "sales", "solgte": "sold",
        "solgt": "sold", "solgte vi": "did we sell", "hvor mye": "how much", "hvor mange": "how many",
        "enheter": "units", "varer": "items", "vare": "item", "er": "are", "stk": "units", "ordrer": "orders",
        "bestillinger": "orders",
        "kvitteringer": "receipts", "rabatter": "discounts", "rabatt": "discount", "rabatten": "the discount",
        "ga vi": "did we give", "ga": "gave",
        "butikk": "store", "butikken": "the store", "butikker": "stores", "butikkene": "the stores",
        "filial": "store", "filialer": "stores", "per butikk": "by store", "pr. butikk": "by store",
        "per måned": "by month", "pr. måned": "by month", "per uke": "by week", "per fylke": "by county",
        "per region": "by region", "fylke": "county", "fylker": "counties",
        "forrige måned": "last month", "sist måned": "last month", "denne måneden": "this month",
        "i år": "this year", "i fjor": "last year", "forrige uke": "last week", "sist uke": "last week",
        "forrige kvartal": "last quarter", "sist kvartal": "last quarter", "første kvartal": "first quarter",
        "kvartal": "quarter", "i går": "yesterday", "siden": "since", "sammenlignet med": "compared with",
        "mot": "versus", "i løpet av": "during", "pasienter": "patients", "lagerbeholdning": "stock on hand",
        "på lager": "in stock", "utsolgt": "out of stock", "under bestillingspunktet": "below their reorder point",
        "under minimumsbeholdningen": "below their reorder point", "utsolgte": "out of stock", "hvilken": "which",
        "hvilke": "which", "best": "best", "dårligst": "worst", "mest": "most", "flest": "most", "færrest": "least",
        "minst": "least", "vi": "we", "har": "have", "hadde": "had", "har vi": "do we have", "vår": "our",
        "våre": "our", "og": "and", "i": "in", "på": "at", "fra": "from", "til": "to", "hva var": "what was",
        "hva er": "what is", "hva": "what",
    },
    # Finnish: "Paljonko myimme huhtikuussa?", "myynti myymälöittäin viime kuussa", "Kuinka monta potilasta meillä on?"
    "fi": {
        "myynti": "sales", "myynnit": "sales", "myyntiä": "sales", "myynnin": "sales", "myyntimme": "sales",
        "liikevaihto": "revenue", "liikevaihtoa": "revenue", "liikevaihtomme": "revenue", "liikevaihdon": "revenue",
        "paljonko": "how much", "kuinka paljon": "how much", "paljonko myimme": "how much did we sell",
        "kuinka paljon myimme": "how much did we sell", "kuinka monta": "how many", "montako": "how many",
        "myimme": "did we sell", "myytiin": "were sold", "myi": "sold", "myivät": "sold", "myytyjä": "sold",
        "kappaletta": "units", "tuotetta": "items", "tuotteita": "items", "tuotteet": "items", "on": "are",
        "kpl": "units", "tilaukset": "orders", "tilauksia": "orders", "tilausta": "orders",
        "kuitit": "receipts", "kuitteja": "receipts", "kuittia": "receipts", "alennukset": "discounts",
        "alennuksia": "discounts", "alennusta": "discounts", "alennusten": "discounts",
        "myymälä": "store", "myymälät": "stores", "myymälää": "stores", "myymälöitä": "stores",
        "myymälöiden": "stores", "myymälässä": "at store", "myymälän": "store", "liike": "store",
        "liikkeet": "stores", "liikkeitä": "stores", "liikkeessä": "at store", "myymälöittäin": "by store",
        "liikkeittäin": "by store", "myymäläkohtaisesti": "by store", "kuukausittain": "by month",
        "alueittain": "by region", "maakunnittain": "by region", "merkeittäin": "by brand", "alue": "region",
        "alueet": "regions", "alueella": "in region", "maakunta": "region",
        "viime kuussa": "last month", "viime kuun": "last month", "tässä kuussa": "this month",
        "tämän kuun": "this month", "tänä vuonna": "this year", "tämän vuoden": "this year",
        "viime vuonna": "last year", "viime vuoden": "last year", "viime viikolla": "last week",
        "viime viikon": "last week", "viime neljänneksellä": "last quarter",
        "edellisellä neljänneksellä": "last quarter", "ensimmäisellä neljänneksellä": "in the first quarter",
        "neljänneksellä": "quarter", "neljännes": "quarter", "vuosineljännes": "quarter",
        "vuonna": "in", "eilen": "yesterday", "verrattuna": "compared with", "viime vuoteen": "last year",
        "edelliseen vuoteen": "last year", "viime kuuhun": "last month", "aikana": "during",
        "potilaat": "patients", "potilaita": "patients", "potilasta": "patients", "potilaamme": "patients",
        "meillä on": "do we have", "varastossa": "in stock", "varasto": "stock on hand",
        "varastosaldo": "stock on hand", "alle tilauspisteen": "below their reorder point",
        "tilauspisteen alapuolella": "below their reorder point", "loppu varastosta": "out of stock",
        "loppuneet": "out of stock",
        "mikä": "which", "mitkä": "which", "paras": "best", "huonoin": "worst", "eniten": "most",
        "vähiten": "least", "yhteensä": "total", "ja": "and", "oli": "was", "meillä": "we",
    },
    # Romanian: "Cât am vândut în aprilie?", "vânzări pe magazin luna trecută", "cifra de afaceri anul acesta"
    "ro": {
        "cifra de afaceri": "revenue", "cifră de afaceri": "revenue", "cifra noastră de afaceri": "revenue",
        "venituri": "revenue", "veniturile": "revenue", "încasări": "revenue", "încasările": "revenue",
        "vânzări": "sales", "vânzările": "sales", "vânzare": "sales", "vânzarea": "sales",
        "cât": "how much", "câtă": "how much", "câte": "how many", "câți": "how many",
        "am încasat": "did we take", "au încasat": "did they take", "a încasat": "did it take", "încasat": "taken",
        "cât am încasat": "how much did we take", "pe magazine": "by store", "pe magazinele": "by store",
        "pe fiecare magazin": "by store", "pe orașe": "by city", "pe oraș": "by city", "pe mărci": "by brand",
        "pe categorii": "by category", "pe zile": "by day", "pe săptămâni": "by week", "pe trimestre": "by quarter",
        "cât am vândut": "how much did we sell", "am vândut": "did we sell", "vândut": "sold", "vândute": "sold",
        "vânduți": "sold", "a vândut": "sold", "au vândut": "sold", "bucăți": "units", "produse": "items",
        "produsele": "items", "articole": "items", "sunt": "are", "este": "is", "buc": "units",
        "comenzi": "orders", "comenzile": "orders", "bonuri": "receipts", "bonurile": "receipts",
        "bonuri fiscale": "receipts", "reduceri": "discounts", "reducerile": "discounts", "reducere": "discount",
        "magazin": "store", "magazine": "stores", "magazinul": "the store", "magazinele": "the stores",
        "magazinului": "store", "magazinelor": "stores", "pe magazin": "by store", "per magazin": "by store",
        "pe lună": "by month", "pe luni": "by month", "pe regiune": "by region", "pe județ": "by county",
        "pe județe": "by county", "județ": "county", "județe": "counties", "județul": "county", "regiune": "region",
        "regiuni": "regions", "pe marcă": "by brand", "pe categorie": "by category",
        "luna trecută": "last month", "luna aceasta": "this month", "luna asta": "this month",
        "anul acesta": "this year", "anul ăsta": "this year", "în acest an": "this year",
        "anul trecut": "last year", "săptămâna trecută": "last week", "trimestrul trecut": "last quarter",
        "primul trimestru": "first quarter", "trimestrul": "quarter", "trimestru": "quarter", "ieri": "yesterday",
        "de la începutul anului": "year to date", "comparativ cu": "compared with", "față de": "compared with",
        "în timpul": "during", "pacienți": "patients", "pacienții": "patients", "avem": "do we have",
        "stoc": "stock on hand", "stocul": "stock on hand", "în stoc": "in stock", "fără stoc": "out of stock",
        "epuizate": "out of stock", "sub stocul minim": "below their reorder point",
        "sub pragul de reaprovizionare": "below their reorder point", "care": "which", "cel mai bun": "best",
        "cele mai bune": "best",
        "cel mai slab": "worst", "cele mai slabe": "worst", "cele mai multe": "most", "cele mai mari": "the highest",
        "cel mai mare": "the highest", "cele mai mici": "the lowest", "cel mai mic": "the lowest", "a avut": "had",
        "au avut": "had", "avut": "had", "cel mai mult": "most",
        "cele mai puține": "least", "cel mai puțin": "least", "noastre": "our", "nostru": "our", "noștri": "our",
        "și": "and", "în": "in", "la": "at", "din": "in", "de la": "since", "până la": "to", "total": "total",
        "au": "", "am": "",
    },
    # Hungarian: "Mennyi volt a forgalom áprilisban?", "eladások boltonként tavaly", "Hány páciensünk van?"
    "hu": {
        "forgalom": "revenue", "forgalmunk": "revenue", "forgalma": "revenue", "forgalmat": "revenue",
        "árbevétel": "revenue", "árbevételünk": "revenue", "bevétel": "revenue", "bevételünk": "revenue",
        "bevétele": "revenue", "eladások": "sales", "eladás": "sales", "értékesítés": "sales",
        "mennyi": "how much", "mennyi volt": "how much was", "mekkora": "how much", "mekkora volt": "how much was",
        "mennyit": "how much", "mennyit forgalmaztak": "how much revenue did", "mennyit forgalmazott":
        "how much revenue did", "forgalmaztak": "took", "forgalmazott": "took", "forgalmaztunk": "did we take",
        "mennyit adtunk el": "how much did we sell",
        "hány": "how many", "hány darabot": "how many units", "hány darab": "how many units",
        "eladtunk": "did we sell", "adtunk el": "did we sell", "eladott": "sold", "adott el": "sold",
        "hány bolt": "how many stores", "hány boltunk": "how many stores", "hány üzlet": "how many stores",
        "hány üzletünk": "how many stores", "hány fiók": "how many stores", "hány rendelés": "how many orders",
        "hány nyugta": "how many receipts", "hány blokk": "how many receipts",
        "darab": "units", "termék": "items", "termék van": "items are", "termékek vannak": "items are",
        "termékek": "items", "terméket": "items", "cikk": "items",
        "darabot": "units", "db": "units", "rendelések": "orders", "rendelés": "orders",
        "blokkok": "receipts", "blokk": "receipts", "nyugták": "receipts", "nyugta": "receipts",
        "kedvezmények": "discounts", "kedvezmény": "discounts", "kedvezményt": "discounts",
        "engedmények": "discounts", "bolt": "store", "boltok": "stores", "boltunk": "store",
        "boltjaink": "stores", "boltban": "at store", "boltunkban": "at store", "üzlet": "store",
        "üzletek": "stores", "üzletünk": "store", "üzleteink": "stores", "üzletben": "at store", "fiók": "store",
        "fiókok": "stores", "boltonként": "by store", "üzletenként": "by store", "fiókonként": "by store",
        "havonta": "by month", "havonként": "by month", "hónaponként": "by month", "régiónként": "by region",
        "megyénként": "by county", "márkánként": "by brand", "kategóriánként": "by category", "régió": "region",
        "régiók": "regions", "megye": "county", "megyék": "counties",
        "múlt hónapban": "last month", "előző hónapban": "last month", "a múlt hónapban": "last month",
        "ebben a hónapban": "this month", "idén": "this year", "ebben az évben": "this year", "tavaly": "last year",
        "múlt héten": "last week", "a múlt héten": "last week", "előző negyedévben": "last quarter",
        "az előző negyedévben": "last quarter", "múlt negyedévben": "last quarter",
        "első negyedévben": "in the first quarter", "az első negyedévben": "in the first quarter",
        "negyedév": "quarter", "negyedévben": "quarter", "tegnap": "yesterday", "összehasonlítva": "compared with",
        "képest": "compared with", "a tavalyihoz képest": "compared with last year",
        "tavalyihoz képest": "compared with last year", "a tavalyhoz képest": "compared with last year",
        "tavalyhoz képest": "compared with last year", "az előző évhez képest": "compared with last year",
        "alatt": "during", "során": "during", "páciensek": "patients",
        "páciens": "patients", "pácienseink": "patients", "páciensünk": "patients", "betegek": "patients",
        "betegeink": "patients", "betegünk": "patients", "készlet": "stock on hand", "készleten": "in stock",
        "készletünk": "stock on hand", "nincs készleten": "out of stock",
        "a rendelési pont alatt": "below their reorder point", "rendelési pont alatt": "below their reorder point",
        "minimális készlet alatt": "below their reorder point", "elfogyott": "out of stock",
        "melyik": "which", "legjobb": "best", "legrosszabb": "worst", "legtöbb": "most", "legkevesebb": "least",
        "összesen": "total", "van": "do we have", "volt": "was", "és": "and", "a": "the", "az": "the",
        "évben": "",
    },
    # Tagalog / Filipino: "Magkano ang benta natin noong Abril?", "Ilan ang pasyente natin?", "benta bawat branch"
    "tl": {
        "magkano": "how much", "ilan": "how many", "ilang": "how many", "benta": "sales", "bentahan": "sales",
        "kita": "revenue", "kinita": "revenue", "naibenta": "sold", "nabenta": "sold", "nagbenta": "sold",
        "ilan ang tindahan": "how many stores", "ilan ang mga tindahan": "how many stores",
        "ilang tindahan": "how many stores", "ilan ang branch": "how many stores", "ilang branch": "how many stores",
        "ilang order": "how many orders", "ilang resibo": "how many receipts",
        "piraso": "units", "produkto": "items", "mga produkto": "items", "resibo": "receipts",
        "mga resibo": "receipts", "diskwento": "discounts",
        "tindahan": "store", "mga tindahan": "stores", "sangay": "store", "mga sangay": "stores",
        "mga branch": "stores", "bawat tindahan": "by store", "kada tindahan": "by store",
        "bawat branch": "by store", "kada branch": "by store", "bawat buwan": "by month", "kada buwan": "by month",
        "bawat rehiyon": "by region", "kada rehiyon": "by region", "rehiyon": "region",
        "bawat probinsya": "by province", "probinsya": "province", "lalawigan": "province",
        "noong nakaraang buwan": "last month", "nakaraang buwan": "last month", "ngayong buwan": "this month",
        "ngayong taon": "this year", "noong nakaraang taon": "last year", "nakaraang taon": "last year",
        "noong isang taon": "last year", "noong nakaraang linggo": "last week", "nakaraang linggo": "last week",
        "noong isang linggo": "last week", "nakaraang quarter": "last quarter", "kahapon": "yesterday",
        "mula noong": "since", "kumpara sa": "compared with", "habang": "during", "noong": "in",
        "pasyente": "patients", "mga pasyente": "patients", "ubos": "out of stock", "ubos na": "out of stock",
        "wala nang stock": "out of stock", "naka-stock": "in stock",
        "mababa sa reorder point": "below their reorder point", "alin": "which", "aling": "which",
        "pinakamabenta": "best", "pinakamataas": "highest", "pinakamababa": "lowest", "pinakamarami": "most",
        "pinakakaunti": "least", "natin": "we", "namin": "we", "mayroon": "have", "may": "have", "ang": "the",
        "ng": "of", "sa": "in", "mga": "", "na": "", "ba": "", "kabuuang": "total", "kabuuan": "total", "ngayon": "now",
    },
}

# words that mark a question as written in the language, beyond the tables' own words of five letters or more
# the ordinals a period is counted with ("im ersten Quartal", "druhé čtvrtletí", "w trzecim kwartale", "ikinci çeyrek")
# in every inflected form a question uses, per language of both tables -> the English ordinal; foreign.py adds them to
# the language's phrases (the digit-and-dot ordinals, "1. Quartal", are read there)
ORDINALS: dict[str, dict[str, str]] = {
    "fr": {"premier": "first", "première": "first", "deuxième": "second", "second": "second", "seconde": "second",
           "troisième": "third", "quatrième": "fourth", "1er": "first", "1re": "first", "2e": "second",
           "3e": "third", "4e": "fourth"},
    "es": {"primer": "first", "primera": "first", "primero": "first", "segundo": "second", "segunda": "second",
           "tercer": "third", "tercero": "third", "tercera": "third", "cuarto": "fourth", "cuarta": "fourth"},
    "pt": {"primeiro": "first", "primeira": "first", "segundo": "second", "segunda": "second", "terceiro": "third",
           "terceira": "third", "quarto": "fourth", "quarta": "fourth"},
    "it": {"primo": "first", "prima": "first", "secondo": "second", "seconda": "second", "terzo": "third",
           "terza": "third", "quarto": "fourth", "quarta": "fourth"},
    "de": {f"{stem}{ending}": english for stem, english in (("erst", "first"), ("zweit", "second"),
                                                            ("dritt", "third"), ("viert", "fourth"))
           for ending in ("e", "en", "er", "es", "em")},
    "nl": {"eerste": "first", "tweede": "second", "derde": "third", "vierde": "fourth"},
    "sv": {"första": "first", "andra": "second", "tredje": "third", "fjärde": "fourth"},
    "pl": {f"{stem}{ending}": english for stem, english in (("pierwsz", "first"), ("drug", "second"),
                                                            ("trzec", "third"), ("czwart", "fourth"))
           for ending in ("y", "i", "ym", "im", "ego", "a", "ą", "ej", "e")},
    "id": {"pertama": "first", "kedua": "second", "ketiga": "third", "keempat": "fourth"},
    "tr": {"birinci": "first", "ikinci": "second", "üçüncü": "third", "dördüncü": "fourth"},
    "cs": {"první": "first", "prvním": "first", "druhé": "second", "druhý": "second", "druhém": "second",
           "třetí": "third", "třetím": "third", "čtvrté": "fourth", "čtvrtý": "fourth", "čtvrtém": "fourth"},
    "sk": {"prvý": "first", "prvom": "first", "prvé": "first", "druhý": "second", "druhom": "second",
           "druhé": "second", "tretí": "third", "treťom": "third", "tretie": "third", "štvrtý": "fourth",
           "štvrtom": "fourth", "štvrté": "fourth"},
    "da": {"første": "first", "anden": "second", "andet": "second", "tredje": "third", "fjerde": "fourth"},
    "nb": {"første": "first", "andre": "second", "annet": "second", "tredje": "third", "fjerde": "fourth"},
    "fi": {"ensimmäinen": "first", "ensimmäisellä": "first", "ensimmäisen": "first", "toinen": "second",
           "toisella": "second", "toisen": "second", "kolmas": "third", "kolmannella": "third",
           "kolmannen": "third", "neljäs": "fourth", "neljännellä": "fourth", "neljännen": "fourth"},
    "ro": {"primul": "first", "prima": "first", "al doilea": "second", "a doua": "second", "al treilea": "third",
           "a treia": "third", "al patrulea": "fourth", "a patra": "fourth"},
    "hu": {"első": "first", "második": "second", "harmadik": "third", "negyedik": "fourth"},
    "tl": {"una": "first", "unang": "first", "ikalawa": "second", "ikalawang": "second", "ikatlo": "third",
           "ikatlong": "third", "ikaapat": "fourth", "ikaapat na": "fourth"},
}

# the seasons, as a question of the language names them ("l'été dernier", "tavaly nyáron", "loni v létě", "i fjor
# sommer", "vara trecută") -> the English words the date parser reads ("last summer", "this winter", "in spring");
# foreign.py adds them to the language's phrases like the ordinals (never as marker words of the language). Words that
# are also a common other word of the language ("vår": our, "lata": years) are left out alone. Not for Indonesian,
# Vietnamese's lunar calendar aside, or Tagalog: the tropics have no four seasons a sales question names.
def _season_forms(seasons: dict[str, tuple[str, ...]], last: tuple[str, ...], this: tuple[str, ...],
                  within: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Every form: `seasons` (English season -> the language's words for it, bare), `last` / `this` (templates with
    {s} for a season word: "{s} dernier", "tavaly {s}"), `within` (English season -> the language's "in summer"
    forms)."""
    out: dict[str, str] = {}
    for english, words in seasons.items():
        for word in words:
            out[word] = english
            out.update({t.format(s=word): f"last {english}" for t in last})
            out.update({t.format(s=word): f"this {english}" for t in this})
        out.update(dict.fromkeys(within.get(english, ()), f"in {english}"))
    return out


SEASONS: dict[str, dict[str, str]] = {
    "fr": _season_forms({"summer": ("été", "l'été"), "winter": ("hiver", "l'hiver"), "spring": ("printemps",
                                                                                             "le printemps"),
                         "autumn": ("automne", "l'automne")}, ("{s} dernier",), (),
                        {"summer": ("en été", "cet été"), "winter": ("en hiver", "cet hiver"),
                         "spring": ("au printemps", "ce printemps"), "autumn": ("en automne", "cet automne")}),
    "es": _season_forms({"summer": ("verano", "el verano"), "winter": ("invierno", "el invierno"),
                         "spring": ("primavera", "la primavera"), "autumn": ("otoño", "el otoño")},
                        ("{s} pasado", "{s} pasada"), ("este {s}", "esta {s}"),
                        {"summer": ("en verano",), "winter": ("en invierno",), "spring": ("en primavera",),
                         "autumn": ("en otoño",)}),
    "pt": _season_forms({"summer": ("verão", "o verão", "no verão"), "winter": ("inverno", "o inverno", "no inverno"),
                         "spring": ("primavera", "a primavera", "na primavera"),
                         "autumn": ("outono", "o outono", "no outono")},
                        ("{s} passado", "{s} passada"), ("este {s}", "esta {s}", "neste {s}", "nesta {s}"), {}),
    "it": _season_forms({"summer": ("estate", "l'estate"), "winter": ("inverno", "l'inverno"),
                         "spring": ("primavera", "la primavera"), "autumn": ("autunno", "l'autunno")},
                        ("{s} scorsa", "{s} scorso", "la scorsa {s}", "lo scorso {s}", "scorsa {s}", "scorso {s}"),
                        ("questa {s}", "quest'{s}"),
                        {"summer": ("in estate", "d'estate", "d’estate"), "winter": ("in inverno", "d'inverno"),
                         "spring": ("in primavera",), "autumn": ("in autunno",)}),
    "de": _season_forms({"summer": ("sommer",), "winter": ("winter",), "spring": ("frühling", "frühjahr"),
                         "autumn": ("herbst",)},
                        ("letzten {s}", "letzter {s}", "im letzten {s}", "vergangenen {s}", "im vergangenen {s}",
                         "letztes {s}", "im letzten {s}", "vergangenes {s}"),
                        ("diesen {s}", "in diesem {s}", "dieses {s}"),
                        {"summer": ("im sommer",), "winter": ("im winter",), "spring": ("im frühling", "im frühjahr"),
                         "autumn": ("im herbst",)}),
    "pl": _season_forms({"summer": ("lato",), "winter": ("zima",), "spring": ("wiosna",), "autumn": ("jesień",)},
                        (), (),
                        {"summer": ("latem", "w lecie", "tego lata"), "winter": ("zimą", "w zimie", "tej zimy"),
                         "spring": ("wiosną", "tej wiosny"), "autumn": ("jesienią", "tej jesieni")})
    | {"zeszłego lata": "last summer", "ubiegłego lata": "last summer", "zeszłej zimy": "last winter",
       "ubiegłej zimy": "last winter", "zeszłej wiosny": "last spring", "ubiegłej wiosny": "last spring",
       "zeszłej jesieni": "last autumn", "ubiegłej jesieni": "last autumn", "zeszłe lato": "last summer"},
    "nl": _season_forms({"summer": ("zomer",), "winter": ("winter",), "spring": ("lente", "voorjaar"),
                         "autumn": ("herfst", "najaar")},
                        ("vorige {s}", "vorig {s}", "afgelopen {s}"), ("deze {s}", "dit {s}"),
                        {"summer": ("in de zomer",), "winter": ("in de winter",),
                         "spring": ("in de lente", "in het voorjaar"), "autumn": ("in de herfst", "in het najaar")}),
    "sv": _season_forms({"summer": ("sommar", "sommaren"), "winter": ("vinter", "vintern"), "spring": ("våren",),
                         "autumn": ("höst", "hösten")}, ("förra {s}",), (),
                        {"summer": ("i sommar",), "winter": ("i vinter",), "autumn": ("i höst",)})
    | {"i somras": "last summer", "i vintras": "last winter", "i våras": "last spring", "i höstas": "last autumn"},
    "tr": _season_forms({"summer": ("yaz",), "winter": ("kış",), "spring": ("ilkbahar", "bahar"),
                         "autumn": ("sonbahar",)}, ("geçen {s}",), ("bu {s}",),
                        {"summer": ("yazın",), "winter": ("kışın",), "spring": ("ilkbaharda", "baharda"),
                         "autumn": ("sonbaharda",)}),
    "cs": _season_forms({"summer": ("léto",), "winter": ("zima",), "spring": ("jaro",), "autumn": ("podzim",)},
                        ("minulé {s}", "loňské {s}"), ("letošní {s}",),
                        {"summer": ("v létě",), "winter": ("v zimě",), "spring": ("na jaře",),
                         "autumn": ("na podzim",)})
    | {"loni v létě": "last summer", "loni v zimě": "last winter", "loni na jaře": "last spring",
       "loni na podzim": "last autumn", "minulou zimu": "last winter", "letos v létě": "this summer",
       "letos v zimě": "this winter", "letos na jaře": "this spring", "letos na podzim": "this autumn"},
    "sk": _season_forms({"summer": ("leto",), "winter": ("zima",), "spring": ("jar",), "autumn": ("jeseň",)},
                        ("minulé {s}", "minulú {s}", "minulý {s}"), ("toto {s}", "túto {s}"),
                        {"summer": ("v lete",), "winter": ("v zime",), "spring": ("na jar",), "autumn": ("na jeseň",)})
    | {"vlani v lete": "last summer", "vlani v zime": "last winter", "vlani na jar": "last spring",
       "vlani na jeseň": "last autumn"},
    "da": _season_forms({"summer": ("sommer", "sommeren"), "winter": ("vinter", "vinteren"),
                         "spring": ("forår", "foråret"), "autumn": ("efterår", "efteråret")}, ("sidste {s}",), (),
                        {"summer": ("i sommer",), "winter": ("i vinter",), "spring": ("i foråret",),
                         "autumn": ("i efteråret",)})
    | {"i sommers": "last summer", "i vinters": "last winter"},
    "nb": _season_forms({"summer": ("sommer", "sommeren"), "winter": ("vinter", "vinteren"), "spring": ("våren",),
                         "autumn": ("høst", "høsten")}, ("forrige {s}", "sist {s}", "i fjor {s}"), (),
                        {"summer": ("i sommer",), "winter": ("i vinter",), "autumn": ("i høst",)})
    | {"i fjor vår": "last spring", "forrige vår": "last spring"},
    "fi": _season_forms({"summer": ("kesä",), "winter": ("talvi",), "spring": ("kevät",), "autumn": ("syksy",)}, (),
                        (), {"summer": ("kesällä",), "winter": ("talvella",), "spring": ("keväällä",),
                             "autumn": ("syksyllä",)})
    | {"viime kesänä": "last summer", "viime talvena": "last winter", "viime keväänä": "last spring",
       "viime syksynä": "last autumn", "tänä kesänä": "this summer", "tänä talvena": "this winter",
       "tänä keväänä": "this spring", "tänä syksynä": "this autumn"},
    "ro": _season_forms({"summer": ("vară", "vara"), "winter": ("iarnă", "iarna"),
                         "spring": ("primăvară", "primăvara"), "autumn": ("toamnă", "toamna")},
                        ("{s} trecută",), ("{s} aceasta", "{s} asta", "în {s} aceasta", "în {s} asta"),
                        {"summer": ("în timpul verii",), "winter": ("în timpul iernii",)})
    | {"vara lui": "summer of", "vara anului": "summer of", "iarna lui": "winter of", "iarna anului": "winter of",
       "primăvara lui": "spring of", "primăvara anului": "spring of", "toamna lui": "autumn of",
       "toamna anului": "autumn of", "în vara lui": "in summer of", "în vara anului": "in summer of"},
    "hu": _season_forms({"summer": ("nyár",), "winter": ("tél",), "spring": ("tavasz",), "autumn": ("ősz",)}, (), (),
                        {"summer": ("nyáron",), "winter": ("télen",), "spring": ("tavasszal",),
                         "autumn": ("ősszel",)})
    | {"tavaly nyáron": "last summer", "tavaly télen": "last winter", "tavaly tavasszal": "last spring",
       "tavaly ősszel": "last autumn", "múlt nyáron": "last summer", "idén nyáron": "this summer",
       "idén télen": "this winter", "idén tavasszal": "this spring", "idén ősszel": "this autumn"},
    "vi": {"mùa hè": "summer", "mùa hạ": "summer", "mùa đông": "winter", "mùa xuân": "spring", "mùa thu": "autumn"},
}

# a season after "de" / "d'" names an occasion of it ("Reduceri de vară", "rebajas de verano", "soldes d'été"), not the
# season's months: kept as written (an unread word: the parser asks, it never reads the summer as the period)
for _language, _connector in (("ro", "de "), ("es", "de "), ("pt", "de "), ("fr", "d'"), ("fr", "d’"), ("it", "d'")):
    SEASONS[_language].update({f"{_connector}{word}": f"{_connector}{word}" for word, english in
                               list(SEASONS[_language].items()) if english in ("summer", "winter", "spring", "autumn")
                               and not word.startswith(("l'", "el ", "la ", "o ", "a ", "le ", "no ", "na "))})

MORE_MARKERS: dict[str, frozenset[str]] = {
    "tr": frozenset("kaç ciro ciromuz satış satışı geçen mağaza şube bölge hastamız toplam kadar kadardı "
                    "bazında hangi yılki".split()),
    "cs": frozenset("kolik tržby tržeb utržili prodali prodejny prodejen poboček minulý letos loni slevy "
                    "kusů".split()),
    "sk": frozenset("koľko tržby tržieb predali predajní predajne pobočiek minulý vlani zľavy kusov "
                    "podľa".split()),
    "da": frozenset("hvor meget mange salg solgte butikken butikker sidste forrige måned omsætning vores "
                    "hvilken".split()),
    "nb": frozenset("hvor mange salg solgte butikk butikker butikken forrige måned omsetning fjor våre "
                    "hvilken".split()),
    "fi": frozenset("paljonko kuinka monta myynti myimme myymälä viime kuussa vuonna liikevaihto meillä "
                    "potilasta".split()),
    "ro": frozenset("câte câți vândut vânzări magazin magazinul anul trecut trecută avem încasat "
                    "noastre".split()),
    "hu": frozenset("mennyi mennyit hány forgalom eladások boltok tavaly idén múlt hónapban mekkora "
                    "üzlet".split()),
    "tl": frozenset("magkano benta tindahan nakaraang ngayong natin namin noong pasyente bawat kada "
                    "naibenta".split()),
}

# the case endings a place's name takes in the language ("Oulussa" in Oulu, "Pécsen" in Pécs, "v Košiciach" in Košice,
# "İzmir'de" in İzmir; Turkish writes them after an apostrophe): ending -> the English word put before the name ("in"),
# or "" where the question's own preposition says it ("v Olomouci")
NAME_ENDINGS: dict[str, dict[str, str]] = {
    "tr": {**dict.fromkeys(("da", "de", "ta", "te", "daki", "deki", "taki", "teki"), "in"),
           **dict.fromkeys(("dan", "den", "tan", "ten"), "from"),
           **dict.fromkeys(("ın", "in", "un", "ün", "nın", "nin", "nun", "nün", "a", "e", "ya", "ye", "ı", "i", "u",
                            "ü", "yı", "yi", "yu", "yü"), "")},
    "fi": {**dict.fromkeys(("ssa", "ssä", "lla", "llä"), "in"), **dict.fromkeys(("sta", "stä", "lta", "ltä"), "from"),
           **dict.fromkeys(("n", "lle", "an", "en", "in", "un", "yn", "ön", "ään"), "")},
    "hu": {**dict.fromkeys(("ban", "ben", "on", "en", "ön", "n"), "in"),
           **dict.fromkeys(("ból", "ből", "ról", "ről", "tól", "től"), "from"),
           **dict.fromkeys(("i", "ba", "be", "ra", "re", "hoz", "hez", "höz", "nál", "nél"), "")},
    "cs": dict.fromkeys(("e", "ě", "u", "i", "y", "ou", "em", "ech", "ích", "ách", "ami", "a"), ""),
    "sk": dict.fromkeys(("e", "u", "i", "y", "ou", "om", "och", "iach", "ach", "ami", "a"), ""),
}

# the month forms that follow one rule for every month (CLDR's stand-alone wide name, lower case, as {m}; the Czech and
# Slovak genitive after "od" (since) as {g}) -> the English ("{M}": the English month name)
_MONTH_FORMS: dict[str, dict[str, str]] = {
    "tr": {"{m} ayında": "in {M}", "{m} ayındaki": "in {M}", "{m} ayı": "{M}", "{m} ayının": "{M}",
           "{m}'da": "in {M}", "{m}'de": "in {M}", "{m}'ta": "in {M}", "{m}'te": "in {M}",
           "{m}'dan beri": "since {M}", "{m}'den beri": "since {M}", "{m}'tan beri": "since {M}",
           "{m}'ten beri": "since {M}", "{m} ayından beri": "since {M}"},
    "fi": {"{m}ssa": "in {M}", "{m}n": "{M}", "{m}sta lähtien": "since {M}", "{m}sta alkaen": "since {M}"},
    "hu": {"{m}ban": "in {M}", "{m}ben": "in {M}", "{m}i": "{M}", "{m} óta": "since {M}"},
    "cs": {"od {g}": "since {M}"},
    "sk": {"od {g}": "since {M}"},
}


def month_forms(language: str, standalone: dict[int, str], genitive: dict[int, str],
                english: dict[int, str]) -> dict[str, str]:
    """The language's month forms made by rule (`_MONTH_FORMS`) from CLDR's month names (`standalone` and `genitive`:
    month number -> the language's wide name; `english`: month number -> the English name): "nisan ayında" -> "in
    April", "huhtikuussa" -> "in April", "od dubna" -> "since April"."""
    out: dict[str, str] = {}
    for template, meaning in _MONTH_FORMS.get(language, {}).items():
        for n, name in standalone.items():
            form = template.format(m=name.lower(), g=genitive.get(n, name).lower())
            out.setdefault(form, meaning.format(M=english[n]))
    return out
