"""Question images: stored once per bank, served only to those who may see the questions,
imported with the questions that show them (all or nothing) and exported again."""

import base64
import hashlib
import io
import re
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from courses.markup import render_markdown
from exams import access, imports, services
from exams.interop import FORMATS
from exams.models import ImportJob, QuestionBank, QuestionMedia, QuestionVersion
from exams.services import ExamError
from tests import factories
from tests.exams.interop import images
from tests.exams.test_marking import enrol, practical_of, sit

RED = images.image("PNG", (200, 30, 30))
BLUE = images.image("JPEG", (30, 30, 200))


@pytest.fixture(autouse=True)
def _english():
    """Messages are read in English, whatever an earlier test's request left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def bank(school):
    return QuestionBank.objects.create(organization=school, name="Signs")


def stored_files(root) -> list[str]:
    folder = root / "question-media"
    return sorted(str(p.relative_to(root)) for p in folder.rglob("*") if p.is_file())


# --- the service ------------------------------------------------------------------------------


def test_an_image_is_stored_under_a_random_folder_with_a_safe_name_and_its_type(bank, teacher):
    media = services.media_add(bank=bank, data=RED, name="../Stop sign 停.PNG", by=teacher)

    assert media.content_type == "image/png" and media.size == len(RED)
    assert media.sha256 == hashlib.sha256(RED).hexdigest()
    assert media.name == "Stop_sign.png" and media.original_name == "../Stop sign 停.PNG"
    folder, token, name = media.file.name.rsplit("/", 2)
    assert folder == f"question-media/{bank.pk}" and name == media.name
    assert token != media.token and len(token) >= 16
    assert media.url == f"/exams/media/{media.token}/{media.name}"
    assert len(media.token) >= 20
    assert default_storage.open(media.file.name).read() == RED


def test_the_name_gets_the_extension_of_what_the_bytes_are(bank):
    assert services.media_add(bank=bank, data=BLUE, name="photo.png").name == "photo.jpg"
    gif = images.image("GIF")
    assert services.media_add(bank=bank, data=gif, name="").name == "image.gif"
    webp = images.image("WEBP")
    assert services.media_add(bank=bank, data=webp, name="x").content_type == "image/webp"


def test_the_same_bytes_are_stored_once_per_bank(bank, school, settings):
    first = services.media_add(bank=bank, data=RED, name="a.png")
    again = services.media_add(bank=bank, data=RED, name="b.png")
    other_bank = QuestionBank.objects.create(organization=school, name="Other")
    elsewhere = services.media_add(bank=other_bank, data=RED, name="a.png")

    assert again == first and elsewhere != first
    assert len(stored_files(settings.MEDIA_ROOT)) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (images.SVG, "logo.svg is an SVG image, which can hold scripts; SVG is refused"),
        (b"<html><script>alert(1)</script>", "logo.svg is an SVG image"),
        (b"%PDF-1.7 not an image", "logo.svg is an SVG image"),
    ],
)
def test_svg_and_other_files_are_refused(bank, data, message, settings):
    with pytest.raises(ExamError, match=message):
        services.media_add(bank=bank, data=data, name="logo.svg")

    assert not QuestionMedia.objects.exists()


def test_a_file_that_is_no_image_is_refused_whatever_its_name(bank):
    with pytest.raises(ExamError, match="scan.png is not a PNG, JPEG, GIF or WebP image"):
        services.media_add(bank=bank, data=b"%PDF-1.7", name="scan.png")


def test_an_image_over_the_size_limit_is_refused(bank, settings):
    settings.EXAMS_MEDIA_MAX_MB = 0.5

    with pytest.raises(ExamError, match="big.png is 0.6 MB; images of at most 0.5 MB"):
        services.media_add(bank=bank, data=RED + bytes(600 * 1024), name="big.png")


def test_a_batch_deletes_the_files_it_wrote_when_its_transaction_rolls_back(bank, settings):
    kept = services.media_add(bank=bank, data=BLUE, name="kept.jpg")

    with (
        pytest.raises(RuntimeError),
        services.MediaBatch(bank=bank) as batch,
        transaction.atomic(),
    ):
        batch.add(RED, "new.png")
        assert batch.add(BLUE, "again.jpg") == kept  # already there: not the batch's
        raise RuntimeError("the import failed")

    assert list(QuestionMedia.objects.all()) == [kept]
    assert stored_files(settings.MEDIA_ROOT) == [kept.file.name]


# --- who sees an image ------------------------------------------------------------------------


@pytest.fixture
def illustrated(exam):
    """The exam's bank with an image every question shows."""
    bank = exam.banks.get()
    media = services.media_add(bank=bank, data=RED, name="sign.png")
    for version in QuestionVersion.objects.filter(question__bank=bank):
        version.text = {"en": version.text["en"] + f"\n\n![the sign]({media.url})"}
        version.save()
    return media


def get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_authors_of_the_bank_see_its_images_as_images_never_sniffed(client, illustrated, teacher):
    response = get(client, teacher, illustrated.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == RED
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "inline"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("private")


def test_a_student_whose_paper_holds_a_question_of_the_bank_sees_it(
    client, exam, illustrated, student
):
    attempt = services.attempt_start(student=student, exam=exam)

    page = get(client, student, reverse("exams:attempt", args=[attempt.pk])).content.decode()

    assert f'<img alt="the sign" src="{illustrated.url}">' in page
    assert client.get(illustrated.url).status_code == 200


def test_markers_of_answers_to_the_banks_questions_see_it(
    client, exam, illustrated, student, cohort, mentor
):
    enrol(student, cohort)
    answer = practical_of(sit(exam, student))

    assert get(client, mentor, illustrated.url).status_code == 200  # waiting for their mark
    services.mark_record(
        attempt_question=answer, grader=mentor, role="mentor", rubric_marks={"r1": 8, "r2": 8}
    )
    assert not access.grading_queue(mentor).exists()
    assert get(client, mentor, illustrated.url).status_code == 200  # they marked it


def test_everyone_else_gets_the_same_404_as_for_no_image(
    client, exam, illustrated, other_student, outsider
):
    wrong_name = illustrated.url.replace("sign.png", "other.png")
    unknown = f"/exams/media/{'x' * 22}/sign.png"
    responses = [
        get(client, None, illustrated.url),
        get(client, other_student, illustrated.url),  # no attempt at this exam
        get(client, outsider, illustrated.url),  # a teacher of another school
        get(client, outsider, unknown),
        get(client, outsider, wrong_name),
    ]

    assert [r.status_code for r in responses] == [404] * 5
    # The same person sees the same page whether the image exists or not.
    pages = {re.sub(rb'(nonce|value)="[^"]*"', b"", r.content) for r in responses[2:]}
    assert len(pages) == 1


def test_an_image_is_not_written_to(client, illustrated, teacher):
    client.force_login(teacher)

    assert client.post(illustrated.url).status_code == 405


# --- the Markdown sanitiser -------------------------------------------------------------------


def test_the_sanitiser_keeps_only_images_of_the_media_view():
    html = str(
        render_markdown(
            "![ok](/exams/media/AbCdEfGhIjKlMnOpQrStUv/sign.png) "
            "![far](https://tracker.example/pixel.png) ![near](//tracker.example/p.png) "
            '<img src="/exams/media/AbCd/../../admin/x.png" alt="up"> '
            '<img src="javascript:alert(1)" alt="js"> [a link](https://example.com)'
        )
    )

    assert '<img alt="ok" src="/exams/media/AbCdEfGhIjKlMnOpQrStUv/sign.png">' in html
    for alt in ("far", "near", "up", "js"):
        assert f'<img alt="{alt}">' in html
    assert "tracker" not in html and "admin" not in html and "javascript" not in html
    assert 'href="https://example.com"' in html


# --- import and export ------------------------------------------------------------------------


def moodle_file(text: str, *files: tuple[str, bytes]) -> bytes:
    embedded = "".join(
        f'<file name="{n}" path="/" encoding="base64">{base64.b64encode(d).decode()}</file>'
        for n, d in files
    )
    return (
        '<?xml version="1.0"?><quiz><question type="essay"><name><text>Sign</text></name>'
        f'<questiontext format="html"><text><![CDATA[{text}]]></text>{embedded}</questiontext>'
        "</question></quiz>"
    ).encode()


def run_import(capture, *, bank, fmt, data, by, name="questions.xml") -> ImportJob:
    with capture(execute=True):
        job = imports.import_start(bank=bank, fmt=fmt, upload=SimpleUploadedFile(name, data), by=by)
    job.refresh_from_db()
    return job


def test_a_moodle_image_is_imported_as_media_and_the_text_shows_it(
    bank, teacher, client, django_capture_on_commit_callbacks
):
    data = moodle_file(
        '<p>What does <img src="@@PLUGINFILE@@/stop%20sign.png" alt="the sign"> say?</p>',
        ("stop sign.png", RED),
    )

    job = run_import(django_capture_on_commit_callbacks, bank=bank, fmt="moodle_xml", data=data,
                     by=teacher)  # fmt: skip

    assert job.status == ImportJob.Status.DONE, job.report
    media = QuestionMedia.objects.get(bank=bank)
    assert (media.original_name, media.name, media.created_by) == (
        "stop sign.png",
        "stop_sign.png",
        teacher,
    )
    text = bank.questions.get().current_version.text["en"]
    assert text == f'<p>What does <img src="{media.url}" alt="the sign"> say?</p>'
    assert f'<img src="{media.url}" alt="the sign">' in str(render_markdown(text))
    assert job.warnings == []
    client.force_login(teacher)
    assert b"".join(client.get(media.url).streaming_content) == RED


def test_an_import_that_fails_keeps_none_of_its_images(
    bank, teacher, settings, monkeypatch, django_capture_on_commit_callbacks
):
    data = moodle_file('<img src="@@PLUGINFILE@@/a.png"> and <img src="@@PLUGINFILE@@/b.jpg">',
                       ("a.png", RED), ("b.jpg", BLUE))  # fmt: skip
    real = services.question_create

    def fail_after_the_images(**kwargs):
        real(**kwargs)
        raise ExamError("a rule the checks did not see")

    monkeypatch.setattr(services, "question_create", fail_after_the_images)

    job = run_import(django_capture_on_commit_callbacks, bank=bank, fmt="moodle_xml", data=data,
                     by=teacher)  # fmt: skip

    assert job.status == ImportJob.Status.FAILED
    assert not QuestionMedia.objects.exists() and not bank.questions.exists()
    assert stored_files(settings.MEDIA_ROOT) == []


def test_an_image_the_bank_has_is_reused_by_the_next_import(
    bank, teacher, django_capture_on_commit_callbacks
):
    data = moodle_file('<img src="@@PLUGINFILE@@/a.png">', ("a.png", RED))
    for _ in range(2):
        run_import(django_capture_on_commit_callbacks, bank=bank, fmt="moodle_xml", data=data,
                   by=teacher)  # fmt: skip

    media = QuestionMedia.objects.get()
    texts = [q.current_version.text["en"] for q in bank.questions.all()]
    assert texts == [f'<img src="{media.url}">'] * 2


@pytest.fixture
def illustrated_bank(bank):
    red = services.media_add(bank=bank, data=RED, name="red.png")
    blue = services.media_add(bank=bank, data=BLUE, name="blue.jpg")
    services.question_create(
        bank=bank,
        data={
            "kind": "single_choice",
            "text": {"en": f"Which sign means stop? ![the signs]({red.url})"},
            "points": "1",
            "competency": "",
            "difficulty": 1,
            "content": {
                "options": [
                    {"id": "a", "text": {"en": "Red"}},
                    {"id": "b", "text": {"en": f"![blue]({blue.url})"}},
                ]
            },
            "key": {"correct": "a"},
            "feedback": {"en": f"Red: ![again]({red.url})"},
        },
    )
    return bank


@pytest.mark.parametrize("fmt", ["moodle_xml", "qti21"])
def test_an_export_carries_the_images_into_another_bank(
    fmt, illustrated_bank, school, teacher, django_capture_on_commit_callbacks
):
    result = imports.bank_export(bank=illustrated_bank, fmt=fmt)
    assert not [w for w in result.warnings if "image" in w.message]
    other = QuestionBank.objects.create(organization=school, name="Copy")

    job = run_import(django_capture_on_commit_callbacks, bank=other, fmt=fmt, data=result.data,
                     by=teacher, name="bank" + FORMATS[fmt].extensions[0])  # fmt: skip

    assert job.status == ImportJob.Status.DONE, job.report
    copies = {m.sha256: m for m in QuestionMedia.objects.filter(bank=other)}
    red, blue = copies[hashlib.sha256(RED).hexdigest()], copies[hashlib.sha256(BLUE).hexdigest()]
    assert len(copies) == 2
    data = other.questions.get().current_version.as_data()
    assert data["text"]["en"] == f"Which sign means stop? ![the signs]({red.url})"
    assert data["content"]["options"][1]["text"]["en"] == f"![blue]({blue.url})"
    assert default_storage.open(blue.file.name).read() == BLUE
    if fmt == "moodle_xml":
        assert data["feedback"]["en"] == f"Red: ![again]({red.url})"


def test_a_qti_export_holds_the_image_files_and_lists_them(illustrated_bank):
    result = imports.bank_export(bank=illustrated_bank, fmt="qti21")

    with zipfile.ZipFile(io.BytesIO(result.data)) as archive:
        assert archive.read("items/media/red.png") == RED
        assert archive.read("items/media/blue.jpg") == BLUE
        assert b'href="items/media/red.png"' in archive.read("imsmanifest.xml")


@pytest.mark.parametrize("fmt", ["gift", "xlsx"])
def test_formats_without_files_warn_that_images_stay_links(fmt, illustrated_bank):
    result = imports.bank_export(bank=illustrated_bank, fmt=fmt)

    assert [str(w) for w in result.warnings] == [
        "question 1: not kept: images (the file only links to this site's copies)"
    ]


def test_an_image_of_another_bank_is_not_exported(illustrated_bank, school):
    other = QuestionBank.objects.create(organization=school, name="Other")
    foreign = services.media_add(bank=other, data=images.image("GIF"), name="foreign.gif")
    question = illustrated_bank.questions.get()
    version = question.current_version
    version.text = {"en": f"![x]({foreign.url})"}
    version.save()

    result = imports.bank_export(bank=illustrated_bank, fmt="moodle_xml")

    assert "image foreign.gif is not one of this bank's files" in str(result.warnings)
    assert base64.b64encode(images.image("GIF")) not in result.data


def test_a_school_admin_of_another_school_cannot_read_the_images(client, illustrated_bank):
    other = factories.organization(kind="school", code="rival")
    head = factories.person("rival-head", other, "admin")
    media = illustrated_bank.media.first()

    assert get(client, head, media.url).status_code == 404
