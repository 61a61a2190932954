"""API keys for organisations: create, revoke, authenticate, and the DRF classes that use them.

A raw key reads ``cbec_<prefix>_<secret>``. The prefix is public (it finds the
row, and names the key in logs and throttles); only the SHA-256 of the secret
is stored. The secret has 256 bits of entropy, so a fast hash is enough: a
slow password hash protects guessable secrets, and these are not guessable.

Only an administrator of the enterprise (or a platform administrator) creates
or revokes its keys; the services check this themselves because they are
called from the admin, where there is no view layer to do it.
"""

import hashlib
import hmac
import secrets
import string
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from . import audit
from .access import Role, has_role, is_platform_admin
from .models import ApiKey, Organization

KEY_PREFIX = "cbec"
AUTH_SCHEME = "Api-Key"
PREFIX_LENGTH = 8
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
SCOPES = {"verify": gettext_lazy("Verify certificates")}
# Writing last_used_at on every request would make each call a write; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def can_manage_api_keys(user, organization: Organization) -> bool:
    """Enterprise administrators manage their enterprise's keys; platform admins any."""
    if is_platform_admin(user):
        return True
    return organization.kind == Organization.Kind.ENTERPRISE and has_role(
        user, organization, Role.ADMIN
    )


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_create(
    *, organization: Organization, name: str, scopes: list[str], by
) -> tuple[ApiKey, str]:
    """Create a key and return it with the raw key, which is shown once and never stored."""
    if not can_manage_api_keys(by, organization):
        raise PermissionDenied(_("Only an administrator of this organisation can create API keys."))
    if organization.kind != Organization.Kind.ENTERPRISE:
        raise ValidationError(_("API keys are issued to enterprises."))
    unknown = sorted(set(scopes) - set(SCOPES))
    if not scopes or unknown:
        raise ValidationError(
            _("Choose scopes among: %(scopes)s.") % {"scopes": ", ".join(sorted(SCOPES))}
        )
    with transaction.atomic():
        api_key, raw = insert_key(organization=organization, name=name, scopes=scopes, by=by)
        audit.record(
            audit.Action.API_KEY_CREATED,
            obj=api_key,
            actor=by,
            organization=organization,
            after={"name": api_key.name, "prefix": api_key.prefix, "scopes": api_key.scopes},
        )
    return api_key, raw


def insert_key(
    *, organization: Organization, name: str, scopes: list[str], by
) -> tuple[ApiKey, str]:
    """Write a new key row under a fresh prefix; the caller checks access and audits."""
    secret = secrets.token_urlsafe(32)
    for _attempt in range(5):
        prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
        try:
            with transaction.atomic():
                api_key = ApiKey.objects.create(
                    organization=organization,
                    name=name,
                    prefix=prefix,
                    key_hash=hash_secret(secret),
                    scopes=sorted(set(scopes)),
                    created_by=by,
                )
        except IntegrityError:
            continue  # prefix collision: 36^8 makes this rare; draw again
        return api_key, f"{KEY_PREFIX}_{prefix}_{secret}"
    raise RuntimeError("Could not draw a unique API key prefix.")


def api_key_revoke(*, api_key: ApiKey, by) -> ApiKey:
    """Revoke a key at once; revoking twice keeps the first date."""
    if not can_manage_api_keys(by, api_key.organization):
        raise PermissionDenied(_("Only an administrator of this organisation can revoke API keys."))
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=api_key.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            audit.record(
                audit.Action.API_KEY_REVOKED,
                obj=locked,
                actor=by,
                organization=locked.organization_id,
                before={"revoked_at": None},
                after={"revoked_at": locked.revoked_at, "prefix": locked.prefix},
            )
    api_key.revoked_at = locked.revoked_at
    return api_key


def parse_key(raw: str) -> tuple[str, str] | None:
    """Split a raw key into prefix and secret, or None if it is not shaped like one."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    prefix, secret = parts[1], parts[2]
    if len(prefix) != PREFIX_LENGTH or not secret:
        return None
    return prefix, secret


def api_key_authenticate(raw: str) -> ApiKey | None:
    """Return the active key this raw key stands for, or None; records when it was used."""
    parsed = parse_key(raw)
    if parsed is None:
        return None
    prefix, secret = parsed
    api_key = ApiKey.objects.active().select_related("organization").filter(prefix=prefix).first()
    # Hash even when no row matched, so the time taken says nothing about the prefix.
    presented = hash_secret(secret)
    stored = api_key.key_hash if api_key else "0" * 64
    if not hmac.compare_digest(presented, stored) or api_key is None:
        return None
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key


class ApiKeyAuthentication(BaseAuthentication):
    """DRF authentication by ``Authorization: Api-Key <key>``.

    The request's user stays anonymous (a key belongs to an organisation, not a
    person); ``request.auth`` is the ApiKey.
    """

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != AUTH_SCHEME.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give exactly one API key."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This API key is not valid.")) from None
        api_key = api_key_authenticate(raw)
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("This API key is not valid or was revoked."))
        return AnonymousUser(), api_key

    def authenticate_header(self, request) -> str:
        return AUTH_SCHEME


def request_api_key(request) -> ApiKey | None:
    """The API key a DRF request authenticated with, if any."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiKey) else None


def has_api_key_scope(request, scope: str) -> bool:
    api_key = request_api_key(request)
    return api_key is not None and api_key.has_scope(scope)


class HasApiKeyScope(BasePermission):
    """Allow requests made with an API key that has ``scope`` (subclass or use for_scope)."""

    scope = "verify"
    message = gettext_lazy("This API key may not be used here.")

    def has_permission(self, request, view) -> bool:
        return has_api_key_scope(request, self.scope)

    @classmethod
    def for_scope(cls, scope: str) -> type["HasApiKeyScope"]:
        return type(f"HasApiKeyScope_{scope}", (cls,), {"scope": scope})
