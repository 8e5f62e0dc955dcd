"""Safe Harbor de-identification as a pure function."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safety.deid import RESTRICTED_ZIP3, age_band, deidentify_patient, patient_key, zip3


@pytest.mark.parametrize("age,band", [(0, "0-9"), (9, "0-9"), (10, "10-19"), (89, "80-89"), (90, "90+"),
                                      (104, "90+")])
def test_age_bands(age, band):
    assert age_band(age) == band


def test_restricted_zip3_become_000():
    for prefix in RESTRICTED_ZIP3:
        assert zip3(prefix + "42") == "000"
    assert zip3("97201") == "972" and zip3("97201-1234") == "972"
    with pytest.raises(ValueError):
        zip3("9720")


def test_record_keeps_only_coarse_fields():
    p = deidentify_patient(secret=b"k", tenant_id="t1", patient_id="MRN-1", date_of_birth=date(1930, 7, 1),
                           state="or", zip_code="69201", last_exam_date=date(2025, 3, 9), lens_type="progressive")
    assert (p.age_band, p.state, p.zip3, p.last_exam_year) == ("90+", "OR", "000", 2025)
    assert "MRN" not in p.patient_key and len(p.patient_key) == 32


def test_patient_key_is_keyed_and_tenant_specific():
    assert patient_key(b"k1", "t1", "42") == patient_key(b"k1", "t1", "42")
    assert patient_key(b"k1", "t1", "42") != patient_key(b"k2", "t1", "42")
    assert patient_key(b"k1", "t1", "42") != patient_key(b"k1", "t2", "42")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)))
def test_age_band_never_reveals_more_than_a_decade_or_over_89(dob):
    band = deidentify_patient(secret=b"k", tenant_id="t", patient_id="p", date_of_birth=dob, state="OR",
                              zip_code="97201", last_exam_date=date(2025, 1, 1), lens_type="reading").age_band
    assert band == "90+" or (band.endswith("9") and int(band.split("-")[0]) <= 80)
