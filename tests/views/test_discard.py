"""Throwing away an attempt in progress: asked first, gone afterwards, never a scored one."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt, AttemptQuestion
from tests.conftest import HTMX
from tests.factories import correct_choice_ids
from tests.views.helpers import question_url, slot, start_custom

pytestmark = pytest.mark.django_db


def discard_url(attempt) -> str:
    return reverse("quiz:discard-attempt", args=[attempt.pk])


def answer(client, attempt, number, seq=1):
    """A complete answer (multiple-response questions need all their picks)."""
    choices = correct_choice_ids(slot(attempt, number).question)
    response = client.post(question_url(attempt, number), {"choice": choices, "seq": seq}, headers=HTMX)
    assert response.status_code == 200


def test_dashboard_offers_to_discard_an_attempt_in_progress(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5)
    html = client_logged_in.get(reverse("quiz:dashboard")).content.decode()
    assert discard_url(attempt) in html
    assert discard_url(attempt) in client_logged_in.get(reverse("quiz:attempt-review", args=[attempt.pk])).content.decode()


def test_discard_asks_first_and_says_what_is_lost(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5)
    answer(client_logged_in, attempt, 1)
    answer(client_logged_in, attempt, 2)
    response = client_logged_in.get(discard_url(attempt))
    html = response.content.decode()
    assert response.status_code == 200
    assert "You have answered 2 of 5 questions" in html
    assert f'action="{discard_url(attempt)}"' in html and 'name="csrfmiddlewaretoken"' in html
    assert Attempt.objects.filter(pk=attempt.pk).exists()  # asking deletes nothing


def test_discarding_deletes_the_attempt_and_its_answers(client_logged_in, exam_bank):
    kept = start_custom(client_logged_in, count=3)
    attempt = start_custom(client_logged_in, count=5)
    answer(client_logged_in, attempt, 1)
    response = client_logged_in.post(discard_url(attempt), follow=True)
    assert response.redirect_chain[-1][0] == reverse("quiz:dashboard")
    html = response.content.decode()
    assert f"“{attempt.title}” was discarded." in html
    assert not Attempt.objects.filter(pk=attempt.pk).exists()
    assert not AttemptQuestion.objects.filter(attempt_id=attempt.pk).exists()
    # Only that one: the other attempt in progress is untouched and still listed.
    assert Attempt.objects.get(pk=kept.pk).status == "in_progress"
    assert reverse("quiz:resume-attempt", args=[kept.pk]) in html
    assert reverse("quiz:resume-attempt", args=[attempt.pk]) not in html


def test_htmx_discard_redirects_the_whole_page(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5)
    response = client_logged_in.post(discard_url(attempt), headers=HTMX)
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("quiz:dashboard")
    assert not Attempt.objects.filter(pk=attempt.pk).exists()


def test_a_finished_attempt_cannot_be_discarded(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5)
    answer(client_logged_in, attempt, 1)
    client_logged_in.post(reverse("quiz:submit-attempt", args=[attempt.pk]))
    result_url = reverse("quiz:attempt-result", args=[attempt.pk])
    for response in (client_logged_in.get(discard_url(attempt)), client_logged_in.post(discard_url(attempt))):
        assert response.status_code == 302 and response["Location"] == result_url
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.correct_count is not None


def test_an_attempt_whose_time_ran_out_is_scored_not_discarded(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5, minutes=10)
    answer(client_logged_in, attempt, 1)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = client_logged_in.post(discard_url(attempt))
    assert response["Location"] == reverse("quiz:attempt-result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == "expired"


def test_discard_needs_a_csrf_token(user, client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(discard_url(attempt)).status_code == 403
    assert Attempt.objects.filter(pk=attempt.pk).exists()


def test_the_confirmation_page_runs_a_fixed_number_of_queries(client_logged_in, exam_bank, django_assert_max_num_queries):
    small = start_custom(client_logged_in, count=3)
    large = start_custom(client_logged_in, count=60)
    for attempt in (small, large):
        with django_assert_max_num_queries(6):
            assert client_logged_in.get(discard_url(attempt)).status_code == 200


def test_a_second_full_exam_click_resumes_the_one_under_way(client_logged_in, exam_bank):
    client_logged_in.post(reverse("quiz:start-full-exam"))
    first = Attempt.objects.get()
    response = client_logged_in.post(reverse("quiz:start-full-exam"))
    assert response["Location"] == reverse("quiz:resume-attempt", args=[first.pk])
    assert Attempt.objects.count() == 1
    dashboard = client_logged_in.get(reverse("quiz:dashboard")).content.decode()
    assert "Resume your full mock exam" in dashboard and 'name="another" value="1"' in dashboard


def test_start_another_begins_a_second_full_exam_on_purpose(client_logged_in, exam_bank):
    client_logged_in.post(reverse("quiz:start-full-exam"))
    client_logged_in.post(reverse("quiz:start-full-exam"), {"another": "1"})
    assert Attempt.objects.filter(mode="full", status="in_progress").count() == 2
