"""Question images: adding them to a bank (checked, stored once), and reading them back.

An image is a PNG, JPEG, GIF or WebP by its first bytes (SVG is refused: it can hold
scripts) of at most EXAMS_MEDIA_MAX_MB; the same bytes are stored once per bank.  The file
is written before its row, so a write that fails leaves no row without a file; a caller
whose larger transaction may still roll back adds through a ``MediaBatch``, which deletes
the files it wrote when that transaction does not commit.
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from ..interop.media import EXTENSIONS, MediaFile, media_problem, media_urls, sniff
from ..models import QuestionBank, QuestionMedia
from ..uploads import safe_name
from .errors import ExamError

logger = logging.getLogger(__name__)


def media_name(original: str, content_type: str) -> str:
    """A storage- and URL-safe name ending in the extension of the type the bytes are."""
    base = safe_name(original or "image")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in stem)
    return f"{stem.strip('._')[:60] or 'image'}.{EXTENSIONS[content_type]}"


def media_add(
    *, bank: QuestionBank, data: bytes, name: str, by=None, batch: "MediaBatch | None" = None
) -> QuestionMedia:
    """Add an image to a bank, or return the bank's copy of the same bytes.

    Raises ExamError (code "media") when it is not an image we take, or is too big.
    """
    problem = media_problem(data, name)
    if problem:
        raise ExamError(problem, code="media")
    digest = hashlib.sha256(data).hexdigest()
    existing = QuestionMedia.objects.filter(bank=bank, sha256=digest).first()
    if existing:
        return existing
    content_type = sniff(data) or ""
    media = QuestionMedia(
        bank=bank,
        name=media_name(name, content_type),
        original_name=name[:255],
        content_type=content_type,
        size=len(data),
        sha256=digest,
        created_by=by,
    )
    media.file.save(media.name, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            media.save()
    except IntegrityError:
        # The same image reached the bank at the same moment through another request.
        _delete(media.file.name)
        return QuestionMedia.objects.get(bank=bank, sha256=digest)
    except BaseException:
        _delete(media.file.name)
        raise
    if batch is not None:
        batch.written.append(media.file.name)
    return media


def _delete(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError:
        logger.warning("Could not delete the question image %s", name, exc_info=True)


class MediaBatch:
    """Images added for one all-or-nothing write: their files go again if it fails.

    Use it outside the transaction, so that it sees the rollback::

        with MediaBatch(bank=bank, by=user) as batch, transaction.atomic():
            media = batch.add(data, name)
            ...
    """

    def __init__(self, *, bank: QuestionBank, by=None):
        self.bank, self.by = bank, by
        self.written: list[str] = []

    def add(self, data: bytes, name: str) -> QuestionMedia:
        return media_add(bank=self.bank, data=data, name=name, by=self.by, batch=self)

    def __enter__(self) -> "MediaBatch":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is not None:
            for name in self.written:
                _delete(name)
            self.written = []


def bank_media_files(bank: QuestionBank, questions: list[dict]) -> dict[str, MediaFile]:
    """The bank's images these questions show, by address, with their bytes (for exports).

    Images of other banks, and files missing from storage, are left out: the export then
    warns that the text still links to them.
    """
    wanted = {url for question in questions for url in media_urls(question)}
    if not wanted:
        return {}
    tokens = {url.split("/")[3] for url in wanted}
    found = {}
    for media in QuestionMedia.objects.filter(bank=bank, token__in=tokens):
        if media.url not in wanted:
            continue
        try:
            with media.file.open("rb") as handle:
                data = handle.read()
        except OSError:
            logger.warning("Question image %s is missing from storage", media.file.name)
            continue
        found[media.url] = MediaFile(name=media.name, data=data, content_type=media.content_type)
    return found


__all__ = ["MediaBatch", "bank_media_files", "media_add", "media_name"]
