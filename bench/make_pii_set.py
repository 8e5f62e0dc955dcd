"""Deterministic generator of tests/data/pii_labelled.jsonl: labelled eyewear-retail assistant answers (templates x
fillers with a fixed seed, plus hand-written hard cases) for the PII guard's benchmark and recall tests.

Run: ``.venv/bin/python -m bench.make_pii_set`` (rewrites the file; same output on every run).

Labelling policy (kept consistent with safety.pii): person names (customers, patients and staff alike), e-mail
addresses, phone numbers, street/PO-box addresses with their city/state/ZIP, a date *with birth context*, SSNs,
card numbers, IPs, IBANs, MRNs and account/member numbers are PII. A bare city, a store name ("the Elm Street
store"), brands, prices, prescriptions, order/SKU numbers, versions and ordinary dates are not. A chain's own store
address or phone is PII-shaped, so texts quoting one carry it in ``allow`` (the tenant's catalog), as the app does.
Names of people in titles ("Dr. Liang") are labelled without the title; possessive "'s" is not part of the name.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable

from bench import pii_gen_common as gen

SEED = 4471
OUT = gen.DATA_DIR / "pii_labelled.jsonl"

# ---------------------------------------------------------------------------------------------------------------
# Fillers: PII
# ---------------------------------------------------------------------------------------------------------------

# Written independently of safety.pii.FIRST_NAMES; about half are deliberately absent from it (see bench output).
GIVEN = """Maria James Jennifer Robert Linda Michael David Sarah Carlos Wei Priya Ahmed Fatima Kenji Emily Daniel
Thandiwe Bao Saoirse Dagny Ilse Bodhi Kaito Rafferty Marisela Xiomara Yaretzi Keanu Makoa Leilani Sione Mahina Ifeoma
Chukwuemeka Babajide Wanjiru Kamau Nyambura Sipho Zanele Lerato Bogdan Radomir Vesna Jovana Ksenia Aigerim Nurlan
Arash Shirin Parisa Golnaz Emre Elif Burak Zeynep Kalani Tenzin Pema Ishaan Tanvi Harpreet Gurpreet Rutendo Tendai
Chipo Ayodele Yetunde Osagie Margarethe Benedikt Anneliese Soren Ingeborg Aurelio Graziella Florin Ionut Mihaela
Laszlo Zsofia Tuomas Aino Eero Siddharth Ananya Rehana Tasnim Anwar Hyun-woo Seo-yeon Thi Quoc Hoang Natalia Joaquin
Consuelo Rosalind Barnaby Percival Cordelia Winifred Thaddeus Octavia Lucinda Everett Augustin Delphine Ottoline
Hollis Marguerite Clement Anders Roxanne Deirdre Fergus Oona Catalina Esteban Lucia Renata Jonah Ruth Tobias Greta
""".split()

SURNAMES = """Gonzalez Nguyen Okafor Kowalski Johansson O'Brien McAllister Smith-Jones Patel Kim Tanaka Haddad Rossi
Dubois Muller Novak Ivanova Mensah Abubakar Friedman Castillo Delgado Whitfield Thornton Brennan Fitzgerald Yamamoto
Hernandez Takahashi Oyelaran Banerjee Chaudhry Lindqvist Vasquez Robinson Washington Greenberg Kaplan Ferreira
Al-Sayed Nakamura-Ruiz Okonkwo Adeyemi Balogun Moyo Dlamini Nkosi Tupou Kealoha Makoa Otieno Kariuki Vukovic Petrov
Horvath Szabo Virtanen Korhonen Mukherjee Raghunathan Sandhu Grewal Karimi Farahani Yilmaz Demir Sherpa Dorji
Tran Pham Hoang Lefebvre Moreau Bianchi Esposito Romano Schneider Fischer Weber Wagner Becker Hoffmann Lindgren
Ashworth Pemberton Blackwood Hargreaves Whitcombe Castellanos Villanueva Salazar Quintero Abernathy Rutherford
""".split()

EMAIL_DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "hotmail.co.uk", "web.de",
                 "comcast.net", "harborvision-optical.com", "mail.example.org", "telenet.be", "optusnet.com.au"]

STREETS = ["Elm", "Maple", "Oak", "Cedar", "Washington", "Lincoln", "Martin Luther King Jr", "5th", "42nd", "Old Mill",
           "Sunset", "Lakeview", "Willow Creek", "Peachtree", "Magnolia", "Birch Hollow", "Chestnut", "Juniper",
           "Harbor View", "Fairmount", "Briarwood", "Kingsley", "Prospect", "Sycamore", "Woodland", "Summit",
           "Riverside", "Highland", "3rd", "Spring Garden", "Bayshore", "Cherry Blossom"]
SUFFIXES = ["Street", "St.", "St", "Avenue", "Ave", "Ave.", "Road", "Rd", "Boulevard", "Blvd", "Lane", "Ln", "Drive",
            "Dr.", "Court", "Ct", "Way", "Place", "Terrace", "Pkwy", "Circle", "Parkway", "Trail", "Highway"]
DIRECTIONS = ["N", "S", "E", "W", "North", "West", "NE", "SW"]
UNITS = ["Apt 4B", "Apt. 12", "Suite 210", "Unit 5", "#7", "Apt 3C", "Ste 400", "Unit 12A"]
CITY_STATE_ZIP = [("Springfield", "IL", "62704"), ("Austin", "TX", "78701"), ("Portland", "OR", "97205"),
                  ("Denver", "CO", "80202"), ("Madison", "WI", "53711"), ("Columbus", "OH", "43215"),
                  ("Raleigh", "NC", "27601"), ("Boise", "ID", "83702"), ("Tucson", "AZ", "85701"),
                  ("Burlington", "VT", "05401"), ("San Jose", "CA", "95112"), ("Fort Worth", "TX", "76102"),
                  ("Ann Arbor", "MI", "48104"), ("St. Paul", "MN", "55102"), ("Salt Lake City", "UT", "84101"),
                  ("Baton Rouge", "LA", "70802"), ("Des Moines", "IA", "50309"), ("Savannah", "GA", "31401"),
                  ("Boston", "MA", "02110"), ("Albany", "New York", "12207")]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
MONTH_ABBR = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.", "Nov.", "Dec."]


class Fill(gen.SeededFill):
    """Random fillers for one rendering; all randomness goes through the seeded ``rng``."""

    # --- PII ---
    def first(self) -> str:
        return self.pick(GIVEN)

    def person(self) -> str:
        r = self.rng.random()
        if r < 0.12:
            return f"{self.first()} {self.rng.choice(string.ascii_uppercase)}. {self.pick(SURNAMES)}"
        if r < 0.18:
            return f"{self.first()} {self.pick(SURNAMES)} {self.pick(SURNAMES)}"
        return f"{self.first()} {self.pick(SURNAMES)}"

    def surname(self) -> str:
        return self.pick(SURNAMES)

    def email(self) -> str:
        first, last = self.first().lower(), self.pick(SURNAMES).lower().replace("'", "")
        local = self.pick([f"{first}.{last}", f"{first[0]}{last}", f"{first}_{last}{self.rng.randint(1, 99)}",
                           f"{last}.{first}", f"{first}{self.rng.randint(70, 99)}"])
        return f"{local}@{self.pick(EMAIL_DOMAINS)}"

    def _nanp(self) -> tuple[str, str, str]:
        area = str(self.rng.randint(2, 9)) + f"{self.rng.randint(0, 99):02d}"
        exch = str(self.rng.randint(2, 9)) + f"{self.rng.randint(0, 99):02d}"
        return area, exch, f"{self.rng.randint(0, 9999):04d}"

    def phone(self) -> str:
        a, e, n = self._nanp()
        d = self.rng.randint
        formats = [
            f"({a}) {e}-{n}", f"{a}-{e}-{n}", f"{a}.{e}.{n}", f"+1 {a} {e} {n}", f"1-{a}-{e}-{n}",
            f"({a}){e}-{n}", f"+1 ({a}) {e}-{n}", f"{a}-{e}-{n} ext. {d(10, 999)}", f"{a} {e} {n}",
            f"+44 20 {d(7000, 8999)} {d(1000, 9999)}", f"+44 7{d(100, 999)} {d(100000, 999999)}",
            f"+49 30 {d(1000000, 99999999)}", f"+33 1 {d(10, 99)} {d(10, 99)} {d(10, 99)} {d(10, 99)}",
            f"+61 2 {d(1000, 9999)} {d(1000, 9999)}", f"+91 {d(70000, 99999)} {d(10000, 99999)}",
            f"+52 55 {d(1000, 9999)} {d(1000, 9999)}", f"+81 3-{d(1000, 9999)}-{d(1000, 9999)}",
            f"+353 1 {d(100, 999)} {d(1000, 9999)}", f"+27 21 {d(100, 999)} {d(1000, 9999)}",
            f"+34 6{d(10, 99)} {d(100, 999)} {d(100, 999)}", f"+254 7{d(10, 99)} {d(100, 999)} {d(100, 999)}",
        ]
        return self.pick(formats)

    def ssn(self) -> str:
        area = self.rng.choice([x for x in range(1, 900) if x != 666])
        return f"{area:03d}-{self.rng.randint(1, 99):02d}-{self.rng.randint(1, 9999):04d}"

    def card(self) -> str:
        kind = self.rng.randint(0, 5)
        if kind == 0:
            num = gen.luhn_complete("4", 16, self.rng)
        elif kind == 1:
            num = gen.luhn_complete(str(self.rng.randint(51, 55)), 16, self.rng)
        elif kind == 2:
            num = gen.luhn_complete(str(self.rng.randint(2221, 2720)), 16, self.rng)
        elif kind == 3:
            num = gen.luhn_complete(self.pick(["34", "37"]), 15, self.rng)
            sep = self.pick([" ", "-", ""])
            return sep.join([num[:4], num[4:10], num[10:]])
        elif kind == 4:
            num = gen.luhn_complete("6011", 16, self.rng)
        else:
            num = gen.luhn_complete("4", 16, self.rng)
        sep = self.pick([" ", "-", "", " "])
        return sep.join(num[i:i + 4] for i in range(0, 16, 4))

    def street(self) -> str:
        number = str(self.rng.randint(1, 19999))
        parts = [number]
        if self.rng.random() < 0.15:
            parts.append(self.pick(DIRECTIONS))
        parts += [self.pick(STREETS), self.pick(SUFFIXES)]
        line = " ".join(parts)
        if self.rng.random() < 0.25:
            line += self.pick([", ", " "]) + self.pick(UNITS)
        return line

    def address(self) -> str:
        r = self.rng.random()
        city, state, zip_ = self.pick(CITY_STATE_ZIP)  # type: ignore[arg-type]
        if r < 0.5:
            return f"{self.street()}, {city}, {state} {zip_}"
        if r < 0.62:
            return f"{self.street()}, {city}, {state}"
        if r < 0.72:
            return self.street()
        if r < 0.8:
            return f"{self.street()} {city}, {state} {zip_}"
        if r < 0.9:
            box = self.pick(["PO Box", "P.O. Box", "Post Office Box", "P.O. Box"])
            return f"{box} {self.rng.randint(10, 99999)}, {city}, {state} {zip_}"
        if r < 0.95:
            return f"{self.street()}, {city} {zip_}"
        return f"{self.rng.randint(1, 300)} {self.pick(STREETS)} {self.pick(['Road', 'Street', 'Lane'])}, " \
               f"{self.pick(['London', 'Leeds', 'Bristol'])} {self.pick(['NW1 6XE', 'LS1 4AP', 'BS8 1TH'])}"

    def dob(self) -> str:
        y, m, d = self.rng.randint(1931, 2019), self.rng.randint(1, 12), self.rng.randint(1, 28)
        return self.pick([f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{y}", f"{y}-{m:02d}-{d:02d}", f"{MONTHS[m - 1]} {d}, {y}",
                          f"{d} {MONTHS[m - 1]} {y}", f"{MONTH_ABBR[m - 1]} {d}, {y}", f"{m}/{d}/{str(y)[2:]}",
                          f"{m:02d}-{d:02d}-{y}"])

    def ip(self) -> str:
        if self.rng.random() < 0.15:
            return f"2001:db8:{self.rng.randint(0, 65535):x}::{self.rng.randint(1, 65535):x}"
        return ".".join(str(x) for x in (self.rng.randint(11, 223), self.rng.randint(0, 255),
                                         self.rng.randint(0, 255), self.rng.randint(1, 254)))

    def iban(self) -> str:
        d = lambda n: "".join(self.rng.choice(string.digits) for _ in range(n))  # noqa: E731
        u = lambda n: "".join(self.rng.choice(string.ascii_uppercase) for _ in range(n))  # noqa: E731
        value = self.pick([gen.make_iban("DE", d(18)), gen.make_iban("GB", u(4) + d(14)),
                           gen.make_iban("NL", u(4) + d(10)), gen.make_iban("FR", d(23)), gen.make_iban("ES", d(20))])
        if self.rng.random() < 0.6:
            return " ".join(value[i:i + 4] for i in range(0, len(value), 4))
        return value

    def mrn(self) -> str:
        d = self.rng.randint
        return self.pick([f"{d(100000, 9999999):08d}", f"A{d(1000000, 9999999)}",
                          f"{d(10, 99)}-{d(100, 999)}-{d(100, 999)}", f"MR{d(100000, 999999)}"])

    def account(self) -> str:
        d = self.rng.randint
        return self.pick([f"{d(1000000000, 9999999999)}", f"VSP-{d(10000000, 99999999)}", f"EM{d(1000000, 9999999)}",
                          f"{d(1000, 9999)}-{d(1000, 9999)}-{d(1, 9)}", f"00{d(1000000, 9999999)}"])

    # --- not PII ---
    def brand(self) -> str:
        return self.pick(["Ray-Ban", "Tom Ford", "Warby Parker", "Kate Spade", "Michael Kors", "Oakley", "Persol",
                          "Oliver Peoples", "Maui Jim", "Costa", "Prada", "Gucci", "Versace", "Silhouette",
                          "Lindberg", "Burberry", "Coach", "Carrera", "Armani Exchange", "Vogue Eyewear", "Nike",
                          "Calvin Klein", "Ralph Lauren", "Dolce & Gabbana", "Jimmy Choo", "Marc Jacobs"])

    def product(self) -> str:
        return self.pick(["RB2140 Wayfarer", "RB3025 Aviator", "RB3016 Clubmaster", "FT5401", "FT5178",
                          "OO9102 Holbrook", "OX8046 Airdrop", "PO3019S", "OV5186", "MJ 440 Peahi", "Costa Fantail",
                          "PR 17WV",
                          "GG0061S", "VE3218", "Silhouette Momentum", "Lindberg Air Titanium", "BE2172", "HC6065",
                          "Carrera 1001/S", "AX3043", "Varilux X", "Crizal Sapphire", "Transitions Gen S"])

    def rx(self) -> str:
        s = lambda: self.pick(["-0.25", "-0.75", "-1.25", "-2.25", "-3.50", "-4.75", "+0.50", "+1.25", "+1.50",  # noqa
                               "+2.75", "-6.00", "+3.25"])
        c = lambda: self.pick(["-0.50", "-0.75", "-1.00", "-1.25", "-2.00"])  # noqa: E731
        ax = lambda: self.pick(["180", "090", "175", "010", "045", "135", "5", "85"])  # noqa: E731
        add = self.pick(["1.00", "1.75", "2.00", "2.50"])
        return self.pick([f"{s()} DS", f"{s()} {c()} x {ax()}", f"OD {s()} {c()} x {ax()}, OS {s()} {c()} x {ax()}",
                          f"OD {s()} DS, OS {s()} {c()} x{ax()}", f"{s()} {c()} x {ax()}, ADD +{add}",
                          f"OU {s()} DS with ADD +2.25"])

    def price(self) -> str:
        return self.pick(["$249.00", "$1,299.50", "1,299.50", "$89", "$189.99", "$3,480.00", "$59.95", "€149.00",
                          "£120", "$12,904.25", "$415", "$2,150"])

    def qty(self) -> str:
        return str(self.rng.choice([3, 7, 12, 18, 24, 42, 57, 118, 204, 315, 1204, 2318]))

    def pct(self) -> str:
        return f"{self.rng.randint(1, 40)}.{self.rng.randint(0, 9)}%"

    def order(self) -> str:
        d = self.rng.randint
        return self.pick([f"{d(1000, 9999)}-{d(1000, 9999)}-{d(1000, 9999)}", f"#{d(100000, 999999)}",
                          f"{d(1000, 9999)}-{d(1000, 9999)}-{d(1000, 9999)}", f"SO-{d(10000, 99999)}",
                          f"{d(100, 999)}-{d(1000000, 9999999)}"])

    def version(self) -> str:
        d = self.rng.randint
        return self.pick([f"{d(1, 12)}.{d(0, 9)}.{d(0, 9)}.{d(1, 99)}", f"{d(1, 12)}.{d(0, 20)}.{d(0, 9)}",
                          f"{d(1, 12)}.{d(0, 9)}.{d(0, 9)}.{d(1, 254)}"])

    def city(self) -> str:
        return self.pick([c for c, _, _ in CITY_STATE_ZIP])

    def date(self) -> str:
        y, m, d = self.rng.randint(2023, 2026), self.rng.randint(1, 12), self.rng.randint(1, 28)
        return self.pick([f"{m:02d}/{d:02d}/{y}", f"{y}-{m:02d}-{d:02d}", f"{MONTHS[m - 1]} {d}",
                          f"{MONTHS[m - 1]} {d}, {y}", f"{d} {MONTHS[m - 1]}"])

    def month(self) -> str:
        return self.pick(MONTHS)

    def store(self) -> str:
        return self.pick(["Elm Street", "Downtown", "Riverside Mall", "Westgate", "Oak Park", "Harbor Point",
                          "Northgate", "Lakeside", "Union Square", "Midtown", "Cedar Hills", "Airport"])

    def lens(self) -> str:
        return self.pick(["progressive", "single-vision", "bifocal", "high-index 1.67", "polycarbonate", "Trivex",
                          "photochromic", "blue-light", "polarized", "occupational"])

    def sku(self) -> str:
        d = self.rng.randint
        return self.pick([f"0RB2140-901-{d(48, 54)}", f"FT{d(5000, 5999)}-{d(1, 99):03d}",
                          f"OO{d(9000, 9499)}-{d(1, 40):02d}", f"SKU {d(100000, 999999)}",
                          f"PO{d(3000, 3299)}S-{d(24, 96)}/{d(31, 58)}"])


# ---------------------------------------------------------------------------------------------------------------
# Templates: {SLOT} is PII (labelled), {slot} is filler that is not PII
# ---------------------------------------------------------------------------------------------------------------

PII_SLOTS: dict[str, tuple[str, Callable[[Fill], str]]] = {
    "PERSON": ("PERSON", Fill.person), "PERSON2": ("PERSON", Fill.person), "FIRST": ("PERSON", Fill.first),
    "SURNAME": ("PERSON", Fill.surname), "EMAIL": ("EMAIL_ADDRESS", Fill.email), "PHONE": ("PHONE_NUMBER", Fill.phone),
    "SSN": ("US_SSN", Fill.ssn), "CARD": ("CREDIT_CARD", Fill.card), "ADDRESS": ("ADDRESS", Fill.address),
    "DOB": ("DATE_OF_BIRTH", Fill.dob), "IP": ("IP_ADDRESS", Fill.ip), "IBAN": ("IBAN_CODE", Fill.iban),
    "MRN": ("MEDICAL_RECORD_NUMBER", Fill.mrn), "ACCOUNT": ("ACCOUNT_NUMBER", Fill.account),
}

PII_TEMPLATES = [
    "Patient {PERSON} picked up the {brand} {product} frames on {date}; the balance of {price} was paid in full.",
    "The remake for {PERSON} was approved: original Rx {rx}, new lenses ordered from the lab.",
    "I found the order. {PERSON} can be reached at {PHONE} if the lab needs to confirm the {lens} lenses.",
    "{PERSON}'s contact details on file are {EMAIL} and {PHONE}.",
    "Customer {PERSON} lives at {ADDRESS}, so the {brand} sunglasses will ship from the {store} store.",
    "The shipping address for order {order} is {ADDRESS}.",
    "Please update the record: {PERSON}, DOB {DOB}, new phone {PHONE}.",
    "According to the chart, {PERSON} (date of birth {DOB}) had an exam on {date} and bought {qty} boxes of "
    "Acuvue Oasys.",
    "{PERSON} was born on {DOB} and qualifies for the senior discount on {brand} frames.",
    "The card on file for {PERSON} is {CARD}, expiring 09/27.",
    "Payment for the {price} {brand} order was declined for card {CARD}; the customer was emailed at {EMAIL}.",
    "For the insurance claim we need the SSN {SSN} and member ID {ACCOUNT} for {PERSON}.",
    "The VSP eligibility check returned member ID {ACCOUNT}; copay for {lens} lenses is {price}.",
    "{PERSON}'s medical record number is {MRN}; the last refraction was {rx}.",
    "MRN {MRN} belongs to {PERSON}, seen by Dr. {SURNAME} on {date}.",
    "Dr. {SURNAME} recommended {lens} lenses for {PERSON} after the {date} exam.",
    "The top seller at {store} this month was {FIRST} {SURNAME}, with {qty} pairs of {brand} sold.",
    "Hi {FIRST}, your {brand} {product} glasses are ready for pickup at the {store} store. Balance due: {price}.",
    "Dear {PERSON}, we received your payment of {price}. Your order {order} will ship by {date}.",
    "The refund of {price} went to IBAN {IBAN} for {PERSON}.",
    "Suspicious logins to the portal came from {IP} using {PERSON}'s account.",
    "The patient portal flagged {IP} after three failed logins for {EMAIL}.",
    "Send the remake paperwork to {PERSON} at {ADDRESS} and copy {EMAIL}.",
    "{PERSON} called from {PHONE} asking whether {brand} offers a warranty on {lens} lenses.",
    "Reminder texts went out to {qty} patients; {PERSON} ({PHONE}) asked to reschedule to {date}.",
    "Ask for {PERSON} at the lab; their direct line is {PHONE}.",
    "The optician who dispensed the {brand} frames was {PERSON}; the Rx was {rx} and PD 63.",
    "{PERSON} and {PERSON2} both bought {brand} {product} frames at {price} during the {month} promotion.",
    "Mail the contact lens rebate to {ADDRESS}. The rebate for {PERSON} is {price}.",
    "Our records show {PERSON} moved to {ADDRESS} in {month}.",
    "The SSN {SSN} was entered in the notes field for {PERSON}; it should be removed.",
    "Her social security number, {SSN}, was on the insurance form scanned on {date}.",
    "{PERSON} paid with card {CARD} and asked for the receipt at {EMAIL}.",
    "Store credit of {price} was issued to {PERSON} (account number {ACCOUNT}).",
    "The courier could not deliver order {order} to {ADDRESS}; please call {PHONE}.",
    "Contact lens patient {PERSON}, DOB: {DOB}, wears {rx} in both eyes.",
    "Birth date {DOB} does not match the insurer's record for member ID {ACCOUNT}.",
    "The {month} no-show list includes {PERSON} and {PERSON2}; {qty} appointments were missed in total.",
    "Email {EMAIL} bounced, so the recall notice for {PERSON} went by post to {ADDRESS}.",
    "I can't share more, but the order was placed by {PERSON} from IP address {IP}.",
    "Warranty claim {order}: {PERSON} reports the {brand} hinge broke after {qty} days. Phone: {PHONE}.",
    "The lab tech {PERSON} re-cut the lenses to {rx}; the job was redone at no charge.",
    "Yes, {PERSON} (born {DOB}) is on the pediatric myopia program with MiSight lenses.",
    "Insurance: policy number {ACCOUNT}; subscriber {PERSON}; relationship: self.",
    "I found two matching patients: {PERSON} at {ADDRESS} and {PERSON2}, {EMAIL}.",
    "The chargeback on card {CARD} for {price} was reversed on {date}.",
    "The patient with MRN {MRN} has an outstanding balance of {price}.",
    "Forward the {brand} invoice to {EMAIL}; the amount is {price}.",
    "Please call {PERSON} back on {PHONE} about the {lens} remake.",
    "The appointment for {PERSON} on {date} was booked from {PHONE}.",
    "{PERSON} asked us to update her mailing address to {ADDRESS}.",
    "Delivery for {PERSON}: {ADDRESS}. Contact {PHONE}.",
    "Refund issued to the Mastercard {CARD} used by {PERSON}.",
    "Verification failed: the DOB {DOB} and SSN {SSN} do not match for {PERSON}.",
    "Here is what I found: {PERSON}, {EMAIL}, last visit {date}, {qty} pairs purchased.",
    "The {store} manager, {PERSON}, approved the {price} courtesy discount.",
    "Wire the supplier payment to IBAN {IBAN}; reference {order}.",
    "Firmware {version} was installed, but the edger at {IP} still rejects jobs.",
    "Patient {FIRST} {SURNAME} prefers texts at {PHONE}.",
    "Mr. {SURNAME} returned the {brand} frames; refund to card {CARD}.",
    "Ms. {PERSON} confirmed her date of birth as {DOB}.",
    "{PERSON} reported that the {product} lenses from order {order} are scratched. Reach her at {EMAIL}.",
    "The travel reimbursement for {PERSON} goes to {IBAN}.",
    "Member ID {ACCOUNT}, MRN {MRN}: eligibility confirmed for {lens} lenses.",
    "Send a thank-you card to {PERSON}, {ADDRESS}.",
    "{FIRST} from the {store} team said {PERSON} is waiting for the {brand} repair.",
]

CLEAN_TEMPLATES = [
    "In {month} we sold {qty} pairs of {brand} frames, up {pct} on last year, for revenue of {price}.",
    "The {store} store has {qty} units of {brand} {product} in stock and {qty} on order.",
    "For a prescription of {rx}, a {lens} lens in 1.67 index keeps the edges thinner than polycarbonate.",
    "Our remake policy covers {lens} lenses for 60 days after dispensing; non-adapts are remade once at no charge.",
    "Order {order} shipped on {date} and should arrive within 3 business days.",
    "The edger firmware was updated to version {version} on {date}; no jobs were lost.",
    "Patient counts for {month}: {qty} comprehensive exams, {qty} contact lens fittings and {qty} follow-ups.",
    "{brand} and {brand} were the top two brands at {store}, together {pct} of frame revenue.",
    "The {brand} {product} retails for {price}; with the VSP allowance the patient pays {price}.",
    "Average order value in {month} was {price}, and the remake rate for progressives was {pct}.",
    "Rx {rx} with PD 63 is within range for the {brand} {product} frame.",
    "We have {qty} {lens} lens blanks left; the reorder point is {qty}.",
    "The {store} store opens at 9:00 and closes at 18:00 on weekdays; Saturday hours are 10:00 to 16:00.",
    "SKU {sku} is back-ordered until {date}.",
    "The lab turnaround for {lens} lenses averaged {qty} hours in {month}.",
    "Remakes fell to {pct} after the switch to Crizal Sapphire coating.",
    "Order {order} contains {brand} {product} frames with {lens} lenses, total {price}.",
    "The tracer at {store} runs firmware {version}; the lensometer was calibrated on {date}.",
    "Frame sales by brand: {brand} {qty}, {brand} {qty}, {brand} {qty}.",
    "The warranty on {brand} frames is 12 months; hinge repairs are free during that period.",
    "Contact lens revenue was {price} in {month}, with Acuvue Oasys and Dailies Total1 leading.",
    "Patients with an ADD of +2.00 or more are usually happier with a wider-corridor progressive such as Varilux X.",
    "The {city} stores together dispensed {qty} pairs in {month}.",
    "A remake costs the lab about {price}; at {qty} remakes a month that is roughly {price}.",
    "Your {month} target is {qty} exams; {store} is at {pct} of target with a week to go.",
    "Polarized {brand} sunglasses outsold non-polarized by {pct} in {month}.",
    "Order {order} was cancelled on {date} and the {price} deposit refunded.",
    "The POS update to {version} added split tenders and fixed the receipt printer bug.",
    "Inventory audit on {date}: {qty} frames counted, {qty} missing, shrinkage {pct}.",
    "The suggested retail price for the {brand} {product} is {price}.",
    "A sphere of {rx} falls into the high-minus range, so recommend high-index lenses.",
    "The {store} store's conversion rate from exam to eyewear purchase was {pct} in {month}.",
    "There were {qty} walk-ins and {qty} booked appointments at {store} on {date}.",
    "Blue-light lenses add {price} to the order; {pct} of buyers chose them in {month}.",
    "Job {order} is at the edging stage; expected completion {date}.",
    "The transfer of {qty} {brand} frames from {store} to {store} was received on {date}.",
    "Staff training on {brand} fitting is scheduled for {date}; {qty} opticians signed up.",
    "Sales of {lens} lenses rose {pct}; the biggest increase was at {store}.",
    "PD measurements between 54 and 74 fit the {brand} {product}; axis and cylinder do not matter for frame choice.",
    "The lab invoice total for {month} was {price}, covering {qty} jobs.",
    "Loyalty members bought {qty} pairs in {month}, {pct} of all frame sales.",
    "Version {version} of the scheduling app fixes the double-booking bug reported on {date}.",
    "Returns in {month}: {qty} frames, mostly {brand}, for a total of {price}.",
    "Progressive lens adaptation usually takes one to two weeks; we allow 60 days before a non-adapt remake.",
    "Kids' frames from {brand} made up {pct} of sales; the best seller was the {product}.",
    "The {store} store ran out of {product} on {date}; {qty} are due in on {date}.",
    "The average ADD power across {month} prescriptions was +1.75 and the median sphere was -1.25.",
    "Tom Ford, Prada and Gucci together account for {pct} of luxury frame sales.",
    "Insurance mix in {month}: VSP {pct}, EyeMed {pct}, Davis Vision {pct}, self-pay the rest.",
    "The price match on {brand} {product} was approved at {price}; order {order} was adjusted.",
]

# ---------------------------------------------------------------------------------------------------------------
# Hand-written hard cases (PII spans given as substrings; the n-th occurrence with "@n")
# ---------------------------------------------------------------------------------------------------------------

HAND_PII: list[tuple[str, list[tuple[str, str]], list[str]]] = [
    ("Maria Costa asked whether her Costa Del Mar Fantail lenses are polarized.", [("PERSON", "Maria Costa")], []),
    ("Ask Dr. Ford whether the Tom Ford FT5178 is back in stock.", [("PERSON", "Ford")], []),
    ("Kamau Otieno will be reachable on +254 712 345 678 after 5 pm.",
     [("PERSON", "Kamau Otieno"), ("PHONE_NUMBER", "+254 712 345 678")], []),
    ("Ship the remake to 88 Queen St W, Toronto, ON M5H 2N2 by Friday.",
     [("ADDRESS", "88 Queen St W, Toronto, ON M5H 2N2")], []),
    ("Mr. O'Brien's PD is 64 and his Rx is -1.75 -0.50 x 175.", [("PERSON", "O'Brien")], []),
    ("Patient chart: name Xiomara Delgado, born March 3, 1990, MRN 88-120-447.",
     [("PERSON", "Xiomara Delgado"), ("DATE_OF_BIRTH", "March 3, 1990"), ("MEDICAL_RECORD_NUMBER", "88-120-447")],
     []),
    ("Refund to IBAN GB33 BUKB 2020 1555 5555 55 for Thabo Nkosi.",
     [("IBAN_CODE", "GB33 BUKB 2020 1555 5555 55"), ("PERSON", "Thabo Nkosi")], []),
    ("There were repeated logins from 2001:db8:85a3::8a2e:370:7334 to the account of Elif Yilmaz.",
     [("IP_ADDRESS", "2001:db8:85a3::8a2e:370:7334"), ("PERSON", "Elif Yilmaz")], []),
    ("Order 4471-2209-8812 for Keanu Makoa ships Friday.", [("PERSON", "Keanu Makoa")], []),
    ("Please confirm date of birth 1988-11-23 before filing the VSP claim.",
     [("DATE_OF_BIRTH", "1988-11-23")], []),
    ("Dear Mrs. Nakamura-Ruiz, your Varilux X lenses are ready.", [("PERSON", "Nakamura-Ruiz")], []),
    ("Tenzin Dorji (member ID 4407-8812-3) picked up Maui Jim Peahi sunglasses.",
     [("PERSON", "Tenzin Dorji"), ("ACCOUNT_NUMBER", "4407-8812-3")], []),
    ("Her number is 555 201 3344, and she prefers calls after 6.", [("PHONE_NUMBER", "555 201 3344")], []),
    ("Wanjiru Kariuki's new address is 4502 Old Mill Rd, Apt 12, Madison, WI 53711.",
     [("PERSON", "Wanjiru Kariuki"), ("ADDRESS", "4502 Old Mill Rd, Apt 12, Madison, WI 53711")], []),
    ("The SSN 078-05-1120 was typed into the frame notes by mistake.", [("US_SSN", "078-05-1120")], []),
    ("Contact: Ilse Vandenberghe, ilse.v@telenet.be, +32 470 12 34 56.",
     [("PERSON", "Ilse Vandenberghe"), ("EMAIL_ADDRESS", "ilse.v@telenet.be"), ("PHONE_NUMBER", "+32 470 12 34 56")],
     []),
    ("Michael Kors frames were bought by Michael Korsgaard last week.", [("PERSON", "Michael Korsgaard")], []),
    ("The Mastercard 2720 9999 9999 9996 was declined twice.", [("CREDIT_CARD", "2720 9999 9999 9996")], []),
    ("The Amex 3782 822463 10005 belongs to the practice owner, Dr. Rutendo Moyo.",
     [("CREDIT_CARD", "3782 822463 10005"), ("PERSON", "Rutendo Moyo")], []),
    ("PO Box 4417, Austin, TX 78701 is where the rebate checks go for Bogdan Petrov.",
     [("ADDRESS", "PO Box 4417, Austin, TX 78701"), ("PERSON", "Bogdan Petrov")], []),
    ("Lucinda Ashworth, born 4 July 1962, needs a low-vision referral.",
     [("PERSON", "Lucinda Ashworth"), ("DATE_OF_BIRTH", "4 July 1962")], []),
    ("I can see the customer's email (golnaz.farahani@proton.me) but not her phone.",
     [("EMAIL_ADDRESS", "golnaz.farahani@proton.me")], []),
    # A toll-free number is a business line under the business-contact policy (docs/safety.md): not PII.
    ("Call 1-800-555-0199 to reach the patient's daughter, Aino Virtanen.",
     [("PERSON", "Aino Virtanen")], []),
    ("The patient's home is 1200 Martin Luther King Jr Blvd, Savannah, GA 31401.",
     [("ADDRESS", "1200 Martin Luther King Jr Blvd, Savannah, GA 31401")], []),
    ("The Ray-Ban order for Ray Whitfield is ready; his account number is 4400981123.",
     [("PERSON", "Ray Whitfield"), ("ACCOUNT_NUMBER", "4400981123")], []),
    ("Social security number 219 09 9999 appears in the scanned form.", [("US_SSN", "219 09 9999")], []),
    ("Sione Tupou paid $349.00 with card 4539 1488 0343 6467.",
     [("PERSON", "Sione Tupou"), ("CREDIT_CARD", "4539 1488 0343 6467")], []),
    ("DOB 02/29/1984 | phone (303) 555-0147 | Rx OD -2.25 DS, OS -2.00 DS.",
     [("DATE_OF_BIRTH", "02/29/1984"), ("PHONE_NUMBER", "(303) 555-0147")], []),
    ("The letter for Mr. Barnaby Pemberton goes to 17 Kingsley Terrace, Bristol BS8 1TH.",
     [("PERSON", "Barnaby Pemberton"), ("ADDRESS", "17 Kingsley Terrace, Bristol BS8 1TH")], []),
    ("Harpreet Sandhu and Gurpreet Grewal share the same billing address, 9 Summit Ridge, Boise, ID 83702.",
     [("PERSON", "Harpreet Sandhu"), ("PERSON", "Gurpreet Grewal"), ("ADDRESS", "9 Summit Ridge, Boise, ID 83702")],
     []),
    ("Our Elm Street store at 200 Main Street, Boston, MA 02110 served Zeynep Demir today.",
     [("PERSON", "Zeynep Demir")], ["200 Main Street, Boston, MA 02110"]),
    ("The Gregory Peck frame from Oliver Peoples was ordered by Thaddeus Blackwood.",
     [("PERSON", "Thaddeus Blackwood")], ["Gregory Peck"]),
    ("Saoirse said the Persol frames pinch behind the ears.", [("PERSON", "Saoirse")], []),
    ("Kaito from the Lakeside team texted that the Oakley order is complete.", [("PERSON", "Kaito")], []),
    ("Please let Dagny know her Maui Jim lenses were re-cut.", [("PERSON", "Dagny")], []),
    ("Ngozi Okonkwo-Bello and her son Chidi picked up two pairs of Nike kids' frames.",
     [("PERSON", "Ngozi Okonkwo-Bello"), ("PERSON", "Chidi")], []),
    ("San Diego customer Lorenzo Bianchi asked about Persol 714 availability.", [("PERSON", "Lorenzo Bianchi")], []),
]

HAND_CLEAN: list[tuple[str, list[str]]] = [
    ("Rx: OD -2.25 DS, OS -2.00 -0.50 x 180, ADD +2.00, PD 63.", []),
    ("Order 4471-2209-8812 shipped; tracking 1Z999AA10123456784.", []),
    ("Edger firmware 10.2.0.1 and tracer firmware 4.18.2.7 are current.", []),
    ("The Tom Ford FT5401 and Kate Spade Alaina frames are $249.00 and $189.00.", ["Kate Spade Alaina"]),
    ("Progressive remakes fell to 3.2% in Q3; Varilux X accounted for 1,299.50 in credits.", []),
    ("Appointments on 03/14/2025 and 03/15/2025 are fully booked at the Elm Street store.", []),
    ("We dispensed 1,204 pairs in March, up 8% on February.", []),
    ("The remake window is 60 days from the dispense date, 2025-01-10 in this case.", []),
    ("Birthday sale: 20% off Ray-Ban through 06/30/2025.", []),
    ("SKU 0RB2140-901-50 is back-ordered until 11/02/2025.", []),
    ("Patient count this month: 2,318 exams, 412 contact lens fittings.", []),
    ("Lens index 1.67, base curve 8.6, diameter 14.2, prism 1.0 BU.", []),
    ("Invoice INV-2024-00831 totals $1,299.50.", []),
    ("Batch 2209-8812-4471 of the Crizal Sapphire coating failed QA.", []),
    ("The card ending 4242 was charged $129.00 on 05/02/2025.", []),
    ("Silhouette Momentum and Lindberg Spirit titanium frames weigh under 3 g.", ["Silhouette Momentum",
                                                                                 "Lindberg Spirit"]),
    ("Call the Westgate store at (555) 010-2000 to book a fitting.", ["(555) 010-2000"]),
    ("Our flagship at 200 Main Street, Boston, MA 02110 opens at 9.", ["200 Main Street, Boston, MA 02110"]),
    ("Oakley, Persol and Oliver Peoples led sunglass sales; Maui Jim and Costa followed.", []),
    ("Warby Parker and Michael Kors frames are not sold in our stores.", []),
    ("Update the lensometer to build 7.1.0.22 before Monday.", []),
    ("The POS terminals run software version 3.4.12.1.", []),
    ("A +1.50 -0.75 x 180 prescription with ADD +2.00 suits most progressive designs.", []),
    ("Prices: single vision $89, progressive $249.00, high-index upgrade $120.", []),
    ("Q2 revenue was $1,482,300.25 across 14 stores.", []),
    ("Tray 0412 and tray 0413 are waiting for AR coating.", []),
    ("Job 55120 was remade because the axis was off by 12 degrees.", []),
    ("The Versace VE3218 and Prada PR 17WV are the most returned frames.", []),
    ("Gucci GG0061S restock: 24 units arriving 2025-07-01.", []),
    ("Patients over 40 usually need an ADD between +1.00 and +2.50.", []),
    ("VSP covers frames up to $150; EyeMed up to $130.", []),
    ("Her SSN ends in 6789, so the last four match; no other digits are stored.", []),
    ("Store hours: Mon-Fri 9:00-18:00, Sat 10:00-16:00, closed Sunday.", []),
    ("The phone line at the Downtown store was down from 10:15 to 11:40.", []),
    ("Transitions Gen S lenses were 18% of photochromic sales.", []),
    ("Oliver Peoples Gregory Peck frames sold out in Tortoise.", ["Gregory Peck"]),
    ("The new Harbor Line HL-204 house frames launch on June 3.", ["Harbor Line"]),
    ("Sales in San Jose and Los Alamos rose 4%, while Des Moines was flat.", []),
    ("We are opening in Baton Rouge, Santa Fe and Ann Arbor next spring.", []),
    ("Most remakes came from Lakeside and Northgate in May.", []),
    ("Zeiss SmartLife and Hoya MiyoSmart lenses are both in stock.", []),
    ("Compare Varilux Comfort Max with Hoyalux iD MyStyle before recommending one.", []),
    ("Nikon SeeMax lenses ship from the Dallas lab within five days.", []),
    ("Eyefinity and OfficeMate exports are refreshed every night at 2:00.", []),
    ("The Persol Calligrapher Edition and Oliver Peoples Sheldrake are back in stock.", []),
    ("Fort Worth and El Paso stores share one optician on Saturdays.", []),
    ("Ray-Ban Meta Wayfarer smart glasses sold 42 units in Salt Lake City.", []),
]


# Written after the detector was tuned and first scored as a held-out check (39/42 values removed, 0/15 clean
# texts altered; the three misses led to the DOB '(' / 4-word gap and 6-digit national-phone-group fixes).
HOLDOUT_PII: list[tuple[str, list[tuple[str, str]], list[str]]] = [
    ('Quick update: Beatrix Kowalczyk came in about her Moscot frames and left her number, 415-555-0182.',
     [('PERSON', 'Beatrix Kowalczyk'), ('PHONE_NUMBER', '415-555-0182')], []),
    ("The insurer needs the subscriber's birth date (11/02/1957) and his name, Desmond Achterberg.",
     [('DATE_OF_BIRTH', '11/02/1957'), ('PERSON', 'Desmond Achterberg')], []),
    ('Send the replacement nose pads to 77 Wren Hollow Ct, Eugene, OR 97401.',
     [('ADDRESS', '77 Wren Hollow Ct, Eugene, OR 97401')], []),
    ('Yusuf Demirci and Alejandra Quispe both asked for a PD re-measure.',
     [('PERSON', 'Yusuf Demirci'), ('PERSON', 'Alejandra Quispe')], []),
    ('I matched the refund to the Visa ending in 4242; the full number on the slip was 4012 8888 8888 1881.',
     [('CREDIT_CARD', '4012 8888 8888 1881')], []),
    ('Her email is p.okoro-smith@yahoo.com and she prefers morning appointments.',
     [('EMAIL_ADDRESS', 'p.okoro-smith@yahoo.com')], []),
    ('Mr. Vandermeer wants his old Rx (-5.25 -1.50 x 170) kept on file.',
     [('PERSON', 'Vandermeer')], []),
    ('The chart for Ingrid Solheim lists MRN 5520193 and a DOB of 6 May 1971.',
     [('PERSON', 'Ingrid Solheim'), ('MEDICAL_RECORD_NUMBER', '5520193'), ('DATE_OF_BIRTH', '6 May 1971')], []),
    ("Reach the patient's guardian, Tomasz Wierzbicki, at +48 601 234 567.",
     [('PERSON', 'Tomasz Wierzbicki'), ('PHONE_NUMBER', '+48 601 234 567')], []),
    ('The SSN 512-44-9087 should never have been pasted into the frame notes.',
     [('US_SSN', '512-44-9087')], []),
    ('Billing address on the Amex: 3300 Cottonwood Blvd, Suite 110, Reno, NV 89502.',
     [('ADDRESS', '3300 Cottonwood Blvd, Suite 110, Reno, NV 89502')], []),
    ('Lorcan Ní Bhriain picked up two pairs of Persol sunglasses today.',
     [('PERSON', 'Lorcan Ní Bhriain')], []),
    ('Can you ask Femi to call the lab back? Femi Adebayo handled the remake.',
     [('PERSON', 'Femi'), ('PERSON', 'Femi Adebayo')], []),
    ('Patient Hiroko Matsuda, born 1964-09-30, switched to Varilux X.',
     [('PERSON', 'Hiroko Matsuda'), ('DATE_OF_BIRTH', '1964-09-30')], []),
    ('The order was shipped to PO Box 902, Bozeman, MT 59771 for Carys Penhaligon.',
     [('ADDRESS', 'PO Box 902, Bozeman, MT 59771'), ('PERSON', 'Carys Penhaligon')], []),
    ('Suspicious logins came from 198.51.100.77 for the optometrist account of Dr. Oyelowo.',
     [('IP_ADDRESS', '198.51.100.77'), ('PERSON', 'Oyelowo')], []),
    ('Her mobile is 07700 900461 and her landline is (212) 555-0199.',
     [('PHONE_NUMBER', '07700 900461'), ('PHONE_NUMBER', '(212) 555-0199')], []),
    ('Please credit member ID EM55120937 for the Maui Jim repair.',
     [('ACCOUNT_NUMBER', 'EM55120937')], []),
    ("Augustina Ferraro-Lind's contact lens order is ready; her card 5425 2334 3010 9903 was charged $89.",
     [('PERSON', 'Augustina Ferraro-Lind'), ('CREDIT_CARD', '5425 2334 3010 9903')], []),
    ('Wire the chargeback reversal to NL91 ABNA 0417 1643 00 for Maarten Boersma.',
     [('IBAN_CODE', 'NL91 ABNA 0417 1643 00'), ('PERSON', 'Maarten Boersma')], []),
    ('I see two Nguyens: Thuy Nguyen at thuy.ng@outlook.com and Bao Nguyen with no email.',
     [('PERSON', 'Thuy Nguyen'), ('EMAIL_ADDRESS', 'thuy.ng@outlook.com'), ('PERSON', 'Bao Nguyen')], []),
    ('Delivery instructions: leave the package at 18 Larkspur Lane, Bend, OR 97702.',
     [('ADDRESS', '18 Larkspur Lane, Bend, OR 97702')], []),
    ('Gwendolyn Achebe was seen by optometrist Rafael Montoya on Tuesday.',
     [('PERSON', 'Gwendolyn Achebe'), ('PERSON', 'Rafael Montoya')], []),
    ('The Mastercard 2223 0031 2200 3222 used by Ottilie Brandt was declined.',
     [('CREDIT_CARD', '2223 0031 2200 3222'), ('PERSON', 'Ottilie Brandt')], []),
    ('Date of birth on the form reads 12/25/2003, which matches the insurer.',
     [('DATE_OF_BIRTH', '12/25/2003')], []),
]

HOLDOUT_CLEAN: list[str] = [
    'Frames from Moscot and Garrett Leight grew 12% while Ray-Ban was flat.',
    'Average turnaround for progressive jobs fell to 4.2 days in the Bend and Reno stores.',
    'Rx OD -5.25 -1.50 x 170, OS -4.75 -1.25 x 010, ADD +2.25 needs a 1.67 index lens.',
    'Order 9912-0045-7781 was split into two shipments; the second leaves on 04/18/2025.',
    'The tracer firmware 3.2.0.14 is required before installing the new edger driver.',
    'Polarized Costa lenses cost $189.00 and the mirror upgrade is $40.',
    'Our Tuesday promotion moved 58 pairs of Kate Spade and Michael Kors frames.',
    'The remake policy allows one free remake within 90 days for non-adapts.',
    'Patient volume in April: 1,842 exams, 311 contact lens fittings, 96 urgent visits.',
    'Stock of Oakley Holbrook in matte black is down to 3 units at the Riverside Mall store.',
    'Transitions Gen S and Crizal Sapphire together add $165 to the lens price.',
    'Insurance plans accepted: VSP, EyeMed, Davis Vision and Spectera.',
    'The POS will update to 7.4.1.2 overnight; no action is needed in stores.',
    'Children under 12 made up 14.5% of exams, mostly myopia management with MiSight.',
    'The regional manager approved a 10% staff discount on Prada and Versace frames.',
]


def build(seed: int = SEED) -> list[dict[str, object]]:
    """All records, in a fixed order."""
    fill = Fill(random.Random(seed))
    records = gen.template_records(PII_TEMPLATES, fill, PII_SLOTS, 3, "pii-template")
    records += gen.template_records(CLEAN_TEMPLATES, fill, PII_SLOTS, 3, "clean-template")
    records += gen.hand_records(HAND_PII, "hand-pii")
    records += gen.hand_records(((text, [], allow) for text, allow in HAND_CLEAN), "hand-clean")
    records += gen.hand_records(((text, spans, []) for text, spans, _allow in HOLDOUT_PII), "holdout-pii")
    records += gen.hand_records(((text, [], []) for text in HOLDOUT_CLEAN), "holdout-clean")
    return gen.sort_entities(records)


def main() -> None:
    gen.write_jsonl(build(), OUT)


if __name__ == "__main__":
    main()
