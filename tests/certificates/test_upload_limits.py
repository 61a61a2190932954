"""Uploaded files cannot make the server unpack much, and the HTML pages are throttled like the API.

Review finding 3: a 260 KB PDF whose embedded credential was a zlib bomb cost
about 570 MB of memory before any check, and the HTML upload form had no limit.
"""

import functools
import tracemalloc
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from certificates import verification
from certificates.models import Verification
from certificates.pdfsign import AttachmentTooLarge, extract_attachment
from organizations.throttles import WindowRateThrottle

BOMB_BYTES = 200 * 1024 * 1024  # under pyHanko's own 256 MB limit, so it used to unpack in full
PEAK_BOUND = 20 * 1024 * 1024


@functools.cache
def deflated_zeros(size: int) -> bytes:
    """size zero bytes, deflated (about a thousandth of the size), made without holding them."""
    deflater = zlib.compressobj(9)
    chunk = bytes(1024 * 1024)
    parts = [deflater.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join([*parts, deflater.flush()])


def pdf_with_attachment(data: bytes, *, params: str = "", filters: str = "/FlateDecode") -> bytes:
    """A one-page PDF with credential.json embedded as this (already encoded) stream."""
    filter_entry = f"/Filter {filters} " if filters else ""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Names [(credential.json) 5 0 R] >>",
        b"<< /Type /Filespec /F (credential.json) /UF (credential.json) /EF << /F 6 0 R >> >>",
        (f"<< /Type /EmbeddedFile {filter_entry}{params}/Length {len(data)} >>\nstream\n").encode()
        + data
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def bomb_pdf(*, declared: bool = False) -> bytes:
    params = f"/Params << /Size {BOMB_BYTES} >> " if declared else ""
    return pdf_with_attachment(deflated_zeros(BOMB_BYTES), params=params)


def peak_memory(function, *args):
    """What function(*args) returns, and the most Python memory it held at once."""
    tracemalloc.start()
    try:
        result = function(*args)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def upload_page(client, content: bytes, **extra):
    return client.post(
        reverse("certificates:verify_search"),
        {"file": SimpleUploadedFile("certificate.pdf", content)},
        **extra,
    )


# The embedded file is unpacked with a bound


def test_a_pdf_carrying_a_zlib_bomb_is_refused_with_little_memory(db):
    pdf = bomb_pdf()
    assert len(pdf) < 300 * 1024

    with translation.override("en"):
        check, peak = peak_memory(verification.check_file, pdf)

    assert check.refused
    assert check.integrity == "unknown"
    assert "refused" in check.detail
    assert "credential.json" in check.detail
    assert "256 KB" in check.detail
    assert peak < PEAK_BOUND, f"peak {peak / 2**20:.0f} MB"


def test_a_declared_size_over_the_limit_is_refused_before_unpacking(db, monkeypatch):
    inflated = []
    real = zlib.decompressobj
    monkeypatch.setattr(zlib, "decompressobj", lambda *a: inflated.append(1) or real(*a))

    with pytest.raises(AttachmentTooLarge):
        extract_attachment(bomb_pdf(declared=True), "credential.json")

    assert inflated == []


def test_an_attachment_just_over_the_setting_is_refused_and_one_at_it_is_read(settings):
    settings.CERTIFICATES_MAX_EMBEDDED_BYTES = 1000
    at_limit = pdf_with_attachment(zlib.compress(b"{" + b" " * 998 + b"}"))
    over = pdf_with_attachment(zlib.compress(b"{" + b" " * 999 + b"}"))

    assert extract_attachment(at_limit, max_bytes=1000) == b"{" + b" " * 998 + b"}"
    assert verification.check_pdf_offline(over, trusted_certificates=[]).refused
    assert not verification.check_pdf_offline(at_limit, trusted_certificates=[]).refused


def test_an_uncompressed_attachment_over_the_limit_is_refused():
    pdf = pdf_with_attachment(b"x" * 2000, filters="")

    with pytest.raises(AttachmentTooLarge):
        extract_attachment(pdf, max_bytes=1000)


def test_chained_filters_are_not_unpacked():
    twice = zlib.compress(zlib.compress(b'{"id": "x"}'))
    pdf = pdf_with_attachment(twice, filters="[/FlateDecode /FlateDecode]")

    assert extract_attachment(pdf) is None


def test_the_issued_pdf_still_reads_within_the_limits(pdf_certificate):
    check = verification.check_file(pdf_certificate.pdf_bytes)

    assert not check.refused
    assert check.integrity == "intact", check.detail


def test_the_upload_page_refuses_a_bomb_with_a_clear_message(client, db):
    response, peak = peak_memory(upload_page, client, bomb_pdf())

    assert response.status_code == 400
    assert "This file was refused without being checked" in response.content.decode()
    assert peak < PEAK_BOUND + 2 * len(bomb_pdf())  # the upload itself is held once or twice
    assert not Verification.objects.exists()


def test_the_upload_page_refusal_is_translated(client, db):
    with translation.override("zh-hans"):
        response = upload_page(client, bomb_pdf(), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 400
    assert "未经核验即被拒绝" in response.content.decode()


def test_the_api_refuses_a_bomb_with_a_clear_message(db):
    response = APIClient().post(
        reverse("certificates_api:verify_file"),
        {"file": SimpleUploadedFile("certificate.pdf", bomb_pdf())},
        format="multipart",
    )

    assert response.status_code == 400
    assert "refused" in response.json()["detail"]


# The HTML pages are throttled like the API


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, held mid-window so a test never straddles a window's edge."""
    now = {"t": 6_000_030.0}
    monkeypatch.setattr(WindowRateThrottle, "timer", lambda self: now["t"])
    return now


def test_the_verify_page_answers_429_after_the_limit(client, certificate, settings, clock):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_anon": "2/min"}
    url = reverse("certificates:verify", args=[certificate.serial])

    codes = [client.get(url).status_code for _ in range(3)]
    limited = client.get(url)
    elsewhere = client.get(url, REMOTE_ADDR="10.9.9.9")

    assert codes == [200, 200, 429]
    assert limited.status_code == 429
    assert limited["Retry-After"] == "30"
    assert "Too many verifications" in limited.content.decode()
    assert elsewhere.status_code == 200
    assert Verification.objects.count() == 3  # a refused request writes no row


def test_the_429_page_is_translated(client, certificate, settings, clock):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_anon": "1/min"}
    url = reverse("certificates:verify", args=[certificate.serial])

    client.get(url)
    limited = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert limited.status_code == 429
    assert "核验次数过多" in limited.content.decode()


def test_the_upload_page_answers_429_after_the_limit(client, db, settings, clock):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_anon": "1/min"}

    first = upload_page(client, b"not a certificate")
    second = upload_page(client, bomb_pdf())

    assert first.status_code == 200
    assert second.status_code == 429
    assert "Too many verifications" in second.content.decode()


def test_an_unknown_typed_serial_counts_but_a_found_one_counts_once(
    client, certificate, settings, clock
):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_anon": "2/min"}
    search = reverse("certificates:verify_search")

    found = client.get(search, {"serial": certificate.serial}, follow=True)
    unknown = client.get(search, {"serial": "nonsense"})
    limited = client.get(search, {"serial": "nonsense"})

    assert found.status_code == 200
    assert unknown.status_code == 404
    assert limited.status_code == 429


def test_page_and_api_share_one_allowance_per_address(client, certificate, settings, clock):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_anon": "2/min"}

    page = client.get(reverse("certificates:verify", args=[certificate.serial]))
    api = APIClient().get(reverse("certificates_api:verify_one", args=[certificate.serial]))
    page_again = client.get(reverse("certificates:verify", args=[certificate.serial]))

    assert (page.status_code, api.status_code, page_again.status_code) == (200, 200, 429)


def test_a_signed_in_verifier_is_counted_per_user_at_the_user_rate(
    client, certificate, settings, clock, verifier
):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_anon": "1/min", "verify_user": "3/min"}
    client.force_login(verifier)
    url = reverse("certificates:verify", args=[certificate.serial])

    codes = [client.get(url).status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]


def test_the_empty_search_form_is_never_limited(client, db, settings, clock):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_anon": "1/min"}

    codes = {client.get(reverse("certificates:verify_search")).status_code for _ in range(3)}

    assert codes == {200}
