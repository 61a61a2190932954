"""A person's API tokens: issued at /api/v1/auth/token/, stored hashed, expiring.

A raw token reads ``<prefix>.<secret>``. The prefix is public and finds the
row; only the SHA-256 of the secret is stored (a 256-bit random secret needs no
slow hash). A token is shown once, when it is issued, with its expiry; it
stops working at ``expires_at``, when its user is deactivated, or when it is
revoked (deleted). Clients send it as ``Authorization: Token <token>``, as
with DRF's own tokens, which were kept in plain text and never expired.
"""

import hmac
import secrets
import string
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .api_keys import hash_secret
from .models import AccessToken

KEYWORD = "Token"
PREFIX_LENGTH = 8
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
DEFAULT_TTL_HOURS = 24
# At most this many unexpired tokens per person: issuing one more drops the oldest.
MAX_TOKENS_PER_USER = 10
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_lifetime() -> timedelta:
    """How long a new token lasts (setting ORGANIZATIONS_API_TOKEN_TTL_HOURS, default 24)."""
    hours = float(getattr(settings, "ORGANIZATIONS_API_TOKEN_TTL_HOURS", DEFAULT_TTL_HOURS))
    return timedelta(hours=hours)


def _draw_prefix() -> str:
    return "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))


def token_issue(*, user, lifetime: timedelta | None = None) -> tuple[AccessToken, str]:
    """A new token for user and its raw value, which is shown once and never stored.

    Expired tokens of the user are deleted, and the oldest beyond MAX_TOKENS_PER_USER.
    """
    now = timezone.now()
    secret = secrets.token_urlsafe(32)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                AccessToken.objects.filter(user=user, expires_at__lte=now).delete()
                token = AccessToken.objects.create(
                    user=user,
                    prefix=_draw_prefix(),
                    key_hash=hash_secret(secret),
                    expires_at=now + (lifetime or token_lifetime()),
                )
                keep = AccessToken.objects.filter(user=user).order_by("-created_at", "-pk")
                stale = list(keep.values_list("pk", flat=True)[MAX_TOKENS_PER_USER:])
                if stale:
                    AccessToken.objects.filter(pk__in=stale).delete()
        except IntegrityError:
            continue  # prefix collision: draw again
        return token, f"{token.prefix}.{secret}"
    raise RuntimeError("Could not draw a unique token prefix.")


def tokens_issue_many(users, *, lifetime: timedelta | None = None) -> dict[int, str]:
    """Raw tokens for many users at once (seeding load tests), by user id."""
    expires_at = timezone.now() + (lifetime or token_lifetime())
    rows, raw = [], {}
    prefixes: set[str] = set()
    for user in users:
        prefix = _draw_prefix()
        while prefix in prefixes:
            prefix = _draw_prefix()
        prefixes.add(prefix)
        secret = secrets.token_urlsafe(32)
        rows.append(
            AccessToken(
                user=user, prefix=prefix, key_hash=hash_secret(secret), expires_at=expires_at
            )
        )
        raw[user.pk] = f"{prefix}.{secret}"
    AccessToken.objects.bulk_create(rows, batch_size=500)
    return raw


def token_revoke_all(*, user) -> int:
    """Delete every token of user (a password change or "log out everywhere")."""
    deleted, _by_model = AccessToken.objects.filter(user=user).delete()
    return deleted


def token_authenticate(raw: str) -> AccessToken | None:
    """The usable token this raw value stands for, or None; records when it was used."""
    prefix, dot, secret = raw.partition(".")
    if not dot or len(prefix) != PREFIX_LENGTH or not secret:
        return None
    now = timezone.now()
    try:
        # get(), not first(): the prefix is unique, and first() would build an ORDER BY.
        token = AccessToken.objects.usable(now).select_related("user").get(prefix=prefix)
    except AccessToken.DoesNotExist:
        token = None
    # Hash even when no row matched, so the time taken says nothing about the prefix.
    presented = hash_secret(secret)
    stored = token.key_hash if token else "0" * 64
    if not hmac.compare_digest(presented, stored) or token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class TokenAuthentication(BaseAuthentication):
    """DRF authentication by ``Authorization: Token <token>`` with hashed, expiring tokens."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give exactly one token."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from None
        token = token_authenticate(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This token is not valid or has expired: ask for a new one.")
            )
        return token.user, token

    def authenticate_header(self, request) -> str:
        return KEYWORD
