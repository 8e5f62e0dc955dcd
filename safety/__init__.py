"""Safety: PII detection/redaction, the output guard, Safe Harbor de-identification, input checks."""

from safety.deid import RESTRICTED_ZIP3, DeidentifiedPatient, age_band, deidentify_patient, zip3

__all__ = ["RESTRICTED_ZIP3", "DeidentifiedPatient", "age_band", "deidentify_patient", "zip3"]
