from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from . import calibration, calibration_store
from .models import Answer, Assessment, ItemCalibration, Result


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


@admin.register(ItemCalibration)
class ItemCalibrationAdmin(admin.ModelAdmin):
    """Calibrations are written by `manage.py calibrate_questions` and never edited: results name them.

    The changelist links to the item analysis: every answered question's statistics and flags.
    """

    list_display = ["label", "created_at", "active", "min_responses", "prior_sd", "calibrated"]
    readonly_fields = ["version", "created_at", "active", "min_responses", "prior_sd", "parameters"]
    change_list_template = "admin/assessments/itemcalibration/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="questions calibrated")
    def calibrated(self, obj: ItemCalibration) -> str:
        moved = sum(1 for item in obj.parameters.values() if item["responses"] >= obj.min_responses)
        return f"{moved} of {len(obj.parameters)}"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.item_analysis_view)
        return [
            path("item-analysis/", view, name="assessments_itemcalibration_item_analysis"),
            *super().get_urls(),
        ]

    def item_analysis_view(self, request: HttpRequest) -> HttpResponse:
        """Every answered question's statistics and flags, flagged first, with the active fit."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        stats = calibration.item_analysis(calibration_store.item_responses())
        active = calibration_store.active_calibration()
        fitted = active.parameters if active is not None else {}
        flag = request.GET.get("flag", "")
        rows = [{"stats": s, "fitted": fitted.get(s.question)} for s in stats if not flag or flag in s.flags]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Item analysis",
            "rows": rows,
            "active": active,
            "flag": flag,
            "flag_counts": [(name, sum(1 for s in stats if name in s.flags)) for name in calibration.FLAGS],
            "answered": len(stats),
            "settings": {
                "flag_min_responses": calibration.FLAG_MIN_RESPONSES,
                "too_easy": calibration.TOO_EASY_ABOVE,
                "too_hard": calibration.TOO_HARD_BELOW,
                "discrimination": calibration.NOT_DISCRIMINATING_BELOW,
                "min_strong": calibration.MIN_STRONG_CHOICES,
            },
        }
        return TemplateResponse(request, "admin/assessments/itemcalibration/item_analysis.html", context)
