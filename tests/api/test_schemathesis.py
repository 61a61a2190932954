"""Every API operation, fuzzed from the live schema, as every kind of caller.

Schemathesis reads /api/schema/ from the app itself and, for each operation, sends a few
generated requests (derandomised, so a run is reproducible) through the WSGI app in this
process, inside the test's database transaction, each one as every role in turn. Path
parameters name the seeded objects (tests/api/conftest.py), so calls reach real rows rather
than 404s.

Each response must not be a server error and must conform to the schema: its status code
is documented, its content type is the documented one, its body matches the documented
schema.
"""

import secrets

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lms.wsgi import application

ROLES = ["anonymous", "student", "teacher", "verifier", "admin"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

CONFIG = schemathesis.Config.from_dict(
    {
        # The coverage phase sends every boundary value of every field: too many for every
        # role of every operation on a 2-core machine. Examples and fuzzing remain.
        "phases": {"coverage": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)


def credentials(world, role: str) -> tuple[dict, dict]:
    """The headers and cookies a caller in this role sends: a session, CSRF and an API key."""
    user = world.users[role]
    if user is None:
        return {}, {}
    client = Client()
    client.force_login(user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    csrf = secrets.token_hex(16)  # 32 characters: Django's unmasked secret format
    cookies = {
        django_settings.SESSION_COOKIE_NAME: session,
        django_settings.CSRF_COOKIE_NAME: csrf,
    }
    headers = {"X-CSRFToken": csrf}
    if role == "verifier":
        headers["Authorization"] = f"Api-Key {world.api_key}"
    return headers, cookies


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Around each request the WSGI app closes "old" database connections, as under a
    server; here that would close the connection holding the test's transaction (Django's
    test client disconnects the same handler)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def callers(world) -> dict[str, tuple[dict, dict]]:
    return {role: credentials(world, role) for role in ROLES}


def aim_at_seeded_objects(case, world) -> None:
    """Point the path parameters at the seeded rows (positions stay within the paper)."""
    if not case.path_parameters:
        return
    values = world.path_values()
    parameters = dict(case.path_parameters)
    for name, generated in parameters.items():
        if name == "id":
            parameters[name] = world.id_for(case.operation.path)
        elif name == "position":
            size = world.attempt.questions.count()
            number = generated if isinstance(generated, int) else 0
            parameters[name] = number % size + 1
        elif name in values:
            parameters[name] = values[name]
    case.path_parameters = parameters


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=5,  # per operation, each sent as all five roles
    deadline=None,
    derandomize=True,
    # The seeded world is built once per operation and shared by its examples on purpose.
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_to_the_schema(case, world, callers):
    aim_at_seeded_objects(case, world)
    # Every role per example, in one world per operation: building it dominates the run time.
    for role, (headers, cookies) in callers.items():
        try:
            case.call_and_validate(headers=headers, cookies=cookies, checks=CHECKS)
        except Exception as failure:
            failure.add_note(f"Called as: {role}")
            raise
