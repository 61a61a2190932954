"""The simulated platform wired into the tool, and helpers for the login → launch dance."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client

import lti.jwks
import lti.outbound
import lti.tasks
from lti import services
from lti.models import ToolKey

from .platform import FakePlatform, rsa_key


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Keysets and access tokens are cached; each test starts without them.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def timers(monkeypatch):
    """In-process retry timers, recorded instead of started: (countdown, submission id)."""
    started = []
    monkeypatch.setattr(
        lti.tasks,
        "start_timer",
        lambda countdown, function, *args: started.append((countdown, *args)),
    )
    return started


@pytest.fixture
def fake(monkeypatch, db):
    # A ready tool key saves generating one per test (RSA generation is slow).
    key = rsa_key("tool")
    ToolKey.objects.create(
        kid=key.kid,
        private_pem=key.as_pem(private=True).decode(),
        public_jwk={**key.as_dict(private=False), "alg": "RS256", "use": "sig"},
    )
    platform = FakePlatform(tool_jwks=services.tool_jwks)
    monkeypatch.setattr(lti.jwks, "default_fetch", platform.fetch)
    monkeypatch.setattr(lti.outbound, "default_transport", platform.transport)
    return platform


@pytest.fixture
def registered(fake, school):
    """The simulated platform, registered for the school with deployment '1'."""
    return fake.register(school)


def login_initiation(client: Client, fake: FakePlatform, **extra) -> dict:
    """Run OIDC login initiation; returns the query of the redirect to the platform."""
    params = {
        "iss": fake.issuer,
        "login_hint": "42",
        "target_link_uri": "https://tool.example/lti/launch/",
        "lti_message_hint": "hint-1",
        "client_id": fake.client_id,
        "lti_deployment_id": "1",
        **extra,
    }
    response = client.post("/lti/login/", params)
    assert response.status_code == 302, response.content
    return {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}


def launch(client: Client, fake: FakePlatform, *, sign=None, **claims):
    """Log in through the platform and post a signed id_token built from `claims`."""
    query = login_initiation(client, fake)
    token_claims = fake.claims(nonce=query["nonce"], **claims)
    id_token = (sign or fake.id_token)(token_claims)
    return client.post("/lti/launch/", {"id_token": id_token, "state": query["state"]})


def refusal(response) -> str:
    return str(response.context["message"])
