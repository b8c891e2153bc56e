"""Deadlines and remaining time: the server's clock is the single truth."""

from __future__ import annotations

from datetime import datetime, timedelta

# Answers sent in the last moments reach the server a little late; accept them for a
# few seconds past the deadline so network latency never costs a learner an answer.
GRACE_SECONDS = 5
# How early a page whose clock ran out may say so (its clock starts from whole seconds).
TIME_UP_TOLERANCE_SECONDS = 3
WARNING_MINUTES = (15, 5)


def deadline_for(started_at: datetime, time_limit_seconds: int | None) -> datetime | None:
    """Return when an attempt started at `started_at` must end (None when untimed)."""
    if time_limit_seconds is None:
        return None
    return started_at + timedelta(seconds=time_limit_seconds)


def remaining_seconds(deadline_at: datetime | None, now: datetime) -> int | None:
    """Return whole seconds left before the deadline (0 when past, None when untimed)."""
    if deadline_at is None:
        return None
    return max(0, int((deadline_at - now).total_seconds()))


def accepts_answers(deadline_at: datetime | None, now: datetime) -> bool:
    """Return whether an answer arriving at `now` is in time, grace included."""
    return deadline_at is None or now <= deadline_at + timedelta(seconds=GRACE_SECONDS)


def clock_ran_out(deadline_at: datetime | None, now: datetime) -> bool:
    """Return whether a page's report that its clock reached zero is believable: the page
    counts from whole seconds, so it may arrive up to TIME_UP_TOLERANCE_SECONDS early."""
    if deadline_at is None:
        return False
    return deadline_at - now <= timedelta(seconds=TIME_UP_TOLERANCE_SECONDS)


def is_overdue(deadline_at: datetime | None, now: datetime) -> bool:
    """Return whether an attempt must be finalized because its time (and grace) is up."""
    return not accepts_answers(deadline_at, now)


def elapsed_seconds(
    started_at: datetime, finished_at: datetime, deadline_at: datetime | None
) -> int:
    """Return the time used, capped at the time limit."""
    end = min(finished_at, deadline_at) if deadline_at else finished_at
    return max(0, int((end - started_at).total_seconds()))
