"""Weak spots, readiness, trends and review scheduling from aggregated rows."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from quiz.engine.scoring import MAX_SCALED, MIN_SCALED

Z_95 = 1.96
# How many answers' worth of weight the learner's overall accuracy carries when a topic has
# few answers of its own (empirical-Bayes shrinkage).
PRIOR_STRENGTH = 4
# Leitner boxes: days until a question comes back after it was answered in that box.
LEITNER_INTERVAL_DAYS = (1, 3, 7, 14, 30)


def wilson_interval(correct: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """Return the Wilson score interval for `correct` of `total` (0..1, both ends)."""
    if total <= 0:
        return 0.0, 1.0
    if correct < 0 or correct > total:
        raise ValueError(f"correct ({correct}) must be between 0 and total ({total})")
    p = correct / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - margin), min(1.0, centre + margin)


def shrunk_accuracy(correct: int, total: int, prior_mean: float, strength: float = PRIOR_STRENGTH) -> float:
    """Return accuracy pulled toward `prior_mean` in proportion to how few answers there are.

    One lucky answer cannot make a topic look mastered, and one slip cannot condemn it.
    """
    return (correct + strength * prior_mean) / (total + strength)


@dataclass(frozen=True, slots=True)
class AccuracyRow:
    key: str
    name: str
    correct: int
    total: int


@dataclass(frozen=True, slots=True)
class WeakSpot:
    key: str
    name: str
    correct: int
    total: int
    accuracy: float
    estimate: float
    lower_bound: float


def rank_weak_spots(rows: Sequence[AccuracyRow], overall: float) -> list[WeakSpot]:
    """Return rows with answers, weakest first by shrunk accuracy, then by fewest answers."""
    spots = [
        WeakSpot(
            key=row.key,
            name=row.name,
            correct=row.correct,
            total=row.total,
            accuracy=row.correct / row.total,
            estimate=shrunk_accuracy(row.correct, row.total, overall),
            lower_bound=wilson_interval(row.correct, row.total)[0],
        )
        for row in rows
        if row.total > 0
    ]
    spots.sort(key=lambda spot: (spot.estimate, spot.lower_bound, spot.key))
    return spots


@dataclass(frozen=True, slots=True)
class Readiness:
    predicted_score: int
    low_score: int
    high_score: int
    verdict: str  # "likely", "borderline", "not_yet", "unknown"
    answered: int


def predict_readiness(
    domains: Sequence[tuple[str, int, int]],
    weights: Mapping[str, float],
    passing_score: int,
) -> Readiness:
    """Predict a full exam's scaled score from per-domain (key, correct, total) rows.

    Each domain's accuracy is estimated with a uniform Beta(1, 1) prior, weighted by the
    blueprint; the range is the 95% normal interval of that weighted sum mapped onto the
    linear 100-1,000 scale. The verdict is "likely" when the whole range passes, "not_yet"
    when none of it does, and "borderline" otherwise.
    """
    weight_sum = sum(weights.values())
    if weight_sum <= 0:
        raise ValueError("weights must sum to more than zero")
    totals = {key: (correct, total) for key, correct, total in domains}
    mean = 0.0
    variance = 0.0
    answered = 0
    for key, weight in weights.items():
        correct, total = totals.get(key, (0, 0))
        answered += total
        share = weight / weight_sum
        p = (correct + 1) / (total + 2)
        mean += share * p
        variance += share * share * p * (1 - p) / (total + 3)
    spread = Z_95 * math.sqrt(variance)
    scale = MAX_SCALED - MIN_SCALED

    def to_scaled(fraction: float) -> int:
        return round(MIN_SCALED + scale * min(1.0, max(0.0, fraction)))

    predicted, low, high = to_scaled(mean), to_scaled(mean - spread), to_scaled(mean + spread)
    if answered == 0:
        verdict = "unknown"
    elif low >= passing_score:
        verdict = "likely"
    elif high < passing_score:
        verdict = "not_yet"
    else:
        verdict = "borderline"
    return Readiness(predicted, low, high, verdict, answered)


def leitner_next(box: int | None, is_correct: bool, now: datetime) -> tuple[int, datetime] | None:
    """Return the (box, due_at) of a review card after an answer, or None when it retires.

    A wrong answer sends the question to box 1 (back in 1 day). A right answer moves it one
    box up (3, 7, 14, then 30 days); right in the last box retires it. A right answer to a
    question not in the queue leaves it out.
    """
    if not is_correct:
        return 1, now + timedelta(days=LEITNER_INTERVAL_DAYS[0])
    if box is None:
        return None
    if box >= len(LEITNER_INTERVAL_DAYS):
        return None
    next_box = box + 1
    return next_box, now + timedelta(days=LEITNER_INTERVAL_DAYS[next_box - 1])


@dataclass(frozen=True, slots=True)
class TrendLine:
    key: str
    points: str  # SVG polyline points
    last_percent: float | None
    dots: tuple[tuple[float, float], ...] = ()  # the same points, for markers


def trend_lines(
    series: Mapping[str, Sequence[tuple[int, float]]],
    attempt_count: int,
    *,
    width: int = 600,
    height: int = 200,
    padding: int = 24,
) -> list[TrendLine]:
    """Lay out per-domain accuracy series (attempt index, percent) as SVG polyline points."""
    usable_width = width - 2 * padding
    usable_height = height - 2 * padding
    step = usable_width / max(1, attempt_count - 1)
    lines = []
    for key, points in series.items():
        dots = tuple(
            (round(padding + index * step, 1), round(padding + usable_height * (1 - percent / 100), 1))
            for index, percent in points
        )
        coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in dots)
        lines.append(TrendLine(key, coordinates, points[-1][1] if points else None, dots))
    return lines
