"""The hand-written SQL of the exam screens gives the same values as the ORM would."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quiz import exam_sql, services
from quiz.models import Attempt, AttemptQuestion, Choice
from tests.factories import UserFactory, correct_choice_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered_slot(exam_bank):
    user = UserFactory()
    request = services.ExamRequest(mode=Attempt.Mode.CUSTOM, question_count=6, time_limit_minutes=30)
    started = timezone.now() - timedelta(minutes=5)  # 40 s spent must fit in the time used
    attempt = services.attempt_start(user=user, request=request, now=started)
    slot = AttemptQuestion.objects.select_related("question").get(attempt=attempt, slot=2)
    services.answer_save(
        attempt=attempt,
        slot=slot,
        choice_ids=correct_choice_ids(slot.question),
        sequence=7,
        time_spent_seconds=40,
        now=timezone.now(),
    )
    services.flag_set(attempt=attempt, slot=slot, is_flagged=True, now=timezone.now())
    return user, attempt


def assert_same_values(raw, orm, parts) -> None:
    """Each (related path, columns) holds equal values of equal types in both."""
    for path, columns in parts:
        raw_part, orm_part = raw, orm
        for name in filter(None, path.split(".")):
            raw_part, orm_part = getattr(raw_part, name), getattr(orm_part, name)
        for column in columns:
            assert getattr(raw_part, column) == getattr(orm_part, column), (path, column)
            assert type(getattr(raw_part, column)) is type(getattr(orm_part, column)), (path, column)


def test_slot_on_screen_matches_the_orm(answered_slot):
    user, attempt = answered_slot
    raw = exam_sql.slot_on_screen(user_id=user.pk, attempt_id=attempt.pk, slot=2)
    orm = AttemptQuestion.objects.select_related("attempt", "question__topic").get(attempt=attempt, slot=2)
    assert_same_values(raw, orm, [
        ("", exam_sql.SCREEN_SLOT_COLUMNS),
        ("attempt", exam_sql.SCREEN_ATTEMPT_COLUMNS),
        ("question", exam_sql.SCREEN_QUESTION_COLUMNS),
        ("question.topic", exam_sql.SCREEN_TOPIC_COLUMNS),
    ])
    assert raw.selected_choice_ids and raw.is_flagged and raw.time_spent_seconds == 40
    assert raw.attempt.deadline_at is not None and timezone.is_aware(raw.attempt.deadline_at)
    # The question's choices come with the slot: ids and texts, nothing of the key.
    shown = {choice.pk: choice.text for choice in raw.choice_texts}
    assert shown == dict(Choice.objects.filter(pk__in=orm.choice_order).values_list("pk", "text"))
    assert all(choice._fields == ("pk", "text") for choice in raw.choice_texts)


def test_slot_to_write_matches_the_orm_and_counts_before_the_write(answered_slot):
    user, attempt = answered_slot
    raw = exam_sql.slot_to_write(user_id=user.pk, attempt_id=attempt.pk, slot=3)
    orm = AttemptQuestion.objects.select_related("attempt", "question").get(attempt=attempt, slot=3)
    assert_same_values(raw, orm, [
        ("", exam_sql.SLOT_COLUMNS),
        ("attempt", exam_sql.ATTEMPT_COLUMNS),
        ("question", exam_sql.QUESTION_COLUMNS),
    ])
    assert (raw.answered_before, raw.flagged_before) == (1, 1)


def test_reads_find_nothing_for_another_users_attempt(answered_slot):
    _user, attempt = answered_slot
    stranger = UserFactory()
    assert exam_sql.slot_on_screen(user_id=stranger.pk, attempt_id=attempt.pk, slot=2) is None
    assert exam_sql.slot_to_write(user_id=stranger.pk, attempt_id=attempt.pk, slot=2) is None


def test_navigator_marks(answered_slot):
    _user, attempt = answered_slot
    marks = exam_sql.navigator_marks(attempt_id=attempt.pk)
    assert [m[0] for m in marks] == list(range(1, 7))
    assert marks[1] == (2, True, True) and marks[0] == (1, False, False)


@pytest.fixture
def open_attempt(exam_bank):
    user = UserFactory()
    request = services.ExamRequest(mode=Attempt.Mode.CUSTOM, question_count=12, time_limit_minutes=30)
    started = timezone.now() - timedelta(minutes=2)
    return user, services.attempt_start(user=user, request=request, now=started)


def save_owned(user, attempt, number, choice_ids, *, sequence=5, seconds=None, now=None):
    return services.answer_save_owned(
        user=user, attempt_id=attempt.pk, slot=number, choice_ids=choice_ids,
        sequence=sequence, time_spent_seconds=seconds, now=now or timezone.now(),
    )  # fmt: skip


def slot_row(attempt, kind):
    return AttemptQuestion.objects.select_related("question").filter(attempt=attempt, question__kind=kind).order_by("slot").first()


@pytest.fixture
def one_statement(open_attempt):
    if not exam_sql.saves_in_one_statement():
        assert services.answer_save_owned(
            user=open_attempt[0], attempt_id=open_attempt[1].pk, slot=1, choice_ids=[],
            sequence=1, time_spent_seconds=None, now=timezone.now(),
        ) is None  # fmt: skip
        pytest.skip("the one-statement save is PostgreSQL's; SQLite takes answer_save")
    return open_attempt


def test_one_statement_save_stores_what_answer_save_stores(one_statement):
    user, attempt = one_statement
    single, multiple = slot_row(attempt, "single"), slot_row(attempt, "multiple")
    services.flag_set(attempt=attempt, slot=multiple, is_flagged=True, now=timezone.now())
    # A complete single answer; time is capped by the attempt's age (2 minutes).
    stored = save_owned(user, attempt, single.slot, correct_choice_ids(single.question), seconds=9999)
    assert stored.status.is_answered and stored.status.slot == single.slot
    assert (stored.question_count, stored.answered_count, stored.flagged_count) == (12, 1, 1)
    assert stored.deadline_at == attempt.deadline_at
    single.refresh_from_db()
    assert single.selected_choice_ids == sorted(correct_choice_ids(single.question))
    assert single.is_answered and single.answer_sequence == 5
    assert 119 <= single.time_spent_seconds <= 125
    # Part of a multiple-response answer: stored, not answered; the counts say so.
    first = correct_choice_ids(multiple.question)[:1]
    stored = save_owned(user, attempt, multiple.slot, first, seconds=30)
    assert not stored.status.is_answered and stored.status.selected_count == 1
    assert stored.status.required_count == len(correct_choice_ids(multiple.question))
    assert stored.answered_count == 1
    multiple.refresh_from_db()
    assert multiple.selected_choice_ids == first and not multiple.is_answered
    assert multiple.time_spent_seconds == 30 and multiple.is_flagged


def test_one_statement_save_refuses_what_answer_save_refuses(one_statement, exam_bank):
    user, attempt = one_statement
    single, multiple = slot_row(attempt, "single"), slot_row(attempt, "multiple")
    other_question = AttemptQuestion.objects.filter(attempt=attempt).exclude(pk=single.pk).first()
    refused = {
        "two choices on a single-answer question": (single, single.choice_order[:2], 5, user),
        "a choice of another question": (single, other_question.choice_order[:1], 5, user),
        "an older sequence than the one stored": (multiple, multiple.choice_order[:1], 1, user),
        "another user's attempt": (single, single.choice_order[:1], 5, UserFactory()),
    }
    save_owned(user, attempt, multiple.slot, multiple.choice_order[:2], sequence=3)
    for why, (row, choices, sequence, who) in refused.items():
        assert save_owned(who, attempt, row.slot, choices, sequence=sequence) is None, why
    single.refresh_from_db()
    assert single.selected_choice_ids == [] and single.answer_sequence == 0
    multiple.refresh_from_db()
    assert multiple.selected_choice_ids == sorted(multiple.choice_order[:2])
    # Past the deadline and its grace, nothing is stored either.
    late = attempt.deadline_at + timedelta(minutes=1)
    assert save_owned(user, attempt, single.slot, single.choice_order[:1], now=late) is None
    single.refresh_from_db()
    assert single.selected_choice_ids == []
