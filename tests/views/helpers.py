import re

from django.urls import reverse

from quiz.models import Attempt, AttemptQuestion


def start_custom(client, count=10, minutes=None, mode="custom", **extra) -> Attempt:
    data = {"mode": mode, "question_count": count, **extra}
    if minutes:
        data["time_limit_minutes"] = minutes
    response = client.post(reverse("quiz:exam-new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Attempt.objects.latest("pk")


def question_url(attempt, slot) -> str:
    return reverse("quiz:attempt-question", args=[attempt.pk, slot])


def slot(attempt, number) -> AttemptQuestion:
    return AttemptQuestion.objects.select_related("question").get(attempt=attempt, slot=number)


def shown_choice_ids(html: str) -> list[int]:
    return [int(v) for v in re.findall(r'name="choice" value="(\d+)"', html)]
