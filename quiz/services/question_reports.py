"""Learners' reports of problems in graded questions, for the bank's maintainers."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from quiz.models import AttemptQuestion, QuestionReport


def question_report_file(
    *, user, slot: AttemptQuestion, kind: str, message: str, now: datetime
) -> QuestionReport:
    """Record the user's report on the slot's question; a report of theirs on that question
    still open is updated instead, so a second click never files a duplicate."""
    fields = {"kind": kind, "message": message.strip(), "attempt_question": slot, "created_at": now}
    try:
        with transaction.atomic():
            report, _created = QuestionReport.objects.update_or_create(
                question_id=slot.question_id,
                reporter=user,
                resolved_at=None,
                defaults=fields,
            )
    except IntegrityError:  # the same report submitted twice at once: the other one won
        report = QuestionReport.objects.get(
            question_id=slot.question_id, reporter=user, resolved_at=None
        )
    return report
