from datetime import UTC, datetime, timedelta

from quiz.engine import timing
from quiz.engine.timing import (
    GRACE_SECONDS,
    accepts_answers,
    deadline_for,
    elapsed_seconds,
    is_overdue,
    remaining_seconds,
)

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_deadline_and_remaining_time():
    deadline = deadline_for(START, 180 * 60)
    assert deadline == START + timedelta(hours=3)
    assert remaining_seconds(deadline, START + timedelta(minutes=30)) == 150 * 60
    assert remaining_seconds(deadline, deadline + timedelta(minutes=1)) == 0
    assert deadline_for(START, None) is None
    assert remaining_seconds(None, START) is None


def test_answers_are_accepted_within_the_grace_and_refused_after_it():
    deadline = deadline_for(START, 600)
    assert accepts_answers(deadline, deadline + timedelta(seconds=GRACE_SECONDS))
    assert not accepts_answers(deadline, deadline + timedelta(seconds=GRACE_SECONDS + 1))
    assert is_overdue(deadline, deadline + timedelta(seconds=GRACE_SECONDS + 1))
    assert accepts_answers(None, START + timedelta(days=30))


def test_time_used_is_capped_at_the_limit():
    deadline = deadline_for(START, 600)
    assert elapsed_seconds(START, START + timedelta(hours=2), deadline) == 600
    assert elapsed_seconds(START, START + timedelta(seconds=90), deadline) == 90


def test_a_clock_that_ran_out_is_believed_only_near_the_deadline():
    deadline = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert timing.clock_ran_out(deadline, deadline - timedelta(seconds=timing.TIME_UP_TOLERANCE_SECONDS))
    assert timing.clock_ran_out(deadline, deadline + timedelta(minutes=1))
    assert not timing.clock_ran_out(deadline, deadline - timedelta(seconds=timing.TIME_UP_TOLERANCE_SECONDS + 1))
    assert not timing.clock_ran_out(None, deadline)  # untimed: no clock to run out
