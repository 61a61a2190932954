"""Retire the active issuer key(s) and create new ones; retired keys keep verifying."""

from django.core.management.base import BaseCommand

from certificates.keys import Purpose, rotate_key


class Command(BaseCommand):
    help = (
        "Rotate the platform's signing key for credentials, PDFs or both. The old key stops "
        "signing but stays published, so certificates it signed still verify."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "purpose",
            choices=[*Purpose.values, "all"],
            help="Which key to rotate: credential (Ed25519, VC-JWT), pdf (X.509, PAdES) or all.",
        )

    def handle(self, *args, purpose: str, **options):
        purposes = Purpose.values if purpose == "all" else [purpose]
        for name in purposes:
            key = rotate_key(name)
            self.stdout.write(self.style.SUCCESS(f"{name}: new key {key.kid}"))
