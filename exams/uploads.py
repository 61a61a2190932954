"""Files students upload as practical answers: validation, content sniffing and storage.

A file is accepted only when its extension is one the question allows, it is within the
question's size limit and, for the types we can recognise, its first bytes match the type.
It is stored under `exam-answers/<attempt>/<position>/` so that an answer can only name
files uploaded to its own question.
"""

import secrets
import time
import zipfile

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

ROOT = "exam-answers"
DEFAULT_MAX_SIZE_MB = 10
MAX_SAFE_NAME_CHARS = 80

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
# Magic bytes for the types we can recognise; other allowed types are checked by name only.
MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "zip": _ZIP,
    "docx": _ZIP,
    "xlsx": _ZIP,
}
# Office files are zip archives; the part every such document has tells them apart.
OFFICE_PART = {"docx": "word/", "xlsx": "xl/"}


class UploadRefused(ValueError):
    """The file cannot be accepted; the message says why, for the student."""


def extension(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def safe_name(name: str) -> str:
    """A short, storage-safe version of the student's file name, keeping its extension."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    ext = extension(base)
    stem = base[: -(len(ext) + 1)] if ext else base
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:  # nothing usable left, e.g. ".."
        stem = ""
    stem = stem[: MAX_SAFE_NAME_CHARS - len(ext) - 1] or "answer"
    return f"{stem}.{ext}" if ext else stem


def folder(attempt_id: int, position: int) -> str:
    return f"{ROOT}/{attempt_id}/{position}/"


def belongs_to(name: object, *, attempt_id: int, position: int) -> bool:
    """True when a stored name is a file uploaded to this attempt's question."""
    return (
        isinstance(name, str)
        and name.startswith(folder(attempt_id, position))
        and ".." not in name
        and default_storage.exists(name)
    )


def display_name(stored: str | None) -> str:
    """The student's own file name, without our folder and random prefix."""
    if not stored:
        return ""
    base = stored.rsplit("/", 1)[-1]
    return base.split("-", 1)[1] if "-" in base else base


# Answer files graders may see inline beside the rubric, by extension, with the type they are
# served as. A file is shown so only when its first bytes are what its name says (PREVIEW_MAGIC):
# anything else (HTML, SVG, a renamed file) only ever leaves as a download.
PREVIEW_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
PREVIEW_MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": MAGIC["pdf"],
    "png": MAGIC["png"],
    "jpg": MAGIC["jpg"],
    "jpeg": MAGIC["jpeg"],
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
}


def preview_kind(name: str | None) -> str:
    """The preview a stored file gets, from its name alone: pdf, image or none ("")."""
    ext = extension(name or "")
    if ext not in PREVIEW_TYPES:
        return ""
    return "pdf" if ext == "pdf" else "image"


def previewable(name: str, head: bytes) -> bool:
    """True when a stored file may be shown inline: a preview type whose content matches."""
    ext = extension(name)
    if ext not in PREVIEW_TYPES or not head.startswith(PREVIEW_MAGIC[ext]):
        return False
    return ext != "webp" or head[8:12] == b"WEBP"


def _looks_like(ext: str, head: bytes, upload) -> bool:
    magic = MAGIC.get(ext)
    if magic is None:
        return True
    if not head.startswith(magic):
        return False
    part = OFFICE_PART.get(ext)
    if part is None:
        return True
    # Read only the central directory (names), never decompress: no zip bomb can hurt here.
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            return any(n.startswith(part) for n in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def validate(upload, *, content: dict) -> None:
    """Refuse a file of a type the question does not allow, too big, or not what it claims."""
    allowed = [t for t in content.get("allowed_types") or [] if isinstance(t, str)]
    max_mb = content.get("max_size_mb")
    max_mb = max_mb if isinstance(max_mb, int) and max_mb > 0 else DEFAULT_MAX_SIZE_MB
    ext = extension(upload.name or "")
    if not ext or (allowed and ext not in allowed):
        raise UploadRefused(
            _("Files of type '%(type)s' are not accepted here; upload one of: %(allowed)s.")
            % {"type": ext or "?", "allowed": ", ".join(allowed)}
        )
    if upload.size > max_mb * 1024 * 1024:
        raise UploadRefused(
            _("The file is larger than %(max)d MB.") % {"max": max_mb},
        )
    if upload.size == 0:
        raise UploadRefused(_("The file is empty."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not _looks_like(ext, head, upload):
        raise UploadRefused(
            _("The file's content is not a %(type)s file.") % {"type": ext.upper()},
        )


def attempt_quota_bytes() -> int:
    """All files of one attempt together (setting EXAMS_UPLOAD_QUOTA_PER_ATTEMPT_MB)."""
    return int(getattr(settings, "EXAMS_UPLOAD_QUOTA_PER_ATTEMPT_MB", 50)) * 1024 * 1024


def hourly_quota_bytes() -> int:
    """What one student may upload in an hour (EXAMS_UPLOAD_QUOTA_PER_USER_HOUR_MB)."""
    return int(getattr(settings, "EXAMS_UPLOAD_QUOTA_PER_USER_HOUR_MB", 100)) * 1024 * 1024


def check_quotas(upload, *, attempt, replacing: str | None = None) -> None:
    """Refuse a file that would take the attempt's files, or the student's uploads this
    hour, over their quota: replacing a file again and again cannot fill the disk."""
    kept = [
        name
        for response in attempt.questions.values_list("response", flat=True)
        if isinstance(response, dict)
        and isinstance(name := response.get("file"), str)
        and name != replacing
    ]
    in_use = sum(default_storage.size(name) for name in kept if default_storage.exists(name))
    if in_use + upload.size > attempt_quota_bytes():
        raise UploadRefused(
            _("This attempt's files would take more than %(max)d MB.")
            % {"max": attempt_quota_bytes() // (1024 * 1024)}
        )
    key = f"exams:uploads:{attempt.student_id}:{int(time.time() // 3600)}"
    cache.add(key, 0, timeout=3600)
    if cache.incr(key, upload.size) > hourly_quota_bytes():
        raise UploadRefused(
            _("You have uploaded more than %(max)d MB in the last hour; try again later.")
            % {"max": hourly_quota_bytes() // (1024 * 1024)}
        )


def store(upload, *, attempt_id: int, position: int) -> str:
    """Save the upload under the question's folder with a random prefix; returns the name."""
    name = f"{folder(attempt_id, position)}{secrets.token_hex(8)}-{safe_name(upload.name or '')}"
    upload.seek(0)
    return default_storage.save(name, upload)


def discard(name: str) -> None:
    """Delete a stored file nobody will reference (a refused or superseded save)."""
    default_storage.delete(name)
