"""My progress: weak spots, confusions, readiness, drill and CSV export."""

import csv

from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from quiz import progress, services
from quiz.middleware import remember_deadline
from quiz.models import AttemptQuestion, Choice, Concept
from quiz.views.types import HtmxHttpRequest

DRILL_SIZES = (10, 20, 30)


@require_GET
def progress_page(request: HtmxHttpRequest) -> HttpResponse:
    report = progress.progress_report(user=request.user, now=timezone.now())
    return TemplateResponse(request, "quiz/progress.html", {"report": report, "drill_sizes": DRILL_SIZES})


@require_GET
def confusion_detail(request: HtmxHttpRequest, concept_key: str) -> HttpResponse:
    concept = get_object_or_404(Concept, key=concept_key)
    slots = progress.confusion_questions(user=request.user, concept_key=concept.key)
    return TemplateResponse(request, "quiz/confusion_detail.html", {"slots": slots, "concept": concept})


@require_POST
def start_drill(request: HtmxHttpRequest) -> HttpResponse:
    try:
        count = int(request.POST.get("question_count", DRILL_SIZES[0]))
    except ValueError:
        count = DRILL_SIZES[0]
    count = max(5, min(count, 75))
    try:
        attempt = services.drill_start(user=request.user, question_count=count, now=timezone.now())
    except services.SelectionShortfall as shortfall:
        messages.error(request, str(shortfall))
        return redirect("quiz:progress")
    remember_deadline(request, attempt.deadline_at)
    return redirect("quiz:attempt-question", attempt_id=attempt.pk, slot=1)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def export_answers(request: HtmxHttpRequest) -> StreamingHttpResponse:
    """Every graded answer of the user, one row each (streamed; labels as shown on screen)."""
    slots = (
        AttemptQuestion.objects.filter(attempt__user=request.user, is_correct__isnull=False)
        .select_related("attempt", "question__topic", "question__task", "domain")
        .order_by("attempt__started_at", "slot")
    )
    correct_ids = set(
        Choice.objects.filter(
            is_correct=True, question__in=slots.values("question")
        ).values_list("pk", flat=True)
    )

    def rows():
        for slot in slots.iterator(chunk_size=2000):
            letter = {choice_id: "ABCDEF"[i] for i, choice_id in enumerate(slot.choice_order)}
            yield [
                slot.attempt_id,
                slot.attempt.get_mode_display(),
                (slot.attempt.finished_at or slot.answered_at or slot.attempt.started_at).isoformat(),
                slot.slot,
                slot.question.key,
                slot.question.topic.key,
                slot.domain.key,
                slot.question.task.code,
                "".join(sorted(letter.get(c, "?") for c in slot.selected_choice_ids)),
                "".join(sorted(letter[c] for c in slot.choice_order if c in correct_ids)),
                "yes" if slot.is_correct else "no",
                "yes" if slot.is_flagged else "no",
                slot.time_spent_seconds,
            ]

    header = ["attempt", "mode", "finished_at", "slot", "question", "topic", "domain", "task",
              "your_answer", "correct_answer", "is_correct", "flagged", "seconds"]
    return _csv_response("dop-c02-answers.csv", header, rows())


@require_GET
def export_domain_results(request: HtmxHttpRequest) -> StreamingHttpResponse:
    """Per attempt and domain: correct, total and percent (aggregated in the database)."""
    rows = progress.domain_results_by_attempt(user=request.user)
    header = ["attempt", "title", "finished_at", "domain", "correct", "total", "percent"]
    return _csv_response(
        "dop-c02-domain-results.csv",
        header,
        (
            [r["attempt_id"], r["attempt__title"], r["attempt__finished_at"].isoformat() if r["attempt__finished_at"] else "",
             r["domain__key"], r["correct"], r["total"], round(100 * r["correct"] / r["total"], 1)]
            for r in rows
        ),
    )
