"""Everything held about a person, as one ZIP: ``data.json`` and the files that are theirs.

The archive is built for the signed-in person only, in a temporary file that is streamed to
them and then discarded: nothing is kept in storage, so there is no address to leak and
nothing to expire. Other people appear only as names the person already saw (a course's
title, an organisation's name); their markers' identities are not included.

Files come from the apps' own storage: certificate PDFs through
``certificates.rendering.pdf_storage`` (for certificates ``certificates.access.can_download``
lets this person download), answer uploads from the default storage; the archive names
them by serial and question, never by their storage path.
"""

import json
import tempfile
import zipfile
from typing import Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.utils import timezone

from certificates import access as certificate_access
from certificates.models import Certificate, Verification, VerificationDailyCount
from certificates.rendering import pdf_storage
from courses.models import Enrollment
from exams.models import Attempt, Mark
from exams.uploads import display_name
from organizations.models import (
    AccessToken,
    AuditEntry,
    Membership,
    NameChangeRequest,
    Notification,
    NotificationPreference,
    Profile,
)

FORMAT_VERSION = 1
USER_FIELDS = (
    "id",
    "username",
    "email",
    "first_name",
    "last_name",
    "is_active",
    "date_joined",
    "last_login",
)


def _row(obj: Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The object's concrete fields (foreign keys as ids), JSON-ready."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = getattr(obj, field.attname)
        if hasattr(value, "name") and hasattr(value, "storage"):  # a file: never its path
            value = bool(value.name)
        data[field.attname] = value
    return data


def _answer_file(response: object) -> str | None:
    if isinstance(response, dict) and isinstance(name := response.get("file"), str) and name:
        return name
    return None


def _archive_name(attempt_id: int, position: int, stored: str) -> str:
    return f"answers/attempt-{attempt_id}/q{position}-{display_name(stored)}"


def _answer(question) -> object:
    """The answer as saved, its file named as in the archive (never by its storage path)."""
    response = question.response
    if name := _answer_file(response):
        return {**response, "file": _archive_name(question.attempt_id, question.position, name)}
    return response


def collect(user) -> tuple[dict[str, Any], list[tuple[str, str, Any]]]:
    """(the JSON document, [(archive name, storage name, storage)]) for this person."""
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "user": {name: getattr(user, name) for name in USER_FIELDS},
    }
    files: list[tuple[str, str, Any]] = []
    profile = Profile.objects.filter(user=user).first()
    data["profile"] = _row(profile, exclude=("id", "user")) if profile else None
    data["email_addresses"] = _email_addresses(user)
    data["name_change_requests"] = [
        _row(r, exclude=("user", "decided_by"))
        for r in NameChangeRequest.objects.filter(user=user).order_by("pk")
    ]
    data["memberships"] = [
        {**_row(m, exclude=("user",)), "organization_name": m.organization.name}
        for m in Membership.objects.filter(user=user).select_related("organization")
    ]
    data["api_tokens"] = [
        _row(t, exclude=("user", "key_hash")) for t in AccessToken.objects.filter(user=user)
    ]
    data["enrollments"] = [_enrollment(e) for e in _enrollments(user)]
    data["attempts"] = []
    attempts = (
        Attempt.objects.filter(student=user)
        .select_related("exam")
        .prefetch_related("questions__marks")
        .order_by("started_at", "pk")
    )
    for attempt in attempts:
        data["attempts"].append(_attempt(attempt))
        for question in attempt.questions.all():
            if (name := _answer_file(question.response)) and default_storage.exists(name):
                archive = _archive_name(attempt.pk, question.position, name)
                files.append((archive, name, default_storage))
    data["marks_given"] = [
        _row(m, exclude=("grader",)) for m in Mark.objects.filter(grader=user).order_by("pk")
    ]
    data["certificates"] = []
    certificates = Certificate.objects.filter(holder=user).order_by("issued_on", "pk")
    for certificate in certificates:
        data["certificates"].append(_certificate(certificate))
        if (
            certificate_access.can_download(user, certificate)
            and certificate.render_state == Certificate.RenderState.DONE
            and certificate.pdf.name
            and pdf_storage().exists(certificate.pdf.name)
        ):
            files.append(
                (f"certificates/{certificate.serial}.pdf", certificate.pdf.name, pdf_storage())
            )
    data["notifications"] = [
        _row(n, exclude=("user",)) for n in Notification.objects.filter(user=user).order_by("pk")
    ]
    data["notification_preferences"] = [
        _row(p, exclude=("user",)) for p in NotificationPreference.objects.filter(user=user)
    ]
    data["audit_entries_as_actor"] = [
        {
            "created_at": e.created_at,
            "action": e.action,
            "action_label": e.get_action_display(),
            "actor_label": e.actor_label,
            "object": e.object_label,
            "note": e.note,
        }
        for e in AuditEntry.objects.filter(actor=user).order_by("created_at", "pk")
    ]
    return data, files


def _email_addresses(user) -> list[dict[str, Any]]:
    if not apps.is_installed("allauth.account"):
        return []
    from allauth.account.models import EmailAddress

    return [
        {"email": a.email, "verified": a.verified, "primary": a.primary}
        for a in EmailAddress.objects.filter(user=user)
    ]


def _enrollments(user):
    return (
        Enrollment.objects.filter(student=user)
        .select_related("course", "cohort")
        .prefetch_related("completions__lesson", "times__lesson")
        .order_by("enrolled_at", "pk")
    )


def _enrollment(enrollment: Enrollment) -> dict[str, Any]:
    return {
        **_row(enrollment, exclude=("student",)),
        "course_title": enrollment.course.title,
        "cohort_name": enrollment.cohort.name if enrollment.cohort else "",
        "lessons_completed": [
            {"lesson": c.lesson.title, "completed_at": c.completed_at}
            for c in enrollment.completions.all()
        ],
        "time_per_lesson": [
            {"lesson": t.lesson.title, "seconds": t.seconds, "updated_at": t.updated_at}
            for t in enrollment.times.all()
        ],
    }


def _attempt(attempt: Attempt) -> dict[str, Any]:
    return {
        **_row(attempt, exclude=("student",)),
        "exam_title": str(attempt.exam),
        "questions": [
            {
                "position": q.position,
                "part": q.part,
                "question": q.content,
                "answer": _answer(q),
                "max_points": q.max_points,
                "points": q.points,
                "is_correct": q.is_correct,
                "saved_at": q.saved_at,
                "marks": [
                    {
                        "role": m.role,
                        "points": m.points,
                        "marks_per_criterion": m.rubric_marks,
                        "comment": m.comment,
                        "created_at": m.created_at,
                    }
                    for m in q.marks.all()
                ],
            }
            for q in attempt.questions.all()
        ],
    }


def _certificate(certificate: Certificate) -> dict[str, Any]:
    return {
        **_row(
            certificate,
            exclude=("credential_jwt", "status_changed_by", "status_list_index", "render_tries"),
        ),
        "verifications": [
            _row(v, exclude=("verifier", "api_key_prefix", "certificate"))
            for v in Verification.objects.filter(certificate=certificate).order_by("pk")
        ],
        "verifications_per_day": [
            {"day": c.day, "channel": c.channel, "count": c.count}
            for c in VerificationDailyCount.objects.filter(certificate=certificate).order_by("day")
        ],
    }


def build_archive(user):
    """A temporary file holding the ZIP, positioned at its start; the caller closes it."""
    data, files = collect(user)
    handle = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (returned)
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        for archive_name, stored_name, storage in files:
            with storage.open(stored_name, "rb") as source, archive.open(archive_name, "w") as out:
                for chunk in iter(lambda: source.read(64 * 1024), b""):
                    out.write(chunk)
    handle.seek(0)
    return handle
