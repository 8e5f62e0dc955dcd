"""Safety: PII detection/redaction, the output guard, Safe Harbor de-identification, input checks."""

from typing import Any

from safety.deid import RESTRICTED_ZIP3, DeidentifiedPatient, age_band, deidentify_patient, zip3

# Heavy parts (presidio + spaCy, guardrails) load on first use, so `import safety` stays fast.
_LAZY = {
    "redact": "safety.pii",
    "detect": "safety.pii",
    "Redaction": "safety.pii",
    "Entity": "safety.pii",
    "RedactingStream": "safety.stream",
}

__all__ = ["RESTRICTED_ZIP3", "DeidentifiedPatient", "age_band", "deidentify_patient", "zip3", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'safety' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
