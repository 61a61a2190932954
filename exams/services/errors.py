"""Refusals the exams services raise, with messages the student or teacher can read."""

from django.core.exceptions import ValidationError


class ExamError(ValidationError):
    """A refusal with a message the student or teacher can read."""


class AttemptClosed(ExamError):
    """The attempt no longer takes answers."""
