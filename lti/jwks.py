"""Platform keysets, fetched over HTTP and kept in Django's cache.

`load_keyset` takes a pluggable `fetch(url) -> dict`; without one it uses
`default_fetch` (urllib with a timeout, see lti.outbound), which tests may replace.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from . import outbound

Fetch = Callable[[str], dict]


def urllib_fetch(url: str) -> dict:
    return outbound.get_json(url)


default_fetch: Fetch = urllib_fetch


class KeysetUnavailable(Exception):
    """The platform's keyset could not be fetched or read."""


def cache_key(url: str) -> str:
    return "lti:jwks:" + hashlib.sha256(url.encode()).hexdigest()


def load_keyset(url: str, *, fetch: Fetch | None = None, refresh: bool = False) -> KeySet:
    """The keyset at `url`, from the cache unless `refresh` (a token named an unknown kid)."""
    data = None if refresh else cache.get(cache_key(url))
    if data is None:
        try:
            data = (fetch or default_fetch)(url)
        except (OSError, ValueError, outbound.HttpError) as exc:
            raise KeysetUnavailable(str(exc)) from exc
        if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
            raise KeysetUnavailable(f"{url} does not hold a JWKS")
        cache.set(cache_key(url), data, getattr(settings, "LTI_JWKS_CACHE_SECONDS", 3600))
    try:
        # Platforms may publish encryption or EC keys too: keep the RSA signing keys.
        keys = [k for k in data["keys"] if k.get("kty") == "RSA" and k.get("use", "sig") == "sig"]
        return KeySet.import_key_set({"keys": keys})
    except (JoseError, ValueError, TypeError, AttributeError) as exc:
        raise KeysetUnavailable(str(exc)) from exc
