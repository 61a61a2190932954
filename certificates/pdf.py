"""Render a certificate as a bilingual A4 landscape PDF with WeasyPrint.

Rendering is tuned for issuing many certificates in one worker process: the
font configuration, the parsed stylesheet, the URL fetcher and the image cache
are built once and shared by every render (see render_pdf_naive for the
baseline). The fetcher only serves files under this app's static directory and
data: URIs, so a certificate never loads anything from the network or from
elsewhere on disk, whatever its data says.
"""

import functools
import mimetypes
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import segno
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML, Attachment
from weasyprint.text import ffi as weasyprint_ffi
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from certificates.credential import CertificateData, sample_certificate_data

__all__ = [
    "DEFAULT_TEMPLATE",
    "STATIC_DIR",
    "CertificateRenderError",
    "DisallowedResourceError",
    "StaticFilesOnlyFetcher",
    "harfbuzz_subsetting_available",
    "render_pdf",
    "render_pdf_naive",
    "sample_certificate_data",
]

STATIC_DIR = (Path(__file__).resolve().parent / "static").resolve()
STYLESHEET_PATH = STATIC_DIR / "certificates" / "pdf" / "certificate.css"
DEFAULT_TEMPLATE = "certificates/pdf/default.html"
CREDENTIAL_ATTACHMENT = "credential.json"
CREDENTIAL_JWT_ATTACHMENT = "credential.jwt"
# Relative URLs in the template (logos) resolve against the static directory.
BASE_URL = STATIC_DIR.as_uri() + "/"

# Pango and fontconfig objects are not thread-safe, and the shared ones below
# are used by every render; renders in one process take turns.
_RENDER_LOCK = threading.Lock()
# Keyed by URL. Only static files and data: URIs can be fetched, so it stays small.
_IMAGE_CACHE: dict[str, Any] = {}


class DisallowedResourceError(ValueError):
    """A certificate template asked for a resource outside the static directory."""


class CertificateRenderError(Exception):
    """The certificate could not be rendered as designed."""


class StaticFilesOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only local static files and data: URIs."""

    def __init__(self, root: Path = STATIC_DIR, *, fail_on_errors: bool = True) -> None:
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=fail_on_errors)
        self.root = root.resolve()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Return the resource at url, or raise DisallowedResourceError."""
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self.local_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    def local_path(self, url: str) -> Path:
        """Map a file: URL to an existing file under the root, or raise."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise DisallowedResourceError(f"Only local static files may be loaded: {url}")
        # resolve() follows symlinks and "..", so neither can lead out of the root.
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise DisallowedResourceError(f"Not a file in the static directory: {url}")
        return path


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
        try:
            document = HTML(string=html, base_url=BASE_URL, url_fetcher=_url_fetcher())
            return document.write_pdf(
                font_config=_font_config(),
                stylesheets=[_stylesheet()],
                attachments=_attachments(credential_json, credential_jwt, _url_fetcher()),
                cache=_IMAGE_CACHE,
            )
        except FatalURLFetchingError as error:
            raise CertificateRenderError(
                _("The certificate refers to a file that cannot be used.")
            ) from error


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


def qr_code_svg(url: str) -> str:
    """Return an inline SVG QR code for url, sized by CSS."""
    # Inline rather than a data: URI, so per-certificate images never enter the shared cache.
    return segno.make(url, error="m").svg_inline(scale=1, border=4, omitsize=True)


def _html(data: CertificateData, template_name: str) -> str:
    """Render the certificate's HTML with Django's template engine (autoescaped)."""
    context = {
        "certificate": data,
        "organisations": [
            org for org in (data.school, data.enterprise, data.government) if org is not None
        ],
        "qr_svg": mark_safe(qr_code_svg(data.verify_url)),  # segno output: paths only
    }
    return render_to_string(template_name, context)


def _attachments(
    credential_json: bytes | None,
    credential_jwt: str | None,
    url_fetcher: URLFetcher | None,
) -> list[Attachment]:
    """Return the files to embed in the PDF: the credential as JSON and as a VC-JWT."""
    # Attachment builds a fresh URLFetcher (and an SSL context) unless given one.
    attachments = []
    if credential_json is not None:
        attachments.append(
            Attachment(
                string=credential_json,
                url_fetcher=url_fetcher,
                name=CREDENTIAL_ATTACHMENT,
                description="Open Badges 3.0 credential / 开放徽章 3.0 凭证",
                relationship="Data",
            )
        )
    if credential_jwt is not None:
        attachments.append(
            Attachment(
                string=credential_jwt.encode("ascii"),
                url_fetcher=url_fetcher,
                name=CREDENTIAL_JWT_ATTACHMENT,
                description="Open Badges 3.0 credential, signed (VC-JWT) / 已签名凭证",
                relationship="Data",
            )
        )
    return attachments


@functools.cache
def _font_config() -> FontConfiguration:
    """Return the process's one font configuration (loading fontconfig is slow)."""
    return FontConfiguration()


@functools.cache
def _url_fetcher() -> StaticFilesOnlyFetcher:
    """Return the process's one URL fetcher."""
    return StaticFilesOnlyFetcher()


@functools.cache
def _stylesheet() -> CSS:
    """Return the certificate stylesheet, parsed once per process."""
    return CSS(filename=STYLESHEET_PATH, font_config=_font_config(), url_fetcher=_url_fetcher())
