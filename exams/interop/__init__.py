"""Question import and export: pure functions from bytes to QuestionData dicts and back.

Every format has ``parse(data, *, default_language="en") -> ImportReport`` and
``export(questions, *, language="en", media=None) -> ExportResult`` plus
``cannot_express(question)``, the reason a question is skipped on export (or None); media
are the bank's images by address, which Moodle XML and QTI carry (exams.interop.media).
An import with any error is to be refused whole; warnings say what was skipped or not kept.
Nothing here touches the database.
"""

from collections.abc import Callable
from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import aiken, gift, moodle_xml, qti21, qti30, xlsx
from .report import ExportResult, ImportReport, Issue


class Format(NamedTuple):
    """One import/export format and how to recognise its files."""

    name: str
    label: str | Promise
    extensions: tuple[str, ...]
    media_type: str
    parse: Callable[..., ImportReport]
    export: Callable[..., ExportResult]
    cannot_express: Callable[[dict], str | None]


FORMATS: dict[str, Format] = {
    "gift": Format(
        "gift",
        _("GIFT (Moodle text)"),
        (".gift", ".txt"),
        "text/plain; charset=utf-8",
        gift.parse,
        gift.export,
        gift.cannot_express,
    ),
    "aiken": Format(
        "aiken",
        _("Aiken (single choice text)"),
        (".txt",),
        "text/plain; charset=utf-8",
        aiken.parse,
        aiken.export,
        aiken.cannot_express,
    ),
    "moodle_xml": Format(
        "moodle_xml",
        _("Moodle XML"),
        (".xml",),
        "application/xml",
        moodle_xml.parse,
        moodle_xml.export,
        moodle_xml.cannot_express,
    ),
    "qti21": Format(
        "qti21",
        _("IMS QTI 2.1 (item or content package)"),
        (".zip", ".xml"),
        "application/zip",
        qti21.parse,
        qti21.export,
        qti21.cannot_express,
    ),
    "qti30": Format(
        "qti30",
        _("IMS QTI 3.0 (read; exported as QTI 2.1)"),
        (".zip", ".xml"),
        "application/zip",
        qti30.parse,
        qti30.export,
        qti30.cannot_express,
    ),
    "xlsx": Format(
        "xlsx",
        _("Excel template"),
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        xlsx.parse,
        xlsx.export,
        xlsx.cannot_express,
    ),
}

__all__ = ["FORMATS", "ExportResult", "Format", "ImportReport", "Issue"]
