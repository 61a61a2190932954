"""Question banks: creating them, and the bulk edits of the bank page (retire, restore, move,
duplicate). Access is the caller's (exams.access); these check what the data allows."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organizations.models import Organization

from ..interop.media import media_urls
from ..models import Question, QuestionBank
from .errors import ExamError
from .questions import question_create


@transaction.atomic
def bank_create(*, organization: Organization, name: str, standard=None, by=None) -> QuestionBank:
    """A new, empty bank of a school (only schools write questions)."""
    name = (name or "").strip()
    if organization.kind != Organization.Kind.SCHOOL:
        raise ExamError(_("Only a school holds question banks."), code="not_school")
    if not name:
        raise ExamError(_("Give the bank a name."), code="name")
    if QuestionBank.objects.filter(organization=organization, name__iexact=name).exists():
        raise ExamError(
            _("%(school)s already has a bank called %(name)s.")
            % {"school": organization.name, "name": name},
            code="duplicate",
        )
    return QuestionBank.objects.create(organization=organization, name=name, standard=standard)


@transaction.atomic
def questions_set_active(*, bank: QuestionBank, question_ids, active: bool) -> int:
    """Retire (active=False) or restore questions of `bank`; returns how many changed.

    A retired question is never drawn again; attempts that drew it keep it."""
    return (
        Question.objects.filter(bank=bank, pk__in=list(question_ids))
        .exclude(is_active=active)
        .update(is_active=active)
    )


@transaction.atomic
def questions_move(*, bank: QuestionBank, question_ids, target: QuestionBank) -> int:
    """Move questions of `bank` into `target`, a bank of the same school; all or none.

    A question that shows images of its bank stays: the images belong to the bank, and the
    students who sat it must still see them."""
    if target.pk == bank.pk:
        raise ExamError(_("Choose another bank to move the questions to."), code="same_bank")
    if target.organization_id != bank.organization_id:
        raise ExamError(
            _("Questions move only between banks of the same school."), code="other_school"
        )
    questions = list(
        Question.objects.select_for_update(of=("self",))
        .filter(bank=bank, pk__in=list(question_ids))
        .select_related("current_version")
    )
    with_images = [
        question.pk
        for question in questions
        if question.current_version_id
        and media_urls(
            [
                question.current_version.text,
                question.current_version.content,
                question.current_version.feedback,
            ]
        )
    ]
    if with_images:
        raise ExamError(
            ngettext(
                "Question %(ids)s shows images of this bank and cannot move; duplicate it "
                "in the other bank by import instead.",
                "Questions %(ids)s show images of this bank and cannot move; duplicate them "
                "in the other bank by import instead.",
                len(with_images),
            )
            % {"ids": ", ".join(f"#{pk}" for pk in with_images)},
            code="images",
        )
    _refuse_idnumber_clashes(questions, target)
    return Question.objects.filter(pk__in=[q.pk for q in questions]).update(bank=target)


def _refuse_idnumber_clashes(questions: list[Question], target: QuestionBank) -> None:
    """A question may not move into a bank where another question has its ID number (the
    ID number is unique within a bank); the teacher changes or clears one of them first."""
    given = {question.idnumber: question for question in questions if question.idnumber}
    held = Question.objects.filter(bank=target, idnumber__in=list(given)).order_by("pk")
    clashes = [
        _("#%(pk)s ('%(id)s', which #%(other)s has)")
        % {"pk": given[other.idnumber].pk, "id": other.idnumber, "other": other.pk}
        for other in held
    ]
    if clashes:
        raise ExamError(
            _(
                "%(bank)s already has questions with these ID numbers: %(clashes)s. Change "
                "or clear the ID numbers first."
            )
            % {"bank": target.name, "clashes": ", ".join(clashes)},
            code="idnumber_taken",
        )


@transaction.atomic
def question_duplicate(*, question: Question, by=None) -> Question:
    """A new question in the same bank saying what `question` says now (version 1)."""
    version = question.current_version
    if version is None:
        raise ExamError(_("This question has no version to copy."), code="no_version")
    version.question = question
    data = {**version.as_data(), "tags": [tag.name for tag in question.tags.all()]}
    return question_create(bank=question.bank, data=data, by=by)
