"""Practice mode grades each question on request and explains the answer."""

import re

import pytest
from playwright.sync_api import expect

from quiz.models import Attempt
from tests.browser.helpers import (
    answer_with_mouse,
    expect_question,
    expect_saved_answer,
    log_in,
    start_exam,
)

pytestmark = pytest.mark.browser


def test_practice_shows_verdict_rationales_and_explanation_when_an_answer_is_checked(
    new_context, live_server, learner_client, browser_bank
):
    page = log_in(new_context(), learner_client, live_server.url).new_page()
    start_exam(page, 5, practice=True)
    expect_question(page, 1, 5)
    expect(page.locator("#clock")).to_have_text("Untimed")
    assert Attempt.objects.get().is_practice

    answer_with_mouse(page)
    expect_saved_answer(page)
    page.evaluate("window.sameDocument = true")
    page.get_by_role("button", name="Check answer").click()

    feedback = page.locator(".feedback")
    expect(feedback.get_by_role("heading", level=2)).to_have_text(
        re.compile(r"^(Correct|Incorrect)$")
    )
    choice_count = page.locator("#answer-form .choice").count()
    expect(page.locator(".choice .rationale")).to_have_count(choice_count)
    expect(page.locator(".choice .rationale").first).to_contain_text(
        re.compile(r"(Correct answer\.|Not this one\.)\s+Why option \d is (right|wrong)\.")
    )
    expect(page.locator(".choice.is-correct")).not_to_have_count(0)
    expect(feedback).to_contain_text("The deciding fact.")
    expect(page.locator("#verdict")).to_be_focused()
    assert page.evaluate("window.sameDocument") is True  # checked in place, no reload
    # The checked question is locked; Next is now the way on.
    expect(page.locator("#answer-form input[name=choice]").first).to_be_disabled()
    expect(page.get_by_role("button", name="Check answer")).to_have_count(0)
    page.get_by_role("button", name=re.compile(r"^Next")).click()
    expect_question(page, 2, 5)
    expect(page.get_by_role("button", name="Check answer")).to_be_visible()
