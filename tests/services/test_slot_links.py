"""The question card's links, built from one reverse(), are the URL conf's own."""

import pytest
from django.urls import reverse

from quiz import selectors
from quiz.models import Attempt


@pytest.mark.parametrize("mode", [Attempt.Mode.CUSTOM, Attempt.Mode.PRACTICE])
def test_card_links_equal_reverse_for_first_middle_and_last_slot(mode):
    attempt = Attempt(pk=41, mode=mode, question_count=12)  # links need no row
    for slot in (1, 7, 12):
        args = [attempt.pk, slot]
        links = selectors.slot_links(attempt=attempt, slot=slot)
        assert links.question == reverse("quiz:attempt-question", args=args)
        assert links.flag == reverse("quiz:flag-question", args=args)
        assert links.time == reverse("quiz:record-time", args=args)
        expected_check = reverse("quiz:check-answer", args=args) if mode == Attempt.Mode.PRACTICE else ""
        assert links.check == expected_check
        expected_previous = reverse("quiz:attempt-question", args=[attempt.pk, slot - 1]) if slot > 1 else ""
        assert links.previous == expected_previous
        expected_next = reverse("quiz:attempt-question", args=[attempt.pk, slot + 1]) if slot < 12 else ""
        assert links.next == expected_next
