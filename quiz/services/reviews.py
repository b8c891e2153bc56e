"""The Leitner review queue: update cards from graded answers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from quiz.engine.reporting import leitner_next
from quiz.models import ReviewCard


def review_cards_update(*, user_id: int, graded: Iterable[tuple[int, bool]], now: datetime) -> None:
    """Move each (question id, is_correct) through the boxes in three queries at most."""
    graded = list(graded)
    if not graded:
        return
    cards = {
        card.question_id: card
        for card in ReviewCard.objects.filter(user_id=user_id, question_id__in=[q for q, _ in graded])
    }
    to_create, to_update, to_delete = [], [], []
    for question_id, is_correct in graded:
        card = cards.get(question_id)
        outcome = leitner_next(card.box if card else None, is_correct, now)
        if outcome is None:
            if card is not None:
                to_delete.append(card.pk)
            continue
        box, due_at = outcome
        if card is None:
            card = ReviewCard(user_id=user_id, question_id=question_id, box=box, due_at=due_at, updated_at=now)
            cards[question_id] = card
            to_create.append(card)
        else:
            card.box, card.due_at, card.updated_at = box, due_at, now
            to_update.append(card)
    if to_create:
        ReviewCard.objects.bulk_create(to_create)
    if to_update:
        ReviewCard.objects.bulk_update(to_update, ["box", "due_at", "updated_at"])
    if to_delete:
        ReviewCard.objects.filter(pk__in=to_delete).delete()
