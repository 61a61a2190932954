"""Demo skill standards, question banks and exams, and the demo student's passed level-1 exam.

Everything goes through the exams services, so the demo is what real users get.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from exams import grading, services
from exams.models import (
    Accreditation,
    Attempt,
    BlueprintRule,
    Competency,
    Exam,
    ExamSection,
    QuestionBank,
    SkillLevel,
    SkillStandard,
)

OBJECTIVE_PER_COMPETENCY = 2
# Theory rows some demo exams add for one question kind, so the demo student can sit one of
# each: (standard, level) -> rows. A row of competency "" is drawn before the competency
# rows, so the objective rows never take the question it wants.
# Practical rows some demo exams add for a manual kind (the practical part of a level takes
# only those): the CBEC-PO level-1 exam also draws a product listing.
PRACTICAL_KIND_ROWS: dict[tuple[str, int], list[dict]] = {
    ("CBEC-PO", 1): [{"competency": "", "difficulty": 1, "kind": "listing", "count": 1}],
}
KIND_ROWS: dict[tuple[str, int], list[dict]] = {
    ("CBEC-LM", 1): [
        {"competency": "", "difficulty": 1, "kind": "cloze", "count": 1},
        {"competency": "", "difficulty": 1, "kind": "calculation", "count": 1},
    ],
    ("CBEC-LM", 3): [{"competency": "", "difficulty": 3, "kind": "calculation", "count": 1}],
}


def seed(*, orgs: dict, users: dict, courses: dict) -> list[str]:
    from lms.demo.exam_content import STANDARDS

    lines = []
    exams = {}
    for spec in STANDARDS:
        standard = _standard(spec, orgs["demo-government"], users["regulator"])
        bank = _bank(spec, standard, orgs["demo-school"], users["teacher"])
        _accreditations(standard, orgs["demo-school"], orgs.get("demo-enterprise"), users)
        for level in standard.levels.all():
            exams[(spec["code"], level.level)] = _exam(spec, level, bank, orgs["demo-school"])
        lines.append(f"  Standard {standard.code}: {bank.questions.count()} questions, 3 exams.")
    attempt = _demo_student_passes(exams[("CBEC-PO", 1)], users)
    if attempt is not None:
        lines.append(
            f"  The demo student passed '{attempt.exam.title_en}' with {attempt.total_percent}%."
        )
        lines += _certificate_lines(attempt)
    return lines


def _certificate_lines(attempt: Attempt) -> list[str]:
    """The certificate the pass issued (through the certificates app's own receiver)."""
    from django.apps import apps

    if not apps.is_installed("certificates"):
        return []
    from certificates.issuance import certificate_issue_for_attempt
    from certificates.rendering import base_url

    certificate = certificate_issue_for_attempt(attempt=attempt)  # idempotent
    if certificate is None:
        return []
    return [
        f"  Demo certificate: {certificate.serial}",
        f"  Verify it at: {base_url()}{certificate.get_absolute_url()}",
    ]


def _standard(spec: dict, government, regulator) -> SkillStandard:
    standard = SkillStandard.objects.filter(code=spec["code"]).order_by("-version").first()
    if standard is not None:
        return standard
    standard = SkillStandard.objects.create(
        code=spec["code"],
        name_en=spec["name_en"],
        name_zh=spec["name_zh"],
        description_en=spec.get("description_en", ""),
        description_zh=spec.get("description_zh", ""),
        owner=government,
    )
    previous = None
    for level_spec in spec["levels"]:
        level = SkillLevel.objects.create(
            standard=standard,
            level=level_spec["level"],
            name_en=level_spec["name_en"],
            name_zh=level_spec["name_zh"],
            description_en=level_spec.get("description_en", ""),
            description_zh=level_spec.get("description_zh", ""),
            validity_years=level_spec.get("validity_years", 3),
            theory_weight=Decimal(40),
            practical_weight=Decimal(60),
            prerequisite_level=previous,
        )
        for competency in spec["competencies"]:
            Competency.objects.create(
                level=level,
                code=competency["code"],
                name_en=competency["name_en"],
                name_zh=competency["name_zh"],
                weight=Decimal(competency["weight"]),
            )
        previous = level
    return services.standard_publish(standard=standard, by=regulator)


def _bank(spec: dict, standard: SkillStandard, school, teacher) -> QuestionBank:
    bank, created = QuestionBank.objects.get_or_create(
        organization=school, standard=standard, defaults={"name": f"{spec['name_en']} bank"}
    )
    if created:
        for data in spec["questions"]:
            services.question_create(bank=bank, data=data, by=teacher)
    return bank


def _accreditations(standard: SkillStandard, school, enterprise, users: dict) -> None:
    """The government body accredits the demo school for every level, from this year on."""
    start = timezone.localdate().replace(month=1, day=1)
    for level in standard.levels.all():
        if Accreditation.objects.covering(level, school_id=school.pk).exists():
            continue
        services.accreditation_grant(
            school=school,
            standard=standard,
            level=level.level,
            valid_from=start,
            valid_until=start.replace(year=start.year + 3) - timedelta(days=1),
            enterprise_partner=enterprise,
            by=users["regulator"],
        )


def _exam(spec: dict, level: SkillLevel, bank: QuestionBank, school) -> Exam:
    title_en = f"{spec['name_en']} · Level {level.level} ({level.name_en})"
    exam = Exam.objects.filter(skill_level=level, organization=school).first()
    if exam is not None:
        return exam
    fields = dict(
        title_en=title_en,
        title_zh=f"{spec['name_zh']} · {level.level}级（{level.name_zh}）",
        instructions_en=(
            "The theory part has objective questions on every competency; the practical part "
            "is a task marked by a teacher and an enterprise mentor against a rubric. Your "
            "answers save as you go. Pass mark: 60 % in each part and 60 % overall."
        ),
        instructions_zh=(
            "理论部分为覆盖各项能力的客观题；实操部分由教师和企业导师按评分细则共同评分。"
            "作答会自动保存。合格标准：各部分及总分均不低于 60%。"
        ),
        organization=school,
        skill_level=level,
        time_limit_minutes=60 + 30 * (level.level - 1),
        # One attempt: the demo banks hold enough questions for one unseen paper each.
        attempts_allowed=1,
        attempt_delay_minutes=0,
        is_published=True,
    )
    theory = [
        {
            "competency": competency["code"],
            "difficulty": level.level,
            "kind": BlueprintRule.OBJECTIVE,
            "count": OBJECTIVE_PER_COMPETENCY,
        }
        for competency in spec["competencies"]
    ]
    theory += KIND_ROWS.get((spec["code"], level.level), [])
    practical = [{"competency": "", "difficulty": level.level, "kind": "practical", "count": 1}]
    practical += PRACTICAL_KIND_ROWS.get((spec["code"], level.level), [])
    return services.exam_save(
        exam=None,
        fields=fields,
        banks=[bank],
        sections=[
            {"part": ExamSection.Part.THEORY, "rules": theory},
            {"part": ExamSection.Part.PRACTICAL, "rules": practical},
        ],
    )


def _demo_student_passes(exam: Exam, users: dict) -> Attempt | None:
    """Sit the level-1 exam as the demo student, and have it dual-marked, once."""
    student = users["student"]
    done = Attempt.objects.filter(exam=exam, student=student, passed=True).first()
    if done is not None:
        return done
    attempt = services.attempt_start(student=student, exam=exam)
    for question in attempt.questions.select_related("version__question"):
        kind = question.version.question.kind
        if kind == "listing":
            response = DEMO_LISTING_ANSWER
        elif kind in grading.MANUAL_KINDS:
            response = {"text": DEMO_PRACTICAL_ANSWER}
        else:
            response = grading.key_response(kind, question.content, question.version.key)
        services.answer_save(attempt=attempt, position=question.position, response=response, seq=1)
    attempt = services.attempt_submit(attempt=attempt)
    for question in attempt.questions.filter(needs_marking=True).select_related("version"):
        rubric = question.version.key.get("rubric", [])
        for role, grader, share in (
            ("teacher", users["teacher"], Decimal("0.85")),
            ("mentor", users["mentor"], Decimal("0.8")),
        ):
            marks = {c["id"]: (Decimal(c["points"]) * share).quantize(Decimal(1)) for c in rubric}
            services.mark_record(
                attempt_question=question,
                grader=grader,
                role=role,
                rubric_marks=marks,
                comment="Clear, complete and accurate.",
            )
    attempt.refresh_from_db()
    return attempt


DEMO_PRACTICAL_ANSWER = (
    "Title: Portable Bluetooth Speaker, 20W Stereo, IPX7 Waterproof, 24h Playtime.\n"
    "Bullets: sound, battery, waterproofing, pairing, warranty. Backend terms: outdoor speaker, "
    "shower speaker, wireless speaker loud. 标题与五点描述已按平台规则撰写。"
)

# The demo student's listing for the Bluetooth speaker task (lms/demo/exam_content.py): within
# Amazon's limits, every required keyword, no forbidden claim.
DEMO_LISTING_ANSWER = {
    "title": (
        "SONORA Portable Bluetooth Speaker, 20W Stereo Sound, IPX7 Waterproof, 24-Hour "
        "Battery, Built-in Mic, USB-C, Black"
    ),
    "bullets": [
        "Big 20W stereo sound: two drivers and a passive radiator fill a patio or a hotel room.",
        "IPX7 waterproof: survives 30 minutes under 1 m of water, so the pool and the shower "
        "are fine.",
        "24-hour battery: a full day at the beach on one charge; USB-C charges it in 3 hours.",
        "Pair two SONORA speakers for left and right stereo, or take calls with the built-in "
        "microphone.",
        "In the box: speaker, USB-C cable, carry strap and a quick start guide.",
    ],
    "search_terms": "wireless outdoor speaker shower beach pool loud bass portable travel gift",
    "description": (
        "Take your music anywhere. The SONORA portable Bluetooth speaker plays 20W stereo sound "
        "for 24 hours on one charge and shrugs off splashes, sand and a dip in the pool (IPX7 "
        "waterproof). Pair a second SONORA for true stereo, answer calls hands-free with the "
        "built-in microphone, and charge it with the same USB-C cable as your phone."
    ),
}
