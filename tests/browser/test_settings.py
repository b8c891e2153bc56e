"""Settings in a browser: the time zone this browser runs in is offered with one click."""

import pytest
from playwright.sync_api import expect

from quiz.models import Profile
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser

OFFER = "Use this browser’s zone: Asia/Tokyo"


def test_the_browsers_zone_is_offered_and_saved(new_context, live_server, learner, learner_client):
    page = log_in(new_context(timezone_id="Asia/Tokyo"), learner_client, live_server.url).new_page()
    page.goto("/accounts/settings/")
    offer = page.get_by_role("button", name=OFFER)
    expect(offer).to_be_visible()
    offer.click()
    expect(offer).to_be_hidden()
    expect(page.locator("#id_time_zone")).to_have_value("Asia/Tokyo")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    assert Profile.objects.get(user=learner).time_zone == "Asia/Tokyo"
    # Once chosen, there is nothing left to offer.
    page.reload()
    expect(page.get_by_role("button", name=OFFER)).to_be_hidden()
