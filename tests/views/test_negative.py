"""Hostile or broken requests get a clear 4xx and change nothing."""

import pytest
from django.urls import reverse

from quiz.models import Attempt
from tests.conftest import HTMX
from tests.views.helpers import question_url, slot, start_custom

pytestmark = pytest.mark.django_db


REAL_CHOICE = "the first choice of the question"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"choice": "not-a-number", "seq": 5}, "choice"),
        ({"choice": "999999999", "seq": 5}, "choice"),
        ({"choice": REAL_CHOICE, "seq": "yesterday"}, "seq"),
        ({"choice": REAL_CHOICE, "seq": "-4"}, "seq"),
        ({"choice": REAL_CHOICE, "seq": str(2**70)}, "seq"),
        ({"choice": REAL_CHOICE, "time_spent": "lots", "seq": 5}, "time_spent"),
    ],
    ids=["text-choice", "unknown-choice", "text-seq", "negative-seq", "huge-seq", "text-time"],
)
def test_malformed_answers_are_refused_with_400(client_logged_in, exam_bank, data, field):
    attempt = start_custom(client_logged_in, count=5)
    if data["choice"] == REAL_CHOICE:  # only the field under test is wrong
        data = {**data, "choice": slot(attempt, 1).choice_order[0]}
    response = client_logged_in.post(question_url(attempt, 1), data, headers=HTMX)
    assert response.status_code == 400
    assert response.content.decode().startswith(f"Invalid answer: {field}: ")
    assert slot(attempt, 1).selected_choice_ids == []


def test_an_oversized_body_is_refused(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5)
    response = client_logged_in.post(question_url(attempt, 1), {"choice": "1", "seq": 1, "padding": "x" * 400_000}, headers=HTMX)
    assert response.status_code == 400
    assert slot(attempt, 1).selected_choice_ids == []


def test_too_many_fields_are_refused(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5)
    response = client_logged_in.post(question_url(attempt, 1), {f"f{i}": "1" for i in range(500)}, headers=HTMX)
    assert response.status_code == 400


def test_a_single_answer_question_takes_one_choice_at_most(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=10, domains=["iac"])
    single = next(s for s in range(1, 11) if slot(attempt, s).question.kind == "single")
    two = slot(attempt, single).choice_order[:2]
    response = client_logged_in.post(question_url(attempt, single), {"choice": two, "seq": 3}, headers=HTMX)
    assert response.status_code == 400
    assert slot(attempt, single).selected_choice_ids == []


@pytest.mark.parametrize("slot_number", [0, 6, 99999])
def test_tampered_slot_numbers_are_404(client_logged_in, exam_bank, slot_number):
    attempt = start_custom(client_logged_in, count=5)
    for url in (question_url(attempt, slot_number), reverse("quiz:flag-question", args=[attempt.pk, slot_number])):
        assert client_logged_in.post(url, {"seq": 1, "flagged": "on"}, headers=HTMX).status_code == 404


def test_flagging_a_finished_attempt_changes_nothing(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5)
    client_logged_in.post(reverse("quiz:submit-attempt", args=[attempt.pk]))
    client_logged_in.post(reverse("quiz:flag-question", args=[attempt.pk, 1]), {"flagged": "on"})
    assert not slot(attempt, 1).is_flagged


def test_get_never_writes(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5)
    assert client_logged_in.get(reverse("quiz:submit-attempt", args=[attempt.pk])).status_code == 405
    assert client_logged_in.get(reverse("quiz:flag-question", args=[attempt.pk, 1])).status_code == 405
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"


def test_a_choice_sent_twice_counts_once_and_errors_name_the_field(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=10, domains=["iac"])
    single = next(s for s in range(1, 11) if slot(attempt, s).question.kind == "single")
    chosen = slot(attempt, single).choice_order[1]
    response = client_logged_in.post(question_url(attempt, single), {"choice": [chosen, chosen], "seq": 3}, headers=HTMX)
    assert response.status_code == 200
    assert slot(attempt, single).selected_choice_ids == [chosen]
    refused = client_logged_in.post(question_url(attempt, single), {"choice": [chosen], "seq": "4", "time_spent": "-1"}, headers=HTMX)
    assert refused.status_code == 400
    assert refused.content.decode() == "Invalid answer: time_spent: Enter a whole number from 0 to 100000."


def test_a_tampered_exam_form_names_each_bad_field(client_logged_in, exam_bank):
    response = client_logged_in.post(reverse("quiz:exam-new"), {"mode": "bogus", "question_count": 5, "domains": ["nope"], "topics": ["nada"]})
    html = response.content.decode()
    assert response.status_code == 200 and not Attempt.objects.exists()
    for bad in ("bogus", "nope", "nada"):
        assert f"{bad} is not one of the available choices" in html
