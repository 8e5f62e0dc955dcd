"""Start-up warm-up: load the heavy parts of a chat turn (the router's embeddings, the industry knowledge index,
presidio + spaCy, the output guard) in a background thread, once per web worker process, so the first turn does not
stall the event loop (and with it every open chat socket); `ready()` tells /readyz when it is done."""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger(__name__)
_done = threading.Event()
_started = threading.Lock()
_thread: threading.Thread | None = None


def _warm() -> None:
    t0 = time.perf_counter()
    try:
        from agents.router import get_router
        from safety import redact
        from safety.guard import guard_text

        get_router().route("How many frames did we sell last month?")
        from tools.industry_kb import aggregate_index, qa_index

        qa_index()  # the industry knowledge passages' vectors (from the data dir's cache, or embedded once)
        aggregate_index()  # and the pooled aggregates' sentences (re-embedded only when the aggregates change)
        redact("Call Maria Gonzalez at 555-201-3344.")
        guard_text("Call Maria Gonzalez at 555-201-3344.", tenant="warm-up")
        log.info("warm-up done in %.1f s", time.perf_counter() - t0)
    except Exception:  # noqa: BLE001 - the first turn then loads these itself (slower), and reports any real error
        log.exception("warm-up failed; the first chat turn will load the models itself")
    finally:
        _done.set()


def start() -> None:
    """Begin warming up (once per process) without blocking the caller."""
    global _thread
    with _started:
        if _thread is None:
            _thread = threading.Thread(target=_warm, name="sightline-warm-up", daemon=True)
            _thread.start()


def ready() -> bool:
    return _done.is_set()
