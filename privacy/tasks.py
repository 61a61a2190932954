"""Celery tasks of the privacy app: thin wrappers around the services."""

from celery import shared_task

from . import retention


@shared_task
def delete_expired_uploads() -> dict:
    """Nightly (beat): replaced answer files and finished imports' files past retention."""
    return {
        "answer_files": retention.replaced_answer_files_delete(),
        "import_uploads": retention.import_uploads_delete(),
    }
