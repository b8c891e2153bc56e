"""The exam screen's hot statements, written out in SQL.

Autosave (every click on a choice) and the question screen (every move between
questions) are the requests a learner makes most. Building their statements through the
ORM cost more CPU than running them: the ORM's slot read for a save took ~1.5 ms, the same
SQL through a cursor ~0.03 ms, and moving the screen's three reads here took the question
screen from 6.4 to 3.6 ms of CPU in-process (bench/profile_paths.py). The SQL is plain
SQL that SQLite and PostgreSQL both run; values go through the model fields in both
directions, so types come out exactly as the ORM gives them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple

from django.db import connection
from django.db.models import Model

from quiz.engine import timing
from quiz.models import Attempt, AttemptQuestion, Choice, Question, Topic

SLOT = AttemptQuestion._meta.db_table
ATTEMPT = Attempt._meta.db_table
QUESTION = Question._meta.db_table
TOPIC = Topic._meta.db_table
CHOICE = Choice._meta.db_table

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
    # Quoted: some column names ("references") are SQL keywords.
    return ", ".join(f'{alias}."{column}"' for column in columns)


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

# Raise the time spent on a slot (never lower it, never touch the selection).
RECORD_TIME = f"""
UPDATE {SLOT} SET time_spent_seconds = %s
WHERE id = %s AND time_spent_seconds < %s AND is_correct IS NULL AND {_ATTEMPT_STILL_OPEN}
"""


@dataclass(frozen=True, slots=True)
class _RowPlan:
    """How to turn a few selected columns into a model instance, worked out once."""

    attnames: list[str]  # in the model's field order, as from_db takes them
    positions: list[int]  # where each of those sits among the selected columns
    converters: list[tuple[int, object, list]]  # (position, column expression, converters)


@cache
def _row_plan(model: type[Model], columns: tuple[str, ...], vendor: str) -> _RowPlan:
    """The ORM's own converters (backend's, then field's) for these columns, and their order."""
    del vendor  # part of the cache key: SQLite and PostgreSQL convert differently
    converters = []
    for position, column in enumerate(columns):
        expression = model._meta.get_field(column).get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        if found:
            converters.append((position, expression, found))
    attnames = [f.attname for f in model._meta.concrete_fields if f.attname in columns]
    return _RowPlan(attnames, [columns.index(name) for name in attnames], converters)


def _instance(model: type[Model], columns: tuple[str, ...], values) -> Model:
    """A model instance holding these columns (the rest deferred), as the ORM builds one."""
    plan = _row_plan(model, columns, connection.vendor)
    values = list(values)
    for position, expression, converters in plan.converters:
        for converter in converters:
            values[position] = converter(values[position], expression, connection)
    return model.from_db(connection.alias, plan.attnames, [values[i] for i in plan.positions])


def _one_row(sql: str, params: list):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _instances(row, *parts: tuple[type[Model], tuple[str, ...]]) -> list[Model]:
    """Cut a joined row into its tables' parts, each as a model instance."""
    instances, start = [], 0
    for model, columns in parts:
        instances.append(_instance(model, columns, row[start : start + len(columns)]))
        start += len(columns)
    return instances


def slot_to_write(*, user_id: int, attempt_id: int, slot: int) -> AttemptQuestion | None:
    """Return the slot with `attempt`, `question`, `answered_before` and `flagged_before`."""
    row = _one_row(SLOT_TO_WRITE, [attempt_id, slot, user_id])
    if row is None:
        return None
    slot_row, attempt, question = _instances(
        row,
        (AttemptQuestion, SLOT_COLUMNS),
        (Attempt, ATTEMPT_COLUMNS),
        (Question, QUESTION_COLUMNS),
    )
    slot_row.attempt, slot_row.question = attempt, question
    slot_row.answered_before, slot_row.flagged_before = int(row[-2]), int(row[-1])
    return slot_row


SCREEN_SLOT_COLUMNS = (*SLOT_COLUMNS, "question_id", "time_spent_seconds")
SCREEN_ATTEMPT_COLUMNS = (*ATTEMPT_COLUMNS, "title", "time_limit_seconds", "finished_at")
SCREEN_QUESTION_COLUMNS = ("id", "kind", "stem", "explanation", "references", "topic_id")
SCREEN_TOPIC_COLUMNS = ("id", "key", "name")

SCREEN_CHOICE_COLUMNS = ("id", "text")


class ChoiceText(NamedTuple):
    """A choice as an unfinished question shows it: its id and text, nothing of the key."""

    pk: int
    text: str

# One slot of one user's attempt with what its screen shows of the attempt, the question
# and its topic (not the topic's notes, the attempt's score or selection), one row per
# choice of the question with the choice's text (never its key or rationale).
SLOT_ON_SCREEN = f"""
SELECT {_select_list("s", SCREEN_SLOT_COLUMNS)}, {_select_list("a", SCREEN_ATTEMPT_COLUMNS)},
       {_select_list("q", SCREEN_QUESTION_COLUMNS)}, {_select_list("t", SCREEN_TOPIC_COLUMNS)},
       {_select_list("c", SCREEN_CHOICE_COLUMNS)}
FROM {SLOT} s
JOIN {ATTEMPT} a ON a.id = s.attempt_id
JOIN {QUESTION} q ON q.id = s.question_id
JOIN {TOPIC} t ON t.id = q.topic_id
LEFT JOIN {CHOICE} c ON c.question_id = s.question_id
WHERE s.attempt_id = %s AND s.slot = %s AND a.user_id = %s
"""

NAVIGATOR = f"SELECT slot, is_answered, is_flagged FROM {SLOT} WHERE attempt_id = %s ORDER BY slot"


def slot_on_screen(*, user_id: int, attempt_id: int, slot: int) -> AttemptQuestion | None:
    """Return the slot with `attempt` and `question` (with `topic`), as its screen needs,
    and the question's choices (ids and texts) as `choice_texts`."""
    with connection.cursor() as cursor:
        cursor.execute(SLOT_ON_SCREEN, [attempt_id, slot, user_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    slot_row, attempt, question, topic = _instances(
        rows[0],
        (AttemptQuestion, SCREEN_SLOT_COLUMNS),
        (Attempt, SCREEN_ATTEMPT_COLUMNS),
        (Question, SCREEN_QUESTION_COLUMNS),
        (Topic, SCREEN_TOPIC_COLUMNS),
    )
    slot_row.attempt, slot_row.question, question.topic = attempt, question, topic
    # Plain (pk, text) pairs: an id and a text column need no conversion, and a model
    # instance per choice cost more than the rest of the read.
    width = len(SCREEN_CHOICE_COLUMNS)
    slot_row.choice_texts = [ChoiceText(*row[-width:]) for row in rows if row[-width] is not None]
    return slot_row


def navigator_marks(*, attempt_id: int) -> list[tuple[int, bool, bool]]:
    """(slot, is_answered, is_flagged) of every slot of the attempt, in order."""
    with connection.cursor() as cursor:
        cursor.execute(NAVIGATOR, [attempt_id])
        return [(slot, bool(answered), bool(flagged)) for slot, answered, flagged in cursor]


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


def record_time(*, slot_id: int, seconds: int, now: datetime) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(RECORD_TIME, [seconds, slot_id, seconds, *_still_open_params(now)])
        return cursor.rowcount == 1


def set_flag(*, slot_id: int, is_flagged: bool, now: datetime) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(SET_FLAG, [is_flagged, slot_id, *_still_open_params(now)])
        return cursor.rowcount == 1
