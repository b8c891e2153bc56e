"""Taking an attempt: question screen, autosave, flag, review, submit, results."""

from __future__ import annotations

import time

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from quiz import selectors, services
from quiz.forms import AnswerForm, FlagForm, QuestionReportForm
from quiz.models import Attempt, Domain, Question, QuestionReport, TaskStatement
from quiz.services.question_reports import question_report_file
from quiz.views.types import HtmxHttpRequest


def _own_attempt(request: HtmxHttpRequest, attempt_id: int) -> Attempt:
    """Load the user's attempt (404 for anyone else's) and finalize it if its time is up."""
    attempt = get_object_or_404(Attempt.objects.for_user(request.user), pk=attempt_id)
    return services.attempt_finalize_if_overdue(attempt=attempt, now=timezone.now())


def _redirect(request: HtmxHttpRequest, url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _result_url(attempt: Attempt) -> str:
    return reverse("quiz:attempt-result", kwargs={"attempt_id": attempt.pk})


def _question_url(attempt: Attempt, slot: int) -> str:
    return reverse("quiz:attempt-question", kwargs={"attempt_id": attempt.pk, "slot": slot})


def _own_slot(request: HtmxHttpRequest, attempt_id: int, slot: int, *, to_write: bool = False):
    """Load the user's attempt and one of its slots in one query (404 for anyone else's),
    finalizing the attempt if its time is up. A write (autosave, flag) loads only what it
    checks, with the progress counts its reply shows."""
    select = selectors.owned_slot_to_write if to_write else selectors.owned_slot
    slot_row = select(user=request.user, attempt_id=attempt_id, slot=slot)
    if slot_row is None:
        raise Http404("No such question in your attempts.")
    attempt = services.attempt_finalize_if_overdue(attempt=slot_row.attempt, now=timezone.now())
    return attempt, slot_row


def _slot_or_404(attempt: Attempt, slot: int):
    slot_row = selectors.attempt_slot(attempt=attempt, slot=slot)
    if slot_row is None:
        raise Http404("No such question in this attempt.")
    return slot_row


def _follow_button(request: HtmxHttpRequest, attempt: Attempt, slot: int) -> HttpResponse:
    """Go where the button of a plain (JavaScript-free) answer-form post leads."""
    go = request.POST.get("go", "")
    if go == "check" and attempt.is_practice:
        return check_answer(request, attempt.pk, slot)
    target = {"next": slot + 1, "previous": slot - 1}.get(go, slot)
    if go == "review" or target > attempt.question_count:
        return redirect("quiz:attempt-review", attempt_id=attempt.pk)
    return redirect(_question_url(attempt, max(1, target)))


def _question_context(attempt: Attempt, slot_row, now, *, with_navigator: bool = True) -> dict:
    # Practice shows the key only for a slot already checked; exams never before the end.
    with_feedback = attempt.is_practice and slot_row.is_correct is not None
    choices = selectors.slot_choices(slot_row=slot_row, with_feedback=with_feedback)
    context = {
        "attempt": attempt,
        # Said twice (page title and heading) and rendered once.
        "heading": _("Question %(slot)s of %(total)s") % {"slot": slot_row.slot, "total": attempt.question_count},
        "question": selectors.presented_question(slot_row=slot_row, choices=choices),
        "clock": selectors.attempt_clock(attempt=attempt, now=now),
        "links": selectors.slot_links(attempt=attempt, slot=slot_row.slot),
        "topic": slot_row.question.topic,
        "time_spent_seconds": slot_row.time_spent_seconds,
    }
    if with_navigator:
        context["navigator"] = selectors.attempt_navigator(attempt=attempt, current_slot=slot_row.slot)
    context["status"] = selectors.slot_answer_status(slot_row=slot_row)
    if with_feedback:
        context["feedback"] = {
            "is_correct": slot_row.is_correct,
            "choices": {choice.pk: choice for choice in choices},
            "explanation": slot_row.question.explanation,
            "references": slot_row.question.references,
        }
    return context


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
# The same URL answers with a card (htmx) or a page: neither may be stored, so Back
# never shows a bare card, an answer older than the server's or a wound-back clock.
@never_cache
def attempt_question(request: HtmxHttpRequest, attempt_id: int, slot: int) -> HttpResponse:
    is_htmx_save = request.method == "POST" and request.htmx
    attempt, slot_row = _own_slot(request, attempt_id, slot, to_write=is_htmx_save)
    if attempt.is_finished:
        if request.method == "POST":
            messages.warning(request, _("This attempt has ended; your saved answers were scored."))
        return _redirect(request, _result_url(attempt))
    now = timezone.now()

    if request.method == "POST":
        if slot_row.is_correct is not None and not request.htmx:
            # A checked practice question is locked (saving would be refused), so its
            # Previous/Next/Review buttons only move on.
            return _follow_button(request, attempt, slot)
        form = AnswerForm(
            request.POST,
            choice_ids=slot_row.choice_order,
            is_multiple=slot_row.question.kind == Question.Kind.MULTIPLE,
        )
        if not form.is_valid():
            return HttpResponse(
                _("Invalid answer: ")
                + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()),
                status=400,
                content_type="text/plain",
            )
        data = form.cleaned_data
        # Without JavaScript there is no client clock; the server's (in ms) orders the saves.
        sequence = data["seq"] or int(time.time() * 1000)
        try:
            outcome = services.answer_save(
                attempt=attempt,
                slot=slot_row,
                choice_ids=data["choice"],
                sequence=sequence,
                time_spent_seconds=data["time_spent"],
                now=now,
            )
        except services.AttemptClosed as closed:
            messages.warning(request, str(closed))
            return _redirect(
                request,
                _result_url(attempt) if attempt.is_finished else _question_url(attempt, slot),
            )
        if not request.htmx:
            return _follow_button(request, attempt, slot)
        if outcome is services.AnswerOutcome.SAVED:
            status = selectors.slot_answer_status(slot_row=slot_row, selected_ids=data["choice"])
            counts = selectors.counts_after_write(slot_row, is_answered=status.is_answered)
        else:  # a newer answer is stored: report that one
            slot_row = _slot_or_404(attempt, slot)
            status = selectors.slot_answer_status(slot_row=slot_row)
            counts = selectors.attempt_progress_counts(attempt=attempt)
        clock = selectors.attempt_clock(attempt=attempt, now=now)
        # The status line; the progress counter, the navigator cell and the clock follow
        # the event (exam.js), so the reply renders no more than the line it replaces.
        response = TemplateResponse(
            request,
            "quiz/attempt_question.html#answer-status",
            {"status": status, "outcome": outcome.value},
        )
        return trigger_client_event(
            response,
            "answerSaved",
            {
                "slot": slot,
                "answered": counts.answered_count,
                "flagged": counts.flagged_count,
                "is_answered": status.is_answered,
                "remaining_seconds": clock.remaining_seconds,
            },
        )

    if request.htmx and not request.htmx.history_restore_request:
        # Previous, Next or a navigator cell: only the card changes; the navigator, clock
        # and progress count already on the page stay (exam.js marks the current cell).
        context = _question_context(attempt, slot_row, now, with_navigator=False)
        return TemplateResponse(request, "quiz/attempt_question.html#question-move", context)
    return TemplateResponse(request, "quiz/attempt_question.html", _question_context(attempt, slot_row, now))


@require_GET
def resume_attempt(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    """Continue where the learner left off: the first unanswered question."""
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_finished:
        return redirect(_result_url(attempt))
    navigator = selectors.attempt_navigator(attempt=attempt)
    first_open = next((s.slot for s in navigator.statuses if not s.is_answered), 1)
    return redirect(_question_url(attempt, first_open))


@require_POST
def flag_question(request: HtmxHttpRequest, attempt_id: int, slot: int) -> HttpResponse:
    attempt, slot_row = _own_slot(request, attempt_id, slot, to_write=True)
    if attempt.is_finished:
        return _redirect(request, _result_url(attempt))
    form = FlagForm(request.POST)
    form.is_valid()
    now = timezone.now()
    try:
        services.flag_set(
            attempt=attempt, slot=slot_row, is_flagged=form.cleaned_data.get("flagged", False), now=now
        )
    except services.AttemptClosed:
        return _redirect(request, _result_url(attempt))
    if not request.htmx:
        return redirect(_question_url(attempt, slot))
    is_flagged = form.cleaned_data.get("flagged", False)
    counts = selectors.counts_after_write(slot_row, is_flagged=is_flagged)
    response = TemplateResponse(
        request,
        "quiz/attempt_question.html#flag-toggle",
        {
            "question": {"slot": slot, "is_flagged": is_flagged},
            "links": selectors.slot_links(attempt=attempt, slot=slot),
        },
    )
    return trigger_client_event(
        response,
        "flagChanged",
        {
            "slot": slot,
            "answered": counts.answered_count,
            "flagged": counts.flagged_count,
            "is_flagged": is_flagged,
        },
    )


@require_POST
def record_time(request: HtmxHttpRequest, attempt_id: int, slot: int) -> HttpResponse:
    """The time spent on a question, sent as the learner moves on (exam.js); 204."""
    attempt, slot_row = _own_slot(request, attempt_id, slot, to_write=True)
    form = AnswerForm(request.POST)  # no choices: only seq and time_spent are read
    if not form.is_valid() or form.cleaned_data["time_spent"] is None:
        return HttpResponse(_("Invalid time: send time_spent in whole seconds."), status=400, content_type="text/plain")
    if not attempt.is_finished:
        services.time_record(
            attempt=attempt, slot=slot_row, seconds=form.cleaned_data["time_spent"], now=timezone.now()
        )
    return HttpResponse(status=204)


@require_POST
def check_answer(request: HtmxHttpRequest, attempt_id: int, slot: int) -> HttpResponse:
    """Practice mode: grade this question now and show its feedback."""
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_practice:
        raise Http404("Feedback before the end is only available in practice mode.")
    if attempt.is_finished:
        return _redirect(request, _result_url(attempt))
    slot_row = _slot_or_404(attempt, slot)
    now = timezone.now()
    outcome = ""
    try:
        services.answer_check(attempt=attempt, slot=slot_row, now=now)
    except services.AttemptClosed:
        return _redirect(request, _result_url(attempt))
    except services.AnswerIncomplete as incomplete:
        if not request.htmx:
            messages.warning(request, str(incomplete))
        outcome = "incomplete"
    if not request.htmx:
        return redirect(_question_url(attempt, slot))
    slot_row = selectors.owned_slot(user=request.user, attempt_id=attempt.pk, slot=slot)
    context = _question_context(attempt, slot_row, now, with_navigator=False)
    context["outcome"] = outcome
    return TemplateResponse(request, "quiz/attempt_question.html#question-move", context)


@require_GET
@vary_on_headers("HX-Request")
@never_cache  # Back after the end must ask the server, which then shows the result
def attempt_review(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    """The review screen before the end: unanswered and flagged questions, then confirm."""
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_finished:
        return _redirect(request, _result_url(attempt))
    now = timezone.now()
    return TemplateResponse(
        request,
        "quiz/attempt_review.html",
        {
            "attempt": attempt,
            "navigator": selectors.attempt_navigator(attempt=attempt),
            "clock": selectors.attempt_clock(attempt=attempt, now=now),
        },
    )


@require_POST
def submit_attempt(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_finished:
        # The question screen's clock posts reason=time-up when it reaches zero.
        time_up = request.POST.get("reason") == "time-up"
        services.attempt_submit(attempt=attempt, now=timezone.now(), time_up=time_up)
    return _redirect(request, _result_url(attempt))


@require_http_methods(["GET", "POST"])
def discard_attempt(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    """Throw away an attempt in progress (asked first): it leaves no result and no answers."""
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_finished:
        messages.info(request, _("This attempt has ended, so it stays in your results."))
        return _redirect(request, _result_url(attempt))
    if request.method == "POST":
        if services.attempt_discard(attempt=attempt):
            messages.success(request, _("“%(title)s” was discarded.") % {"title": attempt.title})
            return _redirect(request, reverse("quiz:dashboard"))
        return _redirect(request, _result_url(attempt))
    return TemplateResponse(
        request,
        "quiz/attempt_discard.html",
        {"attempt": attempt, "counts": selectors.attempt_progress_counts(attempt=attempt)},
    )


@require_GET
def attempt_result(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_finished:
        return redirect("quiz:attempt-review", attempt_id=attempt.pk)
    domain_rows = {
        key: (name, weight, number)
        for key, name, weight, number in Domain.objects.values_list(
            "key", "name", "weight_percent", "number"
        )
    }
    task_names = dict(TaskStatement.objects.values_list("code", "name"))
    detail = attempt.score_detail
    domains = [
        {
            **part,
            "name": domain_rows.get(part["key"], (part["key"],))[0],
            "weight": domain_rows.get(part["key"], (None, None))[1],
            "number": domain_rows.get(part["key"], (None, None, 0))[2],
        }
        for part in detail.get("domains", [])
    ]
    tasks_by_domain: dict[str, list[dict]] = {}
    for part in detail.get("tasks", []):
        tasks_by_domain.setdefault(part["key"].split(".")[0], []).append(
            {**part, "name": task_names.get(part["key"], "")}
        )
    for domain in domains:
        domain["tasks"] = tasks_by_domain.get(str(domain["number"]), [])
    return TemplateResponse(
        request,
        "quiz/attempt_result.html",
        {
            "attempt": attempt,
            "domains": domains,
            "pace": selectors.attempt_pace(attempt=attempt),
            "topics_to_study": selectors.topics_to_study(attempt=attempt),
            "passing_score": detail.get("passing_score", 750),
        },
    )


@require_GET
def attempt_answers(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    """Post-exam review of every question, filterable by all / wrong / flagged / domain."""
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_finished:
        raise Http404("The answers are shown once the attempt has ended.")
    show = request.GET.get("show", "all")
    if show not in {"all", "wrong", "flagged"}:
        show = "all"
    domain_key = request.GET.get("domain", "")
    return TemplateResponse(
        request,
        "quiz/attempt_answers.html",
        {
            "attempt": attempt,
            "items": selectors.attempt_review_items(
                attempt=attempt, show=show, domain_key=domain_key
            ),
            "show": show,
            "domain_key": domain_key,
            "domains": Domain.objects.all(),
            "report_kinds": QuestionReport.Kind.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def report_question(request: HtmxHttpRequest, attempt_id: int, slot: int) -> HttpResponse:
    """Report a problem in a graded question (a finished attempt's, or a checked practice
    question): before grading the report could not say the key is wrong, and the page
    would hint at what the learner is still answering."""
    attempt = _own_attempt(request, attempt_id)
    slot_row = _slot_or_404(attempt, slot)
    if slot_row.is_correct is None:
        raise Http404("A question can be reported once it is graded.")
    if attempt.is_finished:
        back_url = reverse("quiz:attempt-answers", args=[attempt.pk]) + f"#slot-{slot}"
    else:
        back_url = _question_url(attempt, slot)
    form = QuestionReportForm(request.POST or None)
    context = {
        "attempt": attempt,
        "question": slot_row.question,
        "slot_number": slot,
        "form": form,
        "report_kinds": QuestionReport.Kind.choices,
        "back_url": back_url,
    }
    if request.method == "POST" and form.is_valid():
        question_report_file(
            user=request.user,
            slot=slot_row,
            kind=form.cleaned_data["kind"],
            message=form.cleaned_data["message"],
            now=timezone.now(),
        )
        if request.htmx:
            return TemplateResponse(request, "quiz/question_report.html#report-thanks", context)
        messages.success(request, _("Thank you: your report is with the maintainers of the question bank."))
        return redirect(back_url)
    if request.htmx:
        # The inline form again, with what is missing said beside its field.
        return TemplateResponse(request, "quiz/question_report.html#report-form", context)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "quiz/question_report.html", context, status=status)
