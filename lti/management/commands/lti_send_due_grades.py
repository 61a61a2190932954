"""Send the grade submissions whose next try has come, in this process.

Beat runs the same sweep every minute where there is a broker; without one, a cron
line running this command catches what an in-process retry timer lost to a restart.
"""

from django.core.management.base import BaseCommand

from lti import grades, tasks


class Command(BaseCommand):
    help = "Send the LTI grade submissions whose next try has come."

    def handle(self, *args, **options):
        ids = grades.grades_due()
        statuses = [tasks.grade_send(submission_id) for submission_id in ids]
        sent = statuses.count("sent")
        self.stdout.write(f"{len(ids)} due, {sent} sent.")
