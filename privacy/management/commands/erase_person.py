"""Erase a person's personal data when they asked by another channel (letter, email)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from privacy.erasure import ErasureError, person_erase


class Command(BaseCommand):
    help = "Erase (pseudonymise) a person's personal data at their request."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--revoke-certificates",
            action="store_true",
            help="Revoke their certificates instead of keeping them as records without the name.",
        )

    def handle(self, *args, username, revoke_certificates, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as error:
            raise CommandError(f"No user {username!r}.") from error
        try:
            pseudonym = person_erase(user=user, revoke_certificates=revoke_certificates)
        except ErasureError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Erased {username!r}; the account is now {pseudonym!r}.")
