"""Assessments: what a person answered and the frozen results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from catalogue.models import LEVEL_VALIDATORS, Choice, Question, Skill
from catalogue.vocab import Certainty

from . import calibration
from .snapshot import ResultSnapshot


class Assessment(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    catalogue_version = models.CharField(max_length=64)
    steps = models.JSONField(
        default=list, help_text="Ordered page keys: 'rate:<category>', 'check:<category>'."
    )
    target = models.JSONField(
        default=dict, help_text="The target assessed: role, seniority, chosen, set_aside, added."
    )
    scope = models.JSONField(default=list, help_text="Slugs of the skills this assessment covers.")
    furthest_step = models.PositiveSmallIntegerField(default=0)
    length = models.CharField(
        max_length=10,
        default="default",
        help_text="'default' or 'thorough': how many knowledge checks the person chose to answer at most.",
    )
    budget = models.PositiveSmallIntegerField(
        default=0, help_text="The most knowledge checks this assessment asks (0: before adaptive rounds)."
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="in_progress"), name="one_assessment_in_progress"
            )
        ]

    def __str__(self) -> str:
        return f"Assessment {self.pk} of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("assessment_step", args=[self.pk, 0])

    @property
    def is_in_progress(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class SelfRating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(validators=LEVEL_VALIDATORS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "skill"], name="rating_unique_skill"),
            models.CheckConstraint(condition=Q(level__gte=0, level__lte=4), name="rating_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.skill_id}: {self.level}"


class Answer(models.Model):
    """A knowledge check assigned to the person; answered once ``answered_at`` is set."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    choice = models.ForeignKey(Choice, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    dont_know = models.BooleanField(default=False)
    certainty = models.CharField(max_length=12, choices=Certainty.choices, blank=True)
    seen_before = models.BooleanField(default=False)
    choice_order = models.JSONField(default=list)
    round = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The round of checks that asked it (empty: a per-category page)."
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="answer_unique_question")
        ]

    def __str__(self) -> str:
        return f"answer to {self.question_id}"


class Result(models.Model):
    """The frozen outcome of a submitted assessment: pages read only this."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="result")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="results")
    created_at = models.DateTimeField(auto_now_add=True)
    catalogue_version = models.CharField(max_length=64)
    focus = models.CharField(
        max_length=80,
        help_text="The role target the person worked towards ('role:seniority'; a role slug before seniorities).",
    )
    readiness = models.JSONField(help_text="{role slug: readiness 0-1 or null}")
    snapshot_json = models.JSONField(help_text="The frozen result (assessments.snapshot, versioned).")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Result {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("result_detail", args=[self.pk])

    @cached_property
    def snapshot(self) -> ResultSnapshot:
        """The stored snapshot, read whatever version it was written in."""
        return ResultSnapshot.from_json(self.snapshot_json)

    @property
    def body_cache_key(self) -> str:
        """Where the result page's rendered body is cached (it needs only ``pk`` and ``created_at``)."""
        return f"result-body:{self.pk}:{self.created_at.timestamp()}"


class ItemCalibration(models.Model):
    """One fit of the question bank's difficulty and guessing chances (assessments.calibration).

    Versions are never changed once written: a result records the label of the set it was measured
    with. At most one is active; with none active the measurement uses the level tags.
    """

    version = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    min_responses = models.PositiveIntegerField(
        help_text="Questions with fewer answers kept their tag parameters."
    )
    prior_sd = models.FloatField(help_text="The spread of difficulties around their level tags (levels).")
    parameters = models.JSONField(
        default=dict,
        help_text='{question key: {"difficulty": float, "guessing": float, "responses": int}}',
    )
    active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="one_active_item_calibration"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return calibration.version_label(self.version)
