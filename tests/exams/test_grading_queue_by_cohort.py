"""The grading queue narrowed to one cohort, as the mentor's workspace links it."""

from django.urls import reverse

from tests import factories
from tests.exams.test_marking import enrol, sit


def test_a_mentor_opens_the_queue_of_one_of_their_cohorts(
    client, exam, course, cohort, mentor, teacher, student, other_student
):
    other_cohort = factories.cohort(course, teacher=teacher, mentor=mentor, name="Class 2")
    enrol(student, cohort)
    enrol(other_student, other_cohort)
    sit(exam, student)
    client.force_login(mentor)
    queue = reverse("exams:grading_queue")

    assert len(client.get(queue).context["rows"]) == 1
    first = client.get(queue, {"cohort": cohort.pk})
    assert len(first.context["rows"]) == 1
    assert "Answers of the students of Class 1" in first.text
    assert client.get(queue, {"cohort": other_cohort.pk}).context["rows"] == []
    # The workspace links each cohort's queue with its count.
    workspace = client.get(reverse("landing"))
    waiting = {
        row["cohort"].pk: row["waiting"] for row in workspace.context["sections"][0].data["cohorts"]
    }
    assert waiting == {cohort.pk: 1, other_cohort.pk: 0}
    assert f"{queue}?cohort={cohort.pk}" in workspace.text


def test_a_cohort_filter_never_widens_the_queue(client, exam, cohort, student, outsider):
    enrol(student, cohort)
    sit(exam, student)
    client.force_login(outsider)  # a teacher of another school
    assert client.get(reverse("exams:grading_queue"), {"cohort": cohort.pk}).context["rows"] == []


def test_the_pages_of_a_cohort_queue_keep_the_cohort(
    client, monkeypatch, school, exam, course, cohort, mentor, teacher, student, other_student
):
    from exams.views import staff

    monkeypatch.setattr(staff, "PAGE_SIZE", 1)
    other_cohort = factories.cohort(course, teacher=teacher, mentor=mentor, name="Class 2")
    third = factories.person("third", school, "student", name_native="王芳", name_latin="Wang Fang")
    enrol(student, cohort)
    enrol(third, cohort)
    enrol(other_student, other_cohort)
    for someone in (student, third, other_student):
        sit(exam, someone)
    client.force_login(mentor)
    queue = reverse("exams:grading_queue")

    assert client.get(queue).context["page"].paginator.num_pages == 3
    first = client.get(queue, {"cohort": cohort.pk})
    assert first.context["page"].paginator.num_pages == 2
    # The page link keeps the cohort, so page 2 is still that cohort's queue.
    assert f'href="?cohort={cohort.pk}&amp;page=2"' in first.text
    second = client.get(queue, {"cohort": cohort.pk, "page": 2})
    assert second.context["cohort"] == cohort
    assert f'href="?cohort={cohort.pk}&amp;page=1"' in second.text
    shown = {
        row[0].attempt.student_id
        for response in (first, second)
        for row in response.context["rows"]
    }
    assert shown == {student.pk, third.pk}
