"""Browser tests: the app served from a thread, Debian's Chromium driven by Playwright.

The e2e database is separate from the integration one and really committed to, because the
server thread and the test talk to it through different connections.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from werkzeug.serving import make_server

from inspection.extensions import db
from tests.conftest import make_test_app, recreate_database, url_of_test_database

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-sandbox",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def e2e_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    url = url_of_test_database()
    url = url.set(database=f"{url.database}_e2e")
    recreate_database(url)
    app = make_test_app(url, tmp_path_factory)
    with app.app_context():
        upgrade()
    return app


class Outage:
    """No signal, made at the server: while down, every /api/ request fails as a dead network
    would look to the phone (503, no JSON naming anything), whoever sends it — the page, or the
    service worker, whose requests a browser-side route does not always see."""

    def __init__(self, app) -> None:
        self.app = app
        self.is_down = threading.Event()

    def __call__(self, environ, start_response):
        if self.is_down.is_set() and environ.get("PATH_INFO", "").startswith("/api/"):
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"no signal"]
        return closed_when_done(self.app(environ, start_response))

    @contextmanager
    def down(self) -> Iterator[None]:
        self.is_down.set()
        try:
            yield
        finally:
            self.is_down.clear()


def closed_when_done(body: Iterable[bytes]) -> Iterator[bytes]:
    """Yield the response body and close it, even when the browser hung up midway.

    Werkzeug's dev server closes a response only after draining the socket, and that draining
    raises on a connection the browser has already reset, so a static file stayed open until
    the garbage collector found it: a ResourceWarning that failed whichever test was running
    then. A generator's finally also runs when the generator itself is collected.
    """
    try:
        yield from body
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()


@pytest.fixture(scope="session")
def outage_switch(e2e_app: Flask) -> Outage:
    return Outage(e2e_app)


@pytest.fixture
def outage(outage_switch: Outage) -> Iterator[Outage]:
    yield outage_switch
    outage_switch.is_down.clear()


@pytest.fixture(scope="session")
def live_server(e2e_app: Flask, outage_switch: Outage) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, outage_switch, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    with e2e_app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium.")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def phone(playwright: Playwright, browser: Browser) -> Iterator[BrowserContext]:
    """A Pixel 7 in Chinese, at the Urumqi ring road, with geolocation allowed."""
    context = browser.new_context(
        **playwright.devices["Pixel 7"],
        locale="zh-CN",
        geolocation={"longitude": 87.6168, "latitude": 43.8256, "accuracy": 8},
        permissions=["geolocation"],
    )
    yield context
    context.close()


@pytest.fixture
def page(phone: BrowserContext) -> Page:
    return phone.new_page()


def screenshot(page: Page, name: str) -> Path:
    """Save a screenshot under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
