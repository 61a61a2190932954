"""Questions: creating them, and editing them as new versions once an attempt has seen them."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from .. import grading, idnumbers, tags
from ..models import (
    Question,
    QuestionBank,
    QuestionTag,
    QuestionVersion,
)
from .auditing import audit
from .errors import ExamError

# --- Questions, keys and regrades -----------------------------------------------------------


def _check_question(data: dict) -> None:
    problems = grading.validate_question(data)
    if problems:
        raise ExamError(problems, code="invalid_question")


def idnumber_holder(*, bank: QuestionBank, idnumber: str, exclude=None) -> Question | None:
    """The question of `bank` (other than `exclude`) that has this ID number, if any."""
    if not idnumber:
        return None
    found = Question.objects.filter(bank=bank, idnumber=idnumber)
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.order_by("pk").first()


def idnumber_taken_message(idnumber: str, holder: Question) -> str:
    return _("Question #%(pk)s of this bank already has the ID number '%(id)s'.") % {
        "pk": holder.pk,
        "id": idnumber,
    }


def _taken(bank: QuestionBank, idnumber: str, exclude=None) -> ExamError:
    """The refusal for an ID number another question of the bank has (or took meanwhile:
    the database's constraint has the last word)."""
    holder = idnumber_holder(bank=bank, idnumber=idnumber, exclude=exclude)
    message = idnumber_taken_message(idnumber, holder) if holder else _("This ID number is taken.")
    return ExamError(message, code="idnumber_taken")


def _check_idnumber(bank: QuestionBank, idnumber: str, exclude=None) -> None:
    if idnumber_holder(bank=bank, idnumber=idnumber, exclude=exclude) is not None:
        raise _taken(bank, idnumber, exclude)


@transaction.atomic
def question_create(*, bank: QuestionBank, data: dict, by=None) -> Question:
    _check_question(data)
    idnumber = data.get("idnumber") or ""
    problems = idnumbers.problems(idnumber)
    if problems:
        raise ExamError(problems, code="invalid_idnumber")
    idnumber = idnumber.strip()
    _check_idnumber(bank, idnumber)
    try:
        with transaction.atomic():
            question = Question.objects.create(
                bank=bank,
                idnumber=idnumber,
                kind=data["kind"],
                competency=data.get("competency", ""),
                difficulty=int(data.get("difficulty", 1)),
                created_by=by,
            )
    except IntegrityError:
        raise _taken(bank, idnumber) from None
    question.current_version = _new_version(question, data, number=1)
    question.save(update_fields=["current_version"])
    if data.get("tags"):
        question_tags_set(question=question, names=data["tags"])
    return question


def _tag(organization_id: int, name: str) -> QuestionTag:
    """The organisation's tag of that name (any case), made when it has none yet."""
    found = (
        QuestionTag.objects.annotate(lower=Lower("name"))
        .filter(organization_id=organization_id, lower=name.lower())
        .first()
    )
    if found is not None:
        return found
    try:
        with transaction.atomic():  # someone else may make the same tag at the same moment
            return QuestionTag.objects.create(organization_id=organization_id, name=name)
    except IntegrityError:
        return (
            QuestionTag.objects.annotate(lower=Lower("name"))
            .filter(organization_id=organization_id, lower=name.lower())
            .get()
        )


@transaction.atomic
def questions_tag(*, bank: QuestionBank, question_ids, name: str, add: bool = True) -> int:
    """Add the tag `name` to questions of `bank` (add=False: take it off them); returns how
    many questions changed. Their other tags stay."""
    names = tags.parse(name)
    problems = tags.problems(names) or ([] if len(names) == 1 else [_("Give one tag.")])
    if problems:
        raise ExamError(problems, code="invalid_tags")
    questions = Question.objects.filter(bank=bank, pk__in=list(question_ids))
    through = Question.tags.through
    if not add:
        tag = (
            QuestionTag.objects.annotate(lower=Lower("name"))
            .filter(organization_id=bank.organization_id, lower=names[0].lower())
            .first()
        )
        if tag is None:
            return 0
        return through.objects.filter(question__in=questions, questiontag=tag).delete()[0]
    tag = _tag(bank.organization_id, names[0])
    missing = questions.exclude(tags=tag).values_list("pk", flat=True)
    made = through.objects.bulk_create(
        [through(question_id=pk, questiontag_id=tag.pk) for pk in missing]
    )
    return len(made)


@transaction.atomic
def question_tags_set(*, question: Question, names: list[str]) -> list[QuestionTag]:
    """Give a question exactly these tags (tags of its bank's organisation, made as needed)."""
    problems = tags.problems(names)
    if problems:
        raise ExamError(problems, code="invalid_tags")
    organization_id = question.bank.organization_id
    existing = {
        tag.name.lower(): tag
        for tag in QuestionTag.objects.annotate(lower=Lower("name")).filter(
            organization_id=organization_id, lower__in=[name.lower() for name in names]
        )
    }
    chosen = [existing.get(name.lower()) or _tag(organization_id, name) for name in names]
    question.tags.set(chosen)
    return chosen


@transaction.atomic
def question_idnumber_set(*, question: Question, idnumber: str) -> Question:
    """Give a question this ID number ("" takes it away); another question of its bank with
    the same one is refused. It files the question, like its tags: no new version."""
    idnumber = idnumber or ""
    problems = idnumbers.problems(idnumber)  # before strip(): it says so if it is not text
    if problems:
        raise ExamError(problems, code="invalid_idnumber")
    idnumber = idnumber.strip()
    _check_idnumber(question.bank, idnumber, exclude=question)
    question.idnumber = idnumber
    try:
        with transaction.atomic():
            question.save(update_fields=["idnumber"])
    except IntegrityError:
        raise _taken(question.bank, idnumber, exclude=question) from None
    return question


@transaction.atomic
def question_filing_set(*, question: Question, tags=None, idnumber: str | None = None) -> None:
    """Set what files a question, both or neither: its tags (a list of names) and its ID
    number, each when given (None leaves it as it is). No new version."""
    if idnumber is not None:
        question_idnumber_set(question=question, idnumber=idnumber)
    if tags is not None:
        question_tags_set(question=question, names=tags)


def _new_version(question: Question, data: dict, *, number: int) -> QuestionVersion:
    return QuestionVersion.objects.create(
        question=question,
        number=number,
        title=data.get("title", "")[:200],
        text=data.get("text", {}),
        content=data.get("content", {}),
        key=data.get("key", {}),
        feedback=data.get("feedback") or {},
        points=Decimal(str(data.get("points", "1"))),
    )


@transaction.atomic
def question_update(*, question: Question, data: dict, by=None) -> QuestionVersion:
    """Edit a question; once an attempt has used its version, the edit is a new version."""
    if data.get("kind", question.kind) != question.kind:
        raise ExamError(_("A question's kind cannot change; create a new question."), code="kind")
    _check_question({**data, "kind": question.kind})
    question.competency = data.get("competency", question.competency)
    question.difficulty = int(data.get("difficulty", question.difficulty))
    question.save(update_fields=["competency", "difficulty"])
    if "tags" in data:
        question_tags_set(question=question, names=data["tags"])
    if "idnumber" in data:
        question_idnumber_set(question=question, idnumber=data["idnumber"])
    current = question.current_version
    if current is not None and not current.attempt_questions.exists():
        for field in ("title", "text", "content", "key", "feedback"):
            if field in data:
                setattr(current, field, data[field] or ({} if field != "title" else ""))
        current.points = Decimal(str(data.get("points", current.points)))
        current.save()
        return current
    number = (question.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = _new_version(question, data, number=number)
    question.current_version = version
    question.save(update_fields=["current_version"])
    return version


# --- The organisation's tags --------------------------------------------------------------


def _one_tag_name(name: str) -> str:
    names = tags.parse(name)
    problems = tags.problems(names) or ([] if len(names) == 1 else [_("Give one tag.")])
    if problems:
        raise ExamError(problems, code="invalid_tags")
    return names[0]


def _tag_taken(name: str) -> ExamError:
    return ExamError(
        _("There is already a tag %(name)s: merge the two tags instead.") % {"name": name},
        code="tag_taken",
    )


@transaction.atomic
def question_tag_rename(*, tag: QuestionTag, name: str, by=None) -> QuestionTag:
    """Rename a tag on every question that has it; audited. A name another tag of the
    organisation has (in any case) is refused: merging the two is what that means."""
    tag = QuestionTag.objects.select_for_update().get(pk=tag.pk)
    new_name = _one_tag_name(name)
    if new_name == tag.name:
        return tag
    taken = (
        QuestionTag.objects.annotate(lower=Lower("name"))
        .filter(organization_id=tag.organization_id, lower=new_name.lower())
        .exclude(pk=tag.pk)
        .exists()
    )
    if taken:
        raise _tag_taken(new_name)
    before = tag.name
    tag.name = new_name
    try:
        with transaction.atomic():  # the same name made at the same moment by someone else
            tag.save(update_fields=["name"])
    except IntegrityError:
        raise _tag_taken(new_name) from None
    audit.record(
        audit.Action.QUESTION_TAG_RENAMED,
        obj=tag,
        actor=by,
        organization=tag.organization_id,
        before={"name": before},
        after={"name": tag.name},
    )
    return tag


@transaction.atomic
def question_tag_merge(*, source: QuestionTag, target: QuestionTag, by=None) -> int:
    """Give every question tagged `source` the tag `target` instead and delete `source`,
    all or nothing; audited. Returns how many questions had `source`."""
    if source.pk == target.pk:
        raise ExamError(_("Choose another tag to merge into."), code="same_tag")
    # Both rows locked, in one order (no deadlock with a merge the other way round).
    locked = {
        tag.pk: tag
        for tag in QuestionTag.objects.select_for_update()
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise ExamError(_("The tag no longer exists."), code="gone")
    source, target = locked[source.pk], locked[target.pk]
    if source.organization_id != target.organization_id:
        raise ExamError(_("Tags of different schools cannot be merged."), code="other")
    through = Question.tags.through
    question_ids = list(
        through.objects.filter(questiontag=source).values_list("question_id", flat=True)
    )
    already = set(
        through.objects.filter(questiontag=target, question_id__in=question_ids).values_list(
            "question_id", flat=True
        )
    )
    through.objects.bulk_create(
        [
            through(question_id=pk, questiontag_id=target.pk)
            for pk in question_ids
            if pk not in already
        ]
    )
    audit.record(
        audit.Action.QUESTION_TAG_MERGED,
        obj=target,
        actor=by,
        organization=target.organization_id,
        before={"tag": source.name, "tag_id": source.pk, "questions": len(question_ids)},
        after={"tag": target.name},
    )
    source.delete()  # and its links to the questions
    return len(question_ids)
