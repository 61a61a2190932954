"""Render a certificate as a bilingual A4 landscape PDF with WeasyPrint.

Rendering is tuned for issuing many certificates in one worker process: the
font configuration, the parsed stylesheets, the URL fetcher and the static
images are built once and shared by every render (see render_pdf_naive for the
baseline). The fetcher only serves files under this app's static directory and
data: URIs, so a certificate never loads anything from the network or from
elsewhere on disk, whatever its data says.

Fonts: organizations.pdf_fonts (shared with exams' admission notices). When
`manage.py prepare_certificate_fonts` has built the GB2312 + Latin subsets (see
PREPARED_FONTS) into CERTIFICATES_FONT_DIR, render_pdf loads them with
@font-face and keeps the system family as the fallback for rarer characters;
the glyphs, and so the certificate, are the same either way.

Archiving: every certificate is PDF/A-3b (ISO 19005-3, level B), tagged for
screen readers, and carries its credential as PDF/A-3 "associated files": the
catalog's /AF lists the JSON and the VC-JWT, each with /AFRelationship /Data
(the certificate is a rendering of that data). pdfsign.sign_pdf then adds the
PAdES signature as an incremental update that keeps these claims true.
"""

import base64
import functools
import threading
from pathlib import Path
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML, Attachment
from weasyprint.text import ffi as weasyprint_ffi
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from certificates.credential import CertificateData, sample_certificate_data
from organizations import pdf_fonts
from organizations.pdf_fonts import (
    PREPARED_FONTS,
    SYSTEM_FONT_FAMILY,
    DisallowedResourceError,
    LocalFilesFetcher,
    prepared_font_dir,
)

__all__ = [
    "DEFAULT_TEMPLATE",
    "STATIC_DIR",
    "CertificateRenderError",
    "DisallowedResourceError",
    "PREPARED_FONTS",
    "SYSTEM_FONT_FAMILY",
    "StaticFilesOnlyFetcher",
    "harfbuzz_subsetting_available",
    "prepared_font_dir",
    "prepared_fonts_in_use",
    "render_pdf",
    "render_pdf_naive",
    "sample_certificate_data",
]

STATIC_DIR = (Path(__file__).resolve().parent / "static").resolve()
STYLESHEET_PATH = STATIC_DIR / "certificates" / "pdf" / "certificate.css"
DEFAULT_TEMPLATE = "certificates/pdf/default.html"
CREDENTIAL_ATTACHMENT = "credential.json"
CREDENTIAL_JWT_ATTACHMENT = "credential.jwt"
# The media types recorded for the attachments (PDF/A-3 requires one for each).
CREDENTIAL_MEDIA_TYPE = "application/json"
CREDENTIAL_JWT_MEDIA_TYPE = "application/vc+jwt"
# PDF/A-3b with a structure tree: WeasyPrint writes the XMP metadata claiming
# pdfaid:part 3 / conformance B, the sRGB output intent, the file identifier and
# /AF, and tags the document from the HTML (headings, paragraphs, the QR code as
# a figure with its alt text).
PDF_OPTIONS = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}
# Relative URLs in the template (logos) resolve against the static directory.
BASE_URL = STATIC_DIR.as_uri() + "/"
_SHARED_IMAGE_SCHEME = "file:"

# Pango and fontconfig objects are not thread-safe, and the shared ones below
# are used by every render; renders in one process take turns.
_RENDER_LOCK = threading.Lock()
# Images of static files (logos), keyed by URL; each render works on a copy, so
# per-certificate images (the QR code, data: URIs) never outlive their render.
_IMAGE_CACHE: dict[str, Any] = {}


class CertificateRenderError(Exception):
    """The certificate could not be rendered as designed."""


class StaticFilesOnlyFetcher(LocalFilesFetcher):
    """A WeasyPrint URL fetcher that serves only local static files and data: URIs."""

    def __init__(self, root: Path = STATIC_DIR, *, fail_on_errors: bool = True) -> None:
        super().__init__(root, fail_on_errors=fail_on_errors)


def render_pdf(
    data: CertificateData,
    *,
    template_name: str = DEFAULT_TEMPLATE,
    credential_json: bytes | None = None,
    credential_jwt: str | None = None,
) -> bytes:
    """Render the certificate as PDF bytes, sharing fonts, CSS and images between calls."""
    html = _html(data, template_name)
    with _RENDER_LOCK:
        cache = dict(_IMAGE_CACHE)
        try:
            document = HTML(string=html, base_url=BASE_URL, url_fetcher=_url_fetcher())
            pdf = document.write_pdf(
                font_config=_font_config(),
                stylesheets=_stylesheets(),
                attachments=_attachments(credential_json, credential_jwt, _url_fetcher()),
                cache=cache,
                finisher=_finish,
                **PDF_OPTIONS,
            )
        except FatalURLFetchingError as error:
            raise CertificateRenderError(
                _("The certificate refers to a file that cannot be used.")
            ) from error
        # Share the images of static files; an image keeps its data in the cache
        # it was loaded with, so that is enough. Per-certificate images (data:
        # URIs) stay in this render's cache, which only those images reference.
        _IMAGE_CACHE.update(
            (url, image) for url, image in cache.items() if url.startswith(_SHARED_IMAGE_SCHEME)
        )
        return pdf


def render_pdf_naive(
    data: CertificateData,
    *,
    template_name: str = DEFAULT_TEMPLATE,
    credential_json: bytes | None = None,
    credential_jwt: str | None = None,
) -> bytes:
    """Render the same PDF with nothing shared between calls; the benchmark baseline."""
    html = _html(data, template_name)
    try:
        return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnlyFetcher()).write_pdf(
            stylesheets=[CSS(filename=STYLESHEET_PATH)],
            attachments=_attachments(credential_json, credential_jwt, None),
            finisher=_finish,
            **PDF_OPTIONS,
        )
    except FatalURLFetchingError as error:
        raise CertificateRenderError(
            _("The certificate refers to a file that cannot be used.")
        ) from error


def harfbuzz_subsetting_available() -> bool:
    """Tell whether WeasyPrint subsets fonts with HarfBuzz rather than fontTools.

    Mirrors weasyprint.pdf.fonts.Font.subset: libharfbuzz-subset must load and
    HarfBuzz must be at least 4.1.0. fontTools is far slower on CJK fonts.
    """
    if weasyprint_ffi.harfbuzz_subset is None:
        return False
    return bool(weasyprint_ffi.harfbuzz.hb_version_atleast(4, 1, 0))


def prepared_fonts_in_use() -> bool:
    """Tell whether render_pdf embeds the prepared subsets (else the system fonts)."""
    with _RENDER_LOCK:
        return len(_stylesheets()) > 1


def qr_code_data_uri(url: str) -> str:
    """Return url as a QR code: a PNG data: URI, one pixel a module, sized by CSS."""
    # A 41 x 41 bitmap is far cheaper to lay out and draw than a vector path of
    # hundreds of segments; CSS image-rendering keeps its modules sharp. The
    # light modules are transparent, so the certificate's paper shows through.
    return segno.make(url, error="m").png_data_uri(scale=1, border=4, light=None)


def _html(data: CertificateData, template_name: str) -> str:
    """Render the certificate's HTML with Django's template engine (autoescaped)."""
    context = {
        "certificate": data,
        "organisations": [
            org for org in (data.school, data.enterprise, data.government) if org is not None
        ],
        "qr_code": qr_code_data_uri(data.verify_url),
    }
    return render_to_string(template_name, context)


def _attachments(
    credential_json: bytes | None,
    credential_jwt: str | None,
    url_fetcher: URLFetcher | None,
) -> list[Attachment]:
    """Return the files to embed in the PDF: the credential as JSON and as a VC-JWT."""
    # Attachment builds a fresh URLFetcher (and an SSL context) unless given one.
    # A data: URL is how WeasyPrint learns an attachment's media type; from a
    # plain string it would guess one from the name (application/octet-stream
    # for .jwt).
    attachments = []
    if credential_json is not None:
        attachments.append(
            Attachment(
                url=_data_url(CREDENTIAL_MEDIA_TYPE, credential_json),
                url_fetcher=url_fetcher,
                name=CREDENTIAL_ATTACHMENT,
                description="Open Badges 3.0 credential / 开放徽章 3.0 凭证",
                relationship="Data",
            )
        )
    if credential_jwt is not None:
        attachments.append(
            Attachment(
                url=_data_url(CREDENTIAL_JWT_MEDIA_TYPE, credential_jwt.encode("ascii")),
                url_fetcher=url_fetcher,
                name=CREDENTIAL_JWT_ATTACHMENT,
                description="Open Badges 3.0 credential, signed (VC-JWT) / 已签名凭证",
                relationship="Data",
            )
        )
    return attachments


def _data_url(media_type: str, content: bytes) -> str:
    """Return content as a base64 data: URL of the given media type."""
    return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"


def _finish(document: Any, pdf: Any) -> None:
    """Tidy WeasyPrint's PDF object tree just before it is written.

    WeasyPrint 70 lists each attachment twice in the catalog's /AF (once from
    the embedded-files name tree, once from the file specification itself);
    the associated files are listed once each.
    """
    associated = pdf.catalog.get("AF")
    if associated is not None:
        associated[:] = list(dict.fromkeys(associated))


@functools.cache
def _font_config() -> FontConfiguration:
    """Return the process's one font configuration (loading fontconfig is slow)."""
    return FontConfiguration()


@functools.cache
def _url_fetcher() -> StaticFilesOnlyFetcher:
    """Return the process's one URL fetcher."""
    return StaticFilesOnlyFetcher()


@functools.cache
def _stylesheets() -> tuple[CSS, ...]:
    """Return the certificate stylesheets (and the prepared fonts'), parsed once per process."""
    return pdf_fonts.stylesheets(
        STYLESHEET_PATH, font_config=_font_config(), url_fetcher=_url_fetcher()
    )
