"""A small seeded world for the whole-API tests: every object a path of the API can name.

Answer keys, rubrics and feedback carry KEYMARK markers, so a test can look for them in
anything a student is shown.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from certificates.issuance import certificate_issue_for_attempt
from certificates.models import Certificate
from courses import services as course_services
from courses.models import Course, Lesson, Module
from exams import services
from exams.grading import key_response
from exams.models import (
    Attempt,
    AttemptQuestion,
    Exam,
    ImportJob,
    Question,
    QuestionBank,
)
from organizations.api_keys import api_key_create
from organizations.models import Organization
from tests import factories
from tests.exams.conftest import build_exam, exam_of_kinds

FEEDBACK = {"en": "KEYMARK-4 feedback", "zh-hans": "KEYMARK-4 反馈"}
MARKERS = ("KEYMARK-1", "KEYMARK-2", "KEYMARK-3", "KEYMARK-4")

MARKED_QUESTIONS = {
    "single_choice": (
        "theory",
        {
            "content": {
                "options": [
                    {"id": "a", "text": {"en": "Amazon"}},
                    {"id": "b", "text": {"en": "eBay"}},
                ]
            },
            "key": {"correct": "b"},
        },
    ),
    "fill_blanks": (
        "theory",
        {
            "text": {"en": "FBA means [[1]] by Amazon.", "zh-hans": "FBA 是由亚马逊 [[1]]。"},
            "content": {"blanks": 1},
            "key": {"blanks": [{"accepted": ["KEYMARK-1"]}]},
        },
    ),
    "essay": (
        "practical",
        {
            "content": {"min_words": 0, "max_words": 300},
            "key": {"guidance": {"en": "KEYMARK-2 guidance", "zh-hans": "KEYMARK-2 指引"}},
        },
    ),
    "practical": (
        "practical",
        {
            "content": {
                "instructions": {"en": "Upload your listing as a PDF."},
                "allowed_types": ["pdf", "docx"],
                "max_size_mb": 2,
            },
            "key": {
                "rubric": [
                    {"id": "r1", "criterion": {"en": "KEYMARK-3 title"}, "points": "6"},
                    {"id": "r2", "criterion": {"en": "KEYMARK-3 bullets"}, "points": "4"},
                ]
            },
        },
    ),
}


def marked_exam(*, school: Organization, government: Organization) -> Exam:
    """A published exam of one question of each marked kind, reviewed never."""
    return exam_of_kinds(
        school=school,
        government=government,
        questions=MARKED_QUESTIONS,
        feedback=FEEDBACK,
        time_limit_minutes=120,
    )


def pass_exam(student, exam: Exam) -> Attempt:
    """Start, answer every question right and submit (a theory-only exam grades itself)."""
    attempt = services.attempt_start(student=student, exam=exam)
    for question in attempt.questions.select_related("version__question"):
        version = question.version
        response = key_response(version.question.kind, version.content, version.key)
        services.answer_save(attempt=attempt, position=question.position, response=response, seq=1)
    return services.attempt_submit(attempt=attempt)


@dataclass
class World:
    school: Organization
    enterprise: Organization
    government: Organization
    users: dict  # role -> user (None for anonymous)
    api_key: str
    course: Course
    module: Module
    lesson: Lesson
    exam: Exam  # the marked exam, with the student's open attempt
    attempt: Attempt
    marked_answer: AttemptQuestion  # another student's submitted practical answer, to mark
    theory_exam: Exam
    passed_attempt: Attempt
    certificate: Certificate
    bank: QuestionBank
    question: Question
    import_job: ImportJob

    def path_values(self) -> dict[str, object]:
        """A value for every path parameter name that is not plain `id`."""
        return {
            "attempt_id": self.attempt.pk,
            "exam_id": self.exam.pk,
            "code": self.course.code,
            "bank_id": self.bank.pk,
            "module_id": self.module.pk,
            "serial": self.certificate.serial,
            "question_id": self.marked_answer.pk,
        }

    def id_for(self, path: str) -> int:
        """The object an `{id}` path names, by the collection it is under."""
        collection = path.removeprefix("/api/v1/").split("/", 1)[0]
        return {
            "banks": self.bank.pk,
            "questions": self.question.pk,
            "exams": self.exam.pk,
            "imports": self.import_job.pk,
            "lessons": self.lesson.pk,
        }[collection]


@pytest.fixture
def world(
    school, enterprise, government, student, other_student, teacher, verifier, course, cohort
) -> World:
    admin = get_user_model().objects.create_superuser(
        "root", "root@example.org", factories.PASSWORD
    )
    enterprise_admin = factories.person("hr_admin", enterprise, "admin")
    _, raw_key = api_key_create(
        organization=enterprise, name="HR system", scopes=["verify"], by=enterprise_admin
    )
    course_services.enrollment_create(student=student, course=course, cohort=cohort)
    module = course.modules.order_by("position").first()
    lesson = module.lessons.order_by("position").first()

    theory_exam = build_exam(school=school, government=government, practicals=0)
    passed_attempt = pass_exam(student, theory_exam)
    certificate = certificate_issue_for_attempt(attempt=passed_attempt)
    assert certificate is not None

    exam = marked_exam(school=school, government=government)
    attempt = services.attempt_start(student=student, exam=exam)
    submitted = services.attempt_start(student=other_student, exam=exam)
    practical = submitted.questions.get(part="practical", version__question__kind="practical")
    services.answer_save(
        attempt=submitted, position=practical.position, response={"text": "My listing"}, seq=1
    )
    services.attempt_submit(attempt=submitted)
    bank = exam.banks.get()
    question = bank.questions.order_by("pk").first()
    import_job = ImportJob.objects.create(
        bank=bank,
        format="gift",
        file_name="questions.gift",
        upload="imports/questions.gift",
        requested_by=teacher,
        status=ImportJob.Status.DONE,
        total=1,
        done=1,
        report={"errors": [], "warnings": [{"location": "line 1", "message": "No title."}]},
    )
    return World(
        school=school,
        enterprise=enterprise,
        government=government,
        users={
            "anonymous": None,
            "student": student,
            "teacher": teacher,
            "verifier": verifier,
            "admin": admin,
        },
        api_key=raw_key,
        course=course,
        module=module,
        lesson=lesson,
        exam=exam,
        attempt=attempt,
        marked_answer=practical,
        theory_exam=theory_exam,
        passed_attempt=passed_attempt,
        certificate=certificate,
        bank=bank,
        question=question,
        import_job=import_job,
    )
