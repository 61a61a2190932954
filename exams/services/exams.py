"""Exams: saving an exam with its blueprint, the rules for publishing it, its accreditation."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organizations.models import Organization

from .. import grading
from ..models import (
    Accreditation,
    Attempt,
    BlueprintRule,
    Exam,
    ExamSection,
    SkillStandard,
)
from ..papers import bank_depth
from ..signals import results_released
from .auditing import audit, exam_scope
from .errors import ExamError

# --- Exams --------------------------------------------------------------------------------


@transaction.atomic
def exam_save(
    *, exam: Exam | None, fields: dict, banks=None, sections: list[dict] | None = None, by=None
) -> Exam:
    """Create or update an exam with its banks and blueprint, all or nothing.

    `sections` is [{"part": ..., "rules": [{"competency", "difficulty", "kind", "count"}]}];
    attempts keep the questions they drew, so a new blueprint simply replaces the old one.
    """
    if exam is None:
        exam = Exam(created_by=by)
    # As stored, not as a form may already have set it on the instance.
    stored = Exam.objects.filter(pk=exam.pk).first() if exam.pk else None
    was_published = bool(stored and stored.is_published)
    now = timezone.now()
    results_were_held = stored is not None and not (stored.release_results or stored.is_closed(now))
    for name, value in fields.items():
        setattr(exam, name, value)
    exam.save()
    if results_were_held and (exam.release_results or exam.is_closed(now)):
        # Held results show from now on (learning records record them).
        results_released.send(sender=Exam, exam=exam, released_at=now)
    if banks is not None:
        exam.banks.set(banks)
    if sections is not None:
        exam.sections.all().delete()
        for position, section in enumerate(sections, start=1):
            row = ExamSection.objects.create(exam=exam, part=section["part"], position=position)
            BlueprintRule.objects.bulk_create(
                BlueprintRule(section=row, **rule) for rule in section["rules"]
            )
    if exam.is_published:
        problems = exam_publish_problems(exam)
        if problems:
            # Raised inside the transaction: nothing of this save is kept.
            raise ExamError(problems, code="cannot_publish")
    if exam.is_published != was_published:
        _audit_publication(exam, by=by)
    return exam


def _audit_publication(exam: Exam, *, by) -> None:
    audit.record(
        audit.Action.EXAM_PUBLISHED if exam.is_published else audit.Action.EXAM_UNPUBLISHED,
        obj=exam,
        actor=by,
        **exam_scope(exam),
        before={"is_published": not exam.is_published},
        after={"is_published": exam.is_published},
    )


@transaction.atomic
def exam_set_published(*, exam: Exam, published: bool, by=None) -> Exam:
    """Publish an exam (refused with every problem of exam_publish_problems) or take it
    down: students can no longer start it, attempts under way are kept."""
    # Only the exam row: FOR UPDATE would otherwise also lock its school's row (the join).
    exam = (
        Exam.objects.select_for_update(of=("self",)).select_related("organization").get(pk=exam.pk)
    )
    if published:
        problems = exam_publish_problems(exam)
        if problems:
            raise ExamError(problems, code="cannot_publish")
    if exam.is_published != published:
        exam.is_published = published
        exam.save(update_fields=["is_published"])
        _audit_publication(exam, by=by)
    return exam


def exam_publish_problems(exam: Exam) -> list[str]:
    """Everything that stops this exam from being published (empty: it may be).

    A skill-level exam issues a government-standard certificate, so it must be held by a
    school accredited for the level, and its blueprint must examine what the level's pass
    rule weighs: a practical part only of human-marked tasks, which a teacher and an
    enterprise mentor both mark.
    """
    problems = []
    if exam.organization.kind != Organization.Kind.SCHOOL:
        problems.append(_("Only a school holds exams; enterprise staff mark as mentors."))
    problems += _depth_problems(exam)
    level = exam.skill_level
    if level is None:
        return problems
    if level.standard.status != SkillStandard.Status.PUBLISHED:
        problems.append(
            _("The skill standard %(standard)s is not published.") % {"standard": level.standard}
        )
    if not school_may_assess(exam=exam):
        problems.append(
            _("%(school)s is not accredited to assess %(level)s.")
            % {"school": exam.organization.name, "level": level}
        )
    rules = {part: [] for part in ExamSection.Part.values}
    for rule in BlueprintRule.objects.filter(section__exam=exam).select_related("section"):
        rules[rule.section.part].append(rule)
    for part, weight in ((ExamSection.Part.THEORY, level.theory_weight),
                         (ExamSection.Part.PRACTICAL, level.practical_weight)):  # fmt: skip
        if weight and not rules[part]:
            problems.append(
                _("This level weighs the %(part)s part %(weight)s %%; add questions to it.")
                % {"part": ExamSection.Part(part).label, "weight": f"{weight.normalize():f}"}
            )
    for rule in rules[ExamSection.Part.PRACTICAL]:
        if rule.kind not in grading.MANUAL_KINDS:
            problems.append(
                _(
                    "The practical part takes only tasks a teacher and a mentor mark "
                    "(essay or practical task); a row draws %(kind)s."
                )
                % {"kind": rule.kind or _("any kind")}
            )
    return problems


def _depth_problems(exam: Exam) -> list[str]:
    """Each blueprint row must fill every attempt allowed with questions not seen before,
    or a retake would show questions whose keys an earlier review revealed."""
    problems = []
    for depth in bank_depth(exam):
        needed = depth.wanted * exam.attempts_allowed
        if depth.available < needed:
            problems.append(
                ngettext(
                    "A %(part)s row (%(competency)s, difficulty %(difficulty)s) needs "
                    "%(needed)s questions for %(attempts)s attempt; the banks have %(have)s.",
                    "A %(part)s row (%(competency)s, difficulty %(difficulty)s) needs "
                    "%(needed)s questions for %(attempts)s attempts; the banks have %(have)s.",
                    exam.attempts_allowed,
                )
                % {
                    "part": ExamSection.Part(depth.part).label,
                    "competency": depth.competency or _("any competency"),
                    "difficulty": depth.difficulty,
                    "needed": needed,
                    "attempts": exam.attempts_allowed,
                    "have": depth.available,
                }
            )
    return problems


def _in_force_for(exam: Exam, on=None):
    """The accreditations in force on `on` covering the exam's school and level."""
    return Accreditation.objects.in_force(on).covering(
        exam.skill_level, school_id=exam.organization_id
    )


def school_may_assess(*, exam: Exam, on=None) -> bool:
    """Is the exam's school accredited for its skill level on `on` (today by default)?"""
    # exists(), not exam_accreditation(): every start asks, and which accreditation it is
    # (the newest, an ORDER BY) does not change the answer.
    return exam.skill_level_id is not None and _in_force_for(exam, on).exists()


def attempt_accreditation(attempt: Attempt) -> Accreditation | None:
    """The accreditation the attempt was sat under: valid on the day it started and not
    withdrawn since (a suspension stops new sittings, not the results of earlier ones)."""
    exam = attempt.exam
    if exam.skill_level_id is None:
        return None
    return (
        Accreditation.objects.valid_on(timezone.localdate(attempt.started_at))
        .covering(exam.skill_level, school_id=exam.organization_id)
        .exclude(status=Accreditation.Status.WITHDRAWN)
        .order_by("-valid_from", "-pk")
        .first()
    )


def exam_accreditation(*, exam: Exam, on=None) -> Accreditation | None:
    """The accreditation in force on `on` under which the school examines the exam's level."""
    if exam.skill_level_id is None:
        return None
    return _in_force_for(exam, on).order_by("-valid_from", "-pk").first()
