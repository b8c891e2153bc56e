"""Named filters used by the models' managers."""

from django.db import models


class QuestionQuerySet(models.QuerySet):
    def active(self) -> "QuestionQuerySet":
        return self.filter(is_active=True)


class AttemptQuerySet(models.QuerySet):
    def for_user(self, user) -> "AttemptQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def in_progress(self) -> "AttemptQuerySet":
        return self.filter(status="in_progress")

    def finished(self) -> "AttemptQuerySet":
        return self.exclude(status="in_progress")
