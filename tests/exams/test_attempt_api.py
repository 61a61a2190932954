"""The attempt JSON API: state, clock, autosave ordering, deadlines, uploads and submit."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exams import grading, services
from exams.models import Attempt

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def as_student(client, student):
    client.force_login(student)
    return client


@pytest.fixture
def attempt(exam, student):
    return services.attempt_start(student=student, exam=exam)


def url(name: str, attempt: Attempt, *args) -> str:
    return reverse(f"exams_api:{name}", args=[attempt.pk, *args])


def put(client, attempt: Attempt, position: int, body):
    return client.put(url("answer", attempt, position), body, content_type="application/json")


def upload(client, attempt: Attempt, position: int, name: str, data: bytes, **fields):
    return client.post(
        url("answer_file", attempt, position), {"file": SimpleUploadedFile(name, data), **fields}
    )


def option(attempt: Attempt, position: int, index: int = 0) -> str:
    return attempt.questions.get(position=position).content["options"][index]["id"]


def practical_position(attempt: Attempt) -> int:
    return attempt.questions.get(part="practical").position


def docx(parts=("word/document.xml",)) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for part in parts:
            archive.writestr(part, "<w:document/>")
    return buffer.getvalue()


# --- reading ---------------------------------------------------------------------------------


def test_the_attempt_state_lists_the_paper_and_the_clock(as_student, attempt):
    data = as_student.get(url("attempt", attempt)).json()
    assert data["status"] == "in_progress"
    assert 3500 < data["seconds_left"] <= 3600
    assert data["server_time"] and data["deadline"]
    assert data["result_url"] == reverse("exams:attempt_result", args=[attempt.pk])
    assert [q["position"] for q in data["questions"]] == [1, 2, 3, 4, 5]
    first = data["questions"][0]
    assert set(first) == {
        "position", "part", "kind", "text", "content", "max_points", "response", "seq",
        "flagged", "saved_at",
    }  # fmt: skip
    assert first["kind"] == "single_choice" and first["text"]["zh-hans"].startswith("哪个正确")
    assert first["content"] == attempt.questions.get(position=1).content


def test_the_clock_is_one_query_after_authentication(
    as_student, attempt, django_assert_num_queries
):
    as_student.get(url("clock", attempt))  # warm the session
    with django_assert_num_queries(3):  # session, user, attempt
        data = as_student.get(url("clock", attempt)).json()
    assert data["status"] == "in_progress" and 3500 < data["seconds_left"] <= 3600
    assert set(data) == {"server_time", "deadline", "seconds_left", "status"}


def test_the_clock_submits_an_overdue_attempt(as_student, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=2))
    data = as_student.get(url("clock", attempt)).json()
    assert data["status"] != "in_progress" and data["seconds_left"] == 0


# --- saving ----------------------------------------------------------------------------------


def test_a_save_is_stored_and_acknowledged(as_student, attempt):
    choice = option(attempt, 1)
    response = put(as_student, attempt, 1, {"seq": 1, "response": {"choice": choice}})
    assert response.status_code == 200
    body = response.json()
    assert body["position"] == 1 and body["seq"] == 1 and body["applied"] is True
    assert body["saved_at"]
    stored = attempt.questions.get(position=1)
    assert stored.response == {"choice": choice} and stored.response_seq == 1


def test_an_older_save_arriving_late_does_not_overwrite_a_newer_one(as_student, attempt):
    newer, older = option(attempt, 1, 0), option(attempt, 1, 1)
    assert put(as_student, attempt, 1, {"seq": 3, "response": {"choice": newer}}).json()["applied"]
    late = put(as_student, attempt, 1, {"seq": 2, "response": {"choice": older}})
    assert late.status_code == 200
    assert late.json()["applied"] is False and late.json()["seq"] == 3
    stored = attempt.questions.get(position=1)
    assert stored.response == {"choice": newer} and stored.response_seq == 3


def test_a_retried_save_with_the_same_seq_is_harmless(as_student, attempt):
    body = {"seq": 1, "response": {"choice": option(attempt, 1)}}
    put(as_student, attempt, 1, body)
    again = put(as_student, attempt, 1, body).json()
    assert again["applied"] is False and again["seq"] == 1


def test_flagging_alone_keeps_an_unanswered_question_unanswered(as_student, attempt):
    response = put(as_student, attempt, 2, {"seq": 1, "flagged": True})
    assert response.status_code == 200 and response.json()["flagged"] is True
    stored = attempt.questions.get(position=2)
    assert stored.flagged and stored.response is None
    assert 2 in services.unanswered_positions(attempt)


def test_a_save_can_flag_and_unflag_with_the_answer(as_student, attempt):
    choice = option(attempt, 1)
    put(as_student, attempt, 1, {"seq": 1, "response": {"choice": choice}, "flagged": True})
    assert attempt.questions.get(position=1).flagged
    put(as_student, attempt, 1, {"seq": 2, "response": {"choice": choice}, "flagged": False})
    assert not attempt.questions.get(position=1).flagged


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"response": {"choice": None}}, "seq"),
        ({"seq": 0, "response": {"choice": None}}, "seq"),
        ({"seq": "x", "response": {"choice": None}}, "seq"),
        ({"seq": 1, "response": ["a"]}, "The answer must be an object."),
        ({"seq": 1, "response": {"choice": "zz"}}, "Choose one of the options."),
        ({"seq": 1}, "Send a response, a flag, or both."),
    ],
)
def test_a_malformed_save_is_400_with_a_message(as_student, attempt, body, message):
    response = put(as_student, attempt, 1, body)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert attempt.questions.get(position=1).response_seq == 0


def test_a_body_that_is_not_json_is_400(as_student, attempt):
    response = as_student.put(url("answer", attempt, 1), "{nope", content_type="application/json")
    assert response.status_code == 400


def test_an_unknown_position_is_404(as_student, attempt):
    response = put(as_student, attempt, 99, {"seq": 1, "response": {"choice": None}})
    assert response.status_code == 404
    assert put(as_student, attempt, 99, {"seq": 1, "flagged": True}).status_code == 404


def test_a_score_or_correctness_sent_by_the_client_is_ignored(as_student, attempt):
    wrong = next(
        o["id"]
        for o in attempt.questions.get(position=1).content["options"]
        if o["id"] != attempt.questions.get(position=1).version.key["correct"]
    )
    body = {
        "seq": 1,
        "response": {"choice": wrong, "points": 100, "is_correct": True},
        "points": "2.00",
        "auto_points": "2.00",
        "is_correct": True,
        "score": 100,
    }
    response = put(as_student, attempt, 1, body)
    assert response.status_code == 200
    assert not {"points", "is_correct", "score"} & set(response.json())
    assert attempt.questions.get(position=1).response == {"choice": wrong}
    as_student.post(url("submit", attempt))
    graded = attempt.questions.get(position=1)
    assert graded.points == 0 and graded.is_correct is False


# --- the deadline ----------------------------------------------------------------------------


def test_a_save_within_the_grace_period_still_counts(as_student, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=5))
    response = put(as_student, attempt, 1, {"seq": 1, "response": {"choice": option(attempt, 1)}})
    assert response.status_code == 200 and response.json()["applied"]


def test_a_save_after_deadline_and_grace_is_409_and_submits_the_attempt(
    as_student, attempt, settings
):
    grace = settings.EXAMS_DEADLINE_GRACE_SECONDS
    late = timezone.now() - timedelta(seconds=grace + 1)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=late)
    response = put(as_student, attempt, 1, {"seq": 1, "response": {"choice": option(attempt, 1)}})
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]
    assert response.json()["status"] in ("submitted", "graded")
    attempt.refresh_from_db()
    assert not attempt.is_open and attempt.auto_submitted
    assert attempt.questions.get(position=1).response is None


def test_a_resent_save_after_deadline_and_grace_is_refused_whatever_the_client_claims(
    as_student, attempt, settings
):
    """An answer kept offline and resent late: the server's clock decides, not the client's."""
    choice = option(attempt, 1)
    assert (
        put(as_student, attempt, 1, {"seq": 1, "response": {"choice": choice}}).status_code == 200
    )
    grace = settings.EXAMS_DEADLINE_GRACE_SECONDS
    deadline = timezone.now() - timedelta(seconds=grace + 1)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=deadline)
    typed_in_time = (deadline - timedelta(minutes=5)).isoformat()
    claims = {
        "seq": 2,
        "response": {"choice": option(attempt, 1, 1)},
        "saved_at": typed_in_time,
        "client_time": typed_in_time,
        "deadline": (timezone.now() + timedelta(hours=1)).isoformat(),
        "seconds_left": 3600,
        "status": "in_progress",
    }
    response = as_student.put(
        url("answer", attempt, 1), claims, content_type="application/json",
        HTTP_DATE="Mon, 01 Jan 2024 00:00:00 GMT", HTTP_X_CLIENT_TIME=typed_in_time,
    )  # fmt: skip
    assert response.status_code == 409 and "closed" in response.json()["detail"]
    flag = put(as_student, attempt, 2, {"seq": 5, "flagged": True})
    assert flag.status_code == 409
    attempt.refresh_from_db()
    assert not attempt.is_open and attempt.auto_submitted
    assert attempt.deadline == deadline  # nothing the client sent moved it
    saved = attempt.questions.get(position=1)
    assert saved.response == {"choice": choice} and saved.response_seq == 1
    assert attempt.questions.get(position=2).flagged is False


def test_resent_saves_arriving_out_of_order_keep_the_newest(as_student, attempt):
    """A reconnecting page resends kept answers; a stale one arriving late changes nothing."""
    first, second = option(attempt, 1, 0), option(attempt, 1, 1)
    newer = put(as_student, attempt, 1, {"seq": 7, "response": {"choice": second}})
    assert newer.json()["applied"] is True
    stale = put(as_student, attempt, 1, {"seq": 6, "response": {"choice": first}})
    assert stale.status_code == 200
    assert stale.json()["applied"] is False and stale.json()["seq"] == 7
    again = put(as_student, attempt, 1, {"seq": 7, "response": {"choice": second}})
    assert again.json()["applied"] is False and again.json()["seq"] == 7  # a harmless resend
    assert attempt.questions.get(position=1).response == {"choice": second}


def test_a_save_to_a_submitted_attempt_is_409(as_student, attempt):
    as_student.post(url("submit", attempt))
    response = put(as_student, attempt, 1, {"seq": 1, "response": {"choice": option(attempt, 1)}})
    assert response.status_code == 409 and response.json()["status"] == "graded"
    flag = put(as_student, attempt, 1, {"seq": 1, "flagged": True})
    assert flag.status_code == 409
    late_file = upload(as_student, attempt, practical_position(attempt), "a.pdf", PDF)
    assert late_file.status_code == 409


# --- submitting ------------------------------------------------------------------------------


def test_submitting_twice_grades_once(as_student, attempt, monkeypatch):
    calls = []
    real_grade = grading.grade
    monkeypatch.setattr(grading, "grade", lambda *a, **kw: calls.append(1) or real_grade(*a, **kw))
    first = as_student.post(url("submit", attempt))
    assert first.status_code == 200
    graded = len(calls)
    assert graded == 5
    attempt.refresh_from_db()
    graded_at = attempt.graded_at
    second = as_student.post(url("submit", attempt))
    assert second.status_code == 200 and second.json() == first.json()
    assert first.json() == {
        "status": "graded",
        "result_url": reverse("exams:attempt_result", args=[attempt.pk]),
    }
    assert len(calls) == graded
    attempt.refresh_from_db()
    assert attempt.graded_at == graded_at


def test_submitting_with_practical_work_waits_for_marking(as_student, attempt):
    put(as_student, attempt, practical_position(attempt), {"seq": 1, "response": {"text": "Plan"}})
    assert as_student.post(url("submit", attempt)).json()["status"] == "submitted"


# --- files for practical answers -------------------------------------------------------------


def test_a_pdf_upload_is_stored_in_the_questions_folder_and_saved(as_student, attempt):
    position = practical_position(attempt)
    response = upload(as_student, attempt, position, "My Listing (final).pdf", PDF, text="See file")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["applied"] and body["seq"] == 1
    assert body["file"].startswith(f"exam-answers/{attempt.pk}/{position}/")
    assert body["file"].endswith("My_Listing_final.pdf") and body["file_name"].endswith(".pdf")
    assert default_storage.exists(body["file"])
    stored = attempt.questions.get(position=position)
    assert stored.response == {"text": "See file", "file": body["file"]}
    # A later text save that names the file keeps it.
    again = put(
        as_student,
        attempt,
        position,
        {"seq": 2, "response": {"text": "Changed", "file": body["file"]}},
    )
    assert again.status_code == 200
    assert attempt.questions.get(position=position).response["file"] == body["file"]


def test_a_docx_upload_is_accepted(as_student, attempt):
    response = upload(as_student, attempt, practical_position(attempt), "listing.docx", docx())
    assert response.status_code == 200, response.json()


def test_an_upload_keeps_the_saved_text_when_none_is_sent(as_student, attempt):
    position = practical_position(attempt)
    put(as_student, attempt, position, {"seq": 1, "response": {"text": "Typed first"}})
    response = upload(as_student, attempt, position, "a.pdf", PDF)
    assert response.json()["seq"] == 2
    assert attempt.questions.get(position=position).response["text"] == "Typed first"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "not accepted"),
        ("no-extension", PDF, "not accepted"),
        ("image.png", PNG, "not accepted"),
        ("fake.pdf", PNG, "not a PDF file"),
        ("fake.docx", PDF, "not a DOCX file"),
        ("sheet.docx", docx(parts=("xl/workbook.xml",)), "not a DOCX file"),
    ],
)
def test_an_upload_of_the_wrong_type_is_400(as_student, attempt, name, data, message):
    position = practical_position(attempt)
    response = upload(as_student, attempt, position, name, data)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert attempt.questions.get(position=position).response is None
    assert not default_storage.exists(f"exam-answers/{attempt.pk}")


def test_an_upload_over_the_size_limit_is_400(as_student, attempt):
    too_big = PDF + b"0" * (5 * 1024 * 1024)
    response = upload(as_student, attempt, practical_position(attempt), "big.pdf", too_big)
    assert response.status_code == 400
    assert "larger than 5 MB" in response.json()["detail"]


def test_an_empty_upload_is_400(as_student, attempt):
    response = upload(as_student, attempt, practical_position(attempt), "empty.pdf", b"")
    assert response.status_code == 400


def test_a_file_for_a_theory_question_is_400(as_student, attempt):
    response = upload(as_student, attempt, 1, "a.pdf", PDF)
    assert response.status_code == 400
    assert "does not take a file" in response.json()["detail"]


def test_a_save_cannot_name_a_file_from_another_attempt(
    as_student, client, attempt, exam, other_student
):
    other = services.attempt_start(student=other_student, exam=exam)
    theirs = Client()
    theirs.force_login(other_student)
    position = practical_position(other)
    stolen = upload(theirs, other, position, "theirs.pdf", PDF).json()["file"]
    mine = practical_position(attempt)
    response = put(as_student, attempt, mine, {"seq": 1, "response": {"text": "", "file": stolen}})
    assert response.status_code == 400
    assert attempt.questions.get(position=mine).response is None


# --- who may call it -------------------------------------------------------------------------


def all_calls(client, attempt: Attempt):
    """One call to every endpoint of the attempt API."""
    position = practical_position(attempt)
    return {
        "attempt": client.get(url("attempt", attempt)),
        "clock": client.get(url("clock", attempt)),
        "answer": put(client, attempt, 1, {"seq": 1, "response": {"choice": None}}),
        "flag": put(client, attempt, 1, {"seq": 1, "flagged": True}),
        "file": upload(client, attempt, position, "a.pdf", PDF),
        "submit": client.post(url("submit", attempt)),
    }


def test_another_students_attempt_is_404_on_every_endpoint(client, attempt, other_student):
    client.force_login(other_student)
    for name, response in all_calls(client, attempt).items():
        assert response.status_code == 404, name
    attempt.refresh_from_db()
    assert attempt.is_open
    assert not attempt.questions.filter(response_seq__gt=0).exists()
    assert not attempt.questions.filter(flagged=True).exists()


def test_a_teacher_cannot_use_a_students_attempt(client, attempt, teacher):
    client.force_login(teacher)
    assert {r.status_code for r in all_calls(client, attempt).values()} == {404}


def test_an_anonymous_caller_is_refused_everywhere(client, attempt):
    for name, response in all_calls(client, attempt).items():
        assert response.status_code in (401, 403), name
    attempt.refresh_from_db()
    assert attempt.is_open


def test_writes_need_the_csrf_token(attempt, student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    body = {"seq": 1, "response": {"choice": option(attempt, 1)}}
    refused = put(client, attempt, 1, body)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert client.post(url("submit", attempt)).status_code == 403
    client.get(attempt.get_absolute_url())  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.put(
        url("answer", attempt, 1), body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 200


def test_a_student_starts_through_the_api_with_a_token_and_reads_the_result(theory_exam, student):
    from rest_framework.test import APIClient

    from exams.grading import key_response
    from organizations.tokens import token_issue

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=student)[1]}")
    started = api.post(f"/api/v1/exams/{theory_exam.pk}/start/")
    assert started.status_code == 201
    attempt_id = started.json()["id"]
    assert api.post(f"/api/v1/exams/{theory_exam.pk}/start/").json()["id"] == attempt_id
    paper = api.get(started.json()["url"]).json()
    # The start's answer is already the paper, as GET shows it.
    body = started.json()
    assert body["questions"] == paper["questions"] and len(paper["questions"]) == 4
    assert [body[k] for k in ("id", "status", "deadline")] == [
        paper[k] for k in ("id", "status", "deadline")
    ]
    from exams.models import AttemptQuestion

    for q in paper["questions"]:
        version = AttemptQuestion.objects.get(attempt_id=attempt_id, position=q["position"]).version
        answer = {"seq": 1, "response": key_response(q["kind"], version.content, version.key)}
        url = f"/api/v1/attempts/{attempt_id}/answers/{q['position']}/"
        assert api.put(url, answer, format="json").status_code == 200
    assert api.get(f"/api/v1/attempts/{attempt_id}/result/").json()["released"] is False
    api.post(f"/api/v1/attempts/{attempt_id}/submit/")
    result = api.get(f"/api/v1/attempts/{attempt_id}/result/").json()
    assert result["released"] is True and result["passed"] is True
    assert result["total_percent"] == "100.00"


def test_starting_an_unpublished_exam_through_the_api_is_404(theory_exam, student):
    from rest_framework.test import APIClient

    theory_exam.is_published = False
    theory_exam.save()
    api = APIClient()
    api.force_authenticate(student)
    assert api.post(f"/api/v1/exams/{theory_exam.pk}/start/").status_code == 404


def test_an_ineligible_start_through_the_api_is_409_with_reasons(theory_exam, student):
    from rest_framework.test import APIClient

    theory_exam.attempts_allowed = 1
    theory_exam.save()
    api = APIClient()
    api.force_authenticate(student)
    first = api.post(f"/api/v1/exams/{theory_exam.pk}/start/").json()["id"]
    api.post(f"/api/v1/attempts/{first}/submit/")
    refused = api.post(f"/api/v1/exams/{theory_exam.pk}/start/")
    assert refused.status_code == 409 and refused.json()["reasons"]


def test_another_student_cannot_read_your_result(theory_exam, student, other_student):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(student)
    attempt_id = api.post(f"/api/v1/exams/{theory_exam.pk}/start/").json()["id"]
    api.force_authenticate(other_student)
    assert api.get(f"/api/v1/attempts/{attempt_id}/result/").status_code == 404


# --- disk use (security review finding 8) ---------------------------------------------------------


def stored_files(attempt: Attempt) -> list[str]:
    root = f"exam-answers/{attempt.pk}/{practical_position(attempt)}"
    return default_storage.listdir(root)[1] if default_storage.exists(root) else []


def test_a_replaced_answer_file_is_deleted_when_the_new_save_commits(
    as_student, attempt, django_capture_on_commit_callbacks
):
    position = practical_position(attempt)
    with django_capture_on_commit_callbacks(execute=True):
        first = upload(as_student, attempt, position, "first.pdf", PDF).json()["file"]
    with django_capture_on_commit_callbacks(execute=True):
        second = upload(as_student, attempt, position, "second.pdf", PDF).json()["file"]

    assert not default_storage.exists(first)
    assert default_storage.exists(second)
    assert stored_files(attempt) == [second.rsplit("/", 1)[-1]]


def test_a_stale_upload_keeps_the_newer_file_and_leaves_no_trace(
    as_student, attempt, django_capture_on_commit_callbacks
):
    position = practical_position(attempt)
    with django_capture_on_commit_callbacks(execute=True):
        newer = upload(as_student, attempt, position, "newer.pdf", PDF, seq=5).json()["file"]
        stale = upload(as_student, attempt, position, "stale.pdf", PDF, seq=3)

    assert stale.json()["applied"] is False
    assert stored_files(attempt) == [newer.rsplit("/", 1)[-1]]


def test_clearing_the_file_in_an_autosave_deletes_it(
    as_student, attempt, django_capture_on_commit_callbacks
):
    position = practical_position(attempt)
    stored = upload(as_student, attempt, position, "a.pdf", PDF).json()["file"]
    with django_capture_on_commit_callbacks(execute=True):
        put(as_student, attempt, position, {"seq": 9, "response": {"text": "no file"}})

    assert not default_storage.exists(stored)


def test_an_attempts_files_have_a_quota(settings, as_student, attempt):
    settings.EXAMS_UPLOAD_QUOTA_PER_ATTEMPT_MB = 1
    big = PDF + b"0" * (1024 * 1024)

    response = upload(as_student, attempt, practical_position(attempt), "big.pdf", big)

    assert response.status_code == 400
    assert "more than 1 MB" in response.json()["detail"]
    assert stored_files(attempt) == []


def test_replacing_a_file_again_and_again_hits_the_hourly_quota(
    settings, as_student, attempt, django_capture_on_commit_callbacks
):
    settings.EXAMS_UPLOAD_QUOTA_PER_USER_HOUR_MB = 1
    chunk = PDF + b"0" * (400 * 1024)
    position = practical_position(attempt)

    with django_capture_on_commit_callbacks(execute=True):
        answers = [upload(as_student, attempt, position, f"{n}.pdf", chunk) for n in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 400]
    assert "in the last hour" in answers[2].json()["detail"]
    assert len(stored_files(attempt)) == 1
