"""The question bank (exam, domains, topics, questions, choices) and attempts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quiz.querysets import AttemptQuerySet, QuestionQuerySet


class Exam(models.Model):
    """The blueprint's scalars from content/exam.yaml (one row per exam code)."""

    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    question_count = models.PositiveSmallIntegerField()
    time_limit_minutes = models.PositiveSmallIntegerField()
    passing_score = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return self.code


class Domain(models.Model):
    key = models.SlugField(max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=200)
    weight_percent = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_percent__lte=100), name="domain_weight_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class TaskStatement(models.Model):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="tasks")
    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=300)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Concept(models.Model):
    """An idea a choice stands for, so reports can name the confusions a learner makes."""

    key = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=300)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="topics")
    notes = models.TextField(help_text=_("Markdown study notes."))
    source_section = models.CharField(max_length=200)
    references = models.JSONField(default=list)
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["domain__number", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("quiz:topic-detail", kwargs={"topic_key": self.key})


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single answer")
        MULTIPLE = "multiple", _("Multiple response")

    class Style(models.TextChoices):
        SCENARIO = "scenario", _("Scenario")
        RECALL = "recall", _("Recall")

    key = models.SlugField(max_length=120, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="questions")
    task = models.ForeignKey(TaskStatement, on_delete=models.PROTECT, related_name="questions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    style = models.CharField(max_length=10, choices=Style.choices, default=Style.SCENARIO)
    stem = models.TextField()
    explanation = models.TextField()
    difficulty = models.PositiveSmallIntegerField(default=2)
    references = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(difficulty__gte=1, difficulty__lte=3),
                name="question_difficulty_1_to_3",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["single", "multiple"]), name="question_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(max_length=2)
    text = models.TextField()
    is_correct = models.BooleanField(default=False)
    rationale = models.TextField()
    concept = models.ForeignKey(
        Concept, on_delete=models.SET_NULL, null=True, blank=True, related_name="choices"
    )

    class Meta:
        ordering = ["question_id", "label"]
        constraints = [
            models.UniqueConstraint(fields=["question", "label"], name="choice_label_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question.key} {self.label}"


class Attempt(models.Model):
    class Mode(models.TextChoices):
        FULL = "full", _("Full mock exam")
        CUSTOM = "custom", _("Custom exam")
        PRACTICE = "practice", _("Practice")

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        EXPIRED = "expired", _("Time expired")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    mode = models.CharField(max_length=10, choices=Mode.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    title = models.CharField(max_length=200)
    seed = models.BigIntegerField()
    question_count = models.PositiveSmallIntegerField()
    time_limit_seconds = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    deadline_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Frozen at the end so later bank edits never rewrite a past result.
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    scaled_score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    score_detail = models.JSONField(default=dict, blank=True)
    # Raised whenever a result of this attempt is recorded (graded at the end, or a
    # practice answer checked): cached group aggregates are keyed on it.
    results_version = models.PositiveIntegerField(default=0)
    selection = models.JSONField(default=dict, blank=True)
    assignment = models.ForeignKey(
        "Assignment", on_delete=models.SET_NULL, null=True, blank=True, related_name="attempts"
    )

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.title} #{self.pk}"

    def get_absolute_url(self) -> str:
        if self.is_finished:
            return reverse("quiz:attempt-result", kwargs={"attempt_id": self.pk})
        return reverse("quiz:attempt-question", kwargs={"attempt_id": self.pk, "slot": 1})

    @property
    def is_finished(self) -> bool:
        return self.status != self.Status.IN_PROGRESS

    @property
    def is_practice(self) -> bool:
        return self.mode == self.Mode.PRACTICE


class AttemptQuestion(models.Model):
    """One slot of an attempt: the question and choice order frozen at start, and the answer."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="slots")
    slot = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    choice_order = models.JSONField()
    selected_choice_ids = models.JSONField(default=list)
    # The client's monotonic clock (ms) of the change stored here; an older or
    # repeated request carries a smaller or equal value and is ignored.
    answer_sequence = models.BigIntegerField(default=0)
    is_flagged = models.BooleanField(default=False)
    # Stored with each save (exactly the required number chosen) so counts need no JSON.
    is_answered = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    time_spent_seconds = models.PositiveIntegerField(default=0)
    is_correct = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["attempt_id", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "slot"], name="attempt_slot_unique"),
            models.UniqueConstraint(fields=["attempt", "question"], name="attempt_question_unique"),
        ]
        indexes = [models.Index(fields=["question", "is_correct"])]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.slot}"


class ChosenChoice(models.Model):
    """A choice the learner had selected when the slot was graded (for confusion reports)."""

    attempt_question = models.ForeignKey(
        AttemptQuestion, on_delete=models.CASCADE, related_name="chosen"
    )
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, related_name="+")
    is_correct = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt_question", "choice"], name="chosen_choice_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt_question} -> {self.choice_id}"


class ReviewCard(models.Model):
    """A question in the learner's Leitner review queue (entered by a wrong answer)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    box = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="review_card_unique"),
            models.CheckConstraint(condition=Q(box__gte=1, box__lte=5), name="review_box_1_to_5"),
        ]
        indexes = [models.Index(fields=["user", "due_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.question_id} box {self.box}"


class Profile(models.Model):
    """What other group members see of a user, and the zone their dates are shown in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    # An IANA zone name ("Asia/Tokyo"); empty means the installation's TIME_ZONE.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()


class StudyGroup(models.Model):
    name = models.CharField(_("name"), max_length=100)
    invite_code = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("quiz:group-dashboard", kwargs={"group_id": self.pk})


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField()
    show_on_leaderboard = models.BooleanField(default=True)

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id} ({self.role})"

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


class Assignment(models.Model):
    """An exam an owner sets for the group, with a due date."""

    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(_("title"), max_length=200)
    mode = models.CharField(max_length=10, choices=Attempt.Mode.choices)
    question_count = models.PositiveSmallIntegerField()
    time_limit_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    domain_keys = models.JSONField(default=list, blank=True)
    topic_keys = models.JSONField(default=list, blank=True)
    due_at = models.DateTimeField(_("due"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "quiz:assignment-detail",
            kwargs={"group_id": self.group_id, "assignment_id": self.pk},
        )


class QuestionReport(models.Model):
    """A learner's report that a graded question is wrong, unclear or out of date; the bank's
    maintainers triage open reports in the admin and fix the YAML."""

    class Kind(models.TextChoices):
        WRONG_KEY = "wrong_key", _("The keyed answer is wrong")
        TWO_ANSWERS = "two_answers", _("More than one choice is right, or none is")
        OUTDATED = "outdated", _("A fact is out of date")
        UNCLEAR = "unclear", _("The question is unclear")
        TYPO = "typo", _("A typo or a broken link")
        OTHER = "other", _("Something else")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_reports"
    )
    # The slot the learner saw, for its choice order and answer (gone if the attempt is).
    attempt_question = models.ForeignKey(
        AttemptQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("what is wrong"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("details"), max_length=2000, blank=True)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # A second report on the same question updates the open one instead of piling up.
            models.UniqueConstraint(
                fields=["question", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="question_report_one_open_per_reporter",
            )
        ]
        indexes = [models.Index(fields=["resolved_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.kind}"
