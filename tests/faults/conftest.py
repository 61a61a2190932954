"""Fixtures of the fault tests: PostgreSQL only, private servers, shared media, workers."""

import socket
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import require
from tests.faults.servers import Budget, PrivateRedis
from tests.faults.workers import sending_to

# Each fault test is bounded: its waits share this allowance (setup and teardown aside).
BUDGET_SECONDS = 120

ON_SQLITE_REASON = (
    "fault tests run on PostgreSQL only: their worker and web processes share the test "
    "database, and their races need row locks (SQLite's test database is in memory); run "
    "with DATABASE_URL=postgres://… (the PostgreSQL run of `make test` covers them)"
)


def _database_reachable(db: dict) -> bool:
    host, port = db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session", autouse=True)
def _postgres_only():
    """Skip on SQLite (always: that run is not meant to cover these); PostgreSQL must answer."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(ON_SQLITE_REASON)
    require(
        _database_reachable(db),
        f"PostgreSQL is not reachable on {db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}",
    )


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """One MEDIA_ROOT shared by the test and the worker processes it starts."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def private_redis(tmp_path):
    """A private redis-server (no persistence) on a free port; stopped after the test."""
    server = PrivateRedis(tmp_path / "redis").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def broker(private_redis):
    """The test process sends its tasks to the private Redis (db 0)."""
    with sending_to(private_redis.url(0)):
        yield private_redis


@pytest.fixture
def budget() -> Budget:
    return Budget(BUDGET_SECONDS)
