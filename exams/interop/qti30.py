"""IMS QTI 3.0 items and packages: read as QTI 2.1 is (see qti21), written as QTI 2.1.

QTI 3.0 renames QTI 2.1's elements and attributes (kebab-case with a qti- prefix) and keeps
their meaning, so the QTI 2.1 reader reads both, with the same warnings for what our kinds
cannot hold.  We do not write QTI 3.0: an export in this format is the QTI 2.1 package, and
says so in a warning.
"""

from django.utils.translation import gettext as _

from . import qti21
from .report import ExportResult, Issue, at_file

__all__ = ["cannot_express", "export", "losses", "parse"]

cannot_express = qti21.cannot_express
losses = qti21.losses
parse = qti21.parse


def export(questions: list[dict], *, language: str = "en", media=None) -> ExportResult:
    """The QTI 2.1 package (QTI 3.0 is read, not written), with a warning saying so."""
    result = qti21.export(questions, language=language, media=media)
    note = _("QTI 3.0 is read, not written: this is a QTI 2.1 content package")
    return ExportResult(result.data, [Issue(at_file(), note), *result.warnings])
