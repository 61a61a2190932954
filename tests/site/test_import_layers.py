"""`make lint` keeps the apps' layers: an import against them fails lint-imports."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

APPS = (
    "organizations",
    "courses",
    "exams",
    "certificates",
    "reports",
    "gradebook",
    "privacy",
    "lti",
    "lms",
)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def copy_of_the_project(tmp_path: Path) -> Path:
    """The apps' Python files and pyproject.toml, to break without touching the real tree."""
    for app in APPS:
        shutil.copytree(
            ROOT / app,
            tmp_path / app,
            ignore=shutil.ignore_patterns("locale", "templates", "static", "__pycache__"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def project(tmp_path):
    if not LINT_IMPORTS.exists():
        pytest.fail("lint-imports is missing: install requirements-dev.txt")
    return copy_of_the_project(tmp_path)


def test_the_project_keeps_its_import_contracts(project):
    result = lint_imports(project)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_a_lower_app_importing_a_higher_one_breaks_the_layers(project):
    (project / "courses" / "leak.py").write_text("from certificates.models import Certificate\n")

    result = lint_imports(project)

    assert result.returncode != 0
    assert "courses.leak -> certificates.models" in result.stdout


def test_reaching_into_another_apps_views_is_forbidden(project):
    (project / "certificates" / "leak.py").write_text("from exams.views import staff\n")

    result = lint_imports(project)

    assert result.returncode != 0
    assert "certificates.leak -> exams.views" in result.stdout
