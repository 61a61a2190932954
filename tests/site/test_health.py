import pytest

from lms import health


def test_healthz_answers_without_touching_services(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_every_service(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    body = client.get("/readyz").json()
    assert body["ready"] is True
    assert set(body["checks"]) == {"database", "cache", "broker", "storage"}


@pytest.mark.django_db
def test_readyz_answers_503_when_a_service_fails(client, monkeypatch):
    def broken():
        raise ConnectionError("down")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}


@pytest.mark.django_db
def test_readyz_reaches_a_real_broker(client, settings):
    from lms.celery import app
    from tests.conftest import require, service_up

    require(service_up("redis"), "Redis is not reachable on 127.0.0.1:6379")
    original = app.conf.broker_url
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        assert client.get("/readyz").json()["checks"]["broker"]["ok"] is True
        app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
        assert client.get("/readyz").status_code == 503
    finally:
        app.conf.broker_url = original
