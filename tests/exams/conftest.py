"""Builders for exams: a standard with a level, a bank of questions and an exam over it."""

from decimal import Decimal

import pytest

from exams import services
from exams.models import (
    BlueprintRule,
    Competency,
    Exam,
    ExamSection,
    QuestionBank,
    SkillLevel,
    SkillStandard,
)
from tests import factories


def single_choice(competency="listing", difficulty=1, correct="b", points="2", n=0) -> dict:
    return {
        "kind": "single_choice",
        "title": f"SC {n}",
        "text": {"en": f"Which is right? ({n})", "zh-hans": f"哪个正确？({n})"},
        "points": points,
        "competency": competency,
        "difficulty": difficulty,
        "content": {
            "options": [
                {"id": "a", "text": {"en": "Alpha"}},
                {"id": "b", "text": {"en": "Bravo"}},
                {"id": "c", "text": {"en": "Charlie"}},
            ]
        },
        "key": {"correct": correct},
        "feedback": {"en": "Because."},
    }


def practical(competency="listing", difficulty=1) -> dict:
    return {
        "kind": "practical",
        "title": "Write a listing",
        "text": {"en": "Write an Amazon listing.", "zh-hans": "撰写亚马逊商品详情。"},
        "points": "20",
        "competency": competency,
        "difficulty": difficulty,
        "content": {
            "instructions": {"en": "Upload a PDF."},
            "allowed_types": ["pdf", "docx"],
            "max_size_mb": 5,
        },
        "key": {
            "rubric": [
                {"id": "r1", "criterion": {"en": "Title quality"}, "points": "10"},
                {"id": "r2", "criterion": {"en": "Bullet points"}, "points": "10"},
            ]
        },
    }


def essay(competency="listing", difficulty=1) -> dict:
    return {
        "kind": "essay",
        "title": "Explain",
        "text": {"en": "Explain FBA."},
        "points": "10",
        "competency": competency,
        "difficulty": difficulty,
        "content": {"min_words": 0, "max_words": 400},
        "key": {"guidance": {"en": "SECRET-GUIDANCE mentions fulfilment fees."}},
    }


def build_exam(
    *, school, government, theory: int = 4, practicals: int = 1, bank_extra: int = 2, **exam_fields
) -> Exam:
    standard = SkillStandard.objects.create(
        code=f"std-{SkillStandard.objects.count() + 1}",
        name_en="CBEC Platform Operation",
        name_zh="跨境电商平台运营",
        owner=government,
        status=SkillStandard.Status.PUBLISHED,
    )
    level = SkillLevel.objects.create(
        standard=standard,
        level=1,
        name_en="Junior",
        name_zh="初级",
        validity_years=3,
        marking_tolerance=Decimal(15),
    )
    Competency.objects.create(
        level=level, code="listing", name_en="Listing", name_zh="上架", weight=100
    )
    factories.accredit(school, level)
    bank = QuestionBank.objects.create(organization=school, name="Bank", standard=standard)
    for n in range(theory + bank_extra):
        services.question_create(bank=bank, data=single_choice(n=n))
    for _ in range(practicals + (1 if practicals else 0)):
        services.question_create(bank=bank, data=practical())
    exam = Exam.objects.create(
        title_en="Level 1 exam",
        title_zh="一级考试",
        organization=school,
        skill_level=level,
        is_published=True,
        **{"time_limit_minutes": 60, **exam_fields},
    )
    exam.banks.add(bank)
    section = ExamSection.objects.create(exam=exam, part="theory", position=1)
    BlueprintRule.objects.create(
        section=section, competency="listing", difficulty=1, count=theory, kind="objective"
    )
    if practicals:
        level.theory_weight, level.practical_weight = Decimal(40), Decimal(60)
        level.save()
        prac = ExamSection.objects.create(exam=exam, part="practical", position=2)
        BlueprintRule.objects.create(
            section=prac, competency="listing", difficulty=1, count=practicals, kind="practical"
        )
    else:
        level.theory_weight, level.practical_weight = Decimal(100), Decimal(0)
        level.save()
    return exam


def exam_of_kinds(*, school, government, questions: dict, feedback: dict, **exam_fields) -> Exam:
    """A published level-2 exam drawing one question of each kind in `questions`.

    `questions` maps a kind to (part, data): data holds content and key, and text
    when the default one will not do; every question carries `feedback`.
    """
    standard = SkillStandard.objects.create(
        code=f"kinds-{SkillStandard.objects.count() + 1}",
        name_en="CBEC Logistics Management",
        name_zh="跨境电商物流管理",
        owner=government,
        status=SkillStandard.Status.PUBLISHED,
    )
    level = SkillLevel.objects.create(
        standard=standard,
        level=2,
        name_en="Intermediate",
        name_zh="中级",
        theory_weight=Decimal(50),
        practical_weight=Decimal(50),
    )
    Competency.objects.create(level=level, code="all", name_en="All", name_zh="全部", weight=100)
    factories.accredit(school, level)
    bank = QuestionBank.objects.create(organization=school, name="Every kind", standard=standard)
    exam = Exam.objects.create(
        title_en="Every kind exam",
        title_zh="全题型考试",
        organization=school,
        skill_level=level,
        is_published=True,
        **{"review": Exam.Review.NEVER, **exam_fields},
    )
    exam.banks.add(bank)
    sections = {
        part: ExamSection.objects.create(exam=exam, part=part, position=position)
        for position, part in enumerate(("theory", "practical"), start=1)
    }
    for kind, (part, data) in questions.items():
        services.question_create(
            bank=bank,
            data={
                "kind": kind,
                "title": f"{kind} question",
                "text": data.get("text", {"en": f"A {kind} question?", "zh-hans": f"{kind} 题？"}),
                "points": "10",
                "competency": "all",
                "difficulty": 1,
                "content": data["content"],
                "key": data["key"],
                "feedback": feedback,
            },
        )
        BlueprintRule.objects.create(
            section=sections[part], competency="all", difficulty=1, kind=kind, count=1
        )
    return exam


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads and imports of every exams test go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def exam(school, government):
    """A published level-1 exam: 4 single-choice theory questions and 1 practical task."""
    return build_exam(school=school, government=government)
