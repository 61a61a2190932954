"""Opening untrusted zip uploads safely (question packages, Excel workbooks): judge the
headers first, then bound every read.

The limits are module constants so a caller (or a test) can tighten them; a caller with its
own limits (an Excel reader) passes them in.  Headers can lie, so bounded reads are what
finally holds: ``stream_problems`` unpacks members in chunks, counting, before any parser
sees them.
"""

import io
import re
import zipfile
import zlib

from django.utils.translation import gettext as _

MAX_MEMBERS = 2000
MAX_MEMBER_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
# Compression ratios are judged only for members larger than this: tiny files compress oddly.
RATIO_FLOOR_BYTES = 1024 * 1024
CHUNK_BYTES = 64 * 1024


def unsafe_name(name: str) -> bool:
    """True for absolute paths, drive letters, '..' parts and NUL bytes."""
    parts = name.replace("\\", "/").split("/")
    return (
        name.startswith(("/", "\\"))
        or re.match(r"^[A-Za-z]:", name) is not None
        or ".." in parts
        or "\x00" in name
    )


def zip_problems(
    infos: list[zipfile.ZipInfo],
    *,
    max_members: int | None = None,
    max_member: int | None = None,
    max_total: int | None = None,
    max_ratio: int | None = None,
) -> list[str]:
    """What makes a zip unsafe to open, judged from its headers before reading anything.

    max_members: how many members it may hold; max_member, max_total: limits of what it
    unpacks to (the module's by default); max_ratio: the most a member over
    RATIO_FLOOR_BYTES may be compressed (None: any).
    """
    max_members = MAX_MEMBERS if max_members is None else max_members
    max_member = MAX_MEMBER_BYTES if max_member is None else max_member
    max_total = MAX_TOTAL_BYTES if max_total is None else max_total
    problems = []
    if len(infos) > max_members:
        problems.append(
            _("the zip holds %(n)d files; at most %(max)d are accepted")
            % {"n": len(infos), "max": max_members}
        )
    for info in infos:
        if unsafe_name(info.filename):
            problems.append(_("unsafe path '%(name)s' in the zip") % {"name": info.filename})
        if info.flag_bits & 0x1:
            problems.append(_("'%(name)s' is encrypted") % {"name": info.filename})
        if info.file_size > max_member:
            problems.append(
                _("'%(name)s' unpacks to %(mb)s MB; at most %(max)s MB per file")
                % {"name": info.filename, "mb": _mb(info.file_size), "max": _mb(max_member)}
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if max_ratio and info.file_size > RATIO_FLOOR_BYTES and ratio > max_ratio:
            problems.append(
                _(
                    "'%(name)s' is compressed %(ratio)d to 1, more than the %(max)d to 1 "
                    "accepted: refused as a possible zip bomb"
                )
                % {"name": info.filename, "ratio": ratio, "max": max_ratio}
            )
    total = sum(i.file_size for i in infos)
    if total > max_total:
        problems.append(
            _("the zip unpacks to %(mb)s MB; at most %(max)s MB")
            % {"mb": _mb(total), "max": _mb(max_total)}
        )
    return problems


def stream_problems(
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    *,
    max_member: int,
    max_total: int,
) -> list[str]:
    """Unpack members in chunks, counting bytes, and stop at the first that breaks a limit.

    Nothing is kept, so memory stays at one chunk whatever the members hold; a member that
    unpacks to more than its header says, or fails its checksum, is named.
    """
    total = 0
    for info in infos:
        size = 0
        try:
            with archive.open(info) as handle:
                while chunk := handle.read(CHUNK_BYTES):
                    size += len(chunk)
                    total += len(chunk)
                    if size > min(info.file_size, max_member):
                        return [
                            _("'%(name)s' unpacks to more than its zip header says")
                            % {"name": info.filename}
                        ]
                    if total > max_total:
                        return [
                            _("the zip unpacks to more than %(max)s MB") % {"max": _mb(max_total)}
                        ]
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            RuntimeError,
            NotImplementedError,
            zlib.error,
        ):
            return [_("'%(name)s' in the zip is damaged or unreadable") % {"name": info.filename}]
    return []


def _mb(size: int) -> str:
    """A byte count in megabytes, for messages."""
    return f"{size / 1048576:.1f}"


def unsafe_archive(
    data: bytes,
    *,
    max_members: int | None = None,
    max_member: int | None = None,
    max_total: int | None = None,
    max_ratio: int | None = None,
) -> list[str] | None:
    """Why the zip in data must not reach a parser: its headers, then bounded reads.

    None when data is no zip at all (the caller says what it expected instead).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None
    max_member = MAX_MEMBER_BYTES if max_member is None else max_member
    max_total = MAX_TOTAL_BYTES if max_total is None else max_total
    with archive:
        infos = archive.infolist()
        problems = zip_problems(
            infos,
            max_members=max_members,
            max_member=max_member,
            max_total=max_total,
            max_ratio=max_ratio,
        )
        return problems or stream_problems(
            archive, infos, max_member=max_member, max_total=max_total
        )
