from django.contrib import admin

from .models import StepProgress


@admin.register(StepProgress)
class StepProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "key", "status", "completed_at"]
    list_filter = ["status"]
