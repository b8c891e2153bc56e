"""Services on their own (without the views' own expiry check)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quiz import services
from quiz.models import Attempt, AttemptQuestion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_answer_after_the_grace_is_refused_and_the_attempt_is_scored(exam_bank):
    start = timezone.now()
    user = UserFactory(username="late")
    attempt = services.attempt_start(
        user=user,
        request=services.ExamRequest(mode="custom", question_count=5, time_limit_minutes=5),
        now=start,
    )
    slot = AttemptQuestion.objects.get(attempt=attempt, slot=1)
    with pytest.raises(services.AttemptClosed, match="Time is up"):
        services.answer_save(
            attempt=attempt, slot=slot, choice_ids=slot.choice_order[:1], sequence=1,
            time_spent_seconds=None, now=start + timedelta(minutes=6),
        )
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.EXPIRED
    assert attempt.finished_at == attempt.deadline_at
    assert AttemptQuestion.objects.get(pk=slot.pk).selected_choice_ids == []
    with pytest.raises(services.AttemptClosed, match="has ended"):
        services.flag_set(attempt=attempt, slot=slot, is_flagged=True, now=start + timedelta(minutes=7))
