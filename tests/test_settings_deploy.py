"""Production settings: `check --deploy` is clean, and debug off demands a secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_reports_no_issues_with_production_variables():
    result = run_manage(
        "check", "--deploy", "--fail-level", "DEBUG",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-real-secret-key-" + "x7Kq2vP9mZ4wR8tY1uJ6nB3cF5hL0sD" * 2,
        DJANGO_ALLOWED_HOSTS="quiz.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = run_manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def database_options(**env: str) -> str:
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])",
        DJANGO_DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/unused", **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_postgresql_prepares_repeated_statements_unless_a_pooler_forbids_it():
    default = database_options()
    assert "'prepare_threshold': 5" in default and "'server_side_binding': True" in default
    behind_pooler = database_options(DJANGO_DB_PREPARED_STATEMENTS="0")
    assert "prepare_threshold" not in behind_pooler and "jit=off" in behind_pooler
