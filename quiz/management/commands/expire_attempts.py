"""Finalize every in-progress attempt whose time is up (run it from a scheduler)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from quiz import services


class Command(BaseCommand):
    help = "Score and close all attempts past their deadline."

    def handle(self, *args, **options) -> None:
        count = services.attempts_expire_overdue(now=timezone.now())
        self.stdout.write(f"Finalized {count} overdue attempt(s).")
