"""The student's exam pages: list, rules and eligibility, attempt, result and review."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services as course_services
from exams import services
from exams.models import Attempt, Exam

from .conftest import build_exam
from .test_no_key_leaks import FEEDBACK, every_kind_exam


@pytest.fixture
def as_student(client, student):
    client.force_login(student)
    return client


def start_url(exam: Exam) -> str:
    return reverse("exams:attempt_start", args=[exam.pk])


def result_url(attempt: Attempt) -> str:
    return reverse("exams:attempt_result", args=[attempt.pk])


def save(client, attempt: Attempt, position: int, response: dict, seq: int = 1):
    answer = client.put(
        reverse("exams_api:answer", args=[attempt.pk, position]),
        {"seq": seq, "response": response},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.json()
    return answer


def answer_all_correctly(client, attempt: Attempt) -> None:
    for question in attempt.questions.select_related("version__question"):
        save(client, attempt, question.position, {"choice": question.version.key["correct"]})


# --- list and rules ----------------------------------------------------------------------


def test_the_exam_list_shows_each_exam_with_the_students_state(
    as_student, student, exam, theory_exam, school, government
):
    from tests.exams.conftest import build_exam

    done = build_exam(school=school, government=government, practicals=0)
    done.title_en = "Finished exam"
    done.save()
    services.attempt_start(student=student, exam=theory_exam)
    services.attempt_submit(attempt=services.attempt_start(student=student, exam=done))
    Exam.objects.filter(pk=exam.pk).update(title_en="Fresh exam")
    hidden = build_exam(school=school, government=government)
    hidden.title_en, hidden.is_published = "Draft exam", False
    hidden.save()

    page = as_student.get(reverse("exams:exam_list"))
    assert page.status_code == 200
    assert "Fresh exam" in page.text and "Not started" in page.text
    assert "Resume" in page.text
    assert "See your result" in page.text
    assert "Draft exam" not in page.text


def test_the_exam_list_needs_a_login(client, exam):
    response = client.get(reverse("exams:exam_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_rules_page_shows_the_rules_and_a_start_button(as_student, exam):
    exam.instructions_en = "Read **everything** first."
    exam.attempts_allowed = 2
    exam.save()
    page = as_student.get(exam.get_absolute_url())
    assert page.status_code == 200
    assert "<strong>everything</strong>" in page.text
    assert "60 minutes" in page.text
    assert "0 of 2 used" in page.text
    assert "CBEC Platform Operation" in page.text and "Level 1" in page.text
    assert exam.get_review_display() in page.text
    assert f'action="{start_url(exam)}"' in page.text


def test_starting_opens_the_attempt_and_starting_again_resumes_it(as_student, exam, student):
    first = as_student.post(start_url(exam))
    attempt = Attempt.objects.get(student=student)
    assert first.status_code == 302 and first["Location"] == attempt.get_absolute_url()
    again = as_student.post(start_url(exam))
    assert again["Location"] == attempt.get_absolute_url()
    assert Attempt.objects.count() == 1
    rules = as_student.get(exam.get_absolute_url())
    assert "Resume your attempt" in rules.text


def test_starting_needs_post_and_a_login(client, as_student, exam):
    assert as_student.get(start_url(exam)).status_code == 405
    as_student.logout()
    response = client.post(start_url(exam))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Attempt.objects.exists()


# --- eligibility refusals ----------------------------------------------------------------


def assert_refused(client, exam: Exam, reason: str) -> None:
    rules = client.get(exam.get_absolute_url())
    assert rules.status_code == 200
    assert reason in rules.text
    assert f'action="{start_url(exam)}"' not in rules.text
    started = client.post(start_url(exam))
    assert started.status_code == 409
    assert reason in started.text


def test_an_unpublished_exam_is_404_to_students(as_student, exam):
    exam.is_published = False
    exam.save()
    assert as_student.get(exam.get_absolute_url()).status_code == 404
    assert as_student.post(start_url(exam)).status_code == 404
    assert not Attempt.objects.exists()


def test_a_teacher_previewing_an_unpublished_exam_is_told_it_is_not_open(client, teacher, exam):
    exam.is_published = False
    exam.save()
    client.force_login(teacher)
    assert_refused(client, exam, "This exam is not open.")


def test_an_exam_not_yet_open_refuses_to_start(as_student, exam):
    exam.opens_at = timezone.now() + timedelta(days=1)
    exam.save()
    assert_refused(as_student, exam, "This exam opens at")


def test_a_closed_exam_refuses_to_start(as_student, exam):
    exam.closes_at = timezone.now() - timedelta(minutes=1)
    exam.save()
    assert_refused(as_student, exam, "This exam closed at")


def test_used_up_attempts_refuse_to_start(as_student, exam, student):
    services.attempt_submit(attempt=services.attempt_start(student=student, exam=exam))
    assert_refused(as_student, exam, "You have used all 1 of your attempts.")


def test_the_delay_between_attempts_refuses_an_early_start(as_student, exam, student):
    exam.attempts_allowed, exam.attempt_delay_minutes = 3, 60
    exam.save()
    services.attempt_submit(attempt=services.attempt_start(student=student, exam=exam))
    assert_refused(as_student, exam, "You can start your next attempt at")


def test_a_course_exam_refuses_students_not_enrolled(as_student, exam, student, course):
    exam.course = course
    exam.save()
    assert_refused(as_student, exam, "Enrol in SEO Marketing to sit this exam.")
    course_services.enrollment_create(student=student, course=course)
    assert as_student.post(start_url(exam)).status_code == 302


# --- the attempt page --------------------------------------------------------------------


def test_the_attempt_page_is_404_to_everyone_but_its_student(
    client, exam, student, other_student, teacher
):
    attempt = services.attempt_start(student=student, exam=exam)
    for person in (other_student, teacher):
        client.force_login(person)
        assert client.get(attempt.get_absolute_url()).status_code == 404
        assert client.get(result_url(attempt)).status_code == 404


def test_the_attempt_page_needs_a_login(client, exam, student):
    attempt = services.attempt_start(student=student, exam=exam)
    response = client.get(attempt.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_attempt_page_shows_every_question_with_navigator_timer_and_submit(
    as_student, exam, student
):
    attempt = services.attempt_start(student=student, exam=exam)
    page = as_student.get(attempt.get_absolute_url())
    assert page.status_code == 200
    for position in range(1, 6):
        assert f'id="q{position}"' in page.text and f'id="nav-{position}"' in page.text
    assert 'id="countdown"' in page.text
    assert f'data-deadline="{attempt.deadline.isoformat()}"' in page.text
    assert 'id="submit-dialog"' in page.text
    assert 'accept=".pdf,.docx"' in page.text and "at most 5 MB" in page.text
    assert 'id="attempt-strings"' in page.text and "exams/attempt.js" in page.text


def test_the_attempt_page_renders_a_widget_for_every_kind(as_student, student, school, government):
    exam = every_kind_exam(school=school, government=government)
    attempt = services.attempt_start(student=student, exam=exam)
    page = as_student.get(attempt.get_absolute_url()).text
    assert 'class="blank" data-blank="0"' in page and 'data-blank="1"' in page
    assert "[[1]]" not in page
    assert 'type="radio"' in page and 'type="checkbox" name=' in page
    assert 'value="true"' in page and 'value="false"' in page
    assert 'inputmode="decimal"' in page and "USD" in page
    assert "<select" in page and 'data-prompt="p1"' in page
    assert 'class="ordering"' in page and 'data-move="-1"' in page
    assert page.count('<textarea id="q') > page.count('class="text"') == 2  # essay, practical
    # A listing: its title, as many bullet points as the marketplace allows, search terms
    # and description, each with its counter.
    assert 'data-answer="title"' in page and 'data-answer="bullets.4"' in page
    assert 'data-count="bytes"' in page and "exams/listing.js" in page
    assert 'type="file"' in page


def test_the_attempt_page_follows_the_language(client, student, exam):
    client.force_login(student)
    attempt = services.attempt_start(student=student, exam=exam)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(attempt.get_absolute_url())
    assert "哪个正确" in page.text and "撰写亚马逊商品详情" in page.text


def test_the_attempt_page_gives_its_script_the_offline_texts_in_both_languages(
    client, student, exam
):
    """The script keeps unsent answers under the attempt's id and says so in the page's language
    (texts in a JSON data island: no inline script under the enforced CSP)."""
    client.force_login(student)
    attempt = services.attempt_start(student=student, exam=exam)
    shown = {}
    for language in ("en", "zh-hans"):
        client.cookies["django_language"] = language
        page = client.get(attempt.get_absolute_url()).content.decode()
        assert f'data-attempt="{attempt.pk}"' in page and 'id="offline-warning"' in page
        island = re.search(
            r'<script id="attempt-strings" type="application/json">(.*?)</script>', page
        )
        shown[language] = json.loads(island.group(1))
    assert shown["en"]["on_device"].startswith("Saved on this device, not yet on the server")
    assert "Reconnect now" in shown["en"]["offline_deadline"]
    assert shown["zh-hans"]["on_device"].startswith("已保存在本设备上")
    assert "重新联网" in shown["zh-hans"]["offline_deadline"]


def test_resuming_shows_every_saved_answer(as_student, exam, student):
    attempt = services.attempt_start(student=student, exam=exam)
    first = attempt.questions.get(position=1)
    choice = first.content["options"][1]["id"]
    save(as_student, attempt, 1, {"choice": choice})
    practical = attempt.questions.get(part="practical")
    save(as_student, attempt, practical.position, {"text": "My <b>listing</b> plan"})
    as_student.put(
        reverse("exams_api:answer", args=[attempt.pk, 2]),
        {"seq": 1, "flagged": True},
        content_type="application/json",
    )

    page = as_student.get(attempt.get_absolute_url()).text
    assert f'name="q1" value="{choice}" checked' in page
    assert "My &lt;b&gt;listing&lt;/b&gt; plan</textarea>" in page
    assert re.search(r'id="nav-1"[^>]*class="answered"', page)
    assert re.search(r'id="nav-2"[^>]*class="\s*flagged"', page)  # flagged, not answered
    assert 'data-unanswered="2,3,4"' in page


def test_an_overdue_attempt_is_submitted_when_its_page_opens(as_student, exam, student):
    attempt = services.attempt_start(student=student, exam=exam)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    response = as_student.get(attempt.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == result_url(attempt)
    attempt.refresh_from_db()
    assert not attempt.is_open and attempt.auto_submitted


def test_a_submitted_attempt_page_redirects_to_the_result(as_student, exam, student):
    attempt = services.attempt_submit(attempt=services.attempt_start(student=student, exam=exam))
    response = as_student.get(attempt.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == result_url(attempt)


# --- the result page ---------------------------------------------------------------------


def test_an_open_attempts_result_page_sends_back_to_the_attempt(as_student, exam, student):
    attempt = services.attempt_start(student=student, exam=exam)
    response = as_student.get(result_url(attempt))
    assert response.status_code == 302 and response["Location"] == attempt.get_absolute_url()


def test_a_graded_attempt_shows_percentages_pass_and_the_review(as_student, theory_exam, student):
    attempt = services.attempt_start(student=student, exam=theory_exam)
    answer_all_correctly(as_student, attempt)
    as_student.post(reverse("exams_api:submit", args=[attempt.pk]))
    page = as_student.get(result_url(attempt))
    assert page.status_code == 200
    assert "You passed." in page.text and "Total: 100.00%" in page.text
    assert "Theory" in page.text and "60%" in page.text
    assert "Review of your answers" in page.text
    assert "Correct answer" in page.text and "Bravo" in page.text
    assert "Because." in page.text  # the feedback


def test_a_failed_attempt_says_so(as_student, theory_exam, student):
    attempt = services.attempt_submit(
        attempt=services.attempt_start(student=student, exam=theory_exam)
    )
    page = as_student.get(result_url(attempt))
    assert "You did not pass this time." in page.text and "Total: 0.00%" in page.text


def test_the_review_is_hidden_when_the_exam_never_shows_answers(as_student, theory_exam, student):
    theory_exam.review = Exam.Review.NEVER
    theory_exam.save()
    attempt = services.attempt_submit(
        attempt=services.attempt_start(student=student, exam=theory_exam)
    )
    page = as_student.get(result_url(attempt))
    assert "Total: 0.00%" in page.text
    assert "Review of your answers" not in page.text and "Because." not in page.text
    assert "does not show the correct answers" in page.text


def test_an_after_close_review_waits_for_the_exam_to_close(as_student, theory_exam, student):
    theory_exam.review = Exam.Review.AFTER_CLOSE
    theory_exam.closes_at = timezone.now() + timedelta(days=1)
    theory_exam.save()
    attempt = services.attempt_submit(
        attempt=services.attempt_start(student=student, exam=theory_exam)
    )
    page = as_student.get(result_url(attempt))
    assert "Review of your answers" not in page.text
    assert "shown after the exam closes" in page.text
    Exam.objects.filter(pk=theory_exam.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    assert "Review of your answers" in as_student.get(result_url(attempt)).text


def test_results_held_back_until_close_show_no_score(as_student, theory_exam, student):
    theory_exam.release_results = False
    theory_exam.save()
    attempt = services.attempt_submit(
        attempt=services.attempt_start(student=student, exam=theory_exam)
    )
    page = as_student.get(result_url(attempt))
    assert "Results are published when the exam closes." in page.text
    assert "Total:" not in page.text and "Review of your answers" not in page.text
    Exam.objects.filter(pk=theory_exam.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    assert "Total: 0.00%" in as_student.get(result_url(attempt)).text


def test_pending_marking_is_announced_without_a_score(as_student, exam, student):
    attempt = services.attempt_start(student=student, exam=exam)
    practical = attempt.questions.get(part="practical")
    save(as_student, attempt, practical.position, {"text": "My listing"})
    as_student.post(reverse("exams_api:submit", args=[attempt.pk]))
    page = as_student.get(result_url(attempt))
    assert "being marked" in page.text
    assert "Total:" not in page.text and "Review of your answers" not in page.text


def test_the_review_of_every_kind_shows_keys_and_feedback_once_allowed(
    as_student, student, school, government
):
    exam = every_kind_exam(school=school, government=government, review="after_grading")
    attempt = services.attempt_submit(attempt=services.attempt_start(student=student, exam=exam))
    page = as_student.get(result_url(attempt)).text
    assert "Review of your answers" in page
    # The leak scanner's markers do show here, so the scanner would catch a leak.
    assert FEEDBACK["en"] in page
    assert "KEYMARK-blank / " not in page and "KEYMARK-blank | KEYMARK-blank2" in page
    assert "98765.4321 ± 0.5 USD" in page
    assert "KEYMARK-guidance" in page and "KEYMARK-rubric (6)" in page


# --- Keys and retakes (security review finding 6) -------------------------------------------------


def test_review_hides_keys_while_a_retake_could_draw_the_same_questions(
    as_student, school, government, student
):
    exam = build_exam(
        school=school, government=government, practicals=0, theory=2, bank_extra=4,
        attempts_allowed=3,
    )  # fmt: skip
    first = services.attempt_submit(attempt=services.attempt_start(student=student, exam=exam))

    page = as_student.get(result_url(first))

    assert "Total: 0.00%" in page.text
    assert "Review of your answers" not in page.text and "Because." not in page.text
    assert "shown after your last attempt" in page.text
    for _ in range(2):
        last = services.attempt_submit(attempt=services.attempt_start(student=student, exam=exam))
    assert "Review of your answers" in as_student.get(result_url(last)).text
    assert "Review of your answers" in as_student.get(result_url(first)).text
