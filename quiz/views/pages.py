"""Home, dashboard, study notes and sign-up."""

from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from quiz import progress, selectors, services
from quiz.forms import SignUpForm
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
            "finished": selectors.finished_attempts(user=request.user),
            "due_count": progress.due_review_count(user=request.user, now=now),
        },
    )


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


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("quiz:dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("quiz:dashboard")
    return TemplateResponse(request, "registration/signup.html", {"form": form})
