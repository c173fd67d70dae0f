"""The plan's words in the active language, for templates: ``{{ details|step_heading }}``, ``{{ details|step_reason }}``."""

from __future__ import annotations

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
