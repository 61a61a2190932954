"""Learning records: one xAPI statement per learning event, written with the event.

The lower apps send a signal inside the transaction of each event (courses.signals,
exams.signals, certificates.signals; connected in ReportsConfig.ready()); the receivers
here gather the event's values, let reports.xapi build the statement and store it, so a
statement exists exactly when its event committed. reports.lrs forwards them; the export
(reports.views, reports.api) reads them by period; reports.backfill writes, with the same
builders, those of events that happened before statements were recorded.

An exam result (passed / failed) is recorded when the student may see it, not when it is
graded: at grading if the exam shows results at once, else when the exam releases them
(exams.signals.results_released: the close, or a teacher showing them). A released result
changed later (regrading, re-marking) is withdrawn by an xAPI voiding statement and recorded
again with its new outcome and score.
"""

import json
import uuid
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet
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


def learners_prime(people) -> None:
    """Give each person an opaque id and keep it on the instances, in two queries for all of
    them (the backfill's batches; `learner_id` then asks nothing)."""
    people = [p for p in people if "_xapi_learner_id" not in p.__dict__]
    if not people:
        return
    Learner.objects.bulk_create([Learner(person=p) for p in people], ignore_conflicts=True)
    ids = dict(
        Learner.objects.filter(person__in={p.pk for p in people}).values_list("person_id", "id")
    )
    for person in people:
        person.__dict__["_xapi_learner_id"] = str(ids[person.pk])


# Statements the backfill writes have ids derived from what they record, so that running it
# twice at once (or again on a restored copy) cannot write one event twice.
BACKFILL_NAMESPACE = uuid.UUID("0b9c7e3e-5a51-4d0e-8f0a-3c6b1f2d9e47")


def backfill_id(source: str, source_id: int, verb: str, extra: str = "") -> uuid.UUID:
    site = conf.site_url().rstrip("/")
    return uuid.uuid5(BACKFILL_NAMESPACE, f"{site}/{source}/{source_id}/{verb}/{extra}")


def _build(
    *,
    verb: str,
    person,
    activity: xapi.Activity,
    timestamp,
    school_id,
    owner_id,
    source: str,
    source_id: int,
    statement_id: uuid.UUID | None = None,
    **values,
) -> Statement:
    """The statement of one event, not saved (the receivers save it, the backfill saves many)."""
    statement_id = statement_id or uuid.uuid4()
    event = xapi.Event(
        verb=verb,
        statement_id=statement_id,
        site_url=conf.site_url(),
        learner=learner_id(person),
        activity=activity,
        timestamp=timestamp,
        **values,
    )
    return Statement(
        id=statement_id,
        data=xapi.statement(event),
        verb=verb,
        person=person,
        timestamp=timestamp,
        school_id=school_id,
        owner_id=owner_id,
        source=source,
        source_id=source_id,
    )


def _store(statement: Statement) -> Statement:
    statement.save(force_insert=True)
    return statement


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


# --- Statements, one builder per kind (the receivers and the backfill share them) --------------

ENROLLMENT = Statement.Source.ENROLLMENT
ATTEMPT = Statement.Source.ATTEMPT
CERTIFICATE = Statement.Source.CERTIFICATE
RESULT_VERBS = (Statement.Verb.PASSED, Statement.Verb.FAILED)


def registered(enrollment, *, timestamp, statement_id=None) -> Statement:
    return _build(
        verb="registered",
        person=enrollment.student,
        activity=_course(enrollment.course),
        timestamp=timestamp,
        registration=xapi.registration_for(conf.site_url(), "enrollment", enrollment.pk),
        school_id=enrollment.course.school_id,
        owner_id=None,
        source=ENROLLMENT,
        source_id=enrollment.pk,
        statement_id=statement_id,
    )


def completed(enrollment, *, timestamp, statement_id=None) -> Statement:
    return _build(
        verb="completed",
        person=enrollment.student,
        activity=_course(enrollment.course),
        timestamp=timestamp,
        registration=xapi.registration_for(conf.site_url(), "enrollment", enrollment.pk),
        completion=True,
        school_id=enrollment.course.school_id,
        owner_id=None,
        source=ENROLLMENT,
        source_id=enrollment.pk,
        statement_id=statement_id,
    )


def attempted(attempt, *, timestamp, statement_id=None) -> Statement:
    return _build(
        verb="attempted",
        person=attempt.student,
        activity=_exam(attempt.exam),
        timestamp=timestamp,
        source=ATTEMPT,
        source_id=attempt.pk,
        statement_id=statement_id,
        **_exam_context(attempt),
    )


def result(attempt, *, timestamp, statement_id=None) -> Statement:
    """Passed or failed, with the score: the attempt's result as it stands."""
    return _build(
        verb="passed" if attempt.passed else "failed",
        person=attempt.student,
        activity=_exam(attempt.exam),
        timestamp=timestamp,
        percent=attempt.total_percent,
        success=bool(attempt.passed),
        completion=True,
        source=ATTEMPT,
        source_id=attempt.pk,
        statement_id=statement_id,
        **_exam_context(attempt),
    )


def result_key(attempt) -> str:
    """What a result statement says (pass/fail and score), for ids and comparisons."""
    percent = attempt.total_percent
    score = "" if percent is None else str(Decimal(percent).quantize(Decimal("0.01")))
    return f"{bool(attempt.passed)}:{score}"


def _statement_result_key(statement: Statement) -> str:
    found = statement.data.get("result") or {}
    raw = (found.get("score") or {}).get("raw")
    score = "" if raw is None else str(Decimal(str(raw)).quantize(Decimal("0.01")))
    return f"{bool(found.get('success'))}:{score}"


def issued(certificate, *, timestamp, statement_id=None) -> Statement:
    return _build(
        verb="issued",
        person=certificate.holder,
        activity=_certificate(certificate),
        timestamp=timestamp,
        source=CERTIFICATE,
        source_id=certificate.pk,
        statement_id=statement_id,
        **_certificate_context(certificate),
    )


def revoked(certificate, *, timestamp, statement_id=None) -> Statement:
    return _build(
        verb="revoked",
        person=certificate.holder,
        activity=_certificate(certificate),
        timestamp=timestamp,
        response=certificate.revocation_reason,
        source=CERTIFICATE,
        source_id=certificate.pk,
        statement_id=statement_id,
        **_certificate_context(certificate),
    )


def voiding(voided: Statement, *, timestamp) -> Statement:
    """The statement withdrawing `voided`; exported to the same readers as it."""
    statement_id = uuid.uuid4()
    return Statement(
        id=statement_id,
        data=xapi.voiding(
            statement_id=statement_id,
            site_url=conf.site_url(),
            voided_id=voided.pk,
            timestamp=timestamp,
        ),
        verb=Statement.Verb.VOIDED,
        person_id=voided.person_id,
        timestamp=timestamp,
        school_id=voided.school_id,
        owner_id=voided.owner_id,
        source=voided.source,
        source_id=voided.source_id,
        voids=voided,
    )


# --- Exam results: recorded once released, voided and recorded again when they change ---------


def current_results(attempt_ids=None):
    """The result statements not voided (one per attempt, once released)."""
    found = Statement.objects.filter(source=ATTEMPT, verb__in=RESULT_VERBS, voided_by__isnull=True)
    return found if attempt_ids is None else found.filter(source_id__in=attempt_ids)


def has_current_result():
    """For an Attempt queryset: the attempt has a result statement not voided."""
    return Exists(current_results().filter(source_id=OuterRef("pk")))


def result_released_at(attempt, *, released_at=None):
    """When the student could first see the attempt's result: its grading, or the moment its
    exam released held results (the close, or a teacher showing them), whichever is later."""
    moment = attempt.graded_at
    exam = attempt.exam
    if released_at is None and not exam.release_results and exam.closes_at is not None:
        released_at = exam.closes_at
    if released_at is not None and (moment is None or released_at > moment):
        moment = released_at
    return moment


def result_record(attempt, *, timestamp, now=None) -> list[Statement]:
    """Make the learning records say the attempt's released result; returns what was written.

    Nothing while the result is not released (exams.models.Attempt.results_released: graded,
    and the exam shows results at once or has closed). Released and not yet recorded: a
    passed/failed statement. Recorded and since changed (pass/fail or score, on regrading
    or re-marking): a voiding statement for the old one, then the new result. The caller
    holds the attempt's row lock (grading) or the release's transaction.
    """
    now = now or timezone.now()
    if attempt.passed is None or not attempt.results_released(now):
        return []
    current = current_results([attempt.pk]).order_by("-stored_at").first()
    if current is not None and _statement_result_key(current) == result_key(attempt):
        return []
    written = []
    if current is not None:
        written.append(_store(voiding(current, timestamp=now)))
    written.append(_store(result(attempt, timestamp=timestamp)))
    return written


# --- Receivers ----------------------------------------------------------------------------------


def on_enrollment(sender, enrollment, **kwargs) -> Statement:
    # A re-enrolment is registered again, at its own time.
    return _store(registered(enrollment, timestamp=timezone.now()))


def on_completion(sender, enrollment, **kwargs) -> Statement:
    return _store(completed(enrollment, timestamp=enrollment.completed_at or timezone.now()))


def on_attempt_submitted(sender, attempt, **kwargs) -> Statement:
    return _store(attempted(attempt, timestamp=attempt.submitted_at or timezone.now()))


def on_attempt_graded(sender, attempt, first_result=True, **kwargs) -> list[Statement]:
    """A result, or a changed one: recorded if the student may see it now, else left for the
    release (on_results_released); a change after release voids the statement it replaces."""
    now = timezone.now()
    timestamp = result_released_at(attempt) if first_result else now
    return result_record(attempt, timestamp=timestamp or now, now=now)


def on_results_released(sender, exam, released_at=None, **kwargs) -> int:
    """An exam's held results became visible (it closed, or a teacher showed them): each
    graded attempt without a result statement gets one; returns how many were written."""
    from exams.models import Attempt

    now = timezone.now()
    # Locked: a grading of one of them committing meanwhile (its UPDATE holds the row) is
    # waited for, and result_record then sees the statement that grading wrote.
    waiting = (
        Attempt.objects.filter(exam=exam, status=Attempt.Status.GRADED, passed__isnull=False)
        .exclude(has_current_result())
        .select_related("student", "exam__skill_level__standard")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    written = 0
    for attempt in waiting:
        stamp = result_released_at(attempt, released_at=released_at) or now
        written += len(result_record(attempt, timestamp=stamp, now=now))
    return written


def on_certificate_issued(sender, certificate, **kwargs) -> Statement:
    return _store(issued(certificate, timestamp=certificate.created_at or timezone.now()))


def on_certificate_revoked(sender, certificate, **kwargs) -> Statement:
    return _store(revoked(certificate, timestamp=certificate.status_changed_at or timezone.now()))


# --- Export -------------------------------------------------------------------------------------


def json_lines(statements: QuerySet) -> Iterator[str]:
    """The statements as JSON lines (one statement per line, UTF-8), read in chunks."""
    for data in statements.values_list("data", flat=True).iterator(chunk_size=1000):
        yield json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
