"""The courses app's settings, read in one place with their defaults."""

from django.conf import settings

# How often an open lesson page reports itself (seconds). Each report credits at most
# CREDIT_FACTOR × this since the enrolment's previous report, so one missed report is
# forgiven but a page left open in a sleeping laptop is not.
DEFAULT_HEARTBEAT_SECONDS = 30
CREDIT_FACTOR = 2

# The largest lesson attachment a teacher uploads in the studio.
DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024

# The longest Markdown text the studio's live preview renders.
PREVIEW_MAX_CHARS = 100_000


def heartbeat_seconds() -> int:
    return int(getattr(settings, "COURSES_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS))


def max_credit_seconds() -> int:
    return heartbeat_seconds() * CREDIT_FACTOR


def attachment_max_bytes() -> int:
    return int(getattr(settings, "COURSES_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES))
