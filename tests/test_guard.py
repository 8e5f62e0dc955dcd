"""The guardrails-ai output guard (safety.guard): the locally registered validator fixes PII, keeps no history
between tenants, sends no telemetry, and withholds the answer if the check itself fails."""

from __future__ import annotations

import threading

import pytest

from safety import guard as guard_mod
from safety.guard import (
    VALIDATOR_NAME,
    WITHHELD,
    SightlinePII,
    clear_history,
    guard_text,
    output_guard,
)


@pytest.fixture(scope="module", autouse=True)
def warm() -> None:
    from safety.pii import get_engines

    get_engines()


def test_validator_is_registered_locally_with_fix_on_fail() -> None:
    from guardrails.validator_base import validators_registry

    assert validators_registry[VALIDATOR_NAME] is SightlinePII
    guard = output_guard()
    (validator,) = guard.get_validators("output")
    assert isinstance(validator, SightlinePII)
    assert str(validator.on_fail_descriptor).lower().endswith("fix")


def test_guard_fixes_pii_with_placeholders() -> None:
    result = guard_text("Patient Maria Gonzalez (maria.g@gmail.com) bought Ray-Ban frames for $249.00.")
    assert result.text == "Patient <PERSON> (<EMAIL_ADDRESS>) bought Ray-Ban frames for $249.00."
    assert not result.passed
    assert result.types == ("EMAIL_ADDRESS", "PERSON")


def test_clean_answer_passes_unchanged() -> None:
    text = "We sold 42 Tom Ford frames in March; remakes were 3.2% with Rx up to -6.00 DS."
    result = guard_text(text)
    assert result.text == text and result.passed and result.types == ()


def test_guard_keeps_no_history_between_tenants() -> None:
    text = "Maria Gonzalez at 555-201-3344 bought the Oliver Peoples Gregory Peck in black."
    first = guard_text(text, tenant="tenant-a", tenant_allow=["Gregory Peck"])
    assert first.text == "<PERSON> at <PHONE_NUMBER> bought the Oliver Peoples Gregory Peck in black."
    guard = guard_mod._thread_guard()
    assert len(guard.history) == 0
    second = guard_text(text, tenant="tenant-b")  # tenant-a's allow-list must not carry over
    assert second.text == "<PERSON> at <PHONE_NUMBER> bought the Oliver Peoples <PERSON> in black."
    assert len(guard.history) == 0
    assert guard_mod._thread_guard() is guard


def test_tenant_allow_applies_only_to_the_call_that_passes_it() -> None:
    text = "The Oliver Peoples Gregory Peck in black sold out."
    assert guard_text(text, tenant_allow=["Gregory Peck"]).text == text
    assert guard_text(text).text == "The Oliver Peoples <PERSON> in black sold out."


def test_plain_guard_records_history_until_cleared() -> None:
    # what would happen without clear_history: guardrails keeps the raw output (up to 10 calls by default)
    guard = output_guard()
    outcome = guard.validate("Call 555-201-3344")
    assert outcome.validated_output == "Call <PHONE_NUMBER>"
    assert len(guard.history) == 1 and "555-201-3344" in str(guard.history[0].raw_outputs)
    clear_history(guard)
    assert len(guard.history) == 0


def test_each_thread_gets_its_own_guard_with_empty_history() -> None:
    seen: list[object] = []

    def work() -> None:
        guard_text("Kamau Otieno: +254 712 345 678")
        g = guard_mod._thread_guard()
        seen.append((id(g), len(g.history)))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({i for i, _ in seen}) == 2
    assert all(n == 0 for _, n in seen)


def test_telemetry_is_off_after_use() -> None:
    from guardrails import settings
    from guardrails.utils.hub_telemetry_utils import HubTelemetry

    guard_text("Hello")
    assert settings.rc.enable_metrics is False
    assert settings.disable_tracing is True
    assert HubTelemetry()._enabled is False
    assert guard_mod._thread_guard()._allow_metrics_collection is False


def test_guard_fails_closed_when_detection_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("detector down")

    monkeypatch.setattr(guard_mod, "redact", broken)
    result = guard_text("Maria Gonzalez, 555-201-3344")
    assert result.text == WITHHELD and not result.passed
    assert len(guard_mod._thread_guard().history) == 0
