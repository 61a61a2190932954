"""A headless Debian chromium driven by Playwright's sync API, for tests marked `browser`."""

import os
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from tests.conftest import require

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run
# beside it ("You cannot call this from an async context") without this switch.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time when it shares the test's database.

    On SQLite the test database is in memory, so every request thread uses the one
    connection the test thread hands over. Two requests at once (a page's heartbeat beside
    an answer's save) then run statements on it concurrently, and SQLite answers "bad
    parameter or other API misuse". Requests still get a thread each (keep-alive connections
    stay open), but the application runs, body included, under one lock. On PostgreSQL each
    request thread has its own connection and nothing is serialised.
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, connections_override=connections_override, **kwargs)
        self.shares_connection = bool(connections_override)
        self.one_at_a_time = threading.Lock()

    def set_app(self, application):
        if not self.shares_connection:
            return super().set_app(application)

        def serialised(environ, start_response):
            with self.one_at_a_time:
                response = application(environ, start_response)
                try:
                    # Streamed bodies (CSV exports) read the database as they are sent.
                    body = b"".join(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()
            return [body]

        return super().set_app(serialised)


LiveServerThread.server_class = OneRequestAtATimeServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


# Module scope: Playwright's sync API keeps an event loop running in this thread while it is
# open, and code that calls asyncio.run() (pyHanko signing) fails in later tests if it stays.
@pytest.fixture(scope="module")
def chromium():
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing: install Debian's chromium package")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the environment
        require(False, "the playwright Python package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    # The site's Content-Security-Policy is enforced: anything it blocks (an inline script,
    # style or handler) is reported on the console, and fails the test.
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not blocked, f"The page's CSP blocked: {blocked}"
