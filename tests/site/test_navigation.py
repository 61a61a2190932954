"""The site navigation adapts to the visitor."""


def test_the_teaching_link_shows_for_teachers_only(client, student, teacher):
    client.force_login(student)
    assert "/exams/staff/" not in client.get("/courses/").text
    client.force_login(teacher)
    assert "/exams/staff/" in client.get("/courses/").text


def test_anyone_can_reach_certificate_verification_from_the_menu(client, db):
    assert "/verify/" in client.get("/courses/").text
