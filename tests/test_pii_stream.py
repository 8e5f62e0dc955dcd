"""Streaming redaction (safety.stream): a PII value split across many tiny chunks never reaches the output, not in
the concatenation and not in any single emitted piece."""

from __future__ import annotations

import asyncio
import random

import pytest

from safety.pii import get_engines, redact
from safety.stream import RedactingStream, aredact_stream, redact_stream

ANSWER = ("Thanks for waiting. Patient Maria Gonzalez (DOB 03/14/1985) can be reached at (555) 201-3344 or "
          "maria.gonzalez@gmail.com. She lives at 1234 Elm Street, Springfield, IL 62704, and her card "
          "4111 1111 1111 1111 is on file.\nHer Rx is OD -2.25 DS, PD 63, and the Ray-Ban frames cost $249.00. "
          "Her SSN 078-05-1120 was removed from the notes.")
VALUES = ["Maria Gonzalez", "03/14/1985", "(555) 201-3344", "maria.gonzalez@gmail.com",
          "1234 Elm Street, Springfield, IL 62704", "4111 1111 1111 1111", "078-05-1120"]


@pytest.fixture(scope="module", autouse=True)
def engines():
    return get_engines()


def _fragments(value: str, text: str, size: int = 5) -> set[str]:
    """Pieces of ``value`` long enough to identify it and absent from the rest of the text."""
    rest = text.replace(value, " ")
    return {value[i:i + size] for i in range(len(value) - size + 1)
            if any(c.isalnum() for c in value[i:i + size]) and value[i:i + size] not in rest}


def _stream(text: str, sizes: list[int]) -> list[str]:
    stream = RedactingStream()
    pieces, pos, i = [], 0, 0
    while pos < len(text):
        size = sizes[i % len(sizes)]
        pieces.append(stream.feed(text[pos:pos + size]))
        pos += size
        i += 1
    pieces.append(stream.flush())
    return pieces


@pytest.mark.parametrize("sizes", [[1], [2], [3], [1, 4, 2, 7], [13]])
def test_pii_split_across_tiny_chunks_never_leaks(sizes: list[int]) -> None:
    pieces = _stream(ANSWER, sizes)
    output = "".join(pieces)
    for value in VALUES:
        assert value not in output
        for piece in pieces:
            assert value not in piece
        for fragment in _fragments(value, ANSWER):
            assert fragment not in output, (value, fragment)
    # the safe parts come through untouched, and placeholders are whole
    assert "OD -2.25 DS, PD 63" in output and "Ray-Ban" in output and "$249.00" in output
    for placeholder in ("<PERSON>", "<DATE_OF_BIRTH>", "<PHONE_NUMBER>", "<EMAIL_ADDRESS>", "<ADDRESS>",
                        "<CREDIT_CARD>", "<US_SSN>"):
        assert placeholder in output
    assert all(p.count("<") == p.count(">") for p in pieces)


def test_random_chunkings_never_leak() -> None:
    rng = random.Random(7)
    for _ in range(15):
        sizes = [rng.randint(1, 6) for _ in range(50)]
        output = "".join(_stream(ANSWER, sizes))
        assert not any(v in output for v in VALUES)


def test_streamed_output_matches_whole_text_redaction() -> None:
    assert "".join(_stream(ANSWER, [3])) == redact(ANSWER).text


def test_text_is_released_sentence_by_sentence_before_flush() -> None:
    stream = RedactingStream()
    assert stream.feed("Call Maria") == ""  # held back: the name may continue
    assert stream.feed(" Gonzalez") == ""
    assert stream.feed(" today. ") == ""  # the next sentence has not started yet
    assert stream.feed("T") == "Call <PERSON> today."
    assert stream.feed("hanks!") == ""
    assert stream.flush() == " Thanks!"


def test_long_text_without_boundaries_is_released_but_not_inside_an_entity() -> None:
    words = " ".join(["frames"] * 80)
    text = f"{words} Maria Gonzalez {words} end"
    stream = RedactingStream(max_hold=200, lookahead=60)
    pieces = [stream.feed(text[i:i + 4]) for i in range(0, len(text), 4)] + [stream.flush()]
    assert sum(1 for p in pieces if p) > 2  # released before the end
    output = "".join(pieces)
    assert "Gonzalez" not in output and "<PERSON>" in output
    assert output == redact(text).text


def test_allow_list_and_tenant_flow_through() -> None:
    text = "The Oliver Peoples Gregory Peck in black sold out. Thaddeus Blackwood ordered one."
    out = "".join(redact_stream([text[i:i + 2] for i in range(0, len(text), 2)], allow=["Gregory Peck"]))
    assert out == "The Oliver Peoples Gregory Peck in black sold out. <PERSON> ordered one."


def test_async_stream_helper() -> None:
    async def chunks():
        for i in range(0, len(ANSWER), 3):
            yield ANSWER[i:i + 3]

    async def collect() -> str:
        return "".join([piece async for piece in aredact_stream(chunks())])

    output = asyncio.run(collect())
    assert output == redact(ANSWER).text


def test_a_closed_stream_refuses_more_text() -> None:
    stream = RedactingStream()
    stream.feed("Hello Maria Gonzalez.")
    assert stream.flush() == "Hello <PERSON>."
    assert stream.flush() == ""
    with pytest.raises(RuntimeError):
        stream.feed("more")
