"""Who may do what with exams: the one place views, API and admin ask.

Marking is blind and split by role: a teacher of the organising school gives the teacher
mark (and adjudicates answers they did not mark); an enterprise mentor gives the mentor
mark on practical work of the students in their own cohorts only.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from courses.models import Cohort, Enrollment
from organizations.access import Role, has_role, is_platform_admin, organization_ids
from organizations.models import Membership, Organization

from .models import (
    Attempt,
    AttemptQuestion,
    Exam,
    Mark,
    QuestionBank,
    QuestionTag,
    Sitting,
    SkillStandard,
)
from .models.attempts import DUAL_MARKED

# Only schools author questions and exams: an enterprise's staff mark as mentors, and a
# government body owns the standards. Administrators of an enterprise are not authors.
AUTHOR_ROLES = (Role.TEACHER, Role.ADMIN)
STAFF_ROLES = (Role.TEACHER, Role.MENTOR, Role.ADMIN)
STANDARD_ROLES = (Role.REGULATOR, Role.ADMIN)


# --- Authoring ------------------------------------------------------------------------------


def is_exam_staff(user) -> bool:
    """May open the staff pages at all: a teacher, mentor or administrator somewhere."""
    return is_platform_admin(user) or has_role(user, None, *STAFF_ROLES)


def author_school_ids(user) -> set[int]:
    """The schools whose questions and exams the user writes (teacher or administrator)."""
    return organization_ids(user, AUTHOR_ROLES, kind=Organization.Kind.SCHOOL)


def can_author_any(user) -> bool:
    return is_platform_admin(user) or bool(author_school_ids(user))


def can_edit_marketplace_rules(user) -> bool:
    """Teachers and administrators of a school (or the platform) edit the marketplace rules
    that listing questions are written against. The rules are shared by every school; an
    edit is a new version, so no question or attempt already written changes."""
    return can_author_any(user)


def can_author_for(user, organization_id: int | None) -> bool:
    """Teachers and admins of a school write that school's questions and exams."""
    return is_platform_admin(user) or organization_id in author_school_ids(user)


def can_author_bank(user, bank: QuestionBank) -> bool:
    """Teachers and admins of the owning school write its questions."""
    return can_author_for(user, bank.organization_id)


def can_author_exam(user, exam: Exam) -> bool:
    """Teachers and admins of the organising school build and follow its exams."""
    return can_author_for(user, exam.organization_id)


def authored_banks(user) -> QuerySet[QuestionBank]:
    if is_platform_admin(user):
        return QuestionBank.objects.all()
    return QuestionBank.objects.filter(organization_id__in=author_school_ids(user))


def authored_tags(user) -> QuerySet[QuestionTag]:
    """The question tags of the schools whose questions the user writes."""
    if is_platform_admin(user):
        return QuestionTag.objects.all()
    return QuestionTag.objects.filter(organization_id__in=author_school_ids(user))


def authored_exams(user) -> QuerySet[Exam]:
    if is_platform_admin(user):
        return Exam.objects.all()
    return Exam.objects.filter(organization_id__in=author_school_ids(user))


# --- Standards ------------------------------------------------------------------------------


def standard_body_ids(user) -> set[int]:
    """The government bodies whose standards the user writes (regulator or administrator):
    an administrator of a school or an enterprise owns no standard."""
    return organization_ids(user, STANDARD_ROLES, kind=Organization.Kind.GOVERNMENT)


def can_publish_standard(user, standard: SkillStandard) -> bool:
    """Regulators and admins of the owning government body write, publish and re-version it,
    and accredit, suspend and withdraw the schools that assess it."""
    return is_platform_admin(user) or standard.owner_id in standard_body_ids(user)


can_manage_standard = can_publish_standard


def can_manage_standards_any(user) -> bool:
    """May open the standards workspace: a regulator or administrator of a government body."""
    return is_platform_admin(user) or bool(standard_body_ids(user))


def standard_owners(user) -> QuerySet[Organization]:
    """The government bodies the user may create a standard for."""
    bodies = Organization.objects.filter(kind=Organization.Kind.GOVERNMENT, is_active=True)
    if is_platform_admin(user):
        return bodies
    return bodies.filter(pk__in=standard_body_ids(user))


def managed_standards(user) -> QuerySet[SkillStandard]:
    if is_platform_admin(user):
        return SkillStandard.objects.all()
    return SkillStandard.objects.filter(owner_id__in=standard_body_ids(user))


# --- Marking --------------------------------------------------------------------------------


def _has_mark(role: str) -> Exists:
    return Exists(Mark.objects.filter(attempt_question=OuterRef("pk"), role=role))


def _mentored_by(user) -> Q:
    """Answers of students in a cohort `user` mentors (of the exam's course, when it has one)."""
    cohorts = Enrollment.objects.filter(cohort__mentor=user, student=OuterRef("attempt__student"))
    return Q(Exists(cohorts.filter(course=OuterRef("attempt__exam__course")))) | Q(
        Exists(cohorts), attempt__exam__course__isnull=True
    )


def _teacher_rule(user) -> Q | None:
    schools = organization_ids(user, [Role.TEACHER])
    if not schools:
        return None
    # A teacher mark is missing, or the two marks disagree and need a third grader.
    return Q(attempt__exam__organization_id__in=schools) & (
        ~_has_mark(Mark.Role.TEACHER) | Q(needs_adjudication=True)
    )


def _mentor_rule(user) -> Q | None:
    if not has_role(user, None, Role.MENTOR):
        return None
    return DUAL_MARKED & ~_has_mark(Mark.Role.MENTOR) & _mentored_by(user)


# The order answers wait in: oldest submission first, then by paper and question.
QUEUE_ORDER = ("attempt__submitted_at", "attempt_id", "position")


def grading_queue(user) -> QuerySet[AttemptQuestion]:
    """Answers waiting for this user's mark, oldest submission first (a few queries at most)."""
    if not user.is_authenticated:
        return AttemptQuestion.objects.none()
    rules = [rule for rule in (_teacher_rule(user), _mentor_rule(user)) if rule is not None]
    if not rules:
        return AttemptQuestion.objects.none()
    wanted = rules[0]
    for rule in rules[1:]:
        wanted |= rule
    return (
        AttemptQuestion.objects.filter(
            wanted, needs_marking=True, attempt__status=Attempt.Status.SUBMITTED
        )
        .exclude(Exists(Mark.objects.filter(attempt_question=OuterRef("pk"), grader=user)))
        .exclude(attempt__student=user)
        .annotate(has_teacher_mark=_has_mark(Mark.Role.TEACHER))
        .select_related("attempt__exam", "version__question")
        .order_by(*QUEUE_ORDER)
    )


def queue_neighbours(
    queue: QuerySet[AttemptQuestion], answer: AttemptQuestion
) -> tuple[int | None, int | None]:
    """The ids of the answers just before and just after `answer` in the queue's order (two
    queries of one row each; `answer` itself need not be in the queue, e.g. just marked)."""
    at = answer.attempt.submitted_at
    if at is None:
        return None, None
    same_attempt = Q(attempt__submitted_at=at, attempt_id=answer.attempt_id)
    after = (
        Q(attempt__submitted_at__gt=at)
        | Q(attempt__submitted_at=at, attempt_id__gt=answer.attempt_id)
        | (same_attempt & Q(position__gt=answer.position))
    )
    before = (
        Q(attempt__submitted_at__lt=at)
        | Q(attempt__submitted_at=at, attempt_id__lt=answer.attempt_id)
        | (same_attempt & Q(position__lt=answer.position))
    )
    ids = queue.values_list("pk", flat=True)
    previous = ids.filter(before).order_by(*(f"-{field}" for field in QUEUE_ORDER)).first()
    return previous, ids.filter(after).order_by(*QUEUE_ORDER).first()


# Where an answer in someone's queue stands: nobody marked it yet, one grader did (it waits
# for the second mark), or the two marks disagree (it waits for a third grader).
QUEUE_FIRST_MARK = "first"
QUEUE_SECOND_MARK = "second"
QUEUE_ADJUDICATION = "adjudication"


def narrow_queue(
    queue: QuerySet[AttemptQuestion],
    *,
    exam: Exam | None = None,
    cohort: Cohort | None = None,
    state: str = "",
) -> QuerySet[AttemptQuestion]:
    """A queue narrowed to one exam, the students of one cohort and one state (never widened)."""
    if exam is not None:
        queue = queue.filter(attempt__exam=exam)
    if cohort is not None:
        queue = queue.filter(
            Exists(Enrollment.objects.filter(cohort=cohort, student=OuterRef("attempt__student")))
        )
    any_mark = Exists(Mark.objects.filter(attempt_question=OuterRef("pk")))
    if state == QUEUE_FIRST_MARK:
        queue = queue.filter(~any_mark, needs_adjudication=False)
    elif state == QUEUE_SECOND_MARK:
        queue = queue.filter(any_mark, needs_adjudication=False)
    elif state == QUEUE_ADJUDICATION:
        queue = queue.filter(needs_adjudication=True)
    return queue


def queue_exams(user) -> QuerySet[Exam]:
    """The exams with an answer waiting for this user's mark (the queue's exam filter)."""
    return Exam.objects.filter(
        pk__in=grading_queue(user).order_by().values("attempt__exam_id")
    ).order_by("title_en", "pk")


def queue_cohorts(user) -> QuerySet[Cohort]:
    """The cohorts a user may narrow their queue to: those they teach or mentor, and those of
    the courses of the schools they teach at."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    schools = organization_ids(user, [Role.TEACHER])
    return (
        Cohort.objects.filter(Q(teacher=user) | Q(mentor=user) | Q(course__school_id__in=schools))
        .select_related("course")
        .order_by("course__code", "name", "pk")
    )


def _is_mentor_of(user, question: AttemptQuestion) -> bool:
    if not question.is_dual_marked or not has_role(user, None, Role.MENTOR):
        return False
    return AttemptQuestion.objects.filter(Q(pk=question.pk) & _mentored_by(user)).exists()


def can_mark(user, attempt_question: AttemptQuestion, role: str) -> bool:
    """May `user` give the `role` mark to this answer now?"""
    question = attempt_question
    if not user.is_authenticated or not question.needs_marking:
        return False
    attempt = question.attempt
    if attempt.status != Attempt.Status.SUBMITTED or attempt.student_id == user.pk:
        return False
    marks = {mark.role: mark.grader_id for mark in question.marks.all()}
    if user.pk in marks.values() or role in marks:
        return False
    school = attempt.exam.organization_id
    if role == Mark.Role.TEACHER:
        return has_role(user, school, Role.TEACHER)
    if role == Mark.Role.ADJUDICATOR:
        return question.needs_adjudication and has_role(user, school, Role.TEACHER)
    if role == Mark.Role.MENTOR:
        return _is_mentor_of(user, question)
    return False


def queue_role(user, question: AttemptQuestion) -> str:
    """The role in which `user` marks an answer of their grading queue (no query: the queue
    annotates has_teacher_mark and the user's schools are cached)."""
    if question.needs_adjudication:
        return Mark.Role.ADJUDICATOR
    teaching = organization_ids(user, [Role.TEACHER])
    if question.attempt.exam.organization_id in teaching and not question.has_teacher_mark:
        return Mark.Role.TEACHER
    return Mark.Role.MENTOR


def marking_role(user, attempt_question: AttemptQuestion) -> str | None:
    """The role in which `user` would mark this answer now, or None."""
    if attempt_question.needs_adjudication:
        roles = [Mark.Role.ADJUDICATOR]
    else:
        roles = [Mark.Role.TEACHER, Mark.Role.MENTOR]
    return next((role for role in roles if can_mark(user, attempt_question, role)), None)


def can_view_answer(user, attempt_question: AttemptQuestion) -> bool:
    """Staff of the exam, the cohort's mentor (practical work) and anyone who marked it."""
    if not user.is_authenticated:
        return False
    if can_author_exam(user, attempt_question.attempt.exam):
        return True
    if any(mark.grader_id == user.pk for mark in attempt_question.marks.all()):
        return True
    return _is_mentor_of(user, attempt_question)


# --- Question images ------------------------------------------------------------------------


def can_view_media(user, media) -> bool:
    """A bank's images are seen by its authors, by students whose paper holds a question of
    the bank, and by those who mark (or marked) answers to such questions."""
    if not user.is_authenticated:
        return False
    if can_author_bank(user, media.bank):
        return True
    of_bank = Q(version__question__bank_id=media.bank_id)
    if AttemptQuestion.objects.filter(of_bank, attempt__student=user).exists():
        return True
    marked = Mark.objects.filter(
        grader=user, attempt_question__version__question__bank_id=media.bank_id
    )
    return marked.exists() or grading_queue(user).filter(of_bank).exists()


# --- Sittings -------------------------------------------------------------------------------


def can_schedule_sittings(user, exam: Exam) -> bool:
    """Teachers and administrators of the organising school schedule and edit sittings."""
    return can_author_exam(user, exam)


def can_invigilate(user, sitting: Sitting) -> bool:
    """The sitting's invigilators and those who schedule it run the console."""
    if not user.is_authenticated:
        return False
    if can_schedule_sittings(user, sitting.exam):
        return True
    return sitting.invigilators.filter(pk=user.pk).exists()


def invigilated_sittings(user) -> QuerySet[Sitting]:
    """Sittings the user may run: theirs to invigilate, or of exams they author."""
    if not user.is_authenticated:
        return Sitting.objects.none()
    if is_platform_admin(user):
        return Sitting.objects.all()
    return Sitting.objects.filter(
        Q(invigilators=user) | Q(exam__organization_id__in=author_school_ids(user))
    ).distinct()


def invigilator_choices(exam: Exam):
    """Who may invigilate an exam's sittings: the school's teachers, and the mentors of its
    courses' cohorts."""
    teachers = Membership.objects.active().filter(
        organization_id=exam.organization_id, role=Role.TEACHER
    )
    mentors = Cohort.objects.filter(course__school_id=exam.organization_id, mentor__isnull=False)
    wanted = Q(pk__in=teachers.values("user_id")) | Q(pk__in=mentors.values("mentor_id"))
    return get_user_model().objects.filter(wanted).distinct().order_by("username")
