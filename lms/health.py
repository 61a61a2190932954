"""Load-balancer probes: /healthz (the process answers) and /readyz (its services answer)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

PROBE_NAME = "health/readyz-probe.txt"


def healthz(request):
    return JsonResponse({"status": "ok"})


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    cache.set("readyz-probe", "1", 10)
    if cache.get("readyz-probe") != "1":
        raise RuntimeError("cache did not return what was stored")


def _broker() -> None:
    if not settings.CELERY_BROKER_URL:
        return  # tasks run in-process: nothing to reach
    from lms.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _storage() -> None:
    name = default_storage.save(PROBE_NAME, ContentFile(b"ok"))
    default_storage.delete(name)


CHECKS = {"database": _database, "cache": _cache, "broker": _broker, "storage": _storage}


@never_cache
def readyz(request):
    results, ready = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            ready = False
            results[name] = {"ok": False, "error": exc.__class__.__name__}
        else:
            results[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return JsonResponse({"ready": ready, "checks": results}, status=200 if ready else 503)
