"""Encrypt the second-factor secrets with the first key of CERTIFICATES_KEY_ENCRYPTION_KEY."""

from django.core.management.base import BaseCommand

from lms.mfa_secrets import reencrypt_secrets


class Command(BaseCommand):
    help = (
        "Encrypt the stored TOTP secrets and recovery-code seeds with the first key of "
        "CERTIFICATES_KEY_ENCRYPTION_KEY: those enrolled before they were encrypted, and, "
        "after a new key was put first (with rotate_key_encryption), the others again. Then "
        "the old keys can be removed from the setting."
    )

    def handle(self, *args, **options):
        count = reencrypt_secrets()
        self.stdout.write(
            self.style.SUCCESS(f"{count} second factor(s) encrypted with the first configured key.")
        )
