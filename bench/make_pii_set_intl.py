"""Second labelled PII set (tests/data/pii_labelled_intl.jsonl), written apart from the first set and from the
detector: international formats (EU, UK, Canada, Japan, India, Australia), every major card network, informal chat
writing, business contacts, and clean-but-tricky optical-retail texts.

Labelling policy (the same one docs/safety.md states for the guard): a private person's name, e-mail, phone,
street address, date of birth, card, IBAN, SSN, IP address are PII. A business's toll-free number and its role
mailboxes (support@, info@, orders@ ...) are not; a named employee's mailbox or direct/mobile number is.

Deterministic: ``python -m bench.make_pii_set_intl`` rewrites the file from SEED; tests check it is reproducible.
"""

from __future__ import annotations

import random
import re
import string
import unicodedata
from collections.abc import Callable

from bench import pii_gen_common as gen

SEED = 90210
OUT = gen.DATA_DIR / "pii_labelled_intl.jsonl"

# ---------------------------------------------------------------------------------------------------------------
# Fillers (names chosen for this set; many are rare outside their country)
# ---------------------------------------------------------------------------------------------------------------

GIVEN = """Lukas Jonas Leonie Hannah Mathilde Baptiste Clémence Théo Margot Anouk Sem Daan Fleur Bram Joost
Giulia Lorenzo Chiara Beatrice Álvaro Lucía Nerea Iker Marta Mikel Oisín Aoibheann Niall Cormac Eilidh Hamish
Ffion Iwan Rhian Harriet Alfie Poppy Archie Imogen Tabitha Rupert Jasper Etienne Geneviève Maëlle Xavier Océane
Haruki Sayaka Ren Yuna Daiki Misaki Kazuki Shiori Takumi Asuka Arjun Sneha Karthik Aditi Rohit Ishita Varun Meenakshi
Harsh Pallavi Lachlan Matilda Bronte Kirra Jarrah Saskia Tjarra Mackenzie Ngaire Wiremu Anahera Tāne Kasia Mateusz
Zuzana Ondřej Björn Linnea Sindre Maren Aleksi Siiri Dimitra Thanasis Eleni Yiannis Ioana Radu Bogdana Tomasz
Olamide Zainab Chiamaka Kwabena Efua Thabo Naledi Yohannes Selam Tigist""".split()

SURNAMES = """Müller Schmidt Schneider Weber Becker Hofmann Richter Lefèvre Girard Rousseau Fontaine Mercier Bakker
Visser de Vries Janssen van Dijk Smit Ricci Marino Greco Bruno Gallo Conti Fernández López Martínez Sánchez Ortega
Navarro Murphy Kelly O'Sullivan Walsh Byrne MacLeod Campbell Stewart Jones Davies Evans Price Hughes Whitaker
Ashdown Pennington Tremblay Gagnon Côté Bouchard Pelletier Sato Suzuki Takahashi Watanabe Ito Yamada Nakamura
Kobayashi Sharma Iyer Reddy Nair Menon Kapoor Gupta Chatterjee Deshpande Kulkarni Nguyen Papadopoulos Wiśniewski
Kowalczyk Dvořák Lindström Haugen Nieminen Popescu Oyelowo Boateng Mensah Khumalo Tesfaye Wakefield Ngata Te Rangi
Taumalolo Fitzroy Okoro""".split()
SURNAMES = [s for s in SURNAMES if s not in ("de", "van")] + ["de Vries", "van Dijk", "van der Berg", "De Luca"]

PERSONAL_DOMAINS = ["gmail.com", "gmx.de", "web.de", "orange.fr", "free.fr", "libero.it", "ziggo.nl", "btinternet.com",
                    "yahoo.co.uk", "rogers.com", "videotron.ca", "docomo.ne.jp", "yahoo.co.jp", "rediffmail.com",
                    "bigpond.com", "outlook.com", "icloud.com", "hotmail.fr", "t-online.de", "seznam.cz"]
BUSINESS_DOMAINS = ["brillenhaus-mitte.de", "optique-lumiere.fr", "clearview-optics.co.uk", "lunetterie-mtl.ca",
                    "megane-kobo.jp", "drishti-eyecare.in", "coastal-eyewear.com.au", "northline-optical.com",
                    "ottica-duomo.it", "brilstudio.nl"]
ROLE_BOXES = ["support", "info", "orders", "sales", "hello", "billing", "returns", "service", "contact", "help",
              "appointments", "noreply", "customerservice", "enquiries", "lab"]

# (street, postcode, city) per country, rendered in that country's order.
DE_STREETS = ["Schillerstraße", "Hauptstraße", "Bahnhofstr.", "Goethestraße", "Lindenallee", "Kastanienweg",
              "Am Markt", "Friedrichstraße", "Rosenheimer Str."]
DE_CITIES = [("10625", "Berlin"), ("80331", "München"), ("50667", "Köln"), ("20095", "Hamburg"),
             ("04109", "Leipzig"), ("70173", "Stuttgart")]
FR_STREETS = ["rue de la République", "avenue Jean Jaurès", "boulevard Voltaire", "rue Victor Hugo",
              "place Bellecour", "rue des Lilas", "allée des Tilleuls"]
FR_CITIES = [("69002", "Lyon"), ("75011", "Paris"), ("31000", "Toulouse"), ("13001", "Marseille"),
             ("33000", "Bordeaux"), ("44000", "Nantes")]
NL_STREETS = ["Keizersgracht", "Prinsengracht", "Lange Voorhout", "Oudegracht", "Kerkstraat", "Witte de Withstraat"]
NL_CITIES = [("1016 DV", "Amsterdam"), ("2514 EE", "Den Haag"), ("3511 AL", "Utrecht"), ("3012 BK", "Rotterdam")]
IT_ES_STREETS = [("Via Roma", "00184", "Roma"), ("Via Garibaldi", "20121", "Milano"), ("Corso Vittorio Emanuele",
                 "80121", "Napoli"), ("Calle Mayor", "28013", "Madrid"), ("Carrer de Mallorca", "08029", "Barcelona"),
                 ("Avenida de la Constitución", "41001", "Sevilla")]
UK_STREETS = ["Station Road", "Queens Terrace", "Church Lane", "Victoria Street", "Mill Lane", "Kings Crescent",
              "Albert Grove", "Park View"]
UK_CITIES = [("Leeds", "LS1 4DY"), ("Manchester", "M14 5RT"), ("Bristol", "BS8 1TH"), ("Edinburgh", "EH3 9DR"),
             ("Cardiff", "CF10 3AT"), ("Norwich", "NR2 4SQ"), ("London", "SE1 7PB")]
CA_ADDR = [("Rue Sainte-Catherine O", "Montréal", "QC", "H3B 1A2"), ("Granville St", "Vancouver", "BC", "V6Z 1M6"),
           ("Queen St W", "Toronto", "ON", "M5H 2N2"), ("Jasper Ave", "Edmonton", "AB", "T5J 1N9"),
           ("Spring Garden Rd", "Halifax", "NS", "B3J 3R4"), ("Rue Saint-Jean", "Québec", "QC", "G1R 1P1")]
JP_ADDR = [("Shibuya", "Shibuya-ku", "Tokyo", "150-0002"), ("Nishi-Shinjuku", "Shinjuku-ku", "Tokyo", "160-0023"),
           ("Umeda", "Kita-ku", "Osaka", "530-0001"), ("Sakae", "Naka-ku", "Nagoya", "460-0008"),
           ("Tenjin", "Chuo-ku", "Fukuoka", "810-0001"), ("Marunouchi", "Chiyoda-ku", "Tokyo", "100-0005")]
IN_ADDR = [("Marine Drive", "Mumbai", "400020"), ("100 Feet Road, Indiranagar", "Bengaluru", "560038"),
           ("Anna Salai", "Chennai", "600002"), ("MG Road", "Pune", "411001"), ("Park Street", "Kolkata", "700016"),
           ("Banjara Hills Road No. 12", "Hyderabad", "500034")]
AU_ADDR = [("Smith St", "Fitzroy", "VIC", "3065"), ("George Street", "Sydney", "NSW", "2000"),
           ("Queen Street", "Brisbane", "QLD", "4000"), ("Hay St", "Perth", "WA", "6000"),
           ("Rundle Mall", "Adelaide", "SA", "5000"), ("Bourke Street", "Melbourne", "VIC", "3000")]
US_BARE = [("Broadway", "New York", "NY", "10012"), ("Pennsylvania", "Washington", "DC", "20003"),
           ("Michigan", "Chicago", "IL", "60611"), ("Peachtree", "Atlanta", "GA", "30309"),
           ("Sunset", "Los Angeles", "CA", "90028"), ("Colfax", "Denver", "CO", "80206")]
US_STREETS = [("Maple Avenue", "Evanston", "IL", "60201"), ("Harbor Blvd", "Costa Mesa", "CA", "92626"),
              ("W 14th St", "Austin", "TX", "78701"), ("Lakeshore Dr", "Madison", "WI", "53703")]

# Card networks: (name, prefixes, lengths).
NETWORKS = [
    ("Visa", ["4"], [16]), ("Mastercard", ["51", "53", "55", "2221", "2720", "2345"], [16]),
    ("Amex", ["34", "37"], [15]), ("Discover", ["6011", "65", "644"], [16]), ("JCB", ["3528", "3540", "3589"], [16]),
    ("Diners Club", ["36", "38", "300"], [14]), ("UnionPay", ["62", "6212"], [16, 19]),
    ("Maestro", ["6759", "5018", "5020", "6304"], [16, 19]),
]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _ascii(name: str) -> str:
    """Lower-case ASCII form of a name for a mailbox ("Clémence" -> "clemence", "O'Sullivan" -> "osullivan")."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


class Fill(gen.SeededFill):
    """Random fillers; all randomness goes through the seeded ``rng``."""

    # --- people ---
    def first(self) -> str:
        return str(self.pick(GIVEN))

    def last(self) -> str:
        return str(self.pick(SURNAMES))

    def person(self) -> str:
        return f"{self.first()} {self.last()}"

    def first_lower(self) -> str:
        return self.first().lower()

    def person_lower(self) -> str:
        return self.person().lower()

    # --- contacts ---
    def email(self) -> str:
        first = _ascii(self.first()) or "kim"
        last = _ascii(self.last()) or "lee"
        local = str(self.pick([f"{first}.{last}", f"{first[0]}{last}", f"{first}{self.d(1, 99)}", f"{last}.{first}",
                               f"{first}_{last}"]))
        return f"{local}@{self.pick(PERSONAL_DOMAINS)}"

    def staff_email(self) -> str:
        first, last = (_ascii(self.first()) or "kim")[:6], (_ascii(self.last()) or "lee")[:8]
        return f"{first}.{last}@{self.pick(BUSINESS_DOMAINS)}"

    def role_email(self) -> str:
        return f"{self.pick(ROLE_BOXES)}@{self.pick(BUSINESS_DOMAINS)}"

    def phone(self) -> str:
        d = self.d
        formats = [
            f"+44 7{d(400, 999)} {d(100000, 999999)}", f"07{d(400, 999)} {d(100, 999)} {d(100, 999)}",
            f"020 {d(7000, 8999)} {d(1000, 9999)}", f"0113 {d(200, 499)} {d(1000, 9999)}",
            f"+49 30 {d(1000000, 9999999)}", f"+49 151 {d(10000000, 99999999)}", f"0170 {d(1000000, 9999999)}",
            f"030 {d(10000000, 99999999)}", f"+33 6 {d(10, 99)} {d(10, 99)} {d(10, 99)} {d(10, 99)}",
            f"06 {d(10, 99)} {d(10, 99)} {d(10, 99)} {d(10, 99)}",
            f"01.{d(10, 99)}.{d(10, 99)}.{d(10, 99)}.{d(10, 99)}",
            f"+31 6 {d(10000000, 99999999)}", f"06-{d(10000000, 99999999)}", f"+39 3{d(20, 49)} {d(100, 999)} "
            f"{d(1000, 9999)}", f"+34 6{d(10, 99)} {d(10, 99)} {d(10, 99)} {d(10, 99)}",
            f"({d(204, 905)}) {d(200, 999)}-{d(1000, 9999)}", f"+1 {d(204, 905)} {d(200, 999)} {d(1000, 9999)}",
            f"{d(204, 905)}-{d(200, 999)}-{d(1000, 9999)}",
            f"03-{d(1000, 9999)}-{d(1000, 9999)}", f"090-{d(1000, 9999)}-{d(1000, 9999)}",
            f"+81 90 {d(1000, 9999)} {d(1000, 9999)}", f"06-{d(6000, 6999)}-{d(1000, 9999)}",
            f"+91 {d(70000, 99999)} {d(10000, 99999)}", f"{d(70000, 99999)} {d(10000, 99999)}",
            f"+91-{d(7000000000, 9999999999)}", f"022 {d(2000, 2999)} {d(1000, 9999)}",
            f"04{d(10, 99)} {d(100, 999)} {d(100, 999)}", f"+61 4{d(10, 99)} {d(100, 999)} {d(100, 999)}",
            f"(02) {d(8000, 9999)} {d(1000, 9999)}", f"+61 3 {d(8000, 9999)} {d(1000, 9999)}",
            f"+353 87 {d(100, 999)} {d(1000, 9999)}", f"+48 {d(500, 799)} {d(100, 999)} {d(100, 999)}",
            f"+47 {d(400, 499)} {d(10, 99)} {d(100, 999)}", f"+30 69{d(10, 99)} {d(100, 999)} {d(100, 999)}",
        ]
        return str(self.pick(formats))

    def tollfree(self) -> str:
        d = self.d
        return str(self.pick([f"1-800-{d(200, 999)}-{d(1000, 9999)}", f"1 (888) {d(200, 999)}-{d(1000, 9999)}",
                              f"0800 {d(100, 999)} {d(1000, 9999)}", f"1800 {d(100, 999)} {d(100, 999)}",
                              f"0120-{d(100, 999)}-{d(100, 999)}", f"1800-{d(100, 999)}-{d(1000, 9999)}",
                              f"+1 877 {d(200, 999)} {d(1000, 9999)}", f"0800 {d(10, 99)} {d(10, 99)} {d(10, 99)}",
                              f"13 {d(10, 99)} {d(10, 99)}", f"1300 {d(100, 999)} {d(100, 999)}"]))

    # --- addresses ---
    def address(self) -> str:
        kind = self.d(0, 10)
        d = self.d
        if kind == 0:
            pc, city = self.pick(DE_CITIES)  # type: ignore[misc]
            return f"{self.pick(DE_STREETS)} {d(1, 180)}{self.pick(['', '', 'a'])}, {pc} {city}"
        if kind == 1:
            pc, city = self.pick(FR_CITIES)  # type: ignore[misc]
            return f"{d(1, 120)}{self.pick(['', '', ' bis'])} {self.pick(FR_STREETS)}, {pc} {city}"
        if kind == 2:
            pc, city = self.pick(NL_CITIES)  # type: ignore[misc]
            return f"{self.pick(NL_STREETS)} {d(1, 400)}, {pc} {city}"
        if kind == 3:
            street, pc, city = self.pick(IT_ES_STREETS)  # type: ignore[misc]
            return f"{street} {d(1, 150)}, {pc} {city}"
        if kind == 4:
            city, pc = self.pick(UK_CITIES)  # type: ignore[misc]
            flat = self.pick(["", "", f"Flat {d(1, 12)}, "])
            return f"{flat}{d(1, 220)} {self.pick(UK_STREETS)}, {city} {pc}"
        if kind == 5:
            street, city, prov, pc = self.pick(CA_ADDR)  # type: ignore[misc]
            return f"{d(100, 2400)} {street}, {city}, {prov} {pc}"
        if kind == 6:
            area, ward, city, pc = self.pick(JP_ADDR)  # type: ignore[misc]
            block = f"{d(1, 5)}-{d(1, 30)}-{d(1, 20)}"
            return str(self.pick([f"{block} {area}, {ward}, {city} {pc}", f"〒{pc} {city}, {ward}, {area} {block}"]))
        if kind == 7:
            road, city, pin = self.pick(IN_ADDR)  # type: ignore[misc]
            unit = self.pick([f"Flat {d(1, 20)}{self.pick('ABCD')}, ", f"No. {d(1, 90)}, ", ""])
            return f"{unit}{d(1, 300)} {road}, {city} {pin}" if not unit else f"{unit}{road}, {city} {pin}"
        if kind == 8:
            street, suburb, state, pc = self.pick(AU_ADDR)  # type: ignore[misc]
            unit = self.pick(["", f"Unit {d(1, 20)}, ", f"{d(1, 20)}/"])
            return f"{unit}{d(1, 300)} {street}, {suburb} {state} {pc}"
        if kind == 9:
            street, city, state, zipc = self.pick(US_BARE)  # type: ignore[misc]
            return f"{d(100, 2999)} {street}, {city}, {state} {zipc}"
        street, city, state, zipc = self.pick(US_STREETS)  # type: ignore[misc]
        return f"{d(10, 9999)} {street}, {city}, {state} {zipc}"

    # --- other PII ---
    def card(self) -> str:
        _name, prefixes, lengths = self.pick(NETWORKS)  # type: ignore[misc]
        length = int(self.pick(lengths))  # type: ignore[arg-type]
        number = gen.luhn_complete(str(self.pick(prefixes)), length, self.rng)
        style = self.d(0, 2)
        if style == 0:
            return number
        sep = " " if style == 1 else "-"
        if length == 15:
            groups = [number[:4], number[4:10], number[10:]]
        elif length == 14:
            groups = [number[:4], number[4:10], number[10:]]
        else:
            groups = [number[i:i + 4] for i in range(0, length, 4)]
        return sep.join(groups)

    def dob(self) -> str:
        y, m, day = self.d(1940, 2012), self.d(1, 12), self.d(1, 28)
        return str(self.pick([f"{y}-{m:02d}-{day:02d}", f"{day:02d}/{m:02d}/{y}", f"{day:02d}.{m:02d}.{y}",
                              f"{day} {MONTHS[m - 1]} {y}", f"{MONTHS[m - 1][:3]} {day}, {y}"]))

    def iso_dob(self) -> str:
        return f"{self.d(1940, 2012)}-{self.d(1, 12):02d}-{self.d(1, 28):02d}"

    def iban(self) -> str:
        country = self.pick(["DE", "FR", "NL", "GB", "ES", "IT"])
        digits = lambda n: "".join(self.rng.choice(string.digits) for _ in range(n))  # noqa: E731
        bban = {"DE": lambda: digits(18), "FR": lambda: digits(23), "NL": lambda: "INGB" + digits(10),
                "GB": lambda: "NWBK" + digits(14), "ES": lambda: digits(20),
                "IT": lambda: "X" + digits(22)}[str(country)]()
        iban = gen.make_iban(str(country), bban)
        return iban if self.d(0, 1) else " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))

    def ip(self) -> str:
        return f"{self.d(11, 223)}.{self.d(0, 255)}.{self.d(0, 255)}.{self.d(1, 254)}"

    def ssn(self) -> str:
        return f"{self.d(101, 665)}-{self.d(10, 99)}-{self.d(1000, 9999)}"

    # --- clean fillers ---
    def store(self) -> str:
        return str(self.pick(["Shibuya", "Leeds Briggate", "Kurfürstendamm", "Fitzroy", "Indiranagar", "Le Plateau",
                              "Canal Street", "Victoria", "Camden", "Bondi Junction", "Ginza", "Bandra West",
                              "St. Kilda", "Georgetown", "Jordaan", "Montmartre", "Regent Street", "Queen West"]))

    def brand(self) -> str:
        return str(self.pick(["Ray-Ban", "Silhouette", "Lindberg", "Paul Smith", "Jimmy Choo", "Tom Ford",
                              "Marc O'Polo", "Ted Baker", "Kate Spade", "Hugo Boss", "Oliver Peoples", "Zeiss",
                              "Hoya", "Nikon", "Essilor", "Rodenstock", "Mykita", "Persol", "Carrera",
                              "Etnia Barcelona",
                              "Tiffany & Co.", "Victoria Beckham", "Stella McCartney", "Dita", "Moscot", "Masunaga"]))

    def sku(self) -> str:
        d = self.d
        return str(self.pick([f"RB{d(2000, 7999)} {d(48, 56)}-{d(14, 22)}-{d(135, 150)}",
                              f"SKU {d(100000, 999999)}-{d(10, 99)}", f"FT{d(5000, 5999)}-B {d(50, 56)}□{d(16, 21)}",
                              f"art. {d(1000, 9999)}.{d(10, 99)}.{d(100, 999)}",
                              f"EAN {gen.luhn_complete('40', 13, self.rng)}",
                              f"model {d(5000, 5999)}/{d(10, 99)}"]))

    def serial(self) -> str:
        d = self.d
        return str(self.pick([f"S/N {d(1000, 9999)}-{d(1000, 9999)}-{d(1000, 9999)}",
                              f"serial no. {d(100, 999)} {d(100, 999)} {d(1000, 9999)}",
                              f"serial {d(1000000000, 9999999999)}", f"SN: {d(10, 99)}-{d(1000000, 9999999)}",
                              f"device ID {d(100, 999)}.{d(100, 999)}.{d(1000, 9999)}"]))

    def order(self) -> str:
        d = self.d
        return str(self.pick([f"order #{d(100, 999)}-{d(1000000, 9999999)}", f"order {d(10000000, 99999999)}",
                              f"PO-{d(2024, 2026)}-{d(10000, 99999)}", f"invoice INV/{d(2024, 2026)}/{d(1000, 9999)}",
                              f"job {d(100, 999)} {d(100, 999)} {d(1000, 9999)}",
                              f"tracking {d(1000, 9999)} {d(1000, 9999)} {d(1000, 9999)} {d(1000, 9999)}"]))

    def price(self) -> str:
        d = self.d
        return str(self.pick([f"€{d(49, 899)},{d(0, 99):02d}", f"£{d(49, 899)}.{d(0, 99):02d}",
                              f"¥{d(8, 98)},{d(100, 999)}",
                              f"₹{d(1, 49)},{d(100, 999)}", f"A${d(99, 899)}", f"CA${d(99, 899)}.{d(0, 99):02d}",
                              f"{d(49, 899)} EUR", f"${d(49, 899)}.{d(0, 99):02d}"]))

    def date(self) -> str:
        y, m, day = self.d(2024, 2026), self.d(1, 12), self.d(1, 28)
        return str(self.pick([f"{y}-{m:02d}-{day:02d}", f"{day:02d}/{m:02d}/{y}", f"{day:02d}.{m:02d}.{y}",
                              f"{day} {MONTHS[m - 1]}", f"{MONTHS[m - 1]} {day}, {y}"]))

    def rx(self) -> str:
        d = self.d
        s = lambda: f"{self.pick(['+', '-'])}{d(0, 6)}.{self.pick(['00', '25', '50', '75'])}"  # noqa: E731
        return f"R {s()} / {s()} x {d(1, 180)}, L {s()} / {s()} x {d(1, 180)}, add +{d(1, 2)}.{self.pick(['00', '50'])}"

    def city(self) -> str:
        return str(self.pick(["Paris", "Lyon", "Munich", "Osaka", "Pune", "Perth", "Calgary", "Leeds", "Utrecht",
                              "Sydney", "Kyoto", "Madison", "Florence", "Victoria", "Adelaide", "Georgia"]))

    def n(self) -> str:
        return str(self.d(2, 95))


PII_SLOTS: dict[str, tuple[str, Callable[[Fill], str]]] = {
    "person": ("PERSON", Fill.person), "first": ("PERSON", Fill.first), "last": ("PERSON", Fill.last),
    "first_lower": ("PERSON", Fill.first_lower), "person_lower": ("PERSON", Fill.person_lower),
    "email": ("EMAIL_ADDRESS", Fill.email), "staff_email": ("EMAIL_ADDRESS", Fill.staff_email),
    "phone": ("PHONE_NUMBER", Fill.phone), "address": ("ADDRESS", Fill.address), "card": ("CREDIT_CARD", Fill.card),
    "dob": ("DATE_OF_BIRTH", Fill.dob), "iso_dob": ("DATE_OF_BIRTH", Fill.iso_dob), "iban": ("IBAN_CODE", Fill.iban),
    "ip": ("IP_ADDRESS", Fill.ip), "ssn": ("US_SSN", Fill.ssn),
}

# Templates with personal data (answers, staff notes, customer chat messages).
PII_TEMPLATES = [
    "Customer {person} asked us to ship the finished Zeiss progressives to {address}.",
    "The varifocals for {person} are ready; she would like them posted to {address}.",
    "New patient registration: {person} ({iso_dob}), {address}, mobile {phone}.",
    "{person} ({iso_dob}) booked an eye test at the {store} branch for next Tuesday.",
    "Delivery address updated to {address} for order 4471 at the customer's request.",
    "Please send the contact lens subscription box to {address} from now on.",
    "Home address on the remake form: {address}.",
    "hi {first_lower} your new glasses are ready for pickup at {store} 🙂",
    "hey {first_lower}, the lab says the {brand} frames come back thursday",
    "thx {first_lower}! i'll tell the customer",
    "ok so {person_lower} called again about the scratched lenses, can someone call her back on {phone}",
    "can u email {email} the invoice pls, she paid already",
    "{first} here, my number changed to {phone} - pls update my file",
    "my card is {card} exp 09/27, can you charge the balance for the sunglasses",
    "The deposit was taken from card {card} on {date}.",
    "Refund of {price} issued to the {card} card used at checkout.",
    "Payment details on file for {person}: {card}.",
    "Contact {person} at {email} or {phone} about the warranty claim.",
    "The optometrist's note: {person}, born {dob}, high myopia, follow up in 6 months.",
    "Date of birth for the loyalty account: {dob}.",
    "Patient {person}, DOB {dob}, needs a new referral letter.",
    "Please reach out to {staff_email} — she handles your frame adjustment personally.",
    "Our store manager {person} ({staff_email}, direct line {phone}) will confirm the date.",
    "{person}'s IBAN for the direct debit is {iban}.",
    "Refunds go back to {iban} (account holder {person}).",
    "The customer portal login for {email} came from {ip} twice today.",
    "US insurance claim: member {person}, SSN {ssn}.",
    "Lieferadresse: {person}, {address}.",
    "À expédier à {address}, Mme {last} attend ses lentilles.",
    "Shipping to {person}, {address}, phone {phone}.",
    "{person} rang from {phone} to say the Rx glasses slip down her nose.",
    "Reminder text sent to {phone} for {first}'s contact lens check.",
    "i live at {address} if the courier needs it",
    "send it to {address} pls, not the store",
    "Dr {last} at the {store} clinic referred {person} for a dilated exam.",
    "{person} came in with a broken hinge on her {brand} frames.",
    "The complaint was escalated by {person}, who wants a callback on {phone} after 5pm.",
    "Card ending in the full number {card} was declined twice, please ask {first} for another card.",
    "Booking confirmed for {person} on {date} at 10:30; confirmation sent to {email}.",
    "Our optician {person} will handle the fitting; her mobile is {phone}.",
]

# Clean texts: no personal data, but numbers, codes, dates, places and brand names that look like it.
CLEAN_TEMPLATES = [
    "The {order} shipped on {date}; tracking shows it at the {store} store.",
    "The edger {serial} needs a service visit before {date}.",
    "Frame {sku} in black is back in stock at {store} for {price}.",
    "{brand} sold {n} pairs at {store} last month, up {n}% on the month before.",
    "Call our free helpline on {tollfree} for warranty questions.",
    "Questions about your order? Email {role_email} or call {tollfree} (Mon-Fri 9-17).",
    "For returns, write to {role_email} with your {order}.",
    "Appointments on {date} are fully booked at the {store} branch.",
    "Lens details for {order}: {rx}.",
    "Invoice total {price}, paid by card ending 4821, {order}.",
    "hey team, {store} is out of {brand} cases again, can someone reorder",
    "the {brand} rep is coming on {date}, pls keep the afternoon free",
    "lab says {order} is delayed, new eta {date}",
    "Our {city} store opens at 9:00 on weekdays and 10:00 on Saturdays.",
    "Promotion: 20% off {brand} sunglasses until {date} in all {city} stores.",
    "The autorefractor {serial} was calibrated on {date}.",
    "The {store} team logged {n} remakes and {n} adjustments this week.",
    "Stock transfer from {city} to {store}: {n} units of {sku}.",
    "Customer service: {tollfree}, {role_email}.",
    "Send supplier invoices to {role_email}; the accounts team replies within two days.",
]


# Hand-written texts with personal data: (text, [(type, value), ...]).
HAND_PII: list[tuple[str, list[tuple[str, str]]]] = [
    ("Sophie Laurent (1992-07-19) asked whether her prescription is still valid.",
     [("PERSON", "Sophie Laurent"), ("DATE_OF_BIRTH", "1992-07-19")]),
    ("Kenta Fujimoto (1979-11-02) – contact lens trial, daily toric.",
     [("PERSON", "Kenta Fujimoto"), ("DATE_OF_BIRTH", "1979-11-02")]),
    ("The glasses should go to 1-9-1 Marunouchi, Chiyoda-ku, Tokyo 100-0005.",
     [("ADDRESS", "1-9-1 Marunouchi, Chiyoda-ku, Tokyo 100-0005")]),
    ("Ship to 〒530-0011 Osaka-shi, Kita-ku, Ofukacho 4-20.",
     [("ADDRESS", "〒530-0011 Osaka-shi, Kita-ku, Ofukacho 4-20")]),
    ("He moved to 350 Fifth, New York, NY 10118 last spring.", [("ADDRESS", "350 Fifth, New York, NY 10118")]),
    ("Send the invoice to 1600 Pennsylvania, Washington DC 20500.",
     [("ADDRESS", "1600 Pennsylvania, Washington DC 20500")]),
    ("Her address: Kastanienallee 12, 10435 Berlin.", [("ADDRESS", "Kastanienallee 12, 10435 Berlin")]),
    ("Adresse : 14 rue du Faubourg Saint-Honoré, 75008 Paris.",
     [("ADDRESS", "14 rue du Faubourg Saint-Honoré, 75008 Paris")]),
    ("The customer is at Herengracht 502, 1017 CB Amsterdam until June.",
     [("ADDRESS", "Herengracht 502, 1017 CB Amsterdam")]),
    ("Post the frames to 27 Kings Road, Brighton BN1 2JF please.", [("ADDRESS", "27 Kings Road, Brighton BN1 2JF")]),
    ("Mailing address 88 Rue Saint-Paul, Québec, QC G1K 3V9.", [("ADDRESS", "88 Rue Saint-Paul, Québec, QC G1K 3V9")]),
    ("Deliver to Flat 4B, Sea Breeze Apartments, Carter Road, Bandra West, Mumbai 400050.",
     [("ADDRESS", "Flat 4B, Sea Breeze Apartments, Carter Road, Bandra West, Mumbai 400050")]),
    ("Her home is 12/45 Beach Road, Bondi NSW 2026.", [("ADDRESS", "12/45 Beach Road, Bondi NSW 2026")]),
    ("JCB 3530 1113 3330 0000 was used for the deposit.", [("CREDIT_CARD", "3530 1113 3330 0000")]),
    ("Diners 3056 930902 5904 on file for the corporate account holder.", [("CREDIT_CARD", "3056 930902 5904")]),
    ("UnionPay card 6212 3456 7890 1232 was charged ¥24,800.", [("CREDIT_CARD", "6212 3456 7890 1232")]),
    ("Discover 6011 0009 9013 9424 declined; Maestro 6759 6498 2643 8453 went through.",
     [("CREDIT_CARD", "6011 0009 9013 9424"), ("CREDIT_CARD", "6759 6498 2643 8453")]),
    ("hi yuki, ur contacts r here", [("PERSON", "yuki")]),
    ("hey aarav can you pop in tmrw for the fitting", [("PERSON", "aarav")]),
    ("hello siobhan, the repair is done, £15 to pay", [("PERSON", "siobhan")]),
    ("morning greta!! your sunnies are in", [("PERSON", "greta")]),
    ("ok thanks malik, see u saturday", [("PERSON", "malik")]),
    ("pls call me back 07911 123456 thx", [("PHONE_NUMBER", "07911 123456")]),
    ("my mobile is 0412 555 019 btw", [("PHONE_NUMBER", "0412 555 019")]),
    ("whatsapp me on +91 98200 12345", [("PHONE_NUMBER", "+91 98200 12345")]),
    ("携帯: 080-1234-5678 (Tanaka)", [("PHONE_NUMBER", "080-1234-5678"), ("PERSON", "Tanaka")]),
    ("Email for the receipt: chloe.dubois@orange.fr", [("EMAIL_ADDRESS", "chloe.dubois@orange.fr")]),
    ("Our dispenser Aoife Brennan can be reached at aoife.brennan@clearview-optics.co.uk or 087 123 4567.",
     [("PERSON", "Aoife Brennan"), ("EMAIL_ADDRESS", "aoife.brennan@clearview-optics.co.uk"),
      ("PHONE_NUMBER", "087 123 4567")]),
    ("Date of birth 03.05.1961, Mr. Weiß, reading glasses +2.50.", [("DATE_OF_BIRTH", "03.05.1961"),
                                                                    ("PERSON", "Weiß")]),
    ("Rahul Verma, b. 14 Aug 1988, needs his PD remeasured.", [("PERSON", "Rahul Verma"),
                                                               ("DATE_OF_BIRTH", "14 Aug 1988")]),
    ("Patient: Mei-Ling Chow (DOB 1955-02-28).", [("PERSON", "Mei-Ling Chow"), ("DATE_OF_BIRTH", "1955-02-28")]),
    ("IBAN FR14 2004 1010 0505 0001 3M02 606 for the refund, account of Lucie Marchand.",
     [("IBAN_CODE", "FR14 2004 1010 0505 0001 3M02 606"), ("PERSON", "Lucie Marchand")]),
    ("Please use GB29 NWBK 6016 1331 9268 19 for the refund.", [("IBAN_CODE", "GB29 NWBK 6016 1331 9268 19")]),
    ("The suspicious login came from 81.2.69.160.", [("IP_ADDRESS", "81.2.69.160")]),
    ("Called Björn Lindqvist back on +46 70 123 45 67 about his progressive adaptation.",
     [("PERSON", "Björn Lindqvist"), ("PHONE_NUMBER", "+46 70 123 45 67")]),
    ("Anneke de Groot lives at Oudegracht 158, 3511 AZ Utrecht and prefers e-mail.",
     [("PERSON", "Anneke de Groot"), ("ADDRESS", "Oudegracht 158, 3511 AZ Utrecht")]),
    ("Please forward to priya.nair84@rediffmail.com and cc her husband on 98450 22311.",
     [("EMAIL_ADDRESS", "priya.nair84@rediffmail.com"), ("PHONE_NUMBER", "98450 22311")]),
    ("The courier could not find 4-12-7 Jingumae, Shibuya-ku, Tokyo 150-0001.",
     [("ADDRESS", "4-12-7 Jingumae, Shibuya-ku, Tokyo 150-0001")]),
    ("Amex 3714 496353 98431 belongs to Mr Okonjo.", [("CREDIT_CARD", "3714 496353 98431"), ("PERSON", "Okonjo")]),
    ("Mastercard 2223 0031 2200 3222, name on card Freya Holm.", [("CREDIT_CARD", "2223 0031 2200 3222"),
                                                                  ("PERSON", "Freya Holm")]),
    ("Visa 4012888888881881 expires 11/26.", [("CREDIT_CARD", "4012888888881881")]),
    ("Her number is 06 12 34 56 78 and she prefers texts.", [("PHONE_NUMBER", "06 12 34 56 78")]),
    ("His landline is (03) 9123 4567, after 6pm only.", [("PHONE_NUMBER", "(03) 9123 4567")]),
    ("Dr. Anjali Rao signed the referral for Kiran Joshi.", [("PERSON", "Anjali Rao"), ("PERSON", "Kiran Joshi")]),
    ("Tomás Ó Briain picked up two pairs of Ray-Ban Wayfarers.", [("PERSON", "Tomás Ó Briain")]),
    ("Ask for Hemi Walker at the front desk; his cell is 021 555 0142.",
     [("PERSON", "Hemi Walker"), ("PHONE_NUMBER", "021 555 0142")]),
    ("j'ai parlé à Inès Moreau, elle passe demain", [("PERSON", "Inès Moreau")]),
    ("The account holder Grzegorz Wójcik paid with card 5425 2334 3010 9903.",
     [("PERSON", "Grzegorz Wójcik"), ("CREDIT_CARD", "5425 2334 3010 9903")]),
    ("Ship to 742 Evergreen, Springfield, OR 97477 - no suffix on the label.",
     [("ADDRESS", "742 Evergreen, Springfield, OR 97477")]),
]

HAND_CLEAN: list[str] = [
    "Serial number 0412 555 019 78 is printed inside the left temple.",
    "The Topcon lensmeter S/N 070-1234-5678 was sent for repair.",
    "Our toll-free line 1-800-555-0199 is open 24/7 for lens orders.",
    "UK customers can call 0800 028 0283 free of charge.",
    "Australian stores: call 1300 655 506 for bookings.",
    "Japan helpline 0120-123-456 (free call).",
    "Write to info@northline-optical.com or orders@northline-optical.com for trade accounts.",
    "support@megane-kobo.jp answers within one business day.",
    "Please don't reply to noreply@lunetterie-mtl.ca; use hello@lunetterie-mtl.ca instead.",
    "The Paul Smith PS-421 and Jimmy Choo JC 319 frames are discontinued.",
    "Victoria Beckham VB652S sold out in Chelsea and Richmond.",
    "Georgia and Virginia stores share one lab in Atlanta.",
    "Stella McCartney and Tom Ford lead sunglasses revenue in Paris.",
    "The Regent Street and Kensington High Street stores hit 110% of target.",
    "Order 2024-05-17-0042 was split into two parcels.",
    "EAN 4006381333931 is the barcode for the cleaning spray.",
    "Firmware 4.12.0.7 fixed the edger's calibration drift.",
    "The product was launched on 2021-03-14 in Japan.",
    "Remake rate in Q3 was 3.4%, versus 4.1% in Q2.",
    "Lens index 1.67, base curve 4.25, centre thickness 1.9 mm.",
    "ok boss, will do",
    "hey all, shibuya store closes early on friday for inventory",
    "lol the courier left the box at the wrong store again",
    "can someone check if the hoya blue control lenses came in?",
    "price for the mykita frames is €389,00 incl. VAT",
    "Tracking 1Z 999 AA1 01 2345 6784 is with UPS.",
    "Part no. 7701-4455-2290 is the nose pad kit.",
    "The edger in Pune (model ME-1200, serial 4410 2287 9931) needs a new wheel.",
    "Loyalty scheme launch date: 1 April 2025.",
    "Store 0412 in Fitzroy reported 38 exams this week.",
    "Call the Leeds store on its main line for stock checks.",
    "The Kurfürstendamm branch is at the corner with Uhlandstraße.",
    "Reference number 98765 43210 on the supplier invoice.",
    "Charlotte Street store stocks Lindberg, Mykita and Silhouette.",
    "Florence and Milan outlets moved to the new POS on 3 March.",
    "Saint Laurent SL 276 Mica is the best seller in Montréal.",
    "Rx summary: R -1.25/-0.50x180, L -1.00/-0.75x170, PD 62.",
    "Ticket 4111-1111-1111-1112 was opened for the broken display.",
    "The Madison Avenue store beat Union Square on frame sales.",
    "Orders over €150 ship free within the EU.",
]


def build(seed: int = SEED) -> list[dict[str, object]]:
    """All records, in a fixed order."""
    fill = Fill(random.Random(seed))
    records = gen.template_records(PII_TEMPLATES, fill, PII_SLOTS, 6, "intl-pii-template")
    records += gen.template_records(CLEAN_TEMPLATES, fill, PII_SLOTS, 6, "intl-clean-template")
    records += gen.hand_records(((text, spans, []) for text, spans in HAND_PII), "intl-hand-pii")
    records += gen.hand_records(((text, [], []) for text in HAND_CLEAN), "intl-hand-clean")
    return gen.sort_entities(records)


def main() -> None:
    gen.write_jsonl(build(), OUT)


if __name__ == "__main__":
    main()
