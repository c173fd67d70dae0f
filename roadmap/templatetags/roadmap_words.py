"""The plan's words in the active language, for templates: ``{{ details|step_heading }}``, ``{{ details|step_reason }}``;
and the lookups a step card makes, by key instead of a loop over the whole plan on every card."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import template

from roadmap import wording
from roadmap.step_details import StepDetails

register = template.Library()


@register.filter
def step_heading(details: StepDetails) -> str:
    """A step's heading rebuilt from its stored parts in the reader's language (see roadmap.wording)."""
    return wording.step_heading(details)


@register.filter
def step_reason(details: StepDetails) -> str:
    """Why a step is there, in the reader's language (see roadmap.wording)."""
    return wording.step_reason(details)


@register.filter
def logged_hours(pace: Any, key: str) -> Decimal | None:
    """The hours logged on step ``key`` (``pace`` is roadmap.selectors.PaceSummary), None without."""
    return None if not pace else pace.step_hours.get(key)


@register.filter
def holds_step(this_week: Sequence[Any], pk: int) -> bool:
    """Whether this week's plan (roadmap.presenters.this_week) works on step ``pk``."""
    return any(item.row.step.pk == pk for item in this_week or ())
