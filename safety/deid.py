"""HIPAA Safe Harbor style de-identification of patient records: a pure function, reused by import and training."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# 3-digit ZIP areas with 20,000 or fewer people (Census 2000), published with the Safe Harbor guidance.
RESTRICTED_ZIP3 = frozenset(
    {"036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830", "831", "878", "879",
     "884", "890", "893"}
)

# Fields of an identifiable patient record that must never be stored or logged.
DIRECT_IDENTIFIERS = ("patient_id", "first_name", "last_name", "date_of_birth", "email", "phone", "street", "zip",
                      "last_exam_date", "city")


@dataclass(frozen=True)
class DeidentifiedPatient:
    patient_key: str
    age_band: str
    state: str
    zip3: str
    last_exam_year: int | None
    sphere_od: Decimal | None
    sphere_os: Decimal | None
    cylinder_od: Decimal | None
    cylinder_os: Decimal | None
    lens_type: str


def patient_key(secret: bytes, tenant_id: str, patient_id: str) -> str:
    """Keyed, non-reversible, tenant-specific pseudonym (HMAC-SHA256, 128 bits, hex)."""
    msg = f"{tenant_id}\x1f{patient_id.strip()}".encode()
    return hmac.new(secret, msg, hashlib.sha256).hexdigest()[:32]


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def age_band(age: int) -> str:
    """Ten-year bands; every age over 89 collapses into '90+' (Safe Harbor)."""
    if age < 0:
        raise ValueError(f"age {age} is negative")
    if age >= 90:
        return "90+"
    low = (age // 10) * 10
    return f"{low}-{low + 9}"


def zip3(zip_code: str) -> str:
    """First three digits of a US ZIP, or '000' for the restricted low-population areas."""
    digits = zip_code.strip().split("-")[0]
    if len(digits) != 5 or not digits.isdigit():
        raise ValueError(f"ZIP {zip_code!r} is not a 5-digit US ZIP code")
    prefix = digits[:3]
    return "000" if prefix in RESTRICTED_ZIP3 else prefix


def deidentify_patient(
    *,
    secret: bytes,
    tenant_id: str,
    patient_id: str,
    date_of_birth: date,
    state: str,
    zip_code: str,
    last_exam_date: date | None,
    lens_type: str,
    sphere_od: Decimal | None = None,
    sphere_os: Decimal | None = None,
    cylinder_od: Decimal | None = None,
    cylinder_os: Decimal | None = None,
    reference_date: date | None = None,
) -> DeidentifiedPatient:
    """Reduce one identifiable record to its Safe Harbor form.

    Names, email, phone, street and city are not inputs at all: the caller drops them. The age is taken
    at the last exam (or `reference_date`, default today, when there was none) and banded; dates keep
    only their year; the ZIP keeps its first three digits (000 in restricted areas).
    """
    on = last_exam_date or reference_date or date.today()
    return DeidentifiedPatient(
        patient_key=patient_key(secret, tenant_id, patient_id),
        age_band=age_band(age_on(date_of_birth, on)),
        state=state.strip().upper(),
        zip3=zip3(zip_code),
        last_exam_year=last_exam_date.year if last_exam_date else None,
        sphere_od=sphere_od,
        sphere_os=sphere_os,
        cylinder_od=cylinder_od,
        cylinder_os=cylinder_os,
        lens_type=lens_type,
    )
