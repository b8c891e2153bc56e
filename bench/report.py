"""The benchmark's report: the table, the notes and the summary line."""

from __future__ import annotations

import argparse
import os
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bench import fixtures
from bench.endpoints import (
    AUTOSAVE,
    GROUP_ATTEMPTS,
    GROUP_MEMBERS,
    GROUP_QUESTIONS,
    HISTORY_ATTEMPTS,
    QUESTION,
    Endpoint,
)
from bench.loadgen import LoadResult

CLIENT_CPU_LIMIT = 0.6  # share of one core above which the generator may be the bottleneck
SUMMARY_USERS = 50  # the ratios of the summary line are taken at this level


@dataclass
class Row:
    endpoint: Endpoint
    users: int
    load: LoadResult
    server_cpu_ms: float | None
    db_cpu_ms: float | None
    ratio: float | None = None


@dataclass
class Measurements:
    rows: list[Row]
    progress_alone: LoadResult
    group_alone: LoadResult
    memory_mb: dict[str, list[float | None]]
    answers_saved: int
    slot_updates: tuple[int, int]  # (all, heap-only) row updates of attempt slots
    load_before: str
    load_after: str


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _ratio(value: float | None) -> str:
    return "na" if value is None else f"{value:.2f}"


def _table(rows: list[Row], queries: dict[str, int], client: str) -> list[str]:
    lines = [
        "| endpoint | users | req/s | p50 ms | p95 ms | p99 ms | queries/req "
        "| app CPU ms/req | DB CPU ms/req | ratio to reference | client CPU |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        name = row.endpoint.name
        if row.endpoint.server == "reference":
            ratio = "1.00 (reference)"
        else:
            ratio = "–" if row.ratio is None else f"{row.ratio:.2f}"
        errors = f" ({row.load.error_count} errors)" if row.load.error_count else ""
        lines.append(
            f"| {name}{errors} | {row.users} | {_fmt(row.load.per_second)} "
            f"| {_fmt(row.load.p50_ms)} | {_fmt(row.load.p95_ms)} | {_fmt(row.load.p99_ms)} "
            f"| {queries.get(name, '–')} | {_fmt(row.server_cpu_ms, 2)} "
            f"| {_fmt(row.db_cpu_ms, 2)} | {ratio} | {row.load.client_cpu_share:.0%} |"
        )
    lines.append("")
    lines.append(f"Load generator: {client}; client CPU is the share of one core it used.")
    return lines


def _machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} cores, {model}"


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=fixtures.REPO, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=fixtures.REPO, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" + uncommitted changes" if dirty else "")


def report(
    args: argparse.Namespace,
    levels: list[int],
    generator: str,
    started_at: datetime,
    bank: tuple[float, float, str],
    data: fixtures.BenchData,
    queries: dict[str, int],
    measured: Measurements,
) -> tuple[list[str], str]:
    """Return the report's lines and the summary line."""
    rows = measured.rows
    by_key = {(row.endpoint.name, row.users): row for row in rows}
    for row in rows:
        reference = by_key.get((row.endpoint.compare_to, row.users))
        if reference and reference.load.per_second:
            row.ratio = row.load.per_second / reference.load.per_second
    first_load, reload, loaded = bank
    alone = measured.progress_alone
    group_alone = measured.group_alone
    lines = [
        f"# Benchmark {started_at:%Y-%m-%d %H:%M %Z}",
        "",
        f"Commit {_commit()}; {_machine()}; {args.seconds:g} s per run; gunicorn 2 sync "
        "workers per server, production settings, PostgreSQL, database sessions.",
        "",
        *_table(rows, queries, generator),
        "",
        "- question_ratio is the move between questions: Previous, Next and the navigator "
        "fetch only the question card (htmx); the whole page (first visit, reload, Back) is "
        "its own row.",
        f"- Progress page, 1 user alone ({HISTORY_ATTEMPTS} attempts, "
        f"{data.history_answers:,} answers): {alone.per_second:.1f} req/s, "
        f"p50 {alone.p50_ms:.1f} ms, p95 {alone.p95_ms:.1f} ms, p99 {alone.p99_ms:.1f} ms "
        "(progress_p50_ms below; with 10 and 50 users the p50 is mostly queueing; the history "
        "report comes from the cache until the user's results change). The first view after "
        f"a change, with the report recomputed, takes {data.progress_cold_ms:.1f} ms in-process "
        "for the whole page (median of 7).",
        f"- Group dashboard: one group of {GROUP_MEMBERS} members, each with {GROUP_ATTEMPTS} "
        f"finished attempts of {GROUP_QUESTIONS} questions ({data.group_answers:,} answers, "
        f"built in {data.group_build_seconds:.1f} s); the logged-in users are its members. "
        f"1 member alone: {group_alone.per_second:.1f} req/s, p50 {group_alone.p50_ms:.1f} ms, "
        f"p95 {group_alone.p95_ms:.1f} ms, p99 {group_alone.p99_ms:.1f} ms (group_p50_ms below; "
        f"the members' aggregates come from the cache until a member's results change). "
        f"With the aggregates recomputed (the first view after a change), the page's reads "
        f"take {data.group_cold_ms:.1f} ms in-process (median of 5).",
        f"- Bank load (load_content, in-process): first {first_load:.2f} s, "
        f"unchanged reload {reload:.2f} s ({loaded}).",
        f"- Autosave stored answers in {measured.answers_saved:,} distinct slots during the "
        "runs (checked in the database); of "
        f"{measured.slot_updates[0]:,} slot row updates in all, "
        f"{measured.slot_updates[1] / max(measured.slot_updates[0], 1):.0%} were heap-only "
        "(no new index entries).",
        f"- Machine load average (1 min) before and after the runs: {measured.load_before} / "
        f"{measured.load_after}; other processes on the machine skew absolute numbers.",
        "- Memory per gunicorn worker (RSS after the runs): "
        + "; ".join(
            f"{name} " + ", ".join(f"{_fmt(mb)} MB" for mb in values)
            for name, values in measured.memory_mb.items()
        )
        + ".",
    ]
    busy = [
        f"{row.endpoint.name} at {row.users} users ({row.load.client_cpu_share:.0%})"
        for row in rows
        if row.load.client_cpu_share > CLIENT_CPU_LIMIT
    ]
    if busy:
        lines.append(
            f"- Note: the load generator used more than {CLIENT_CPU_LIMIT:.0%} of one core in "
            + "; ".join(busy)
            + ": it may be the bottleneck there."
        )
    failing = [row for row in rows if row.load.error_count]
    if failing:
        lines.append(
            "- Errors: "
            + "; ".join(f"{r.endpoint.name} at {r.users} users {r.load.errors}" for r in failing)
        )
    summary_users = SUMMARY_USERS if SUMMARY_USERS in levels else max(levels)
    ratio_of = {row.endpoint.name: row.ratio for row in rows if row.users == summary_users}
    summary = (
        f"bench: autosave_ratio={_ratio(ratio_of[AUTOSAVE])} "
        f"question_ratio={_ratio(ratio_of[QUESTION])} progress_p50_ms={alone.p50_ms:.1f} "
        f"group_p50_ms={group_alone.p50_ms:.1f} reload_s={reload:.2f}"
    )
    return lines, summary
