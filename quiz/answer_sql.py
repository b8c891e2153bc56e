"""The two statements of an autosave, written out in SQL.

Autosave is the request a learner makes most (every click on a choice), and building
these two statements through the ORM (a three-table select with two correlated counts,
an UPDATE guarded by EXISTS) cost more CPU than running them: ~1.5 ms of ORM work per
save against ~0.1 ms of SQL (bench/profile_paths.py). The SQL is plain SQL that SQLite
and PostgreSQL both run; values go through the model fields in both directions, so
types come out as the ORM would give them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from django.db import connection
from django.db.models import Model

from quiz.engine import timing
from quiz.models import Attempt, AttemptQuestion, Question

SLOT = AttemptQuestion._meta.db_table
ATTEMPT = Attempt._meta.db_table
QUESTION = Question._meta.db_table

SLOT_COLUMNS = (
    "id",
    "slot",
    "choice_order",
    "selected_choice_ids",
    "is_flagged",
    "is_answered",
    "is_correct",
)
ATTEMPT_COLUMNS = ("id", "user_id", "mode", "status", "question_count", "started_at", "deadline_at")
QUESTION_COLUMNS = ("id", "kind")


def _select_list(alias: str, columns: tuple[str, ...]) -> str:
    return ", ".join(f"{alias}.{column}" for column in columns)


# One slot of one user's attempt, with the attempt's answered and flagged counts as they
# stand before the write (the reply's progress counter then costs no second query).
SLOT_TO_WRITE = f"""
SELECT {_select_list("s", SLOT_COLUMNS)}, {_select_list("a", ATTEMPT_COLUMNS)},
       {_select_list("q", QUESTION_COLUMNS)},
       (SELECT COUNT(*) FROM {SLOT} o WHERE o.attempt_id = s.attempt_id AND o.is_answered),
       (SELECT COUNT(*) FROM {SLOT} o WHERE o.attempt_id = s.attempt_id AND o.is_flagged)
FROM {SLOT} s
JOIN {ATTEMPT} a ON a.id = s.attempt_id
JOIN {QUESTION} q ON q.id = s.question_id
WHERE s.attempt_id = %s AND s.slot = %s AND a.user_id = %s
"""

# True while the slot's attempt is in progress and within its time (grace included).
_ATTEMPT_STILL_OPEN = f"""EXISTS (
    SELECT 1 FROM {ATTEMPT} a WHERE a.id = {SLOT}.attempt_id AND a.status = %s
    AND (a.deadline_at IS NULL OR a.deadline_at >= %s))"""

# Store a selection unless a newer one is stored or the slot is graded (see answer_save).
SAVE_SELECTION = f"""
UPDATE {SLOT}
SET selected_choice_ids = %s, is_answered = %s, answer_sequence = %s, answered_at = %s,
    time_spent_seconds = COALESCE(%s, time_spent_seconds)
WHERE id = %s AND answer_sequence < %s AND is_correct IS NULL AND {_ATTEMPT_STILL_OPEN}
"""

SET_FLAG = f"UPDATE {SLOT} SET is_flagged = %s WHERE id = %s AND {_ATTEMPT_STILL_OPEN}"


@cache
def _converters(model: type[Model], columns: tuple[str, ...], vendor: str):
    """The ORM's own converters (backend's, then field's) for these columns."""
    del vendor  # part of the cache key: SQLite and PostgreSQL convert differently
    result = []
    for column in columns:
        expression = model._meta.get_field(column).get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(expression)
        result.append((expression, converters + expression.get_db_converters(connection)))
    return result


def _instance(model: type[Model], columns: tuple[str, ...], values) -> Model:
    """A model instance holding these columns (the rest deferred), as the ORM builds one."""
    converted = []
    for value, (expression, converters) in zip(
        values, _converters(model, columns, connection.vendor), strict=True
    ):
        for converter in converters:
            value = converter(value, expression, connection)
        converted.append(value)
    return model.from_db(connection.alias, columns, converted)


def slot_to_write(*, user_id: int, attempt_id: int, slot: int) -> AttemptQuestion | None:
    """Return the slot with `attempt`, `question`, `answered_before` and `flagged_before`."""
    with connection.cursor() as cursor:
        cursor.execute(SLOT_TO_WRITE, [attempt_id, slot, user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    ends = len(SLOT_COLUMNS), len(SLOT_COLUMNS) + len(ATTEMPT_COLUMNS)
    slot_row = _instance(AttemptQuestion, SLOT_COLUMNS, row[: ends[0]])
    attempt = _instance(Attempt, ATTEMPT_COLUMNS, row[ends[0] : ends[1]])
    question = _instance(Question, QUESTION_COLUMNS, row[ends[1] : ends[1] + 2])
    slot_row.attempt = attempt
    slot_row.question = question
    slot_row.answered_before, slot_row.flagged_before = int(row[-2]), int(row[-1])
    return slot_row


def _field_value(model: type[Model], name: str, value):
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def _still_open_params(now: datetime) -> list:
    earliest_deadline = now - timedelta(seconds=timing.GRACE_SECONDS)
    return [
        Attempt.Status.IN_PROGRESS.value,
        _field_value(Attempt, "deadline_at", earliest_deadline),
    ]


def save_selection(
    *,
    slot_id: int,
    selected_ids: list[int],
    is_answered: bool,
    sequence: int,
    answered_at: datetime,
    time_spent_seconds: int | None,
    now: datetime,
) -> bool:
    """Run the conditional UPDATE; return whether it stored the selection."""
    params = [
        _field_value(AttemptQuestion, "selected_choice_ids", selected_ids),
        is_answered,
        sequence,
        _field_value(AttemptQuestion, "answered_at", answered_at),
        time_spent_seconds,
        slot_id,
        sequence,
        *_still_open_params(now),
    ]
    with connection.cursor() as cursor:
        cursor.execute(SAVE_SELECTION, params)
        return cursor.rowcount == 1


def set_flag(*, slot_id: int, is_flagged: bool, now: datetime) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(SET_FLAG, [is_flagged, slot_id, *_still_open_params(now)])
        return cursor.rowcount == 1
