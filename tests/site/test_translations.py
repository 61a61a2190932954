"""English and Simplified Chinese ship complete: every message of every app is translated."""

import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, require_binary

CATALOGUES = sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))
APPS = [
    "lms",
    "organizations",
    "courses",
    "exams",
    "certificates",
    "lti",
    "reports",
    "gradebook",
    "privacy",
]


def test_every_app_has_a_chinese_catalogue():
    assert sorted(p.parts[-5] for p in CATALOGUES) == sorted(APPS)


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-5])
def test_the_chinese_catalogue_is_complete_and_valid(po: Path):
    msgfmt = require_binary("msgfmt")
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-5])
def test_the_compiled_catalogue_is_shipped(po: Path):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run make messages"


def test_djangos_empty_choice_label_is_chinese_too():
    """Django 6.1's own label for an empty choice, which its catalogue leaves in English."""
    from django.db.models.fields import BLANK_CHOICE_LABEL
    from django.utils import translation

    with translation.override("zh-hans"):
        assert str(BLANK_CHOICE_LABEL) == "- 请选择 -"
