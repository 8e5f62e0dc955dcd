"""Offline proof for the PII guard stack: importing and running presidio/spaCy, guardrails, litellm and tldextract
makes no DNS lookup or connection outside loopback (an audit hook fails any attempt)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Runs in a fresh interpreter so import-time network calls (nltk's punkt download inside guardrails, litellm's model
# cost map, tldextract's suffix list) are caught too.
SCRIPT = r"""
import json, os, sys

attempts = []

def _report(what):
    attempts.append(what)
    os.write(2, f"NETWORK ATTEMPT: {what}\n".encode())

def hook(event, args):
    if event == "socket.connect":
        addr = args[1]
        if not isinstance(addr, tuple):
            return  # unix socket
        host = str(addr[0])
        if host.startswith("127.") or host in ("::1", "localhost"):
            return
        _report(f"connect {addr}")
        raise ConnectionRefusedError(f"network blocked by test: {addr}")
    if event == "socket.getaddrinfo":
        host = args[0]
        if isinstance(host, bytes):
            host = host.decode()
        if host in (None, "", "localhost", "127.0.0.1", "::1"):
            return
        _report(f"getaddrinfo {host}")
        raise OSError(f"DNS blocked by test: {host}")
    if event == "urllib.Request":
        _report(f"urllib {args[0]}")

sys.addaudithook(hook)

import config  # noqa: F401
from safety.pii import redact
from safety.guard import guard_text
import litellm  # noqa: F401
import tldextract

redacted = redact("Patient Maria Gonzalez, maria.g@gmail.com, (555) 201-3344.").text
guarded = guard_text("Call Maria Gonzalez at 555-201-3344.", tenant="t1").text
suffix = tldextract.extract("shop.example.co.uk").suffix

from guardrails.utils.hub_telemetry_utils import HubTelemetry
provider = HubTelemetry()._tracer_provider
if provider is not None:
    provider.force_flush()  # would export queued hub spans now, if any had been recorded

print(json.dumps({"redacted": redacted, "guarded": guarded, "suffix": suffix, "attempts": attempts}))
"""


def test_redaction_and_guard_make_no_network_calls() -> None:
    proc = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["attempts"] == []
    assert "NETWORK ATTEMPT" not in proc.stderr
    assert result["redacted"] == "Patient <PERSON>, <EMAIL_ADDRESS>, <PHONE_NUMBER>."
    assert result["guarded"] == "Call <PERSON> at <PHONE_NUMBER>."
    assert result["suffix"] == "co.uk"


def test_in_process_calls_work_with_sockets_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    from safety.guard import guard_text
    from safety.pii import redact

    redact("warm up Jane Doe")  # build the engine first; the blocked part is the calls themselves
    calls: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        calls.append(address)
        raise ConnectionRefusedError(f"blocked: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    assert redact("Email jane.doe@example.com").text == "Email <EMAIL_ADDRESS>"
    assert guard_text("Call 555-201-3344 about the Oakley order.").text == "Call <PHONE_NUMBER> about the Oakley order."
    assert calls == []
