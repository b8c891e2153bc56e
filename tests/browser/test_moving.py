"""Moving between questions swaps the card in place: fast, nothing dropped, Back works."""

import re
import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from quiz.models import Attempt
from tests.browser.helpers import (
    answer_with_mouse,
    checked_values,
    expect_question,
    log_in,
    start_exam,
)
from tests.views.helpers import question_url, slot

pytestmark = pytest.mark.browser


@pytest.fixture
def exam_page(new_context, live_server, learner_client, browser_bank):
    """A learner on question 1 of a new five-question, ten-minute exam."""
    page = log_in(new_context(), learner_client, live_server.url).new_page()
    start_exam(page, 5, minutes=10)
    expect_question(page, 1, 5)
    return page


def fail_saves(page, url: str, fail) -> None:
    """The page still fetches this question, but each of its saves ends as `fail(route)`."""
    page.route(
        f"**{url}",
        lambda route: fail(route) if route.request.method == "POST" else route.continue_(),
    )


def disconnect(route) -> None:
    route.abort("internetdisconnected")


def question_requests(page, url: str) -> list[str]:
    """Collect the methods of the requests the page makes to this question's address."""
    seen: list[str] = []
    page.on(
        "request",
        lambda request: seen.append(request.method) if request.url.endswith(url) else None,
    )
    return seen


def test_next_previous_and_the_navigator_move_without_reloading_and_keep_every_answer(
    exam_page, live_server
):
    page = exam_page
    attempt = Attempt.objects.get()
    page.evaluate("window.sameDocument = true")

    # Answer and move on at once: the autosave is queued ahead of the move, not dropped.
    chosen = answer_with_mouse(page)
    page.keyboard.press("n")
    expect_question(page, 2, 5)
    expect(page).to_have_url(live_server.url + question_url(attempt, 2))
    expect(page).to_have_title(re.compile(r"^Question 2 of 5"))
    assert page.evaluate("window.sameDocument") is True
    expect(page.locator("#nav-2")).to_have_attribute("aria-current", "page")
    expect(page.locator("#nav-1")).not_to_have_attribute("aria-current", "page")
    expect(page.locator("#nav-1")).to_have_class(re.compile(r"\banswered\b"))
    expect(page.locator("#progress-count")).to_have_text("1 of 5 answered, 0 flagged")
    expect(page.locator("#question-card")).to_be_focused()
    assert sorted(slot(attempt, 1).selected_choice_ids) == sorted(int(value) for value in chosen)

    # Leaving a question records the time spent on it even when nothing was chosen.
    page.wait_for_timeout(2200)
    time_url = reverse("quiz:record-time", args=[attempt.pk, 2])
    with page.expect_response(lambda response: response.url.endswith(time_url)) as recorded:
        page.locator("#nav-4").click()
    assert recorded.value.status == 204
    expect_question(page, 4, 5)
    assert slot(attempt, 2).time_spent_seconds >= 2 and slot(attempt, 2).selected_choice_ids == []
    assert page.evaluate("window.sameDocument") is True
    expect(page.locator("#nav-1 .visually-hidden")).to_have_text(", answered")

    page.get_by_role("button", name=re.compile("^Previous")).click()
    expect_question(page, 3, 5)
    expect(page).to_have_url(live_server.url + question_url(attempt, 3))

    # Back goes through the visited questions, each as the server now holds it.
    page.go_back()
    expect_question(page, 4, 5)
    page.go_back()
    expect_question(page, 2, 5)
    page.go_back()
    expect_question(page, 1, 5)
    assert sorted(checked_values(page)) == sorted(chosen)
    expect(page.locator("#nav-1")).to_have_attribute("aria-current", "page")


def test_a_failed_save_is_retried_until_stored_and_holds_the_learner_on_its_question(
    exam_page,
):
    page = exam_page
    attempt = Attempt.objects.get()
    moves_to_2 = question_requests(page, question_url(attempt, 2))

    # The connection drops for saves only: moving would still work, and would lose the answer.
    fail_saves(page, question_url(attempt, 1), disconnect)
    chosen = answer_with_mouse(page)
    status = page.locator("#answer-status")
    expect(status).to_have_text(re.compile("^Not saved yet: the connection failed"))
    page.keyboard.press("n")
    page.wait_for_timeout(700)
    expect_question(page, 1, 5)
    assert moves_to_2 == [] and slot(attempt, 1).selected_choice_ids == []

    page.unroute(f"**{question_url(attempt, 1)}")
    expect(status.locator(".saved")).to_have_text("Saved.", timeout=20_000)
    assert sorted(slot(attempt, 1).selected_choice_ids) == sorted(int(value) for value in chosen)
    page.keyboard.press("n")
    expect_question(page, 2, 5)


def test_a_save_still_failing_when_the_learner_goes_back_is_stored_once_the_line_is_back(
    exam_page,
):
    page = exam_page
    attempt = Attempt.objects.get()
    page.keyboard.press("n")
    expect_question(page, 2, 5)
    fail_saves(page, question_url(attempt, 2), disconnect)
    chosen = answer_with_mouse(page)
    expect(page.locator("#answer-status")).to_have_text(re.compile("^Not saved yet"))

    page.go_back()  # Back is not a button the page can hold: the save is retried as sent
    expect_question(page, 1, 5)
    page.unroute(f"**{question_url(attempt, 2)}")
    deadline = time.monotonic() + 25
    while not slot(attempt, 2).selected_choice_ids and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert sorted(slot(attempt, 2).selected_choice_ids) == sorted(int(value) for value in chosen)
    expect(page.locator("#nav-2")).to_have_class(re.compile(r"\banswered\b"))


def test_a_refused_save_says_to_reload_and_choices_wait_while_a_question_loads(
    exam_page,
):
    page = exam_page
    attempt = Attempt.objects.get()
    first = answer_with_mouse(page)
    expect(page.locator("#answer-status .saved")).to_have_text("Saved.")

    # A key pressed while the next question is on its way must not change the old card,
    # whose save would be queued behind the move and dropped with the card.
    page.evaluate(
        """() => document.addEventListener("htmx:beforeSend", (event) => {
            if (event.detail.requestConfig.verb !== "get") return;
            window.leftCard = document.getElementById("question-card");
            window.inertDuringMove = window.leftCard.inert;
            document.dispatchEvent(new KeyboardEvent("keydown", { key: "3", bubbles: true }));
        }, { once: true })"""
    )
    page.keyboard.press("n")
    expect_question(page, 2, 5)
    assert page.evaluate("window.inertDuringMove") is True
    assert (
        page.evaluate("""window.leftCard.querySelector('input[data-key="3"]').checked""") is False
    )
    assert sorted(slot(attempt, 1).selected_choice_ids) == sorted(int(value) for value in first)
    assert checked_values(page) == [] and slot(attempt, 2).selected_choice_ids == []

    # A save the server refuses (an out-of-date page): no retry can help, so it says so.
    fail_saves(page, question_url(attempt, 2), lambda route: route.fulfill(status=403, body="CSRF"))
    answer_with_mouse(page)
    expect(page.locator("#answer-status")).to_have_text(
        re.compile("^Not saved: this page is out of date. Reload it")
    )
    moves_to_3 = question_requests(page, question_url(attempt, 3))
    page.keyboard.press("n")
    page.wait_for_timeout(500)
    expect_question(page, 2, 5)
    assert moves_to_3 == []
