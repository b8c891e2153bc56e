"""The benchmark's database and data: users, attempts, sessions, query counts.

Everything here runs in-process with the app's production settings against the fresh
benchmark database, so the gunicorn servers started later see the same rows and sessions.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Slots answered in the in-progress attempts before the run, so the navigator is mixed.
PREANSWERED_SLOTS = 30
# Named explicitly: the app lists django-axes' backend first, which the reference lacks.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def create_database(name: str) -> str:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def drop_database(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(database_url: str, secret_key: str) -> dict[str, str]:
    """The environment of every process of the run: production settings on this database."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        PYTHONPATH=str(REPO),
    )
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()


def migrate(env: dict[str, str]) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    # DEBUG off serves static files through WhiteNoise's manifest: collect them once.
    call_command("collectstatic", interactive=False, verbosity=0)
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--no-input", "-v", "0"],
        cwd=REPO,
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.reference.settings"},
        check=True,
    )


def load_bank() -> tuple[float, float, str]:
    """Time `load_content` on the empty database, then an unchanged reload (seconds)."""
    from io import StringIO

    from django.core.management import call_command

    timings = []
    output = StringIO()
    for _ in range(2):
        output = StringIO()
        started = time.perf_counter()
        call_command("load_content", stdout=output)
        timings.append(time.perf_counter() - started)
    return timings[0], timings[1], output.getvalue().strip()


@dataclass(frozen=True)
class Session:
    cookie: str  # the Cookie header: session id and CSRF cookie
    csrf_token: str  # the masked token a page would put in hx-headers


@dataclass(frozen=True)
class BenchUser:
    username: str
    session: Session
    progress_session: Session  # a session of the user with the long history
    group_session: Session  # a session of one member of the benchmark's study group
    group_id: int
    open_attempt_id: int
    open_slots: list[tuple[int, list[int]]]  # (slot, choice ids in shown order)
    finished_attempt_id: int


@dataclass(frozen=True)
class BenchData:
    users: list[BenchUser]
    history_username: str
    history_answers: int
    build_seconds: float
    group_usernames: list[str]  # the group's members, its owner first
    group_answers: int
    group_build_seconds: float
    group_cold_ms: float  # the dashboard's reads with its aggregates recomputed (median)
    progress_cold_ms: float  # the whole progress page with its history report recomputed (median)


def _session(user) -> Session:
    from django.conf import settings
    from django.http import HttpRequest
    from django.middleware.csrf import get_token
    from django.test import Client

    client = Client(SERVER_NAME="localhost")
    client.force_login(user, backend=MODEL_BACKEND)
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    request = HttpRequest()
    masked = get_token(request)
    secret = request.META["CSRF_COOKIE"]
    return Session(
        cookie=f"{settings.SESSION_COOKIE_NAME}={session_id}; {settings.CSRF_COOKIE_NAME}={secret}",
        csrf_token=masked,
    )


def _answer_directly(attempt, slot_count: int, rng: random.Random, now: datetime) -> None:
    """Fill the first slots' selections (test data: the service under test is autosave)."""
    from quiz.models import AttemptQuestion

    slots = list(AttemptQuestion.objects.filter(attempt=attempt, slot__lte=slot_count))
    for row in slots:
        row.selected_choice_ids = [rng.choice(row.choice_order)]
        row.answer_sequence = 1
        row.answered_at = now
    AttemptQuestion.objects.bulk_update(
        slots, ["selected_choice_ids", "answer_sequence", "answered_at"]
    )


@dataclass(frozen=True)
class GroupData:
    group_id: int
    members: list  # users, the owner first
    answers: int
    seconds: float


def build_group(
    *, member_count: int, attempts_per_member: int, questions_per_attempt: int, now: datetime
) -> GroupData:
    """A study group of `member_count` new users, each with a finished history of its own."""
    from django.contrib.auth import get_user_model

    from quiz.sample_history import build_history
    from quiz.services.groups import group_create, group_join

    started = time.perf_counter()
    user_model = get_user_model()
    members = [
        user_model.objects.create_user(f"bench-member-{number:02d}", password=None)
        for number in range(1, member_count + 1)
    ]
    group = group_create(owner=members[0], name="Bench study group", now=now)
    for member in members[1:]:
        group_join(user=member, group=group, now=now)
    answers = 0
    for number, member in enumerate(members, start=1):
        answers += build_history(
            user=member,
            attempt_count=attempts_per_member,
            questions_per_attempt=questions_per_attempt,
            now=now,
            rng=random.Random(1_000 + number),
        )
    return GroupData(group.pk, members, answers, time.perf_counter() - started)


def build_data(
    *,
    user_count: int,
    history_attempts: int,
    group_members: int,
    group_attempts: int,
    group_questions: int,
) -> BenchData:
    """Create the long-history user, the study group with its members' histories, and
    `user_count` users with an open and a finished exam."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from quiz import services
    from quiz.models import Attempt, AttemptQuestion, Exam
    from quiz.sample_history import build_history
    from quiz.services.attempts import full_exam_request

    started = time.perf_counter()
    now = timezone.now()
    rng = random.Random(7)
    user_model = get_user_model()
    exam = Exam.objects.order_by("pk").first()
    if exam is None:
        raise RuntimeError("no exam blueprint after load_content")
    request = full_exam_request(exam)

    history_user = user_model.objects.create_user("bench-history", password=None)
    answers = build_history(
        user=history_user,
        attempt_count=history_attempts,
        questions_per_attempt=exam.question_count,
        now=now,
        rng=random.Random(1),
    )
    group = build_group(
        member_count=group_members,
        attempts_per_member=group_attempts,
        questions_per_attempt=group_questions,
        now=now,
    )
    group_sessions = [_session(member) for member in group.members]

    users = []
    for number in range(1, user_count + 1):
        user = user_model.objects.create_user(f"bench-user-{number:02d}", password=None)
        finished = services.attempt_start(user=user, request=request, now=now, seed=10_000 + number)
        _answer_directly(finished, finished.question_count, rng, now)
        services.attempt_submit(attempt=finished, now=now)
        open_attempt = services.attempt_start(user=user, request=request, now=now, seed=number)
        _answer_directly(open_attempt, PREANSWERED_SLOTS, rng, now)
        slots = list(
            AttemptQuestion.objects.filter(attempt=open_attempt)
            .order_by("slot")
            .values_list("slot", "choice_order")
        )
        users.append(
            BenchUser(
                username=user.username,
                session=_session(user),
                progress_session=_session(history_user),
                # User n logs in as member n: the logged-in users are the group's members.
                group_session=group_sessions[(number - 1) % len(group_sessions)],
                group_id=group.group_id,
                open_attempt_id=open_attempt.pk,
                open_slots=slots,
                finished_attempt_id=finished.pk,
            )
        )
    if Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS).count() != user_count:
        raise RuntimeError("the open attempts were not created")
    # A live database has planner statistics (autovacuum keeps them); a freshly bulk-loaded
    # one has none until autovacuum wakes up, mid-run, which would make plans vary.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return BenchData(
        users,
        history_user.username,
        answers,
        time.perf_counter() - started,
        group_usernames=[member.username for member in group.members],
        group_answers=group.answers,
        group_build_seconds=group.seconds,
        group_cold_ms=group_dashboard_cold_ms(group.group_id),
        progress_cold_ms=progress_page_cold_ms(history_user),
    )


def progress_page_cold_ms(user, runs: int = 7) -> float:
    """Median in-process time of the whole progress page (test client) when the user's
    history report must be recomputed: the first view after their results change."""
    import statistics

    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    client = Client(SERVER_NAME="localhost")
    client.force_login(user, backend=MODEL_BACKEND)
    path = reverse("quiz:progress")
    timings = []
    for _ in range(runs):
        cache.clear()
        started = time.perf_counter()
        response = client.get(path)
        timings.append(1000 * (time.perf_counter() - started))
        if response.status_code != 200:
            raise RuntimeError(f"progress page answered {response.status_code}")
    return statistics.median(timings)


def group_dashboard_cold_ms(group_id: int, runs: int = 5) -> float:
    """Median in-process time of the group dashboard's reads when its cached aggregates
    must be recomputed: the first view after any member's results change."""
    import statistics

    from django.core.cache import cache
    from django.utils import timezone

    from quiz.group_reports import group_dashboard
    from quiz.models import StudyGroup

    group = StudyGroup.objects.get(pk=group_id)
    timings = []
    for _ in range(runs):
        cache.clear()
        started = time.perf_counter()
        group_dashboard(group=group, now=timezone.now())
        timings.append(1000 * (time.perf_counter() - started))
    return statistics.median(timings)


def app_query_counts(paths: dict[str, tuple[str, str | None, bool, str]]) -> dict[str, int]:
    """Run one request per endpoint through the test client and count its SQL queries.

    `paths` maps an endpoint to (path, POST body or None, is_htmx, username).
    """
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user_model = get_user_model()
    counts = {}
    for name, (path, body, is_htmx, username) in paths.items():
        client = Client(SERVER_NAME="localhost")
        client.force_login(user_model.objects.get(username=username), backend=MODEL_BACKEND)
        headers = {"HX-Request": "true"} if is_htmx else {}

        def call(client=client, path=path, body=body, headers=headers):
            if body is None:
                return client.get(path, headers=headers)
            sequence = int(time.time() * 1_000_000)
            return client.post(
                path, f"{body}&seq={sequence}", "application/x-www-form-urlencoded", headers=headers
            )

        call()  # warm: the first request also fills per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = call()
        if response.status_code != 200:
            raise RuntimeError(f"{name}: {path} answered {response.status_code}")
        counts[name] = len(queries)
    return counts


def reference_query_counts(env: dict[str, str], username: str) -> dict[str, int]:
    import json

    result = subprocess.run(
        [sys.executable, "-m", "bench.reference.count_queries", username],
        cwd=REPO,
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.reference.settings"},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


def answers_saved_since(sequence: int) -> int:
    """Count the slots whose stored answer came from a save numbered `sequence` or later."""
    from quiz.models import AttemptQuestion

    return AttemptQuestion.objects.filter(answer_sequence__gte=sequence).count()


def slot_updates() -> tuple[int, int]:
    """(updates, heap-only updates) of attempt slots since statistics began (PostgreSQL)."""
    from django.db import connection

    from quiz.models import AttemptQuestion

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relid = %s::regclass",
            [AttemptQuestion._meta.db_table],
        )
        updated, heap_only = cursor.fetchone()
    return int(updated), int(heap_only)


def close_connections() -> None:
    from django.db import connections

    connections.close_all()
