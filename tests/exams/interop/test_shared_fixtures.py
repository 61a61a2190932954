"""The real-world files in ../shared/fixtures: a missing folder skips locally, fails in CI."""

import re
from pathlib import Path

import pytest

from tests import conftest

TESTS = Path(conftest.__file__).parent


def test_missing_shared_fixtures_fail_when_ci_is_true(monkeypatch, request, tmp_path):
    monkeypatch.setattr(conftest, "SHARED_FIXTURES", tmp_path / "absent")
    monkeypatch.setattr(conftest, "IN_CI", True)

    with pytest.raises(pytest.fail.Exception, match="absent .*required when CI=true"):
        request.getfixturevalue("shared_fixtures")


def test_missing_shared_fixtures_skip_outside_ci(monkeypatch, request, tmp_path):
    monkeypatch.setattr(conftest, "SHARED_FIXTURES", tmp_path / "absent")
    monkeypatch.setattr(conftest, "IN_CI", False)

    with pytest.raises(pytest.skip.Exception, match="absent"):
        request.getfixturevalue("shared_fixtures")


def test_every_test_reaches_the_shared_fixtures_through_the_fixture_and_never_skips():
    own_path = re.compile(r"""["']shared["']\s*/\s*["']fixtures["']|shared/fixtures""")
    quiet_skip = re.compile(r"if not [^\n]*is_dir\(\)[^\n]*:\s*\n\s*pytest\.skip\(")
    offenders = []
    for path in TESTS.rglob("*.py"):
        if path in (TESTS / "conftest.py", Path(__file__)):
            continue
        text = path.read_text(encoding="utf-8")
        if own_path.search(text) or ("shared_fixtures" in text and quiet_skip.search(text)):
            offenders.append(str(path.relative_to(TESTS)))

    assert offenders == []
