"""The interop tests read messages in English, whatever language an earlier test's request
left active in this thread (LocaleMiddleware activates the request's language)."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
