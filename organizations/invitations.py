"""Invitation links: a new account's owner chooses a password with Django's password reset
token. A link works once (the token no longer matches after the password changes) and for
PASSWORD_RESET_TIMEOUT seconds."""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode


def invitation_url(user) -> str:
    """The path of the user's invitation page (make it absolute with the request)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(
        "organizations:invitation", args=[uidb64, default_token_generator.make_token(user)]
    )


def invited_user(uidb64: str, token: str):
    """The active user the link invites, or None when it is not (or no longer) valid."""
    User = get_user_model()
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist, ValidationError):
        return None
    return user if default_token_generator.check_token(user, token) else None
