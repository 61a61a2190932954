"""A headless Debian chromium driven by Playwright's sync API, for tests marked `browser`."""

import contextlib
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


# One lock for everything that runs statements on a shared in-memory SQLite connection: the
# live server's requests (whole, body included) and the test thread's own queries. Re-entrant,
# because a request's queries pass through the test thread's wrapper too (it is installed on
# the one shared connection object).
SHARED_CONNECTION = threading.RLock()


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time when it shares the test's database.

    On SQLite the test database is in memory, so every request thread uses the one
    connection the test thread hands over. Two requests at once (a page's heartbeat beside
    an answer's save) would run statements on it concurrently, and SQLite answers "bad
    parameter or other API misuse". Requests still get a thread each (keep-alive connections
    stay open), but the application runs, body included, under one lock. On PostgreSQL each
    request thread has its own connection and nothing is serialised.
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, connections_override=connections_override, **kwargs)
        self.shares_connection = bool(connections_override)

    def set_app(self, application):
        if not self.shares_connection:
            return super().set_app(application)

        def serialised(environ, start_response):
            with SHARED_CONNECTION:
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


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, started only once the test database exists.

    The server hands the test's in-memory SQLite connection to its request threads only if
    the database is already in memory when it starts. pytest sets up session fixtures
    first, so in a worker whose first database test is a browser test, pytest-django's own
    fixture would start the server before the test database and every request thread would
    open a connection of its own: two connections to one shared-cache memory database lock
    each other's tables ("database table is locked") whenever a page's background request
    meets the test's queries.
    """
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _test_shares_the_servers_connection(request):
    """The test thread queries through the live server's connection, one statement at a time.

    Two things go wrong otherwise on SQLite's shared in-memory test database:
    - Playwright's sync API keeps an event loop running in the test thread, so Django keeps
      this thread's connections as if it were async code, apart from the ones the server was
      handed: a second connection, whose queries lock tables against the server's requests
      ("database table is locked"). The test thread is given the server's connection back.
    - A page keeps talking to the server on its own (heartbeats, polling consoles, progress
      bars) while the test reads and writes: each of the test's statements waits for the
      request in hand to finish.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    from django.db import connections

    server = request.getfixturevalue("live_server")
    request.getfixturevalue("chromium")  # its event loop decides which storage is in use

    def one_at_a_time(execute, sql, params, many, context):
        with SHARED_CONNECTION:
            return execute(sql, params, many, context)

    with contextlib.ExitStack() as stack:
        for alias, connection in server.thread.connections_override.items():
            connections[alias] = connection
            stack.enter_context(connection.execute_wrapper(one_at_a_time))
        yield


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
