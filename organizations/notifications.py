"""Notifications: an inbox entry and an email, per kind as each person chooses.

A service calls ``notify`` inside the transaction of the change it reports: the inbox entry
is written in that transaction and the email is queued on commit (a Celery task with
retries), so a change that is rolled back notifies nobody. Nothing is stored as finished
text: an entry keeps its kind and parameters and is rendered in the reader's language (the
inbox in the language the page is shown in, an email in the recipient's profile language).
A parameter may be a plain value or ``{"en": ..., "zh-hans": ...}`` (see ``both``).

This app is the lowest layer: exams and certificates call it, it imports neither.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import Notification, NotificationKind, NotificationPreference, Profile

Kind = NotificationKind

__all__ = [
    "Kind",
    "both",
    "email_send",
    "mail_held",
    "mark_all_read",
    "mark_read",
    "notify",
    "notify_many",
    "preferences",
    "preferences_save",
    "render",
    "unread_count",
    "unsubscribe",
    "unsubscribe_token",
    "unsubscribe_user_kind",
]

LANGUAGES = ("en", "zh-hans")
UNSUBSCRIBE_SALT = "organizations.notifications.unsubscribe"

# Title and body of each kind; the body's %(name)s come from the entry's parameters.
TEXTS = {
    Kind.RESULT_RELEASED: (
        _("Your result for %(exam)s is out"),
        _("Your result for %(exam)s has been released: %(score)s%%, %(outcome)s."),
    ),
    Kind.CERTIFICATE_ISSUED: (
        _("Certificate %(serial)s issued"),
        _(
            "Your certificate %(serial)s (%(title)s) has been issued. You can download it and "
            "share its verification link from My certificates."
        ),
    ),  # fmt: skip
    Kind.CERTIFICATE_REVOKED: (
        _("Certificate %(serial)s revoked"),
        _(
            "Your certificate %(serial)s has been revoked (%(reason)s). It no longer verifies "
            "as valid."
        ),
    ),  # fmt: skip
    Kind.MARKING_WAITING: (
        _("Answers to mark: %(exam)s"),
        # Marking is blind: the student is not named.
        _("An attempt at %(exam)s was submitted; %(count)s answer(s) wait for your mark."),
    ),
    Kind.SITTING_SCHEDULED: (
        _("Exam sitting scheduled: %(exam)s"),
        _("A sitting of %(exam)s is scheduled for %(when)s at %(place)s."),
    ),
    Kind.IMPORT_FINISHED: (
        _("Import into %(bank)s: %(outcome)s"),
        _("The question import into %(bank)s has finished: %(outcome)s, %(count)s question(s)."),
    ),
    Kind.BATCH_FINISHED: (
        _("Certificate batch for %(exam)s finished"),
        _(
            "The certificate batch for %(exam)s has finished: %(rendered)s rendered, "
            "%(failed)s failed."
        ),
    ),  # fmt: skip
    Kind.NAME_CHANGE_DECIDED: (
        _("Name change request %(outcome)s"),
        _(
            "Your school has %(outcome)s your request to change your names to %(name_native)s "
            "(%(name_latin)s).%(note)s"
        ),
    ),  # fmt: skip
}


def both(value: Callable[[], object]) -> dict[str, str]:
    """A parameter in each site language: `value` is called once under each."""
    result = {}
    for language in LANGUAGES:
        with translation.override(language):
            result[language] = str(value())
    return result


def _param(value, language: str):
    if isinstance(value, dict):
        return value.get(language) or next((v for v in value.values() if v), "")
    return value


class _Params(dict):
    """Missing parameters read as empty rather than breaking the text."""

    def __missing__(self, key):
        return ""


def render(kind: str, params: dict, language: str | None = None) -> tuple[str, str]:
    """The (title, body) of an entry in `language` (default: the active language)."""
    language = _language_code(language or translation.get_language() or settings.LANGUAGE_CODE)
    title, body = TEXTS[kind]
    with translation.override(language):
        values = _Params({name: _param(value, language) for name, value in params.items()})
        return str(title) % values, str(body) % values


def _language_code(language: str) -> str:
    return "zh-hans" if language.lower().startswith("zh") else "en"


def recipient_language(user) -> str:
    try:
        return _language_code(user.profile.preferred_language)
    except Profile.DoesNotExist:
        return _language_code(settings.LANGUAGE_CODE)


# --- Sending ---------------------------------------------------------------------------------


_mail_held = ContextVar("notifications_mail_held", default=False)


@contextmanager
def mail_held() -> Iterator[None]:
    """Write inbox entries but send no email while loading history nobody should be mailed
    about (the demo seed: its certificates and results are not news to anyone)."""
    token = _mail_held.set(True)
    try:
        yield
    finally:
        _mail_held.reset(token)


def _choice(user_id: int, kind: str) -> tuple[bool, bool]:
    """(email, inbox) as the person chose for this kind; both on when never chosen."""
    pref = NotificationPreference.objects.filter(user_id=user_id, kind=kind).first()
    return (True, True) if pref is None else (pref.email, pref.inbox)


def notify(user, kind: str, *, params: dict | None = None, url: str = "") -> Notification | None:
    """Notify one person; call inside the transaction of the change. Returns the inbox entry
    (None when the person keeps this kind out of their inbox)."""
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    if user is None or not user.is_active:
        return None
    params = params or {}
    email, inbox = _choice(user.pk, kind)
    entry = None
    if inbox:
        entry = Notification.objects.create(user=user, kind=kind, params=params, url=url)
    if email and user.email and not _mail_held.get():
        from .tasks import send_notification_email

        user_id = user.pk
        transaction.on_commit(
            lambda: send_notification_email.delay(user_id, kind, params, url), robust=True
        )
    return entry


def notify_many(users: Iterable, kind: str, *, params: dict | None = None, url: str = "") -> int:
    """Notify each person once (duplicates dropped); returns how many were notified."""
    seen = set()
    for user in users:
        if user.pk not in seen:
            seen.add(user.pk)
            notify(user, kind, params=params, url=url)
    return len(seen)


def base_url() -> str:
    return getattr(settings, "CERTIFICATES_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def email_send(*, user_id: int, kind: str, params: dict, url: str) -> bool:
    """Send the email of one notification in the recipient's language (the Celery task's
    work). Checks the choice again: an unsubscribe since the event is honoured."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.select_related("profile").filter(pk=user_id).first()
    if user is None or not user.is_active or not user.email or not _choice(user_id, kind)[0]:
        return False
    language = recipient_language(user)
    title, body = render(kind, params, language)
    unsubscribe_url = base_url() + reverse(
        "organizations:notification_unsubscribe", args=[unsubscribe_token(user_id, kind)]
    )
    with translation.override(language):
        lines = [body, ""]
        if url:
            lines += [str(_("Open: %(url)s") % {"url": base_url() + url}), ""]
        lines += [
            "--",
            str(
                _("To stop these emails (%(kind)s), open: %(url)s")
                % {"kind": Kind(kind).label, "url": unsubscribe_url}
            ),
            str(
                _("All your choices: %(url)s")
                % {"url": base_url() + reverse("organizations:notification_preferences")}
            ),
        ]
        message = EmailMessage(
            subject=title,
            body="\n".join(lines),
            to=[user.email],
            headers={"List-Unsubscribe": f"<{unsubscribe_url}>"},
        )
    message.send()
    return True


# --- Unsubscribing ---------------------------------------------------------------------------


def unsubscribe_token(user_id: int, kind: str) -> str:
    """A signed token that turns off one kind's email for one person, without logging in."""
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_user_kind(token: str):
    """(user, kind) of a valid token; raises signing.BadSignature when it was tampered with."""
    from django.contrib.auth import get_user_model

    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    kind = data.get("k") if isinstance(data, dict) else None
    user = get_user_model().objects.filter(pk=data.get("u") if kind else None).first()
    if user is None or kind not in Kind.values:
        raise signing.BadSignature("Unknown person or kind.")
    return user, kind


@transaction.atomic
def unsubscribe(user, kind: str) -> NotificationPreference:
    pref, _created = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"email": False}
    )
    return pref


# --- Inbox and choices -----------------------------------------------------------------------


def unread_count(user) -> int:
    return Notification.objects.filter(user=user).unread().count()


def mark_read(user, notification_id: int) -> Notification | None:
    """Mark one of `user`'s entries read; None when it is not theirs."""
    entry = Notification.objects.filter(user=user, pk=notification_id).first()
    if entry is not None and entry.read_at is None:
        entry.read_at = timezone.now()
        entry.save(update_fields=["read_at"])
    return entry


def mark_all_read(user) -> int:
    return Notification.objects.filter(user=user).unread().update(read_at=timezone.now())


def preferences(user) -> list[dict]:
    """Every kind with the person's choice (both on when never chosen)."""
    chosen = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    rows = []
    for kind in Kind:
        pref = chosen.get(kind.value)
        rows.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "email": True if pref is None else pref.email,
                "inbox": True if pref is None else pref.inbox,
            }
        )
    return rows


@transaction.atomic
def preferences_save(user, choices: dict[str, tuple[bool, bool]]) -> None:
    """Save {kind: (email, inbox)} for the kinds given."""
    for kind, (email, inbox) in choices.items():
        if kind not in Kind.values:
            raise ValueError(f"Unknown notification kind {kind!r}.")
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": email, "inbox": inbox}
        )
