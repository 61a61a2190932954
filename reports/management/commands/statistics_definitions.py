from django.core.management.base import BaseCommand

from reports.markdown import definitions_markdown


class Command(BaseCommand):
    help = "Print the statistics' definitions as Markdown (the README's section is this)."

    def add_arguments(self, parser):
        parser.add_argument("--language", default="en", choices=["en", "zh-hans"])

    def handle(self, *args, language, **options):
        self.stdout.write(definitions_markdown(language))
