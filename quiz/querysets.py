"""Named filters used by the models' managers."""

from django.db import models


class QuestionQuerySet(models.QuerySet):
    def active(self) -> "QuestionQuerySet":
        return self.filter(is_active=True)

    def in_scope(self, *, domain_keys=(), topic_keys=()) -> "QuestionQuerySet":
        """Questions of the chosen domains and topics (no choice means all of them)."""
        questions = self
        if domain_keys:
            questions = questions.filter(domain__key__in=domain_keys)
        if topic_keys:
            questions = questions.filter(topic__key__in=topic_keys)
        return questions


class AttemptQuerySet(models.QuerySet):
    def for_user(self, user) -> "AttemptQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def in_progress(self) -> "AttemptQuerySet":
        return self.filter(status="in_progress")

    def finished(self) -> "AttemptQuerySet":
        return self.exclude(status="in_progress")
