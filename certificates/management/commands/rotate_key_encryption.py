"""Encrypt every issuer private key again with the first key of CERTIFICATES_KEY_ENCRYPTION_KEY."""

from django.core.management.base import BaseCommand

from certificates.keys import reencrypt_private_keys


class Command(BaseCommand):
    help = (
        "After putting a new Fernet key first in CERTIFICATES_KEY_ENCRYPTION_KEY (old keys after "
        "it), encrypt every issuer private key again with the new key. Then the old keys can be "
        "removed from the setting."
    )

    def handle(self, *args, **options):
        count = reencrypt_private_keys()
        self.stdout.write(
            self.style.SUCCESS(f"{count} issuer key(s) encrypted with the first configured key.")
        )
