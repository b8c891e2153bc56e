"""Reads for the progress page and the drill, aggregated in the database."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum

from quiz.engine import reporting
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

TREND_ATTEMPTS = 20
RECENT_ATTEMPTS = 3
WEAKEST_SHOWN = 5
# How long a user's history report stays cached at most. It is replaced as soon as their
# results change (results_stamp); the limit bounds how long renamed topics or concepts of a
# reloaded bank can show under their old names.
PROGRESS_CACHE_SECONDS = 10 * 60


def results_stamp(user_ids: list[int]) -> str:
    """A value that changes whenever any of these users' graded answers change (one small
    aggregate), so aggregates cached under it are never stale, whichever process made them.

    Grading and practice checks raise an attempt's results_version, and versions never go
    down; attempts are added with ever larger ids and only ever removed. So the count, the
    sum of versions and the largest id together name one set of attempts at their versions:
    a discarded practice attempt with checked answers lowers the sum, and a new one raising
    it back carries a larger id.
    """
    stamp = Attempt.objects.filter(user_id__in=user_ids).aggregate(
        versions=Sum("results_version"), attempts=Count("pk"), newest=Max("pk")
    )
    return f"{stamp['versions'] or 0}.{stamp['attempts']}.{stamp['newest'] or 0}"


def graded_slots(*, user):
    """Slots of the user's finished attempts and checked practice questions."""
    return AttemptQuestion.objects.filter(attempt__user=user, is_correct__isnull=False)


def _accuracy(rows, key_field: str):
    return rows.values(key_field).annotate(
        total=Count("pk"), correct=Count("pk", filter=Q(is_correct=True))
    )


@dataclass
class DomainProgress:
    key: str
    number: int
    name: str
    weight_percent: int
    answered: int = 0
    correct: int = 0
    recent_answered: int = 0
    recent_correct: int = 0
    average_seconds: float | None = None

    @property
    def percent(self) -> float | None:
        return round(100 * self.correct / self.answered, 1) if self.answered else None

    @property
    def recent_percent(self) -> float | None:
        return round(100 * self.recent_correct / self.recent_answered, 1) if self.recent_answered else None


@dataclass
class ProgressReport:
    domains: list[DomainProgress]
    weakest_topics: list[reporting.WeakSpot]
    topics_by_domain: dict[str, list[reporting.WeakSpot]]
    tasks_by_domain: dict[str, list[reporting.WeakSpot]]
    confusions: list[dict]
    readiness: reporting.Readiness
    trend: list[reporting.TrendLine]
    trend_attempts: int
    due_count: int
    answered: int
    target_seconds: float
    domain_labels: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return self.answered == 0


@dataclass
class _Tally:
    name: str = ""
    domain_key: str = ""
    correct: int = 0
    total: int = 0
    timed: int = 0  # answers with a time recorded, and their seconds (domains' average)
    timed_seconds: int = 0

    def add(self, row: dict) -> None:
        self.correct += row["correct"]
        self.total += row["total"]
        self.timed += row["timed"]
        self.timed_seconds += row["timed_seconds"] or 0

    @property
    def average_seconds(self) -> float | None:
        return self.timed_seconds / self.timed if self.timed else None


@dataclass
class _QuestionTallies:
    """The graded slots counted once per question (one query over the whole history),
    then rolled up to domains, topics and task statements over the bank's questions: the
    history is scanned once, not once per breakdown."""

    domains: dict[str, _Tally]
    topics: dict[str, _Tally]
    tasks: dict[str, _Tally]


# Where a question's topic and task statement sit among the bank read's columns.
_PARTS = {
    "topics": ("topic__key", "topic__name", "topic__domain__key"),
    "tasks": ("task__code", "task__name", "task__domain__key"),
}


def _question_tallies(slots) -> _QuestionTallies:
    rows = list(
        slots.values("question_id", "domain__key")
        .annotate(
            total=Count("pk"),
            correct=Count("pk", filter=Q(is_correct=True)),
            timed=Count("pk", filter=Q(time_spent_seconds__gt=0)),
            timed_seconds=Sum("time_spent_seconds", filter=Q(time_spent_seconds__gt=0)),
        )
        .order_by()
    )
    columns = [column for part in _PARTS.values() for column in part]
    questions = {
        question["pk"]: question
        for question in Question.objects.filter(pk__in={row["question_id"] for row in rows}).values("pk", *columns)
    }
    tallies = _QuestionTallies(defaultdict(_Tally), {}, {})
    for row in rows:
        tallies.domains[row["domain__key"]].add(row)
        question = questions[row["question_id"]]
        for part, (key, name, domain_key) in _PARTS.items():
            by_key = getattr(tallies, part)
            by_key.setdefault(question[key], _Tally(question[name], question[domain_key])).add(row)
    return tallies


def _ranked_parts(tallies: dict[str, _Tally], overall: float):
    """Rank topics or task statements weakest first; return the ranking and the same
    spots grouped by the part's domain."""
    rows = [reporting.AccuracyRow(key, t.name, t.correct, t.total) for key, t in tallies.items()]
    ranked = reporting.rank_weak_spots(rows, overall)
    by_domain: dict[str, list[reporting.WeakSpot]] = defaultdict(list)
    for spot in ranked:
        by_domain[tallies[spot.key].domain_key].append(spot)
    return ranked, dict(by_domain)


def due_review_count(*, user, now: datetime) -> int:
    return ReviewCard.objects.filter(user=user, due_at__lte=now).count()


def progress_report(*, user, now: datetime) -> ProgressReport:
    """Everything the progress page shows, in a fixed number of queries.

    The part read from the history (every graded answer: ~45 ms of database time at 200
    exams) comes from the cache until the user's results change; only the review queue,
    which moves with the clock, is counted on every view.
    """
    key = f"progress-report:{user.pk}:{results_stamp([user.pk])}"
    report = cache.get(key)
    if report is None:
        report = _history_report(user=user)
        cache.set(key, report, PROGRESS_CACHE_SECONDS)
    return dataclasses.replace(report, due_count=due_review_count(user=user, now=now))


def _history_report(*, user) -> ProgressReport:
    exam = Exam.objects.order_by("pk").first()
    passing = exam.passing_score if exam else 750
    target_seconds = exam.time_limit_minutes * 60 / exam.question_count if exam else 144
    domains = {
        d.key: DomainProgress(d.key, d.number, d.name, d.weight_percent) for d in Domain.objects.all()
    }
    slots = graded_slots(user=user)
    tallies = _question_tallies(slots)
    for key, tally in tallies.domains.items():
        domain = domains.get(key)
        if domain:
            domain.answered, domain.correct = tally.total, tally.correct
            domain.average_seconds = tally.average_seconds

    finished = Attempt.objects.for_user(user).finished()
    recent_ids = finished.order_by("-finished_at").values("pk")[:RECENT_ATTEMPTS]
    for row in _accuracy(slots.filter(attempt__in=list(recent_ids.values_list("pk", flat=True))), "domain__key"):
        domain = domains.get(row["domain__key"])
        if domain:
            domain.recent_answered, domain.recent_correct = row["total"], row["correct"]

    answered = sum(d.answered for d in domains.values())
    overall = sum(d.correct for d in domains.values()) / answered if answered else 0.5

    ranked_topics, topics_by_domain = _ranked_parts(tallies.topics, overall)
    _, tasks_by_domain = _ranked_parts(tallies.tasks, overall)
    for spots in tasks_by_domain.values():
        spots.sort(key=lambda spot: spot.key)

    # Trend: per attempt and domain over the last attempts, oldest first.
    trend_ids = list(
        finished.exclude(mode=Attempt.Mode.PRACTICE).order_by("-finished_at").values_list("pk", flat=True)[:TREND_ATTEMPTS]
    )
    order = {pk: index for index, pk in enumerate(reversed(trend_ids))}
    series: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for row in _accuracy(slots.filter(attempt__in=trend_ids), "domain__key").values(
        "attempt_id", "domain__key", "total", "correct"
    ).order_by():
        series[row["domain__key"]].append((order[row["attempt_id"]], round(100 * row["correct"] / row["total"], 1)))
    for points in series.values():
        points.sort()
    ordered_series = {key: series[key] for key in domains if key in series}

    readiness = reporting.predict_readiness(
        [(d.key, d.correct, d.answered) for d in domains.values()],
        {d.key: d.weight_percent for d in domains.values()},
        passing,
    )
    return ProgressReport(
        domains=list(domains.values()),
        weakest_topics=ranked_topics[:WEAKEST_SHOWN],
        topics_by_domain=topics_by_domain,
        tasks_by_domain=tasks_by_domain,
        confusions=confusion_rows(user=user),
        readiness=readiness,
        trend=reporting.trend_lines(ordered_series, len(trend_ids)),
        trend_attempts=len(trend_ids),
        due_count=0,  # counted per view by progress_report
        answered=answered,
        target_seconds=target_seconds,
        domain_labels={d.key: f"{d.number}. {d.name}" for d in domains.values()},
    )


def confusion_rows(*, user=None, user_ids=None, limit: int = 8) -> list[dict]:
    """The distractor concepts chosen most (by one user, or by the users of `user_ids`),
    each with the concept the case called for."""
    chosen = ChosenChoice.objects.filter(is_correct=False)
    if user is not None:
        chosen = chosen.filter(attempt_question__attempt__user=user)
    if user_ids is not None:
        chosen = chosen.filter(attempt_question__attempt__user_id__in=user_ids)
    # Count per chosen choice (an integer key, no joins to sort), then look the choices up:
    # their concept and what their question called for.
    times_by_choice = dict(
        chosen.values("choice_id").annotate(times=Count("pk")).order_by().values_list("choice_id", "times")
    )
    choices = list(
        Choice.objects.filter(pk__in=times_by_choice, concept__isnull=False).values(
            "pk", "question_id", "concept__key", "concept__name"
        )
    )
    per_question = [
        {
            "choice__concept__key": choice["concept__key"],
            "choice__concept__name": choice["concept__name"],
            "choice__question_id": choice["question_id"],
            "times": times_by_choice[choice["pk"]],
        }
        for choice in choices
    ]
    called_for: dict[int, list[str]] = {}
    for question_id, name in (
        Choice.objects.filter(
            question_id__in={row["choice__question_id"] for row in per_question},
            is_correct=True,
            concept__isnull=False,
        )
        .order_by("question_id", "label")
        .values_list("question_id", "concept__name")
    ):
        called_for.setdefault(question_id, []).append(name)
    totals: dict[tuple[str, str, str | None], dict] = {}
    for row in per_question:
        wanted = called_for.get(row["choice__question_id"], [])
        others = [name for name in wanted if name != row["choice__concept__name"]]
        if wanted and not others:
            # The right concept with a wrong detail (a distractor sharing the answer's
            # concept): a slip, not a confusion between two concepts.
            continue
        key = (row["choice__concept__key"], row["choice__concept__name"], others[0] if others else None)
        entry = totals.setdefault(
            key,
            {"choice__concept__key": key[0], "choice__concept__name": key[1], "called_for_name": key[2], "times": 0, "questions": 0},
        )
        entry["times"] += row["times"]
        entry["questions"] += 1
    ranked = sorted(totals.values(), key=lambda e: (-e["times"], e["choice__concept__key"]))
    return ranked[:limit]


def confusion_questions(*, user, concept_key: str):
    """The user's graded slots where they chose a distractor standing for `concept_key`."""
    return (
        AttemptQuestion.objects.filter(
            attempt__user=user,
            chosen__is_correct=False,
            chosen__choice__concept__key=concept_key,
        )
        .select_related("question__topic", "attempt")
        .distinct()
        .order_by("-attempt__started_at", "slot")[:50]
    )


def weakest_topic_spots(*, user) -> list[reporting.WeakSpot]:
    """The user's topics ranked weakest first (2 queries)."""
    tallies = _question_tallies(graded_slots(user=user))
    answered = sum(tally.total for tally in tallies.domains.values())
    correct = sum(tally.correct for tally in tallies.domains.values())
    overall = correct / answered if answered else 0.5
    return _ranked_parts(tallies.topics, overall)[0]


def domain_results_by_attempt(*, user):
    """Rows of (attempt, domain) with correct and total for the user's finished attempts."""
    return (
        graded_slots(user=user)
        .filter(attempt__finished_at__isnull=False)
        .values("attempt_id", "attempt__title", "attempt__finished_at", "domain__key", "domain__number")
        .annotate(total=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
        .order_by("attempt__finished_at", "attempt_id", "domain__number")
    )
