"""Question import and export: the write path from an uploaded file to a bank, and back.

An import is all or nothing: the file is parsed, every question is checked with
``grading.validate_question``, and if anything at all is wrong nothing is created and the
job's report lists every problem with where it is. Otherwise every question is created in
one transaction, with the images the file holds (question media): their files are deleted
again if that transaction rolls back. An ID number the bank (or an earlier question of the
file) already has is taken off the question, which is imported without it and named in a
warning, as Moodle's importer does. An export is given the bank's images its questions
show, and carries them where the format can (Moodle XML, QTI packages).

Progress of that transaction cannot be read from the job row by other connections until it
commits, so the running count goes to the cache (``progress_key``) every
``EXAMS_IMPORT_PROGRESS_EVERY`` questions and to the row once, at the end. With the Redis
cache of production the web process sees the worker's count; with the local-memory cache of
development the task runs in the web process (eager), so it sees it too.
"""

import logging
from dataclasses import asdict

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import services
from .grading import validate_question
from .interop import FORMATS, ExportResult, ImportReport, Issue
from .interop.media import PENDING_RE, resolve_pending, strings
from .interop.report import at_file, at_question
from .models import ImportJob, QuestionBank
from .models.bank import Question
from .services import ExamError, notices
from .uploads import safe_name

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_PROGRESS_EVERY = 100
PROGRESS_SECONDS = 24 * 3600
LANGUAGES = ("en", "zh-hans")


def max_bytes() -> int:
    return getattr(settings, "EXAMS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def progress_every() -> int:
    return max(1, getattr(settings, "EXAMS_IMPORT_PROGRESS_EVERY", DEFAULT_PROGRESS_EVERY))


def progress_key(job_id: int) -> str:
    return f"exams:import:{job_id}:done"


def file_language(language: str | None) -> str:
    """One of our two content languages for a Django language code ("zh-hans" for any zh)."""
    return "zh-hans" if (language or "en").lower().startswith("zh") else "en"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def upload_problems(*, fmt: str, upload: UploadedFile | None) -> list[str]:
    """Why this file cannot be imported at all (before it is stored)."""
    problems = []
    if fmt not in FORMATS:
        problems.append(_("Unknown format '%(fmt)s'.") % {"fmt": fmt})
    if upload is None or not upload.size:
        problems.append(_("The file is empty."))
    elif upload.size > max_bytes():
        problems.append(
            _("The file is %(size)s MB; files of at most %(max)s MB can be imported.")
            % {"size": _megabytes(upload.size), "max": _megabytes(max_bytes())}
        )
    return problems


def import_start(
    *,
    bank: QuestionBank,
    fmt: str,
    upload: UploadedFile,
    by,
    language: str = "en",
    competency: str = "",
    difficulty: int | None = None,
) -> ImportJob:
    """Store the file and queue its import once this transaction commits.

    A competency or difficulty given here replaces the file's on every imported question,
    so that a blueprint can draw them (most formats carry neither)."""
    problems = upload_problems(fmt=fmt, upload=upload)
    if problems:
        raise ExamError(problems, code="upload")
    name = safe_name(upload.name or "questions")
    with transaction.atomic():
        job = ImportJob(
            bank=bank,
            format=fmt,
            language=file_language(language),
            file_name=name,
            requested_by=by,
            competency=competency or "",
            difficulty=difficulty,
        )
        job.upload.save(name, upload, save=False)
        job.save()
        from .tasks import import_questions

        transaction.on_commit(lambda: import_questions.delay(job.pk))
    return job


def import_progress(job: ImportJob) -> dict:
    """{status, done, total} for a poller: the cache while running, the row otherwise."""
    done = job.done
    if job.status == ImportJob.Status.RUNNING:
        done = cache.get(progress_key(job.pk), done)
    return {"status": job.status, "done": done, "total": job.total}


def _issues(issues) -> list[dict]:
    return [asdict(issue) for issue in issues]


def check_file(data: bytes, *, fmt: str, language: str = "en") -> ImportReport:
    """Parse a file and check every question it holds as the bank would (no database)."""
    report = FORMATS[fmt].parse(data, default_language=language)
    for number, question in enumerate(report.questions, start=1):
        for problem in validate_question(question):
            report.error(at_question(number), problem)
    if report.ok and not report.questions:
        report.error(at_file(), _("The file holds no questions."))
    return report


def _unfinished(job: ImportJob):
    """The job's row unless a parallel run of it has finished (never overwrite that)."""
    return ImportJob.objects.filter(pk=job.pk).exclude(status__in=ImportJob.FINISHED)


def _finish(job: ImportJob, status: str, report: ImportReport, *, done: int) -> ImportJob:
    finished = _unfinished(job).update(
        status=status,
        done=done,
        total=len(report.questions),
        report={"errors": _issues(report.errors), "warnings": _issues(report.warnings)},
        finished_at=timezone.now(),
    )
    cache.delete(progress_key(job.pk))
    job.refresh_from_db()
    if finished:  # this run finished it (a parallel run that did already told the person)
        notices.import_finished(job)
    return job


def import_run(*, job_id: int) -> ImportJob:
    """Import a queued file, all or nothing. Idempotent: a finished job is left as it is."""
    job = ImportJob.objects.select_related("bank", "requested_by").get(pk=job_id)
    if job.is_finished:
        return job
    # Messages in the report are written in the language of the file.
    with translation.override(job.language):
        _unfinished(job).update(status=ImportJob.Status.RUNNING)
        try:
            with job.upload.open("rb") as upload:
                data = upload.read()
        except OSError:
            report = ImportReport()
            report.error(at_file(), _("The uploaded file is no longer there; upload it again."))
            return _finish(job, ImportJob.Status.FAILED, report, done=0)
        report = check_file(data, fmt=job.format, language=job.language)
        if not report.ok:
            return _finish(job, ImportJob.Status.FAILED, report, done=0)
        _unfinished(job).update(total=len(report.questions), done=0)
        cache.set(progress_key(job.pk), 0, PROGRESS_SECONDS)
        try:
            return _create_all(job, report)
        except ExamError as exc:  # validated above, so only a service rule we do not mirror
            report.questions = []
            for message in exc.messages:
                report.error(at_file(), message)
            return _finish(job, ImportJob.Status.FAILED, report, done=0)
        except Exception:
            logger.exception("Question import %s stopped", job.pk)
            report.error(at_file(), _("The import stopped unexpectedly; nothing was imported."))
            _finish(job, ImportJob.Status.FAILED, report, done=0)
            raise


def _create_all(job: ImportJob, report: ImportReport) -> ImportJob:
    every = progress_every()
    batch = services.MediaBatch(bank=job.bank, by=job.requested_by)
    # The batch is outside the transaction: if it rolls back, the images' files go too.
    with batch, transaction.atomic():
        # A second run of the same job (a redelivered task) waits here, then sees it done.
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.is_finished:
            return locked
        addresses = _save_media(batch, report)
        questions, dropped = _free_idnumbers(job.bank, report)
        for number, data in enumerate(questions, start=1):
            data = _with_defaults(job, resolve_pending(data, addresses))
            services.question_create(bank=job.bank, data=data, by=job.requested_by)
            if number % every == 0:
                cache.set(progress_key(job.pk), number, PROGRESS_SECONDS)
        report.warnings += dropped
        return _finish(job, ImportJob.Status.DONE, report, done=len(report.questions))


def _free_idnumbers(bank: QuestionBank, report: ImportReport) -> tuple[list[dict], list[Issue]]:
    """The questions, each ID number another question of the bank (or an earlier question of
    the file) already has taken off, and a warning for each: as Moodle's importer does
    (qformat_default::importprocess imports the question and drops the clashing idnumber)."""
    holders = dict(
        Question.objects.filter(bank=bank).exclude(idnumber="").values_list("idnumber", "pk")
    )
    in_file: dict[str, str] = {}
    kept, dropped = [], []
    for number, data in enumerate(report.questions, start=1):
        location = report.location_of(number)
        idnumber = (data.get("idnumber") or "").strip()
        if not idnumber:
            kept.append(data)
            continue
        if idnumber in holders:
            message = _(
                "the ID number '%(id)s' is already used by question #%(pk)s of this bank: "
                "the question is imported without it"
            ) % {"id": idnumber, "pk": holders[idnumber]}
        elif idnumber in in_file:
            message = _(
                "the ID number '%(id)s' is already given to the question at %(first)s: "
                "the question is imported without it"
            ) % {"id": idnumber, "first": in_file[idnumber]}
        else:
            in_file[idnumber] = location
            kept.append(data)
            continue
        dropped.append(Issue(location, message))
        kept.append({key: value for key, value in data.items() if key != "idnumber"})
    return kept, dropped


def _with_defaults(job: ImportJob, data: dict) -> dict:
    """The question with the competency and difficulty chosen on the import form, if any."""
    if job.competency:
        data = {**data, "competency": job.competency}
    if job.difficulty:
        data = {**data, "difficulty": job.difficulty}
    return data


def _save_media(batch, report: ImportReport) -> dict[str, str]:
    """Save the images the questions show (only those); their addresses by SHA-256."""
    shown = {
        m.group(1) for q in report.questions for s in strings(q) for m in PENDING_RE.finditer(s)
    }
    return {
        digest: batch.add(file.data, file.name).url
        for digest, file in report.media.items()
        if digest in shown
    }


# --- Export ---------------------------------------------------------------------------------


def bank_questions(bank: QuestionBank) -> list[dict]:
    """The active questions of a bank in the neutral format, oldest first, with their tags
    and ID number when they have any (two queries)."""
    questions = (
        Question.objects.active()
        .filter(bank=bank)
        .select_related("current_version")
        .prefetch_related("tags")
        .order_by("pk")
    )
    data = []
    for question in questions:
        version = question.current_version
        version.question = question  # as_data() reads it; spare a query per question
        tags = [tag.name for tag in question.tags.all()]
        entry = {**version.as_data(), "tags": tags} if tags else version.as_data()
        if question.idnumber:
            entry["idnumber"] = question.idnumber
        data.append(entry)
    return data


def bank_export(*, bank: QuestionBank, fmt: str, language: str = "en") -> ExportResult:
    """The bank's active questions as a file of `fmt`, plus what the format could not hold."""
    if fmt not in FORMATS:
        raise ExamError(_("Unknown format '%(fmt)s'.") % {"fmt": fmt}, code="format")
    questions = bank_questions(bank)
    media = services.bank_media_files(bank, questions)
    return FORMATS[fmt].export(questions, language=file_language(language), media=media)


def export_file_name(bank: QuestionBank, fmt: str) -> str:
    stem = slugify(bank.name, allow_unicode=True) or "bank"
    return f"{stem}-{bank.pk}-{fmt}{FORMATS[fmt].extensions[0]}"
