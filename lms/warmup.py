"""Warm a web process before it takes requests.

A process's first request used to pay for importing every view module (the URL resolver
is built lazily), loading the translation catalogues and filling the models' field caches:
about half a second of CPU on a quiet machine, two seconds under load, paid by every
gunicorn worker at once at the head of a sitting's start storm. `warm_up()` does that work
at boot instead. Under `gunicorn --preload` it runs once in the master and every forked
worker inherits the warm process; it closes the database connections it opened, so no two
processes ever share one (redis-py's pools notice a fork and reconnect by themselves).
"""

import io
import logging
import sys

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.urls import get_resolver, reverse
from django.utils import translation

logger = logging.getLogger(__name__)


def wanted(environ) -> bool:
    """Whether this process should warm up at boot: WEB_WARM_UP=1 or 0 says so; unset, only
    under gunicorn (its master names itself in SERVER_SOFTWARE before it loads the app).

    Django's dev server reloads on every edit and serves one person: warming it would only
    delay each restart.
    """
    setting = environ.get("WEB_WARM_UP", "")
    if setting in ("0", "1"):
        return setting == "1"
    return environ.get("SERVER_SOFTWARE", "").startswith("gunicorn/")


def warm_up(application) -> None:
    """Build the URL resolver (importing every view), load the catalogues, fill the field
    caches and send one request through the middleware; then close every connection."""
    try:
        _patterns = get_resolver().url_patterns  # imports every urls module and view module
        reverse("healthz")  # fills the resolver's reverse and namespace tables
        for model in apps.get_models():
            model._meta.get_fields()
        for code, _name in settings.LANGUAGES:
            with translation.override(code):  # activating a language loads its catalogues
                pass
        _request(application, "/healthz")
        # The cache client (the API's throttles count in it): its modules and its pool.
        caches["default"].get("warm-up")
    except Exception:  # a warm-up that fails must not stop the site from starting
        logger.exception("Warm-up failed; the first requests will be slower.")
    finally:
        connections.close_all()
        for cache in caches.all(initialized_only=True):
            cache.close()


def _request(application, path: str) -> None:
    """GET `path` through the whole WSGI stack (no database: /healthz answers by itself)."""
    host = (settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".")
    if host == "*":
        host = "localhost"
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "443" if settings.SECURE_SSL_REDIRECT else "80",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https" if settings.SECURE_SSL_REDIRECT else "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    body = application(environ, lambda status, headers, exc_info=None: None)
    try:
        for _chunk in body:
            pass
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
