"""`manage.py check --deploy` passes with the production environment and fails with each
unsafe setting: DEBUG on, a development or weak SECRET_KEY, CERTIFICATES_BASE_URL on this
machine, no mail server, staff second factors off, no key-encryption key.

The production environment (and one without SECRET_KEY) runs manage.py in a fresh process,
reading the settings from the environment as bin/serve's processes do; each unsafe setting
is then changed alone in this process.
"""

import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from lms.checks import check_deploy_settings, check_production_settings
from tests.conftest import ROOT

PRODUCTION = {
    "SECRET_KEY": "p" + "Zq8-vT3kW9xL2mN7bR4cY6hJ1sD5fG0aE_uI" * 2,
    "CERTIFICATES_KEY_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    "CERTIFICATES_BASE_URL": "https://academy.example.org",
    "ALLOWED_HOSTS": "academy.example.org",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.org",
    "DEFAULT_FROM_EMAIL": "CBEC Academy <noreply@academy.example.org>",
}
# Variables of this process that would change what the site reads.
SITE_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "STAFF_MFA_REQUIRED",
    "SILENCED_SYSTEM_CHECKS",
    "DJANGO_SETTINGS_MODULE",
    # The browser tests' conftest sets it for this process; production never does.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    *PRODUCTION,
}


def deploy_check(tmp_path, **changes: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SITE_VARIABLES}
    env |= {**PRODUCTION, "DJANGO_SETTINGS_MODULE": "lms.settings", "VAR_DIR": str(tmp_path)}
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_environment_passes_the_deploy_checks(tmp_path):
    result = deploy_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({"SECRET_KEY": None}, "lms.E002"),  # DEBUG follows: on without a SECRET_KEY
        ({"SECRET_KEY": None, "DEBUG": "false"}, "lms.E003"),  # the development key
    ],
    ids=["no-secret-key", "no-secret-key-debug-off"],
)
def test_the_environment_without_a_secret_key_refuses_the_deploy(tmp_path, changes, refusal):
    result = deploy_check(tmp_path, **changes)
    assert result.returncode == 1
    assert f"({refusal})" in result.stderr


@pytest.fixture
def production(settings, db, monkeypatch):
    """This process's settings made what the production environment gives."""
    # Set for the whole run by the browser tests' conftest; Django's deploy check refuses it.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    settings.DEBUG = False
    settings.SECRET_KEY = PRODUCTION["SECRET_KEY"]
    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = PRODUCTION["CERTIFICATES_KEY_ENCRYPTION_KEY"]
    settings.CERTIFICATES_BASE_URL = PRODUCTION["CERTIFICATES_BASE_URL"]
    settings.ALLOWED_HOSTS = [PRODUCTION["ALLOWED_HOSTS"]]
    settings.MAILERS = {
        "default": {
            "BACKEND": PRODUCTION["EMAIL_BACKEND"],
            "OPTIONS": {"host": PRODUCTION["EMAIL_HOST"]},
        }
    }
    settings.DEFAULT_FROM_EMAIL = PRODUCTION["DEFAULT_FROM_EMAIL"]
    settings.STAFF_MFA_REQUIRED = True
    return settings


def refusals() -> list[str]:
    """The errors `check --deploy` reports (it raises SystemCheckError on any)."""
    try:
        call_command("check", deploy=True, fail_level="ERROR", stdout=StringIO())
    except SystemCheckError as exc:
        return re.findall(r"\((\w+\.E\d+)\)", str(exc))
    return []


def test_the_production_settings_pass_in_process(production):
    assert refusals() == []


CONSOLE = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}


@pytest.mark.parametrize(
    ("setting", "value", "refusal"),
    [
        ("DEBUG", True, "lms.E002"),
        ("SECRET_KEY", "django-insecure-cbec-academy-development-only", "lms.E003"),
        ("SECRET_KEY", "short-and-guessable", "lms.E003"),
        ("SECRET_KEY", "a" * 60, "lms.E003"),
        ("CERTIFICATES_BASE_URL", "http://127.0.0.1:8000", "lms.E004"),
        ("CERTIFICATES_BASE_URL", "http://localhost:8000", "lms.E004"),
        ("CERTIFICATES_BASE_URL", "https://[::1]/", "lms.E004"),
        ("CERTIFICATES_BASE_URL", "http://0.0.0.0:8000", "lms.E004"),
        ("CERTIFICATES_BASE_URL", "", "lms.E004"),
        ("MAILERS", CONSOLE, "lms.E001"),
        (
            "MAILERS",
            {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}},
            "lms.E001",
        ),
        ("MAILERS", {}, "lms.E001"),
        ("STAFF_MFA_REQUIRED", False, "lms.E010"),
        ("CERTIFICATES_KEY_ENCRYPTION_KEY", "", "certificates.E001"),
    ],
)
def test_each_unsafe_setting_refuses_the_deploy(production, setting, value, refusal):
    setattr(production, setting, value)
    assert refusal in refusals()


def test_a_local_trial_may_silence_the_address_check_only(production):
    production.CERTIFICATES_BASE_URL = "http://127.0.0.1:8000"
    assert refusals() == ["lms.E004"]
    production.SILENCED_SYSTEM_CHECKS = ["lms.E004"]
    assert refusals() == []
    production.DEBUG = True
    assert refusals() == ["lms.E002"]


def test_development_and_tests_are_not_refused(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = "django-insecure-cbec-academy-development-only"
    settings.CERTIFICATES_BASE_URL = "http://127.0.0.1:8000"
    assert check_production_settings() == []  # `make run` starts
    assert [e.id for e in check_deploy_settings()] == ["lms.E002", "lms.E003", "lms.E004"]


def test_production_commands_refuse_a_local_address_without_deploy(production):
    production.CERTIFICATES_BASE_URL = "http://127.0.0.1:8000"
    assert [e.id for e in check_production_settings()] == ["lms.E004"]
    # Every command (migrate too, which bin/serve runs first) runs these checks.
    with pytest.raises(SystemCheckError, match="lms.E004"):
        call_command("check", tags=["security"], stdout=StringIO())
    production.CERTIFICATES_BASE_URL = "https://academy.example.org"
    assert check_production_settings() == []
