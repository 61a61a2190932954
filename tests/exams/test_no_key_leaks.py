"""No answer key, feedback or score reaches a student before the review policy allows it.

Every key and feedback below carries a marker string; option, prompt and item ids are public,
so for those we check that no field could tell which one is right.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exams import services
from exams.models import Attempt, Exam

from .conftest import exam_of_kinds

MARK = "KEYMARK"
FEEDBACK = {"en": "KEYMARK-feedback", "zh-hans": "KEYMARK-反馈"}
SECRET_NUMBER = "98765.4321"
# Field names that would give a score, a correctness or a key away.
FORBIDDEN_FIELDS = {"key", "feedback", "points", "auto_points", "is_correct", "correct", "score"}


def _entries(prefix: str, *texts: str) -> list[dict]:
    return [{"id": f"{prefix}{n}", "text": {"en": text}} for n, text in enumerate(texts, 1)]


def question_data() -> dict[str, dict]:
    """One valid question of every kind, its key and feedback full of markers."""
    choices = _entries("o", "Amazon", "eBay", "Shopee", "Lazada")
    return {
        "single_choice": {
            "content": {"options": choices},
            "key": {"correct": "o3"},
        },
        "multiple_choice": {
            "content": {"options": choices},
            "key": {"correct": ["o1", "o4"], "scoring": "partial", "penalty": "0.5"},
        },
        "true_false": {"content": {}, "key": {"correct": False}},
        "fill_blanks": {
            "text": {"en": "FBA means [[1]] by [[2]].", "zh-hans": "FBA 是 [[1]] 由 [[2]]。"},
            "content": {"blanks": 2},
            "key": {
                "blanks": [{"accepted": ["KEYMARK-blank"]}, {"accepted": ["KEYMARK-blank2"]}],
                "case_sensitive": True,
            },
        },
        "numeric": {
            "content": {"unit": "USD"},
            "key": {"value": SECRET_NUMBER, "tolerance": "0.5", "tolerance_mode": "absolute"},
        },
        "matching": {
            "content": {
                "prompts": _entries("p", "Listing", "Shipping"),
                "choices": _entries("c", "Title and bullets", "Freight forwarder", "Refund"),
            },
            "key": {"pairs": {"p1": "c1", "p2": "c2"}},
        },
        "ordering": {
            "content": {"items": _entries("i", "Research", "List", "Ship", "Review")},
            "key": {"order": ["i1", "i2", "i3", "i4"], "scoring": "partial"},
        },
        "essay": {
            "content": {"min_words": 10, "max_words": 300},
            "key": {"guidance": {"en": "KEYMARK-guidance", "zh-hans": "KEYMARK-指引"}},
        },
        "cloze": {
            "content": {
                "text": {
                    "en": "Ship by [[g1]] under the Incoterm [[g2]]: [[g3]] kg.",
                    "zh-hans": "按贸易术语 [[g2]] 用 [[g1]] 发货：[[g3]] 公斤。",
                },
                "gaps": [
                    {"id": "g1", "type": "choice", "options": _entries("o", "Air", "Sea", "Rail")},
                    {"id": "g2", "type": "short"},
                    {"id": "g3", "type": "number"},
                ],
            },
            "key": {
                "gaps": {
                    "g1": {"weight": 1, "correct": ["o2"], "partial": {"o3": "0.5"}},
                    "g2": {"weight": 1, "accepted": ["KEYMARK-cloze"], "case_sensitive": True},
                    "g3": {"weight": 2, "value": SECRET_NUMBER, "tolerance": "0.5"},
                }
            },
        },
        "listing": {
            "content": {
                "rules": {
                    "code": "amazon",
                    "version": 3,
                    "name": {"en": "Amazon", "zh-hans": "亚马逊"},
                    "effective_from": "2025-01-21",
                    "title_max_chars": 200,
                    "title_banned_characters": "!$?",
                    "bullets_min": 1,
                    "bullets_max": 5,
                    "bullet_max_chars": 255,
                    "search_terms_max_bytes": 249,
                    "description_max_chars": 2000,
                    "banned_words": ["free shipping"],
                }
            },
            "key": {
                "keywords": [{"variants": ["KEYMARK-keyword", "KEYMARK-关键词"], "in_title": True}],
                "forbidden": ["KEYMARK-brand"],
                "points": {
                    "title": "1",
                    "keywords": "1",
                    "forbidden": "1",
                    "bullets": "1",
                    "search_terms": "1",
                    "description": "0",
                },
                "rubric": [
                    {"id": "r1", "criterion": {"en": "KEYMARK-rubric-listing"}, "points": "5"}
                ],
            },
        },
        "calculation": {
            "text": {
                "en": "A carton holds {cartons} boxes at {price} USD each.",
                "zh-hans": "一箱装 {cartons} 盒，每盒 {price} 美元。",
            },
            "content": {
                "steps": [
                    {"id": "goods", "label": {"en": "Goods", "zh-hans": "货值"}, "unit": "USD"},
                    {"id": "total", "label": {"en": "Total", "zh-hans": "合计"}, "unit": "USD"},
                ]
            },
            "key": {
                "variables": [
                    {"name": "cartons", "min": "2", "max": "9", "decimals": 0},
                    {"name": "price", "min": "1.5", "max": "8.5", "decimals": 1},
                ],
                # The secret number is in a formula: no formula may reach a student.
                "steps": [
                    {"id": "goods", "formula": "cartons * price", "points": "4"},
                    {
                        "id": "total",
                        "formula": f"goods + {SECRET_NUMBER}",
                        "tolerance": "0.01",
                        "points": "6",
                        "carry_error": True,
                    },
                ],
            },
        },
        "practical": {
            "content": {
                "instructions": {"en": "Upload your listing as a PDF."},
                "allowed_types": ["pdf", "docx"],
                "max_size_mb": 2,
            },
            "key": {
                "rubric": [
                    {"id": "r1", "criterion": {"en": "KEYMARK-rubric"}, "points": "6"},
                    {"id": "r2", "criterion": {"en": "KEYMARK-rubric2"}, "points": "4"},
                ]
            },
        },
    }


def every_kind_exam(*, school, government, **exam_fields) -> Exam:
    """A published exam drawing one question of each kind (objective ones in theory)."""
    questions = {
        kind: ("practical" if kind in ("essay", "practical", "listing") else "theory", data)
        for kind, data in question_data().items()
    }
    return exam_of_kinds(
        school=school, government=government, questions=questions, feedback=FEEDBACK, **exam_fields
    )


def _fields(value) -> set[str]:
    """Every key of every object in a JSON value."""
    if isinstance(value, dict):
        return set(value) | set().union(*(_fields(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(set(), *(_fields(v) for v in value))
    return set()


def assert_no_leak(text: str, where: str) -> None:
    assert MARK not in text, f"a key or feedback marker leaks on {where}"
    assert SECRET_NUMBER not in text, f"the numeric key leaks on {where}"
    assert "data-correct" not in text and "is-correct" not in text, where


def assert_no_leak_json(payload, where: str) -> None:
    assert_no_leak(json.dumps(payload, ensure_ascii=False), where)
    leaked = _fields(payload) & FORBIDDEN_FIELDS
    assert not leaked, f"{where} has fields {leaked}"


@pytest.fixture
def every_kind(school, government):
    return every_kind_exam(school=school, government=government)


@pytest.fixture
def as_student(client, student):
    client.force_login(student)
    return client


def _position_of(attempt: Attempt, kind: str) -> int:
    return next(q.position for q in attempt.questions.all() if q.kind == kind)


def test_the_paper_has_one_question_of_every_kind(every_kind, student):
    attempt = services.attempt_start(student=student, exam=every_kind)
    kinds = sorted(q.kind for q in attempt.questions.select_related("version__question"))
    assert kinds == sorted(question_data())


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_no_page_or_payload_of_an_open_attempt_shows_a_key(
    as_student, every_kind, student, settings, tmp_path, lang
):
    settings.MEDIA_ROOT = tmp_path
    as_student.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    pages = {
        "exam list": reverse("exams:exam_list"),
        "rules page": every_kind.get_absolute_url(),
    }
    for where, url in pages.items():
        page = as_student.get(url)
        assert page.status_code == 200
        assert_no_leak(page.text, where)

    started = as_student.post(reverse("exams:attempt_start", args=[every_kind.pk]))
    attempt = Attempt.objects.get(student=student)
    assert started["Location"] == attempt.get_absolute_url()
    page = as_student.get(attempt.get_absolute_url())
    assert page.status_code == 200
    assert_no_leak(page.text, "attempt page")

    api = as_student.get(reverse("exams_api:attempt", args=[attempt.pk]))
    assert_no_leak_json(api.json(), "attempt API")
    assert len(api.json()["questions"]) == len(question_data())
    resumed = as_student.post(reverse("exams_api:start", args=[every_kind.pk]))
    assert resumed.status_code == 201 and resumed.json()["questions"] == api.json()["questions"]
    assert_no_leak_json(resumed.json(), "start API")
    clock = as_student.get(reverse("exams_api:clock", args=[attempt.pk]))
    assert_no_leak_json(clock.json(), "clock API")

    # Right answers for the id-based kinds, so a score would show if anything echoed one.
    answers = {
        "single_choice": {"choice": "o3"},
        "multiple_choice": {"choices": ["o1", "o4"]},
        "true_false": {"value": False},
        "fill_blanks": {"blanks": ["fulfilment", "Amazon"]},
        "numeric": {"value": "12.5"},
        "matching": {"pairs": {"p1": "c1", "p2": "c2"}},
        "ordering": {"order": ["i1", "i2", "i3", "i4"]},
        "essay": {"text": "A long essay."},
        "calculation": {"steps": {"goods": "12.5", "total": "98777.9321"}},
        "listing": {
            "title": "Portable speaker",
            "bullets": ["Loud and clear"],
            "search_terms": "outdoor speaker",
            "description": "A speaker for the beach.",
        },
        "cloze": {"gaps": {"g1": "o2", "g2": "CIP", "g3": "98765.4"}},
    }
    for kind, response in answers.items():
        saved = as_student.put(
            reverse("exams_api:answer", args=[attempt.pk, _position_of(attempt, kind)]),
            {"seq": 1, "response": response},
            content_type="application/json",
        )
        assert saved.status_code == 200, (kind, saved.json())
        body = saved.json()
        assert set(body) == {"position", "seq", "applied", "saved_at", "flagged"}
        assert_no_leak_json(body, f"answer save ({kind})")
    upload = as_student.post(
        reverse("exams_api:answer_file", args=[attempt.pk, _position_of(attempt, "practical")]),
        {"file": SimpleUploadedFile("listing.pdf", b"%PDF-1.7\n%%EOF\n"), "text": "Notes"},
    )
    assert upload.status_code == 200, upload.json()
    assert_no_leak_json(upload.json(), "file upload")
    # The page now holds the student's own answers, still without a key.
    page = as_student.get(attempt.get_absolute_url())
    assert 'value="fulfilment"' in page.text
    assert 'value="CIP"' in page.text and '<option value="o2" selected>' in page.text
    assert_no_leak(page.text, "attempt page with answers")


def test_submitting_under_a_never_review_policy_reveals_nothing(as_student, every_kind, student):
    attempt = services.attempt_start(student=student, exam=every_kind)
    submitted = as_student.post(reverse("exams_api:submit", args=[attempt.pk]))
    assert submitted.status_code == 200
    assert set(submitted.json()) == {"status", "result_url"}
    assert_no_leak_json(submitted.json(), "submit response")
    result = as_student.get(submitted.json()["result_url"])
    assert result.status_code == 200
    assert_no_leak(result.text, "result page (review never)")
    state = as_student.get(reverse("exams_api:attempt", args=[attempt.pk]))
    assert_no_leak_json(state.json(), "attempt API after submit")
