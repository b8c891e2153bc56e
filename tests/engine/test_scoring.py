import pytest

from quiz.engine.scoring import (
    passing_fraction,
    required_selection_count,
    scaled_score,
    score_attempt,
    slot_status,
)
from quiz.engine.types import GradedAnswer


def answer(domain="sdlc", task="1.1", selected=(), correct=(1,)):
    return GradedAnswer(domain, task, frozenset(selected), frozenset(correct))


def test_multiple_response_is_all_or_nothing():
    assert answer(selected={1, 2}, correct={1, 2}).is_correct
    assert not answer(selected={1}, correct={1, 2}).is_correct
    assert not answer(selected={1, 2, 3}, correct={1, 2}).is_correct


def test_unanswered_counts_wrong():
    score = score_attempt([answer(selected=()), answer(selected={1})], passing_score=750)
    assert (score.correct, score.total, score.percent) == (1, 2, 50.0)


def test_scaled_score_is_linear_from_100_to_1000():
    assert scaled_score(0, 75) == 100
    assert scaled_score(75, 75) == 1000
    assert scaled_score(54, 75) == 748  # 72% falls just short of 750
    assert scaled_score(55, 75) == 760
    assert passing_fraction(750) == pytest.approx(0.7222, abs=1e-4)


def test_pass_and_per_domain_competency_use_the_same_threshold():
    answers = [answer("sdlc", "1.1", {1}) for _ in range(8)] + [
        answer("security", "6.2", {2}) for _ in range(2)
    ]
    score = score_attempt(answers, passing_score=750, domain_order=["sdlc", "iac", "security"])
    assert score.scaled_score == 820 and score.passed
    by_domain = {d.key: d for d in score.domains}
    assert list(by_domain) == ["sdlc", "security"]  # domains without questions are left out
    assert by_domain["sdlc"].meets_competencies
    assert not by_domain["security"].meets_competencies
    assert [(t.key, t.correct, t.total) for t in score.tasks] == [("1.1", 8, 8), ("6.2", 0, 2)]


def test_required_selection_count_follows_the_choice_count():
    assert required_selection_count("single", 4) == 1
    assert required_selection_count("multiple", 5) == 2
    assert required_selection_count("multiple", 6) == 3
    with pytest.raises(ValueError, match="7 choices"):
        required_selection_count("multiple", 7)


def test_a_multiple_response_slot_is_answered_only_with_exactly_the_required_count():
    assert not slot_status(1, "multiple", 5, 1, False).is_answered
    assert slot_status(1, "multiple", 5, 2, False).is_answered
    assert not slot_status(1, "multiple", 5, 3, False).is_answered
