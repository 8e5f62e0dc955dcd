"""`sightline serve --workers 2` on the real embedded PostgreSQL: two uvicorn worker processes that share only the
database each warm up and answer, a REST chat turn streams its final event, the chat UI is configured for the
websocket transport only (one socket.io session = one connection = one worker), and SIGTERM stops every process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from db import api_keys, registry
from tests.notify_receivers import free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_two_workers_warm_up_answer_and_stop_together(demo) -> None:
    from tools.industry_kb import qa_index

    qa_index()  # the knowledge index's cache in the data folder: the workers' warm-up loads it instead of embedding
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SIGHTLINE_DEV_IDP": "off", "SIGHTLINE_WEB_WORKERS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "2",
                             "--no-demo"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        streak, deadline = 0, time.monotonic() + 900
        while streak < 8 and time.monotonic() < deadline:  # 8 readiness answers in a row: both workers are warm
            assert proc.poll() is None, proc.stderr.read().decode()[-3000:]
            try:
                streak = streak + 1 if httpx.get(f"{base}/readyz", timeout=5).status_code == 200 else 0
            except httpx.HTTPError:
                streak = 0
            time.sleep(0.2 if streak else 1.0)
        assert streak >= 8, "the workers did not become ready"
        workers = [p for p in psutil.Process(proc.pid).children(recursive=True) if "spawn_main" in " ".join(
            p.cmdline())]
        assert len(workers) == 2, [p.cmdline() for p in psutil.Process(proc.pid).children(recursive=True)]

        tenant = registry.get_tenant("northwind")
        key, _ = api_keys.create_key(tenant.id, "workers test")
        token = httpx.post(f"{base}/api/widget-token", json={"email": "noah@northwind-optics.example"},
                           headers={"Authorization": f"Bearer {key}"}, timeout=60).json()["token"]
        finals = []
        for _ in range(4):  # consecutive connections land on either worker; every one answers
            with httpx.stream("POST", f"{base}/api/chat", json={"message": "How many frames did we sell in "
                              "March 2025?"}, headers={"Authorization": f"Bearer {token}"}, timeout=300) as resp:
                assert resp.status_code == 200
                lines = list(resp.iter_lines())
            data = [json.loads(ln[6:]) for ln in lines if ln.startswith("data: ")]
            finals += [d for d in data if d.get("type") == "final"]
        assert len(finals) == 4 and {f["route"] for f in finals} == {"sql"}

        page = httpx.get(f"{base}/", timeout=60).text
        assert 'window.transports = ["websocket"]' in page  # the chat UI: no long-polling hops between workers
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(90)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert all(not p.is_running() or p.status() == psutil.STATUS_ZOMBIE for p in workers)
