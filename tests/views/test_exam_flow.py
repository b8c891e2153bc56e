"""Starting, answering, flagging, ending and reading the report, as a learner does."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt, AttemptQuestion, ChosenChoice, Question
from tests.conftest import HTMX
from tests.factories import TopicFactory, correct_choice_ids, wrong_choice_ids
from tests.views.helpers import question_url, shown_choice_ids, slot, start_custom

pytestmark = pytest.mark.django_db


def test_sign_up_from_the_home_page_logs_the_new_user_in(client, exam_bank):
    home = client.get("/")
    assert reverse("signup") in home.content.decode()
    response = client.post(
        reverse("signup"),
        {"username": "newcomer", "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"},
    )
    assert response.status_code == 302
    assert client.get(reverse("quiz:dashboard")).status_code == 200


def test_full_mock_exam_follows_the_blueprint(client_logged_in, exam_bank):
    response = client_logged_in.post(reverse("quiz:start-full-exam"))
    attempt = Attempt.objects.get()
    assert response["Location"] == question_url(attempt, 1)
    assert attempt.question_count == 75 and attempt.time_limit_seconds == 180 * 60
    per_domain = {}
    for key in AttemptQuestion.objects.filter(attempt=attempt).values_list("domain__key", flat=True):
        per_domain[key] = per_domain.get(key, 0) + 1
    assert per_domain == {"sdlc": 17, "iac": 13, "resilience": 11, "monitoring": 11, "incident": 10, "security": 13}
    assert AttemptQuestion.objects.filter(attempt=attempt).values("question").distinct().count() == 75


def test_full_exam_says_what_is_short_when_the_bank_is_too_small(client_logged_in, exam_bank):
    from quiz.models import Question

    Question.objects.filter(domain__key="incident").exclude(pk__in=Question.objects.filter(domain__key="incident")[:4]).update(is_active=False)
    response = client_logged_in.post(reverse("quiz:start-full-exam"), follow=True)
    assert "Incident and Event Response needs 10 questions but the bank has 4" in response.content.decode()
    assert not Attempt.objects.exists()


def test_custom_exam_limited_to_one_domain(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=8, minutes=20, domains=["security"])
    domains = set(AttemptQuestion.objects.filter(attempt=attempt).values_list("domain__key", flat=True))
    assert domains == {"security"}
    assert attempt.deadline_at == attempt.started_at + timedelta(minutes=20)


def test_custom_exam_asking_for_more_than_the_bank_has_is_refused_with_the_reason(client_logged_in, exam_bank):
    response = client_logged_in.post(
        reverse("quiz:exam-new"), {"mode": "custom", "question_count": 30, "domains": ["security"]}
    )
    assert response.status_code == 200
    assert "Only 20 questions match this choice" in response.content.decode()


def test_practising_a_small_topic_offers_what_it_holds(client_logged_in, exam_bank):
    topic = Question.objects.first().topic
    Question.objects.filter(topic=topic).exclude(pk__in=Question.objects.filter(topic=topic).values("pk")[:3]).update(topic=Question.objects.exclude(topic=topic).first().topic)
    form = client_logged_in.get(reverse("quiz:exam-new") + f"?topic={topic.key}").context_data["form"]
    assert form.initial["question_count"] == 3
    response = client_logged_in.post(reverse("quiz:exam-new"), {"mode": "practice", "topics": [topic.key], "question_count": 3})
    assert response.status_code == 302
    attempt = Attempt.objects.get(user__username="learner")
    assert attempt.question_count == 3 and attempt.is_practice
    too_many = client_logged_in.post(reverse("quiz:exam-new"), {"mode": "practice", "topics": [topic.key], "question_count": 4})
    assert "Only 3 questions match this choice; ask for 3 or fewer, or widen it." in too_many.content.decode()


def test_choice_order_is_shuffled_once_and_kept_on_reload(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=10)
    first = shown_choice_ids(client_logged_in.get(question_url(attempt, 1)).content.decode())
    again = shown_choice_ids(client_logged_in.get(question_url(attempt, 1)).content.decode())
    assert first == again == slot(attempt, 1).choice_order


def test_multiple_response_says_select_two_and_counts_only_when_complete(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=20, domains=["sdlc"])
    multi = AttemptQuestion.objects.filter(attempt=attempt, question__kind="multiple").first()
    html = client_logged_in.get(question_url(attempt, multi.slot)).content.decode()
    assert "Select TWO." in html and 'type="checkbox"' in html
    correct = correct_choice_ids(multi.question)
    response = client_logged_in.post(question_url(attempt, multi.slot), {"choice": correct[:1], "seq": 1}, headers=HTMX)
    assert "1 of 2 selected" in response.content.decode()
    assert json.loads(response["HX-Trigger"])["answerSaved"]["answered"] == 0
    response = client_logged_in.post(question_url(attempt, multi.slot), {"choice": correct, "seq": 2}, headers=HTMX)
    assert "Answered." in response.content.decode()
    assert json.loads(response["HX-Trigger"])["answerSaved"]["answered"] == 1


def test_autosave_keeps_the_newest_answer_when_an_older_request_arrives_late(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=10)
    first = slot(attempt, 1)
    a, b = first.choice_order[:2]
    url = question_url(attempt, 1)
    client_logged_in.post(url, {"choice": [b], "seq": 2000}, headers=HTMX)
    late = client_logged_in.post(url, {"choice": [a], "seq": 1000}, headers=HTMX)
    repeated = client_logged_in.post(url, {"choice": [b], "seq": 2000}, headers=HTMX)
    assert late.status_code == repeated.status_code == 200
    assert slot(attempt, 1).selected_choice_ids == [b]


def test_progress_counter_in_save_and_flag_replies_matches_what_is_stored(client_logged_in, exam_bank):
    """The replies count from the row read before the write; they must agree with the
    database through answering, re-answering, a late save, flagging and unflagging."""
    attempt = start_custom(client_logged_in, count=10)
    singles = list(AttemptQuestion.objects.filter(attempt=attempt, question__kind="single").order_by("slot")[:2])
    flag_url = lambda number: reverse("quiz:flag-question", args=[attempt.pk, number])  # noqa: E731
    other_slot = 10 if singles[0].slot != 10 else 9
    steps = [
        (question_url(attempt, singles[0].slot), {"choice": singles[0].choice_order[:1], "seq": 1}),
        (question_url(attempt, singles[0].slot), {"choice": singles[0].choice_order[1:2], "seq": 2}),
        (question_url(attempt, singles[1].slot), {"choice": singles[1].choice_order[:1], "seq": 3}),
        (question_url(attempt, singles[1].slot), {"choice": singles[1].choice_order[1:2], "seq": 1}),  # late
        (flag_url(singles[0].slot), {"flagged": "on"}),
        (flag_url(singles[0].slot), {"flagged": "on"}),
        (flag_url(other_slot), {"flagged": "on"}),
        (flag_url(singles[0].slot), {}),
    ]
    for url, data in steps:
        response = client_logged_in.post(url, data, headers=HTMX)
        stored = AttemptQuestion.objects.filter(attempt=attempt)
        answered = stored.filter(is_answered=True).count()
        flagged = stored.filter(is_flagged=True).count()
        event = next(iter(json.loads(response["HX-Trigger"]).values()))
        assert (event["answered"], event["flagged"]) == (answered, flagged), (url, data)
    assert (answered, flagged) == (2, 1)
    # The page gives exam.js the counter's sentence to fill in from those events.
    page = client_logged_in.get(question_url(attempt, 1)).content.decode()
    assert 'data-format="{answered} of {total} answered, {flagged} flagged" data-total="10"' in page
    assert ">2 of 10 answered, 1 flagged</p>" in page


def test_answers_survive_a_reload_and_resuming_from_the_dashboard(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=10, minutes=30)
    chosen = slot(attempt, 3).choice_order[2]
    client_logged_in.post(question_url(attempt, 3), {"choice": [chosen], "seq": 5}, headers=HTMX)
    html = client_logged_in.get(question_url(attempt, 3)).content.decode()
    assert re.search(rf'value="{chosen}"\s+data-key="\d"\s+checked', html)
    dashboard = client_logged_in.get(reverse("quiz:dashboard")).content.decode()
    resume = reverse("quiz:resume-attempt", args=[attempt.pk])
    assert resume in dashboard and "left" in dashboard
    for number in (1, 2, 3):
        current = slot(attempt, number)
        needed = 1 if current.question.kind == "single" else 2
        client_logged_in.post(question_url(attempt, number), {"choice": current.choice_order[:needed], "seq": 6}, headers=HTMX)
    assert client_logged_in.get(resume)["Location"] == question_url(attempt, 4)


def test_moving_between_questions_swaps_only_the_card_and_its_heading(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=10, minutes=30)
    chosen = slot(attempt, 4).choice_order[1]
    client_logged_in.post(question_url(attempt, 4), {"choice": [chosen], "seq": 5}, headers=HTMX)
    with time_machine.travel(timezone.now() + timedelta(minutes=7), tick=False):
        response = client_logged_in.get(question_url(attempt, 4), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "HX-Request" in response["Vary"]
    assert "no-store" in response["Cache-Control"]  # Back must never show a stored card
    # The card of question 4 with its stored answer, the neighbours its buttons fetch,
    # the heading swapped out of band and the page title; not the page around them.
    assert html.count('id="question-card"') == 1 and 'data-slot="4"' in html
    assert re.search(rf'value="{chosen}"\s+data-key="\d"\s+checked', html)
    assert f'hx-get="{question_url(attempt, 3)}"' in html and f'hx-get="{question_url(attempt, 5)}"' in html
    assert re.search(r'id="question-number"[^>]*hx-swap-oob="true"[^>]*>Question 4 of 10<', html)
    assert "<title>Question 4 of 10" in html
    assert 'id="navigator"' not in html and "<html" not in html and 'id="clock"' not in html
    # The clock resyncs from the card: 30 minutes less the 7 that passed.
    remaining = int(re.search(r'data-remaining="(\d+)"', html).group(1))
    assert 22 * 60 - 2 <= remaining <= 23 * 60


def test_moving_on_records_the_time_spent_and_never_touches_the_answer(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5, minutes=30)
    chosen = slot(attempt, 2).choice_order[:1]
    client_logged_in.post(question_url(attempt, 2), {"choice": chosen, "seq": 9, "time_spent": 20}, headers=HTMX)
    time_url = reverse("quiz:record-time", args=[attempt.pk, 2])
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        assert client_logged_in.post(time_url, {"time_spent": 75}, headers=HTMX).status_code == 204
        stored = slot(attempt, 2)
        assert (stored.selected_choice_ids, stored.answer_sequence, stored.time_spent_seconds) == (chosen, 9, 75)
        # Time only grows: a late, smaller figure (an older tab) changes nothing.
        client_logged_in.post(time_url, {"time_spent": 40}, headers=HTMX)
        assert slot(attempt, 2).time_spent_seconds == 75
        assert client_logged_in.post(time_url, {"time_spent": "soon"}, headers=HTMX).status_code == 400
        client_logged_in.post(reverse("quiz:submit-attempt", args=[attempt.pk]))
        assert client_logged_in.post(time_url, {"time_spent": 90}, headers=HTMX).status_code == 204
        assert slot(attempt, 2).time_spent_seconds == 75  # the attempt has ended


def test_going_back_in_history_gets_the_whole_page(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=10)
    restore = {**HTMX, "HX-History-Restore-Request": "true"}
    html = client_logged_in.get(question_url(attempt, 2), headers=restore).content.decode()
    assert "<html" in html and 'id="navigator"' in html and 'id="question-card"' in html
    assert "no-store" in client_logged_in.get(question_url(attempt, 2))["Cache-Control"]
    assert 'hx-history="false"' in html  # no snapshot: Back always shows what the server holds
    last = client_logged_in.get(question_url(attempt, 10), headers=HTMX).content.decode()
    assert "Review and end" in last and f'hx-get="{question_url(attempt, 11)}"' not in last
    first = client_logged_in.get(question_url(attempt, 1), headers=HTMX).content.decode()
    assert re.search(r'value="previous"[^>]*disabled', first) and question_url(attempt, 0) not in first


def test_flag_shows_in_the_navigator_and_the_review_screen(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=10)
    flag_url = reverse("quiz:flag-question", args=[attempt.pk, 4])
    response = client_logged_in.post(flag_url, {"flagged": "on"}, headers=HTMX)
    assert 'id="flag-toggle"' in response.content.decode() and 'aria-pressed="true"' in response.content.decode()
    assert json.loads(response["HX-Trigger"])["flagChanged"] == {"slot": 4, "answered": 0, "flagged": 1, "is_flagged": True}
    review = client_logged_in.get(reverse("quiz:attempt-review", args=[attempt.pk])).content.decode()
    assert "1 flagged question" in review and "10 unanswered questions" in review
    assert question_url(attempt, 4) in review


def test_without_javascript_plain_posts_answer_and_move_on(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5)
    for number in range(1, 6):
        current = slot(attempt, number)
        response = client_logged_in.post(
            question_url(attempt, number), {"choice": correct_choice_ids(current.question)[: 1 if current.question.kind == "single" else 2], "go": "next"}
        )
        expected = question_url(attempt, number + 1) if number < 5 else reverse("quiz:attempt-review", args=[attempt.pk])
        assert response["Location"] == expected
    client_logged_in.post(reverse("quiz:submit-attempt", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.status == "submitted"
    assert attempt.correct_count == 5 and attempt.scaled_score == 1000 and attempt.passed


def test_score_report_shows_domains_tasks_and_the_review(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=10)
    for number in range(1, 11):
        current = slot(attempt, number)
        ids = correct_choice_ids(current.question) if number <= 6 else wrong_choice_ids(current.question)
        client_logged_in.post(question_url(attempt, number), {"choice": ids, "seq": number}, headers=HTMX)
    response = client_logged_in.post(reverse("quiz:submit-attempt", args=[attempt.pk]), headers=HTMX)
    assert response["HX-Redirect"] == reverse("quiz:attempt-result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert (attempt.correct_count, attempt.scaled_score, attempt.passed) == (6, 640, False)
    result = client_logged_in.get(reverse("quiz:attempt-result", args=[attempt.pk])).content.decode()
    assert "640" in result and "6 / 10" in result and "Fail" in result
    assert "Needs improvement" in result or "Meets competencies" in result
    assert "<svg" in result
    assert "Study next" in result and "missed" in result
    wrong = client_logged_in.get(reverse("quiz:attempt-answers", args=[attempt.pk]) + "?show=wrong").content.decode()
    assert wrong.count('class="card review-item') == 4
    assert ChosenChoice.objects.filter(attempt_question__attempt=attempt, is_correct=False).count() >= 4


def test_the_answer_key_never_reaches_the_browser_before_the_end(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=10, minutes=60)
    responses = []
    for number in range(1, 11):
        current = slot(attempt, number)
        responses.append(client_logged_in.get(question_url(attempt, number)))
        responses.append(client_logged_in.get(question_url(attempt, number), headers=HTMX))
        responses.append(client_logged_in.post(question_url(attempt, number), {"choice": current.choice_order[:1], "seq": 1}, headers=HTMX))
        responses.append(client_logged_in.post(reverse("quiz:flag-question", args=[attempt.pk, number]), {"flagged": "on"}, headers=HTMX))
    responses.append(client_logged_in.get(reverse("quiz:attempt-review", args=[attempt.pk])))
    responses.append(client_logged_in.get(reverse("quiz:dashboard")))
    secrets = []
    for current in AttemptQuestion.objects.filter(attempt=attempt).select_related("question"):
        secrets.append(current.question.explanation)
        secrets.extend(current.question.choices.values_list("rationale", flat=True))
    for response in responses:
        body = response.content.decode() + str(dict(response.headers))
        assert "is_correct" not in body and "is-correct" not in body and "Correct answer" not in body
        for secret in secrets:
            assert secret not in body
    assert client_logged_in.get(reverse("quiz:attempt-answers", args=[attempt.pk])).status_code == 404


def test_practice_shows_verdict_rationales_and_explanation_after_each_check(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5, mode="practice")
    assert attempt.deadline_at is None
    first = slot(attempt, 1)
    before = client_logged_in.get(question_url(attempt, 1)).content.decode()
    assert first.question.explanation not in before and "Check answer" in before
    wrong = wrong_choice_ids(first.question, 2 if first.question.kind == "multiple" else 1)
    client_logged_in.post(question_url(attempt, 1), {"choice": wrong, "seq": 1}, headers=HTMX)
    response = client_logged_in.post(reverse("quiz:check-answer", args=[attempt.pk, 1]), headers=HTMX)
    html = response.content.decode()
    assert "Incorrect" in html and first.question.explanation in html
    # In place: the card and its heading, not the page or the navigator.
    assert 'id="question-card"' in html and 'id="navigator"' not in html and "<html" not in html
    for rationale in first.question.choices.values_list("rationale", flat=True):
        assert rationale in html
    assert slot(attempt, 1).is_correct is False
    # The second question's key is still hidden.
    second = slot(attempt, 2)
    assert second.question.explanation not in client_logged_in.get(question_url(attempt, 2)).content.decode()


def test_checking_a_practice_question_without_a_complete_answer_reveals_nothing(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5, mode="practice")
    check_url = reverse("quiz:check-answer", args=[attempt.pk, 1])
    first = slot(attempt, 1)
    response = client_logged_in.post(check_url, headers=HTMX)
    html = response.content.decode()
    assert "Choose your answer before checking it." in html
    assert first.question.explanation not in html and "Incorrect" not in html
    assert slot(attempt, 1).is_correct is None  # not graded, still open
    if first.question.kind == "multiple":  # one of two is not complete either
        client_logged_in.post(question_url(attempt, 1), {"choice": correct_choice_ids(first.question)[:1], "seq": 1}, headers=HTMX)
        assert "Choose your answer" in client_logged_in.post(check_url, headers=HTMX).content.decode()
    # Without JavaScript: the same refusal, as a message on the question page.
    plain = client_logged_in.post(check_url, follow=True)
    assert "Choose your answer before checking it." in plain.content.decode()
    # Once answered, the check grades it.
    client_logged_in.post(question_url(attempt, 1), {"choice": correct_choice_ids(first.question), "seq": 2}, headers=HTMX)
    assert "Correct" in client_logged_in.post(check_url, headers=HTMX).content.decode()
    assert slot(attempt, 1).is_correct is True


def test_review_screen_is_not_stored_and_its_navigator_links_are_plain(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5)
    response = client_logged_in.get(reverse("quiz:attempt-review", args=[attempt.pk]))
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    navigator = html[html.index('id="navigator"'):]
    navigator = navigator[: navigator.index("</nav>")]
    assert "hx-boost" not in navigator and 'hx-target="#question-card"' not in navigator
    assert question_url(attempt, 3) in navigator


def test_a_finished_practice_session_reports_its_score_without_a_pass_mark(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5, mode="practice")
    for number in range(1, 6):
        client_logged_in.post(question_url(attempt, number), {"choice": correct_choice_ids(slot(attempt, number).question), "seq": 1}, headers=HTMX)
    client_logged_in.post(reverse("quiz:submit-attempt", args=[attempt.pk]))
    html = client_logged_in.get(reverse("quiz:attempt-result", args=[attempt.pk])).content.decode()
    assert "Practice session" in html and "5 / 5" in html
    assert "Scaled score" not in html and ">Pass<" not in html and ">Fail<" not in html
    dashboard = client_logged_in.get(reverse("quiz:dashboard")).content.decode()
    assert "5/5" in dashboard and ">Fail<" not in dashboard and ">Pass<" not in dashboard


def test_study_next_lists_every_missed_topic_the_first_six_in_view(client_logged_in, exam_bank):
    topics = [TopicFactory(name=f"Area {letter}") for letter in "ABCDEFGHIJ"]
    for index, question in enumerate(Question.objects.order_by("pk")):
        Question.objects.filter(pk=question.pk).update(topic=topics[index % len(topics)])
    attempt = start_custom(client_logged_in, count=20)
    client_logged_in.post(reverse("quiz:submit-attempt", args=[attempt.pk]))  # nothing answered: all missed
    missed_topics = set(AttemptQuestion.objects.filter(attempt=attempt).values_list("question__topic__name", flat=True))
    assert len(missed_topics) > 6
    html = client_logged_in.get(reverse("quiz:attempt-result", args=[attempt.pk])).content.decode()
    assert all(name in html for name in missed_topics)
    assert f"{len(missed_topics) - 6} more topics" in html


def test_answers_after_the_deadline_and_grace_are_refused_and_the_attempt_ends(client_logged_in, exam_bank):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = start_custom(client_logged_in, count=5, minutes=10)
        first = slot(attempt, 1)
        client_logged_in.post(question_url(attempt, 1), {"choice": correct_choice_ids(first.question)[:1] if first.question.kind == "single" else correct_choice_ids(first.question), "seq": 1}, headers=HTMX)
    with time_machine.travel(start + timedelta(minutes=10, seconds=4), tick=False):
        within_grace = slot(attempt, 2).choice_order[:1]
        client_logged_in.post(question_url(attempt, 2), {"choice": within_grace, "seq": 2}, headers=HTMX)
        assert slot(attempt, 2).selected_choice_ids == within_grace
    with time_machine.travel(start + timedelta(minutes=10, seconds=6), tick=False):
        response = client_logged_in.post(question_url(attempt, 3), {"choice": slot(attempt, 3).choice_order[:1], "seq": 3}, headers=HTMX)
        assert response["HX-Redirect"] == reverse("quiz:attempt-result", args=[attempt.pk])
    assert slot(attempt, 3).selected_choice_ids == []
    attempt.refresh_from_db()
    assert attempt.status == "expired" and attempt.finished_at == attempt.deadline_at


@pytest.mark.parametrize(
    ("posted_before_deadline", "reason", "status"),
    [
        (timedelta(seconds=1), "time-up", "expired"),  # the page's clock ran out a moment early
        (timedelta(minutes=4), "time-up", "submitted"),  # far too early to be the clock
        (timedelta(seconds=1), "", "submitted"),  # the learner ended it
    ],
)
def test_a_page_whose_clock_ran_out_ends_the_attempt_as_timed_out(client_logged_in, exam_bank, posted_before_deadline, reason, status):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = start_custom(client_logged_in, count=5, minutes=10)
    posted_at = attempt.deadline_at - posted_before_deadline
    with time_machine.travel(posted_at, tick=False):
        client_logged_in.post(reverse("quiz:submit-attempt", args=[attempt.pk]), {"reason": reason})
    attempt.refresh_from_db()
    assert attempt.status == status
    assert attempt.finished_at == (attempt.deadline_at if status == "expired" else posted_at)
    page = client_logged_in.get(reverse("quiz:attempt-result", args=[attempt.pk])).content.decode()
    assert ("ended when time ran out" in page) is (status == "expired")


def test_an_expired_attempt_is_finalized_on_the_next_request(client_logged_in, exam_bank):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = start_custom(client_logged_in, count=5, minutes=5)
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        response = client_logged_in.get(question_url(attempt, 1))
    assert response["Location"] == reverse("quiz:attempt-result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == "expired" and attempt.scaled_score == 100


def test_expire_attempts_command_finalizes_every_overdue_attempt(client_logged_in, exam_bank):
    from io import StringIO

    from django.core.management import call_command

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        overdue = start_custom(client_logged_in, count=5, minutes=5)
        untimed = start_custom(client_logged_in, count=5)
    out = StringIO()
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        call_command("expire_attempts", stdout=out)
    overdue.refresh_from_db()
    untimed.refresh_from_db()
    assert overdue.status == "expired" and untimed.status == "in_progress"
    assert "1 overdue attempt" in out.getvalue()


def test_submitting_twice_scores_once(client_logged_in, exam_bank):
    attempt = start_custom(client_logged_in, count=5)
    url = reverse("quiz:submit-attempt", args=[attempt.pk])
    client_logged_in.post(url)
    attempt.refresh_from_db()
    finished_at = attempt.finished_at
    client_logged_in.post(url)
    attempt.refresh_from_db()
    assert attempt.finished_at == finished_at
    assert ChosenChoice.objects.filter(attempt_question__attempt=attempt).count() == 0


def test_a_second_exam_prefers_questions_not_yet_seen(client_logged_in, exam_bank):
    first = start_custom(client_logged_in, count=10, domains=["security"])
    client_logged_in.post(reverse("quiz:submit-attempt", args=[first.pk]))
    second = start_custom(client_logged_in, count=10, domains=["security"])
    seen = set(AttemptQuestion.objects.filter(attempt=first).values_list("question", flat=True))
    again = set(AttemptQuestion.objects.filter(attempt=second).values_list("question", flat=True))
    assert not seen & again


def test_an_expired_attempt_is_finalized_by_any_later_request(client_logged_in, exam_bank):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = start_custom(client_logged_in, count=5, minutes=5)
    with time_machine.travel(start + timedelta(minutes=7), tick=False):
        client_logged_in.get(reverse("quiz:home"))
    attempt.refresh_from_db()
    assert attempt.status == "expired"
