"""Screenshots of the main screens in light, dark and phone layouts, each checked with axe."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from quiz.models import Attempt
from quiz.services import groups as group_services
from tests.browser.helpers import log_in
from tests.conftest import HTMX
from tests.views.helpers import question_url, slot, start_custom

pytestmark = pytest.mark.browser

SCREENSHOTS = settings.BASE_DIR / "test-artifacts" / "screenshots"
VARIANTS = {
    "light": {"color_scheme": "light"},
    "dark": {"color_scheme": "dark"},
    "phone": {"color_scheme": "light", "viewport": {"width": 390, "height": 844}},
}
BLOCKING_IMPACTS = {"serious", "critical"}


def answer(client, attempt: Attempt, number: int, *, right: bool) -> None:
    question = slot(attempt, number).question
    ids = list(
        question.choices.filter(is_correct=right).values_list("pk", flat=True)[
            : 2 if question.kind == "multiple" else 1
        ]
    )
    client.post(question_url(attempt, number), {"choice": ids, "seq": 1}, headers=HTMX)


def blocking_violations(page: Page, screen: str) -> list[str]:
    results = Axe().run(page)
    return [
        f"{screen}: {violation['id']} ({violation['impact']}) at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def test_main_screens_have_no_serious_axe_violations_when_light_dark_or_phone(
    new_context, live_server, learner_client, browser_bank
):
    # A finished exam (for the report and progress) and a full exam under way.
    finished = start_custom(learner_client, count=10)
    for number in range(1, 11):
        answer(learner_client, finished, number, right=number % 3 != 0)
    learner_client.post(reverse("quiz:submit-attempt", args=[finished.pk]))
    learner_client.post(reverse("quiz:start-full-exam"))
    current = Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS).get()
    for number in (1, 2, 4):
        answer(learner_client, current, number, right=True)
    learner_client.post(
        reverse("quiz:flag-question", args=[current.pk, 2]), {"flagged": "on"}, headers=HTMX
    )

    group = group_services.group_create(owner=finished.user, name="Study circle", now=timezone.now())
    screens = {
        "home": reverse("quiz:home"),
        "question": question_url(current, 3),
        "review": reverse("quiz:attempt-review", args=[current.pk]),
        "results": reverse("quiz:attempt-result", args=[finished.pk]),
        "answers": reverse("quiz:attempt-answers", args=[finished.pk]),
        "progress": reverse("quiz:progress"),
        "group": reverse("quiz:group-dashboard", args=[group.pk]),
        "dashboard": reverse("quiz:dashboard"),
        "discard": reverse("quiz:discard-attempt", args=[current.pk]),
        "report": reverse("quiz:report-question", args=[finished.pk, 1]),
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    violations: list[str] = []
    for variant, options in VARIANTS.items():
        page = log_in(new_context(**options), learner_client, live_server.url).new_page()
        for screen, url in screens.items():
            page.goto(url)
            page.screenshot(path=SCREENSHOTS / f"{screen}-{variant}.png", full_page=True)
            violations += blocking_violations(page, f"{screen} ({variant})")
            if variant == "phone":
                # Nothing may push the page sideways: wide tables scroll inside their box.
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > 390:
                    violations.append(f"{screen} (phone): page is {width} px wide on a 390 px screen")
            if screen == "question":
                page.locator("#navigator").scroll_into_view_if_needed()
                page.screenshot(path=SCREENSHOTS / f"navigator-{variant}.png")

    assert not violations, "axe found serious or critical problems:\n" + "\n".join(violations)
    assert len(list(SCREENSHOTS.glob("*.png"))) >= len(VARIANTS) * (len(screens) + 1)
