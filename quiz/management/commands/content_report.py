"""Print the question bank's counts and check its bank-wide quality rules."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from quiz.bank.reader import BankInvalid, read_bank
from quiz.bank.report import build_report


class Command(BaseCommand):
    help = "Report questions per domain, topic, task and kind, and fail when a bank rule is broken."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, default=None)

    def handle(self, *args, path: Path | None, **options) -> None:
        try:
            bank = read_bank(path or Path(settings.CONTENT_DIR))
        except BankInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(invalid.errors)} validation error(s)") from None
        report = build_report(bank)
        write = self.stdout.write
        write(f"Questions: {report.total} in {len(report.topic_counts)} topics")
        write("\nPer domain (count / target = 3 full exams without repeats):")
        for key, count, target in report.domain_rows:
            mark = "ok" if count >= target else "SHORT"
            write(f"  {key:<12} {count:>4} / {target:<4} {mark}")
        write("\nPer task statement:")
        write("  " + "  ".join(f"{code}: {count}" for code, count in report.task_counts.items()))
        write("\nPer kind: " + ", ".join(f"{k} {v}" for k, v in sorted(report.kind_counts.items())))
        write(f"  multiple response: {report.multiple_share:.1%} (at least 25%)")
        write(f"  recall style: {report.recall_share:.1%} (at most 20%)")
        write(
            f"  correct choice is the longest: {report.correct_longest_count} of "
            f"{report.single_count} single-answer questions ({report.correct_longest_share:.1%}, 10-30%)"
        )
        write(
            f"  correct choice is the shortest: {report.correct_shortest_count} of "
            f"{report.single_count} ({report.correct_shortest_share:.1%}, at most 35%)"
        )
        write("\nPer topic (questions, words of notes):")
        for key, count in sorted(report.topic_counts.items()):
            write(f"  {key:<26} {count:>3}  {report.notes_words[key]:>4} words")
        write(f"\nNear-duplicate stems: {len(report.near_duplicates)}")
        if report.failures:
            for failure in report.failures:
                self.stderr.write(f"RULE BROKEN: {failure}")
            raise CommandError(f"{len(report.failures)} rule(s) broken")
        write("All content rules pass.")
