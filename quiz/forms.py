"""Input shapes: exam requests, answers and sign-up."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from quiz.models import Attempt, Domain, Topic

MAX_CUSTOM_QUESTIONS = 75
MIN_CUSTOM_QUESTIONS = 5


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Only used to reset a forgotten password."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "email"]


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


class AnswerForm(forms.Form):
    """The selection for one slot; choice ids must belong to that slot's question."""

    choice = forms.TypedMultipleChoiceField(coerce=int, required=False)
    seq = forms.IntegerField(required=False, min_value=0, max_value=2**62)
    time_spent = forms.IntegerField(required=False, min_value=0, max_value=100_000)

    def __init__(self, *args, choice_ids=(), is_multiple=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(choice_id, choice_id) for choice_id in choice_ids]
        self.is_multiple = is_multiple

    def clean_choice(self):
        chosen = self.cleaned_data["choice"]
        if not self.is_multiple and len(chosen) > 1:
            raise forms.ValidationError(_("A single-answer question takes one choice."))
        return chosen


class FlagForm(forms.Form):
    flagged = forms.BooleanField(required=False)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=100)


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        required=False,
        help_text=_("What other members of your study groups see. Leave empty to show your username."),
    )


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
        label=_("Due"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == "custom" and not data.get("question_count"):
            self.add_error("question_count", _("A custom set needs a number of questions."))
        return data
