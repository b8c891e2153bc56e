"""Each exam page runs the same number of queries for a 10- and a 75-question attempt."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import HTMX
from tests.factories import correct_choice_ids
from tests.views.helpers import slot, start_custom

pytestmark = pytest.mark.django_db


def query_count(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code in {200, 302}, response.status_code
    return len(queries)


def measure(client, attempt) -> dict[str, int]:
    question = reverse("quiz:attempt-question", args=[attempt.pk, 2])
    first = slot(attempt, 2)
    counts = {
        "question page": query_count(lambda: client.get(question)),
        "question fragment": query_count(lambda: client.get(question, headers=HTMX)),
        "autosave": query_count(lambda: client.post(question, {"choice": first.choice_order[:1], "seq": 10}, headers=HTMX)),
        "flag": query_count(lambda: client.post(reverse("quiz:flag-question", args=[attempt.pk, 2]), {"flagged": "on"}, headers=HTMX)),
        "review screen": query_count(lambda: client.get(reverse("quiz:attempt-review", args=[attempt.pk]))),
    }
    for number in range(1, attempt.question_count + 1, 3):
        current = slot(attempt, number)
        client.post(reverse("quiz:attempt-question", args=[attempt.pk, number]), {"choice": correct_choice_ids(current.question), "seq": 20}, headers=HTMX)
    counts["submit"] = query_count(lambda: client.post(reverse("quiz:submit-attempt", args=[attempt.pk])))
    counts["results"] = query_count(lambda: client.get(reverse("quiz:attempt-result", args=[attempt.pk])))
    counts["answer review"] = query_count(lambda: client.get(reverse("quiz:attempt-answers", args=[attempt.pk])))
    counts["dashboard"] = query_count(lambda: client.get(reverse("quiz:dashboard")))
    return counts


def test_exam_pages_run_a_fixed_number_of_queries_whatever_the_length(client_logged_in, exam_bank):
    small = measure(client_logged_in, start_custom(client_logged_in, count=10, minutes=30))
    full = measure(client_logged_in, start_custom(client_logged_in, count=75, minutes=180))
    assert small == full
    # Bounds a regression must not pass (session + user + the page's own reads).
    # Autosave and flag: session, user, the slot (with the progress counts), one UPDATE.
    assert full["autosave"] <= 4
    assert full["flag"] <= 4
    assert full["question page"] <= 4  # session, user, the slot with its choices, the navigator
    assert full["question fragment"] <= 3  # moving on: the card only, no navigator
    assert full["results"] <= 7
