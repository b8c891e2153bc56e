"""Time (and optionally profile) the benchmark's endpoints in-process, without gunicorn.

    python bench/profile_paths.py [--requests 300] [--profile autosave]

Builds the benchmark's data on a fresh PostgreSQL database (dropped afterwards), then calls the app's WSGI handler directly with each endpoint's requests and
prints milliseconds per request. With --profile, pyinstrument (pip install pyinstrument)
prints where one endpoint spends its time. This is the tool behind the fixes noted in
bench/results; `make bench` remains the measurement.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import fixtures
from bench.endpoints import endpoints_to_drive


def _environ(method: str, path: str, body: str | None, headers: dict[str, str]) -> dict:
    payload = (body or "").encode()
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(payload),
        "CONTENT_LENGTH": str(len(payload)),
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        else:
            environ[f"HTTP_{key}"] = value
    environ["HTTP_ORIGIN"] = "http://127.0.0.1:8000"
    return environ


def _time(handler, name: str, virtual, count: int, profile: bool = False) -> None:
    """Call the handler `count` times with the virtual user's requests, in turn."""
    sequence = int(time.time() * 1_000_000)

    def call(index: int) -> None:
        nonlocal sequence
        path, body = virtual.requests[index % len(virtual.requests)]
        if virtual.add_seq:
            sequence += 1
            body = f"{body}&seq={sequence}"
        status = []
        chunks = handler(
            _environ(virtual.method, path, body, virtual.headers),
            lambda code, headers: status.append(code),
        )
        b"".join(chunks)
        if not status[0].startswith("200"):
            raise SystemExit(f"{name}: {path} answered {status[0]}")

    for index in range(5):
        call(index)
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
    started = time.perf_counter()
    cpu_started = time.process_time()
    for index in range(count):
        call(index)
    wall = (time.perf_counter() - started) * 1000 / count
    cpu = (time.process_time() - cpu_started) * 1000 / count
    if profiler:
        profiler.stop()
        sys.stdout.write(
            profiler.output_text(unicode=False, color=False, show_all=bool(os.environ.get("ALL")))
        )
    sys.stdout.write(f"{name:<40} wall {wall:7.2f} ms  cpu {cpu:7.2f} ms\n")


def _time_reference(count: int, cookie: str, csrf_token: str) -> int:
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    from bench.loadgen import VirtualUser

    handler = WSGIHandler()
    form = "application/x-www-form-urlencoded"
    post_headers = {"Cookie": cookie, "X-CSRFToken": csrf_token, "Content-Type": form}
    insert = VirtualUser("POST", post_headers, [("/insert/", "text=hello")])
    page = VirtualUser("GET", {"Cookie": cookie}, [("/page/", None)])
    _time(handler, "reference INSERT (POST)", insert, count)
    _time(handler, "reference page (GET)", page, count)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", default="", help="endpoint name prefix to profile")
    parser.add_argument("--group-members", type=int, default=50)
    parser.add_argument("--reference", nargs=2, metavar=("COOKIE", "CSRF"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:
        return _time_reference(args.requests, *args.reference)

    name = f"profile_{int(time.time())}"
    env = fixtures.production_env(fixtures.create_database(name), secrets.token_urlsafe(50))
    fixtures.setup_django(env)
    fixtures.migrate(env)
    fixtures.load_bank()
    data = fixtures.build_data(
        user_count=2,
        history_attempts=200,
        group_members=args.group_members,
        group_attempts=20,
        group_questions=75,
    )

    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    user = data.users[0]
    try:
        for endpoint in endpoints_to_drive():
            if endpoint.server != "app":
                continue
            virtual = endpoint.build(user, "http://127.0.0.1:8000")
            # The long-history pages are slow by nature: fewer calls say enough.
            heavy = endpoint.as_history_user or endpoint.as_group_member
            profile = bool(args.profile) and endpoint.name.startswith(args.profile)
            _time(handler, endpoint.name, virtual, 10 if heavy else args.requests, profile)
        # The bare-Django reference, timed the same way in its own process.
        fixtures.close_connections()
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--requests",
                str(args.requests),
                "--reference",
                user.session.cookie,
                user.session.csrf_token,
            ],
            env={**env, "DJANGO_SETTINGS_MODULE": "bench.reference.settings"},
            check=True,
        )
    finally:
        fixtures.close_connections()
        fixtures.drop_database(name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
