"""Personas and small builders shared by every test module."""

import os
import shutil
import socket
from pathlib import Path

import pytest

from tests import factories

ROOT = Path(__file__).resolve().parent.parent
SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures"
IN_CI = os.environ.get("CI") == "true"


def require(condition: bool, reason: str) -> None:
    """Skip when a service or tool is missing, but fail in CI where it must be there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


SERVICE_PORTS = {"postgres": 5432, "redis": 6379, "rabbitmq": 5672}


def service_up(name: str) -> bool:
    """True when the local service answers on its usual port."""
    try:
        with socket.create_connection(("127.0.0.1", SERVICE_PORTS[name]), timeout=2):
            return True
    except OSError:
        return False


def require_binary(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} is not installed (Debian package; see bin/system-packages)")
    return path


@pytest.fixture
def shared_fixtures() -> Path:
    """The real-world sample files in ../shared/fixtures: skipped without them, failed in CI."""
    require(SHARED_FIXTURES.is_dir(), f"shared fixtures folder {SHARED_FIXTURES} is absent")
    return SHARED_FIXTURES


@pytest.fixture
def school(db):
    return factories.organization(kind="school", code="school")


@pytest.fixture
def enterprise(db):
    return factories.organization(kind="enterprise", code="enterprise")


@pytest.fixture
def government(db):
    return factories.organization(kind="government", code="government")


@pytest.fixture
def student(school):
    return factories.person(
        "student", school, "student", name_native="张伟", name_latin="Zhang Wei"
    )


@pytest.fixture
def other_student(school):
    return factories.person("other", school, "student", name_native="李雷", name_latin="Li Lei")


@pytest.fixture
def teacher(school):
    return factories.person("teacher", school, "teacher", name_native="李娜", name_latin="Li Na")


@pytest.fixture
def mentor(enterprise):
    return factories.person(
        "mentor", enterprise, "mentor", name_native="王强", name_latin="Wang Qiang"
    )


@pytest.fixture
def verifier(enterprise):
    return factories.person("verifier", enterprise, "verifier")


@pytest.fixture
def regulator(government):
    return factories.person("regulator", government, "regulator")


@pytest.fixture
def outsider(db):
    """Logged in, but a member of nothing relevant."""
    other_school = factories.organization(kind="school", code="elsewhere")
    return factories.person("outsider", other_school, "teacher")


@pytest.fixture
def course(school, enterprise):
    return factories.course(
        school,
        code="seo-marketing",
        title_en="SEO Marketing",
        title_zh="搜索引擎优化营销",
        lessons=4,
        partners=[enterprise],
    )


@pytest.fixture
def cohort(course, teacher, mentor):
    return factories.cohort(course, teacher=teacher, mentor=mentor)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The slow default hasher would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _staff_mfa_not_enforced(settings):
    # Most tests log staff in with force_login and open staff pages: the second-factor
    # requirement (lms/mfa.py, on by default) is tested on its own, with the staff_mfa fixture.
    settings.STAFF_MFA_REQUIRED = False


@pytest.fixture
def staff_mfa(settings):
    """Staff must enrol a second factor, as in production."""
    settings.STAFF_MFA_REQUIRED = True


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Passing an exam renders a certificate PDF: keep every test's files to itself.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    # A page rendered in Chinese leaves Chinese active in the thread (LocaleMiddleware
    # activates per request): every test starts and ends in the default language.
    from django.conf import settings as site_settings
    from django.utils import translation

    translation.activate(site_settings.LANGUAGE_CODE)
    yield
    translation.activate(site_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters and cached answers live in the cache: no test sees another's.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def theory_exam(school, government):
    """A level-1 exam of 4 single-choice questions only (grades itself at submission)."""
    from tests.exams.conftest import build_exam  # it needs Django's apps, loaded by now

    return build_exam(school=school, government=government, practicals=0)


@pytest.fixture
def marketplace_rules(db):
    """The marketplace rules the exams migration seeds. A transactional test's flush empties
    every table, migration data included, so tests that need them seed them again."""
    from importlib import import_module

    from django.apps import apps

    from exams.models import MarketplaceRules

    if not MarketplaceRules.objects.exists():
        import_module("exams.migrations.0007_marketplace_rules").seed_published_rules(apps, None)
