"""The product's vocabulary, defined once: levels, phases, certainty, skill kinds.

Models, forms, the pure modules (scoring, planner, validation) and templates all use these
choices, so a label or an order changes in one place. Django's enum types are plain ``int`` and
``str`` subclasses, so the pure modules compare and sort them like the values they stand for.
The labels are translated lazily (in the language active where they are shown); the pure modules
use the values, and leave the words to the presenters and templates.
"""

from __future__ import annotations

from django.db.models import IntegerChoices, TextChoices
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(IntegerChoices):
    """A proficiency level on a skill's anchored scale (each skill writes its own anchors)."""

    NONE = 0, pgettext_lazy("level", "None")
    AWARENESS = 1, _("Awareness")
    WORKING = 2, pgettext_lazy("level", "Working")
    PROFICIENT = 3, _("Proficient")
    EXPERT = 4, _("Expert")


MIN_LEVEL = int(Level.NONE)
MAX_LEVEL = int(Level.EXPERT)
# A knowledge check probes a level from 1 up: there is nothing to check at "none".
MIN_CHECK_LEVEL = int(Level.AWARENESS)


class Phase(TextChoices):
    """The stage of the journey a skill category (or a career milestone) belongs to, in order."""

    FOUNDATIONS = "foundations", _("Foundations")
    CORE_ML = "core-ml", _("Core ML")
    PRODUCTION = "production", _("Production & specialisation")
    CAREER = "career", _("Career")


PHASE_RANK: dict[str, int] = {phase.value: rank for rank, phase in enumerate(Phase)}


class Seniority(TextChoices):
    """How far along the career a role target is (docs/catalogue/targets.md says what each means)."""

    ENTRY = "entry", _("Entry level")
    MID = "mid", _("Mid level")
    SENIOR = "senior", _("Senior")


DEFAULT_SENIORITY = Seniority.ENTRY


class Certainty(TextChoices):
    """How sure a person says they are of an answer (certainty-based marking)."""

    GUESSING = "guessing", _("Guessing")
    FAIRLY_SURE = "fairly_sure", _("Fairly sure")
    CERTAIN = "certain", _("Certain")


class SkillKind(TextChoices):
    """The two skill lists of the source articles."""

    TECHNICAL = "technical", _("Technical")
    SOFT = "soft", pgettext_lazy("skill kind", "Soft")
