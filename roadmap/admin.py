from django.contrib import admin

from .models import StepProgress, StudySession, WeeklyEmail


@admin.register(StepProgress)
class StepProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "key", "status", "completed_at"]
    list_filter = ["status"]


@admin.register(StudySession)
class StudySessionAdmin(admin.ModelAdmin):
    list_display = ["user", "step_key", "day", "hours", "created_at"]
    list_filter = ["day"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    date_hierarchy = "day"


@admin.register(WeeklyEmail)
class WeeklyEmailAdmin(admin.ModelAdmin):
    """The log of weekly e-mails sent: read-only, written by the send_weekly_email command alone."""

    list_display = ["user", "week", "kind", "sent_at"]
    list_filter = ["kind", "week"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    date_hierarchy = "week"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
