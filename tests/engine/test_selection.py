import random

import pytest

from quiz.engine.selection import apportion, select_questions, shuffle_choices
from quiz.engine.types import History, PoolQuestion

DOP_C02_WEIGHTS = {"sdlc": 22, "iac": 17, "resilience": 15, "monitoring": 15, "incident": 14, "security": 17}


def test_apportion_gives_the_dop_c02_blueprint_for_75_questions():
    assert apportion(75, DOP_C02_WEIGHTS) == {
        "sdlc": 17, "iac": 13, "resilience": 11, "monitoring": 11, "incident": 10, "security": 13,
    }


@pytest.mark.parametrize("total", [5, 10, 20, 33, 65, 75])
def test_apportion_always_sums_to_the_total(total):
    assert sum(apportion(total, DOP_C02_WEIGHTS).values()) == total


def test_apportion_rejects_impossible_input():
    with pytest.raises(ValueError, match="negative"):
        apportion(-1, DOP_C02_WEIGHTS)
    with pytest.raises(ValueError, match="weights"):
        apportion(5, {"a": 0})


def _pool(domain: str, ids, history=History.UNSEEN):
    return [PoolQuestion(i, domain, history) for i in ids]


def test_selection_prefers_unseen_then_last_wrong_then_the_rest():
    pool = (
        _pool("sdlc", range(1, 4), History.SEEN)
        + _pool("sdlc", range(10, 13), History.LAST_WRONG)
        + _pool("sdlc", range(20, 22), History.UNSEEN)
    )
    picked, shortfalls = select_questions(pool, {"sdlc": 4}, random.Random(1))
    assert not shortfalls
    assert {20, 21} <= set(picked)
    assert len(set(picked) & {10, 11, 12}) == 2
    assert not set(picked) & {1, 2, 3}


def test_selection_never_repeats_and_fills_each_quota():
    pool = _pool("sdlc", range(100)) + _pool("iac", range(100, 200))
    picked, _ = select_questions(pool, {"sdlc": 30, "iac": 20}, random.Random(7))
    assert len(picked) == len(set(picked)) == 50
    assert sum(1 for q in picked if q < 100) == 30


def test_selection_is_reproducible_from_the_seed():
    pool = _pool("sdlc", range(50))
    first, _ = select_questions(pool, {"sdlc": 10}, random.Random(42))
    again, _ = select_questions(list(reversed(pool)), {"sdlc": 10}, random.Random(42))
    other, _ = select_questions(pool, {"sdlc": 10}, random.Random(43))
    assert first == again
    assert first != other


def test_selection_reports_what_is_short():
    pool = _pool("sdlc", range(5)) + _pool("iac", range(5, 20))
    picked, shortfalls = select_questions(pool, {"sdlc": 8, "iac": 4}, random.Random(0))
    assert [(s.domain, s.wanted, s.available) for s in shortfalls] == [("sdlc", 8, 5)]


def test_selection_rebalances_a_shortfall_from_other_domains_when_allowed():
    pool = _pool("sdlc", range(5)) + _pool("iac", range(5, 20))
    picked, shortfalls = select_questions(pool, {"sdlc": 8, "iac": 4}, random.Random(0), rebalance=True)
    assert not shortfalls
    assert len(picked) == len(set(picked)) == 12


def test_shuffle_choices_keeps_every_choice_and_depends_only_on_the_seed():
    order = shuffle_choices([5, 6, 7, 8, 9, 10], random.Random(3))
    assert sorted(order) == [5, 6, 7, 8, 9, 10]
    assert order == shuffle_choices([10, 9, 8, 7, 6, 5], random.Random(3))
