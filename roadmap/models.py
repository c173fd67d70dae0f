"""The roadmap: the steps of a person's current plan and what they did about each."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from assessments.models import Result

from .step_details import StepDetails


class StepStatus(models.TextChoices):
    TODO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


class RoadmapStep(models.Model):
    """One step of a person's current plan, rebuilt on each submission or refresh."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roadmap_steps")
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="steps")
    key = models.CharField(max_length=100)
    position = models.PositiveIntegerField()
    details_json = models.JSONField(help_text="What the step shows (roadmap.step_details, versioned).")
    hours = models.PositiveIntegerField()
    start_hour = models.PositiveIntegerField()
    planned_start = models.DateField()
    planned_end = models.DateField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="step_unique_key")]

    def __str__(self) -> str:
        return self.key

    @cached_property
    def details(self) -> StepDetails:
        """The stored details, read whatever version they were written in."""
        return StepDetails.from_json(self.details_json)


class StepProgress(models.Model):
    """What the person did about a step; keyed like the step so it outlives rebuilt plans."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="step_progress")
    key = models.CharField(max_length=100)
    status = models.CharField(max_length=12, choices=StepStatus.choices, default=StepStatus.TODO)
    notes = models.TextField(blank=True, max_length=5000)
    evidence = models.JSONField(default=list, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "step progress"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="progress_unique_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.status}"


class StudySession(models.Model):
    """Time the person logged on one step of their plan on one day; keyed like the step."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_sessions"
    )
    step_key = models.CharField(max_length=100)
    day = models.DateField()
    hours = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(24)],
        help_text="Between 0.25 and 24; at most 24 logged per person per day in total.",
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-created_at"]
        indexes = [models.Index(fields=["user", "day"], name="studysession_user_day")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gte=Decimal("0.25"), hours__lte=24), name="studysession_hours_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.step_key}: {self.hours} h on {self.day}"


class PlanRevision(models.Model):
    """What one rebuild of a person's plan changed, for the roadmap page to say."""

    class Cause(models.TextChoices):
        RESULT = "result", _("a new result")
        REFRESH = "refresh", _("a refresh from the catalogue or your milestones")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_revisions"
    )
    result = models.ForeignKey(Result, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cause = models.CharField(max_length=10, choices=Cause.choices, default=Cause.RESULT)
    added = models.PositiveIntegerField(default=0, help_text="Steps new to the plan.")
    closed = models.PositiveIntegerField(default=0, help_text="Open steps that left the plan.")
    refreshed = models.PositiveIntegerField(default=0, help_text="Refresh steps added for levels lost.")
    kept = models.PositiveIntegerField(default=0, help_text="Done or skipped steps kept in place.")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user}: +{self.added} -{self.closed}"


class WeeklyEmail(models.Model):
    """A weekly e-mail sent to a person: at most one per ISO week, so a rerun never sends it twice."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("This week's plan")
        RETAKE = "retake", _("Retake reminder")
        PLAN_AND_RETAKE = "plan_retake", _("This week's plan and a retake reminder")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_emails")
    week = models.DateField(help_text="The Monday of the ISO week the e-mail is for.")
    sent_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)

    class Meta:
        ordering = ["-week"]
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="weeklyemail_unique_week")]

    def __str__(self) -> str:
        return f"{self.user}: week of {self.week}"
