"""Backfill: the learning records of events that happened before statements were recorded.

A database upgraded from before learning records (or events written past the signals, e.g.
by an import) has enrolments, completions, attempts, results and certificates without their
xAPI statements, so an export or an LRS would miss that history. `backfill()` writes the
missing ones with the builders the live receivers use (reports.learning_records), each
timestamped with its event's own time:

- registered: every enrolment without one (its enrolment time);
- completed: every completed enrolment without one (its completion time);
- attempted: every submitted attempt without one (its submission time);
- passed / failed: every graded attempt whose result is released
  (exams.models.Attempt.results_released) and has no result statement not voided (the
  moment the student could see it: learning_records.result_released_at);
- issued: every certificate without one (its creation time);
- revoked: every revoked certificate without one (its status change time).

Idempotent: a row that has its statement is skipped, and the ids written are derived from
the row and the verb (learning_records.backfill_id), so two runs at once cannot write an
event twice. It works in batches of rows in key order, each batch in its own transaction,
reporting progress after each.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Enrollment
from exams.models import Attempt

from . import learning_records as records
from .models import Statement

BATCH_SIZE = 500


@dataclass(frozen=True)
class Kind:
    verb: str
    source: str
    rows: Callable  # () -> queryset of the rows whose event it is
    build: Callable  # (row, statement_id) -> unsaved Statement
    person: Callable  # row -> the person (learner ids are made per batch)


def _without(source: str, verbs) -> Exists:
    return Exists(Statement.objects.filter(source=source, source_id=OuterRef("pk"), verb__in=verbs))


def _enrollments():
    return Enrollment.objects.select_related("student", "course")


def _attempts():
    return Attempt.objects.select_related("student", "exam__skill_level__standard")


def _certificates():
    return Certificate.objects.select_related("holder", "attempt__exam", "enrollment__course")


def _released(now):
    """Graded attempts whose result the student may see (Attempt.results_released)."""
    return _attempts().filter(
        Q(exam__release_results=True) | Q(exam__closes_at__lte=now),
        status=Attempt.Status.GRADED,
        passed__isnull=False,
    )


def kinds(now) -> list[Kind]:
    return [
        Kind(
            "registered",
            records.ENROLLMENT,
            lambda: _enrollments().exclude(_without(records.ENROLLMENT, ["registered"])),
            lambda e, sid: records.registered(e, timestamp=e.enrolled_at, statement_id=sid),
            lambda e: e.student,
        ),
        Kind(
            "completed",
            records.ENROLLMENT,
            lambda: (
                _enrollments()
                .filter(completed_at__isnull=False)
                .exclude(_without(records.ENROLLMENT, ["completed"]))
            ),
            lambda e, sid: records.completed(e, timestamp=e.completed_at, statement_id=sid),
            lambda e: e.student,
        ),
        Kind(
            "attempted",
            records.ATTEMPT,
            lambda: (
                _attempts()
                .filter(submitted_at__isnull=False)
                .exclude(_without(records.ATTEMPT, ["attempted"]))
            ),
            lambda a, sid: records.attempted(a, timestamp=a.submitted_at, statement_id=sid),
            lambda a: a.student,
        ),
        Kind(
            "result",
            records.ATTEMPT,
            lambda: _released(now).exclude(records.has_current_result()),
            lambda a, sid: records.result(
                a, timestamp=records.result_released_at(a), statement_id=sid
            ),
            lambda a: a.student,
        ),
        Kind(
            "issued",
            records.CERTIFICATE,
            lambda: _certificates().exclude(_without(records.CERTIFICATE, ["issued"])),
            lambda c, sid: records.issued(c, timestamp=c.created_at, statement_id=sid),
            lambda c: c.holder,
        ),
        Kind(
            "revoked",
            records.CERTIFICATE,
            lambda: (
                _certificates()
                .filter(status=Certificate.Status.REVOKED)
                .exclude(_without(records.CERTIFICATE, ["revoked"]))
            ),
            lambda c, sid: records.revoked(
                c, timestamp=c.status_changed_at or c.created_at, statement_id=sid
            ),
            lambda c: c.holder,
        ),
    ]


@dataclass
class Progress:
    written: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.written.values())


def _statement_id(kind: Kind, row):
    # A result's id also names the outcome: a result changed since, backfilled on a restored
    # copy, is a different statement, not a conflicting one.
    extra = records.result_key(row) if kind.verb == "result" else ""
    return records.backfill_id(kind.source, row.pk, kind.verb, extra)


def backfill(*, batch_size: int = BATCH_SIZE, report: Callable | None = None, now=None) -> Progress:
    """Write the statements missing for past events; `report(verb, done, total)` is called
    after each batch. Returns how many statements were written per kind."""
    now = now or timezone.now()
    progress = Progress()
    for kind in kinds(now):
        total = kind.rows().count()
        done, last_pk = 0, 0
        progress.written[kind.verb] = progress.skipped[kind.verb] = 0
        while True:
            with transaction.atomic():
                rows = kind.rows().filter(pk__gt=last_pk).order_by("pk")
                if kind.verb == "result":
                    # A release or grading committing meanwhile writes the result itself:
                    # its row is waited for, then those recorded since are left out.
                    rows = rows.select_for_update(of=("self",))
                batch = list(rows[:batch_size])
                if not batch:
                    break
                last_pk, fetched = batch[-1].pk, len(batch)
                if kind.verb == "result":
                    recorded = set(
                        records.current_results([a.pk for a in batch]).values_list(
                            "source_id", flat=True
                        )
                    )
                    batch = [a for a in batch if a.pk not in recorded]
                records.learners_prime([kind.person(row) for row in batch])
                built = [kind.build(row, _statement_id(kind, row)) for row in batch]
                held = set(
                    Statement.objects.filter(pk__in=[s.pk for s in built]).values_list(
                        "pk", flat=True
                    )
                )
                new = [s for s in built if s.pk not in held]
                # ignore_conflicts: another run writing the same ids at once loses nothing.
                Statement.objects.bulk_create(new, ignore_conflicts=True)
            done += fetched
            progress.written[kind.verb] += len(new)
            progress.skipped[kind.verb] += len(held)
            if report is not None:
                report(kind.verb, done, total)
    return progress
