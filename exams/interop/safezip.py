"""Opening untrusted zip uploads safely: judge the headers first, then bound every read.

The limits are module constants so a caller (or a test) can tighten them.
"""

import re
import zipfile
import zlib

from django.utils.translation import gettext as _

from .report import ImportReport, at_item

MAX_MEMBERS = 2000
MAX_MEMBER_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024


def unsafe_name(name: str) -> bool:
    """True for absolute paths, drive letters, '..' parts and NUL bytes."""
    parts = name.replace("\\", "/").split("/")
    return (
        name.startswith(("/", "\\"))
        or re.match(r"^[A-Za-z]:", name) is not None
        or ".." in parts
        or "\x00" in name
    )


def zip_problems(infos: list[zipfile.ZipInfo]) -> list[str]:
    """What makes a zip unsafe to open, judged from its headers before reading anything."""
    problems = []
    if len(infos) > MAX_MEMBERS:
        problems.append(
            _("the zip holds %(n)d files; at most %(max)d are accepted")
            % {"n": len(infos), "max": MAX_MEMBERS}
        )
    for info in infos:
        if unsafe_name(info.filename):
            problems.append(_("unsafe path '%(name)s' in the zip") % {"name": info.filename})
        if info.flag_bits & 0x1:
            problems.append(_("'%(name)s' is encrypted") % {"name": info.filename})
        if info.file_size > MAX_MEMBER_BYTES:
            problems.append(
                _("'%(name)s' unpacks to %(mb)s MB; at most %(max)s MB per file")
                % {"name": info.filename, "mb": _mb(info.file_size), "max": _mb(MAX_MEMBER_BYTES)}
            )
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        problems.append(
            _("the zip unpacks to %(mb)s MB; at most %(max)s MB")
            % {"mb": _mb(total), "max": _mb(MAX_TOTAL_BYTES)}
        )
    return problems


def _mb(size: int) -> str:
    """A byte count in megabytes, for messages."""
    return f"{size / 1048576:.1f}"


def read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, report: ImportReport
) -> bytes | None:
    """A member's bytes, read no further than the size limit; None if damaged or too big."""
    try:
        with archive.open(info) as handle:
            blob = handle.read(MAX_MEMBER_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error):
        report.error(at_item(info.filename), _("this file in the zip is damaged or unreadable"))
        return None
    if len(blob) > MAX_MEMBER_BYTES:
        report.error(at_item(info.filename), _("this file is larger than its zip header says"))
        return None
    return blob
