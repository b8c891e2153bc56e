"""Writes and orchestration: load rows, call the engine, save results."""

from quiz.services.attempts import (
    AnswerIncomplete,
    AnswerOutcome,
    AttemptClosed,
    ExamRequest,
    SelectionShortfall,
    answer_check,
    answer_save,
    attempt_discard,
    attempt_finalize_if_overdue,
    attempt_start,
    attempt_submit,
    attempts_expire_overdue,
    drill_start,
    flag_set,
    next_deadline,
    time_record,
)

__all__ = [
    "AnswerIncomplete",
    "AnswerOutcome",
    "AttemptClosed",
    "ExamRequest",
    "SelectionShortfall",
    "answer_check",
    "answer_save",
    "attempt_discard",
    "attempt_finalize_if_overdue",
    "attempt_start",
    "attempt_submit",
    "attempts_expire_overdue",
    "drill_start",
    "flag_set",
    "next_deadline",
    "time_record",
]
