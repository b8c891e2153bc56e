"""Reads for study-group pages: aggregates only, never a member's individual answers."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery

from quiz import progress
from quiz.engine import reporting
from quiz.models import (
    Assignment,
    Attempt,
    AttemptQuestion,
    Domain,
    Exam,
    Membership,
    Question,
    StudyGroup,
)

LEADERBOARD_DAYS = 7
MOST_MISSED_SHOWN = 10
# How long cached member aggregates live at most (they are also replaced as soon as any
# member's results change).
GROUP_AGGREGATES_SECONDS = 300


@dataclass
class MemberRow:
    membership: Membership
    name: str
    latest_score: int | None
    best_score: int | None
    finished_count: int
    readiness: reporting.Readiness | None = None
    cells: list[dict] = field(default_factory=list)  # heat map, in domain order


@dataclass
class GroupDashboard:
    group: StudyGroup
    domains: list[Domain]
    members: list[MemberRow]
    group_domains: list[dict]
    weakest_domain: dict | None
    most_missed: list[dict]
    confusions: list[dict]
    leaderboard: list[dict]
    assignments: list[Assignment]


def member_name(membership: Membership) -> str:
    profile = getattr(membership.user, "profile", None)
    return (profile.display_name if profile else "") or membership.user.get_username()


def _scored_attempts(user_ref):
    return Attempt.objects.filter(user=user_ref).finished().exclude(mode=Attempt.Mode.PRACTICE)


def members_with_scores(group: StudyGroup):
    latest = _scored_attempts(OuterRef("user")).order_by("-finished_at").values("scaled_score")[:1]
    best = (
        _scored_attempts(OuterRef("user"))
        .order_by()
        .values("user")
        .annotate(best=Max("scaled_score"))
        .values("best")
    )
    finished = (
        _scored_attempts(OuterRef("user")).order_by().values("user").annotate(n=Count("pk")).values("n")
    )
    return (
        Membership.objects.filter(group=group)
        .select_related("user__profile")
        .annotate(
            latest_score=Subquery(latest), best_score=Subquery(best), finished_count=Subquery(finished)
        )
        .order_by("joined_at", "pk")
    )


def _accuracy_cell(correct: int, total: int) -> dict:
    return {
        "correct": correct,
        "total": total,
        "percent": round(100 * correct / total) if total else None,
        # Five shades for the heat map; None when there is no data.
        "shade": min(4, int(5 * correct / total)) if total else None,
    }


@dataclass(frozen=True)
class MemberAggregates:
    """The dashboard's aggregates over every answer of the members: the costly part."""

    per_member: dict[int, dict[str, tuple[int, int]]]  # user id -> domain key -> (correct, total)
    most_missed: list[dict]
    leaderboard: list[dict]  # user id, total, correct; names are added per request
    confusions: list[dict]


def member_aggregates(
    *, member_ids: list[int], visible_ids: list[int], domains: list[Domain], now: datetime
) -> MemberAggregates:
    """The members' aggregates, from the cache while no member's results have changed.

    Reading them scans every graded answer of every member (~120 ms of database time at
    50 members x 20 exams x 75 questions); the stamp costs ~1 ms. The cache entry also
    expires after GROUP_AGGREGATES_SECONDS, so the leaderboard's window moves on.
    """
    fingerprint = f"{sorted(member_ids)}|{sorted(visible_ids)}|{progress.results_stamp(member_ids)}"
    key = "group-aggregates:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    aggregates = cache.get(key)
    if aggregates is None:
        aggregates = _member_aggregates_uncached(member_ids, visible_ids, domains, now)
        cache.set(key, aggregates, GROUP_AGGREGATES_SECONDS)
    return aggregates


def _member_aggregates_uncached(
    member_ids: list[int], visible_ids: list[int], domains: list[Domain], now: datetime
) -> MemberAggregates:
    # Filtering on the member ids already read keeps every aggregate free of membership joins.
    member_slots = AttemptQuestion.objects.filter(
        attempt__user_id__in=member_ids, is_correct__isnull=False
    )
    per_member: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    domain_key_of = {d.pk: d.key for d in domains}
    for row in member_slots.values("attempt__user_id", "domain_id").annotate(
        total=Count("pk"), correct=Count("pk", filter=Q(is_correct=True))
    ):
        key = domain_key_of[row["domain_id"]]
        per_member[row["attempt__user_id"]][key] = (row["correct"], row["total"])

    # Group by question id only (no text columns to sort), then name the top few.
    missed_rows = list(
        member_slots.values("question_id")
        .annotate(missed=Count("pk", filter=Q(is_correct=False)), answered=Count("pk"))
        .filter(missed__gt=0)
        .order_by("-missed", "question_id")[:MOST_MISSED_SHOWN]
    )
    labels = {
        row["pk"]: row
        for row in Question.objects.filter(pk__in=[r["question_id"] for r in missed_rows]).values(
            "pk", "key", "stem", "topic__key", "topic__name"
        )
    }
    most_missed = [
        {
            **row,
            "question__key": labels[row["question_id"]]["key"],
            "question__stem": labels[row["question_id"]]["stem"],
            "question__topic__key": labels[row["question_id"]]["topic__key"],
            "question__topic__name": labels[row["question_id"]]["topic__name"],
        }
        for row in missed_rows
    ]
    since = now - timedelta(days=LEADERBOARD_DAYS)
    leaderboard = list(
        member_slots.filter(answered_at__gte=since, attempt__user_id__in=visible_ids)
        .values("attempt__user_id")
        .annotate(total=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
        .order_by("-correct", "-total", "attempt__user_id")[:20]
    )
    return MemberAggregates(
        per_member=dict(per_member),
        most_missed=most_missed,
        leaderboard=leaderboard,
        confusions=progress.confusion_rows(user_ids=member_ids),
    )


def group_dashboard(*, group: StudyGroup, now: datetime) -> GroupDashboard:
    """Everything the group dashboard shows, in a fixed number of queries."""
    exam = Exam.objects.order_by("pk").first()
    passing = exam.passing_score if exam else 750
    domains = list(Domain.objects.all())
    weights = {d.key: d.weight_percent for d in domains}
    members = list(members_with_scores(group))
    member_ids = [membership.user_id for membership in members]
    visible_ids = [m.user_id for m in members if m.show_on_leaderboard]
    aggregates = member_aggregates(
        member_ids=member_ids, visible_ids=visible_ids, domains=domains, now=now
    )
    per_member = aggregates.per_member

    rows = []
    for membership in members:
        domain_totals = per_member.get(membership.user_id, {})
        readiness = None
        if domain_totals:
            readiness = reporting.predict_readiness(
                [(key, c, t) for key, (c, t) in domain_totals.items()], weights, passing
            )
        rows.append(
            MemberRow(
                membership=membership,
                name=member_name(membership),
                latest_score=membership.latest_score,
                best_score=membership.best_score,
                finished_count=membership.finished_count or 0,
                readiness=readiness,
                cells=[_accuracy_cell(*domain_totals.get(d.key, (0, 0))) for d in domains],
            )
        )

    group_domains = []
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for domain_totals in per_member.values():
        for key, (correct, total) in domain_totals.items():
            totals[key][0] += correct
            totals[key][1] += total
    for domain in domains:
        correct, total = totals.get(domain.key, (0, 0))
        group_domains.append({"domain": domain, **_accuracy_cell(correct, total)})
    answered = [row for row in group_domains if row["total"]]
    weakest = min(answered, key=lambda row: row["correct"] / row["total"]) if answered else None

    names = {row.membership.user_id: row.name for row in rows}
    leaderboard = [
        {
            **row,
            "name": names.get(row["attempt__user_id"], ""),
            "percent": round(100 * row["correct"] / row["total"]) if row["total"] else 0,
        }
        for row in aggregates.leaderboard
    ]

    assignments = list(
        Assignment.objects.filter(group=group).annotate(
            # Current members only: someone who left or was removed no longer counts.
            finished_members=Count(
                "attempts__user",
                filter=~Q(attempts__status=Attempt.Status.IN_PROGRESS)
                & Q(attempts__user__memberships__group=group),
                distinct=True,
            )
        )
    )
    return GroupDashboard(
        group=group,
        domains=domains,
        members=rows,
        group_domains=group_domains,
        weakest_domain=weakest,
        most_missed=aggregates.most_missed,
        confusions=aggregates.confusions,
        leaderboard=leaderboard,
        assignments=assignments,
    )


def assignment_report(*, assignment: Assignment) -> dict:
    """Who finished the assignment and the group's per-domain results on it (3 queries)."""
    finished = Attempt.objects.filter(assignment=assignment, user=OuterRef("user")).finished()
    best = finished.order_by().values("user").annotate(best=Max("scaled_score")).values("best")
    members = list(
        Membership.objects.filter(group_id=assignment.group_id)
        .select_related("user__profile")
        .annotate(has_finished=Exists(finished), best_score=Subquery(best))
        .order_by("joined_at", "pk")
    )
    domain_rows = {
        row["domain__key"]: row
        for row in AttemptQuestion.objects.filter(
            attempt__assignment=assignment,
            is_correct__isnull=False,
            # Current members only, as in the list above.
            attempt__user__memberships__group_id=assignment.group_id,
        )
        .values("domain__key")
        .annotate(total=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
    }
    domains = [
        {"domain": d, **_accuracy_cell(domain_rows.get(d.key, {}).get("correct", 0), domain_rows.get(d.key, {}).get("total", 0))}
        for d in Domain.objects.all()
    ]
    return {
        "members": [{"membership": m, "name": member_name(m), "has_finished": m.has_finished, "best_score": m.best_score} for m in members],
        "finished_count": sum(1 for m in members if m.has_finished),
        "domains": domains,
    }


def groups_of(*, user):
    return (
        Membership.objects.filter(user=user)
        .select_related("group")
        .annotate(member_count=Count("group__memberships"))
        .order_by("group__name")
    )


def open_assignments(*, user, now: datetime):
    """Assignments of the user's groups that they have not finished, soonest due first."""
    finished = Attempt.objects.filter(assignment=OuterRef("pk"), user=user).finished()
    return (
        Assignment.objects.filter(group__memberships__user=user)
        .select_related("group")
        .annotate(is_done=Exists(finished))
        .filter(is_done=False)
        .order_by("due_at")[:10]
    )
