"""An exam's terms for one candidate (its own, or a cohort's or the candidate's override),
the one place a deadline is computed, and the staff's writes of overrides (audited).

Like Moodle's group and user overrides: the candidate's own override wins, field by field;
between the cohorts a candidate is in, the most lenient value counts (the earliest opening,
the latest closing, the longest time limit, the most attempts).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from courses.models import Enrollment
from organizations.audit import record
from organizations.models import AuditEntry

from ..models import Accommodation, Exam, ExamOverride, Sitting
from .auditing import exam_scope
from .errors import ExamError

Action = AuditEntry.Action
FIELDS = ("opens_at", "closes_at", "time_limit_minutes", "attempts_allowed")


@dataclass(frozen=True)
class Terms:
    opens_at: datetime | None
    closes_at: datetime | None
    time_limit_minutes: int
    attempts_allowed: int
    overridden: frozenset = frozenset()

    def is_closed(self, now) -> bool:
        return self.closes_at is not None and now >= self.closes_at


_LENIENT = {
    "opens_at": min,
    "closes_at": max,
    "time_limit_minutes": max,
    "attempts_allowed": max,
}


def combine(exam_terms: dict, cohort_terms: list[dict], own_terms: dict | None) -> Terms:
    """The terms that apply (pure): the candidate's own override, else the most lenient of
    their cohorts' overrides, else the exam's; field by field."""
    values = dict(exam_terms)
    overridden = set()
    for field in FIELDS:
        if own_terms and field in own_terms:
            values[field] = own_terms[field]
            overridden.add(field)
            continue
        given = [terms[field] for terms in cohort_terms if field in terms]
        if given:
            values[field] = _LENIENT[field](given)
            overridden.add(field)
    return Terms(**{field: values.get(field) for field in FIELDS}, overridden=frozenset(overridden))


def _exam_terms(exam: Exam) -> dict:
    return {field: getattr(exam, field) for field in FIELDS}


def terms_for(*, exam: Exam, student) -> Terms:
    """The exam's terms for this candidate, with the overrides that concern them (one query;
    none for an exam fetched `with_override_flag()` that has no overrides)."""
    if getattr(exam, "has_overrides", None) is False:
        return combine(_exam_terms(exam), [], None)
    cohorts = Enrollment.objects.active().filter(student=student).values("cohort_id")
    overrides = list(
        ExamOverride.objects.filter(exam=exam).filter(Q(student=student) | Q(cohort__in=cohorts))
    )
    own = next((o.terms() for o in overrides if o.student_id == student.pk), None)
    return combine(_exam_terms(exam), [o.terms() for o in overrides if o.cohort_id], own)


def terms_by_student(exam: Exam, student_ids) -> dict[int, Terms]:
    """The terms of many candidates at once (two queries), for the invigilator console."""
    overrides = list(ExamOverride.objects.filter(exam=exam))
    if not overrides:
        plain = combine(_exam_terms(exam), [], None)
        return dict.fromkeys(student_ids, plain)
    by_cohort = {o.cohort_id: o.terms() for o in overrides if o.cohort_id}
    own = {o.student_id: o.terms() for o in overrides if o.student_id}
    cohorts_of: dict[int, list[int]] = {}
    for student_id, cohort_id in (
        Enrollment.objects.active()
        .filter(student_id__in=student_ids, cohort_id__in=list(by_cohort))
        .values_list("student_id", "cohort_id")
    ):
        cohorts_of.setdefault(student_id, []).append(cohort_id)
    return {
        pk: combine(_exam_terms(exam), [by_cohort[c] for c in cohorts_of.get(pk, [])], own.get(pk))
        for pk in student_ids
    }


# --- The deadline: computed here and nowhere else --------------------------------------------


def sitting_deadline(
    *, start, duration_minutes: int, terms: Terms, accommodation: Accommodation | None
):
    """A sitting candidate's end of time (pure): the start, plus the sitting's duration or
    the candidate's overridden time limit, plus their accommodation (a percentage of that
    time, extra minutes, rest breaks, and minutes invigilators added)."""
    if start is None:
        return None
    minutes = (
        terms.time_limit_minutes if "time_limit_minutes" in terms.overridden else duration_minutes
    )
    deadline = start + timedelta(minutes=minutes)
    if accommodation is not None:
        deadline += accommodation.extra_for(minutes)
    return deadline


def window_deadline(*, now, terms: Terms):
    """An attempt's end of time outside sittings (pure): its time limit, cut by the closing."""
    limit_end = now + timedelta(minutes=terms.time_limit_minutes)
    return min(limit_end, terms.closes_at) if terms.closes_at else limit_end


def attempt_deadline(
    *, exam: Exam, student, now, sitting: Sitting | None = None, terms: Terms | None = None
):
    """The deadline an attempt of this candidate starting now gets (None: not released).

    `terms`: the candidate's, when the caller has them already (saves their query)."""
    terms = terms or terms_for(exam=exam, student=student)
    if sitting is None:
        return window_deadline(now=now, terms=terms)
    try:  # unique: get() needs no ORDER BY, which first() builds
        accommodation = Accommodation.objects.get(sitting=sitting, student=student)
    except Accommodation.DoesNotExist:
        accommodation = None
    return sitting_deadline(
        start=sitting.effective_start,
        duration_minutes=sitting.duration_minutes,
        terms=terms,
        accommodation=accommodation,
    )


# --- Staff writes ---------------------------------------------------------------------------


def _jsonable(terms: dict) -> dict:
    return {
        key: value.isoformat() if hasattr(value, "isoformat") else value
        for key, value in terms.items()
    }


@transaction.atomic
def override_set(
    *,
    exam: Exam,
    cohort=None,
    student=None,
    opens_at=None,
    closes_at=None,
    time_limit_minutes: int | None = None,
    attempts_allowed: int | None = None,
    reason: str,
    actor,
) -> ExamOverride:
    """Create or change the override of one cohort or one candidate; audited with its reason."""
    if (cohort is None) == (student is None):
        raise ExamError(_("Choose a cohort or a candidate, not both."), code="target")
    if not reason.strip():
        raise ExamError(_("Say why the terms are overridden."), code="reason")
    values = {
        "opens_at": opens_at,
        "closes_at": closes_at,
        "time_limit_minutes": time_limit_minutes,
        "attempts_allowed": attempts_allowed,
    }
    if all(value is None for value in values.values()):
        raise ExamError(
            _("Override at least one of the dates, time limit or attempts."), code="empty"
        )
    if time_limit_minutes is not None and not 1 <= time_limit_minutes <= 24 * 60:
        raise ExamError(_("The time limit is between 1 and 1440 minutes."), code="time_limit")
    if attempts_allowed is not None and not 1 <= attempts_allowed <= 20:
        raise ExamError(_("Allow between 1 and 20 attempts."), code="attempts")
    if opens_at and closes_at and closes_at <= opens_at:
        raise ExamError(_("The exam must close after it opens."), code="dates")
    target = {"cohort": cohort} if cohort is not None else {"student": student}
    existing = (
        ExamOverride.objects.select_for_update(of=("self",)).filter(exam=exam, **target).first()
    )
    before = _jsonable(existing.terms()) if existing else {}
    override, _created = ExamOverride.objects.update_or_create(
        exam=exam, **target, defaults={**values, "reason": reason.strip()}
    )
    record(
        Action.EXAM_OVERRIDE_SET,
        obj=exam,
        actor=actor,
        **exam_scope(exam),
        before=before,
        after={**_jsonable(override.terms()), "for": str(cohort or student.get_username())},
        note=reason.strip(),
    )
    return override


@transaction.atomic
def override_remove(*, override: ExamOverride, actor) -> None:
    exam = override.exam
    record(
        Action.EXAM_OVERRIDE_REMOVED,
        obj=exam,
        actor=actor,
        **exam_scope(exam),
        before={
            **_jsonable(override.terms()),
            "for": str(override.cohort or override.student.get_username()),
        },
        note=override.reason,
    )
    override.delete()
