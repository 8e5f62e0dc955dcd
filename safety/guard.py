"""The guardrails-ai output guard: the locally registered ``sightline/pii`` validator (presidio redaction,
on_fail="fix") and per-thread Guards that send no telemetry and keep no raw output between calls."""

from __future__ import annotations

import config  # noqa: F401  (offline switches before guardrails/litellm import)

# isort: split

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


def _import_guardrails_offline() -> None:
    """Import guardrails without its import-time ``nltk.download("punkt")`` (a network call when punkt is absent).

    guardrails only needs punkt for sentence-chunked streaming validation, which this guard does not use.
    """
    try:
        import nltk
    except ImportError:  # guardrails then skips the download itself
        nltk = None
    original = getattr(nltk, "download", None)
    if nltk is not None:
        nltk.download = lambda *args, **kwargs: False
    try:
        import guardrails  # noqa: F401
    finally:
        if nltk is not None:
            nltk.download = original


_import_guardrails_offline()

from guardrails import Guard, OnFailAction  # noqa: E402
from guardrails import settings as gr_settings  # noqa: E402
from guardrails.utils.hub_telemetry_utils import HubTelemetry  # noqa: E402
from guardrails.validator_base import Validator, register_validator  # noqa: E402
from guardrails_ai.types import ErrorSpan, FailResult, PassResult, ValidationResult  # noqa: E402

from safety.pii import redact  # noqa: E402

VALIDATOR_NAME = "sightline/pii"
# What the user sees if the guard itself fails: never the unchecked text.
WITHHELD = "[This answer was withheld because it could not be checked for personal data.]"


def disable_guardrails_telemetry() -> None:
    """Switch off guardrails' hub metrics and its OpenTelemetry spans (which would carry raw outputs).

    guardrails 0.11 reads ``enable_metrics`` only from ~/.guardrailsrc (default: on) and every ``Guard()`` reloads
    that file, so this runs after each Guard is built and before each call. ``GUARDRAILS_ENABLE_METRICS`` is not read.
    """
    gr_settings.rc.enable_metrics = False
    gr_settings.disable_tracing = True
    gr_settings.use_server = False
    HubTelemetry()._enabled = False


@register_validator(name=VALIDATOR_NAME, data_type="string")
class SightlinePII(Validator):
    """Fails on any PII presidio finds; the fix value is the text with ``<TYPE>`` placeholders.

    ``allow``: names that must survive (tenant catalog). Per call, ``metadata={"tenant": ..., "tenant_allow": [...]}``
    adds the calling tenant's allow-list, so one validator instance serves any tenant without keeping either.
    """

    def __init__(self, allow: Iterable[str] | None = None, on_fail: str | OnFailAction = OnFailAction.FIX,
                 **kwargs: Any) -> None:
        super().__init__(on_fail=on_fail, **kwargs)
        self._allow = tuple(allow or ())

    def _validate(self, value: Any, metadata: dict[str, Any]) -> ValidationResult:
        allow = [*self._allow, *(metadata.get("tenant_allow") or ())]
        result = redact(str(value), tenant=metadata.get("tenant"), allow=allow)
        if not result.entities:
            return PassResult()
        return FailResult(
            error_message="personal data removed: " + ", ".join(sorted(result.types)),  # types only, never values
            fix_value=result.text,
            error_spans=[ErrorSpan(start=e.start, end=e.end, reason=e.type) for e in result.entities],
        )


def output_guard(*, allow: Iterable[str] | None = None) -> Guard:
    """A new Guard with the ``sightline/pii`` validator (on_fail="fix"), metrics off, history of one call at most.

    Call ``clear_history(guard)`` after each use (``guard_text`` does) so no raw output outlives its call.
    """
    guard = Guard(name="sightline-output-pii", history_max_length=1, use_server=False)
    guard.configure(allow_metrics_collection=False)
    disable_guardrails_telemetry()
    guard.use(SightlinePII(allow=allow, on_fail=OnFailAction.FIX))
    return guard


def clear_history(guard: Guard) -> None:
    """Drop every recorded call (raw model output included). ``history_max_length=0`` does not work in 0.11: the
    constructor turns 0 into 10 and ``Stack`` treats a max length of 0 as unbounded."""
    guard.history.clear()


@dataclass(frozen=True)
class GuardResult:
    """What the output node shows (``text``) and whether anything had to be removed."""

    text: str
    passed: bool
    types: tuple[str, ...] = ()


_local = threading.local()


def _thread_guard() -> Guard:
    guard = getattr(_local, "guard", None)
    if guard is None:
        guard = output_guard()
        _local.guard = guard
    return guard


def guard_text(text: str, *, tenant: str | None = None, tenant_allow: Iterable[str] | None = None) -> GuardResult:
    """Run the output guard on one answer (or row, or snippet) for one tenant and return the safe text.

    One Guard per thread, history cleared after every call: nothing of this tenant's output is left for the next.
    If the guard itself errors, the answer is withheld rather than shown unchecked.
    """
    guard = _thread_guard()
    disable_guardrails_telemetry()
    try:
        outcome = guard.validate(text, metadata={"tenant": tenant, "tenant_allow": list(tenant_allow or ())})
    except Exception:  # noqa: BLE001 - fail closed
        return GuardResult(text=WITHHELD, passed=False, types=("ERROR",))
    finally:
        clear_history(guard)
    validated = outcome.validated_output
    if not isinstance(validated, str):
        return GuardResult(text=WITHHELD, passed=False, types=("ERROR",))
    types = sorted({span.reason for summary in (outcome.validation_summaries or [])
                    for span in (summary.error_spans or []) if span.reason})
    return GuardResult(text=validated, passed=bool(outcome.validation_passed) and not types, types=tuple(types))
