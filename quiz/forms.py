"""Input shapes: exam requests, answers and sign-up."""

import zoneinfo
from functools import cache

from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from quiz.models import Attempt, Domain, Profile, Question, QuestionReport, Topic

MAX_CUSTOM_QUESTIONS = 75
MIN_CUSTOM_QUESTIONS = 1


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Only used to reset a forgotten password."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "email"]

    def clean_username(self) -> str:
        username = super().clean_username()
        # A new name must not pose as a member who already goes by it in a group.
        if Profile.objects.filter(display_name__iexact=username).exists():
            raise forms.ValidationError(gettext("Another member already goes by this name; choose another."))
        return username


class CustomExamForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[
            (Attempt.Mode.CUSTOM, _("Exam: feedback at the end")),
            (Attempt.Mode.PRACTICE, _("Practice: feedback after each answer, untimed")),
        ],
        initial=Attempt.Mode.CUSTOM,
        widget=forms.RadioSelect,
    )
    domains = forms.ModelMultipleChoiceField(
        label=_("Domains"),
        queryset=Domain.objects.all(),
        to_field_name="key",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for all domains."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.order_by("name"),
        to_field_name="key",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every topic of the chosen domains."),
    )
    question_count = forms.IntegerField(
        label=_("Number of questions"),
        min_value=MIN_CUSTOM_QUESTIONS,
        max_value=MAX_CUSTOM_QUESTIONS,
        initial=20,
    )
    time_limit_minutes = forms.IntegerField(
        label=_("Time limit (minutes)"),
        min_value=1,
        max_value=300,
        required=False,
        help_text=_(
            "Leave empty for an untimed exam. The real exam allows 2.4 minutes a question."
        ),
    )


class AnswerForm:
    """The selection for one slot; choice ids must belong to that slot's question.

    Checked by hand, with a bound form's interface (is_valid, cleaned_data, errors):
    autosave is the request a learner makes most, and building a django Form's fields for
    it cost ~6% of its time (bench/profile_paths.py). Repeated choice ids count once.
    """

    MAX_SEQUENCE = 2**62
    MAX_TIME_SPENT = 100_000

    def __init__(self, data, *, choice_ids=(), is_multiple=True):
        self.data = data
        self.choice_ids = frozenset(choice_ids)
        self.is_multiple = is_multiple
        self.cleaned_data: dict = {}
        self.errors: dict[str, list[str]] = {}

    def is_valid(self) -> bool:
        self.errors = {}
        chosen = self._choices()
        self.cleaned_data = {
            "choice": chosen,
            "seq": self._whole_number("seq", self.MAX_SEQUENCE),
            "time_spent": self._whole_number("time_spent", self.MAX_TIME_SPENT),
        }
        return not self.errors

    def _choices(self) -> list[int]:
        chosen: list[int] = []
        for raw in self.data.getlist("choice"):
            try:
                choice_id = int(raw)
            except ValueError:
                choice_id = None
            if choice_id not in self.choice_ids:
                self.errors.setdefault("choice", []).append(
                    gettext("%(value)s is not one of this question's choices.") % {"value": raw}
                )
            elif choice_id not in chosen:
                chosen.append(choice_id)
        if not self.is_multiple and len(chosen) > 1:
            self.errors.setdefault("choice", []).append(gettext("A single-answer question takes one choice."))
        return chosen

    def _whole_number(self, name: str, maximum: int) -> int | None:
        raw = self.data.get(name, "").strip()
        if not raw:
            return None
        try:
            value = int(raw)
        except ValueError:
            value = -1
        if not 0 <= value <= maximum:
            self.errors.setdefault(name, []).append(
                gettext("Enter a whole number from 0 to %(maximum)s.") % {"maximum": maximum}
            )
            return None
        return value


class FlagForm(forms.Form):
    flagged = forms.BooleanField(required=False)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=100)


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    """The IANA zones a learner can pick ("Asia/Tokyo"), without the legacy aliases and
    the posix/ and right/ copies that some zone databases ship alongside."""
    names = sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("posix/", "right/", "Etc/", "SystemV/", "US/"))
    )
    return [(name, name.replace("_", " ")) for name in ["UTC", *names]]


class AccountSettingsForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        required=False,
        help_text=_("What other members of your study groups see. Leave empty to show your username."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Dates and due times are shown, and read, in this zone."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        default_label = gettext("The site's zone (%(zone)s)") % {"zone": settings.TIME_ZONE}
        self.fields["time_zone"].choices = [("", default_label), *time_zone_choices()]

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        # Group tables and leaderboards must tell members apart.
        if name and (
            User.objects.exclude(pk=self.user.pk).filter(username__iexact=name).exists()
            or Profile.objects.exclude(user=self.user).filter(display_name__iexact=name).exists()
        ):
            raise forms.ValidationError(gettext("Another member already goes by this name; choose another."))
        return name


class AssignmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Exam"),
        choices=[("full", _("Full mock exam (75 questions, 180 minutes)")), ("custom", _("Custom set"))],
        widget=forms.RadioSelect,
        initial="full",
    )
    question_count = forms.IntegerField(
        label=_("Number of questions (custom set)"),
        min_value=MIN_CUSTOM_QUESTIONS,
        max_value=MAX_CUSTOM_QUESTIONS,
        required=False,
        initial=20,
    )
    time_limit_minutes = forms.IntegerField(
        label=_("Time limit in minutes (custom set)"), min_value=1, max_value=300, required=False
    )
    domains = forms.ModelMultipleChoiceField(
        label=_("Domains (custom set)"),
        queryset=Domain.objects.all(),
        to_field_name="key",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due_at = forms.DateTimeField(
        label=_("Due"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when the form is built: the zone is the one active for this request.
        self.fields["due_at"].help_text = gettext("Time zone: %(zone)s.") % {
            "zone": timezone.get_current_timezone_name()
        }

    def clean(self):
        data = super().clean()
        if data.get("due_at") and data["due_at"] <= timezone.now():
            self.add_error("due_at", gettext("This date has passed; choose a later one."))
        if data.get("kind") == "custom":
            count = data.get("question_count")
            if not count:
                self.add_error("question_count", _("A custom set needs a number of questions."))
            else:
                # Refused now, or no member could ever start it.
                domain_keys = [domain.key for domain in data.get("domains") or []]
                available = Question.objects.active().in_scope(domain_keys=domain_keys).count()
                if count > available:
                    self.add_error(
                        "question_count",
                        gettext("The chosen domains hold %(available)d questions; ask for %(available)d or fewer.")
                        % {"available": available},
                    )
        return data


class QuestionReportForm(forms.Form):
    """Validates a report. Its fields are written out in question_report.html#report-form,
    which the answer review repeats under every question with ids of its own, so the
    wording lives there and not in labels here."""

    kind = forms.ChoiceField(choices=QuestionReport.Kind.choices)
    message = forms.CharField(max_length=2000, required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == QuestionReport.Kind.OTHER and not data.get("message", "").strip():
            self.add_error("message", gettext("Say what is wrong: the report has no other detail."))
        return data
