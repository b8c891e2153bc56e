"""Grade answers and compute overall, per-domain and per-task scores."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from quiz.engine.types import AttemptScore, GradedAnswer, PartScore, SlotStatus

MIN_SCALED = 100
MAX_SCALED = 1000
# Multiple response: 2 correct of 5 options, 3 of 6 (single answer: 1 of 4).
REQUIRED_BY_CHOICE_COUNT = {4: 1, 5: 2, 6: 3}


def required_selection_count(kind: str, choice_count: int) -> int:
    """Return how many choices a complete answer has ("Select TWO." for 2 of 5)."""
    if kind == "single":
        return 1
    try:
        return REQUIRED_BY_CHOICE_COUNT[choice_count]
    except KeyError:
        raise ValueError(
            f"a multiple-response question cannot have {choice_count} choices"
        ) from None


def scaled_score(correct: int, total: int) -> int:
    """Map a raw score onto AWS's 100-1,000 scale.

    AWS publishes only the scale and the passing mark (750), not its mapping, so this is
    a linear approximation: 0% scores 100 and 100% scores 1,000, which puts the pass mark
    at 72.2% correct.
    """
    if total <= 0:
        return MIN_SCALED
    return round(MIN_SCALED + (MAX_SCALED - MIN_SCALED) * correct / total)


def passing_fraction(passing_score: int) -> float:
    """Return the share of correct answers the linear scale needs for `passing_score`."""
    return (passing_score - MIN_SCALED) / (MAX_SCALED - MIN_SCALED)


def _part_scores(
    answers: Sequence[GradedAnswer], key_of, order: Iterable[str], threshold: float
) -> tuple[PartScore, ...]:
    totals: dict[str, list[int]] = {key: [0, 0] for key in order}
    for answer in answers:
        counts = totals.setdefault(key_of(answer), [0, 0])
        counts[0] += answer.is_correct
        counts[1] += 1
    return tuple(
        PartScore(
            key=key,
            correct=correct,
            total=total,
            percent=round(100 * correct / total, 1) if total else 0.0,
            meets_competencies=total > 0 and correct / total >= threshold,
        )
        for key, (correct, total) in totals.items()
        if total
    )


def score_attempt(
    answers: Sequence[GradedAnswer], *, passing_score: int, domain_order: Sequence[str] = ()
) -> AttemptScore:
    """Return overall, per-domain and per-task results; unanswered items count as wrong.

    A domain "meets competencies" when its share correct reaches the same share that the
    scaled pass mark needs overall (72.2% for 750).
    """
    threshold = passing_fraction(passing_score)
    correct = sum(answer.is_correct for answer in answers)
    total = len(answers)
    scaled = scaled_score(correct, total)
    return AttemptScore(
        correct=correct,
        total=total,
        percent=round(100 * correct / total, 1) if total else 0.0,
        scaled_score=scaled,
        passed=scaled >= passing_score,
        domains=_part_scores(answers, lambda a: a.domain, domain_order, threshold),
        tasks=_part_scores(answers, lambda a: a.task, sorted({a.task for a in answers}), threshold),
    )


def slot_status(
    slot: int, kind: str, choice_count: int, selected_count: int, is_flagged: bool
) -> SlotStatus:
    required = required_selection_count(kind, choice_count)
    return SlotStatus(
        slot=slot,
        is_answered=selected_count == required,
        is_flagged=is_flagged,
        selected_count=selected_count,
        required_count=required,
    )
