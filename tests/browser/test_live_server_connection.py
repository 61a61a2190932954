"""The browser tests' own plumbing: on SQLite the test thread and the live server use one
connection, so a page's background requests cannot lock tables against the test's queries."""

import pytest
from django.db import connections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_test_thread_queries_through_the_live_servers_connection(browser_page, live_server):
    shared = live_server.thread.connections_override
    if connections["default"].vendor != "sqlite":
        pytest.skip("on PostgreSQL every thread has a connection of its own")
    assert set(shared) == {"default"}, "the server was started before the in-memory database"
    assert connections["default"] is shared["default"]
    # The page's requests and this thread's statements take turns.
    assert connections["default"].execute_wrappers
