"""The shared field markup of the sitting and override forms: every label and
aria-describedby points at an element that exists, and errors and help text show."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from courses.models import Enrollment

pytestmark = pytest.mark.django_db


class Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.described_by, self.label_for, self.legends = set(), [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if "aria-describedby" in attrs:
            self.described_by += attrs["aria-describedby"].split()
        if tag == "label" and "for" in attrs:
            self.label_for.append(attrs["for"])
        self.legends += tag == "legend"


def form_markup(response) -> Markup:
    html = response.content.decode()
    form = re.search(r'<form method="post"[^>]*sitting-form.*?</form>', html, re.S).group(0)
    markup = Markup()
    markup.feed(form)
    return markup


def assert_references_resolve(markup: Markup):
    assert markup.described_by, "the page has help text or errors to point at"
    assert set(markup.described_by) <= markup.ids
    assert all(markup.label_for) and set(markup.label_for) <= markup.ids


def test_the_override_forms_help_and_errors_are_what_its_fields_point_at(
    client, exam, teacher, student, cohort
):
    Enrollment.objects.create(student=student, course=cohort.course, cohort=cohort)
    client.force_login(teacher)
    url = reverse("exams:exam_overrides", args=[exam.pk])
    assert_references_resolve(form_markup(client.get(url)))
    refused = client.post(url, {"student": student.pk, "time_limit_minutes": 0})
    assert refused.status_code == 400
    markup = form_markup(refused)
    assert_references_resolve(markup)
    assert {"id_time_limit_minutes_error", "id_reason_error"} <= markup.ids
    html = refused.content.decode()
    assert 'class="field has-error"' in html and "greater than or equal to 1" in html
    assert "Override at least one of the dates" in html  # the form's own error


def test_the_sitting_forms_checkbox_groups_have_a_legend_not_an_empty_label(
    client, exam, teacher, student, cohort
):
    Enrollment.objects.create(student=student, course=cohort.course, cohort=cohort)
    client.force_login(teacher)
    url = reverse("exams:sitting_new", args=[exam.pk])
    markup = form_markup(client.get(url))
    assert_references_resolve(markup)
    assert markup.legends == 3  # cohorts, candidates, invigilators
    refused = client.post(url, {"duration_minutes": "x", "mode": "room"})
    assert refused.status_code == 400
    markup = form_markup(refused)
    assert_references_resolve(markup)
    assert {"id_duration_minutes_error", "id_place_error"} <= markup.ids
    assert "Admit at least one cohort or candidate" in refused.content.decode()
