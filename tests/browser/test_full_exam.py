"""A newcomer signs up and sits a full mock exam with mouse and keyboard, then reads the report."""

import re

import pytest
from playwright.sync_api import Page, expect

from quiz.models import Attempt
from tests.browser.helpers import (
    answer_with_keyboard,
    answer_with_mouse,
    checked_values,
    clock_seconds,
    expect_question,
    expect_saved_answer,
)

pytestmark = pytest.mark.browser

FULL_EXAM_SECONDS = 3 * 60 * 60


def test_new_user_signs_up_and_sits_a_full_mock_exam_when_answering_by_mouse_and_keyboard(
    page: Page, browser_bank
):
    page.goto("/")
    page.get_by_role("link", name="Sign up and start").click()
    page.get_by_label("Username:").fill("newcomer")
    page.get_by_label("Password:", exact=True).fill("a-long-pass-phrase-9")
    page.get_by_label("Password confirmation:").fill("a-long-pass-phrase-9")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()

    page.get_by_role("button", name="Full mock exam").click()
    expect_question(page, 1, 75)
    expect(page.locator("#clock")).to_have_attribute("role", "timer")

    # Question 1 by mouse.
    first_answer = answer_with_mouse(page)
    expect_saved_answer(page)
    expect(page.locator("#nav-1")).to_have_class(re.compile(r"\banswered\b"))

    # Question 2 by keyboard: N moves on, digits choose, F flags.
    page.keyboard.press("n")
    expect_question(page, 2, 75)
    second_answer = answer_with_keyboard(page)
    expect_saved_answer(page)
    page.keyboard.press("f")
    flag = page.locator("#flag-toggle button")
    expect(flag).to_have_text(re.compile("Flagged for review"))
    expect(flag).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#progress-count")).to_have_text("2 of 75 answered, 1 flagged")

    # P goes back and question 1 kept its answer; N returns to question 2.
    page.keyboard.press("p")
    expect_question(page, 1, 75)
    assert checked_values(page) == first_answer
    page.keyboard.press("n")
    expect_question(page, 2, 75)

    # A reload mid-exam keeps the answer, the flag and the running clock.
    page.wait_for_timeout(1100)
    page.reload()
    expect_question(page, 2, 75)
    assert checked_values(page) == second_answer
    expect(page.locator("#flag-toggle button")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#nav-2")).to_have_class(re.compile(r"\bflagged\b"))
    expect(page.locator("#clock-text")).not_to_have_text("3:00:00")
    after_reload = clock_seconds(page)
    assert FULL_EXAM_SECONDS - 60 < after_reload < FULL_EXAM_SECONDS
    # Still counting down after the reload.
    expect(page.locator("#clock-text")).not_to_have_text(page.locator("#clock-text").inner_text())
    assert clock_seconds(page) < after_reload

    # The navigator jumps straight to a question.
    page.locator("#nav-5").click()
    expect_question(page, 5, 75)
    expect(page.locator("#nav-5")).to_have_attribute("aria-current", "page")

    # The review screen lists what is unanswered and flagged.
    page.locator("#navigator").get_by_role("link", name="Review and end").click()
    expect(page.get_by_role("heading", name="Review before ending")).to_be_visible()
    expect(page.locator("#unanswered-heading")).to_have_text("73 unanswered questions")
    expect(page.locator("#flagged-heading")).to_have_text("1 flagged question")
    flagged_section = page.locator("section[aria-labelledby=flagged-heading]")
    expect(flagged_section.get_by_role("link")).to_have_text(["Question 2"])
    unanswered_section = page.locator("section[aria-labelledby=unanswered-heading]")
    expect(unanswered_section.get_by_role("link", name="Question 3", exact=True)).to_be_visible()

    # Ending asks for confirmation first.
    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name="End exam and see my score").click()
    expect(page.get_by_role("heading", name="Score report", level=1)).to_be_visible()
    assert dialogs == ["End the exam now? You cannot change your answers afterwards."]
    assert Attempt.objects.get().status == Attempt.Status.SUBMITTED

    # The score report breaks the result down by domain.
    expect(page.locator("#verdict")).to_have_text(re.compile(r"^(Pass|Fail)$"))
    expect(page.locator(".figures")).to_contain_text(re.compile(r"\d+ / 75"))
    expect(page.locator("tr.domain-row th")).to_have_count(6)
    expect(page.locator("tr.domain-row th").first).to_have_text("1. SDLC Automation")

    # The answer review shows every question with its key; question 2 is marked flagged.
    page.get_by_role("link", name="Review every answer").click()
    expect(page.get_by_role("heading", name="Answer review", level=1)).to_be_visible()
    expect(page.locator("article.review-item")).to_have_count(75)
    expect(page.locator("#slot-2 .flag-mark")).to_have_text("Flagged")
    expect(page.locator("#slot-3")).to_contain_text("Unanswered")
