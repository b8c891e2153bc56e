from datetime import UTC, datetime, timedelta

import pytest

from quiz.engine.reporting import (
    AccuracyRow,
    leitner_next,
    predict_readiness,
    rank_weak_spots,
    shrunk_accuracy,
    trend_lines,
    wilson_interval,
)

WEIGHTS = {"sdlc": 22, "iac": 17, "resilience": 15, "monitoring": 15, "incident": 14, "security": 17}
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_wilson_interval_on_known_values():
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-3)
    assert high == pytest.approx(0.9433, abs=1e-3)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError, match="between 0 and total"):
        wilson_interval(11, 10)


def test_shrinkage_keeps_one_answer_from_deciding_a_topic():
    overall = 0.7
    assert shrunk_accuracy(1, 1, overall) == pytest.approx(0.76)  # one lucky answer
    assert shrunk_accuracy(0, 1, overall) == pytest.approx(0.56)  # one slip
    assert shrunk_accuracy(2, 20, overall) == pytest.approx(0.2)  # a real weakness shows


def test_weak_spots_rank_a_consistently_wrong_topic_below_a_single_slip():
    rows = [
        AccuracyRow("slip", "One slip", 0, 1),
        AccuracyRow("weak", "Weak", 3, 15),
        AccuracyRow("strong", "Strong", 18, 20),
        AccuracyRow("unseen", "Unseen", 0, 0),
    ]
    ranked = rank_weak_spots(rows, overall=0.7)
    assert [spot.key for spot in ranked] == ["weak", "slip", "strong"]
    assert ranked[0].accuracy == pytest.approx(0.2)


def test_readiness_for_a_user_right_on_sdlc_and_wrong_on_security():
    readiness = predict_readiness([("sdlc", 20, 20), ("security", 0, 20)], WEIGHTS, 750)
    # Beta(1,1) estimates: sdlc 21/22, security 1/22, unanswered domains 1/2.
    expected = 0.22 * 21 / 22 + 0.17 * 1 / 22 + 0.61 * 0.5
    assert readiness.predicted_score == round(100 + 900 * expected) == 570
    assert readiness.low_score < readiness.predicted_score < readiness.high_score
    assert readiness.verdict == "not_yet"


def test_readiness_verdicts():
    strong = predict_readiness([(k, 95, 100) for k in WEIGHTS], WEIGHTS, 750)
    assert strong.verdict == "likely" and strong.low_score >= 750
    middling = predict_readiness([(k, 15, 20) for k in WEIGHTS], WEIGHTS, 750)
    assert middling.verdict == "borderline"
    assert predict_readiness([], WEIGHTS, 750).verdict == "unknown"


def test_leitner_boxes_follow_1_3_7_14_30_days():
    box, due = leitner_next(None, False, NOW)
    assert (box, due) == (1, NOW + timedelta(days=1))
    intervals = []
    for _ in range(4):
        box, due = leitner_next(box, True, NOW)
        intervals.append((due - NOW).days)
    assert intervals == [3, 7, 14, 30] and box == 5
    assert leitner_next(5, True, NOW) is None
    assert leitner_next(4, False, NOW) == (1, NOW + timedelta(days=1))
    assert leitner_next(None, True, NOW) is None


def test_trend_points_run_left_to_right_and_map_percent_to_height():
    (line,) = trend_lines({"sdlc": [(0, 0.0), (1, 50.0), (2, 100.0)]}, 3, width=200, height=100, padding=0)
    assert line.points == "0.0,100.0 100.0,50.0 200.0,0.0"
    assert line.last_percent == 100.0
