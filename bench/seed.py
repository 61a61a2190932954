"""Cheap bench data: many students (with API tokens), passed attempts and their certificates.

Rows are bulk-created; certificates go through the issuance service with its
render queueing suppressed, so each benchmark decides when (and how) to render.
"""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

LEVEL1_TITLE = "CBEC Platform Operation · Level 1"


def level1_exam():
    from exams.models import Exam

    return Exam.objects.get(title_en__startswith=LEVEL1_TITLE)


def students(n: int, *, prefix: str) -> list:
    """n students with unusable passwords and names in both scripts; returns the users."""
    from django.contrib.auth import get_user_model

    from organizations.models import Profile

    User = get_user_model()
    users = [
        User(
            username=f"{prefix}-{i:05d}",
            first_name="Wei",
            last_name=f"Zhang{i}",
            password="!",  # unusable: the bench authenticates by token or session
        )
        for i in range(n)
    ]
    User.objects.bulk_create(users, batch_size=500)
    users = list(User.objects.filter(username__startswith=f"{prefix}-").order_by("username"))
    Profile.objects.bulk_create(
        [
            Profile(user=u, name_native=f"张伟{i}", name_latin=f"Zhang Wei {i}")
            for i, u in enumerate(users)
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    return users


def tokens(users) -> dict[int, str]:
    from datetime import timedelta

    from organizations.tokens import tokens_issue_many

    # A bench run may outlast the default lifetime.
    return tokens_issue_many(users, lifetime=timedelta(days=2))


def passed_certificates(n: int, *, prefix: str = "bench-holder") -> list[int]:
    """n passed level-1 attempts, each with an issued certificate awaiting its render."""
    from django.utils import timezone

    from certificates import issuance
    from exams.models import Attempt

    exam = level1_exam()
    now = timezone.now()
    users = students(n, prefix=prefix)
    Attempt.objects.bulk_create(
        [
            Attempt(
                exam=exam,
                student=user,
                number=1,
                status=Attempt.Status.GRADED,
                started_at=now - timedelta(hours=1),
                deadline=now,
                submitted_at=now,
                graded_at=now,
                theory_percent=Decimal("85.00"),
                practical_percent=Decimal("82.50"),
                total_percent=Decimal("83.50"),
                passed=True,
            )
            for user in users
        ],
        batch_size=500,
    )
    ids = []
    with mock.patch.object(issuance, "_queue_render", lambda certificate_id: None):
        for attempt in Attempt.objects.filter(student__in=users).order_by("pk"):
            ids.append(issuance.certificate_issue_for_attempt(attempt=attempt).pk)
    return ids


def session_cookie(user) -> str:
    """A logged-in session for user, as a Cookie header value."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
