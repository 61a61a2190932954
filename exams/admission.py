"""Render a candidate's admission notice for a sitting as a bilingual A4 PDF (WeasyPrint).

English and Simplified Chinese side by side on one page, like the certificates, with the
same fonts (organizations.pdf_fonts): the GB2312 subsets `manage.py prepare_certificate_fonts`
builds under var/fonts (or CERTIFICATES_FONT_DIR) are loaded with @font-face when present,
with the system's Noto Sans CJK SC as the fallback. The URL fetcher serves only data: URIs
and files in that font folder, so a notice never loads anything from the network or
elsewhere on disk.
"""

import base64
import functools
import threading
from pathlib import Path
from typing import Any

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from organizations import pdf_fonts
from organizations.pdf_fonts import LocalFilesFetcher, prepared_font_dir

from .models import Sitting

TEMPLATE = "exams/admission/notice.html"
STYLESHEET = Path(__file__).resolve().parent / "static" / "exams" / "pdf" / "admission.css"
# Pango and fontconfig objects are not thread-safe; renders in one process take turns.
_RENDER_LOCK = threading.Lock()


@functools.cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@functools.cache
def _stylesheets() -> tuple[CSS, ...]:
    """The notice's stylesheet, plus the prepared fonts when they have been built."""
    fetcher = LocalFilesFetcher(prepared_font_dir())
    return pdf_fonts.stylesheets(STYLESHEET, font_config=_font_config(), url_fetcher=fetcher)


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG data: URI."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def _both(build) -> dict[str, str]:
    """`build()` evaluated in English and in Simplified Chinese."""
    out = {}
    for key, language in (("en", "en"), ("zh", "zh-hans")):
        with translation.override(language):
            out[key] = str(build())
    return out


def _rows(sitting: Sitting, *, name: str, number: str) -> list[dict[str, Any]]:
    """The notice's facts: a bilingual label and a value (bilingual where we write it)."""
    starts = timezone.localtime(sitting.starts_at)
    zone = f"{timezone.get_current_timezone_name()}, UTC{starts:%z}"
    zone = zone[:-2] + ":" + zone[-2:]
    when = f"{starts:%Y-%m-%d %H:%M} ({zone})"
    minutes = sitting.duration_minutes
    late = sitting.late_entry_minutes
    place = _both(sitting.get_mode_display)
    if sitting.place:
        place = {key: f"{value}: {sitting.place}" for key, value in place.items()}
    rows = [
        {"label": _both(lambda: gettext("Candidate")), "value": {"en": name}},
        {"label": _both(lambda: gettext("Candidate number")), "value": {"en": number}},
        {
            "label": _both(lambda: gettext("Exam")),
            "value": {"en": sitting.exam.title_en, "zh": sitting.exam.title_zh},
        },
        {"label": _both(lambda: gettext("Date and time")), "value": {"en": when}},
        {
            "label": _both(lambda: gettext("Duration")),
            "value": _both(
                lambda: ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
            ),
        },
        {"label": _both(lambda: gettext("Place")), "value": place},
        {
            "label": _both(lambda: gettext("Late entry")),
            "value": _both(
                lambda: (
                    ngettext(
                        "No entry later than %(n)d minute after the start.",
                        "No entry later than %(n)d minutes after the start.",
                        late,
                    )
                    % {"n": late}
                )
            ),
        },
    ]
    if sitting.start_rule == Sitting.Start.RELEASED:
        rows.append(
            {
                "label": _both(lambda: gettext("Start")),
                "value": _both(lambda: gettext("The invigilator releases the start.")),
            }
        )
    if sitting.what_to_bring.strip():
        rows.append(
            {
                "label": _both(lambda: gettext("What to bring")),
                "value": {"en": sitting.what_to_bring},
            }
        )
    return rows


def render_notice(sitting: Sitting, student, *, number: str, url: str) -> bytes:
    """The admission notice of `student` for `sitting` as PDF bytes; `url` goes in the QR."""
    profile = getattr(student, "profile", None)
    native = (getattr(profile, "name_native", "") or "").strip()
    latin = (getattr(profile, "name_latin", "") or "").strip()
    fallback = student.get_full_name() or student.get_username()
    name = " / ".join(part for part in (native, latin) if part) or fallback
    context = {
        "title": _both(lambda: gettext("Admission notice")),
        "school": sitting.exam.organization,
        "rows": _rows(sitting, name=name, number=number),
        "qr": qr_data_uri(url),
        "qr_alt": _both(lambda: gettext("QR code of the sitting")),
        "url": url,
        "footer": _both(
            lambda: gettext(
                "Bring this notice and your identity document. Scan the code to open the sitting."
            )
        ),
    }
    html = render_to_string(TEMPLATE, context)
    with _RENDER_LOCK:
        document = HTML(string=html, url_fetcher=LocalFilesFetcher(prepared_font_dir())).render(
            stylesheets=_stylesheets(), font_config=_font_config()
        )
        return document.write_pdf()
