"""Reporting a problem in a graded question: from the answer review or a checked practice
question, one open report per learner and question, triaged in the admin."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from quiz.models import QuestionReport
from tests.conftest import HTMX
from tests.factories import correct_choice_ids
from tests.views.helpers import question_url, slot, start_custom

pytestmark = pytest.mark.django_db


def report_url(attempt, number: int) -> str:
    return reverse("quiz:report-question", args=[attempt.pk, number])


def answer(client, attempt, number):
    choices = correct_choice_ids(slot(attempt, number).question)
    client.post(question_url(attempt, number), {"choice": choices, "seq": 1}, headers=HTMX)


@pytest.fixture
def finished(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=3)
    answer(client_logged_in, attempt, 1)
    client_logged_in.post(reverse("quiz:submit-attempt", args=[attempt.pk]))
    return attempt


def test_the_answer_review_offers_a_report_form_under_each_question(client_logged_in, finished):
    html = client_logged_in.get(reverse("quiz:attempt-answers", args=[finished.pk])).content.decode()
    assert html.count("Report a problem with this question") == 3
    for number in (1, 2, 3):
        assert f'hx-post="{report_url(finished, number)}"' in html
    assert "The keyed answer is wrong" in html


def test_a_report_is_stored_with_the_slot_the_learner_saw(client_logged_in, user, finished):
    response = client_logged_in.post(
        report_url(finished, 2),
        {"kind": "outdated", "message": " Since 2025 the limit is 10, see https://docs.aws.amazon.com/x "},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("quiz:attempt-answers", args=[finished.pk]) + "#slot-2"
    report = QuestionReport.objects.get()
    assert (report.reporter, report.question, report.kind) == (user, slot(finished, 2).question, "outdated")
    assert report.attempt_question == slot(finished, 2)
    assert report.message == "Since 2025 the limit is 10, see https://docs.aws.amazon.com/x"
    assert report.resolved_at is None
    page = client_logged_in.get(response["Location"]).content.decode()
    assert "Thank you: your report is with the maintainers of the question bank." in page


def test_with_htmx_the_form_is_replaced_by_a_thank_you(client_logged_in, finished):
    response = client_logged_in.post(report_url(finished, 1), {"kind": "typo", "message": ""}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="report-1"' in html and "Thank you" in html and "<form" not in html


def test_a_second_report_on_the_same_question_updates_the_open_one(client_logged_in, finished, exam_bank):
    client_logged_in.post(report_url(finished, 1), {"kind": "typo"})
    client_logged_in.post(report_url(finished, 1), {"kind": "wrong_key", "message": "B is right, not C"})
    report = QuestionReport.objects.get()
    assert (report.kind, report.message) == ("wrong_key", "B is right, not C")
    # Once resolved, the same learner can report that question again.
    QuestionReport.objects.update(resolved_at=report.created_at)
    client_logged_in.post(report_url(finished, 1), {"kind": "unclear"})
    assert QuestionReport.objects.count() == 2


def test_what_is_missing_is_said_and_nothing_is_stored(client_logged_in, finished):
    no_kind = client_logged_in.post(report_url(finished, 1), {"message": "hm"})
    assert no_kind.status_code == 400 and "This field is required." in no_kind.content.decode()
    other_without_words = client_logged_in.post(report_url(finished, 1), {"kind": "other", "message": "  "}, headers=HTMX)
    html = other_without_words.content.decode()
    assert "Say what is wrong: the report has no other detail." in html and 'id="report-1"' in html
    too_long = client_logged_in.post(report_url(finished, 1), {"kind": "typo", "message": "x" * 2001})
    assert "Ensure this value has at most 2000 characters" in too_long.content.decode()
    assert not QuestionReport.objects.exists()


def test_a_question_still_being_answered_cannot_be_reported(client_logged_in, exam_bank):
    exam = start_custom(client_logged_in, count=2)
    answer(client_logged_in, exam, 1)
    assert client_logged_in.get(report_url(exam, 1)).status_code == 404
    assert client_logged_in.post(report_url(exam, 1), {"kind": "typo"}).status_code == 404
    assert not QuestionReport.objects.exists()


def test_a_checked_practice_question_can_be_reported_from_its_feedback(client_logged_in, exam_bank):
    practice = start_custom(client_logged_in, count=2, mode="practice")
    answer(client_logged_in, practice, 1)
    assert client_logged_in.get(report_url(practice, 1)).status_code == 404  # not checked yet
    client_logged_in.post(reverse("quiz:check-answer", args=[practice.pk, 1]))
    card = client_logged_in.get(question_url(practice, 1)).content.decode()
    assert report_url(practice, 1) in card
    page = client_logged_in.get(report_url(practice, 1))
    assert page.status_code == 200 and "What is wrong?" in page.content.decode()
    done = client_logged_in.post(report_url(practice, 1), {"kind": "unclear", "message": "two answers fit"})
    assert done["Location"] == question_url(practice, 1)
    assert QuestionReport.objects.get().kind == "unclear"


def test_another_learners_attempt_is_a_404_and_the_post_needs_the_csrf_token(client_logged_in, other_client, finished):
    assert other_client.get(report_url(finished, 1)).status_code == 404
    assert other_client.post(report_url(finished, 1), {"kind": "typo"}).status_code == 404
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(User.objects.get(username="learner"))
    assert strict.post(report_url(finished, 1), {"kind": "typo"}).status_code == 403
    assert not QuestionReport.objects.exists()


def test_the_answer_review_runs_a_fixed_number_of_queries_with_the_forms(client_logged_in, exam_bank):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (3, 12):
        attempt = start_custom(client_logged_in, count=size)
        client_logged_in.post(reverse("quiz:submit-attempt", args=[attempt.pk]))
        with CaptureQueriesContext(connection) as queries:
            client_logged_in.get(reverse("quiz:attempt-answers", args=[attempt.pk]))
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_the_admin_lists_open_reports_first_and_resolves_them(client_logged_in, finished):
    client_logged_in.post(report_url(finished, 1), {"kind": "typo"})
    client_logged_in.post(report_url(finished, 2), {"kind": "outdated"})
    QuestionReport.objects.filter(kind="typo").update(resolved_at=QuestionReport.objects.get(kind="typo").created_at)
    admin = Client()
    admin.force_login(User.objects.create_superuser("maintainer", password="x-long-enough-9"))
    listing = admin.get(reverse("admin:quiz_questionreport_changelist")).content.decode()
    assert listing.index("A fact is out of date") < listing.index("A typo or a broken link")
    open_report = QuestionReport.objects.get(kind="outdated")
    admin.post(
        reverse("admin:quiz_questionreport_changelist"),
        {"action": "mark_resolved", "_selected_action": [open_report.pk]},
    )
    open_report.refresh_from_db()
    assert open_report.resolved_at is not None
