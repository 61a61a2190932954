"""A new password ends every API token of its owner.

Tokens are issued for a password; whoever changes or resets it (perhaps because it
leaked) expects what the old one bought to stop working. The account pages are
django-allauth's when it is installed: its signals are connected then only.
"""

from django.apps import apps


def revoke_tokens(sender, request=None, user=None, **kwargs) -> None:
    from .tokens import token_revoke_all

    if user is not None and user.pk is not None:
        token_revoke_all(user=user)


def connect() -> None:
    if not apps.is_installed("allauth.account"):
        return
    from allauth.account import signals

    for signal in (signals.password_changed, signals.password_set, signals.password_reset):
        signal.connect(revoke_tokens, dispatch_uid=f"organizations.revoke_tokens.{id(signal)}")
