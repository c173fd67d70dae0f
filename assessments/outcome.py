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


def _share(p: float) -> str:
    return f"{round(100 * p)}%"


def why(estimate: SkillEstimate, responses: Sequence[measurement.Response]) -> Why:
    """What the estimate rests on, as numbers: the rating and the checks with their outcomes."""
    return Why(
        claim=estimate.claim,
        checks=len(responses),
        right=sum(1 for r in responses if r.outcome == measurement.RIGHT),
        unknown=sum(1 for r in responses if r.outcome == measurement.DONT_KNOW),
    )


def reason(estimate: SkillEstimate, responses: Sequence[measurement.Response]) -> str:
    """Why the estimate is what it is, in a sentence or two (in English: the API's and the record's
    wording; the pages word it in the reader's language from :func:`why`)."""
    likely = f"level {estimate.level} is the most likely ({_share(estimate.probabilities[estimate.level])})"
    span = (
        f"90% sure it is {estimate.low}-{estimate.high}"
        if estimate.low != estimate.high
        else f"90% sure it is {estimate.low}"
    )
    facts = why(estimate, responses)
    if not facts.checks:
        basis = (
            "No knowledge check was asked on this skill: the estimate comes from your rating,"
            " corrected by how your ratings compared with your answers on other skills"
            if facts.claim is not None
            else "Not rated and not checked: the estimate comes from your answers on other skills"
        )
        return f"{basis}; {likely}, {span}."
    checks = f"{facts.checks} check{'s' if facts.checks != 1 else ''}: {facts.right} right"
    if facts.unknown:
        checks += f", {facts.unknown} \u201cI don't know\u201d"
    claim = f"You rated yourself {facts.claim}; " if facts.claim is not None else ""
    return f"{claim}{checks}. So {likely}, {span}."
