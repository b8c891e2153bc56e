"""The countdown: a timed exam ends itself at zero, and autosaves never wind it back."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quiz.models import Attempt
from tests.browser.helpers import (
    answer_with_mouse,
    clock_seconds,
    expect_question,
    expect_saved_answer,
    log_in,
    start_exam,
)
from tests.views.helpers import slot

pytestmark = pytest.mark.browser


def test_timed_exam_ends_itself_and_shows_the_report_when_the_clock_reaches_zero(
    new_context, live_server, learner_client, browser_bank
):
    page = log_in(new_context(), learner_client, live_server.url).new_page()
    start_exam(page, 5, minutes=1)
    expect_question(page, 1, 5)
    assert 50 <= clock_seconds(page) <= 60

    # Shorten the wait: the server's deadline is the truth, and the page resyncs on load.
    attempt = Attempt.objects.get()
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() + timedelta(seconds=3))
    page.reload()
    assert clock_seconds(page) <= 3

    # No click: at zero the page posts the timeout form and the server scores the attempt.
    page.wait_for_url(re.compile(rf"/attempts/{attempt.pk}/result/$"), timeout=15_000)
    expect(page.get_by_role("heading", name="Score report", level=1)).to_be_visible()
    expect(page.locator(".figures")).to_contain_text(re.compile(r"0 / 5"))
    expect(page.locator("main")).to_contain_text("ended when time ran out")
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.EXPIRED
    assert attempt.finished_at == attempt.deadline_at


def test_clock_keeps_counting_down_when_an_answer_is_autosaved(
    new_context, live_server, learner_client, browser_bank
):
    page = log_in(new_context(), learner_client, live_server.url).new_page()
    start_exam(page, 5, minutes=10)
    expect_question(page, 1, 5)
    at_load = clock_seconds(page)

    page.wait_for_timeout(2500)
    answer_with_mouse(page)
    expect_saved_answer(page)
    page.locator("#flag-toggle button").click()
    expect(page.locator("#flag-toggle button")).to_have_attribute("aria-pressed", "true")
    page.wait_for_timeout(300)
    # The swaps resync from the server's deadline; the page-load value is stale by now.
    assert clock_seconds(page) <= at_load - 2

    # Time on the question counts from when it was shown, not from the last save.
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.locator("#answer-form .choice label").nth(2).click()
    assert slot(Attempt.objects.get(), 1).time_spent_seconds >= 2
