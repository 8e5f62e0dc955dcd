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

from safety.text_fold import fold

__all__ = ["ALSO_STATE", "CASED", "CITY_NICKNAMES", "INFORMAL", "Informal", "city_nicknames", "no_store_regions",
           "state_regions", "town_regions"]


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
CASED = frozenset({"bh", "poa", "gdl", "mty", "mtl", "nyc", "fnq", "ncr"})


def _folded(names: Iterable[str]) -> set[str]:
    return {form for name in names for form in (" ".join(name.lower().split()), " ".join(fold(name).split()))}


def state_regions(countries: Iterable[str], codes_of: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """A name of a `codes` region of the tenant's countries -> the stored state values inside it (`codes_of`: a stored
    value -> its ISO 3166-2 code and those of its ISO parents). Regions with no stored value are left out."""
    countries = set(countries)
    out: dict[str, tuple[str, ...]] = {}
    for region in INFORMAL:
        if region.country not in countries or not region.codes:
            continue
        values = tuple(sorted(v for v, codes in codes_of.items() if set(codes) & set(region.codes)))
        if values:
            for form in _folded(region.names):
                out[form] = values
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
                     stores: Iterable[tuple[str, Iterable[str]]]) -> frozenset[str]:
    """The names of the regions of the tenant's countries that hold none of its stores."""
    countries = set(countries)
    pairs = [(fold(city), set(codes)) for city, codes in stores]
    held = set(state_regions(countries, codes_of)) | set(town_regions(countries, [(c, k) for c, k in pairs]))
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


def city_nicknames(cities: Iterable[str], aliases: Mapping[str, Iterable[str]] | None = None) -> dict[str, str]:
    """Nickname -> stored city, for the nicknames of cities the tenant stores (matched by name without accents, or
    through `aliases`: a GeoNames name of a stored city -> the stored cities it names)."""
    stored = {fold(c): c for c in cities}
    out: dict[str, str] = {}
    for nickname, city in CITY_NICKNAMES.items():
        target = stored.get(fold(city))
        if target is None and aliases is not None:
            found = tuple(aliases.get(city.lower(), ())) or tuple(aliases.get(fold(city), ()))
            target = found[0] if len(found) == 1 else None
        if target is not None:
            out[nickname] = target
    return out
