"""The endpoints the benchmark drives, as virtual users built from the prepared data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bench import fixtures
from bench.loadgen import VirtualUser

HISTORY_ATTEMPTS = 200
# The study group of the dashboard: its members, each one's finished attempts, their length.
GROUP_MEMBERS = 50
GROUP_ATTEMPTS = 20
GROUP_QUESTIONS = 75
FORM = "application/x-www-form-urlencoded"
AUTOSAVE = "autosave (POST, htmx)"
# Moving between questions (Previous, Next, a navigator cell) fetches only the question card;
# the whole page is what a first visit, a reload or Back loads.
QUESTION = "question screen, moving on (GET, htmx)"
QUESTION_PAGE = "question screen, whole page (GET)"
REFERENCE_INSERT = "reference INSERT (POST)"
REFERENCE_PAGE = "reference page (GET)"
GROUP = f"group dashboard, {GROUP_MEMBERS} members (GET)"


@dataclass(frozen=True)
class Endpoint:
    name: str
    server: str  # "app" or "reference"
    compare_to: str | None  # the reference endpoint its ratio is taken against
    build: Callable[[fixtures.BenchUser, str], VirtualUser]  # (user, base URL) -> virtual user
    is_htmx: bool = False
    as_history_user: bool = False  # requests go out as the user with the long history
    as_group_member: bool = False  # requests go out as members of the benchmark's group
    reference_key: str = ""  # its name in bench.reference.count_queries' output


def _get_headers(session: fixtures.Session, *, htmx: bool = False) -> dict[str, str]:
    headers = {"Cookie": session.cookie, "Accept": "text/html"}
    if htmx:
        headers["HX-Request"] = "true"
    return headers


def _post_headers(session: fixtures.Session, base_url: str, *, htmx: bool) -> dict[str, str]:
    headers = {
        "Cookie": session.cookie,
        "X-CSRFToken": session.csrf_token,
        "Content-Type": FORM,
        "Origin": base_url,
    }
    if htmx:
        headers["HX-Request"] = "true"
    return headers


def endpoints_to_drive() -> list[Endpoint]:
    from django.urls import reverse

    def question_path(user: fixtures.BenchUser, slot: int) -> str:
        return reverse("quiz:attempt-question", args=[user.open_attempt_id, slot])

    def autosave(user: fixtures.BenchUser, base_url: str) -> VirtualUser:
        # Each user answers every slot of its own attempt in turn, then changes its mind.
        requests = [
            (question_path(user, slot), f"choice={choices[turn % len(choices)]}&time_spent=30")
            for turn in range(2)
            for slot, choices in user.open_slots
        ]
        headers = _post_headers(user.session, base_url, htmx=True)
        return VirtualUser("POST", headers, requests, add_seq=True)

    def question_move(user: fixtures.BenchUser, _base_url: str) -> VirtualUser:
        requests = [(question_path(user, slot), None) for slot, _choices in user.open_slots]
        return VirtualUser("GET", _get_headers(user.session, htmx=True), requests)

    def question_page(user: fixtures.BenchUser, _base_url: str) -> VirtualUser:
        requests = [(question_path(user, slot), None) for slot, _choices in user.open_slots]
        return VirtualUser("GET", _get_headers(user.session), requests)

    def review(user: fixtures.BenchUser, _base_url: str) -> VirtualUser:
        path = reverse("quiz:attempt-review", args=[user.open_attempt_id])
        return VirtualUser("GET", _get_headers(user.session), [(path, None)])

    def result(user: fixtures.BenchUser, _base_url: str) -> VirtualUser:
        path = reverse("quiz:attempt-result", args=[user.finished_attempt_id])
        return VirtualUser("GET", _get_headers(user.session), [(path, None)])

    def progress(user: fixtures.BenchUser, _base_url: str) -> VirtualUser:
        path = reverse("quiz:progress")
        return VirtualUser("GET", _get_headers(user.progress_session), [(path, None)])

    def group(user: fixtures.BenchUser, _base_url: str) -> VirtualUser:
        path = reverse("quiz:group-dashboard", args=[user.group_id])
        return VirtualUser("GET", _get_headers(user.group_session), [(path, None)])

    def reference_insert(user: fixtures.BenchUser, base_url: str) -> VirtualUser:
        headers = _post_headers(user.session, base_url, htmx=False)
        return VirtualUser("POST", headers, [("/insert/", "text=hello")])

    def reference_page(user: fixtures.BenchUser, _base_url: str) -> VirtualUser:
        return VirtualUser("GET", _get_headers(user.session), [("/page/", None)])

    # App and reference endpoints alternate, so drift during the run hits both alike.
    return [
        Endpoint(AUTOSAVE, "app", REFERENCE_INSERT, autosave, is_htmx=True),
        Endpoint(REFERENCE_INSERT, "reference", None, reference_insert, reference_key="insert"),
        Endpoint(QUESTION, "app", REFERENCE_PAGE, question_move, is_htmx=True),
        Endpoint(REFERENCE_PAGE, "reference", None, reference_page, reference_key="page"),
        Endpoint(QUESTION_PAGE, "app", REFERENCE_PAGE, question_page),
        Endpoint("navigator: review screen (GET)", "app", REFERENCE_PAGE, review),
        Endpoint("results page (GET)", "app", REFERENCE_PAGE, result),
        Endpoint(
            f"progress, {HISTORY_ATTEMPTS} attempts (GET)",
            "app",
            REFERENCE_PAGE,
            progress,
            as_history_user=True,
        ),
        Endpoint(GROUP, "app", REFERENCE_PAGE, group, as_group_member=True),
    ]
