"""Build an exam from a question pool and a domain blueprint."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from quiz.engine.types import PoolQuestion, Shortfall


def apportion(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split `total` questions across domains by weight with the largest-remainder method.

    Each domain first gets the whole part of its exact share; the questions left over go
    to the largest fractional remainders (ties broken by larger weight, then key order).
    For DOP-C02 (22/17/15/15/14/17 of 75) this gives 17/13/11/11/10/13.
    """
    if total < 0:
        raise ValueError(f"cannot apportion a negative total ({total})")
    weight_sum = sum(weights.values())
    if weight_sum <= 0:
        raise ValueError("weights must sum to more than zero")
    exact = {key: total * weight / weight_sum for key, weight in weights.items()}
    shares = {key: int(value) for key, value in exact.items()}
    left = total - sum(shares.values())
    order = sorted(weights, key=lambda key: (-(exact[key] - shares[key]), -weights[key], key))
    for key in order[:left]:
        shares[key] += 1
    return shares


def select_questions(
    pool: Sequence[PoolQuestion],
    quotas: Mapping[str, int],
    rng: random.Random,
    *,
    rebalance: bool = False,
) -> tuple[list[int], list[Shortfall]]:
    """Pick question ids to fill each domain's quota, preferring unseen, then last-wrong.

    Within a preference tier the pick is random (from `rng`). No question is picked twice.
    With `rebalance`, a domain's shortfall is filled from domains that have spare questions
    (custom exams); otherwise shortfalls are returned for the caller to report.
    Returns the picked ids in a shuffled order and the shortfalls that remain.
    """
    by_domain: dict[str, list[PoolQuestion]] = {key: [] for key in quotas}
    for question in sorted(pool, key=lambda q: q.question_id):
        if question.domain in by_domain:
            by_domain[question.domain].append(question)
    ranked: dict[str, list[PoolQuestion]] = {}
    for key, questions in by_domain.items():
        keyed = [(question.history, rng.random(), question) for question in questions]
        keyed.sort(key=lambda item: (item[0], item[1]))
        ranked[key] = [item[2] for item in keyed]

    picked: dict[str, list[PoolQuestion]] = {}
    shortfalls: list[Shortfall] = []
    for key, wanted in quotas.items():
        picked[key] = ranked[key][:wanted]
        if len(picked[key]) < wanted:
            shortfalls.append(Shortfall(key, wanted, len(ranked[key])))
    if rebalance and shortfalls:
        missing = sum(s.wanted - s.available for s in shortfalls)
        spare = [q for key in quotas for q in ranked[key][len(picked[key]) :]]
        spare.sort(key=lambda q: q.history)
        extra = spare[:missing]
        for question in extra:
            picked[question.domain].append(question)
        shortfalls = [] if len(extra) == missing else shortfalls
    chosen = [question.question_id for key in quotas for question in picked[key]]
    rng.shuffle(chosen)
    return chosen, shortfalls


def shuffle_choices(choice_ids: Sequence[int], rng: random.Random) -> list[int]:
    """Return the choice ids in a new random order (kept for the whole attempt)."""
    order = sorted(choice_ids)
    rng.shuffle(order)
    return order
