"""Races only a real server database shows: double submit, the deadline, two open tabs.

Each case starts its calls in threads released together by a barrier, with a small head
start alternating between them so that both arrival orders happen. SQLite serializes
every writer (IMMEDIATE transactions), so these tests run on PostgreSQL only.
"""

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from quiz import services
from quiz.engine import timing
from quiz.models import Attempt, AttemptQuestion, ChosenChoice
from tests.factories import UserFactory, correct_choice_ids, wrong_choice_ids

if connection.vendor != "postgresql":
    pytest.skip(
        "needs PostgreSQL (DATABASE_URL): row locks and concurrent writers",
        allow_module_level=True,
    )

pytestmark = pytest.mark.django_db(transaction=True)

# (delay of the first call, delay of the second): either may arrive first, or both at once.
HEAD_STARTS = [(0.0, 0.02), (0.02, 0.0), (0.0, 0.0)]


def run_together(*calls: Callable[[], object], delays=None) -> list[object]:
    """Run each call in its own thread, released at once; return results or exceptions."""
    delays = delays or [0.0] * len(calls)
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            time.sleep(delays[index])
            results[index] = calls[index]()
        except Exception as error:  # the caller asserts on what was raised
            results[index] = error
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a call is stuck (deadlock?)"
    return results


def start_attempt(user, *, now: datetime, minutes: int | None = 10) -> Attempt:
    request = services.ExamRequest(
        mode=Attempt.Mode.CUSTOM, question_count=6, time_limit_minutes=minutes
    )
    return services.attempt_start(user=user, request=request, now=now)


def slot_of(attempt: Attempt, number: int = 1) -> AttemptQuestion:
    return AttemptQuestion.objects.select_related("question").get(attempt=attempt, slot=number)


def chosen_ids(slot: AttemptQuestion) -> set[int]:
    return set(
        ChosenChoice.objects.filter(attempt_question=slot).values_list("choice_id", flat=True)
    )


def test_attempt_is_scored_once_when_two_submits_race(exam_bank):
    user = UserFactory()
    started = timezone.now()
    for round_number, delays in enumerate(HEAD_STARTS * 3):
        attempt = start_attempt(user, now=started)
        right, wrong = slot_of(attempt, 1), slot_of(attempt, 2)
        answers = {
            right.pk: correct_choice_ids(right.question),
            wrong.pk: wrong_choice_ids(wrong.question),
        }
        for sequence, slot in enumerate((right, wrong), start=1):
            services.answer_save(
                attempt=attempt,
                slot=slot,
                choice_ids=answers[slot.pk],
                sequence=sequence,
                time_spent_seconds=None,
                now=started,
            )
        first_end = started + timedelta(minutes=1, seconds=round_number)
        second_end = first_end + timedelta(seconds=1)

        results = run_together(
            lambda a=attempt, t=first_end: services.attempt_submit(attempt=a, now=t),
            lambda a=attempt, t=second_end: services.attempt_submit(attempt=a, now=t),
            delays=delays,
        )

        assert not [r for r in results if isinstance(r, Exception)], results
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.SUBMITTED
        assert attempt.finished_at in {first_end, second_end}
        # The later call returns the result the first one stored, not a second grading.
        assert {r.finished_at for r in results} == {attempt.finished_at}
        assert {r.correct_count for r in results} == {attempt.correct_count} == {1}
        chosen = ChosenChoice.objects.filter(attempt_question__attempt=attempt)
        assert chosen.count() == sum(len(ids) for ids in answers.values())
        assert chosen_ids(right) == set(answers[right.pk])


def test_answer_is_scored_or_refused_when_it_races_the_deadline(exam_bank):
    user = UserFactory()
    started = timezone.now()
    outcomes = []
    for delays in HEAD_STARTS * 8:
        attempt = start_attempt(user, now=started, minutes=1)
        slot = slot_of(attempt)
        answer = correct_choice_ids(slot.question)
        # The answer is in time (within the grace); the expiry runs just after the grace.
        last_moment = attempt.deadline_at + timedelta(seconds=timing.GRACE_SECONDS - 1)
        expiry = attempt.deadline_at + timedelta(seconds=timing.GRACE_SECONDS + 1)

        saved, finalized = run_together(
            lambda a=attempt, s=slot, c=answer, t=last_moment: services.answer_save(
                attempt=a, slot=s, choice_ids=c, sequence=1, time_spent_seconds=None, now=t
            ),
            lambda a=attempt, t=expiry: services.attempt_finalize_if_overdue(attempt=a, now=t),
            delays=delays,
        )

        assert not isinstance(finalized, Exception), finalized
        attempt.refresh_from_db()
        slot.refresh_from_db()
        assert attempt.status == Attempt.Status.EXPIRED
        assert attempt.finished_at == attempt.deadline_at
        if saved is services.AnswerOutcome.SAVED:
            outcomes.append("scored")
            assert slot.selected_choice_ids == sorted(answer)
            assert slot.is_correct is True and chosen_ids(slot) == set(answer)
            assert attempt.correct_count == 1
        else:
            assert isinstance(saved, services.AttemptClosed), saved
            outcomes.append("refused")
            assert slot.selected_choice_ids == []
            assert slot.is_correct is False and chosen_ids(slot) == set()
            assert attempt.correct_count == 0
    assert set(outcomes) == {"scored", "refused"}, "both orders should have happened"


def test_higher_sequence_wins_when_two_tabs_answer_at_once(exam_bank):
    user = UserFactory()
    started = timezone.now()
    attempt = start_attempt(user, now=started)
    slot = slot_of(attempt)
    right = correct_choice_ids(slot.question)
    wrong = wrong_choice_ids(slot.question)
    older_arrived_first = set()
    for round_number, delays in enumerate(HEAD_STARTS * 8):
        older_sequence = 10 * (round_number + 1)
        newer_sequence = older_sequence + 1
        # Alternate which choice is the newer one, so a stale write would show.
        older, newer = (right, wrong) if round_number % 2 else (wrong, right)

        def save(choice_ids, sequence):
            return lambda: services.answer_save(
                attempt=attempt,
                slot=slot,
                choice_ids=choice_ids,
                sequence=sequence,
                time_spent_seconds=None,
                now=started,
            )

        older_outcome, newer_outcome = run_together(
            save(older, older_sequence), save(newer, newer_sequence), delays=delays
        )

        assert newer_outcome is services.AnswerOutcome.SAVED, newer_outcome
        assert older_outcome in {services.AnswerOutcome.SAVED, services.AnswerOutcome.STALE}
        older_arrived_first.add(older_outcome is services.AnswerOutcome.SAVED)
        slot.refresh_from_db()
        assert slot.selected_choice_ids == sorted(newer)
        assert slot.answer_sequence == newer_sequence
    assert older_arrived_first == {True, False}, "both arrival orders should have happened"

    ended = services.attempt_submit(attempt=attempt, now=started + timedelta(minutes=1))
    assert ended.correct_count == (1 if newer == right else 0)


def test_answer_waiting_on_grading_is_refused_not_lost(exam_bank):
    """The save has no lock of its own: grading locks the slots, so a save that reaches a
    slot mid-grading waits, then finds it graded and changes nothing (no answer stored
    after its score was taken)."""
    user = UserFactory()
    started = timezone.now()
    attempt = start_attempt(user, now=started)
    slot = slot_of(attempt)
    answer = correct_choice_ids(slot.question)
    grading_holds_locks = threading.Event()
    grading_may_commit = threading.Event()

    def grade_slowly():
        from django.db import transaction

        with transaction.atomic():
            services.attempt_submit(attempt=attempt, now=started + timedelta(minutes=1))
            grading_holds_locks.set()
            grading_may_commit.wait(timeout=10)

    def save_during_grading():
        assert grading_holds_locks.wait(timeout=10)
        threading.Timer(0.3, grading_may_commit.set).start()
        return services.answer_save(
            attempt=attempt,
            slot=slot,
            choice_ids=answer,
            sequence=1,
            time_spent_seconds=None,
            now=started + timedelta(seconds=30),
        )

    graded, saved = run_together(grade_slowly, save_during_grading)

    assert graded is None
    assert isinstance(saved, services.AttemptClosed), saved
    slot.refresh_from_db()
    attempt.refresh_from_db()
    assert slot.selected_choice_ids == [] and slot.is_correct is False
    assert attempt.correct_count == 0
