"""The web process's warm-up at boot (lms/warmup.py): when it runs and what it leaves behind."""

import pytest
from django.urls import clear_url_caches, get_resolver

from lms import warmup


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"SERVER_SOFTWARE": "gunicorn/27.0.1"}, True),
        ({}, False),  # Django's dev server, a test, a management command
        ({"SERVER_SOFTWARE": "uwsgi"}, False),
        ({"WEB_WARM_UP": "1"}, True),  # another WSGI server can ask for it
        ({"WEB_WARM_UP": "0", "SERVER_SOFTWARE": "gunicorn/27.0.1"}, False),
        ({"WEB_WARM_UP": "yes", "SERVER_SOFTWARE": "gunicorn/27.0.1"}, True),  # unknown: default
    ],
)
def test_the_warm_up_runs_under_gunicorn_unless_the_environment_says_otherwise(environ, expected):
    assert warmup.wanted(environ) is expected


def test_the_warm_up_sends_one_request_through_the_stack(django_db_blocker):
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    answered = []

    def application(environ, start_response):
        def start(status, headers, exc_info=None):
            answered.append((environ["PATH_INFO"], status))
            return start_response(status, headers, exc_info)

        return handler(environ, start)

    clear_url_caches()
    # As at a real boot, outside any test transaction: the request's signals check the
    # database connections, and the warm-up closes them (so forked workers share none).
    # A warm-up that fails logs and carries on, which shows here as no answer.
    with django_db_blocker.unblock():
        warmup.warm_up(application)
    assert answered == [("/healthz", "200 OK")]
    assert get_resolver()._populated
