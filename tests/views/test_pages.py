"""Home page, study notes and the markdown sanitizer."""

import pytest
from django.urls import reverse

from quiz.templatetags.quiz_tags import markdown
from tests.conftest import HTMX
from tests.factories import QuestionFactory, TopicFactory, blueprint, correct_choice_ids
from tests.views.helpers import question_url, start_custom

pytestmark = pytest.mark.django_db


def test_home_lists_domains_with_weights_and_topics_with_question_counts(client):
    _, domains = blueprint()
    topic = TopicFactory(domain=domains[0], name="AWS CodeDeploy")
    for _ in range(3):
        QuestionFactory(domain=domains[0], topic=topic)
    QuestionFactory(domain=domains[0], topic=topic, is_active=False)
    html = client.get("/").content.decode()
    assert "Domain 1: SDLC Automation" in html and "22% of the exam" in html
    assert "Domain 6: Security and Compliance" in html
    assert "AWS CodeDeploy" in html and "3 questions" in html


def test_topic_page_renders_notes_links_and_a_practice_button(client_logged_in):
    _, domains = blueprint()
    topic = TopicFactory(domain=domains[1], notes="**Bold** fact and [docs](https://docs.aws.amazon.com/x).")
    QuestionFactory(domain=domains[1], topic=topic)
    html = client_logged_in.get(topic.get_absolute_url()).content.decode()
    assert "<strong>Bold</strong>" in html
    assert 'href="https://docs.aws.amazon.com/x"' in html
    assert reverse("quiz:exam-new") + f"?topic={topic.key}" in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
    ],
)
def test_markdown_renders_hostile_input_inert(hostile):
    html = str(markdown(f"Text {hostile} more"))
    # Raw HTML arrives as escaped text; no live tag, handler or javascript: link survives.
    assert "<script" not in html and "<img" not in html
    assert "<a href=\"javascript" not in html and "href=\"javascript" not in html.replace("&lt;a href=", "")


def test_a_question_with_script_in_its_stem_renders_inert_on_the_exam_screen(client_logged_in, exam_bank):
    from quiz.models import AttemptQuestion, Choice, Question

    Question.objects.update(stem='Pick one <script>alert("x")</script> <img src=x onerror=alert(1)>')
    Choice.objects.update(text='<script>alert("c")</script>', rationale='<img src=x onerror="alert(2)">')
    attempt = start_custom(client_logged_in, count=5, mode="practice")
    html = client_logged_in.get(question_url(attempt, 1)).content.decode()
    body = html.split("</head>")[1]
    assert "<script" not in body
    assert "<img" not in body
    assert '&lt;script&gt;alert(&quot;c&quot;)&lt;/script&gt;' in body  # the choice text, shown as text
    # The card alone (moving on) and the checked card with its rationales, too.
    moved = client_logged_in.get(question_url(attempt, 2), headers=HTMX).content.decode()
    second = AttemptQuestion.objects.get(attempt=attempt, slot=2).question
    client_logged_in.post(question_url(attempt, 2), {"choice": correct_choice_ids(second), "seq": 1}, headers=HTMX)
    checked = client_logged_in.post(reverse("quiz:check-answer", args=[attempt.pk, 2]), headers=HTMX)
    for fragment in (moved, checked.content.decode()):
        assert "<script" not in fragment and "<img" not in fragment
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in checked.content.decode()


def test_pages_send_a_content_security_policy_without_inline_script(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_debug_error_pages_may_use_their_inline_styles_and_app_pages_never(client, settings):
    settings.DEBUG = True
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "style-src 'self' 'unsafe-inline'" in missing["Content-Security-Policy"]
    assert "unsafe-inline" not in client.get("/")["Content-Security-Policy"]
    settings.DEBUG = False
    assert "unsafe-inline" not in client.get("/no-such-page/")["Content-Security-Policy"]


def test_error_pages_say_what_happened_and_lead_home(client_logged_in, other_client, exam_bank):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    theirs = start_custom(other_client, count=5)
    missing = client_logged_in.get(question_url(theirs, 1))
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode() and reverse("quiz:home") in missing.content.decode()
    visit = client_logged_in.get(reverse("logout"))
    assert visit.status_code == 405 and visit["Allow"].startswith("POST")
    assert "Use the button on the page" in visit.content.decode()
    broken = server_error(RequestFactory().get("/"))
    assert broken.status_code == 500 and "Your saved answers are safe" in broken.content.decode()


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-default-instance-warmup.html", "ec2 auto scaling default instance warmup"),
        ("https://docs.aws.amazon.com/config/latest/APIReference/API_PutRemediationConfigurations.html", "API PutRemediationConfigurations"),
        ("https://docs.aws.amazon.com/codedeploy/latest/userguide/", "userguide"),
        ("https://aws.amazon.com/", "aws.amazon.com"),
    ],
)
def test_documentation_links_are_named_by_their_page(url, label):
    from quiz.templatetags.quiz_tags import reference_label

    assert reference_label(url) == label


@pytest.mark.parametrize(("seconds", "words"), [(95, "1 min 35 s"), (7, "7 s"), (3725, "1 h 02 min"), (None, "")])
def test_lengths_of_time_are_said_with_units(seconds, words):
    from quiz.templatetags.quiz_tags import duration_words

    assert duration_words(seconds) == words
