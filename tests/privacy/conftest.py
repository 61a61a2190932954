"""Certificates made as issuance makes them (the certificates tests' fixtures), and an exam
attempt with an uploaded answer file."""

import pytest
from django.core.files.base import ContentFile

from exams import uploads
from exams.services.attempts import attempt_start
from tests.certificates.conftest import (  # noqa: F401 (fixtures)
    _isolated,
    issuer_keys,
    make_certificate,
)
from tests.exams.conftest import build_exam


def attempt_with_file(exam, student, *, content: bytes = b"%PDF-1.4 my report"):
    """The student's attempt, its practical answer naming a stored file; (attempt, name)."""
    attempt = attempt_start(student=student, exam=exam)
    question = next(q for q in attempt.questions.all() if q.kind == "practical")
    name = uploads.store(
        ContentFile(content, name="report.pdf"), attempt_id=attempt.pk, position=question.position
    )
    question.response = {"file": name, "text": "My shop listing"}
    question.save(update_fields=["response"])
    return attempt, name


@pytest.fixture
def exam(school, government):
    return build_exam(school=school, government=government)
