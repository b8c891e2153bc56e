"""Print how long the progress page takes for a user with a long history (a benchmark)."""

import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quiz.models import Question
from quiz.sample_history import build_history


class Command(BaseCommand):
    help = "Build a user with N finished attempts (75 answers each) and time their progress page."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--attempts", type=int, default=200)
        parser.add_argument("--questions", type=int, default=75)
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args, attempts: int, questions: int, repeat: int, **options) -> None:
        if Question.objects.active().count() < questions:
            raise CommandError("load the question bank first (python manage.py load_content)")
        username = f"bench-progress-{attempts}"
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(username=username)
        if created or not user.attempts.exists():
            started = time.perf_counter()
            answers = build_history(
                user=user, attempt_count=attempts, questions_per_attempt=questions,
                now=timezone.now(), rng=random.Random(1),
            )
            self.stdout.write(f"built {attempts} attempts, {answers} answers in {time.perf_counter() - started:.1f} s")
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        url = reverse("quiz:progress")
        client.get(url)  # warm caches and connections
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"progress page answered {response.status_code}")
        self.stdout.write(
            f"progress page: attempts={attempts} answers={user.attempts.count() * questions} "
            f"queries={len(queries)} p50_ms={statistics.median(timings):.1f} "
            f"max_ms={max(timings):.1f} runs={repeat}"
        )
