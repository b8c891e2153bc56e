"""The hot-path benchmark: the app and a bare-Django reference, side by side in one run.

Both run under gunicorn (2 sync workers, production settings) on the same fresh PostgreSQL
database and are driven by the same load generator, endpoint after endpoint, at 10 and
then 50 concurrent logged-in users. Ratios to the reference are what count: absolute
numbers drift between runs on shared machines (see /work/shared/perf-anchors.md).
"""

from __future__ import annotations

import argparse
import http.client
import secrets
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import fixtures, loadgen, report, servers
from bench.endpoints import (
    GROUP_ATTEMPTS,
    GROUP_MEMBERS,
    GROUP_QUESTIONS,
    HISTORY_ATTEMPTS,
    Endpoint,
    endpoints_to_drive,
)
from bench.loadgen import LoadResult, VirtualUser
from bench.report import Measurements, Row

RESULTS_DIR = Path(__file__).resolve().parent / "results"
WARMUP_SECONDS = 1


def _check_once(base_url: str, user: VirtualUser, name: str) -> None:
    """One request through gunicorn: it must answer 200 as a logged-in user would see it."""
    path, body = user.requests[0]
    if user.add_seq:
        body = f"{body}&seq={int(time.time() * 1_000_000)}"
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request(user.method, path, body=body, headers=user.headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    connection.close()
    if response.status != 200 or 'name="password"' in text:
        raise RuntimeError(
            f"{name}: {user.method} {path} answered {response.status}:\n{text[:500]}"
        )


def _measure(
    generator: str,
    server: servers.Gunicorn,
    virtual_users: list[VirtualUser],
    seconds: float,
    database_name: str,
) -> tuple[LoadResult, float | None, float | None]:
    workers = server.worker_pids()
    # Warm-up opened each worker's persistent connection, so the backends already exist.
    database = servers.postgres_backends(database_name)
    server_before = servers.cpu_seconds(workers)
    db_before = servers.cpu_seconds(database)
    load = loadgen.run_load(generator, server.base_url, virtual_users, seconds)
    server_cpu = servers.cpu_seconds(workers) - server_before
    db_cpu = servers.cpu_seconds(database) - db_before
    if not load.requests:
        return load, None, None
    return (
        load,
        1000 * server_cpu / load.requests,
        1000 * db_cpu / load.requests if database else None,
    )


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="length of each run (20)")
    parser.add_argument(
        "--users", default="10,50", help="concurrency levels, comma-separated (10,50)"
    )
    parser.add_argument("--client", choices=["auto", "wrk", "aiohttp"], default="auto")
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    return parser.parse_args(argv)


def _query_counts(
    env: dict[str, str], data: fixtures.BenchData, endpoints: list[Endpoint]
) -> dict[str, int]:
    """SQL queries of one request per endpoint, made in-process as the first user."""
    first = data.users[0]
    app_requests = {}
    for endpoint in endpoints:
        if endpoint.server == "app":
            path, body = endpoint.build(first, "").requests[0]
            username = first.username
            if endpoint.as_history_user:
                username = data.history_username
            elif endpoint.as_group_member:
                username = data.group_usernames[0]  # the member users[0] logs in as
            app_requests[endpoint.name] = (path, body, endpoint.is_htmx, username)
    counts = fixtures.app_query_counts(app_requests)
    reference = fixtures.reference_query_counts(env, first.username)
    for endpoint in endpoints:
        if endpoint.server == "reference":
            counts[endpoint.name] = reference[endpoint.reference_key]
    return counts


def _drive(
    args: argparse.Namespace,
    levels: list[int],
    generator: str,
    database: str,
    data: fixtures.BenchData,
    endpoints: list[Endpoint],
    server_of: dict[str, servers.Gunicorn],
) -> Measurements:
    first = data.users[0]
    for endpoint in endpoints:
        server = server_of[endpoint.server]
        _check_once(server.base_url, endpoint.build(first, server.base_url), endpoint.name)
        warm_users = [endpoint.build(u, server.base_url) for u in data.users[: min(levels)]]
        loadgen.run_load(generator, server.base_url, warm_users, WARMUP_SECONDS)

    def settle() -> None:
        workers = [pid for server in server_of.values() for pid in server.worker_pids()]
        if not servers.wait_idle(workers):
            say("  (servers still busy after 60 s; measuring anyway)")

    first_sequence = int(time.time() * 1_000_000)
    updates_before = fixtures.slot_updates()
    load_before = report.load_average()
    rows: list[Row] = []
    for users in levels:
        for endpoint in endpoints:
            server = server_of[endpoint.server]
            virtual_users = [endpoint.build(u, server.base_url) for u in data.users[:users]]
            settle()
            load, server_cpu, db_cpu = _measure(
                generator, server, virtual_users, args.seconds, database
            )
            rows.append(Row(endpoint, users, load, server_cpu, db_cpu))
            say(
                f"  {endpoint.name:<38} {users:>3} users {load.per_second:8.1f} req/s "
                f"p50 {load.p50_ms:7.1f} ms p99 {load.p99_ms:7.1f} ms"
                + (f" errors {load.errors}" if load.error_count else "")
            )
    # The progress page and the group dashboard with one user each: their own latency,
    # without queueing (the target).
    app = server_of["app"]

    def measure_alone(endpoint: Endpoint) -> LoadResult:
        settle()
        return loadgen.run_load(
            generator, app.base_url, [endpoint.build(first, app.base_url)], args.seconds
        )

    alone = measure_alone(next(endpoint for endpoint in endpoints if endpoint.as_history_user))
    group_alone = measure_alone(
        next(endpoint for endpoint in endpoints if endpoint.as_group_member)
    )
    saved = fixtures.answers_saved_since(first_sequence)
    if not saved:
        raise RuntimeError("autosave answered 200 but stored no answer")
    updates_after = fixtures.slot_updates()
    slot_updates = (updates_after[0] - updates_before[0], updates_after[1] - updates_before[1])
    return Measurements(
        rows=rows,
        progress_alone=alone,
        group_alone=group_alone,
        memory_mb={
            name: [servers.rss_mb(pid) for pid in server.worker_pids()]
            for name, server in server_of.items()
        },
        answers_saved=saved,
        slot_updates=slot_updates,
        load_before=load_before,
        load_after=report.load_average(),
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    levels = [int(level) for level in args.users.split(",")]
    generator = loadgen.pick_generator(args.client)
    started_at = datetime.now(UTC).astimezone()
    database = f"bench_{started_at:%Y%m%d_%H%M%S}"
    say(f"bench: database {database}, {args.seconds:g} s per run, users {levels}, {generator}")

    database_url = fixtures.create_database(database)
    server_of: dict[str, servers.Gunicorn] = {}
    try:
        env = fixtures.production_env(database_url, secrets.token_urlsafe(50))
        fixtures.setup_django(env)
        fixtures.migrate(env)
        bank = fixtures.load_bank()
        say(f"bank: {bank[2]} first load {bank[0]:.2f} s, unchanged reload {bank[1]:.2f} s")
        data = fixtures.build_data(
            user_count=max(levels),
            history_attempts=HISTORY_ATTEMPTS,
            group_members=GROUP_MEMBERS,
            group_attempts=GROUP_ATTEMPTS,
            group_questions=GROUP_QUESTIONS,
        )
        say(
            f"data: {len(data.users)} users with an open and a finished 75-question exam; "
            f"{data.history_username}: {HISTORY_ATTEMPTS} attempts, {data.history_answers:,} "
            f"answers; group of {GROUP_MEMBERS} members x {GROUP_ATTEMPTS} attempts of "
            f"{GROUP_QUESTIONS} questions, {data.group_answers:,} answers "
            f"({data.group_build_seconds:.1f} s); {data.build_seconds:.1f} s in all"
        )
        endpoints = endpoints_to_drive()
        queries = _query_counts(env, data, endpoints)
        fixtures.close_connections()

        log_dir = Path(tempfile.mkdtemp(prefix="bench-logs-"))
        reference_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.reference.settings"}
        for name, app, server_env in (
            ("app", "config.wsgi:application", env),
            ("reference", "bench.reference.wsgi:application", reference_env),
        ):
            server_of[name] = servers.Gunicorn(
                name, app, env=server_env, cwd=fixtures.REPO, log_dir=log_dir
            )
            server_of[name].start()
        measured = _drive(args, levels, generator, database, data, endpoints, server_of)
    finally:
        for server in server_of.values():
            server.stop()
        fixtures.close_connections()
        if not args.keep_db:
            fixtures.drop_database(database)

    lines, summary = report.report(
        args, levels, generator, started_at, bank, data, queries, measured
    )
    RESULTS_DIR.mkdir(exist_ok=True)
    result_file = RESULTS_DIR / f"{started_at:%Y-%m-%d-%H%M}.md"
    result_file.write_text("\n".join([*lines, "", summary]) + "\n")
    say()
    for line in lines:
        say(line)
    say(f"\nWritten to {result_file.relative_to(fixtures.REPO)}")
    say(summary)
    return 0
