"""Uploads are kept only as long as they are needed, then deleted by a nightly beat task.

- Answer files a student replaced: a file under ``exam-answers/<attempt>/<position>/`` that
  the question's answer no longer names is deleted once it is older than
  PRIVACY_ANSWER_FILE_RETENTION_DAYS (30). The service deletes a replaced file at once when it
  can; this sweep catches what a crash or a failed delete left behind. Files an answer names
  are never touched.
- Question import uploads: the file of a finished (done or failed) import is deleted
  PRIVACY_IMPORT_UPLOAD_RETENTION_DAYS (30) after it finished; the job keeps its report and
  the file's name.

Anonymous verification rows have their own period (certificates.retention).
"""

from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from exams.models import AttemptQuestion, ImportJob
from exams.uploads import ROOT as ANSWER_ROOT

from .conf import answer_file_retention_days, import_upload_retention_days


def _listdir(storage, path: str) -> tuple[list[str], list[str]]:
    try:
        return storage.listdir(path)
    except (FileNotFoundError, NotADirectoryError):
        return [], []


def replaced_answer_files_delete(*, now: datetime | None = None, storage=None) -> int:
    """Delete unreferenced answer files older than the retention period; how many."""
    storage = storage or default_storage
    cutoff = (now or timezone.now()) - timedelta(days=answer_file_retention_days())
    deleted = 0
    attempt_dirs, _ = _listdir(storage, ANSWER_ROOT)
    for attempt_dir in attempt_dirs:
        if not attempt_dir.isdigit():
            continue
        in_use = {
            response.get("file")
            for response in AttemptQuestion.objects.filter(attempt_id=int(attempt_dir)).values_list(
                "response", flat=True
            )
            if isinstance(response, dict)
        }
        position_dirs, _ = _listdir(storage, f"{ANSWER_ROOT}/{attempt_dir}")
        for position_dir in position_dirs:
            folder = f"{ANSWER_ROOT}/{attempt_dir}/{position_dir}"
            _, names = _listdir(storage, folder)
            for name in names:
                stored = f"{folder}/{name}"
                if stored in in_use or storage.get_modified_time(stored) >= cutoff:
                    continue
                storage.delete(stored)
                deleted += 1
    return deleted


def import_uploads_delete(*, now: datetime | None = None) -> int:
    """Delete the files of imports that finished before the retention period; how many."""
    cutoff = (now or timezone.now()) - timedelta(days=import_upload_retention_days())
    deleted = 0
    jobs = ImportJob.objects.filter(status__in=ImportJob.FINISHED, finished_at__lt=cutoff).exclude(
        upload=""
    )
    for job in jobs.iterator():
        name = job.upload.name
        job.upload.storage.delete(name)
        ImportJob.objects.filter(pk=job.pk, upload=name).update(upload="")
        deleted += 1
    return deleted
