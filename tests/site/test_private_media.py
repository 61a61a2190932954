"""Private files are never served from MEDIA_ROOT, not even with DEBUG on (`make run`).

Certificate PDFs and lesson attachments leave storage only through views that
check access; their storage names cannot be guessed from what is public (a
certificate's serial is in every QR code).
"""

import importlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import clear_url_caches, reverse

import lms.urls
from certificates import rendering
from certificates.models import Certificate
from tests.certificates import conftest as certificate_fixtures

# The certificates app's builder: a certificate as issuance makes it, with its keys.
issuer_keys = certificate_fixtures.issuer_keys
make_certificate = certificate_fixtures.make_certificate


def _reload_urls() -> None:
    clear_url_caches()
    importlib.reload(lms.urls)


@pytest.fixture
def debug_urls():
    """The site's URLconf as it is built with DEBUG on; the usual one restored afterwards."""
    with override_settings(DEBUG=True):
        _reload_urls()
        yield
    _reload_urls()


@pytest.fixture
def rendered(monkeypatch, make_certificate) -> Certificate:
    """Rendered through the real service, with a stand-in PDF (real PDFs: test_rendering)."""
    pending = make_certificate()
    with monkeypatch.context() as patch:
        patch.setattr(
            rendering, "render_pdf", lambda data, **kw: f"%PDF-1.7 {data.serial}".encode()
        )
        patch.setattr(rendering, "sign_pdf", lambda pdf, **kw: pdf + b" signed")
        return rendering.certificate_render(certificate_id=pending.pk)


def put(settings, name: str, content: bytes = b"%PDF-1.7 private") -> Path:
    """A file in (the test's own) MEDIA_ROOT, where a media route would find it."""
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


# --- No media route ----------------------------------------------------------------------------


def test_with_debug_on_a_pdf_named_by_its_serial_is_not_served(
    client, settings, debug_urls, rendered
):
    put(settings, f"certificates/pdf/{rendered.serial}.pdf")

    response = client.get(f"/media/certificates/pdf/{rendered.serial}.pdf")

    assert response.status_code == 404


def test_with_debug_on_a_rendered_pdf_is_not_served_by_its_stored_name(
    client, settings, debug_urls, rendered, student
):
    assert (Path(settings.MEDIA_ROOT) / rendered.pdf.name).is_file()
    client.force_login(student)  # even its own holder gets it only through the download view

    response = client.get(f"/media/{rendered.pdf.name}")

    assert response.status_code == 404


def test_with_debug_on_a_lesson_attachment_is_not_served_by_its_stored_name(
    client, settings, debug_urls, course
):
    lesson = course.lessons().first()
    lesson.attachment.save("answers.pdf", ContentFile(b"%PDF-1.7 the answers"))
    assert (Path(settings.MEDIA_ROOT) / lesson.attachment.name).is_file()

    response = client.get(f"/media/{lesson.attachment.name}")

    assert response.status_code == 404


# --- Unguessable certificate PDF names ---------------------------------------------------------


def test_a_pdf_storage_name_does_not_contain_the_serial_and_is_stable(rendered):
    name = rendering.pdf_name(rendered.serial)

    assert rendered.pdf.name == name
    assert rendered.serial not in name
    assert rendering.pdf_name(rendered.serial) == name
    assert name.startswith(f"{rendering.PDF_DIRECTORY}/") and name.endswith(".pdf")


def test_pdf_storage_names_are_long_tokens_that_differ_per_serial(rendered):
    names = {rendering.pdf_name(serial) for serial in ("CBEC-AAAA-AAAA", "CBEC-AAAA-AAAB")}
    tokens = [
        name.removeprefix(f"{rendering.PDF_DIRECTORY}/").removesuffix(".pdf") for name in names
    ]

    assert len(names) == 2
    assert all(len(token) >= 32 and int(token, 16) >= 0 for token in tokens)


def test_a_pdf_storage_name_depends_on_the_secret_key(settings):
    before = rendering.pdf_name("CBEC-AAAA-AAAA")
    settings.SECRET_KEY = "another-secret-key-for-this-test"

    assert rendering.pdf_name("CBEC-AAAA-AAAA") != before


def test_a_pdf_stored_under_its_serial_before_still_counts_as_rendered_and_downloads(
    client, make_certificate, student
):
    old = make_certificate(with_pdf=True)  # stored as certificates/pdf/<serial>.pdf, as before
    assert old.pdf.name == f"{rendering.PDF_DIRECTORY}/{old.serial}.pdf"

    again = rendering.certificate_render(certificate_id=old.pk)
    client.force_login(student)
    response = client.get(reverse("certificates:download_pdf", args=[old.serial]))

    assert again.render_tries == 0 and again.pdf.name == old.pdf.name  # not rendered again
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == old.pdf_bytes
