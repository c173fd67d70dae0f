"""A result from ratings and answers: the measurement, then gaps and readiness per target.

Pure: combines :mod:`assessments.measurement` (levels as probabilities, readiness as an expectation
with its interval) with :mod:`assessments.scoring` (gaps, priorities and strengths from the most
probable levels).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import measurement, scoring
from .measurement import Interval, Measurement, SkillEstimate, SkillInput
from .snapshot import Why


@dataclass(frozen=True)
class RoleOutcome:
    gaps: scoring.RoleReadiness
    readiness: Interval | None
    by_category: dict[str, Interval | None]


@dataclass(frozen=True)
class Outcome:
    measurement: Measurement
    roles: dict[str, RoleOutcome]


def _targets(targets: Mapping[str, scoring.Target]) -> dict[str, scoring.Target]:
    """The targets that ask for something (level above 0): the others add nothing to readiness."""
    return {slug: t for slug, t in targets.items() if t.level > 0}


def assess(
    inputs: Sequence[SkillInput],
    role_targets: Mapping[str, Mapping[str, scoring.Target]],
    categories: Mapping[str, str],
    prerequisites: list[tuple[str, str, int]],
) -> Outcome:
    """Measure every skill once, then readiness and gaps for every target from that measurement."""
    measured = measurement.measure(inputs)
    levels = {slug: estimate.level for slug, estimate in measured.skills.items()}
    roles: dict[str, RoleOutcome] = {}
    for role in sorted(role_targets):
        targets = dict(role_targets[role])
        gaps = scoring.role_readiness(role, levels, targets, dict(categories), prerequisites)
        wanted = _targets(targets)
        per_category: dict[str, Interval | None] = {}
        for category in gaps.by_category:
            subset = {s: t for s, t in wanted.items() if categories.get(s, scoring.UNCATEGORISED) == category}
            per_category[category] = measurement.readiness(measured, subset)
        roles[role] = RoleOutcome(
            gaps=gaps, readiness=measurement.readiness(measured, wanted), by_category=per_category
        )
    return Outcome(measurement=measured, roles=roles)


def why(estimate: SkillEstimate, responses: Sequence[measurement.Response]) -> Why:
    """What the estimate rests on, as numbers: the rating and the checks with their outcomes."""
    return Why(
        claim=estimate.claim,
        checks=len(responses),
        right=sum(1 for r in responses if r.outcome == measurement.RIGHT),
        unknown=sum(1 for r in responses if r.outcome == measurement.DONT_KNOW),
    )
