"""Chat-turn benchmark through the REST API (`POST /api/chat`, server-sent events) of `sightline serve --workers N`.

    python -m bench turns                          # 2 workers; 1 user per route, then 8, 32, 64 concurrent users
    python -m bench turns --workers 4 --users 32 --duration 30
    python -m bench turns --profile docs           # cProfile of warm turns in-process (same app, same route)

Setup: a throw-away embedded database with the demo tenants, one API key per tenant, the server started as a
subprocess with the rate limits raised (the limiter still runs: one bucket round trip per turn, as in production).
Each simulated user holds a widget token and keeps a conversation (a thread) for five turns, then starts a new one.

- 1 user: warm latency of a whole turn (request to the `final` event) per route, p50/p95 over `--turns` turns.
- N users: every user sends turns back to back for `--duration` seconds (routes mixed sql/docs/industry in equal
  parts); turns/s over the window, p50/p95 latency, errors (non-200, an `error` event, no `final`).

Targets on a 2-core machine (issue 13): SQL and docs p95 <= 150 ms at 1 user; >= 15 turns/s at 32 users with p95 <=
2 s and no errors. The load generator runs on the same cores as the server: the numbers include its cost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import bench_database, print_table

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = {
    "sql": ["How many frames did we sell in March 2025?", "What were our total sunglasses sales in June 2025?",
            "How many progressive lenses did we sell in 2025?", "Which store had the most sales in May 2025?",
            "How many contact lenses did we sell in April 2025?", "What was our revenue from lenses in 2025?"],
    "docs": ["What is our remake policy for varifocals?", "How long is the contact lens trial?",
             "What does our warranty cover?", "Can customers return frames, and within how many days?",
             "What do we check before opening a store?", "Who pays for a progressive lens remake?"],
    "industry": ["What is a typical remake rate for progressives?", "What share of eyewear revenue comes from "
                 "sunglasses across the industry?", "How common are contact lens wearers in the industry?",
                 "What is an average frame price across optical chains?"],
}
SERVER_ENV = {
    "SIGHTLINE_RATE_USER_PER_MIN": "1000000", "SIGHTLINE_RATE_TENANT_PER_MIN": "1000000",
    "SIGHTLINE_RATE_KEY_PER_MIN": "1000000", "SIGHTLINE_WIDGET_TOKEN_TTL_S": "3600", "SIGHTLINE_DEV_IDP": "off",
}


@dataclass
class Turn:
    route: str  # the route asked for
    answered: str  # the route the agent took
    seconds: float
    error: str = ""
    stages: dict = field(default_factory=dict)  # the agent's own latency_ms (route, tool, compose, guard, total)


@dataclass
class Users:
    base: str
    tokens: list[str]
    threads: dict[int, tuple[str, int]] = field(default_factory=dict)

    def thread(self, user: int) -> str:
        tid, used = self.threads.get(user, ("", 5))
        if used >= 5:
            tid, used = f"bench-{user}-{time.monotonic_ns()}", 0
        self.threads[user] = (tid, used + 1)
        return tid


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _ms(x: float) -> str:
    return f"{x * 1000:.0f}"


async def turn(client, users: Users, user: int, route: str, question: str) -> Turn:
    t0 = time.perf_counter()
    body = {"message": question, "thread_id": users.thread(user)}
    headers = {"Authorization": f"Bearer {users.tokens[user % len(users.tokens)]}"}
    answered, error, stages = "", "no final event", {}
    try:
        async with client.stream("POST", f"{users.base}/api/chat", json=body, headers=headers) as resp:
            if resp.status_code != 200:
                return Turn(route, "", time.perf_counter() - t0, f"HTTP {resp.status_code}")
            event = ""
            async for line in resp.aiter_lines():
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event in ("final", "error"):
                    data = json.loads(line[6:])
                    if event == "final":
                        answered, error, stages = str(data.get("route")), "", data.get("latency_ms") or {}
                    else:
                        error = f"error event: {data.get('error')}"
    except Exception as exc:  # noqa: BLE001 - a failed turn is counted, not fatal
        error = f"{type(exc).__name__}: {exc}"
    return Turn(route, answered, time.perf_counter() - t0, error, stages)


async def one_user(users: Users, n: int, route: str) -> list[Turn]:
    import httpx

    questions = QUESTIONS[route]
    async with httpx.AsyncClient(timeout=60) as client:
        for i in range(3):  # warm this route (and each worker's caches) first
            await turn(client, users, 0, route, questions[i % len(questions)])
        return [await turn(client, users, 0, route, questions[i % len(questions)]) for i in range(n)]


async def concurrent(users: Users, n_users: int, duration: float) -> tuple[list[Turn], float]:
    import httpx

    routes = list(QUESTIONS)
    done: list[Turn] = []
    limits = httpx.Limits(max_connections=n_users + 4, max_keepalive_connections=n_users + 4)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        start = time.perf_counter()
        stop = start + duration

        async def user(u: int) -> None:
            i = u
            while time.perf_counter() < stop:
                route = routes[i % len(routes)]
                questions = QUESTIONS[route]
                done.append(await turn(client, users, u, route, questions[(i // len(routes)) % len(questions)]))
                i += 1

        await asyncio.gather(*(user(u) for u in range(n_users)))
        elapsed = time.perf_counter() - start
    return done, elapsed


# --------------------------------------------------------------------------------------------------- server


def _tree_cpu(pid: int, children: bool = True) -> float:
    """CPU seconds (user + system) used so far by a process and (by default) its live children."""
    import psutil

    total = 0.0
    try:
        root = psutil.Process(pid)
        for p in [root, *(root.children(recursive=True) if children else [])]:
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return total


def cpu_now(server_pid: int) -> dict[str, float]:
    """CPU seconds so far of the app server (all workers), PostgreSQL (postmaster and backends) and this process.

    Unlike wall-clock latency, CPU per turn does not change when other programs compete for the cores, so it gives
    the machine's ceiling: cores / (app + database CPU per turn)."""
    from config import get_settings

    pid_file = get_settings().pgdata_dir / "postmaster.pid"
    pg = int(pid_file.read_text().split()[0]) if pid_file.is_file() else 0
    return {"app": _tree_cpu(server_pid), "db": _tree_cpu(pg) if pg else 0.0,
            "bench": _tree_cpu(os.getpid(), children=False)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workers: int, port: int) -> subprocess.Popen:
    env = {**os.environ, **SERVER_ENV}
    return subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers",
                             str(workers), "--no-demo"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def wait_ready(base: str, workers: int, proc: subprocess.Popen, timeout: float = 900) -> float:
    """Seconds until /readyz answered 200 on 4 x workers consecutive probes (each worker has warmed up)."""
    import httpx

    t0 = time.monotonic()
    streak = 0
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode()[-3000:]}")
        try:
            ok = httpx.get(f"{base}/readyz", timeout=5).status_code == 200
        except httpx.HTTPError:
            ok = False
        streak = streak + 1 if ok else 0
        if streak >= 4 * workers:
            return time.monotonic() - t0
        time.sleep(0.25 if ok else 1.0)
    raise SystemExit("server not ready in time")


def tokens(base: str) -> list[str]:
    """One widget token per demo user, minted with a fresh API key of each user's tenant."""
    import httpx

    from db import api_keys, registry
    from db.demo import DEMO_TENANTS

    out = []
    for t in DEMO_TENANTS:
        key, _ = api_keys.create_key(registry.get_tenant(t.slug).id, "bench")
        for email, _role in t.users:
            resp = httpx.post(f"{base}/api/widget-token", json={"email": email},
                              headers={"Authorization": f"Bearer {key}"}, timeout=30)
            resp.raise_for_status()
            out.append(resp.json()["token"])
    return out


def stop_server(proc: subprocess.Popen) -> None:
    import signal

    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


# --------------------------------------------------------------------------------------------------- profile


def profile(route: str, n: int) -> None:
    """cProfile of `n` warm turns of `route` through the same ASGI app in this process (no network hop)."""
    import cProfile
    import pstats

    import httpx

    from app import warmup
    from app.web import create_app

    for k, v in SERVER_ENV.items():
        os.environ[k] = v
    from config import reset_settings

    reset_settings()
    app = create_app()
    warmup.start()
    while not warmup.ready():
        time.sleep(0.2)

    async def run() -> tuple[list[Turn], cProfile.Profile]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1", timeout=60) as client:
            from db import api_keys, registry
            from db.demo import DEMO_TENANTS

            t = DEMO_TENANTS[0]
            key, _ = api_keys.create_key(registry.get_tenant(t.slug).id, "bench")
            resp = await client.post("/api/widget-token", json={"email": t.users[1][0]},
                                     headers={"Authorization": f"Bearer {key}"})
            users = Users("http://127.0.0.1", [resp.json()["token"]])
            qs = QUESTIONS[route]
            for i in range(5):
                await turn(client, users, 0, route, qs[i % len(qs)])
            prof = cProfile.Profile()
            prof.enable()
            done = [await turn(client, users, 0, route, qs[i % len(qs)]) for i in range(n)]
            prof.disable()
            return done, prof

    done, prof = asyncio.run(run())
    secs = [t.seconds for t in done if not t.error]
    print(f"\n{route}: {len(secs)} turns in-process, p50 {_ms(_pct(secs, 0.5))} ms, p95 {_ms(_pct(secs, 0.95))} ms, "
          f"errors {sum(1 for t in done if t.error)}")
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


# --------------------------------------------------------------------------------------------------- main


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench turns", description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="sightline serve --workers (default 2)")
    parser.add_argument("--users", default="8,32,64", help="concurrency levels (comma-separated)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per concurrency level")
    parser.add_argument("--turns", type=int, default=20, help="turns per route at 1 user")
    parser.add_argument("--profile", choices=sorted(QUESTIONS), help="profile ROUTE in-process instead")
    parser.add_argument("--json", dest="json_out", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    levels = [int(x) for x in args.users.split(",") if x.strip()]

    from app.cli import load_demo_everything
    from config import get_settings

    with bench_database("bench_turns"):
        t0 = time.monotonic()
        load_demo_everything(get_settings().demo_seed)
        from tools.industry_kb import qa_index

        qa_index()  # the knowledge index's on-disk cache, as a deployed data folder has it: workers load, not embed
        print(f"demo tenants and the industry knowledge cache loaded in {time.monotonic() - t0:.0f} s")
        if args.profile:
            profile(args.profile, args.turns)
            return
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_server(args.workers, port)
        try:
            ready = wait_ready(base, args.workers, proc)
            print(f"server with {args.workers} worker(s) ready in {ready:.0f} s")
            users = Users(base, tokens(base))
            results: dict = {"workers": args.workers, "cpus": os.cpu_count(), "one_user": {}, "concurrent": {}}
            per_route, route_cpu = {}, {}
            for route in QUESTIONS:
                cpu0 = cpu_now(proc.pid)
                per_route[route] = asyncio.run(one_user(users, args.turns, route))
                cpu1 = cpu_now(proc.pid)
                route_cpu[route] = {k: (cpu1[k] - cpu0[k]) * 1000 / (args.turns + 3) for k in cpu0}
            rows, stage_rows = [], []
            for route, turns in per_route.items():
                secs = [t.seconds for t in turns if not t.error]
                wrong = sum(1 for t in turns if not t.error and t.answered != route)
                errs = sum(1 for t in turns if t.error)
                c = route_cpu[route]
                rows.append([route, len(turns), _ms(_pct(secs, 0.5)), _ms(_pct(secs, 0.95)),
                             _ms(statistics.mean(secs)) if secs else "-", errs, wrong,
                             f"{c['app']:.0f} / {c['db']:.0f}"])
                ok = [t for t in turns if not t.error]
                med = {k: statistics.median(float(t.stages.get(k) or 0) for t in ok) if ok else 0.0
                       for k in ("route", "tool", "compose", "guard", "total")}
                outside = statistics.median(t.seconds * 1000 - float(t.stages.get("total") or 0) for t in ok) if ok \
                    else 0.0
                stage_rows.append([route, *(f"{med[k]:.0f}" for k in ("route", "tool", "compose", "guard", "total")),
                                   f"{outside:.0f}"])
                results.setdefault("stages_ms", {})[route] = {**med, "outside_agent": outside}
                results["one_user"][route] = {"n": len(turns), "p50_ms": _pct(secs, 0.5) * 1000,
                                              "p95_ms": _pct(secs, 0.95) * 1000, "errors": errs, "other_route": wrong,
                                              "cpu_ms_per_turn": c}
            print_table(f"1 user, warm turns ({args.workers} workers; load average {os.getloadavg()[0]:.1f})",
                        ["route", "turns", "p50 ms", "p95 ms", "mean ms", "errors", "answered by another route",
                         "CPU ms/turn app / db"], rows)
            for route, turns in per_route.items():
                examples = sorted({t.error for t in turns if t.error})[:3]
                if examples:
                    print(f"  {route}, errors such as: {'; '.join(examples)}")
            print_table("where a 1-user turn goes (medians, ms): the agent's stages, and the rest (identity, rate "
                        "limit, history writes, audit, output guard of the final event, SSE, HTTP)",
                        ["route", "route", "tool", "compose", "guard", "agent total", "outside the agent"],
                        stage_rows)
            rows = []
            for n in levels:
                users.tokens = tokens(base)
                cpu0 = cpu_now(proc.pid)
                done, elapsed = asyncio.run(concurrent(users, n, args.duration))
                cpu1 = cpu_now(proc.pid)
                cpu = {k: (cpu1[k] - cpu0[k]) * 1000 / max(1, len(done)) for k in cpu0}
                ceiling = (os.cpu_count() or 1) * 1000 / max(1e-9, cpu["app"] + cpu["db"] + cpu["bench"])
                secs = [t.seconds for t in done if not t.error]
                errors = [t.error for t in done if t.error]
                by_route = {r: _ms(_pct([t.seconds for t in done if t.route == r and not t.error], 0.95))
                            for r in QUESTIONS}
                rows.append([n, len(done), f"{len(secs) / elapsed:.1f}", _ms(_pct(secs, 0.5)), _ms(_pct(secs, 0.95)),
                             " / ".join(by_route.values()), len(errors), f"{cpu['app']:.0f} / {cpu['db']:.0f} / "
                             f"{cpu['bench']:.0f}", f"{ceiling:.1f}", f"{os.getloadavg()[0]:.1f}"])
                results["concurrent"][n] = {"turns": len(done), "seconds": elapsed, "turns_per_s": len(secs) / elapsed,
                                            "p50_ms": _pct(secs, 0.5) * 1000, "p95_ms": _pct(secs, 0.95) * 1000,
                                            "p95_ms_by_route": by_route, "errors": len(errors),
                                            "cpu_ms_per_turn": cpu, "cpu_ceiling_turns_per_s": ceiling,
                                            "error_examples": sorted(set(errors))[:3]}
            print_table(f"concurrent users, {args.duration:.0f} s each (routes mixed sql/docs/industry)",
                        ["users", "turns", "turns/s", "p50 ms", "p95 ms", "p95 ms sql/docs/industry", "errors",
                         "CPU ms/turn app / db / client", "CPU ceiling turns/s", "load avg"], rows)
            for n, r in results["concurrent"].items():
                if r["error_examples"]:
                    print(f"  {n} users, errors such as: {'; '.join(r['error_examples'])}")
            if args.json_out:
                args.json_out.write_text(json.dumps(results, indent=2, default=str) + "\n")
        finally:
            stop_server(proc)


if __name__ == "__main__":
    main(sys.argv[1:])
