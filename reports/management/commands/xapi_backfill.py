from django.core.management.base import BaseCommand, CommandError

from reports import backfill


class Command(BaseCommand):
    help = (
        "Write the learning records (xAPI statements) missing for past events: enrolments, "
        "completions, attempts, released results, certificates issued and revoked. Safe to "
        "run again: events that have their statement are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=backfill.BATCH_SIZE)

    def handle(self, *args, batch_size, verbosity, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")

        def report(verb, done, total):
            if verbosity >= 1:
                self.stdout.write(f"{verb}: {done}/{total}")

        progress = backfill.backfill(batch_size=batch_size, report=report)
        summary = ", ".join(f"{verb} {count}" for verb, count in progress.written.items())
        self.stdout.write(f"Statements written: {progress.total} ({summary})")
