"""The browser test stack shared by the four browser test files (tests/test_{e2e,console,portal,monitor}_browser.py;
a helper module, not a test module itself).

- `app_stack(prefix, env=..., sidecars=..., ready=...)`: the real app (`uvicorn app.web:create_app`) and the dev
  identity provider as subprocesses, each on a free 127.0.0.1 port, on this test module's embedded database (plus
  sidecar processes such as `sightline worker`); yields a `Stack` with their URLs, `start()` for more processes, and
  a `state` dict for what fixtures and earlier tests leave for later ones. Logs go to test-artifacts/<prefix>-*.log;
  every process is stopped at the end.
- `chromium()`: Debian Chromium driven by playwright with the project's flags (never `playwright install`).
- `new_page`, `sign_in`, `signed_in_page`: a page, the full OAuth redirect sign-in through the dev provider.
- `Chat`: a page on the Chainlit chat that knows when its socket is connected, asks and waits for answers.
- `screenshot(page, name)` and `screenshots_on_failure`: pictures of the pages in test-artifacts/.
"""

from __future__ import annotations

import functools
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

from app.dev_idp import oauth_env
from config import get_settings

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 1000}
ANSWER_TIMEOUT_MS = 240_000  # the first turn loads the embedding model, presidio and the guard on 2 CPU cores
WORKER = [sys.executable, "-m", "app.cli", "worker", "--slots", "1"]  # the training job worker, a sidecar


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    """Wait until `url` answers (any status below 400), failing early when `proc` has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=3):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@dataclass
class Stack:
    """The running stack: base URLs (`app`, `idp`, and any added to `urls`), its processes and logs."""

    prefix: str
    env: dict[str, str]
    urls: dict[str, str]
    state: dict[str, Any] = field(default_factory=dict)  # what fixtures and earlier tests leave for later ones
    procs: list[subprocess.Popen] = field(default_factory=list)
    logs: list[IO[str]] = field(default_factory=list)

    @property
    def app(self) -> str:
        return self.urls["app"]

    @property
    def idp(self) -> str:
        return self.urls["idp"]

    def reserve(self, name: str) -> int:
        """A free 127.0.0.1 port for one more server of the stack, recorded as `urls[name]`."""
        port = free_port()
        self.urls[name] = f"http://127.0.0.1:{port}"
        return port

    def start(self, name: str, args: list[str], extra_env: Mapping[str, str] | None = None) -> subprocess.Popen:
        """Start a process in the repository root with the stack's environment; its output goes to
        test-artifacts/<prefix>-<name>.log. It is stopped with the stack."""
        log = open(ARTIFACTS / f"{self.prefix}-{name}.log", "w")  # noqa: SIM115 - closed when the stack stops
        self.logs.append(log)
        proc = subprocess.Popen(args, cwd=ROOT, env={**self.env, **(extra_env or {})}, stdout=log,
                                stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def stop(self, timeout: float = 20) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in self.logs:
            log.close()


@contextmanager
def app_stack(prefix: str, *, env: Mapping[str, str] | None = None, sidecars: Mapping[str, list[str]] | None = None,
              ready: str = "/healthz", ready_timeout: float = 300) -> Iterator[Stack]:
    """The dev identity provider and the app (with `env` added to this process's environment, any OAUTH_* of it
    replaced by the dev provider's), plus `sidecars` (name -> argv), on this module's database. Yields once the
    provider answers and the app answers `ready` (`/readyz` waits for the chat models to warm up)."""
    s = get_settings()
    ARTIFACTS.mkdir(exist_ok=True)
    urls = {name: f"http://127.0.0.1:{free_port()}" for name in ("idp", "app")}
    base = {k: v for k, v in os.environ.items() if not k.startswith("OAUTH_")}
    base.update(SIGHTLINE_DATA_DIR=str(s.data_dir), SIGHTLINE_DATABASE=s.database_name, **oauth_env(urls["idp"]))
    stack = Stack(prefix=prefix, env={**base, **(env or {})}, urls=urls)
    try:
        idp = stack.start("idp", [sys.executable, "-m", "app.dev_idp", "--port", urls["idp"].rsplit(":", 1)[1]])
        app = stack.start("app", [sys.executable, "-m", "uvicorn", "app.web:create_app", "--factory", "--host",
                                  "127.0.0.1", "--port", urls["app"].rsplit(":", 1)[1]])
        for name, args in (sidecars or {}).items():
            stack.start(name, args)
        wait_http(f"{urls['idp']}/.well-known/openid-configuration", 60, idp)
        wait_http(f"{urls['app']}{ready}", ready_timeout, app)
        yield stack
    finally:
        stack.stop()


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium (playwright Browser), closed at the end."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: apt-get install -y chromium (make test does this)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Any, *, viewport: dict | None = None, accept_downloads: bool = False) -> Any:
    """A page in a fresh browser context (its own cookies), with a 60 s default timeout."""
    context = browser.new_context(viewport=viewport or VIEWPORT, accept_downloads=accept_downloads)
    context.set_default_timeout(60_000)
    return context.new_page()


def sign_in(page: Any, stack: Stack, email: str, *, expect_ok: bool = True) -> None:
    """The full OAuth redirect: the app's login button, the provider's own page, pick the user, back to the app."""
    page.goto(stack.app)
    page.get_by_role("button", name=re.compile("Sightline-dev", re.I)).click()
    page.wait_for_url(f"{stack.idp}/**")  # the provider's own page: a real redirect
    page.get_by_role("button", name=email, exact=True).click()
    if expect_ok:
        page.wait_for_url(re.compile(re.escape(stack.app) + r"/(thread/.*)?$"))


@contextmanager
def signed_in_page(stack: Stack, email: str, **page_options: Any) -> Iterator[Any]:
    """A Chromium page signed in as `email` (one browser, closed at the end)."""
    with chromium() as browser:
        page = new_page(browser, **page_options)
        sign_in(page, stack, email)
        yield page


def screenshot(page: Any, name: str) -> None:
    """test-artifacts/<name>.png, the whole page."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def screenshots_on_failure(test: Callable) -> Callable:
    """Save a screenshot of every open page of the test's browser (its `browser` argument, or the browser of its
    `page` argument) into test-artifacts/<test name>-<context>-<page>.png when the test fails, then re-raise."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):  # noqa: ANN202
        try:
            return test(*args, **kwargs)
        except BaseException:
            browser = kwargs.get("browser")
            if browser is None and kwargs.get("page") is not None:
                browser = kwargs["page"].context.browser
            for i, ctx in enumerate(browser.contexts if browser is not None else []):
                for j, pg in enumerate(ctx.pages):
                    try:
                        screenshot(pg, f"{test.__name__}-{i}-{j}")
                    except Exception:  # noqa: BLE001 - a closed page must not hide the real failure
                        pass
            raise

    return wrapper


class Chat:
    """A browser page on the chat app, with the socket.io packets it sent (to wait for `connection_successful`)."""

    def __init__(self, browser: Any, stack: Stack, viewport: dict | None = None) -> None:
        self.stack = stack
        self.page = new_page(browser, viewport=viewport)
        self.context = self.page.context
        self.frames: list[str] = []
        # socket.io sends its first packets by HTTP long-polling, then upgrades to a websocket: watch both.
        self.page.on("websocket", lambda ws: ws.on("framesent", lambda payload: self.frames.append(str(payload))))
        self.page.on("request", self._polled)

    def _polled(self, request: Any) -> None:
        if "/ws/socket.io/" in request.url and request.method == "POST":
            self.frames.append(request.post_data or "")

    def wait_connected(self, timeout_s: float = 60) -> None:
        """The input box appears before the socket connects: wait for the client's connection_successful frame."""
        deadline = time.monotonic() + timeout_s
        while not any("connection_successful" in f for f in self.frames):
            if time.monotonic() > deadline:
                raise TimeoutError("no connection_successful frame")
            self.page.wait_for_timeout(100)

    def sign_in(self, email: str, expect_ok: bool = True) -> None:
        sign_in(self.page, self.stack, email, expect_ok=expect_ok)
        if expect_ok:
            self.wait_connected()

    def answers(self) -> int:
        return self.page.locator("button.positive-feedback-off, button.positive-feedback-on").count()

    def ask(self, question: str) -> None:
        before = self.answers()
        self.page.locator("#chat-input").fill(question)
        self.page.keyboard.press("Enter")
        deadline = time.monotonic() + ANSWER_TIMEOUT_MS / 1000
        while self.answers() <= before or self.page.locator("#stop-button").count():
            if time.monotonic() > deadline:
                raise TimeoutError(f"no answer to {question!r}")
            self.page.wait_for_timeout(200)

    def text(self) -> str:
        return self.page.inner_text("body")

    def close(self) -> None:
        self.context.close()
