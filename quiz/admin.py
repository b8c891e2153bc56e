from django.contrib import admin
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quiz.models import (
    Attempt,
    AttemptQuestion,
    Choice,
    Concept,
    Domain,
    Exam,
    Question,
    QuestionReport,
    TaskStatement,
    Topic,
)


class TaskStatementInline(admin.TabularInline):
    model = TaskStatement
    extra = 0


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "question_count", "time_limit_minutes", "passing_score"]


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["number", "key", "name", "weight_percent"]
    inlines = [TaskStatementInline]


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    list_display = ["key", "name"]
    search_fields = ["key", "name"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "domain", "source_section"]
    list_filter = ["domain"]
    search_fields = ["key", "name", "notes"]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    fields = ["label", "text", "is_correct", "rationale", "concept"]
    autocomplete_fields = ["concept"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "topic", "domain", "task", "kind", "difficulty", "is_active"]
    list_filter = ["domain", "topic", "kind", "is_active", "style", "difficulty"]
    search_fields = ["key", "stem"]
    list_select_related = ["topic", "domain", "task"]
    inlines = [ChoiceInline]
    readonly_fields = ["content_hash", "created_at", "updated_at"]


class AttemptQuestionInline(admin.TabularInline):
    model = AttemptQuestion
    extra = 0
    fields = ["slot", "question", "selected_choice_ids", "is_flagged", "is_correct"]
    readonly_fields = fields
    can_delete = False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "title", "mode", "status", "started_at", "scaled_score"]
    list_filter = ["mode", "status"]
    search_fields = ["user__username", "title"]
    inlines = [AttemptQuestionInline]


@admin.register(QuestionReport)
class QuestionReportAdmin(admin.ModelAdmin):
    """Learners' reports: open ones first; fix the question's YAML, reload, then resolve."""

    list_display = ["question", "kind", "reporter", "created_at", "resolved_at"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter), "kind"]
    search_fields = ["question__key", "message"]
    list_select_related = ["question", "reporter"]
    ordering = [F("resolved_at").desc(nulls_first=True), "-created_at"]
    readonly_fields = ["question", "reporter", "attempt_question", "kind", "message", "created_at"]
    actions = ["mark_resolved"]

    @admin.action(description=_("Mark the selected reports resolved"))
    def mark_resolved(self, request, queryset):
        queryset.filter(resolved_at=None).update(resolved_at=timezone.now())
