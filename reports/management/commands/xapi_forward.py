from django.core.management.base import BaseCommand, CommandError

from reports import conf, lrs


class Command(BaseCommand):
    help = (
        "Forward the learning records (xAPI statements) due to the configured LRS now, as the "
        "beat task does every minute; --retry-given-up first queues again those given up on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--retry-given-up", action="store_true")

    def handle(self, *args, retry_given_up, **options):
        if not conf.lrs_endpoint():
            raise CommandError("XAPI_LRS_ENDPOINT is not set: forwarding is off.")
        if retry_given_up:
            self.stdout.write(f"Queued again: {lrs.retry_given_up()}")
        outcome = lrs.forward_pending()
        self.stdout.write(
            f"Sent: {outcome.sent}, failed (retried later): {outcome.failed}, "
            f"conflicts (given up): {outcome.conflicts}"
        )
