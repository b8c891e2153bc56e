"""Two learners in two browsers: one creates a group, the other joins from the invite link."""

import pytest
from playwright.sync_api import expect

from quiz.models import Membership, StudyGroup

pytestmark = pytest.mark.browser


def sign_up(page, username: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Sign up and start").click()
    page.fill("#id_username", username)
    page.fill("#id_password1", "tidal-otter-42x")
    page.fill("#id_password2", "tidal-otter-42x")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_a_second_browser_joins_a_group_from_the_invite_link(new_context, browser_bank):
    owner = new_context(permissions=["clipboard-read", "clipboard-write"]).new_page()
    sign_up(owner, "owner")
    owner.get_by_role("link", name="Groups").click()
    owner.fill("#id_name", "Thursday study circle")
    owner.get_by_role("button", name="Create group").click()
    expect(owner.get_by_role("heading", name="Thursday study circle")).to_be_visible()
    invite_link = owner.locator("#invite-link").input_value()
    owner.get_by_role("button", name="Copy link").click()
    expect(owner.get_by_role("button", name="Copied")).to_be_visible()
    assert owner.evaluate("navigator.clipboard.readText()") == invite_link

    friend = new_context().new_page()
    friend.goto(invite_link)
    # Logged out: the link leads through sign-up and back to the invitation.
    friend.locator("#main").get_by_role("link", name="Sign up").click()
    friend.fill("#id_username", "friend")
    friend.fill("#id_password1", "tidal-otter-42x")
    friend.fill("#id_password2", "tidal-otter-42x")
    friend.get_by_role("button", name="Sign up").click()
    expect(friend.get_by_role("heading", name="Join Thursday study circle")).to_be_visible()
    friend.get_by_role("button", name="Join the group").click()
    expect(friend.get_by_role("heading", name="Thursday study circle")).to_be_visible()

    group = StudyGroup.objects.get()
    assert set(Membership.objects.filter(group=group).values_list("user__username", flat=True)) == {"owner", "friend"}
    owner.reload()
    expect(owner.locator("table.heatmap tbody tr")).to_have_count(2)
    expect(owner.locator("table.heatmap")).to_contain_text("friend")
