"""Writes of the roadmap: building and re-timing the plan, marking steps; and what roadmap follows.

Each function that writes is atomic, so a failure leaves nothing half-written.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.models import User
from assessments import selectors as assessment_selectors
from assessments.models import Result

from . import planner, selectors
from .models import RoadmapStep, StepProgress, StepStatus


class RoadmapError(Exception):
    """A roadmap action that cannot be done (no result yet, a step not in the plan)."""


MSG_UNKNOWN_STEP = "That step is not in your plan."
MSG_NO_RESULT = "Take the assessment first: your roadmap is built from its result."


def _plan_steps(
    *, user: User, result: Result, start: date
) -> tuple[list[planner.PlannedStep], selectors.RoadmapInputs]:
    """Build the ordered, dated steps for a result's headline role (pure planner.build_roadmap)."""
    data = selectors.roadmap_inputs(user=user, result=result)
    profile = account_selectors.profile_get(user=user)
    return planner.build_roadmap(
        data.needs, data.skills, data.prerequisites, data.milestones, profile.hours_per_week, start
    ), data


@transaction.atomic
def plan_rebuild(*, user: User, result: Result, start: date | None = None) -> list[RoadmapStep]:
    """Replace the person's plan with one built from ``result``; their progress records stay."""
    start = start or timezone.localdate()
    steps, data = _plan_steps(user=user, result=result, start=start)
    RoadmapStep.objects.filter(user=user).delete()
    rows = [
        RoadmapStep(
            user=user,
            result=result,
            key=step.key,
            position=position,
            details_json=selectors.step_details(step, data).to_json(),
            hours=step.hours,
            start_hour=step.start_hour,
            planned_start=step.planned_start,
            planned_end=step.planned_end,
        )
        for position, step in enumerate(steps)
    ]
    return RoadmapStep.objects.bulk_create(rows)


@transaction.atomic
def plan_refresh(*, user: User) -> list[RoadmapStep]:
    """Rebuild the plan from the latest result with the catalogue as it is now."""
    result = assessment_selectors.latest_full_result(user=user)
    if result is None:
        raise RoadmapError(MSG_NO_RESULT)
    return plan_rebuild(user=user, result=result)


@transaction.atomic
def plan_replan(*, user: User, today: date | None = None) -> None:
    """Re-time the open steps from today at the current hours per week; done steps keep their dates."""
    today = today or timezone.localdate()
    rows = list(RoadmapStep.objects.select_for_update().filter(user=user).order_by("position"))
    if not rows:
        return
    closed = set(
        StepProgress.objects.filter(
            user=user, key__in=[r.key for r in rows], status__in=[StepStatus.DONE, StepStatus.SKIPPED]
        ).values_list("key", flat=True)
    )
    planned = [selectors.planned_step_from_row(row) for row in rows]
    hours_per_week = account_selectors.profile_get(user=user).hours_per_week
    retimed = {step.key: step for step in planner.replan(planned, closed, hours_per_week, today)}
    order = list(retimed)
    for row in rows:
        step = retimed[row.key]
        row.position = order.index(row.key)
        row.start_hour, row.planned_start, row.planned_end = (
            step.start_hour,
            step.planned_start,
            step.planned_end,
        )
    RoadmapStep.objects.bulk_update(rows, ["position", "start_hour", "planned_start", "planned_end"])


@dataclass(frozen=True)
class StepUpdate:
    status: str
    notes: str
    evidence: list[str]


@transaction.atomic
def step_mark(*, user: User, key: str, update: StepUpdate) -> StepProgress:
    """Record status, notes and evidence for one step of the person's own plan."""
    if not RoadmapStep.objects.filter(user=user, key=key).exists():
        raise RoadmapError(MSG_UNKNOWN_STEP)
    progress, _ = StepProgress.objects.select_for_update().get_or_create(user=user, key=key)
    if update.status == StepStatus.DONE and progress.status != StepStatus.DONE:
        progress.completed_at = timezone.now()
    elif update.status != StepStatus.DONE:
        progress.completed_at = None
    progress.status = update.status
    progress.notes = update.notes
    progress.evidence = update.evidence
    progress.save()
    return progress


def on_result_created(result: Result) -> None:
    """A new result replaces the plan (progress records stay, keyed by step)."""
    plan_rebuild(user=result.user, result=result)


def on_profile_changed(user: User, changed: Collection[str]) -> None:
    """New hours per week re-time the plan; new milestones held rebuild it without them."""
    if "milestones_held" in changed:
        if assessment_selectors.has_result(user=user):
            plan_refresh(user=user)
    elif "hours_per_week" in changed:
        plan_replan(user=user)


@transaction.atomic
def personal_data_delete(user: User) -> None:
    """Delete the person's plan and progress records."""
    StepProgress.objects.filter(user=user).delete()
    RoadmapStep.objects.filter(user=user).delete()
