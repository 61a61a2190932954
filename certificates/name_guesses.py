"""Confirming a holder's name on the public page, with limits that stop anyone guessing it.

The page shows a masked name (Zhang W.); a visitor who was given the full name
may confirm it. Two limits, without a CAPTCHA, keep that from being a way to
guess it:

- Per client address, wrong names only (rate ``verify_name``, 10 an hour): an
  office behind one NAT that confirms the right names of many candidates is
  never limited, and one address guessing cannot shut out another.
- Per certificate, across all addresses (rate ``verify_name_certificate``, 5
  wrong names an hour): the wrong name that uses up the allowance pauses name
  checks on that certificate for the rate's period; while the certificate
  remembers a pause (two days), each further wrong name pauses it twice as
  long as the last, up to a day. Guessing from many addresses gets a handful
  of names a day, not ten an hour from each.

A paused certificate answers every name, right or wrong, the same way, so a
pause tells a guesser nothing. Nothing else is affected: the certificate's page
and status, looking it up by serial, and name checks on other certificates.
Correct names count against neither limit.
"""

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from rest_framework.throttling import SimpleRateThrottle

from organizations.throttles import count_in_window, uncount_in_window

from .api.throttles import client_ip, rate_for
from .models import Certificate
from .verification import name_matches

MATCHES = "matches"
DOES_NOT_MATCH = "does_not_match"
NETWORK_LIMITED = "limited"  # this address made too many wrong guesses
CERTIFICATE_PAUSED = "paused"  # this certificate drew too many wrong guesses
# How long a certificate remembers its pauses, and the longest pause.
PAUSE_MEMORY_SECONDS = 2 * 24 * 3600
MAX_PAUSE_SECONDS = 24 * 3600


def check_name(request, certificate: Certificate, typed: str) -> str:
    """Whether typed is the holder's name; or that a limit stopped this guess from being checked."""
    cache = caches[DEFAULT_CACHE_ALIAS]
    if cache.get(_paused_key(certificate)) is not None:
        return CERTIFICATE_PAUSED
    # Each guess is counted before it is checked (concurrent guesses cannot all slip under a
    # limit) and taken back when it was right.
    address_key = f"certificates:name-guess:{client_ip(request)}"
    address_rate = _rate("verify_name")
    if address_rate and count_in_window(address_key, address_rate[1]) > address_rate[0]:
        return NETWORK_LIMITED
    certificate_key = f"certificates:name-wrong:{certificate.pk}"
    certificate_rate = _rate("verify_name_certificate")
    wrong = count_in_window(certificate_key, certificate_rate[1]) if certificate_rate else 0
    if certificate_rate and wrong > certificate_rate[0]:
        return CERTIFICATE_PAUSED  # guesses from elsewhere used the allowance a moment ago
    if name_matches(certificate, typed):
        if address_rate:
            uncount_in_window(address_key)
        if certificate_rate:
            uncount_in_window(certificate_key)
        return MATCHES
    if certificate_rate and (
        wrong >= certificate_rate[0] or cache.get(_pauses_key(certificate)) is not None
    ):
        _pause(certificate, period=certificate_rate[1])
    return DOES_NOT_MATCH


def pause_seconds(pauses: int, period: int) -> int:
    """The length of a certificate's nth pause: the period, doubled each time, at most a day."""
    return min(period * 2 ** min(pauses - 1, 16), MAX_PAUSE_SECONDS)


def _pause(certificate: Certificate, *, period: int) -> None:
    cache = caches[DEFAULT_CACHE_ALIAS]
    pauses = count_in_window(_pauses_key(certificate), PAUSE_MEMORY_SECONDS)
    cache.touch(_pauses_key(certificate), PAUSE_MEMORY_SECONDS)  # remembered from the last one
    cache.set(_paused_key(certificate), pauses, pause_seconds(pauses, period))


def _rate(scope: str) -> tuple[int, int] | None:
    rate = rate_for(scope)
    return None if rate is None else SimpleRateThrottle.parse_rate(None, rate)


def _paused_key(certificate: Certificate) -> str:
    return f"certificates:name-paused:{certificate.pk}"


def _pauses_key(certificate: Certificate) -> str:
    return f"certificates:name-pauses:{certificate.pk}"
