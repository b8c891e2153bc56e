"""Moving between questions swaps the card in place: fast, nothing dropped, Back works."""

import re

import pytest
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


def test_next_previous_and_the_navigator_move_without_reloading_and_keep_every_answer(
    new_context, live_server, learner_client, browser_bank
):
    page = log_in(new_context(), learner_client, live_server.url).new_page()
    start_exam(page, 5, minutes=10)
    expect_question(page, 1, 5)
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
    with page.expect_response(lambda response: response.request.method == "GET" and response.url.endswith(question_url(attempt, 4))):
        page.locator("#nav-4").click()
    expect_question(page, 4, 5)
    assert slot(attempt, 2).time_spent_seconds >= 2
    assert page.evaluate("window.sameDocument") is True

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
    new_context, live_server, learner_client, browser_bank
):
    page = log_in(new_context(), learner_client, live_server.url).new_page()
    start_exam(page, 5, minutes=10)
    expect_question(page, 1, 5)
    attempt = Attempt.objects.get()

    # The connection drops for saves only: moving would still work, and would lose the answer.
    def drop_saves(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(f"**{question_url(attempt, 1)}", drop_saves)
    chosen = answer_with_mouse(page)
    status = page.locator("#answer-status")
    expect(status).to_have_text(re.compile("^Not saved yet: the connection failed"))
    page.keyboard.press("n")
    page.wait_for_timeout(700)
    expect_question(page, 1, 5)
    assert slot(attempt, 1).selected_choice_ids == []

    page.unroute(f"**{question_url(attempt, 1)}")
    expect(status.locator(".saved")).to_have_text("Saved.", timeout=20_000)
    assert sorted(slot(attempt, 1).selected_choice_ids) == sorted(int(value) for value in chosen)
    page.keyboard.press("n")
    expect_question(page, 2, 5)
