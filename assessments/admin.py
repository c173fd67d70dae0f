from django.contrib import admin

from .models import Answer, Assessment, Result


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    readonly_fields = ["question", "skill", "choice", "dont_know", "certainty", "seen_before", "answered_at"]
    exclude = ["choice_order"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["pk", "user", "status", "started_at", "submitted_at"]
    list_filter = ["status"]
    readonly_fields = ["catalogue_version"]
    inlines = [AnswerInline]


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["pk", "user", "created_at", "focus"]
    readonly_fields = ["assessment", "user", "catalogue_version", "focus", "readiness", "snapshot_json"]
