"""Learning records: one xAPI statement per learning event, written with the event.

The lower apps send a signal inside the transaction of each event (courses.signals,
exams.signals, certificates.signals; connected in ReportsConfig.ready()); the receivers
here gather the event's values, let reports.xapi build the statement and store it, so a
statement exists exactly when its event committed. reports.lrs forwards them; the export
(reports.views, reports.api) reads them by period.
"""

import json
import uuid
from collections.abc import Iterator

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from . import conf, xapi
from .models import Learner, Statement


def learner_id(person) -> str:
    """The person's opaque id in learning records (made on first use, kept on the instance).

    Insert-if-missing then read: the same two queries whether the id exists or not, so an
    event costs the same for a newcomer (exams' query-count tests hold it to that).
    """
    cached = person.__dict__.get("_xapi_learner_id")
    if cached is None:
        Learner.objects.bulk_create([Learner(person=person)], ignore_conflicts=True)
        cached = str(Learner.objects.values_list("id", flat=True).get(person=person))
        person.__dict__["_xapi_learner_id"] = cached
    return cached


def _record(
    *, verb: str, person, activity: xapi.Activity, timestamp, school_id, owner_id, **values
) -> Statement:
    statement_id = uuid.uuid4()
    event = xapi.Event(
        verb=verb,
        statement_id=statement_id,
        site_url=conf.site_url(),
        learner=learner_id(person),
        activity=activity,
        timestamp=timestamp,
        **values,
    )
    return Statement.objects.create(
        id=statement_id,
        data=xapi.statement(event),
        verb=verb,
        person=person,
        timestamp=timestamp,
        school_id=school_id,
        owner_id=owner_id,
    )


# --- Activities ---------------------------------------------------------------------------------


def _course(course) -> xapi.Activity:
    return xapi.Activity(course.get_absolute_url(), "course", course.title_en, course.title_zh)


def _exam(exam) -> xapi.Activity:
    return xapi.Activity(exam.get_absolute_url(), "assessment", exam.title_en, exam.title_zh)


def _standard_level(level) -> xapi.Activity:
    standard = level.standard
    path = reverse("exams:standard_detail", args=[standard.pk]) + f"#level-{level.level}"
    return xapi.Activity(
        path,
        "standard",
        f"{standard.name_en} · {level.name_en}",
        f"{standard.name_zh} · {level.name_zh}",
    )


def _certificate(certificate) -> xapi.Activity:
    snapshot = certificate.snapshot or {}
    return xapi.Activity(
        reverse("certificates:verify", args=[certificate.serial]),
        "certificate",
        snapshot.get("achievement_name_en") or certificate.serial,
        snapshot.get("achievement_name_zh") or certificate.serial,
    )


def _exam_context(attempt) -> dict:
    exam = attempt.exam
    level = exam.skill_level
    return {
        "registration": xapi.registration_for(conf.site_url(), "attempt", attempt.pk),
        "groupings": (_standard_level(level),) if level is not None else (),
        "school_id": exam.organization_id,
        "owner_id": level.standard.owner_id if level is not None else None,
    }


# --- Receivers ----------------------------------------------------------------------------------


def on_enrollment(sender, enrollment, **kwargs) -> Statement:
    return _record(
        verb="registered",
        person=enrollment.student,
        activity=_course(enrollment.course),
        timestamp=timezone.now(),
        registration=xapi.registration_for(conf.site_url(), "enrollment", enrollment.pk),
        school_id=enrollment.course.school_id,
        owner_id=None,
    )


def on_completion(sender, enrollment, **kwargs) -> Statement:
    return _record(
        verb="completed",
        person=enrollment.student,
        activity=_course(enrollment.course),
        timestamp=enrollment.completed_at or timezone.now(),
        registration=xapi.registration_for(conf.site_url(), "enrollment", enrollment.pk),
        completion=True,
        school_id=enrollment.course.school_id,
        owner_id=None,
    )


def on_attempt_submitted(sender, attempt, **kwargs) -> Statement:
    return _record(
        verb="attempted",
        person=attempt.student,
        activity=_exam(attempt.exam),
        timestamp=attempt.submitted_at or timezone.now(),
        **_exam_context(attempt),
    )


def on_attempt_graded(sender, attempt, first_result=True, **kwargs) -> Statement:
    # A regrade that changes the result is a new statement with the new score.
    return _record(
        verb="passed" if attempt.passed else "failed",
        person=attempt.student,
        activity=_exam(attempt.exam),
        timestamp=(attempt.graded_at if first_result else None) or timezone.now(),
        percent=attempt.total_percent,
        success=bool(attempt.passed),
        completion=True,
        **_exam_context(attempt),
    )


def _certificate_context(certificate) -> dict:
    site = conf.site_url()
    parents, registration = (), None
    if certificate.attempt_id is not None:
        parents = (_exam(certificate.attempt.exam),)
        registration = xapi.registration_for(site, "attempt", certificate.attempt_id)
    elif certificate.enrollment_id is not None:
        parents = (_course(certificate.enrollment.course),)
        registration = xapi.registration_for(site, "enrollment", certificate.enrollment_id)
    return {
        "parents": parents,
        "registration": registration,
        "school_id": certificate.school_id,
        "owner_id": certificate.government_id,
    }


def on_certificate_issued(sender, certificate, **kwargs) -> Statement:
    return _record(
        verb="issued",
        person=certificate.holder,
        activity=_certificate(certificate),
        timestamp=timezone.now(),
        **_certificate_context(certificate),
    )


def on_certificate_revoked(sender, certificate, **kwargs) -> Statement:
    return _record(
        verb="revoked",
        person=certificate.holder,
        activity=_certificate(certificate),
        timestamp=certificate.status_changed_at or timezone.now(),
        response=certificate.revocation_reason,
        **_certificate_context(certificate),
    )


# --- Export -------------------------------------------------------------------------------------


def json_lines(statements: QuerySet) -> Iterator[str]:
    """The statements as JSON lines (one statement per line, UTF-8), read in chunks."""
    for data in statements.values_list("data", flat=True).iterator(chunk_size=1000):
        yield json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
