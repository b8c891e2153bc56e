"""Load and durability test: a class of students takes the full mock exam at once.

Two gunicorn servers (2 sync workers each, production settings) share a fresh PostgreSQL
database; with --sqlite (or without DATABASE_URL) one server runs on a temporary SQLite
file. Every student logs in, starts a 75-question exam and autosaves its answers the way
a flaky network delivers them: answers changed later, the same POST sent twice, an older
request arriving after a newer one, requests alternating between the servers. After the
exams are submitted, the database is checked student by student: every slot must hold the
answer with the highest sequence the student sent, and the score must match those answers.

The last line is the summary CI reads; the exit status is non-zero on any lost answer,
wrong score, unexpected response or server error.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make load
    .venv/bin/python loadtest/run.py --sqlite             # 20 students, one server
    .venv/bin/python loadtest/run.py --keep-db            # use DATABASE_URL itself, keep it
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aiohttp

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-Password-42"
WORKERS_PER_SERVER = 2
# The embedded SQLite default (one server, one writer at a time) is meant for a small group.
STUDENTS_POSTGRESQL = 50
STUDENTS_SQLITE = 20
READY_TIMEOUT_SECONDS = 30

# How a student treats one slot: the weights are the share of slots.
SCENARIOS = {
    "plain": 56,  # answer once
    "change": 11,  # answer, then change the answer at once
    "retry": 11,  # the same POST sent twice (sequentially or in parallel, to both servers)
    "late": 11,  # a newer and an older answer, the older arriving last (or racing it)
    "revisit": 11,  # answer now, come back some slots later and answer differently
}

CHOICE_INPUT = re.compile(r"<input\b[^>]*\bname=\"choice\"[^>]*>")
CHOICE_VALUE = re.compile(r"\bvalue=\"(\d+)\"")
SELECT_COUNT = re.compile(r"Select (TWO|THREE)\.")
NAV_CELL = re.compile(r"id=\"nav-\d+\"")
ATTEMPT_URL = re.compile(r"/attempts/(\d+)/questions/1/$")
REQUIRED = {"TWO": 2, "THREE": 3}


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------------------------------
# Database and servers


@dataclass
class Database:
    """Where this run's data lives, and how to get rid of it afterwards."""

    url: str
    label: str
    admin_url: str | None = None  # PostgreSQL: the database used to create and drop ours
    name: str | None = None

    @classmethod
    def for_run(cls, args: argparse.Namespace, workdir: Path) -> Database:
        url = os.environ.get("DATABASE_URL", "")
        if args.sqlite or not url.startswith(("postgres://", "postgresql://")):
            path = workdir / "load.sqlite3"
            return cls(url=f"sqlite:///{path}", label=f"SQLite {path}")
        if args.keep_db:
            return cls(url=url, label=f"PostgreSQL {urlsplit(url).path.lstrip('/')} (kept)")
        name = f"load_{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}"
        parts = urlsplit(url)
        fresh = urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))
        database = cls(url=fresh, label=f"PostgreSQL {name}", admin_url=url, name=name)
        database._admin(f'CREATE DATABASE "{name}"')
        return database

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite:")

    def drop(self) -> None:
        if self.name:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            say(f"dropped database {self.name}")

    def _admin(self, statement: str) -> None:
        import dj_database_url
        import psycopg

        config = dj_database_url.parse(self.admin_url)
        with psycopg.connect(
            dbname=config["NAME"],
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            autocommit=True,
        ) as connection:
            connection.execute(statement)


def server_environment(database: Database, workdir: Path) -> dict[str, str]:
    """Production settings on plain-HTTP loopback, plus a throwaway STATIC_ROOT."""
    # STATIC_ROOT is not an environment setting, so a generated module extends the real
    # settings with a temporary one (the manifest storage needs collectstatic to render).
    (workdir / "loadtest_settings.py").write_text(
        f"from config.settings import *  # noqa: F403\nSTATIC_ROOT = {str(workdir / 'static')!r}\n"
    )
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database.url,
        DJANGO_SETTINGS_MODULE="loadtest_settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        PYTHONPATH=os.pathsep.join([str(workdir), str(BASE_DIR)]),
    )
    return env


def prepare_database(env: dict[str, str], usernames: list[str]) -> None:
    """Migrate, load the bank, collect static files and create the students (in-process)."""
    os.environ.update(env)
    for path in (str(BASE_DIR), env["PYTHONPATH"].split(os.pathsep)[0]):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_content")
    call_command("collectstatic", interactive=False, verbosity=0)
    hashed = make_password(PASSWORD)  # hashing once keeps setup fast; each login still checks it
    for username in usernames:
        User.objects.update_or_create(username=username, defaults={"password": hashed})
    connections.close_all()


def _die_with_parent() -> None:
    # Linux: if this runner is killed outright (no finally), the kernel stops the server too.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    def start(cls, env: dict[str, str], workdir: Path, index: int) -> Server:
        port = free_port()
        log_path = workdir / f"gunicorn-{index}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi",
                    f"--workers={WORKERS_PER_SERVER}",
                    f"--bind=127.0.0.1:{port}",
                    f"--chdir={BASE_DIR}",
                    "--log-level=warning",
                    "--timeout=60",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as one
                preexec_fn=_die_with_parent,
            )
        return cls(port, process, log_path)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


async def wait_until_ready(servers: list[Server]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    async with aiohttp.ClientSession() as http:
        for server in servers:
            while True:
                if server.process.poll() is not None:
                    raise RuntimeError(f"gunicorn on {server.port} exited:\n{server.log_tail()}")
                with contextlib.suppress(aiohttp.ClientError, OSError):
                    async with http.get(server.base_url + "/accounts/login/") as response:
                        if response.status == 200:
                            break
                        raise RuntimeError(
                            f"{server.base_url} answered {response.status}:\n{server.log_tail()}"
                        )
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn on {server.port} not ready:\n{server.log_tail()}")
                await asyncio.sleep(0.2)


# ---------------------------------------------------------------------------------------
# Students


@dataclass
class Metrics:
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    server_errors: int = 0
    unexpected: int = 0  # 4xx, or an autosave answered by a redirect
    stale_screens: int = 0  # a question screen not showing the student's last saved answer
    samples: list[str] = field(default_factory=list)

    def note(self, problem: str) -> None:
        if len(self.samples) < 10:
            self.samples.append(problem)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str


class Student:
    def __init__(
        self, index: int, username: str, servers: list[str], rng: random.Random, metrics: Metrics
    ):
        self.username = username
        self.servers = servers
        self.rng = rng
        self.metrics = metrics
        self.request_count = index  # students start on different servers, then alternate
        self.sequence = 0
        self.attempt_id: int | None = None
        self.last_answer: dict[int, tuple[int, frozenset[int]]] = {}
        self.autosaves_sent = 0
        self.http: aiohttp.ClientSession | None = None

    # -- plumbing

    def next_server(self) -> str:
        server = self.servers[self.request_count % len(self.servers)]
        self.request_count += 1
        return server

    def next_sequence(self) -> int:
        # Like the browser: milliseconds, but strictly increasing even within one ms.
        self.sequence = max(self.sequence + 1, int(time.time() * 1000))
        return self.sequence

    def csrf_token(self) -> str:
        for cookie in self.http.cookie_jar:
            if cookie.key == "csrftoken":
                return cookie.value
        return ""

    async def send(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        data=None,
        htmx: bool = False,
        server: str | None = None,
    ) -> Reply | None:
        headers = {"X-CSRFToken": self.csrf_token()} if method == "POST" else {}
        if htmx:
            headers["HX-Request"] = "true"
        url = (server or self.next_server()) + path
        started = time.perf_counter()
        try:
            async with self.http.request(
                method, url, data=data, headers=headers, allow_redirects=False
            ) as response:
                reply = Reply(response.status, dict(response.headers), await response.text())
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            self.metrics.server_errors += 1
            self.metrics.note(f"{method} {url}: {error!r}")
            return None
        self.metrics.latency[kind].append(time.perf_counter() - started)
        if reply.status >= 500:
            self.metrics.server_errors += 1
            self.metrics.note(f"{method} {url}: {reply.status}")
        elif reply.status >= 400:
            self.metrics.unexpected += 1
            self.metrics.note(f"{method} {url}: {reply.status} {reply.body[:120]!r}")
        return reply

    # -- the exam

    async def take_exam(self) -> None:
        jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1, shared by both ports
        timeout = aiohttp.ClientTimeout(total=90)
        async with aiohttp.ClientSession(cookie_jar=jar, timeout=timeout) as self.http:
            await self.log_in()
            await self.start_exam()
            if self.attempt_id is None:
                return
            await self.answer_all()
            reply = await self.send("submit", "POST", f"/attempts/{self.attempt_id}/submit/")
            if reply and reply.status != 302:
                self.metrics.unexpected += 1
                self.metrics.note(f"{self.username}: submit answered {reply.status}")

    async def log_in(self) -> None:
        await self.send("login", "GET", "/accounts/login/")
        reply = await self.send(
            "login",
            "POST",
            "/accounts/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.csrf_token(),
            },
        )
        if reply and reply.status != 302:
            self.metrics.unexpected += 1
            self.metrics.note(f"{self.username}: login answered {reply.status}")

    async def start_exam(self) -> None:
        reply = await self.send("start", "POST", "/exams/full/")
        match = ATTEMPT_URL.search(reply.headers.get("Location", "")) if reply else None
        if match is None:
            self.metrics.unexpected += 1
            self.metrics.note(f"{self.username}: no attempt started ({reply and reply.status})")
            return
        self.attempt_id = int(match.group(1))

    async def answer_all(self) -> None:
        revisits: dict[int, list[int]] = defaultdict(list)  # due slot -> slots to re-answer
        slot, total = 1, 1
        while slot <= total:
            screen = await self.question_screen(slot)
            if screen is None:
                return
            choices, required, total = screen
            scenario = self.rng.choices(list(SCENARIOS), weights=list(SCENARIOS.values()))[0]
            first = self.pick(choices, required)
            if scenario == "plain":
                await self.autosave(slot, first, self.next_sequence())
            elif scenario == "change":
                await self.autosave(slot, first, self.next_sequence())
                await self.autosave(
                    slot, self.pick(choices, required, unlike=first), self.next_sequence()
                )
            elif scenario == "retry":
                await self.retried(slot, first, self.next_sequence())
            elif scenario == "late":
                await self.late(slot, choices, required, first)
            else:
                sequence = self.next_sequence()
                await self.autosave(slot, first, sequence)
                due = min(slot + self.rng.randint(2, 12), total)
                revisits[due].append(slot)
            for earlier in revisits.pop(slot, []):
                await self.revisit(earlier)
            slot += 1

    async def question_screen(self, slot: int) -> tuple[list[int], int, int] | None:
        reply = await self.send("question", "GET", self.question_path(slot))
        if reply is None or reply.status != 200:
            if reply is not None and reply.status < 400:
                self.metrics.unexpected += 1
                self.metrics.note(f"{self.username} slot {slot}: screen answered {reply.status}")
            return None
        inputs = CHOICE_INPUT.findall(reply.body)
        choices = [int(CHOICE_VALUE.search(tag).group(1)) for tag in inputs]
        checked = frozenset(
            int(CHOICE_VALUE.search(tag).group(1)) for tag in inputs if " checked" in tag
        )
        expected = self.last_answer.get(slot, (0, frozenset()))[1]
        if checked != expected:
            self.metrics.stale_screens += 1
            self.metrics.note(
                f"{self.username} slot {slot}: screen shows {set(checked)}, saved {set(expected)}"
            )
        count = SELECT_COUNT.search(reply.body)
        required = REQUIRED[count.group(1)] if count else 1
        return choices, required, len(NAV_CELL.findall(reply.body))

    def pick(
        self, choices: list[int], required: int, unlike: frozenset[int] | None = None
    ) -> frozenset[int]:
        while True:
            picked = frozenset(self.rng.sample(choices, required))
            if picked != unlike:
                return picked

    def question_path(self, slot: int) -> str:
        return f"/attempts/{self.attempt_id}/questions/{slot}/"

    async def autosave(
        self, slot: int, choices: frozenset[int], sequence: int, server: str | None = None
    ) -> None:
        # The student sent it, so it counts even if the network loses the reply.
        if sequence > self.last_answer.get(slot, (0, frozenset()))[0]:
            self.last_answer[slot] = (sequence, choices)
        self.autosaves_sent += 1
        data = [("seq", str(sequence))] + [("choice", str(choice)) for choice in sorted(choices)]
        reply = await self.send(
            "autosave", "POST", self.question_path(slot), data=data, htmx=True, server=server
        )
        if reply and reply.status < 400 and (reply.status != 200 or "HX-Redirect" in reply.headers):
            self.metrics.unexpected += 1
            self.metrics.note(f"{self.username} slot {slot}: autosave answered {reply.status}")

    async def retried(self, slot: int, choices: frozenset[int], sequence: int) -> None:
        """The same POST twice: a retry after a lost reply, or a double send racing itself."""
        if self.rng.random() < 0.5:
            await self.autosave(slot, choices, sequence)
            await self.autosave(slot, choices, sequence)
        else:
            first_server, second_server = self.servers[0], self.servers[-1]
            await asyncio.gather(
                self.autosave(slot, choices, sequence, server=first_server),
                self.autosave(slot, choices, sequence, server=second_server),
            )

    async def late(
        self, slot: int, choices: list[int], required: int, older: frozenset[int]
    ) -> None:
        """An older answer arrives after (or races) the newer one; the newer must stay."""
        older_sequence = self.next_sequence()
        newer = self.pick(choices, required, unlike=older)
        newer_sequence = self.next_sequence()
        if self.rng.random() < 0.5:
            await self.autosave(slot, newer, newer_sequence)
            await self.autosave(slot, older, older_sequence)
        else:
            await asyncio.gather(
                self.autosave(slot, newer, newer_sequence),
                self.autosave(slot, older, older_sequence),
            )

    async def revisit(self, slot: int) -> None:
        """Go back to a slot, change the answer; sometimes the old request is retried late."""
        screen = await self.question_screen(slot)
        if screen is None:
            return
        choices, required, _total = screen
        old_sequence, old_choices = self.last_answer[slot]
        await self.autosave(
            slot, self.pick(choices, required, unlike=old_choices), self.next_sequence()
        )
        if self.rng.random() < 0.4:
            await self.autosave(slot, old_choices, old_sequence)


async def run_class(students: list[Student], servers: list[Server]) -> float:
    """Let every student take the exam at once; return the wall time in seconds."""
    await wait_until_ready(servers)
    started = time.perf_counter()
    await asyncio.gather(*(student.take_exam() for student in students))
    return time.perf_counter() - started


# ---------------------------------------------------------------------------------------
# Verification and report


@dataclass
class Verdict:
    slots_checked: int = 0
    lost: int = 0
    wrong_scores: int = 0
    unfinished: int = 0
    problems: list[str] = field(default_factory=list)

    def note(self, problem: str) -> None:
        if len(self.problems) < 10:
            self.problems.append(problem)


def verify(students: list[Student]) -> Verdict:
    """Compare every stored slot and score with what each student last sent."""
    from django.db import connections

    from quiz.models import Attempt, AttemptQuestion, Choice, ChosenChoice

    verdict = Verdict()
    by_attempt = {s.attempt_id: s for s in students if s.attempt_id is not None}
    verdict.unfinished += len(students) - len(by_attempt)
    correct: dict[int, set[int]] = defaultdict(set)
    for question_id, choice_id in Choice.objects.filter(is_correct=True).values_list(
        "question_id", "pk"
    ):
        correct[question_id].add(choice_id)
    chosen: dict[int, set[int]] = defaultdict(set)
    for slot_id, choice_id in ChosenChoice.objects.filter(
        attempt_question__attempt_id__in=by_attempt
    ).values_list("attempt_question_id", "choice_id"):
        chosen[slot_id].add(choice_id)
    deserved: dict[int, int] = defaultdict(int)
    for slot in AttemptQuestion.objects.filter(attempt_id__in=by_attempt):
        student = by_attempt[slot.attempt_id]
        expected = student.last_answer.get(slot.slot, (0, frozenset()))[1]
        stored = slot.selected_choice_ids
        verdict.slots_checked += 1
        if sorted(stored) != sorted(expected) or len(set(stored)) != len(stored):
            verdict.lost += 1
            verdict.note(
                f"{student.username} slot {slot.slot}: stored {stored}, last sent {sorted(expected)}"
            )
        is_right = expected == correct[slot.question_id]
        deserved[slot.attempt_id] += is_right
        if slot.is_correct is not is_right or chosen[slot.pk] != set(stored):
            verdict.wrong_scores += 1
            verdict.note(
                f"{student.username} slot {slot.slot}: graded {slot.is_correct}, chosen {chosen[slot.pk]}"
            )
    for attempt in Attempt.objects.filter(pk__in=by_attempt):
        student = by_attempt[attempt.pk]
        if not attempt.is_finished:
            verdict.unfinished += 1
            verdict.note(f"{student.username}: attempt {attempt.pk} is still {attempt.status}")
        elif attempt.correct_count != deserved[attempt.pk]:
            verdict.wrong_scores += 1
            verdict.note(
                f"{student.username}: score {attempt.correct_count}, deserved {deserved[attempt.pk]}"
            )
    connections.close_all()
    return verdict


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    rank = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


def report(metrics: Metrics, wall_seconds: float) -> dict[str, tuple[float, float]]:
    """Print a latency table; return {kind: (requests per second, p95 ms)}."""
    say(
        f"{'request':<10} {'count':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    summary = {}
    for kind in ("login", "start", "question", "autosave", "submit"):
        values = sorted(metrics.latency.get(kind, []))
        rps = len(values) / wall_seconds if wall_seconds else 0.0
        p50, p95, p99 = (percentile(values, f) * 1000 for f in (0.50, 0.95, 0.99))
        top = values[-1] * 1000 if values else 0.0
        say(
            f"{kind:<10} {len(values):>6} {rps:>8.1f} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} {top:>8.1f}"
        )
        summary[kind] = (rps, p95)
    total = sum(len(v) for v in metrics.latency.values())
    say(f"{'all':<10} {total:>6} {total / wall_seconds if wall_seconds else 0:>8.1f}")
    return summary


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sqlite", action="store_true", help="One server on a temporary SQLite file."
    )
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help="Run in the PostgreSQL database of DATABASE_URL itself (migrated, bank loaded, "
        "students added; never dropped) instead of a fresh one.",
    )
    parser.add_argument(
        "--students",
        type=int,
        default=None,
        help=f"Students at once (default {STUDENTS_POSTGRESQL} on PostgreSQL, "
        f"{STUDENTS_SQLITE} on SQLite).",
    )
    parser.add_argument("--seed", type=int, default=None, help="Seed for the students' choices.")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    seed = args.seed if args.seed is not None else secrets.randbits(32)
    workdir = Path(tempfile.mkdtemp(prefix="quiz-load-"))
    database: Database | None = None
    servers: list[Server] = []
    metrics = Metrics()
    # SIGTERM (CI cancelling the job) unwinds like Ctrl-C, so the servers are always stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        database = Database.for_run(args, workdir)
        student_count = args.students or (
            STUDENTS_SQLITE if database.is_sqlite else STUDENTS_POSTGRESQL
        )
        say(f"load: {database.label}, {student_count} students, seed {seed}")
        env = server_environment(database, workdir)
        usernames = [f"load-student-{n:03d}" for n in range(1, student_count + 1)]
        prepare_database(env, usernames)
        server_count = 1 if database.is_sqlite else 2
        children_cpu = _children_cpu_seconds()
        servers = [Server.start(env, workdir, index) for index in range(server_count)]
        say(
            "servers: "
            + ", ".join(s.base_url for s in servers)
            + f" ({WORKERS_PER_SERVER} sync workers each)"
        )
        bases = [s.base_url for s in servers]
        students = [
            Student(index, name, bases, random.Random(seed * 1000 + index), metrics)
            for index, name in enumerate(usernames)
        ]
        client_cpu = time.process_time()
        wall_seconds = asyncio.run(run_class(students, servers))
        client_cpu = time.process_time() - client_cpu
        load_average = os.getloadavg()[0]
        if metrics.server_errors:
            for server in servers:
                say(f"--- gunicorn {server.port} log tail ---\n{server.log_tail()}")
        for server in servers:
            server.stop()
        # Stopped servers have been reaped, so their workers' CPU time is counted now.
        server_cpu = _children_cpu_seconds() - children_cpu
        verdict = verify(students)
    finally:
        for server in servers:
            server.stop()
        if database is not None:
            with contextlib.suppress(Exception):
                from django.db import connections

                connections.close_all()
            database.drop()
        shutil.rmtree(workdir, ignore_errors=True)

    answers = sum(s.autosaves_sent for s in students)
    # The machine is shared: the load average and the client's own CPU put the figures in context.
    say(
        f"exam phase: {wall_seconds:.1f} s for {len(students)} students; CPU used: "
        f"servers {server_cpu:.1f} s, client {client_cpu:.1f} s; 1-min load average "
        f"{load_average:.1f} on {os.cpu_count()} CPUs"
    )
    summary = report(metrics, wall_seconds)
    requests = sum(len(values) for values in metrics.latency.values())
    say(f"server CPU per request: {server_cpu * 1000 / max(requests, 1):.1f} ms (logins included)")
    say(
        f"checked {verdict.slots_checked} slots: lost={verdict.lost} wrong_scores={verdict.wrong_scores} "
        f"unfinished={verdict.unfinished} unexpected_responses={metrics.unexpected} "
        f"stale_screens={metrics.stale_screens}"
    )
    for problem in metrics.samples + verdict.problems:
        say(f"  ! {problem}")
    autosave_rps, autosave_p95 = summary["autosave"]
    failed = (
        verdict.lost
        or metrics.server_errors
        or verdict.wrong_scores
        or verdict.unfinished
        or metrics.unexpected
        or metrics.stale_screens
    )
    say(
        f"load: students={len(students)} answers={answers} lost={verdict.lost} "
        f"server_errors={metrics.server_errors} autosave_rps={autosave_rps:.1f} "
        f"autosave_p95_ms={autosave_p95:.1f}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
