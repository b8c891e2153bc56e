from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = _("Practice exams")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_remember_time_zone_at_login, dispatch_uid="quiz-time-zone")


def _remember_time_zone_at_login(sender, request, user, **kwargs) -> None:
    """A new session starts in the zone the user chose (one query, at login only)."""
    from quiz.middleware import remember_time_zone
    from quiz.services.accounts import saved_time_zone

    if request is not None and hasattr(request, "session"):
        remember_time_zone(request, saved_time_zone(user=user))
