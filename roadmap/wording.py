"""The plan's words in the active language: a step's heading rebuilt from its stored parts.

The planner is pure (it imports nothing from Django) and stores an English ``title`` with each
step; what the pages, e-mails and exports show is built here, at the time it is shown, from the
step's kind, skill name, levels and part, so it follows the language of the person reading it.
"""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import planner
from .step_details import StepDetails


def step_heading(details: StepDetails) -> str:
    """ "Python 1 → 2", "Python 2 → 3 (part 1 of 2)", "Python: refresh level 2", or a milestone's name."""
    if not details.title or details.to_level is None:
        return details.heading  # a milestone, or a whole-skill step of an older plan: its name
    if details.kind == planner.REFRESH:
        return _("%(skill)s: refresh level %(level)s") % {"skill": details.name, "level": details.to_level}
    base = _("%(skill)s %(from)s → %(to)s") % {
        "skill": details.name,
        "from": details.from_level,
        "to": details.to_level,
    }
    if details.parts > 1:
        return _("%(step)s (part %(part)s of %(parts)s)") % {
            "step": base,
            "part": details.part,
            "parts": details.parts,
        }
    return base


def step_reason(details: StepDetails) -> str:
    """Why a step is there, in the active language: a refresh step's result and level, a milestone's
    skill levels; details stored before those facts were kept show their English ``reason``."""
    if details.kind == planner.REFRESH and details.measured_on and details.measured_level is not None:
        return refresh_reason(
            details.name,
            details.to_level or 0,
            details.measured_level,
            datetime.date.fromisoformat(details.measured_on),
        )
    if details.kind == planner.MILESTONE and details.builds_on:
        levels = [
            _("%(skill)s level %(level)s") % {"skill": name, "level": level}
            for name, level in details.builds_on
        ]
        return _("Builds on %(levels)s.") % {"levels": ", ".join(levels)}
    return details.reason


def refresh_reason(skill: str, level: int, measured_level: int, measured_on: datetime.date) -> str:
    """Why a refresh step is there, in the active language: the result of ``measured_on`` puts
    ``skill`` at ``measured_level``, below the ``level`` a done step reached. The plan stores it in
    English too (``services`` words it under ``translation.override("en")``)."""
    reached = _("%(skill)s %(from)s → %(to)s") % {"skill": skill, "from": level - 1, "to": level}
    return _(
        "Your result of %(date)s puts %(skill)s at level %(level)s, below the level %(target)s that "
        "“%(step)s” reached: a short review wins it back."
    ) % {
        "date": date_format(measured_on, "j F Y"),
        "skill": skill,
        "level": measured_level,
        "target": level,
        "step": reached,
    }
