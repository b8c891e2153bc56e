"""Home, dashboard, study notes and sign-up."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from quiz import group_reports, progress, selectors, services
from quiz.models import Topic
from quiz.views.types import HtmxHttpRequest


@login_not_required
@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "quiz/home.html",
        {"exam": selectors.exam_blueprint(), "domains": selectors.domains_with_topics()},
    )


@require_GET
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    now = timezone.now()
    services.attempts_expire_overdue(now=now, user=request.user)
    in_progress = [
        (attempt, selectors.attempt_clock(attempt=attempt, now=now))
        for attempt in selectors.in_progress_attempts(user=request.user)
    ]
    return TemplateResponse(
        request,
        "quiz/dashboard.html",
        {
            "exam": selectors.exam_blueprint(),
            "in_progress": in_progress,
            "full_under_way": selectors.full_exam_under_way(user=request.user),
            "finished": selectors.finished_attempts(user=request.user),
            "due_count": progress.due_review_count(user=request.user, now=now),
            "assignments": group_reports.open_assignments(user=request.user, now=now),
        },
    )


# Study notes are the bank's public face (the home page links them): readable logged out.
@login_not_required
@require_GET
def topic_detail(request: HtmxHttpRequest, topic_key: str) -> HttpResponse:
    topic = get_object_or_404(
        Topic.objects.select_related("domain").annotate(
            question_count=Count("questions", filter=Q(questions__is_active=True))
        ),
        key=topic_key,
    )
    return TemplateResponse(request, "quiz/topic_detail.html", {"topic": topic})
