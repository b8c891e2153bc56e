"""Another user's attempt does not exist for you; anonymous users go to the login page."""

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import HTMX
from tests.views.helpers import slot, start_custom

pytestmark = pytest.mark.django_db


def attempt_url_names() -> list[str]:
    """Every quiz URL that takes an attempt id, read from the URL conf so none is forgotten."""
    names = []
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "quiz":
            for inner in pattern.url_patterns:
                if isinstance(inner, URLPattern) and "attempt_id" in inner.pattern.regex.groupindex:
                    names.append(inner.name)
    assert len(names) >= 7
    return names


def build_url(name: str, attempt) -> str:
    try:
        return reverse(f"quiz:{name}", kwargs={"attempt_id": attempt.pk, "slot": 1})
    except NoReverseMatch:
        return reverse(f"quiz:{name}", kwargs={"attempt_id": attempt.pk})


@pytest.mark.parametrize("name", attempt_url_names())
def test_another_users_attempt_is_a_404_on_every_url(name, client_logged_in, other_client, exam_bank):
    attempt = start_custom(client_logged_in, count=5, mode="practice")
    url = build_url(name, attempt)
    before = slot(attempt, 1).selected_choice_ids
    statuses = {
        other_client.get(url).status_code,
        other_client.post(url, {"choice": slot(attempt, 1).choice_order[:1], "seq": 9, "flagged": "on"}).status_code,
    }
    # The method a URL serves answers 404; the other one 405, which reveals nothing either.
    assert 404 in statuses and statuses <= {404, 405}
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"
    assert slot(attempt, 1).selected_choice_ids == before and not slot(attempt, 1).is_flagged


@pytest.mark.parametrize("name", attempt_url_names())
def test_anonymous_users_are_sent_to_log_in(name, client, client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5)
    url = build_url(name, attempt)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    htmx = client.get(url, headers=HTMX)
    assert htmx.status_code == 200 and htmx["HX-Redirect"].startswith(reverse("login"))


def test_posts_without_a_csrf_token_are_rejected(user, exam_bank, client_logged_in):
    from django.test import Client

    attempt = start_custom(client_logged_in, count=5)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    url = reverse("quiz:attempt-question", args=[attempt.pk, 1])
    response = strict.post(url, {"choice": slot(attempt, 1).choice_order[:1], "seq": 5}, headers=HTMX)
    assert response.status_code == 403
    assert slot(attempt, 1).selected_choice_ids == []


def test_choice_ids_from_another_question_are_refused(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5)
    foreign = slot(attempt, 2).choice_order[:1]
    response = client_logged_in.post(reverse("quiz:attempt-question", args=[attempt.pk, 1]), {"choice": foreign, "seq": 5}, headers=HTMX)
    assert response.status_code == 400
    assert slot(attempt, 1).selected_choice_ids == []


def test_a_slot_outside_the_attempt_is_a_404(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5)
    assert client_logged_in.get(reverse("quiz:attempt-question", args=[attempt.pk, 6])).status_code == 404
    assert client_logged_in.post(reverse("quiz:attempt-question", args=[attempt.pk, 0]), {"seq": 1}).status_code == 404


def test_answers_to_a_finished_attempt_change_nothing(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5)
    client_logged_in.post(reverse("quiz:submit-attempt", args=[attempt.pk]))
    response = client_logged_in.post(reverse("quiz:attempt-question", args=[attempt.pk, 1]), {"choice": slot(attempt, 1).choice_order[:1], "seq": 5}, headers=HTMX)
    assert response["HX-Redirect"] == reverse("quiz:attempt-result", args=[attempt.pk])
    assert slot(attempt, 1).selected_choice_ids == []
