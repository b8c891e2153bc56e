"""Reads shaped for pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from quiz import exam_sql
from quiz.engine import scoring, timing
from quiz.engine.types import PresentedChoice, PresentedQuestion, SlotStatus
from quiz.models import Attempt, AttemptQuestion, Choice, Domain, Exam, Question, Topic


def exam_blueprint() -> Exam | None:
    return Exam.objects.order_by("pk").first()


def domains_with_topics():
    """Return domains, each with its topics annotated by active question count (2 queries)."""
    topics = Topic.objects.annotate(
        question_count=Count("questions", filter=Q(questions__is_active=True))
    ).order_by("name")
    return Domain.objects.prefetch_related(Prefetch("topics", queryset=topics))


@dataclass(frozen=True, slots=True)
class SlotMark:
    slot: int
    is_answered: bool
    is_flagged: bool


@dataclass(frozen=True, slots=True)
class ProgressCounts:
    total: int
    answered_count: int
    flagged_count: int


@dataclass(frozen=True)
class Navigator:
    statuses: tuple[SlotMark, ...]
    current_slot: int
    question_url_prefix: str = ""

    @cached_property
    def cells_html(self) -> SafeString:
        """The grid's links, built in one pass. As template loops, their ~450 variable
        lookups and escapes were the costliest part of the question screen; so was
        format_html_join escaping every number. Only the three labels need escaping."""
        answered, unanswered, flagged = (escape(label) for label in (_("answered"), _("unanswered"), _("flagged")))
        prefix = escape(self.question_url_prefix)
        rows = []
        for mark in self.statuses:
            css = "nav-cell"
            label = answered if mark.is_answered else unanswered
            if mark.is_answered:
                css += " answered"
            if mark.is_flagged:
                css += " flagged"
                label += ", " + flagged
            current = ""
            if mark.slot == self.current_slot:
                css += " current"
                current = ' aria-current="page"'
            number = int(mark.slot)
            rows.append(
                f'<li><a href="{prefix}{number}/" id="nav-{number}" class="{css}"{current}>'
                f'{number}<span class="visually-hidden">, {label}</span></a></li>'
            )
        return mark_safe("\n".join(rows))  # built from escaped labels and integers

    @property
    def total(self) -> int:
        return len(self.statuses)

    @property
    def answered_count(self) -> int:
        return sum(status.is_answered for status in self.statuses)

    @property
    def flagged_count(self) -> int:
        return sum(status.is_flagged for status in self.statuses)

    @property
    def unanswered(self) -> list[SlotMark]:
        return [status for status in self.statuses if not status.is_answered]

    @property
    def flagged(self) -> list[SlotMark]:
        return [status for status in self.statuses if status.is_flagged]


def attempt_navigator(*, attempt: Attempt, current_slot: int = 0) -> Navigator:
    """Return every slot's answered/flagged state (one query)."""
    rows = exam_sql.navigator_marks(attempt_id=attempt.pk)
    # The question URL of slot 0 ends in "0/"; every cell's link swaps in its own slot.
    prefix = reverse("quiz:attempt-question", args=[attempt.pk, 0])[:-2]
    return Navigator(
        statuses=tuple(SlotMark(*row) for row in rows),
        current_slot=current_slot,
        question_url_prefix=prefix,
    )


def attempt_progress_counts(*, attempt: Attempt) -> ProgressCounts:
    """Return how many slots are answered and flagged, counted in the database (one query)."""
    counts = AttemptQuestion.objects.filter(attempt=attempt).aggregate(
        total=Count("pk"),
        answered_count=Count("pk", filter=Q(is_answered=True)),
        flagged_count=Count("pk", filter=Q(is_flagged=True)),
    )
    return ProgressCounts(**counts)


def slot_answer_status(*, slot_row: AttemptQuestion, selected_ids=None) -> SlotStatus:
    """Return the answered state of one slot (from its row, or from a selection just saved)."""
    selected = slot_row.selected_choice_ids if selected_ids is None else selected_ids
    return scoring.slot_status(
        slot_row.slot,
        slot_row.question.kind,
        len(slot_row.choice_order),
        len(selected),
        slot_row.is_flagged,
    )


@dataclass(frozen=True, slots=True)
class SlotLinks:
    """Where one question card's forms and buttons lead ("" where there is no neighbour)."""

    question: str
    previous: str
    next: str
    flag: str
    time: str
    check: str  # practice only


def slot_links(*, attempt: Attempt, slot: int) -> SlotLinks:
    """Build the card's links from one reverse(): the flag, time and check URLs lie under
    the question's own (quiz/urls.py; a test holds them equal to reverse()), and each
    reverse() cost as much as the rest of the card's context."""
    question = reverse("quiz:attempt-question", args=[attempt.pk, slot])
    prefix = question[: -len(f"{slot}/")]
    return SlotLinks(
        question=question,
        previous=f"{prefix}{slot - 1}/" if slot > 1 else "",
        next=f"{prefix}{slot + 1}/" if slot < attempt.question_count else "",
        flag=f"{question}flag/",
        time=f"{question}time/",
        check=f"{question}check/" if attempt.is_practice else "",
    )


def owned_slot(*, user, attempt_id: int, slot: int) -> AttemptQuestion | None:
    """Return one slot of the user's attempt, with its attempt, question and topic, in one
    query (written out in SQL: quiz/exam_sql.py says why)."""
    if not user.is_authenticated:
        return None
    return exam_sql.slot_on_screen(user_id=user.pk, attempt_id=attempt_id, slot=slot)


def owned_slot_to_write(*, user, attempt_id: int, slot: int) -> AttemptQuestion | None:
    """Return one slot of the user's attempt as autosave and flag need it, in one query.

    Only the columns a write checks (no question text, no topic notes, no score JSON),
    plus the attempt's answered and flagged counts before the write, as `answered_before`
    and `flagged_before`; written out in SQL (quiz/exam_sql.py says why).
    """
    if not user.is_authenticated:
        return None
    return exam_sql.slot_to_write(user_id=user.pk, attempt_id=attempt_id, slot=slot)


def counts_after_write(slot_row: AttemptQuestion, *, is_answered=None, is_flagged=None) -> ProgressCounts:
    """The attempt's progress counts once this slot holds the values just written."""
    answered = slot_row.answered_before
    flagged = slot_row.flagged_before
    if is_answered is not None:
        answered += int(is_answered) - int(slot_row.is_answered)
    if is_flagged is not None:
        flagged += int(is_flagged) - int(slot_row.is_flagged)
    return ProgressCounts(
        total=slot_row.attempt.question_count, answered_count=answered, flagged_count=flagged
    )


def attempt_slot(*, attempt: Attempt, slot: int) -> AttemptQuestion | None:
    # get(), not first(): (attempt, slot) is unique, so first()'s ORDER BY and queryset
    # cloning are waste; the question screen uses the topic (study-notes link) but never
    # the domain. Together ~1 ms of CPU per autosave, about 10% (bench/run.py).
    try:
        return AttemptQuestion.objects.select_related("question__topic").get(
            attempt=attempt, slot=slot
        )
    except AttemptQuestion.DoesNotExist:
        return None


def presented_question(
    *, slot_row: AttemptQuestion, choices: list[Choice] | list[exam_sql.ChoiceText]
) -> PresentedQuestion:
    """Return the question as an in-progress screen may show it: no key, no rationale."""
    by_id = {choice.pk: choice for choice in choices}
    ordered = [by_id[choice_id] for choice_id in slot_row.choice_order if choice_id in by_id]
    selected_ids = frozenset(slot_row.selected_choice_ids)
    return PresentedQuestion(
        slot=slot_row.slot,
        stem=slot_row.question.stem,
        kind=slot_row.question.kind,
        choices=tuple(
            PresentedChoice(
                choice_id=choice.pk,
                text=choice.text,
                position=position,
                is_selected=choice.pk in selected_ids,
            )
            for position, choice in enumerate(ordered)
        ),
        selected_ids=selected_ids,
        required_count=scoring.required_selection_count(
            slot_row.question.kind, len(slot_row.choice_order)
        ),
        is_flagged=slot_row.is_flagged,
    )


def slot_choices(*, slot_row: AttemptQuestion, with_feedback: bool = False) -> list[Choice] | list[exam_sql.ChoiceText]:
    """The choices of a slot read by owned_slot: their texts came with it; their key,
    rationale and concept are read only when feedback is shown."""
    if with_feedback:
        return list(Choice.objects.filter(pk__in=slot_row.choice_order).select_related("concept"))
    return slot_row.choice_texts


@dataclass(frozen=True)
class ClockState:
    remaining_seconds: int | None
    deadline_at: datetime | None

    @property
    def is_timed(self) -> bool:
        return self.remaining_seconds is not None


def attempt_clock(*, attempt: Attempt, now: datetime) -> ClockState:
    return ClockState(timing.remaining_seconds(attempt.deadline_at, now), attempt.deadline_at)


def in_progress_attempts(*, user):
    return Attempt.objects.for_user(user).in_progress().order_by("-started_at")


def full_exam_under_way(*, user) -> Attempt | None:
    return in_progress_attempts(user=user).filter(mode=Attempt.Mode.FULL).first()


def finished_attempts(*, user, limit: int = 10):
    return Attempt.objects.for_user(user).finished().order_by("-finished_at")[:limit]


@dataclass(frozen=True)
class ReviewItem:
    slot: AttemptQuestion
    choices: list[Choice]
    selected_ids: frozenset[int]

    @property
    def question(self) -> Question:
        return self.slot.question


def attempt_review_items(
    *, attempt: Attempt, show: str = "all", domain_key: str = ""
) -> list[ReviewItem]:
    """Return finished slots with their ordered choices (2 queries), filtered for the review."""
    slots = AttemptQuestion.objects.filter(attempt=attempt).select_related(
        "question__topic", "question__domain", "question__task"
    )
    if show == "wrong":
        slots = slots.filter(is_correct=False)
    elif show == "flagged":
        slots = slots.filter(is_flagged=True)
    if domain_key:
        slots = slots.filter(domain__key=domain_key)
    slots = list(slots)
    choice_ids = [choice_id for slot in slots for choice_id in slot.choice_order]
    by_id = {c.pk: c for c in Choice.objects.filter(pk__in=choice_ids)}
    return [
        ReviewItem(
            slot=slot,
            choices=[by_id[choice_id] for choice_id in slot.choice_order if choice_id in by_id],
            selected_ids=frozenset(slot.selected_choice_ids),
        )
        for slot in slots
    ]


def attempt_pace(*, attempt: Attempt) -> dict:
    """Return time used and the average per question against the exam's pace."""
    exam = exam_blueprint()
    finished_at = attempt.finished_at or attempt.started_at
    used = timing.elapsed_seconds(attempt.started_at, finished_at, attempt.deadline_at)
    target = (exam.time_limit_minutes * 60 / exam.question_count) if exam else 144
    per_question = used / attempt.question_count if attempt.question_count else 0
    return {
        "used_seconds": used,
        "per_question_seconds": round(per_question),
        "target_per_question_seconds": round(target),
        "is_within_pace": per_question <= target,
    }


def topics_to_study(*, attempt: Attempt) -> list[dict]:
    """Topics of the attempt's missed questions, most missed first, then by name (one
    query; at most the bank's 32 topics)."""
    return list(
        AttemptQuestion.objects.filter(attempt=attempt, is_correct=False)
        .values("question__topic__key", "question__topic__name")
        .annotate(missed=Count("pk"))
        .order_by("-missed", Lower("question__topic__name"))
    )
