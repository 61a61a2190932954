"""Question ID numbers, as Moodle has them: optional text of at most 100 characters, unique
within a question bank when given (Question.idnumber), kept through the files exchanged with
Moodle (GIFT's ``[id:…]`` comment token, Moodle XML's ``<idnumber>``). Pure: the services
check the bank (exams.services.questions)."""

from django.utils.translation import gettext as _

MAX_LENGTH = 100  # Question.idnumber, Moodle's question.idnumber


def problems(idnumber: object) -> list[str]:
    """What is wrong with a question's ID number as given, as messages; empty means fine."""
    if not isinstance(idnumber, str):
        return [_("The ID number must be text.")]
    if len(idnumber) > MAX_LENGTH:
        return [_("The ID number has at most %(n)d characters.") % {"n": MAX_LENGTH}]
    return []


def read(raw: str | None) -> tuple[str, str | None]:
    """An ID number another system gave a question, trimmed: (the number we keep, or "";
    a phrase saying why it is not kept, or None)."""
    idnumber = (raw or "").strip()
    if len(idnumber) > MAX_LENGTH:
        shown = idnumber[:50] + "…"
        return "", _("the ID number '%(id)s' (an ID number has at most %(n)d characters)") % {
            "id": shown,
            "n": MAX_LENGTH,
        }
    return idnumber, None
