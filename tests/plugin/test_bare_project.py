"""The plugin apps install into a project that is not ours."""

import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.conf import settings

from tests.conftest import ROOT


def _database_url(tmp_path) -> tuple[str, callable]:
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        name = f"bare_{uuid.uuid4().hex[:10]}"
        dsn = dict(
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            user=db["USER"],
            dbname="postgres",
            autocommit=True,
        )
        with psycopg.connect(**dsn) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(**dsn) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return f"postgres://{db['USER']}@{dsn['host']}:{dsn['port']}/{name}", drop
    return f"sqlite:///{tmp_path / 'bare.sqlite3'}", lambda: None


@pytest.mark.django_db
def test_the_plugin_apps_migrate_and_enrol_in_a_bare_project(tmp_path):
    url, drop = _database_url(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.plugin.bare_settings",
        "BARE_DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
    }
    try:
        result = subprocess.run(
            [sys.executable, "tests/plugin/enrol_in_bare_project.py"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        drop()
    assert result.returncode == 0, result.stderr
    assert "status=completed progress=100" in result.stdout


def test_the_plugin_apps_never_import_the_site():
    offenders = []
    for app in ("organizations", "courses", "exams", "certificates"):
        for path in (ROOT / app).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "from lms" in text or "import lms" in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
