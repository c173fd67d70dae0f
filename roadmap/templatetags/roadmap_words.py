"""The plan's words in the active language, for templates: ``{{ details|step_heading }}``, ``{{ details|step_reason }}``;
and the lookups a step card makes, by key instead of a loop over the whole plan on every card."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import template

from roadmap import presenters, wording
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


# Whether this week's plan (roadmap.presenters.this_week) works on step ``pk``.
holds_step = register.filter("holds_step", presenters.holds_step)


def card_open(
    row: Any, *, this_week: Sequence[Any] | None = None, with_forms: bool = False, **shown: Any
) -> bool:
    """Whether a step card is shown open, with its forms: on its own page (``with_forms``), after a
    save, a log or a refusal (any of ``shown`` set), or when this week's plan works on the step."""
    return with_forms or any(bool(value) for value in shown.values()) or holds_step(this_week, row.step.pk)


@register.simple_tag(takes_context=True)
def step_card_open(context: template.Context) -> bool:
    """``{% step_card_open as shown %}`` in a step card: see card_open."""
    study_form = context.get("study_form")
    return card_open(
        context["row"],
        this_week=context.get("this_week"),
        with_forms=bool(context.get("with_forms")),
        saved=context.get("saved"),
        form_errors=context.get("form_errors"),
        study_logged=context.get("study_logged"),
        study_errors=study_form.errors if study_form is not None and study_form.is_bound else None,
    )
