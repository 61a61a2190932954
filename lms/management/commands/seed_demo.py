"""Load the demo: organisations, one user per role, courses, a cohort, progress (idempotent)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lms import conf, demo_seed
from organizations import notifications

DEMO_PASSWORD = "cbec-demo"


class Command(BaseCommand):
    help = "Load demo organisations, users, courses and exams. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never in production).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with a published password; it refuses to run with "
                "DEBUG off. Pass --force if this really is a demo site."
            )
        # The demo's history fills the inboxes but mails nobody (the console would print it).
        with notifications.mail_held(), transaction.atomic():
            summary = demo_seed.seed(password=DEMO_PASSWORD)
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        User = get_user_model()
        for username in demo_seed.DEMO_USERS:
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"  {username:<10} {demo_seed.DEMO_USERS[username]['role']}")
        for line in summary:
            self.stdout.write(line)
        if conf.staff_mfa_required():
            self.stdout.write(
                "Staff (every login above but student) set up two-factor authentication at "
                "their first login: scan the QR code with an authenticator app. "
                "STAFF_MFA_REQUIRED=0 turns this off for development."
            )
