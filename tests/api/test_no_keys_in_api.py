"""No GET of the API shows a student an answer key, a rubric, guidance or feedback.

Every GET operation in the live schema is called as a student with an open attempt, its
path parameters filled with the seeded objects (the student's own attempt and answers
among them). Keys carry markers (tests/api/conftest.py): fill-blank accepted answer
KEYMARK-1, essay guidance KEYMARK-2, rubric criteria KEYMARK-3, feedback KEYMARK-4.
"""

import itertools
import json
import re

import pytest
from django.test import Client

from tests.api.conftest import MARKERS

PARAMETER = re.compile(r"{(\w+)}")


@pytest.fixture
def openapi(client, db) -> dict:
    return json.loads(client.get("/api/schema/?format=json").content)


def candidates(world, path: str, name: str) -> list:
    """The seeded values a path parameter can take; the student's own answers included."""
    if name == "id":
        return [world.id_for(path)]
    if name == "position":
        return list(world.attempt.questions.values_list("position", flat=True))
    if name == "question_id":
        own = world.attempt.questions.values_list("pk", flat=True)
        return [*own, world.marked_answer.pk]
    return [world.path_values()[name]]


def urls(world, path: str) -> list[str]:
    """The path with its parameters filled, once per combination of candidate values."""
    names = PARAMETER.findall(path)
    choices = [candidates(world, path, name) for name in names]
    filled = []
    for combo in itertools.product(*choices):
        url = path
        for name, value in zip(names, combo, strict=True):
            url = url.replace(f"{{{name}}}", str(value))
        filled.append(url)
    return filled


def get_operations(openapi: dict) -> list[str]:
    return [path for path, operations in openapi["paths"].items() if "get" in operations]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_get_shows_a_student_any_key(world, openapi, language):
    client = Client(headers={"accept-language": language})
    client.force_login(world.users["student"])
    seen = {}
    for path in get_operations(openapi):
        for url in urls(world, path):
            response = client.get(url)
            assert response.status_code < 500, url
            seen[url] = response.status_code
            text = response.content.decode()
            for marker in MARKERS:
                assert marker not in text, f"{marker} shows on GET {url}"

    # The calls reached what a student may read: their attempt's paper, their certificates.
    attempt = f"/api/v1/attempts/{world.attempt.pk}/"
    assert seen[attempt] == 200
    paper = client.get(attempt).json()
    assert {q["kind"] for q in paper["questions"]} == {
        "single_choice",
        "fill_blanks",
        "essay",
        "practical",
    }
    assert seen["/api/v1/certificates/mine/"] == 200
    assert seen[f"/api/v1/lessons/{world.lesson.pk}/"] == 200


def test_the_markers_are_where_an_author_sees_them(world, openapi):
    """The check above is only worth something if the keys do carry the markers."""
    client = Client()
    client.force_login(world.users["teacher"])
    questions = client.get(f"/api/v1/banks/{world.bank.pk}/questions/").content.decode()
    for marker in MARKERS:
        assert marker in questions, marker
