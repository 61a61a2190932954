"""The privacy app's settings, read here with their defaults.

Each is a ``PRIVACY_…`` setting; lms/settings.py fills them from the environment.
"""

from django.conf import settings

DEFAULT_ANSWER_FILE_RETENTION_DAYS = 30
DEFAULT_IMPORT_UPLOAD_RETENTION_DAYS = 30


def answer_file_retention_days() -> int:
    """Days a replaced (no longer referenced) answer file is kept before it is deleted."""
    return int(
        getattr(
            settings,
            "PRIVACY_ANSWER_FILE_RETENTION_DAYS",
            DEFAULT_ANSWER_FILE_RETENTION_DAYS,
        )
    )


def import_upload_retention_days() -> int:
    """Days the uploaded file of a finished question import is kept before it is deleted."""
    return int(
        getattr(
            settings,
            "PRIVACY_IMPORT_UPLOAD_RETENTION_DAYS",
            DEFAULT_IMPORT_UPLOAD_RETENTION_DAYS,
        )
    )
