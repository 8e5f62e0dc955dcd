"""Street-address recognition for the output PII guard: US/UK/Canadian, European (number + street + postcode +
city, street-type compounds such as "-straße"/"-gracht"/"-vej"), Indian, Australian, Japanese block addresses,
military (APO/FPO/DPO) and multi-line address blocks.

Contract: ``AddressRecognizer().analyze(text, ...)`` returns presidio ``RecognizerResult``s of type ``ADDRESS``
covering the whole address (number, street, unit, city, region, postcode); the score says how sure it is:
- 0.85 a street with a postcode/city tail, a Japanese block address, a PO box or military address;
- 0.7 a street with a street-type word ("Straße", "rue", "Avenue", "Road") and a number;
- 0.45 a number + capitalised words + number ("834 Amsinckstrasse 9") without type or tail: kept (>= 0.5) only
  with an address word nearby ("address", "lives at", "ship to", ...) or when more address lines follow.
A street name without any number ("the Elm Street store"), a bare city and a bare postcode are never addresses.
"""

from __future__ import annotations

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

ADDRESS = "ADDRESS"


def _alt(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(sorted((regex.escape(w) for w in words), key=len, reverse=True))


# --- vocabulary ---------------------------------------------------------------------------------------------------

_EN_TYPES = ("Street", "Avenue", "Road", "Boulevard", "Lane", "Drive", "Court", "Way", "Place", "Terrace",
             "Parkway", "Circle", "Highway", "Trail", "Square", "Loop", "Pike", "Alley", "Crescent", "Close", "Plaza",
             "Expressway", "Turnpike", "Causeway", "Row", "Walk", "Path", "Crossing", "Ridge", "Heights", "Grove",
             "Gardens", "Mews", "Hollow", "Parade", "Esplanade", "Quay", "Wharf", "Marg", "Salai", "Nagar", "Chowk")
_EN_ABBR = ("St", "Ave", "Av", "Rd", "Blvd", "Ln", "Dr", "Ct", "Pl", "Ter", "Pkwy", "Cir", "Hwy", "Trl", "Sq", "Expy",
            "Tpke", "Cres", "Gr", "Gdns", "Pde", "Esp", "Hts")
# Street-type words that come before the name (French, Italian, Spanish, Portuguese, Polish, Greek, Czech ...):
# any case where they are unambiguous, capitalised only where they are also common words elsewhere ("via", "am").
_PREFIX_TYPES = ("rue", "place", "avenue", "avda.", "avda", "avenida", "boulevard", "bd", "chemin", "allée", "allee",
                 "quai", "impasse", "route", "viale", "corso", "piazza", "piazzale", "vicolo", "strada", "calle",
                 "carrer", "carretera", "paseo", "passeig", "plaça", "camino", "rúa", "rua", "travessa", "praça",
                 "estrada", "alameda", "ul.", "ulica", "al.", "aleja", "pl.", "plac", "odos", "οδός", "leoforos",
                 "náměstí", "třída", "trg", "c/", "πλατεία", "λεωφόρος", "piazzetta", "contrada", "viela", "vía",
                 "travesía", "ruelle", "rambla", "piața", "bulevardul", "calea", "utca", "rond-point",
                 # Indonesian and Malay (Jalan, Gang, Lorong), Vietnamese (Đường, Phố)
                 "jl.", "jln.", "jalan", "gg.", "lorong", "lrg.", "đường", "phố")
_PREFIX_TYPES_CAP = ("Via", "Av.", "Largo", "Plaza", "Passage", "Cours", "Ronda", "Am", "An der", "Auf der",
                     "Im", "In der", "Zum", "Zur", "Os.", "C.", "Str.", "Strasse", "Straße", "Jl", "Jln", "Gang",
                     "Soi")
# Street-type endings of compound street names (German, Dutch, Nordic, Finnish, Icelandic, Hungarian, Slavic ...).
# (English words that end the same way - "During", "Delegate", "Committee", "Brigade" - are why "-ring", "-gate",
# "-tee", "-gade", "-pad" and "-hof" are not in the list, and why the stem must have at least three letters.)
_SUFFIX_TYPES = ("straße", "strasse", "str.", "weg", "gasse", "allee", "platz", "damm", "ufer", "chaussee", "steig",
                 "pfad", "markt", "graben", "gracht", "straat", "laan", "kade", "dijk", "plein", "singel", "steeg",
                 "dreef", "vej", "stræde", "gatan", "vägen", "väg", "gränd", "stigen", "veien", "vegen", "gata",
                 "gaten", "tie", "katu", "kuja", "polku", "vegur", "stræti", "braut", "utca", "cesta", "ulica",
                 "torget", "torg", "bakken")
# Street-type words written as a separate word after the name ("Gosposka ulica 8", "Síp utca 17.", "Bem rkp. 93").
_POST_TYPES = ("straße", "strasse", "str.", "str", "tee", "rakpart", "sor", "köz", "sétány", "nám.", "ulička", "gasse",
               "allee", "platz", "ulica", "utca", "u.", "út", "útja", "tér", "körút", "krt.", "rkp.", "cesta", "gata",
               "gate", "gaden", "vej", "vei", "veien", "väg", "vägen", "gatan", "tie", "katu", "kuja", "sokak",
               "sokağı", "caddesi", "cad.", "sk.", "bulvarı", "ulitsa", "ul.", "prospekt", "pr.", "náměstí", "nábřeží",
               "třída", "ulice", "iela", "gatvė", "g.", "tänav", "põik")
_UNIT_WORDS = ("Apt", "Apartment", "Suite", "Ste", "Unit", "Fl", "Floor", "Bldg", "Building", "Room", "Rm", "Flat",
               "No", "Nr", "House", "Plot", "Door", "Block", "Level", "Lot", "Shop")
_US_STATES = ("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC "
              "ND OH OK OR PA PR RI SC SD TN TX UT VT VA WA WV WI WY").split()
_AU_STATES = ("NSW", "VIC", "QLD", "WA", "SA", "TAS", "ACT", "NT")
_CA_PROVINCES = ("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT")
COUNTRIES = (
    "Afghanistan", "Albania", "Algeria", "Andorra", "Angola", "Argentina", "Armenia", "Australia", "Austria",
    "Azerbaijan", "Bahamas", "Bahrain", "Bangladesh", "Barbados", "Belarus", "Belgium", "Belize", "Benin", "Bhutan",
    "Bolivia", "Bosnia and Herzegovina", "Botswana", "Brazil", "Brunei", "Bulgaria", "Burkina Faso", "Burundi",
    "Cambodia", "Cameroon", "Canada", "Chad", "Chile", "China", "Colombia", "Congo", "Costa Rica", "Croatia", "Cuba",
    "Cyprus", "Czech Republic", "Czechia", "Denmark", "Djibouti", "Dominican Republic", "Ecuador", "Egypt",
    "El Salvador", "Eritrea", "Estonia", "Eswatini", "Ethiopia", "Fiji", "Finland", "France", "Gabon", "Gambia",
    "Georgia", "Germany", "Ghana", "Greece", "Greenland", "Guatemala", "Guinea", "Guyana", "Haiti", "Honduras",
    "Hong Kong", "Hungary", "Iceland", "India", "Indonesia", "Iran", "Iraq", "Ireland", "Israel", "Italy",
    "Ivory Coast", "Jamaica", "Japan", "Jordan", "Kazakhstan", "Kenya", "Kosovo", "Kuwait", "Kyrgyzstan", "Laos",
    "Latvia", "Lebanon", "Lesotho", "Liberia", "Libya", "Liechtenstein", "Lithuania", "Luxembourg", "Madagascar",
    "Malawi", "Malaysia", "Maldives", "Mali", "Malta", "Mauritania", "Mauritius", "Mexico", "Moldova", "Monaco",
    "Mongolia", "Montenegro", "Morocco", "Mozambique", "Myanmar", "Namibia", "Nepal", "Netherlands", "New Zealand",
    "Nicaragua", "Niger", "Nigeria", "North Macedonia", "Norway", "Oman", "Pakistan", "Panama", "Paraguay", "Peru",
    "Philippines", "Poland", "Portugal", "Qatar", "Romania", "Russia", "Rwanda", "San Marino", "Saudi Arabia",
    "Senegal", "Serbia", "Sierra Leone", "Singapore", "Slovakia", "Slovenia", "Somalia", "South Africa",
    "South Korea", "Korea", "Spain", "Sri Lanka", "Sudan", "Suriname", "Sweden", "Switzerland", "Syria", "Taiwan",
    "Tajikistan", "Tanzania", "Thailand", "Togo", "Trinidad and Tobago", "Tunisia", "Turkey", "Türkiye",
    "Turkmenistan", "Uganda", "Ukraine", "United Arab Emirates", "United Kingdom", "UK", "United States",
    "United States of America", "USA", "Uruguay", "Uzbekistan", "Venezuela", "Vietnam", "Viet Nam", "Yemen",
    "Zambia", "Zimbabwe", "Deutschland", "España", "Italia", "Nederland", "Österreich", "Schweiz", "Suisse",
    "Sverige", "Norge", "Danmark", "Suomi", "Polska", "Ísland", "Ελλάδα", "Κύπρος",
)
# Words near a number that say it is an address.
CONTEXT = ("address", "addresses", "adresse", "anschrift", "lives", "live", "living", "lived", "resides", "residence",
           "ship", "shipped", "shipping", "send", "sent", "mail", "mailed", "mailing", "post", "posted", "deliver",
           "delivered", "delivery", "home", "billing", "moved", "move", "courier", "located", "meet", "taxi",
           "return", "forward", "lieferadresse", "domicile", "expédier", "wohnt", "is at", "are at", "meet me at",
           "stop at", "off at", "arrived at", "located on", "lives on", "live on", "lived on", "is on", "enter on",
           "corner of", "live in", "lived in", "it is", "here they are", "sent to", "moved to", "located in",
           "restaurant is at", "office is at", "offices are")

# --- building blocks ------------------------------------------------------------------------------------------------

_UP = r"[\p{Lu}]"
_W = r"[\p{L}\p{M}'’.\-]"  # letters inside a word
# a capitalised word, an ordinal ("5th", "4e") or a number inside a street name ("100 Feet Road")
_CAP = (rf"(?:(?!(?i:{_alt(_UNIT_WORDS)})\b)(?:[dlDL]['’])?{_UP}{_W}*|\d{{1,3}}(?:st|nd|rd|th|e|er|ème)\b"
        rf"|\d{{1,3}}(?=\s+{_UP}))")
_PARTICLE = (r"(?:de|del|della|delle|degli|di|da|do|dos|das|du|des|la|le|les|el|los|las|van|von|der|den|ter|"
             r"am|an|im|auf|zum|zur|und|y|e|i|og|och|of|the|d'|l'|al|bin|u\.)")
_NAME_WORD = rf"(?:{_CAP}|{_PARTICLE}(?=\s+(?:{_UP}|{_PARTICLE}\s+{_UP})))"  # "rue de la République"
_NUM = r"\d{1,6}(?:[A-Za-z](?![\p{L}]))?(?:\s?(?:bis|ter))?(?:[-–/]\d{1,5}[A-Za-z]?)?"
_EN_TYPE = rf"(?:(?i:{_alt(_EN_TYPES)})\b|(?i:{_alt(_EN_ABBR)})\b\.?)"
_DOTTED = [t for t in _PREFIX_TYPES if t.endswith(".")]
_DOTTED_CAP = [t for t in _PREFIX_TYPES_CAP if t.endswith(".")]
_PREFIX_TYPE = (rf"(?:(?i:{_alt(_DOTTED)})|(?i:{_alt([t for t in _PREFIX_TYPES if t not in _DOTTED])})\b"
                rf"|{_alt(_DOTTED_CAP)}|(?:{_alt([t for t in _PREFIX_TYPES_CAP if t not in _DOTTED_CAP])})\b)")
_COMPOUND = rf"(?:{_UP}[\p{{L}}\p{{M}}'’\-]{{2,}}(?i:{_alt(_SUFFIX_TYPES)})(?:\b|(?<=\.)))"
_UNIT = rf"(?:(?i:{_alt(_UNIT_WORDS)})\.?\s*#?\s*[\w\-/]{{1,6}}|#\s?[\w\-]{{1,6}})"
_POST_TYPE = rf"(?:(?i:{_alt([t for t in _POST_TYPES if t.endswith('.')])})|(?i:{_alt([t for t in _POST_TYPES if not t.endswith('.')])})\b)"  # noqa: E501
_CITY = rf"(?:{_UP}[\p{{L}}\p{{M}}.'’\-]+(?:[ \-]{_UP}[\p{{L}}\p{{M}}.'’\-]+){{0,2}})"
_ZIP = r"\d{5}(?:-\d{4})?(?!\d)"
_UK_POST = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"
_CA_POST = r"[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"
_COUNTRY = rf"(?:{_alt(COUNTRIES)})"
_STATE = rf"(?:{'|'.join(_US_STATES)})"
_SEP = r"(?:,\s*|\s*\n[ \t>?}|]*|\s+)"  # comma, line break (quoted/indented) or space between address parts

# Terminal tails: whatever ends an address (region/postcode/city).
_TAIL_END = (
    rf"(?:{_CITY},?\s+{_STATE}\.?(?:,?\s+{_ZIP})?(?![\p{{L}}])"  # Springfield, IL 62704 / Washington DC 20500
    rf"|{_CITY},?\s+(?:(?:{'|'.join(_CA_PROVINCES)}),?\s+)?{_CA_POST}"  # Québec, QC G1K 3V9
    rf"|{_CITY},?\s+{_UK_POST}"  # Leeds LS1 4DY
    rf"|{_CITY}\s+(?:{'|'.join(_AU_STATES)})\s+\d{{4}}(?!\d)"  # Fitzroy VIC 3065
    rf"|\d{{4}}\s?[A-Z]{{2}}\s+{_CITY}"  # 1016 DV Amsterdam
    rf"|(?:[A-Z]{{1,2}}-)?\d{{4,5}}\s+{_CITY}"  # 10625 Berlin / 75008 Paris / D-10625 Berlin
    rf"|{_CITY}\s+\d{{6}}(?!\d)"  # Mumbai 400050
    rf"|{_CITY}\s*[-–]\s*\d{{6}}(?!\d)"  # Mumbai - 400050
    rf"|{_COUNTRY}\s+\d{{4,6}}(?!\d)"  # Norway 25193
    rf"|{_ZIP})"
)
_PART = (rf"(?:(?:{_UP}|\d{{1,3}}(?:st|nd|rd|th)\b)[\p{{L}}\p{{M}}.'’\-]*(?:\s+(?:{_NAME_WORD}|No\.\s?\d+)){{0,3}}"
         rf"|{_UNIT})")
_TAIL = rf"(?:(?:{_SEP}{_UNIT})?(?:{_SEP}{_PART}){{0,3}}?{_SEP}{_TAIL_END})"
_LEAD_UNIT = rf"(?:{_UNIT},?\s+)?"

# Street cores.
_WORDS = rf"(?:{_NAME_WORD}\s+){{0,4}}"
_STREET_EN = rf"{_NUM}\s+(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?\s+)?{_WORDS}{_CAP}\s+{_EN_TYPE}(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b\.?)?"  # noqa: E501
_STREET_PREFIX_NUMFIRST = rf"{_NUM},?\s+{_PREFIX_TYPE}\s+{_WORDS}{_NAME_WORD}"
_STREET_COMPOUND_NUMFIRST = rf"{_NUM}\s+{_WORDS}{_COMPOUND}(?:\s+{_NUM})?"
# the house number after a name-first street: "Calle Mayor 5", "Kıbrıs Şehitleri Caddesi No. 54", "Rua Augusta,
# nº 88", "Avenida Paulista, 1578" (after a comma only where the number ends the address: not "Calle Mayor, 5 minutes")
_HOUSE_NO = r"(?:No|Nr|Nº|N°|nº|n\.º|no)\.?[ \t]*:?[ \t]*"
_NAMEFIRST_NUM = (rf"(?:\s+(?:{_HOUSE_NO})?{_NUM}(?![\d.,]\d)"
                  rf"|[ \t]*,[ \t]*(?:{_HOUSE_NO})?{_NUM}(?=[ \t]*(?:[,.;:)\n]|$|[\-–]|[ \t]+\p{{Lu}})))")
_STREET_NAMEFIRST = (rf"(?:{_PREFIX_TYPE}\s+{_WORDS}{_NAME_WORD}|{_WORDS}{_COMPOUND}|{_WORDS}{_CAP}\s+{_EN_TYPE}"
                     rf"|{_WORDS}{_CAP}\s+{_POST_TYPE}){_NAMEFIRST_NUM}")
_STREET_POST_NUMFIRST = rf"{_NUM}\s+{_WORDS}{_CAP}\s+{_POST_TYPE}(?:\s+{_NUM}(?![\d.,]\d))?"
# "lives on Velký průhon 426": a name and a number, an address only with an address word before it
_MONTHS_DAYS = (r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
                r"august|september|october|november|december|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|"
                r"thursday|friday|saturday|sunday|q[1-4]|fy|h[12]|week|day|page|room|suite|gate|door|floor|level|"
                r"platform|terminal|track|version|release|model|size|store|aisle|shelf|bay|dock|lane|contact|call|phone|tel|"
                r"fax|mobile|order|invoice|job|the|a|an)\b")
_BARE_TRIGGER = (r"\b(?i:(?:lives?|lived|living|is|are|enter|stop|meet\s+(?:me|you|us)|located|address(?:\s+is)?|"
                 r"it\s+is|moved|move)\s+(?:on|at|in|to|:)?\s*|corner\s+of\s+|address\s*:\s*)")
_STREET_NAMEFIRST_BARE = (rf"{_BARE_TRIGGER}(?P<v>(?!{_MONTHS_DAYS})(?:{_NAME_WORD}\s+){{0,2}}{_CAP}"
                          rf"(?:\s+\p{{Ll}}{{3,}})?\s+{_NUM}(?![\d.,\-]\d))")
_STREET_PLAIN = rf"{_NUM}\s+{_WORDS}{_CAP}"  # "2370 Michigan" - an address only with a tail
# "Lange Voorhout 92, 2514 EE Den Haag": a name and number with no street word, only with a postcode + city after.
_STREET_NAMEFIRST_PLAIN = rf"(?:{_NAME_WORD}\s+){{0,3}}{_CAP}\s+{_NUM},?\s+(?=\d{{4}}\s?[A-Z]{{2}}\s|\d{{4,5}}\s+{_UP})"
_STREET_NUM_WORDS_NUM = rf"{_NUM}\s+(?:{_NAME_WORD}\s+){{0,3}}{_CAP}\s+{_NUM}(?![\d.,]\d)"  # 834 Amsinckstrasse 9

# Japanese: "1-9-1 Marunouchi, Chiyoda-ku, Tokyo 100-0005", "〒150-0002 Tokyo, Shibuya-ku, Shibuya 2-21-1".
_JP_BLOCK = r"\d{1,2}(?:-|\s?chome\s?)\d{1,3}(?:-\d{1,4})?(?!\d)"
_JP_POST = r"(?:〒\s?)?\d{3}-\d{4}(?!\d)"
_JP_PART = rf"{_UP}[\p{{L}}\-]*(?:-(?:ku|shi|cho|machi|gun|ken|to|fu|mura))?(?:\s+{_UP}[\p{{L}}\-]*)?"
_JP_EVIDENCE = regex.compile(r"-(?:ku|shi|cho|machi|gun)\b|\d{3}-\d{4}|〒")
_JAPAN = (rf"(?:{_JP_BLOCK}\s+{_JP_PART}(?:,\s+{_JP_PART}){{1,3}}(?:,?\s+{_JP_POST})?"
          rf"|{_JP_POST},?\s+{_JP_PART}(?:,\s+{_JP_PART}){{0,3}}(?:,?\s+{_JP_BLOCK})?)")

_MILITARY = (r"(?:(?:PSC|Unit|CMR)\s+\d{3,5},?\s+Box\s+\d{3,5}|(?:USNS|USNV|USS|USCGC)\s+[\p{Lu}][\p{L}'’\-]+)"
             r"[,\s]+(?:APO|FPO|DPO)\s+A[AEP]\s+\d{5}")
_POBOX = (rf"(?<![\w])(?i:P\.?\s?O\.?\s?Box|Post\s+Office\s+Box|POB|Postfach|Postbox|Postboks|Postbus|"
          rf"Boîte\s+postale|BP|Apartado|Casilla)\s*#?\s*\d{{1,6}}"
          rf"(?:{_TAIL})?")

# Lines that continue an address block ("Suite 259", "ILLKIRCH-GRAFFENSTADEN", "Norway 25193", ", OH", "15079").
_LINE_PREFIX = r"[ \t>?}|]*"
_CONT_LINE = (rf"(?:{_UNIT}|{_COUNTRY}(?:\s+\d{{4,6}})?"
              rf"|{_CITY}(?:,?\s+[A-Za-z]{{2,3}})?(?:\s+(?:\d{{4,6}}|\d{{3}}\s\d{{2}}))?|,\s*[A-Z]{{2,3}}"
              rf"|\d{{4,6}}|{_TAIL_END})")
_CONTINUATION = regex.compile(rf"(?:[ \t]*\n{_LINE_PREFIX}{_CONT_LINE}[ \t]*(?=\n|$|[.?!,]))+")
_LEAD_NUMBERS = regex.compile(r"(?<![\w\-/.,+])(?:\d{1,6}[A-Za-z]?[ \t]+){1,2}$")
_CONTEXT_RE = regex.compile(rf"(?i)\b(?:{_alt(CONTEXT)})\b")
_NON_ADDRESS_BEFORE = regex.compile(
    r"(?i)\b(?:order|invoice|job|sku|item|ticket|case|serial|s/n|model|part|po|version|firmware|page|room|"
    r"table|chapter|section|size|qty|quantity|store|branch|shop|year|since|during|until|top|rank|ranked|q[1-4]|"
    r"fy|sold|bought|ordered|shipped|stock|pairs?|units?|reference|ref|tracking|article|art|product|frame|style)"
    r"\s*(?:no\.?|#|number)?\s*[:#]?\s*$")

_NON_ADDRESS_FIRST = regex.compile(
    r"(?i:order|invoice|job|sku|item|ticket|case|serial|model|part|version|firmware|page|room|table|chapter|section|"
    r"size|store|branch|shop|year|since|top|rank|q[1-4]|fy|total|sold|only|about|over|under|and|or)\b")

# Number-first streets start with a digit or a unit word ("Flat 3, 27 Queens Terrace"): a one-character look-ahead.
_NUM_GATE = (r"(?=\d|(?i:flat|apt|apartment|suite|ste|unit|no|nr|fl|floor|bldg|building|room|rm|house|plot|door|block|"
             r"level|lot|shop|#))")
_NUMFIRST = rf"{_NUM_GATE}{_LEAD_UNIT}"
# Name-first streets have a number within a few words: a cheap look-ahead skips every other capitalised word.
_NAMEFIRST_GATE = r"(?=[\p{L}\p{M}'’.\-/#]+(?:[ \t,]+[\p{L}\p{M}'’.\-/#]+){0,5}[ \t,]+\d)"
_NAMEPLAIN_GATE = r"(?=[\p{L}\p{M}'’.\-]+(?:[ \t]+[\p{L}\p{M}'’.\-]+){0,3}[ \t]+\d{1,6}[A-Za-z]?,?[ \t]+\d{4})"
# (name, pattern, score without a tail, score with a postcode/city tail)
_PATTERNS: list[tuple[str, regex.Pattern[str], float, float]] = [
    (name, regex.compile(rf"(?<![\w\-/.,+]){p}", regex.MULTILINE), score, tail_score)
    for name, p, score, tail_score in (
        ("military", _MILITARY, 0.85, 0.85),
        ("po_box", _POBOX, 0.8, 0.8),
        ("japan", _JAPAN, 0.85, 0.85),
        ("street_en", rf"{_NUMFIRST}{_STREET_EN}(?:{_SEP}{_UNIT})?(?P<tail>{_TAIL})?", 0.7, 0.85),
        ("street_prefix", rf"{_NUMFIRST}{_STREET_PREFIX_NUMFIRST}(?:{_SEP}{_UNIT})?(?P<tail>{_TAIL})?", 0.6, 0.85),
        ("street_compound", rf"{_NUMFIRST}{_STREET_COMPOUND_NUMFIRST}(?:{_SEP}{_UNIT})?(?P<tail>{_TAIL})?", 0.6,
         0.85),
        ("street_namefirst", rf"{_NAMEFIRST_GATE}{_LEAD_UNIT}{_STREET_NAMEFIRST}(?:{_SEP}{_UNIT})?(?P<tail>{_TAIL})?",
         0.6, 0.85),
        ("street_post", rf"{_NUMFIRST}{_STREET_POST_NUMFIRST}(?:{_SEP}{_UNIT})?(?P<tail>{_TAIL})?", 0.6, 0.85),
        ("street_nwn", rf"{_NUMFIRST}{_STREET_NUM_WORDS_NUM}(?P<unit>,?\s+{_UNIT})?(?P<tail>{_TAIL})?", 0.45, 0.85),
        ("street_nameplain_tail", rf"{_NAMEPLAIN_GATE}{_STREET_NAMEFIRST_PLAIN}{_TAIL_END}", 0.75, 0.75),
        ("street_plain_tail", rf"{_NUMFIRST}{_STREET_PLAIN}(?:{_SEP}{_UNIT})?{_TAIL}", 0.75, 0.75),
        ("unit_first_tail", rf"{_UNIT},\s+{_PART}(?:,\s+{_PART}){{0,3}},\s+{_TAIL_END}", 0.75, 0.75),
        ("street_bare", _STREET_NAMEFIRST_BARE, 0.55, 0.55),
    )
]


# --- street vocabulary for the person detector ------------------------------------------------------------------

_TYPE_BEFORE = regex.compile(rf"(?:(?<![\p{{L}}\p{{M}}]){_PREFIX_TYPE}|(?<![\p{{L}}\p{{M}}])(?i:c/))[ \t]+$")
_TYPE_LAST = frozenset(w.lower() for w in (*_EN_TYPES, *_POST_TYPES) if len(w) >= 3 and not w.endswith("."))
_TYPE_ENDING = regex.compile(
    rf"(?i)\p{{L}}{{3,}}(?:{_alt([t for t in _SUFFIX_TYPES if len(t) >= 4 and not t.endswith('.')])})$")
_NUMBER_AFTER = regex.compile(rf"{_NAMEFIRST_NUM}")


def street_type_before(text: str, start: int) -> bool:
    """A street-type word that comes before the name ends right before ``start`` ("Av. ", "ulica ", "Rua ",
    "Calle ", "rue de la "... as the address recognizer knows them)."""
    return _TYPE_BEFORE.search(text, max(0, start - 16), start) is not None


def is_street_type(word: str) -> bool:
    """``word`` is a street-type word written after the name ("Street", "Circle", "Caddesi", "utca") or a compound
    street name ("Hauptstraße", "Storgata", "Keizersgracht")."""
    return word.lower() in _TYPE_LAST or _TYPE_ENDING.fullmatch(word) is not None


def house_number_after(text: str, end: int) -> bool:
    """A house number follows at ``end`` ("... 455", "... No. 54", "..., nº 88")."""
    return _NUMBER_AFTER.match(text, end) is not None


class AddressRecognizer(LocalRecognizer):
    """Whole street addresses in many national formats (see the module docstring for scores)."""

    def __init__(self, *, context_window: int = 60, timeout_s: float = 1.0) -> None:
        super().__init__(supported_entities=[ADDRESS], name="SightlineAddressRecognizer")
        self._window = context_window
        self._timeout = timeout_s

    def load(self) -> None:  # noqa: D102
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        found: dict[tuple[int, int], float] = {}
        for name, pattern, base, tail_score in _PATTERNS:
            try:
                matches = list(pattern.finditer(text, timeout=self._timeout))
            except TimeoutError:
                continue
            for m in matches:
                groups = pattern.groupindex
                start, end = m.span("v" if "v" in groups else 0)
                score = tail_score if "tail" in groups and m.group("tail") else base
                if "unit" in groups and m.group("unit"):
                    score = max(score, 0.6)  # "04460 Hnjúkabyggð 40 Apt. 138": a unit makes it an address
                end = _trim_end(text, start, end)
                if end <= start or not any(ch.isdigit() for ch in text[start:end]):
                    continue
                if name == "japan" and not _JP_EVIDENCE.search(text, start, end):
                    continue
                # "order 12 Main ...", "store #4 ...": a number after such a word is not a house number; a street
                # that starts with its name ("Store: Calle Mayor 5", "Lisbon shop: Rua Augusta 88") is still one
                if name.startswith("street_") and ((text[start:start + 1].isdigit() and _NON_ADDRESS_BEFORE.search(
                        text, max(0, start - 25), start)) or _NON_ADDRESS_FIRST.match(text, start)):
                    continue
                cont = _CONTINUATION.match(text, end)
                if cont is not None and cont.end() > end:
                    end = _trim_end(text, start, cont.end())
                    score = max(score, 0.6)
                before = text[max(0, start - self._window):start]
                if _CONTEXT_RE.search(before):
                    score = min(1.0, score + 0.2)
                lead = _LEAD_NUMBERS.search(text, max(0, start - 16), start)
                if lead is not None and score >= 0.5:
                    start = lead.start()  # "9549 Tjernveien 150": the building number before a street name + number
                key = (start, end)
                found[key] = max(found.get(key, 0.0), score)
        return [RecognizerResult(ADDRESS, s, e, sc, recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})
            for (s, e), sc in _drop_nested(found)]


_ABBREVIATION_END = regex.compile(
    rf"(?:\b(?i:{_alt(_EN_ABBR)}|{_alt(_UNIT_WORDS)}|u|krt|rkp|str|nám|ul|al|pl|avda|bd|jr|sr|cad|sk|pr|g)|\b[A-Z]|\d)\.$")


def _trim_end(text: str, start: int, end: int) -> int:
    """No trailing spaces, commas or a sentence-final period (an abbreviation's period stays: "Main St.")."""
    while end > start and text[end - 1] in " \t\n,;:":
        end -= 1
    if end > start and text[end - 1] == "." and not _ABBREVIATION_END.search(text, start, end):
        end -= 1
    return end


def _drop_nested(found: dict[tuple[int, int], float]) -> list[tuple[tuple[int, int], float]]:
    """Keep the longest spans; a span inside a longer one contributes its score to it."""
    spans = sorted(found.items(), key=lambda kv: (kv[0][0], -(kv[0][1] - kv[0][0])))
    kept: list[tuple[tuple[int, int], float]] = []
    for (s, e), sc in spans:
        for i, ((ks, ke), ksc) in enumerate(kept):
            if ks <= s and e <= ke:
                kept[i] = ((ks, ke), max(ksc, sc))
                break
        else:
            kept.append(((s, e), sc))
    return kept
