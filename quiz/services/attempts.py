"""Start, answer, flag, submit and expire attempts."""

from __future__ import annotations

import functools
import random
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quiz import exam_sql
from quiz.engine import scoring, timing
from quiz.engine import selection as selection_module
from quiz.engine.types import GradedAnswer, History, PoolQuestion
from quiz.models import (
    Attempt,
    AttemptQuestion,
    Choice,
    ChosenChoice,
    Domain,
    Exam,
    Question,
    ReviewCard,
)
from quiz.services.reviews import review_cards_update


class SelectionShortfall(Exception):
    """The bank cannot fill the request; the message says what is short."""


class AttemptClosed(Exception):
    """The attempt no longer accepts answers (finished, or its time is up)."""


class AnswerIncomplete(Exception):
    """A practice question was sent for checking before its answer was complete."""


class AnswerOutcome(Enum):
    SAVED = "saved"
    STALE = "stale"  # an older or repeated request: the newer answer stays


@dataclass(frozen=True)
class ExamRequest:
    mode: str
    question_count: int
    time_limit_minutes: int | None
    domain_keys: Sequence[str] = field(default_factory=tuple)
    topic_keys: Sequence[str] = field(default_factory=tuple)
    title: str = ""
    assignment_id: int | None = None


def assignment_request(assignment) -> ExamRequest:
    return ExamRequest(
        mode=assignment.mode,
        question_count=assignment.question_count,
        time_limit_minutes=assignment.time_limit_minutes,
        domain_keys=list(assignment.domain_keys),
        topic_keys=list(assignment.topic_keys),
        title=assignment.title,
        assignment_id=assignment.pk,
    )


def full_exam_request(exam: Exam) -> ExamRequest:
    return ExamRequest(
        mode=Attempt.Mode.FULL,
        question_count=exam.question_count,
        time_limit_minutes=exam.time_limit_minutes,
        title=_("Full mock exam"),
    )


def _pool(*, user, request: ExamRequest) -> list[PoolQuestion]:
    """Return the active questions matching the request, with the user's history tier."""
    history = AttemptQuestion.objects.filter(question=OuterRef("pk"), attempt__user=user)
    questions = Question.objects.active().in_scope(
        domain_keys=request.domain_keys, topic_keys=request.topic_keys
    )
    rows = questions.annotate(
        was_seen=Exists(history),
        last_correct=Subquery(
            history.filter(is_correct__isnull=False)
            .order_by("-attempt__started_at", "-pk")
            .values("is_correct")[:1]
        ),
    ).values_list("pk", "domain__key", "was_seen", "last_correct")
    pool = []
    for question_id, domain_key, was_seen, last_correct in rows:
        if not was_seen:
            tier = History.UNSEEN
        elif last_correct is False:
            tier = History.LAST_WRONG
        else:
            tier = History.SEEN
        pool.append(PoolQuestion(question_id, domain_key, tier))
    return pool


def _shortfall_message(shortfalls, domain_names: dict[str, str]) -> str:
    parts = [
        ngettext(
            "%(domain)s needs %(wanted)d question but the bank has %(available)d",
            "%(domain)s needs %(wanted)d questions but the bank has %(available)d",
            s.wanted,
        )
        % {
            "domain": domain_names.get(s.domain, s.domain),
            "wanted": s.wanted,
            "available": s.available,
        }
        for s in shortfalls
    ]
    return _("The question bank cannot fill this exam: %(details)s.") % {
        "details": "; ".join(parts)
    }


@transaction.atomic
def attempt_start(*, user, request: ExamRequest, now: datetime, seed: int | None = None) -> Attempt:
    """Draw the questions, freeze them with a shuffled choice order, and open the attempt."""
    if seed is None:
        seed = secrets.randbits(48)
    rng = random.Random(seed)
    domains = list(Domain.objects.values_list("key", "name", "weight_percent"))
    domain_names = {key: name for key, name, _weight in domains}
    weights = {key: weight for key, _name, weight in domains}
    if request.domain_keys:
        weights = {key: weight for key, weight in weights.items() if key in request.domain_keys}
    pool = _pool(user=user, request=request)
    if request.topic_keys:
        # A topic choice narrows the pool; share the count among the domains it covers.
        covered = {question.domain for question in pool}
        weights = {key: weight for key, weight in weights.items() if key in covered} or weights
    if not pool:
        raise SelectionShortfall(_("No question matches this choice; choose other domains or topics."))
    if len(pool) < request.question_count:
        raise SelectionShortfall(
            ngettext(
                "Only %(available)d question matches this choice; ask for %(available)d or widen it.",
                "Only %(available)d questions match this choice; ask for %(available)d or fewer, or widen it.",
                len(pool),
            )
            % {"available": len(pool)}
        )
    quotas = selection_module.apportion(request.question_count, weights)
    question_ids, shortfalls = selection_module.select_questions(
        pool, quotas, rng, rebalance=request.mode != Attempt.Mode.FULL
    )
    if shortfalls:
        raise SelectionShortfall(_shortfall_message(shortfalls, domain_names))

    return _open_attempt(
        user=user,
        mode=request.mode,
        title=request.title or Attempt.Mode(request.mode).label,
        question_ids=question_ids,
        time_limit_minutes=request.time_limit_minutes,
        seed=seed,
        rng=rng,
        now=now,
        selection={"domains": list(request.domain_keys), "topics": list(request.topic_keys)},
        assignment_id=request.assignment_id,
    )


def _open_attempt(
    *,
    user,
    mode: str,
    title: str,
    question_ids: Sequence[int],
    time_limit_minutes: int | None,
    seed: int,
    rng: random.Random,
    now: datetime,
    selection: dict,
    assignment_id: int | None = None,
) -> Attempt:
    """Create the attempt and freeze its slots with a shuffled choice order (3 queries)."""
    choices_by_question: dict[int, list[int]] = defaultdict(list)
    for question_id, choice_id in Choice.objects.filter(question_id__in=question_ids).values_list(
        "question_id", "pk"
    ):
        choices_by_question[question_id].append(choice_id)
    domain_of = dict(Question.objects.filter(pk__in=question_ids).values_list("pk", "domain_id"))
    limit_seconds = time_limit_minutes * 60 if time_limit_minutes else None
    attempt = Attempt.objects.create(
        user=user,
        mode=mode,
        title=title,
        seed=seed,
        question_count=len(question_ids),
        time_limit_seconds=limit_seconds,
        started_at=now,
        deadline_at=timing.deadline_for(now, limit_seconds),
        selection=selection,
        assignment_id=assignment_id,
    )
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt,
            slot=slot,
            question_id=question_id,
            domain_id=domain_of[question_id],
            choice_order=selection_module.shuffle_choices(choices_by_question[question_id], rng),
        )
        for slot, question_id in enumerate(question_ids, start=1)
    )
    return attempt


@transaction.atomic
def drill_start(*, user, question_count: int, now: datetime, seed: int | None = None) -> Attempt:
    """Start a practice drill: questions due for review first, then the weakest topics'.

    Within the weak topics, questions never seen or last answered wrong come first.
    """
    from quiz import progress  # reads only; imported here to keep services free of page code

    if seed is None:
        seed = secrets.randbits(48)
    rng = random.Random(seed)
    due_ids = list(
        ReviewCard.objects.filter(user=user, due_at__lte=now, question__is_active=True)
        .order_by("due_at")
        .values_list("question_id", flat=True)[:question_count]
    )
    weak_topics = [spot.key for spot in progress.weakest_topic_spots(user=user)[:3]]
    picked = list(dict.fromkeys(due_ids))
    if len(picked) < question_count and weak_topics:
        picked.extend(_weak_topic_questions(user, weak_topics, question_count - len(picked), set(picked), rng))
    if not picked:
        raise SelectionShortfall(
            _("Nothing to drill yet: finish an exam or practise a topic first, so your weak spots are known.")
        )
    rng.shuffle(picked)
    return _open_attempt(
        user=user,
        mode=Attempt.Mode.PRACTICE,
        title=_("Drill: my weak spots"),
        question_ids=picked,
        time_limit_minutes=None,
        seed=seed,
        rng=rng,
        now=now,
        selection={"drill": True, "topics": weak_topics, "due": len(due_ids)},
    )


# The weakest topic gets half of a drill, the next two a quarter each.
DRILL_TOPIC_WEIGHTS = (2, 1, 1)


def _weak_topic_questions(user, topic_keys: list[str], count: int, exclude: set[int], rng) -> list[int]:
    """Pick `count` questions across the weakest topics, unseen and last-wrong ones first."""
    request = ExamRequest(
        mode=Attempt.Mode.PRACTICE, question_count=0, time_limit_minutes=None, topic_keys=topic_keys
    )
    topic_of = dict(
        Question.objects.filter(topic__key__in=topic_keys).values_list("pk", "topic__key")
    )
    by_topic: dict[str, list[PoolQuestion]] = {key: [] for key in topic_keys}
    for question in _pool(user=user, request=request):
        if question.question_id not in exclude:
            by_topic[topic_of[question.question_id]].append(question)
    for questions in by_topic.values():
        questions.sort(key=lambda q: (q.history, rng.random()))
    weights = dict(zip(topic_keys, DRILL_TOPIC_WEIGHTS, strict=False))
    quotas = selection_module.apportion(count, weights)
    picked = [q.question_id for key in topic_keys for q in by_topic[key][: quotas[key]]]
    leftovers = [q for key in topic_keys for q in by_topic[key][quotas[key] :]]
    leftovers.sort(key=lambda q: q.history)
    picked.extend(q.question_id for q in leftovers[: count - len(picked)])
    return picked


class _AttemptOverdue(Exception):
    """A write arrived after the deadline; the attempt is scored once the write's
    transaction (if any) has rolled back."""


def _lock_open_attempt(attempt: Attempt, now: datetime) -> Attempt:
    """Lock the attempt row and make sure it still takes answers."""
    locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if locked.is_finished:
        raise AttemptClosed(_("This attempt has ended."))
    if timing.is_overdue(locked.deadline_at, now):
        raise _AttemptOverdue
    return locked


def _finalizing_when_overdue(write):
    """Refuse a write that arrives after the deadline (and grace), scoring the attempt.

    The refusal rolls back the write's transaction, so the scoring runs in its own one
    afterwards; otherwise the rollback would undo it too.
    """

    @functools.wraps(write)
    def guarded(*, attempt: Attempt, now: datetime, **kwargs):
        try:
            return write(attempt=attempt, now=now, **kwargs)
        except _AttemptOverdue:
            attempt_submit(attempt=attempt, now=now)
            raise AttemptClosed(_("Time is up: this attempt has ended.")) from None

    return guarded


def _refusal(attempt: Attempt, slot: AttemptQuestion, now: datetime) -> AnswerOutcome:
    """Say why a conditional write changed nothing: closed, overdue, checked, or stale."""
    current = Attempt.objects.only("status", "deadline_at").get(pk=attempt.pk)
    if current.is_finished:
        raise AttemptClosed(_("This attempt has ended."))
    if timing.is_overdue(current.deadline_at, now):
        raise _AttemptOverdue
    if AttemptQuestion.objects.filter(pk=slot.pk, is_correct__isnull=False).exists():
        raise AttemptClosed(_("This question has already been checked."))
    return AnswerOutcome.STALE


@_finalizing_when_overdue
def answer_save(
    *,
    attempt: Attempt,
    slot: AttemptQuestion,
    choice_ids: Sequence[int],
    sequence: int,
    time_spent_seconds: int | None,
    now: datetime,
) -> AnswerOutcome:
    """Store the selection in one conditional UPDATE, and only if the attempt still takes
    answers, the slot is not graded yet and no newer selection is stored.

    No lock is taken: grading locks the slot rows before reading them and sets is_correct
    on every one, so a save racing the end of the exam is either read by grading, or waits
    for it and then finds is_correct set and changes nothing. Never half-applied.
    """
    if slot.is_correct is not None:
        raise AttemptClosed(_("This question has already been checked."))
    selected = sorted(int(c) for c in choice_ids)
    required = scoring.required_selection_count(slot.question.kind, len(slot.choice_order))
    if time_spent_seconds is not None:
        time_spent_seconds = _plausible_seconds(attempt, time_spent_seconds, now)
    saved = exam_sql.save_selection(
        slot_id=slot.pk,
        selected_ids=selected,
        is_answered=len(selected) == required,
        sequence=sequence,
        answered_at=now,
        time_spent_seconds=time_spent_seconds,
        now=now,
    )
    return AnswerOutcome.SAVED if saved else _refusal(attempt, slot, now)


def _plausible_seconds(attempt: Attempt, seconds: int, now: datetime) -> int:
    """Time on one question, as the browser counts it, capped by the attempt's age."""
    return max(0, min(seconds, int((now - attempt.started_at).total_seconds())))


def time_record(*, attempt: Attempt, slot: AttemptQuestion, seconds: int, now: datetime) -> bool:
    """Record the time spent on a question the learner moves away from, without touching
    its selection (a move must never rewrite an answer). Time only grows; a closed attempt
    or a checked question keeps what it has. Return whether anything changed."""
    seconds = _plausible_seconds(attempt, seconds, now)
    return exam_sql.record_time(slot_id=slot.pk, seconds=seconds, now=now)


@_finalizing_when_overdue
def flag_set(*, attempt: Attempt, slot: AttemptQuestion, is_flagged: bool, now: datetime) -> None:
    """Mark or unmark a slot for review (one conditional UPDATE, as answer_save)."""
    if not exam_sql.set_flag(slot_id=slot.pk, is_flagged=is_flagged, now=now):
        _refusal(attempt, slot, now)


@_finalizing_when_overdue
def answer_check(*, attempt: Attempt, slot: AttemptQuestion, now: datetime) -> bool:
    """Practice mode: grade one slot now and lock it; return whether it was right."""
    with transaction.atomic():
        _lock_open_attempt(attempt, now)
        locked = AttemptQuestion.objects.select_for_update().get(pk=slot.pk)
        if locked.is_correct is not None:
            return locked.is_correct
        if not locked.is_answered:
            # A stray click must not spend the question: nothing is graded or revealed.
            raise AnswerIncomplete(_("Choose your answer before checking it."))
        correct_ids = set(
            Choice.objects.filter(question_id=locked.question_id, is_correct=True).values_list(
                "pk", flat=True
            )
        )
        selected = set(locked.selected_choice_ids)
        locked.is_correct = bool(correct_ids) and selected == correct_ids
        locked.save(update_fields=["is_correct"])
        Attempt.objects.filter(pk=attempt.pk).update(results_version=F("results_version") + 1)
        review_cards_update(
            user_id=attempt.user_id, graded=[(locked.question_id, locked.is_correct)], now=now
        )
        ChosenChoice.objects.bulk_create(
            ChosenChoice(
                attempt_question=locked, choice_id=choice_id, is_correct=choice_id in correct_ids
            )
            for choice_id in sorted(selected)
        )
        return locked.is_correct


def attempt_submit(*, attempt: Attempt, now: datetime, time_up: bool = False) -> Attempt:
    """End the attempt and store its score; a second call returns the stored result.

    `time_up`: the page's clock ran out; if that is believable (timing.clock_ran_out) the
    attempt ends as timed out, at its deadline, as it would a moment later.
    """
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if not locked.is_finished:
            ended_by_clock = time_up and timing.clock_ran_out(locked.deadline_at, now)
            _grade_and_close(locked, now, ended_by_clock=ended_by_clock)
    return locked


def attempt_discard(*, attempt: Attempt) -> bool:
    """Delete an attempt in progress with its answers, as if it had never been started.

    Return False, deleting nothing, if it has ended meanwhile: a scored result (or one
    ended by its clock) stays in the learner's history.
    """
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().filter(pk=attempt.pk).first()
        if locked is None or locked.is_finished:
            return False
        locked.delete()
    return True


def attempt_finalize_if_overdue(*, attempt: Attempt, now: datetime) -> Attempt:
    """Finalize an in-progress attempt whose time is up; return the current row."""
    if attempt.is_finished or not timing.is_overdue(attempt.deadline_at, now):
        return attempt
    return attempt_submit(attempt=attempt, now=now)


def attempts_expire_overdue(*, now: datetime, user=None) -> int:
    """Finalize every in-progress attempt past its deadline (for a scheduler); return how many."""
    overdue = Attempt.objects.in_progress().filter(
        deadline_at__lt=now - timedelta(seconds=timing.GRACE_SECONDS)
    )
    if user is not None:
        overdue = overdue.filter(user=user)
    count = 0
    for attempt in overdue:
        attempt_submit(attempt=attempt, now=now)
        count += 1
    return count


def next_deadline(*, user) -> datetime | None:
    """Return the earliest deadline among the user's timed attempts still in progress."""
    return (
        Attempt.objects.for_user(user)
        .in_progress()
        .exclude(deadline_at=None)
        .order_by("deadline_at")
        .values_list("deadline_at", flat=True)
        .first()
    )


def _grade_and_close(attempt: Attempt, now: datetime, *, ended_by_clock: bool = False) -> None:
    """Grade every slot, store chosen choices and the score (the attempt row is locked)."""
    # Locked before they are read: a save racing this grading either lands first and is
    # read here, or waits and then finds is_correct set (see answer_save).
    slots = list(
        AttemptQuestion.objects.filter(attempt=attempt)
        .select_related("domain", "question__task")
        .select_for_update(of=("self",))
    )
    correct_by_question: dict[int, set[int]] = defaultdict(set)
    for question_id, choice_id in Choice.objects.filter(
        question_id__in=[s.question_id for s in slots], is_correct=True
    ).values_list("question_id", "pk"):
        correct_by_question[question_id].add(choice_id)

    graded: list[GradedAnswer] = []
    chosen: list[ChosenChoice] = []
    newly_graded: list[tuple[int, bool]] = []
    for slot in slots:
        correct = frozenset(correct_by_question[slot.question_id])
        answer = GradedAnswer(
            domain=slot.domain.key,
            task=slot.question.task.code,
            selected=frozenset(slot.selected_choice_ids),
            correct=correct,
        )
        graded.append(answer)
        if slot.is_correct is None:  # practice slots checked earlier keep their record
            slot.is_correct = answer.is_correct
            newly_graded.append((slot.question_id, answer.is_correct))
            chosen.extend(
                ChosenChoice(
                    attempt_question=slot, choice_id=choice_id, is_correct=choice_id in correct
                )
                for choice_id in sorted(answer.selected)
            )
    AttemptQuestion.objects.bulk_update(slots, ["is_correct"])
    ChosenChoice.objects.bulk_create(chosen)
    review_cards_update(user_id=attempt.user_id, graded=newly_graded, now=now)

    exam = Exam.objects.order_by("pk").first()
    passing = exam.passing_score if exam else 750
    domain_order = list(Domain.objects.values_list("key", flat=True))
    score = scoring.score_attempt(graded, passing_score=passing, domain_order=domain_order)
    timed_out = ended_by_clock or timing.is_overdue(attempt.deadline_at, now)
    attempt.results_version += 1
    attempt.status = Attempt.Status.EXPIRED if timed_out else Attempt.Status.SUBMITTED
    attempt.finished_at = attempt.deadline_at if timed_out else now
    attempt.correct_count = score.correct
    attempt.scaled_score = score.scaled_score
    attempt.passed = score.passed
    attempt.score_detail = {
        "percent": score.percent,
        "passing_score": passing,
        "domains": [_part(p) for p in score.domains],
        "tasks": [_part(p) for p in score.tasks],
    }
    attempt.save()


def _part(part) -> dict:
    return {
        "key": part.key,
        "correct": part.correct,
        "total": part.total,
        "percent": part.percent,
        "meets": part.meets_competencies,
    }
