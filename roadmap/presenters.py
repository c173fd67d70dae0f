"""Shape the person's plan for the pages (no queries: rows come from the selectors)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import ngettext, pgettext

from accounts.models import Profile

from . import planner
from .models import PlanRevision, StepStatus
from .selectors import PlanRow, step_from_row
from .step_details import ResourceRef

CLOSED = (StepStatus.DONE, StepStatus.SKIPPED)


@dataclass(frozen=True)
class WeekRow:
    """One line of "This week": the step, its share of the week's hours, what to do and with what."""

    row: PlanRow
    hours: float
    next_part: str
    resource: ResourceRef | None


def is_milestone(row: PlanRow) -> bool:
    return row.step.details.kind == planner.MILESTONE


def open_steps(rows: list[PlanRow]) -> list[PlanRow]:
    """The steps still to do (not milestones), in plan order."""
    return [row for row in rows if not is_milestone(row) and row.status not in CLOSED]


def this_week(rows: list[PlanRow], hours_per_week: int) -> list[WeekRow]:
    """The week's plan: the first open steps, the week's hours split over them (never empty while steps remain)."""
    todo = open_steps(rows)
    by_key = {row.step.key: row for row in todo}
    items = planner.this_week([step_from_row(row.step) for row in todo], hours_per_week)
    out = []
    for item in items:
        row = by_key[item.step.key]
        details = row.step.details
        out.append(
            WeekRow(
                row=row,
                hours=item.hours,
                next_part=details.part_name or details.goal,
                resource=details.resources[0] if details.resources else None,
            )
        )
    return out


def timeline(rows: list[PlanRow]) -> list[tuple[date, list[PlanRow]]]:
    """The plan by the month each step starts in (milestones on their day), in plan order."""
    months: dict[date, list[PlanRow]] = {}
    for row in rows:
        month = row.step.planned_start.replace(day=1)
        months.setdefault(month, []).append(row)
    return sorted(months.items())


def revision_text(revision: PlanRevision | None) -> str:
    """ "2 steps added, 3 closed by your new result, 1 refresh step" (empty when nothing to say)."""
    if revision is None:
        return ""
    parts = []
    if revision.added:
        parts.append(
            ngettext("%(count)s step added", "%(count)s steps added", revision.added)
            % {"count": revision.added}
        )
    if revision.closed:
        closed = (
            ngettext(
                "%(count)s closed by your new result", "%(count)s closed by your new result", revision.closed
            )
            if revision.cause == PlanRevision.Cause.RESULT
            else ngettext(
                "%(count)s closed as no longer needed",
                "%(count)s closed as no longer needed",
                revision.closed,
            )
        )
        parts.append(closed % {"count": revision.closed})
    if revision.refreshed:
        parts.append(
            ngettext(
                "%(count)s refresh step for levels to win back",
                "%(count)s refresh steps for levels to win back",
                revision.refreshed,
            )
            % {"count": revision.refreshed}
        )
    if revision.kept:
        parts.append(
            ngettext(
                "%(count)s done step kept as they were",
                "%(count)s done steps kept as they were",
                revision.kept,
            )
            % {"count": revision.kept}
        )
    return pgettext("list separator", ", ").join(parts)


def plan_context(
    rows: list[PlanRow], *, profile: Profile, today: date, revision: PlanRevision | None = None
) -> dict[str, Any]:
    """What the roadmap page, a step card and the dashboard show of the plan."""
    steps = [row for row in rows if not is_milestone(row)]
    planned = sum(row.step.hours for row in steps)
    done = sum(row.step.hours for row in steps if row.status == StepStatus.DONE)
    remaining = sum(row.step.hours for row in open_steps(rows))
    return {
        "rows": rows,
        "steps": steps,
        "milestones": [row for row in rows if is_milestone(row)],
        "timeline": timeline(rows),
        "hours_planned": planned,
        "hours_done": done,
        "hours_left": remaining,
        "percent_done": round(100 * done / planned) if planned else 0,
        "this_week": this_week(rows, profile.hours_per_week),
        "tracks": planner.tracks(profile.hours_per_week),
        "profile": profile,
        # Worded once per page, not once per step card.
        "status_choices": [(value, str(label)) for value, label in StepStatus.choices],
        "finish": max((row.step.planned_end for row in steps), default=None),
        "today": today,
        "revision": revision,
        "revision_text": revision_text(revision),
    }


def deadline(rows: list[PlanRow], hours_per_week: int, today: date, ready_by: date) -> planner.Deadline:
    """What "ready by" takes for the open steps of this plan."""
    return planner.deadline(
        [step_from_row(row.step) for row in open_steps(rows)], hours_per_week, today, ready_by
    )
