"""The candidate's bilingual admission notice (PDF) for a sitting, and who may have it."""

import subprocess
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse

from organizations.models import Membership
from tests.conftest import require_binary
from tests.exams.test_sittings import make_sitting

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notice.pdf"
        path.write_bytes(pdf)
        result = subprocess.run(
            [require_binary("pdftotext"), "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    return result.stdout.decode()


def test_the_admitted_candidate_downloads_a_bilingual_notice(client, exam, student):
    sitting = make_sitting(exam, place="Room 101", what_to_bring="ID card, pen")
    sitting.candidates.add(student)
    client.force_login(student)
    listing = client.get(reverse("exams:exam_list")).content.decode()
    url = reverse("exams:admission_notice", args=[sitting.pk])
    assert url in listing  # linked from where the candidate sees their sittings
    detail = client.get(reverse("exams:exam_detail", args=[exam.pk])).content.decode()
    assert url in detail

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Zhang Wei" in text and "张伟" in text
    assert "Level 1 exam" in text and "一级考试" in text
    assert "Room 101" in text
    assert "ID card, pen" in text
    assert "Admission notice" in text and "准考证" in text
    assert f"S{sitting.pk:05d}-{student.pk:06d}" in text  # the derived candidate number


def test_the_schools_student_number_is_the_candidate_number(client, exam, student):
    Membership.objects.filter(user=student, organization=exam.organization).update(
        student_number="2026-0042"
    )
    sitting = make_sitting(exam)
    sitting.candidates.add(student)
    client.force_login(student)
    text = pdf_text(client.get(reverse("exams:admission_notice", args=[sitting.pk])).content)
    assert "2026-0042" in text


def test_another_student_gets_no_notice(client, exam, student, other_student, teacher):
    sitting = make_sitting(exam)
    sitting.candidates.add(student)
    url = reverse("exams:admission_notice", args=[sitting.pk])
    client.force_login(other_student)
    assert client.get(url).status_code == 404
    client.force_login(teacher)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
