"""The roadmap: the steps of a person's current plan and what they did about each."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property

from assessments.models import Result

from .step_details import StepDetails


class StepStatus(models.TextChoices):
    TODO = "todo", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


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
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="progress_unique_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.status}"
