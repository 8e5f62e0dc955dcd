"""Errors shown to clients: a generic message with a correlation id; the details go to the log under the same id.

Nothing a client sees on a failure carries exception text, SQL, stack frames or data (the message is fixed); an
operator finds the details by grepping the log for the id.
"""

from __future__ import annotations

import logging
import uuid

log = logging.getLogger("sightline.errors")

GENERIC = "Something went wrong on our side; nothing was changed. Reference: {cid}"


def new_correlation_id() -> str:
    return uuid.uuid4().hex[:16]


def report(where: str, exc: BaseException | None = None, detail: str = "") -> str:
    """Log a failure with a fresh correlation id (and the exception, when given); returns the id."""
    cid = new_correlation_id()
    if exc is not None:
        log.error("%s failed [correlation id %s] %s", where, cid, detail, exc_info=exc)
    else:
        log.error("%s failed [correlation id %s] %s", where, cid, detail)
    return cid


def client_message(cid: str) -> str:
    return GENERIC.format(cid=cid)
