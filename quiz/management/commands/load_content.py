"""Validate the question bank and load it into the database in one transaction."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from quiz.bank.importer import import_bank
from quiz.bank.reader import BankInvalid, read_bank


class Command(BaseCommand):
    help = "Validate content/ (or PATH) and upsert it into the database; --check writes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            help="The content folder (default: settings.CONTENT_DIR). With --check, topic "
            "files may be given instead to validate just those.",
        )
        parser.add_argument("--check", action="store_true", help="Validate only; write nothing.")

    def handle(self, *args, paths: list[Path], check: bool, **options) -> None:
        content_dir, only = self._resolve(paths, check)
        try:
            bank = read_bank(content_dir, only=only)
            if check:
                count = sum(len(topic.questions) for topic in bank.topics)
                self.stdout.write(f"OK: {count} questions in {len(bank.topics)} topics are valid.")
                return
            summary = import_bank(bank)
        except BankInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(invalid.errors)} error(s); nothing was written to the database."
            ) from None
        self.stdout.write(f"Loaded {summary}.")

    def _resolve(self, paths: list[Path], check: bool) -> tuple[Path, list[Path] | None]:
        if not paths:
            return Path(settings.CONTENT_DIR), None
        if len(paths) == 1 and paths[0].is_dir():
            return paths[0], None
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}")
        if not check:
            # Loading a subset would retire every question outside it.
            raise CommandError("single topic files can only be validated with --check")
        return paths[0].resolve().parent.parent, [path.resolve() for path in paths]
