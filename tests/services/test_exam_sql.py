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
