"""The product's vocabulary, defined once: levels, phases, certainty, skill kinds.

Models, forms, the pure modules (scoring, planner, validation) and templates all use these
choices, so a label or an order changes in one place. Django's enum types are plain ``int`` and
``str`` subclasses, so the pure modules compare and sort them like the values they stand for.
"""

from __future__ import annotations

from django.db.models import IntegerChoices, TextChoices


class Level(IntegerChoices):
    """A proficiency level on a skill's anchored scale (each skill writes its own anchors)."""

    NONE = 0, "None"
    AWARENESS = 1, "Awareness"
    WORKING = 2, "Working"
    PROFICIENT = 3, "Proficient"
    EXPERT = 4, "Expert"


MIN_LEVEL = int(Level.NONE)
MAX_LEVEL = int(Level.EXPERT)
# A knowledge check probes a level from 1 up: there is nothing to check at "none".
MIN_CHECK_LEVEL = int(Level.AWARENESS)


class Phase(TextChoices):
    """The stage of the journey a skill category (or a career milestone) belongs to, in order."""

    FOUNDATIONS = "foundations", "Foundations"
    CORE_ML = "core-ml", "Core ML"
    PRODUCTION = "production", "Production & specialisation"
    CAREER = "career", "Career"


PHASE_RANK: dict[str, int] = {phase.value: rank for rank, phase in enumerate(Phase)}


class Seniority(TextChoices):
    """How far along the career a role target is (docs/catalogue/targets.md says what each means)."""

    ENTRY = "entry", "Entry level"
    MID = "mid", "Mid level"
    SENIOR = "senior", "Senior"


DEFAULT_SENIORITY = Seniority.ENTRY


class Certainty(TextChoices):
    """How sure a person says they are of an answer (certainty-based marking)."""

    GUESSING = "guessing", "Guessing"
    FAIRLY_SURE = "fairly_sure", "Fairly sure"
    CERTAIN = "certain", "Certain"


class SkillKind(TextChoices):
    """The two skill lists of the source articles."""

    TECHNICAL = "technical", "Technical"
    SOFT = "soft", "Soft"
