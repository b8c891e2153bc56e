"""Steps a learner takes on the question screen, shared by the browser journeys."""

import re

from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

# Factory questions: single response has one key of 4, multiple response two of 5.
MULTIPLE_REQUIRED = 2


def is_multiple(page: Page) -> bool:
    return page.locator("#answer-form input[name=choice]").first.get_attribute("type") == "checkbox"


def required_count(page: Page) -> int:
    return MULTIPLE_REQUIRED if is_multiple(page) else 1


def expect_question(page: Page, slot: int, total: int) -> None:
    expect(page.locator("h1.question-number")).to_have_text(f"Question {slot} of {total}")


def expect_saved_answer(page: Page) -> None:
    """The autosave came back: the status line says the question is answered and saved."""
    status = page.locator("#answer-status")
    expect(status).to_contain_text("Answered.")
    expect(status.locator(".saved")).to_have_text("Saved.")


def answer_with_mouse(page: Page) -> list[str]:
    """Click the labels of the first choices (as many as the question needs); return their values."""
    labels = page.locator("#answer-form .choice label")
    values = []
    for index in range(required_count(page)):
        labels.nth(index).click()
        values.append(labels.nth(index).locator("input").get_attribute("value"))
    return values


def answer_with_keyboard(page: Page) -> list[str]:
    """Press 1, 2… on the keyboard (as many as the question needs); return the chosen values."""
    values = []
    for key in range(1, required_count(page) + 1):
        page.keyboard.press(str(key))
        values.append(page.locator(f'#answer-form input[data-key="{key}"]').get_attribute("value"))
    return values


def checked_values(page: Page) -> list[str]:
    return page.locator("#answer-form input[name=choice]:checked").evaluate_all(
        "inputs => inputs.map(input => input.value)"
    )


CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")


def clock_seconds(page: Page) -> int:
    """Read the countdown (H:MM:SS or M:SS) as seconds."""
    text = page.locator("#clock-text").inner_text().strip()
    match = CLOCK.match(text)
    assert match, f"the clock shows {text!r}"
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def start_exam(page: Page, questions: int, *, minutes: int | None = None, practice: bool = False) -> None:
    """Start a custom exam (or practice) from the new-exam form."""
    page.goto("/exams/new/")
    if practice:
        page.get_by_label("Practice: feedback after each answer, untimed").check()
    page.get_by_label("Number of questions").fill(str(questions))
    if minutes is not None:
        page.get_by_label("Time limit (minutes)").fill(str(minutes))
    page.get_by_role("button", name="Start").click()


def log_in(context: BrowserContext, client: Client, base_url: str) -> BrowserContext:
    """Give the browser the test client's session, so a journey starts signed in."""
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    return context
