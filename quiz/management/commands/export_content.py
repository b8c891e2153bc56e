"""Write the database's bank back out as content files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quiz.bank.exporter import export_bank
from quiz.models import Exam


class Command(BaseCommand):
    help = "Export exam.yaml, concepts.yaml and topics/*.yaml to DIR (loads back to the same rows)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options) -> None:
        if not Exam.objects.exists():
            raise CommandError("the database holds no exam; run load_content first")
        written = export_bank(directory)
        self.stdout.write(f"Exported {written} questions to {directory}.")
