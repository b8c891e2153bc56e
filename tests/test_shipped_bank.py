"""The shipped question bank loads, passes the content rules, and fills three full exams."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from quiz.bank.reader import read_bank
from quiz.bank.report import build_report
from quiz.models import Attempt, AttemptQuestion, Question


def test_content_report_passes_every_rule_on_the_shipped_bank():
    report = build_report(read_bank(settings.CONTENT_DIR))
    assert report.failures == []
    assert report.total >= 240
    assert len(report.topic_counts) == 32


def test_content_report_command_prints_the_figures():
    out = StringIO()
    call_command("content_report", stdout=out)
    text = out.getvalue()
    assert "All content rules pass." in text
    assert "sdlc" in text and "/ 51" in text


@pytest.mark.django_db
def test_three_full_mock_exams_never_repeat_a_question(client_logged_in):
    call_command("load_content", stdout=StringIO())
    assert Question.objects.active().count() >= 240
    seen: set[int] = set()
    for _ in range(3):
        response = client_logged_in.post(reverse("quiz:start-full-exam"))
        assert response.status_code == 302
        attempt = Attempt.objects.latest("pk")
        questions = set(AttemptQuestion.objects.filter(attempt=attempt).values_list("question", flat=True))
        assert len(questions) == 75
        assert not questions & seen
        seen |= questions
        client_logged_in.post(reverse("quiz:submit-attempt", args=[attempt.pk]))


@pytest.mark.django_db
def test_every_shipped_topic_page_renders_its_notes(client_logged_in):
    call_command("load_content", stdout=StringIO())
    from quiz.models import Topic

    for topic in Topic.objects.all():
        response = client_logged_in.get(topic.get_absolute_url())
        assert response.status_code == 200
        assert "<script" not in response.content.decode().split("</head>")[1]
