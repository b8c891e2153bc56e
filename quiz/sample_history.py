"""Build a synthetic exam history quickly (for benchmarks and tests), with bulk inserts."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction

from quiz.engine import scoring
from quiz.models import Attempt, AttemptQuestion, Choice, ChosenChoice, Question


@transaction.atomic
def build_history(
    *,
    user,
    attempt_count: int,
    questions_per_attempt: int,
    now: datetime,
    rng: random.Random,
    is_right: Callable[[Question], bool] | None = None,
) -> int:
    """Create finished attempts whose answers are right per `is_right` (default: 70% at random).

    Returns the number of answers created. Scores are stored as the real submit stores them.
    """
    questions = list(Question.objects.active().select_related("domain", "task"))
    if len(questions) < questions_per_attempt:
        raise ValueError(f"the bank has {len(questions)} questions, fewer than {questions_per_attempt}")
    choices: dict[int, list[Choice]] = defaultdict(list)
    for choice in Choice.objects.filter(question__in=questions).order_by("question_id", "label"):
        choices[choice.question_id].append(choice)
    decide = is_right or (lambda _question: rng.random() < 0.7)
    answers = 0
    for index in range(attempt_count):
        started = now - timedelta(days=attempt_count - index, hours=3)
        picked = rng.sample(questions, questions_per_attempt)
        graded = []
        slot_rows = []
        for slot, question in enumerate(picked, start=1):
            options = choices[question.pk]
            right = [c.pk for c in options if c.is_correct]
            wrong = [c.pk for c in options if not c.is_correct]
            selected = right if decide(question) else wrong[: len(right)]
            graded.append(
                scoring.GradedAnswer(question.domain.key, question.task.code, frozenset(selected), frozenset(right))
            )
            slot_rows.append((slot, question, [c.pk for c in options], selected, set(right)))
        score = scoring.score_attempt(graded, passing_score=750)
        attempt = Attempt.objects.create(
            user=user,
            mode=Attempt.Mode.FULL,
            status=Attempt.Status.SUBMITTED,
            title="Full mock exam",
            seed=rng.randrange(2**40),
            question_count=questions_per_attempt,
            time_limit_seconds=180 * 60,
            started_at=started,
            deadline_at=started + timedelta(minutes=180),
            finished_at=started + timedelta(minutes=150),
            correct_count=score.correct,
            scaled_score=score.scaled_score,
            passed=score.passed,
            score_detail={"percent": score.percent, "passing_score": 750, "domains": [], "tasks": []},
        )
        created = AttemptQuestion.objects.bulk_create(
            AttemptQuestion(
                attempt=attempt,
                slot=slot,
                question=question,
                domain_id=question.domain_id,
                choice_order=order,
                selected_choice_ids=sorted(selected),
                answer_sequence=1,
                is_answered=True,
                answered_at=started,
                time_spent_seconds=rng.randint(40, 240),
                is_correct=set(selected) == right,
            )
            for slot, question, order, selected, right in slot_rows
        )
        ChosenChoice.objects.bulk_create(
            ChosenChoice(attempt_question=row, choice_id=choice_id, is_correct=choice_id in right)
            for row, (_slot, _question, _order, selected, right) in zip(created, slot_rows, strict=True)
            for choice_id in selected
        )
        answers += len(slot_rows)
    return answers
