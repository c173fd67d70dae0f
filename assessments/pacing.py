"""How long an assessment is: its check budget and the time it is estimated to take.

Pure. The times per item are measured averages (a rating about 25 seconds, a knowledge check about
45 seconds); every page that states a length uses :func:`minutes` so they all say the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SECONDS_PER_RATING = 25
SECONDS_PER_CHECK = 45
ROUND_SIZE = 10  # the most checks on one page of a round
MIN_CHECKS = ROUND_SIZE  # the fewest checks any length asks (when the skills allow so many)


@dataclass(frozen=True)
class Length:
    """One length a person can choose."""

    key: str
    label: str
    max_checks: int
    per_skill: int  # the most checks on one skill
    max_minutes: int | None  # the estimate the default length keeps within


DEFAULT = Length(key="default", label="Standard", max_checks=30, per_skill=4, max_minutes=35)
THOROUGH = Length(key="thorough", label="Thorough", max_checks=60, per_skill=6, max_minutes=None)
LENGTHS: dict[str, Length] = {DEFAULT.key: DEFAULT, THOROUGH.key: THOROUGH}


def budget(length: Length, skills: int) -> int:
    """The most checks an assessment of ``skills`` rated skills asks at this length.

    The time limit trims the checks, but never below one round (MIN_CHECKS): self-ratings are not
    taken on trust alone, however many skills a target spans.
    """
    checks = length.max_checks
    if length.max_minutes is not None:
        spare = length.max_minutes * 60 - skills * SECONDS_PER_RATING
        checks = min(checks, max(spare // SECONDS_PER_CHECK, MIN_CHECKS))
    return max(min(checks, skills * length.per_skill), 0)


def rounds(checks: int) -> int:
    """How many round pages ``checks`` checks take at most."""
    return math.ceil(checks / ROUND_SIZE) if checks > 0 else 0


def minutes(ratings: int, checks: int) -> int:
    """The estimated minutes for this many ratings and checks (at least 1 when there is anything)."""
    seconds = ratings * SECONDS_PER_RATING + checks * SECONDS_PER_CHECK
    return max(1, round(seconds / 60)) if seconds else 0
