"""The progress page names weak spots, confusions and readiness; drill and CSV export."""

import csv
import io
import random
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from quiz.models import AttemptQuestion, Choice, Concept, Question, ReviewCard
from quiz.sample_history import build_history
from tests.conftest import HTMX
from tests.factories import correct_choice_ids, wrong_choice_ids
from tests.views.helpers import question_url, slot, start_custom

pytestmark = pytest.mark.django_db


def finish_exam(client, attempt, is_right) -> None:
    for number in range(1, attempt.question_count + 1):
        current = slot(attempt, number)
        ids = correct_choice_ids(current.question) if is_right(current.question) else wrong_choice_ids(current.question, 2 if current.question.kind == "multiple" else 1)
        client.post(question_url(attempt, number), {"choice": ids, "seq": 1}, headers=HTMX)
    client.post(reverse("quiz:submit-attempt", args=[attempt.pk]))


def test_new_user_sees_what_to_do_first(client_logged_in, exam_bank):
    html = client_logged_in.get(reverse("quiz:progress")).content.decode()
    assert "Nothing to report yet" in html and "Start a full mock exam" in html


def test_after_two_exams_the_page_names_the_weakest_domain_and_topics(client_logged_in, exam_bank):
    def is_right(question):
        return question.domain.key != "security"

    for _ in range(2):
        finish_exam(client_logged_in, start_custom(client_logged_in, count=30), is_right)
    response = client_logged_in.get(reverse("quiz:progress"))
    report = response.context_data["report"]
    by_key = {d.key: d for d in report.domains}
    assert by_key["security"].percent == 0.0
    assert all(d.percent == 100.0 for d in report.domains if d.key != "security" and d.answered)
    assert report.weakest_topics[0].key == Question.objects.filter(domain__key="security").first().topic.key
    html = response.content.decode()
    assert "Your five weakest topics" in html and "Drill this topic" in html
    # Drilling a topic opens the practice form sized to that topic (a 4-question topic works too).
    assert f'{reverse("quiz:exam-new")}?topic={report.weakest_topics[0].key}' in html
    assert report.readiness.verdict in {"not_yet", "borderline"}


def test_confusions_count_the_distractor_concepts_chosen(client_logged_in, exam_bank):
    Concept.objects.filter(key="wrong-idea").update(name="rollback when the deployment fails")
    Concept.objects.filter(key="right-idea").update(name="rollback on a CloudWatch alarm")
    wrong = Concept.objects.get(key="wrong-idea")
    attempt = start_custom(client_logged_in, count=6, domains=["iac"])
    finish_exam(client_logged_in, attempt, lambda q: False)
    report = client_logged_in.get(reverse("quiz:progress")).context_data["report"]
    (row,) = report.confusions
    assert row["choice__concept__key"] == wrong.key
    assert row["called_for_name"] == "rollback on a CloudWatch alarm"
    multiple = AttemptQuestion.objects.filter(attempt=attempt, question__kind="multiple").count()
    assert row["times"] == 6 + multiple  # a multiple-response question picked two wrong choices
    html = client_logged_in.get(reverse("quiz:progress")).content.decode()
    assert "chose <em>rollback when the deployment fails</em> where the case called for <em>rollback on a CloudWatch alarm</em>" in html
    detail = client_logged_in.get(reverse("quiz:confusion-detail", args=[wrong.key]))
    assert len(detail.context_data["slots"]) == 6


def test_a_distractor_sharing_the_answers_concept_is_not_a_confusion(client_logged_in, exam_bank):
    # Every distractor stands for the concept of the right answer: right idea, wrong detail.
    Choice.objects.filter(is_correct=False).update(concept=Concept.objects.get(key="right-idea"))
    attempt = start_custom(client_logged_in, count=6, domains=["iac"])
    finish_exam(client_logged_in, attempt, lambda q: False)
    report = client_logged_in.get(reverse("quiz:progress")).context_data["report"]
    assert report.confusions == []
    html = client_logged_in.get(reverse("quiz:progress")).content.decode()
    assert "where the case called for" not in html


def test_a_confusion_page_names_its_concept_and_an_unknown_one_is_404(client_logged_in, exam_bank):
    wrong = Concept.objects.get(key="wrong-idea")
    page = client_logged_in.get(reverse("quiz:confusion-detail", args=[wrong.key]))
    assert wrong.name in page.content.decode()
    assert client_logged_in.get(reverse("quiz:confusion-detail", args=["no-such-concept"])).status_code == 404


def test_wrong_answers_enter_the_review_queue_and_come_back_on_schedule(client_logged_in, exam_bank):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = start_custom(client_logged_in, count=5, domains=["sdlc"])
        finish_exam(client_logged_in, attempt, lambda q: False)
    cards = ReviewCard.objects.filter(user__username="learner")
    assert cards.count() == 5 and {c.box for c in cards} == {1}
    with time_machine.travel(start + timedelta(hours=23), tick=False):
        assert client_logged_in.get(reverse("quiz:progress")).context_data["report"].due_count == 0
    with time_machine.travel(start + timedelta(days=1, minutes=1), tick=False):
        assert client_logged_in.get(reverse("quiz:progress")).context_data["report"].due_count == 5
        assert "5 questions are due for review today" in client_logged_in.get(reverse("quiz:dashboard")).content.decode()
        client_logged_in.post(reverse("quiz:start-drill"), {"question_count": 10})
        drill = AttemptQuestion.objects.filter(attempt__title__startswith="Drill").values_list("question", flat=True)
        assert set(cards.values_list("question", flat=True)) <= set(drill)
        drill_attempt = AttemptQuestion.objects.filter(attempt__title__startswith="Drill").first().attempt
        for number in range(1, drill_attempt.question_count + 1):
            current = slot(drill_attempt, number)
            client_logged_in.post(question_url(drill_attempt, number), {"choice": correct_choice_ids(current.question), "seq": 1}, headers=HTMX)
            client_logged_in.post(reverse("quiz:check-answer", args=[drill_attempt.pk, number]))
    moved = ReviewCard.objects.get(user__username="learner", question=cards.first().question)
    assert moved.box == 2 and (moved.due_at - (start + timedelta(days=1, minutes=1))).days == 3


def test_drill_serves_questions_from_the_weakest_topics(client_logged_in, exam_bank):
    weak = Question.objects.filter(domain__key="monitoring").first().topic
    attempt = start_custom(client_logged_in, count=40)
    finish_exam(client_logged_in, attempt, lambda q: q.topic_id != weak.pk)
    ReviewCard.objects.all().delete()
    client_logged_in.post(reverse("quiz:start-drill"), {"question_count": 10})
    drill = AttemptQuestion.objects.filter(attempt__title__startswith="Drill").select_related("question")
    assert drill.count() == 10
    # The weakest topic gets half of the drill; the rest comes from the next weakest topics.
    assert drill.filter(question__topic=weak).count() == 5
    missed = set(AttemptQuestion.objects.filter(attempt=attempt, is_correct=False).values_list("question", flat=True))
    drilled_weak = set(drill.filter(question__topic=weak).values_list("question", flat=True))
    unseen_weak = set(Question.objects.filter(topic=weak).exclude(pk__in=missed).values_list("pk", flat=True))
    assert len(unseen_weak) >= 5
    assert drilled_weak <= unseen_weak  # never-seen questions come before ones already missed


def test_csv_exports_hold_the_users_answers_and_domain_results(client_logged_in, other_client, exam_bank):
    attempt = start_custom(client_logged_in, count=6, domains=["resilience"])
    finish_exam(client_logged_in, attempt, lambda q: True)
    other = start_custom(other_client, count=5, domains=["iac"])
    finish_exam(other_client, other, lambda q: False)
    response = client_logged_in.get(reverse("quiz:export-answers"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 6
    assert {row["domain"] for row in rows} == {"resilience"}
    assert all(row["is_correct"] == "yes" and row["your_answer"] == row["correct_answer"] for row in rows)
    domain_rows = list(csv.DictReader(io.StringIO(b"".join(client_logged_in.get(reverse("quiz:export-domain-results")).streaming_content).decode())))
    assert domain_rows == [{"attempt": str(attempt.pk), "title": attempt.title, "finished_at": domain_rows[0]["finished_at"], "domain": "resilience", "correct": "6", "total": "6", "percent": "100.0"}]


def test_another_users_history_never_appears(client_logged_in, other_client, exam_bank):
    finish_exam(other_client, start_custom(other_client, count=10), lambda q: False)
    report = client_logged_in.get(reverse("quiz:progress")).context_data["report"]
    assert report.is_empty and report.confusions == [] and report.due_count == 0


def test_progress_page_runs_a_fixed_number_of_queries_whatever_the_history(client_logged_in, user, django_assert_max_num_queries, exam_bank):
    build_history(user=user, attempt_count=3, questions_per_attempt=20, now=timezone.now(), rng=random.Random(1))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client_logged_in.get(reverse("quiz:progress"))
    build_history(user=user, attempt_count=60, questions_per_attempt=75, now=timezone.now(), rng=random.Random(2))
    with django_assert_max_num_queries(len(small)):
        response = client_logged_in.get(reverse("quiz:progress"))
    assert response.context_data["report"].answered == 3 * 20 + 60 * 75


def test_domain_topic_and_task_figures_match_the_answers_counted_one_by_one(user, other_user, exam_bank):
    from statistics import mean

    from quiz.progress import progress_report

    now = timezone.now()
    build_history(user=user, attempt_count=6, questions_per_attempt=30, now=now, rng=random.Random(5))
    build_history(user=other_user, attempt_count=2, questions_per_attempt=30, now=now, rng=random.Random(6))
    AttemptQuestion.objects.filter(attempt__user=user, slot__lte=3).update(time_spent_seconds=0)
    report = progress_report(user=user, now=now)

    slots = list(AttemptQuestion.objects.filter(attempt__user=user, is_correct__isnull=False).select_related("domain", "question__topic__domain", "question__task__domain"))
    assert report.answered == len(slots) == 180
    for domain in report.domains:
        mine = [s for s in slots if s.domain.key == domain.key]
        assert (domain.answered, domain.correct) == (len(mine), sum(s.is_correct for s in mine))
        timed = [s.time_spent_seconds for s in mine if s.time_spent_seconds > 0]
        assert domain.average_seconds == pytest.approx(mean(timed) if timed else None)
    for part, spots_by_domain in (("topic", report.topics_by_domain), ("task", report.tasks_by_domain)):
        expected = {}
        for s in slots:
            owner = getattr(s.question, part)
            key = owner.key if part == "topic" else owner.code
            counts = expected.setdefault((owner.domain.key, key), [0, 0])
            counts[0] += s.is_correct
            counts[1] += 1
        shown = {(domain_key, spot.key): [spot.correct, spot.total] for domain_key, spots in spots_by_domain.items() for spot in spots}
        assert shown == expected


def test_a_second_view_reads_the_history_from_the_cache_until_results_change(
    client_logged_in, user, exam_bank
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build_history(user=user, attempt_count=3, questions_per_attempt=20, now=timezone.now(), rng=random.Random(3))
    with CaptureQueriesContext(connection) as first:
        first_report = client_logged_in.get(reverse("quiz:progress")).context_data["report"]
    with CaptureQueriesContext(connection) as second:
        second_report = client_logged_in.get(reverse("quiz:progress")).context_data["report"]
    assert second_report == first_report and first_report.answered == 60
    # The history's dozen reads are skipped; the stamp and the review queue are still read.
    assert len(second.captured_queries) <= len(first.captured_queries) - 8

    # A practice check changes the results without adding an attempt: the next view counts it.
    practice = start_custom(client_logged_in, count=1, mode="practice")
    current = slot(practice, 1)
    client_logged_in.post(question_url(practice, 1), {"choice": correct_choice_ids(current.question), "seq": 1}, headers=HTMX)
    after_start = client_logged_in.get(reverse("quiz:progress")).context_data["report"]
    assert after_start.answered == 60  # an unchecked answer is not graded yet
    client_logged_in.post(reverse("quiz:check-answer", args=[practice.pk, 1]))
    after_check = client_logged_in.get(reverse("quiz:progress")).context_data["report"]
    assert after_check.answered == 61


def test_the_review_queue_count_moves_with_the_clock_even_when_cached(client_logged_in, user, exam_bank):
    build_history(user=user, attempt_count=1, questions_per_attempt=5, now=timezone.now(), rng=random.Random(4))
    question = Question.objects.first()
    ReviewCard.objects.create(
        user=user, question=question, box=1, due_at=timezone.now() + timedelta(hours=2), updated_at=timezone.now()
    )
    assert client_logged_in.get(reverse("quiz:progress")).context_data["report"].due_count == 0
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        assert client_logged_in.get(reverse("quiz:progress")).context_data["report"].due_count == 1


def test_a_discarded_practice_with_checked_answers_does_not_bring_back_an_old_report(client_logged_in, exam_bank):
    """Discarding lowers the stamp's sum of versions; a new practice's check raises it back.
    The report must follow the answers, not the sum."""

    def check_first(attempt, right: bool):
        question = slot(attempt, 1).question
        choices = correct_choice_ids(question) if right else wrong_choice_ids(question, len(correct_choice_ids(question)))
        client_logged_in.post(question_url(attempt, 1), {"choice": choices, "seq": 1}, headers=HTMX)
        client_logged_in.post(reverse("quiz:check-answer", args=[attempt.pk, 1]))

    def correct_answers() -> int:
        report = client_logged_in.get(reverse("quiz:progress")).context_data["report"]
        return sum(domain.correct for domain in report.domains)

    first = start_custom(client_logged_in, count=2, mode="practice")
    check_first(first, right=True)
    assert correct_answers() == 1
    client_logged_in.post(reverse("quiz:discard-attempt", args=[first.pk]))
    second = start_custom(client_logged_in, count=2, mode="practice")
    check_first(second, right=False)
    assert correct_answers() == 0
