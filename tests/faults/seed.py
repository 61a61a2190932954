"""Seed data in a site process's own database (run as a script with the site's environment).

    python -m tests.faults.seed attempts 10   # students with API tokens and open attempts
    python -m tests.faults.seed passed 10     # students who sat and passed (certificates issued)

Prints one JSON document on the last line of stdout.
"""

import json
import os
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    import django

    django.setup()


def _organisations(tag: str):
    from tests import factories

    school = factories.organization(kind="school", code=f"school-{tag}")
    government = factories.organization(kind="government", code=f"gov-{tag}")
    return school, government


def _students(school, count: int, tag: str):
    from organizations.services import membership_grant, person_create

    students = []
    for n in range(count):
        # No password: hashing one would dominate the seeding time; they use tokens.
        user = person_create(
            username=f"{tag}-student-{n}",
            password=None,
            name_native=f"学生{n}",
            name_latin=f"Student {n}",
        )
        membership_grant(user=user, organization=school, role="student")
        students.append(user)
    return students


def correct_response(question) -> dict:
    from exams.grading import key_response

    version = question.version
    return key_response(version.question.kind, version.content, version.key)


def sit(student, exam):
    """Start, answer every question right and submit: a pass (and, on commit, a certificate)."""
    from exams import services

    attempt = services.attempt_start(student=student, exam=exam)
    for question in attempt.questions.select_related("version__question"):
        services.answer_save(
            attempt=attempt,
            position=question.position,
            response=correct_response(question),
            seq=1,
        )
    return services.attempt_submit(attempt=attempt)


def attempts(count: int) -> dict:
    """A theory exam and `count` students, each with a token and an open attempt."""
    from exams import services
    from organizations.tokens import token_issue
    from tests.exams.conftest import build_exam

    school, government = _organisations("autosave")
    exam = build_exam(school=school, government=government, practicals=0)
    out = []
    for student in _students(school, count, "autosave"):
        attempt = services.attempt_start(student=student, exam=exam)
        out.append(
            {
                "token": token_issue(user=student)[1],
                "attempt": attempt.pk,
                "positions": sorted(attempt.questions.values_list("position", flat=True)),
            }
        )
    return {"exam": exam.pk, "students": out}


def passed(count: int) -> dict:
    """A theory exam sat and passed by `count` students: their certificates are issued."""
    from certificates.models import Certificate
    from tests.exams.conftest import build_exam

    school, government = _organisations("cohort")
    exam = build_exam(school=school, government=government, practicals=0)
    attempt_ids = [sit(student, exam).pk for student in _students(school, count, "cohort")]
    certificates = list(
        Certificate.objects.filter(attempt_id__in=attempt_ids).values_list("pk", "serial")
    )
    return {"exam": exam.pk, "attempts": attempt_ids, "certificates": certificates}


def main(argv: list[str]) -> None:
    _setup()
    what, count = argv[0], int(argv[1])
    result = {"attempts": attempts, "passed": passed}[what](count)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
