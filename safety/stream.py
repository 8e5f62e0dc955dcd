"""Streaming redaction: RedactingStream holds back streamed tokens until a sentence boundary makes them safe, so a
PII value split across chunks is never emitted (not even in part)."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator

# How much already-emitted raw text is kept as detection context for the next piece ("DOB:" before a date).
CONTEXT_CHARS = 120
# Without a sentence boundary, emit once this much is pending, keeping LOOKAHEAD_CHARS back.
MAX_HOLD_CHARS = 400
LOOKAHEAD_CHARS = 120


class RedactingStream:
    """Feed model tokens in, get redacted text out.

    ``feed(chunk)`` returns the redacted text that has become safe (often ""), ``flush()`` the rest at the end.
    Text is released only up to a sentence or line boundary whose next sentence has begun (or, for very long
    sentences, a whitespace at least LOOKAHEAD_CHARS before the newest text), and never inside a detected entity.
    Each released piece is redacted with the whole pending text plus recent context in view, so detection does not
    depend on how the model happened to split its tokens.
    """

    def __init__(self, *, tenant: str | None = None, allow: Iterable[str] | None = None,
                 max_hold: int = MAX_HOLD_CHARS, lookahead: int = LOOKAHEAD_CHARS) -> None:
        self._tenant = tenant
        self._allow = tuple(allow) if allow else ()
        self._max_hold = max_hold
        self._lookahead = lookahead
        self._pending = ""
        self._context = ""
        self._closed = False
        self.entities: list[tuple[str, int]] = []  # (type, offset in the raw stream) of everything redacted
        self._emitted_raw = 0

    @property
    def pending(self) -> int:
        """Number of raw characters held back so far."""
        return len(self._pending)

    def feed(self, chunk: str) -> str:
        """Add a chunk of model output; return the redacted text that is now safe to show."""
        if self._closed:
            raise RuntimeError("RedactingStream is closed; create a new one per answer")
        if not chunk:
            return ""
        self._pending += chunk
        cut = self._safe_cut()
        return self._release(cut) if cut > 0 else ""

    def flush(self) -> str:
        """End of the answer: redact and return everything still held back."""
        if self._closed:
            return ""
        self._closed = True
        out = self._release(len(self._pending), final=True) if self._pending else ""
        self._context = ""
        return out

    # -- internals ------------------------------------------------------------------------------------------------

    def _safe_cut(self) -> int:
        from safety.pii import _SENTENCE_END

        text = self._pending
        cut = 0
        for m in _SENTENCE_END.finditer(text):
            rest = text[m.end():]
            # the next sentence must have begun: boundary, whitespace, then a visible character
            stripped = rest.lstrip()
            if stripped and len(stripped) < len(rest) or (m.group() == "\n" and stripped):
                cut = m.end()
        if cut == 0 and len(text) > self._max_hold:
            limit = len(text) - self._lookahead
            space = max(text.rfind(" ", 0, limit), text.rfind("\n", 0, limit))
            cut = space + 1 if space > 0 else 0
        return cut

    def _release(self, cut: int, final: bool = False) -> str:
        from safety.pii import detect

        offset = len(self._context)
        text = self._context + self._pending
        entities = detect(text, tenant=self._tenant, allow=self._allow)
        end = offset + cut
        if not final:
            moved = True
            while moved:  # never cut through an entity: hold it back whole
                moved = False
                for e in entities:
                    if e.start < end < e.end:
                        end, moved = e.start, True
            if end <= offset:
                return ""
        parts, pos = [], offset
        for e in sorted(entities, key=lambda e: e.start):
            if e.end <= offset or e.start >= end:
                continue
            start = max(e.start, offset)  # an entity that began in already-released context: redact the rest
            parts.append(text[pos:start])
            parts.append(f"<{e.type}>")
            pos = min(e.end, end)
            self.entities.append((e.type, self._emitted_raw + start - offset))
        parts.append(text[pos:end])
        released = text[offset:end]
        self._emitted_raw += len(released)
        self._context = (self._context + released)[-CONTEXT_CHARS:]
        self._pending = text[end:]
        return "".join(parts)


def redact_stream(chunks: Iterable[str], *, tenant: str | None = None,
                  allow: Iterable[str] | None = None) -> Iterator[str]:
    """Redact a synchronous token stream, yielding non-empty safe pieces."""
    stream = RedactingStream(tenant=tenant, allow=allow)
    for chunk in chunks:
        piece = stream.feed(chunk)
        if piece:
            yield piece
    tail = stream.flush()
    if tail:
        yield tail


async def aredact_stream(chunks: AsyncIterable[str], *, tenant: str | None = None,
                         allow: Iterable[str] | None = None) -> AsyncIterator[str]:
    """Redact an async token stream (LangGraph/Chainlit), yielding non-empty safe pieces.

    Detection runs inline (a few ms per released sentence); callers with a busy event loop can wrap ``feed`` in
    ``asyncio.to_thread`` instead.
    """
    stream = RedactingStream(tenant=tenant, allow=allow)
    async for chunk in chunks:
        piece = stream.feed(chunk)
        if piece:
            yield piece
    tail = stream.flush()
    if tail:
        yield tail
