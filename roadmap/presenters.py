"""Shape the person's plan for the pages (no queries: rows come from the selectors)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from accounts.models import Profile
from catalogue.vocab import Phase

from .models import StepStatus
from .selectors import PlanRow


def plan_context(rows: list[PlanRow], *, profile: Profile, today: date) -> dict[str, Any]:
    """What the roadmap page, a step card and the dashboard show of the plan."""
    planned = sum(row.step.hours for row in rows)
    done = sum(row.step.hours for row in rows if row.status == StepStatus.DONE)
    phases: dict[str, list] = {}
    for row in rows:
        phases.setdefault(row.step.details.phase, []).append(row)
    this_week = [
        row
        for row in rows
        if row.status not in (StepStatus.DONE, StepStatus.SKIPPED)
        and row.step.planned_start <= today + timedelta(days=6)
        and row.step.planned_end >= today
    ]
    return {
        "rows": rows,
        "phases": [
            (Phase(phase).label if phase in Phase.values else phase, items) for phase, items in phases.items()
        ],
        "hours_planned": planned,
        "hours_done": done,
        "percent_done": round(100 * done / planned) if planned else 0,
        "this_week": this_week,
        "profile": profile,
        "status_choices": StepStatus.choices,
        "finish": rows[-1].step.planned_end if rows else None,
        "today": today,
    }
