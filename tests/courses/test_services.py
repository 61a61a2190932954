import pytest
from django.core.exceptions import ValidationError

from courses import services
from courses.models import Enrollment, LessonCompletion
from courses.signals import course_completed
from tests import factories


def test_a_student_enrols_in_a_published_course(student, course):
    enrollment = services.enrollment_create(student=student, course=course)
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert Enrollment.objects.filter(student=student, course=course).count() == 1


def test_enrolling_twice_is_refused(student, course):
    services.enrollment_create(student=student, course=course)
    with pytest.raises(services.EnrollmentError, match="already enrolled"):
        services.enrollment_create(student=student, course=course)
    assert Enrollment.objects.count() == 1


def test_an_unpublished_course_refuses_self_enrolment(student, school):
    draft = factories.course(school, code="draft", published=False)
    with pytest.raises(services.EnrollmentError, match="not open"):
        services.enrollment_create(student=student, course=draft)


def test_an_unmet_prerequisite_is_named_in_the_refusal(student, school, course):
    advanced = factories.course(school, code="advanced-seo", title_en="Advanced SEO")
    advanced.prerequisites.add(course)
    with pytest.raises(services.EnrollmentError, match="SEO Marketing"):
        services.enrollment_create(student=student, course=advanced)


def test_a_completed_prerequisite_opens_the_next_course(student, school, course):
    advanced = factories.course(school, code="advanced-seo")
    advanced.prerequisites.add(course)
    services.enrollment_create(student=student, course=course)
    factories.spend_time(student, course, minutes=course.min_lesson_minutes)
    for lesson in course.lessons():
        services.lesson_complete(student=student, lesson=lesson)
    assert services.enrollment_create(student=student, course=advanced).pk


def test_a_full_cohort_refuses_one_more(student, other_student, course, teacher):
    small = factories.cohort(course, teacher=teacher, capacity=1)
    services.enrollment_create(student=other_student, course=course, cohort=small)
    with pytest.raises(services.EnrollmentError, match="full"):
        services.enrollment_create(student=student, course=course, cohort=small)


def test_withdrawal_then_re_enrolment_reuses_the_enrolment(student, course):
    enrollment = services.enrollment_create(student=student, course=course)
    services.enrollment_withdraw(enrollment=enrollment)
    assert Enrollment.objects.get().status == Enrollment.Status.WITHDRAWN
    again = services.enrollment_create(student=student, course=course)
    assert again.pk == enrollment.pk and again.status == Enrollment.Status.ACTIVE


def test_progress_is_the_share_of_required_lessons_done(student, course):
    enrollment = services.enrollment_create(student=student, course=course)
    lessons = list(course.lessons())
    services.lesson_complete(student=student, lesson=lessons[0])
    progress = Enrollment.objects.with_progress().get(pk=enrollment.pk)
    assert (progress.completed_lessons, progress.required_lessons) == (1, 4)
    assert progress.progress_percent == 25


def test_optional_lessons_do_not_count_towards_completion(student, course):
    enrollment = services.enrollment_create(student=student, course=course)
    lessons = list(course.lessons())
    lessons[-1].is_required = False
    lessons[-1].save()
    factories.spend_time(student, course, minutes=course.min_lesson_minutes)
    for lesson in lessons[:-1]:
        services.lesson_complete(student=student, lesson=lesson)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED


def test_completing_every_lesson_completes_the_course_and_tells_listeners(
    student, course, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, enrollment, **kwargs):
        received.append(enrollment.pk)

    course_completed.connect(listener)
    try:
        enrollment = services.enrollment_create(student=student, course=course)
        factories.spend_time(student, course, minutes=course.min_lesson_minutes)
        with django_capture_on_commit_callbacks(execute=True):
            for lesson in course.lessons():
                services.lesson_complete(student=student, lesson=lesson)
    finally:
        course_completed.disconnect(listener)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.completed_at is not None
    assert received == [enrollment.pk]


def test_completing_a_lesson_twice_records_it_once(student, course):
    services.enrollment_create(student=student, course=course)
    lesson = course.lessons().first()
    services.lesson_complete(student=student, lesson=lesson)
    services.lesson_complete(student=student, lesson=lesson)
    assert LessonCompletion.objects.count() == 1


def test_progress_needs_an_enrolment(student, course):
    with pytest.raises(services.EnrollmentError):
        services.lesson_complete(student=student, lesson=course.lessons().first())


def test_csv_enrols_every_listed_student(cohort, student, other_student):
    data = b"username\nstudent\nother@example.org\n"
    report = services.enrollments_import_csv(cohort=cohort, data=data)
    assert report.ok and report.imported == 2
    assert set(cohort.enrollments.values_list("student__username", flat=True)) == {
        "student",
        "other",
    }


def test_csv_with_one_bad_row_enrols_nobody_and_names_the_line(cohort, student):
    data = b"student\nnobody-here\n"
    report = services.enrollments_import_csv(cohort=cohort, data=data)
    assert not report.ok
    bad = [row for row in report.rows if row.errors]
    assert [(row.line, row.identifier) for row in bad] == [(2, "nobody-here")]
    assert cohort.enrollments.count() == 0


def test_csv_refusal_inside_the_transaction_rolls_everything_back(
    cohort, student, other_student, course, teacher
):
    cohort.capacity = 1
    cohort.save()
    report = services.enrollments_import_csv(cohort=cohort, data=b"student\nother\n")
    assert not report.ok
    assert "full" in " ".join(report.rows[1].errors)
    assert Enrollment.objects.count() == 0


def test_csv_lists_a_repeated_student_as_an_error(cohort, student):
    report = services.enrollments_import_csv(cohort=cohort, data=b"student\nstudent\n")
    assert "line 1" in " ".join(report.rows[1].errors)
    assert cohort.enrollments.count() == 0


def test_csv_that_is_not_text_is_refused_clearly(cohort):
    with pytest.raises(ValidationError, match="UTF-8"):
        services.enrollments_import_csv(cohort=cohort, data=b"\xff\xfe\x00bad")


def test_csv_with_no_rows_is_refused(cohort):
    with pytest.raises(ValidationError, match="no students"):
        services.enrollments_import_csv(cohort=cohort, data=b"username\n\n")


def test_re_uploading_a_list_notes_those_already_enrolled(cohort, student):
    services.enrollments_import_csv(cohort=cohort, data=b"student\n")
    report = services.enrollments_import_csv(cohort=cohort, data=b"student\n")
    assert report.ok and report.imported == 0
    assert report.rows[0].notes


@pytest.fixture
def strangers(db):
    """A student of another school, a platform admin who is also a student here, a teacher here."""
    elsewhere = factories.organization(kind="school", code="elsewhere-school")
    other_school_student = factories.person("elsewhere", elsewhere, "student")
    admin = factories.person("root", None, None)
    admin.is_superuser = admin.is_staff = True
    admin.save()
    return other_school_student, admin


def test_csv_enrols_only_students_of_the_courses_school(cohort, student, school, strangers):
    other_school_student, admin = strangers
    from organizations.services import membership_grant

    membership_grant(user=admin, organization=school, role="student")
    data = b"student\nelsewhere\nelsewhere@example.org\nroot\nroot@example.org\nno-such-person\n"
    report = services.enrollments_import_csv(cohort=cohort, data=data)

    assert not report.ok
    assert cohort.enrollments.count() == 0
    assert report.rows[0].errors == []
    refused = [row.errors for row in report.rows[1:]]
    # An account elsewhere, a platform admin and nobody at all read exactly the same.
    assert refused == [["No student of this school has this username or email."]] * 5


def test_csv_does_not_enrol_a_teacher_or_a_withdrawn_member(cohort, teacher, other_student):
    from organizations.models import Membership

    Membership.objects.filter(user=other_student).update(is_active=False)
    report = services.enrollments_import_csv(cohort=cohort, data=b"teacher\nother\n")
    assert [row.errors for row in report.rows] == [
        ["No student of this school has this username or email."]
    ] * 2
    assert cohort.enrollments.count() == 0


def test_csv_matches_a_students_email_whatever_its_case(cohort, student):
    report = services.enrollments_import_csv(cohort=cohort, data=b"Student@Example.org\n")
    assert report.ok and report.imported == 1
