"""With JavaScript off, plain form posts carry a learner through an exam to the report."""

import re

import pytest
from playwright.sync_api import expect

from quiz.models import Attempt
from tests.browser.helpers import expect_question, log_in, required_count, start_exam

pytestmark = pytest.mark.browser


def test_custom_exam_can_be_finished_and_scored_when_javascript_is_off(
    new_context, live_server, learner_client, browser_bank
):
    page = log_in(
        new_context(java_script_enabled=False), learner_client, live_server.url
    ).new_page()
    start_exam(page, 5)

    for slot in range(1, 6):
        expect_question(page, slot, 5)
        expect(page.locator("#clock")).to_have_text("Untimed")
        choices = page.locator("#answer-form input[name=choice]")
        for index in range(required_count(page)):
            choices.nth(index).check()
        last = slot == 5
        page.get_by_role("button", name="Review and end" if last else re.compile(r"^Next")).click()

    expect(page.get_by_role("heading", name="Review before ending", level=1)).to_be_visible()
    expect(page.locator("#unanswered-heading")).to_have_text("0 unanswered questions")
    expect(page.locator("#progress-count")).to_have_text("5 of 5 answered, 0 flagged")
    # Without JavaScript there is no confirm dialog: the button posts straight away.
    page.get_by_role("button", name="End exam and see my score").click()

    expect(page.get_by_role("heading", name="Score report", level=1)).to_be_visible()
    expect(page.locator("#verdict")).to_have_text(re.compile(r"^(Pass|Fail)$"))
    expect(page.locator(".figures")).to_contain_text(re.compile(r"\d / 5"))
    expect(page.locator("tr.domain-row")).not_to_have_count(0)
    attempt = Attempt.objects.get()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert all(attempt.slots.values_list("selected_choice_ids", flat=True))


def test_buttons_that_need_a_script_stay_out_of_sight_without_one(
    new_context, live_server, learner, learner_client, browser_bank
):
    from django.utils import timezone

    from quiz.services import groups as group_services

    group = group_services.group_create(owner=learner, name="No-script circle", now=timezone.now())
    page = log_in(
        new_context(java_script_enabled=False, timezone_id="Asia/Tokyo"), learner_client, live_server.url
    ).new_page()
    page.goto(f"/groups/{group.pk}/")
    expect(page.locator("#invite-link")).to_be_visible()  # the link itself can still be copied by hand
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
    page.goto("/accounts/settings/")
    expect(page.locator("[data-browser-zone]")).to_be_hidden()
