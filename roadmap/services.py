"""Writes of the roadmap: building and re-timing the plan, marking steps; and what roadmap follows.

Each function that writes is atomic, so a failure leaves nothing half-written.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from accounts import selectors as account_selectors
from accounts.models import User
from assessments import selectors as assessment_selectors
from assessments.models import Result

from . import planner, selectors, wording
from .models import PlanRevision, RoadmapStep, StepProgress, StepStatus, StudySession, WeeklyEmail


class RoadmapError(Exception):
    """A roadmap action that cannot be done (no result yet, a step not in the plan)."""


MSG_UNKNOWN_STEP = gettext_noop("That step is not in your plan.")
MSG_NO_RESULT = gettext_noop("Take the assessment first: your roadmap is built from its result.")


CLOSED = (StepStatus.DONE, StepStatus.SKIPPED)


def _closed_keys(user: User, keys: Collection[str]) -> set[str]:
    return set(
        StepProgress.objects.filter(user=user, key__in=list(keys), status__in=CLOSED).values_list(
            "key", flat=True
        )
    )


def _refresh_steps(
    kept: list[RoadmapStep], data: selectors.RoadmapInputs, result: Result
) -> list[planner.Step]:
    """A short refresh step for each done skill step the new result puts out of reach."""
    refresh: dict[tuple[str, int], planner.Step] = {}
    when = timezone.localtime(result.created_at).date() if result.created_at else timezone.localdate()
    for row in kept:
        details = row.details
        info = data.skills.get(details.slug)
        if details.kind != planner.SKILL or info is None or details.to_level is None:
            continue
        if info.current_level >= details.to_level or (details.slug, details.to_level) in refresh:
            continue
        with translation.override("en"):
            reason = wording.refresh_reason(info.name, details.to_level, info.current_level, when)
        refresh[(details.slug, details.to_level)] = planner.refresh_step(
            info,
            details.to_level,
            info.hours_to_reach.get(details.to_level, 0),
            str(result.pk),
            reason,
            measured_on=when.isoformat(),
        )
    return list(refresh.values())


@transaction.atomic
def plan_rebuild(
    *, user: User, result: Result, start: date | None = None, cause: str = PlanRevision.Cause.RESULT
) -> PlanRevision:
    """Rebuild the person's plan from ``result``: done steps stay done and in place, the rest is re-planned.

    Open steps the new result closes leave the plan; a done step whose level the result no longer
    shows gets a short refresh step. What changed is recorded and shown on the roadmap page.
    """
    start = start or timezone.localdate()
    data = selectors.roadmap_inputs(user=user, result=result)
    profile = account_selectors.profile_get(user=user)
    old = list(RoadmapStep.objects.select_for_update().filter(user=user).order_by("position"))
    closed = _closed_keys(user, [row.key for row in old])
    kept = [row for row in old if row.key in closed]
    refresh = [s for s in _refresh_steps(kept, data, result) if s.key not in closed]
    plan = planner.build_plan(
        data.needs,
        data.skills,
        data.prerequisites,
        data.milestones,
        profile.hours_per_week,
        start,
        done=closed,
        extra=refresh,
    )
    RoadmapStep.objects.filter(user=user).exclude(pk__in=[row.pk for row in kept]).delete()
    for position, row in enumerate(kept):
        row.position = position
    RoadmapStep.objects.bulk_update(kept, ["position"])
    rows = [
        RoadmapStep(
            user=user,
            result=result,
            key=placed.key,
            position=0,
            details_json=selectors.step_details(placed.step, data).to_json(),
            hours=placed.step.hours,
            start_hour=round(placed.start_hour),
            planned_start=placed.planned_start,
            planned_end=placed.planned_end,
        )
        for placed in plan.steps
    ]
    rows += [
        RoadmapStep(
            user=user,
            result=result,
            key=planner.milestone_key(placed.milestone.slug),
            position=0,
            details_json=selectors.milestone_details(placed, data).to_json(),
            hours=0,
            start_hour=0,
            planned_start=placed.on,
            planned_end=placed.on,
        )
        for placed in plan.milestones
        if planner.milestone_key(placed.milestone.slug) not in closed
    ]
    rows.sort(
        key=lambda r: (r.planned_start, r.details_json["kind"] == planner.MILESTONE, r.start_hour, r.key)
    )
    for position, row in enumerate(rows, start=len(kept)):
        row.position = position
    RoadmapStep.objects.bulk_create(rows)
    old_open = {row.key for row in old if row.key not in closed}
    new_keys = {row.key for row in rows}
    return PlanRevision.objects.create(
        user=user,
        result=result,
        cause=cause,
        added=len(new_keys - old_open) if old else 0,
        closed=len(old_open - new_keys),
        refreshed=len(refresh),
        kept=len(kept),
    )


@transaction.atomic
def plan_refresh(*, user: User) -> PlanRevision:
    """Rebuild the plan from the latest result with the catalogue as it is now."""
    result = assessment_selectors.latest_full_result(user=user)
    if result is None:
        raise RoadmapError(gettext(MSG_NO_RESULT))
    return plan_rebuild(user=user, result=result, cause=PlanRevision.Cause.REFRESH)


@transaction.atomic
def plan_replan(*, user: User, today: date | None = None) -> None:
    """Re-time the open steps from today at the current hours per week; done steps keep their dates."""
    today = today or timezone.localdate()
    rows = list(RoadmapStep.objects.select_for_update().filter(user=user).order_by("position"))
    if not rows:
        return
    closed = _closed_keys(user, [r.key for r in rows])
    kept = [r for r in rows if r.key in closed]
    open_rows = [r for r in rows if r.key not in closed and r.details.kind != planner.MILESTONE]
    steps = [selectors.step_from_row(r) for r in open_rows]
    hours_per_week = account_selectors.profile_get(user=user).hours_per_week
    timed = {p.key: p for p in planner.schedule(steps, hours_per_week, today)}
    for row in open_rows:
        placed = timed[row.key]
        row.start_hour = round(placed.start_hour)
        row.planned_start, row.planned_end = placed.planned_start, placed.planned_end
    milestones = [r for r in rows if r.key not in closed and r.details.kind == planner.MILESTONE]
    placed_on = {
        planner.milestone_key(m.milestone.slug): m.on
        for m in planner.place_milestones(
            [selectors.milestone_from_row(r) for r in milestones], list(timed.values()), today
        )
    }
    for row in milestones:
        row.planned_start = row.planned_end = placed_on[row.key]
    moving = sorted(
        open_rows + milestones,
        key=lambda r: (r.planned_start, r.details.kind == planner.MILESTONE, r.start_hour, r.key),
    )
    for position, row in enumerate([*kept, *moving]):
        row.position = position
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
        raise RoadmapError(gettext(MSG_UNKNOWN_STEP))
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
    """Delete the person's plan, its revisions, progress records and logged study time."""
    PlanRevision.objects.filter(user=user).delete()
    WeeklyEmail.objects.filter(user=user).delete()
    StudySession.objects.filter(user=user).delete()
    StepProgress.objects.filter(user=user).delete()
    RoadmapStep.objects.filter(user=user).delete()


MIN_SESSION_HOURS = Decimal("0.25")
MAX_HOURS_PER_DAY = Decimal(24)
MSG_HOURS = gettext_noop("Enter the hours as a number from 0.25 to 24, such as 1.5.")
MSG_DAY_FULL = gettext_noop("That would make more than 24 hours logged on that day.")
MSG_FUTURE_DAY = gettext_noop("That day is in the future: log time you have already spent.")


@transaction.atomic
def study_session_log(
    *, user: User, key: str, day: date, hours: Decimal, note: str = "", today: date | None = None
) -> StudySession:
    """Log hours studied on one step of the person's own plan, at most 24 logged per day in all."""
    today = today or timezone.localdate()
    if not RoadmapStep.objects.filter(user=user, key=key).exists():
        raise RoadmapError(gettext(MSG_UNKNOWN_STEP))
    if not MIN_SESSION_HOURS <= hours <= MAX_HOURS_PER_DAY:
        raise RoadmapError(gettext(MSG_HOURS))
    if day > today:
        raise RoadmapError(gettext(MSG_FUTURE_DAY))
    # Lock the person's row so two logs for the same day cannot both pass the daily limit.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    logged = StudySession.objects.filter(user=user, day=day).aggregate(total=Sum("hours"))["total"]
    if (logged or Decimal(0)) + hours > MAX_HOURS_PER_DAY:
        raise RoadmapError(gettext(MSG_DAY_FULL))
    return StudySession.objects.create(user=user, step_key=key, day=day, hours=hours, note=note[:200])
