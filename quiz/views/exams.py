"""Choosing and starting an exam."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from quiz import selectors, services
from quiz.forms import CustomExamForm
from quiz.middleware import remember_deadline
from quiz.models import Attempt, Question
from quiz.services.attempts import full_exam_request
from quiz.views.types import HtmxHttpRequest


def _redirect_to_attempt(request: HtmxHttpRequest, attempt: Attempt) -> HttpResponse:
    remember_deadline(request, attempt.deadline_at)
    return redirect("quiz:attempt-question", attempt_id=attempt.pk, slot=1)


@require_POST
def start_full_exam(request: HtmxHttpRequest) -> HttpResponse:
    exam = selectors.exam_blueprint()
    if exam is None:
        messages.error(request, _("No question bank is loaded yet."))
        return redirect("quiz:dashboard")
    # A second click (or a double click) resumes the full exam under way; starting
    # another one alongside it takes the explicit "Start another" button.
    under_way = selectors.full_exam_under_way(user=request.user)
    if under_way is not None and request.POST.get("another") != "1":
        messages.info(request, _("Your full mock exam is still under way: here it is."))
        return redirect("quiz:resume-attempt", attempt_id=under_way.pk)
    try:
        attempt = services.attempt_start(
            user=request.user, request=full_exam_request(exam), now=timezone.now()
        )
    except services.SelectionShortfall as shortfall:
        messages.error(request, str(shortfall))
        return redirect("quiz:dashboard")
    return _redirect_to_attempt(request, attempt)


@require_http_methods(["GET", "POST"])
def exam_new(request: HtmxHttpRequest) -> HttpResponse:
    """Custom exam or practice session: chosen domains and/or topics, 1-75 questions."""
    initial = {}
    if topic_key := request.GET.get("topic"):
        # "Practise this topic": as many as the topic holds, up to 10.
        in_topic = Question.objects.active().in_scope(topic_keys=[topic_key]).count()
        initial = {"topics": [topic_key], "mode": Attempt.Mode.PRACTICE, "question_count": min(10, in_topic) or 10}
    if request.GET.get("mode") == Attempt.Mode.PRACTICE:
        initial.setdefault("mode", Attempt.Mode.PRACTICE)
    form = CustomExamForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        is_practice = data["mode"] == Attempt.Mode.PRACTICE
        names = [topic.name for topic in data["topics"]] or [d.name for d in data["domains"]]
        title = (_("Practice") if is_practice else _("Custom exam")) + (
            ": " + ", ".join(names[:3]) + ("…" if len(names) > 3 else "") if names else ""
        )
        exam_request = services.ExamRequest(
            mode=data["mode"],
            question_count=data["question_count"],
            time_limit_minutes=None if is_practice else data["time_limit_minutes"],
            domain_keys=[domain.key for domain in data["domains"]],
            topic_keys=[topic.key for topic in data["topics"]],
            title=title[:200],
        )
        try:
            attempt = services.attempt_start(
                user=request.user, request=exam_request, now=timezone.now()
            )
        except services.SelectionShortfall as shortfall:
            form.add_error(None, str(shortfall))
        else:
            return _redirect_to_attempt(request, attempt)
    return TemplateResponse(request, "quiz/exam_new.html", {"form": form})
