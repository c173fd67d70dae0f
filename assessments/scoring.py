"""How careerpath turns your answers into levels, gaps and readiness.

Everything below is plain arithmetic on your answers and the public catalogue: the same answers
always give the same result, and ties are always broken by the skill's short name (its slug).

1. Certainty-based marking
--------------------------
Every knowledge check asks for an answer and how sure you are. Each answer earns a mark
(Gardner-Medwin's certainty-based marking):

    how sure         right   wrong
    guessing           +1       0
    fairly sure        +2      -2
    certain            +3      -6
    "I don't know"      0       0

A confident wrong answer counts against you far more than a guess, so honesty pays: on these
marks "certain" is worth saying only when you are more than 80% likely to be right, "fairly
sure" between 67% and 80%, and "guessing" below that. A question you already met in an earlier
assessment counts half (its mark is halved), because you may remember it from its explanation.

Every check probes one level (1 to 4) of one skill. The *net mark* of a group of checks is the
sum of their marks. A level is *shown* when the checks at exactly that level net +2 or more:
at least one fairly-sure right answer's worth.

2. From self-rating to assessed level
-------------------------------------
You start from the level you chose on the skill's anchored scale (0 none, 1 awareness,
2 working, 3 proficient, 4 expert). The checks then confirm it, lower it or raise it; the result,
the *assessed level*, is always a whole number from 0 to 4 and is the only number that is scored.

* Lowering: if the checks at or below your claimed level have a negative net mark, the claim is
  not supported and the level steps down by one. The test is repeated one level lower with the
  checks at or below that level, and stops at the first level where the net mark is not
  negative, or where that level itself was shown. So the level never drops further than the
  answers support: one certain wrong answer at the claimed level, with nothing wrong below it,
  drops exactly one level, never to 0.
* Raising: if the claim holds (the checks at or below it are not net negative) and some level
  above the claim was shown, the level rises by one, never more, unless the checks at the level
  just above the claim went against it (negative net mark). Nothing goes above 4.
* Guesses that turn out wrong and "I don't know" earn 0, so on their own they never lower a
  level; they count as weak evidence against it and widen the range downwards (below).

*Calibration* compares the assessed level with your claim: lower is "over-confident", higher is
"under-confident", the same is "consistent".

*Range*: when the evidence is thin or conflicting the level is shown as a range, such as
"level 2-3, re-test". The range goes one level lower when a check at or below the assessed level
was not answered right (wrong at any certainty, or "I don't know"), and one level higher when a
check above the assessed level was answered right but did not raise the level (a guess, a
question seen before, or an answer contradicted at another level). Only the assessed level
counts towards readiness.

Examples:

* claim 3, the level-3 check wrong while certain (-6): assessed 2, over-confident.
* claim 1, the level-1 and level-2 checks right and certain (+3, +3): assessed 2, under-confident.
* claim 2, the level-2 check right and fairly sure (+2), the level-3 check right while guessing
  (+1): assessed 2, range 2-3, consistent: a guess does not show a level.
* the same as the second example with the level-2 question seen before: its mark is +1.5, which
  does not show level 2, so the assessed level stays 1 with range 1-2.
* claim 3, the level-3 check wrong while certain but seen before (-3), the level-2 check right
  and certain (+3): the net mark is 0, so the claim holds at 3 with range 2-3; without the
  "seen before" the net mark is -3 and the level drops to 2.
* claim 2, "I don't know" at level 2: assessed 2, range 1-2.
* claim 0 with no checks: 0, consistent. Claim 4 with everything right: 4.

3. Gaps and readiness for a role
--------------------------------
Each role sets, per skill, a target level and an importance weight (1 to 5). A skill the role
does not list plays no part in that role; a skill you were not assessed on counts as level 0.

* gap = max(0, target - assessed level); weighted gap = gap x weight.
* readiness = 1 - (sum of weighted gaps) / (sum of target x weight), a share from 0 to 1 shown as
  a percentage. It is 1 (100%) exactly when every skill is at or above its target, and it never
  goes down when any level goes up. When every target is 0 (or there is none) there is nothing
  to be ready for and readiness is "n/a".
* The same formula over the skills of one category gives the readiness per category.
* Strengths are the skills with a target above 0 that you meet or exceed, most important first.
* Role fit is the readiness for every role, from the same answers.

Example: Python target 3 weight 3, statistics target 2 weight 2; assessed Python 2, statistics 2.
Weighted gaps: (3-2) x 3 = 3 and 0; total target x weight = 9 + 4 = 13;
readiness = 1 - 3/13 = 10/13, about 77%.

4. Which gap first: priority
----------------------------
The catalogue says which skills need which others first (prerequisites, such as Python before
pandas). A gap matters more when closing it unlocks other gaps, so

    priority = weighted gap + 0.5 x (sum of the weighted gaps of every skill that needs this
               skill directly or through other skills, and that itself has a gap)

Only skills with a gap get a priority (others get 0). Top gaps are listed by priority, highest
first, then by slug. Example: pandas needs Python and scikit-learn needs pandas; with weighted
gaps Python 2, pandas 3, scikit-learn 4, the priorities are scikit-learn 4,
pandas 3 + 0.5 x 4 = 5 and Python 2 + 0.5 x (3 + 4) = 5.5, so Python comes first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from catalogue.vocab import MAX_LEVEL, MIN_CHECK_LEVEL, MIN_LEVEL, Certainty

# The method recorded in every result, so a result keeps saying how it was scored.
METHOD = "certainty-based-marking"
METHOD_VERSION = 1

OVER_CONFIDENT, UNDER_CONFIDENT, CONSISTENT = "over-confident", "under-confident", "consistent"

# Net mark at one level that counts as showing it: one fairly-sure right answer's worth.
SHOWN = 2.0
SEEN_BEFORE_FACTOR = 0.5
UNLOCK_BONUS_FACTOR = 0.5
UNCATEGORISED = "uncategorised"

# (right, wrong) marks per certainty.
MARKS: dict[str, tuple[int, int]] = {
    Certainty.GUESSING: (1, 0),
    Certainty.FAIRLY_SURE: (2, -2),
    Certainty.CERTAIN: (3, -6),
}

INVALID_LEVEL = "A level must be a whole number from 0 to 4, got {level!r}."
INVALID_CHECK_LEVEL = "A knowledge check probes a level from 1 to 4, got {level!r}."
INVALID_CERTAINTY = "Certainty must be 'guessing', 'fairly_sure' or 'certain', got {certainty!r}."
INVALID_WEIGHT = "A target weight must be a whole number of at least 1, got {weight!r}."
TARGET_KEY_MISMATCH = "The target for {key!r} names another skill, {skill!r}."
DUPLICATE_EVIDENCE = "The skill {skill!r} has evidence twice."


def _is_level(value: object, low: int = MIN_LEVEL) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= MAX_LEVEL


def certainty_mark(correct: bool | None, certainty: str) -> int:
    """Certainty-based mark of one answer; ``correct=None`` means "I don't know" and earns 0."""
    if correct is None:
        return 0
    if certainty not in MARKS:
        raise ValueError(INVALID_CERTAINTY.format(certainty=certainty))
    right, wrong = MARKS[certainty]
    return right if correct else wrong


@dataclass(frozen=True)
class Check:
    """One answered knowledge check: the level it probes, the outcome and how sure the person was."""

    level: int
    correct: bool | None
    certainty: str
    seen_before: bool = False

    def __post_init__(self) -> None:
        if not _is_level(self.level, low=MIN_CHECK_LEVEL):
            raise ValueError(INVALID_CHECK_LEVEL.format(level=self.level))
        if self.correct is not None and self.certainty not in MARKS:
            raise ValueError(INVALID_CERTAINTY.format(certainty=self.certainty))


@dataclass(frozen=True)
class SkillEvidence:
    """A self-rating and the checks answered for one skill."""

    skill: str
    self_level: int
    checks: tuple[Check, ...] = ()

    def __post_init__(self) -> None:
        if not _is_level(self.self_level):
            raise ValueError(INVALID_LEVEL.format(level=self.self_level))


@dataclass(frozen=True)
class SkillLevel:
    """The assessed level of one skill, with its plausible range and calibration."""

    skill: str
    self_level: int
    assessed_level: int
    low: int
    high: int
    calibration: str
    reason: str = ""


@dataclass(frozen=True)
class Target:
    """The level a role needs in a skill and how much it matters (weight)."""

    skill: str
    level: int
    weight: int

    def __post_init__(self) -> None:
        if not _is_level(self.level):
            raise ValueError(INVALID_LEVEL.format(level=self.level))
        if isinstance(self.weight, bool) or not isinstance(self.weight, int) or self.weight < 1:
            raise ValueError(INVALID_WEIGHT.format(weight=self.weight))


@dataclass(frozen=True)
class SkillGap:
    """How far one skill is from a role's target, and how urgent closing it is."""

    skill: str
    category: str
    assessed_level: int
    target: int
    weight: int
    gap: int
    weighted_gap: int
    priority: float


@dataclass(frozen=True)
class RoleReadiness:
    """Readiness for one role: overall, per category, per skill, strengths and top gaps."""

    role: str
    readiness: float | None
    by_category: dict[str, float | None]
    skills: tuple[SkillGap, ...]
    strengths: tuple[str, ...]
    top_gaps: tuple[SkillGap, ...]


@dataclass(frozen=True)
class Score:
    """Assessed levels per skill and readiness for every role, from one set of answers."""

    levels: dict[str, SkillLevel]
    roles: dict[str, RoleReadiness]


def check_mark(check: Check) -> float:
    """The mark a check contributes: its certainty-based mark, halved if seen before."""
    mark = certainty_mark(check.correct, check.certainty)
    return mark * SEEN_BEFORE_FACTOR if check.seen_before else float(mark)


def _signed(mark: float) -> str:
    return f"{mark:+g}" if mark else "0"


def assess_skill(evidence: SkillEvidence) -> SkillLevel:
    """Assessed level, range and calibration of one skill from the self-rating and its checks."""
    claim = evidence.self_level
    checks = evidence.checks
    net_at: dict[int, float] = {}
    for check in checks:
        net_at[check.level] = net_at.get(check.level, 0.0) + check_mark(check)

    def net_at_or_below(level: int) -> float:
        return sum(mark for check_level, mark in net_at.items() if check_level <= level)

    claim_net = net_at_or_below(claim)
    assessed = claim
    while assessed > MIN_LEVEL and net_at_or_below(assessed) < 0 and net_at.get(assessed, 0.0) < SHOWN:
        assessed -= 1
    shown_above = [level for level in sorted(net_at) if level > claim and net_at[level] >= SHOWN]
    blocked = net_at.get(claim + 1, 0.0) < 0
    if assessed == claim < MAX_LEVEL and claim_net >= 0 and shown_above and not blocked:
        assessed = claim + 1

    low = assessed
    if assessed > MIN_LEVEL and any(c.level <= assessed and c.correct is not True for c in checks):
        low = assessed - 1
    high = assessed
    if assessed < MAX_LEVEL and any(c.level > assessed and c.correct is True for c in checks):
        high = assessed + 1

    if assessed < claim:
        calibration = OVER_CONFIDENT
        reason = (
            f"Answers at or below the claimed level {claim} were mostly wrong"
            f" (net mark {_signed(claim_net)}), so the level was lowered to {assessed}."
        )
    elif assessed > claim:
        calibration = UNDER_CONFIDENT
        first = shown_above[0]
        reason = (
            f"Level {first} was answered right with confidence (net mark {_signed(net_at[first])}),"
            f" so the level was raised to {assessed}."
        )
    else:
        calibration = CONSISTENT
        if not checks:
            reason = "No knowledge checks answered: the self-rating stands unverified."
        elif claim_net < 0:
            reason = f"Answers conflict: level {claim} was shown, but checks below it went wrong."
        elif claim_net > 0:
            reason = f"Answers support the claimed level {claim} (net mark {_signed(claim_net)})."
        elif all(c.level > claim for c in checks):
            reason = f"No answer went against the claimed level {claim}."
        else:
            reason = f"Answers neither support nor contradict the claimed level {claim} (net mark 0)."
    if low != high:
        reason += f" Shown as level {low}-{high} until a re-test narrows it."
    return SkillLevel(
        skill=evidence.skill,
        self_level=claim,
        assessed_level=assessed,
        low=low,
        high=high,
        calibration=calibration,
        reason=reason,
    )


def _readiness(gaps: list[SkillGap]) -> float | None:
    total = sum(gap.target * gap.weight for gap in gaps)
    if total == 0:
        return None
    # (total - missing) / total rounds once, so no gap gives exactly 1.0.
    return (total - sum(gap.weighted_gap for gap in gaps)) / total


def _dependents(prerequisites: list[tuple[str, str, int]]) -> dict[str, set[str]]:
    """Every skill that needs each skill, directly or through others (safe on a cycle)."""
    needed_by: dict[str, set[str]] = defaultdict(set)
    for skill, requires, _min_level in prerequisites:
        needed_by[requires].add(skill)
    closure: dict[str, set[str]] = {}
    for start in sorted(needed_by):
        seen: set[str] = set()
        stack = sorted(needed_by[start])
        while stack:
            skill = stack.pop()
            if skill in seen or skill == start:
                continue
            seen.add(skill)
            stack.extend(sorted(needed_by.get(skill, ())))
        closure[start] = seen
    return closure


def role_readiness(
    role: str,
    levels: dict[str, int],
    targets: dict[str, Target],
    categories: dict[str, str],
    prerequisites: list[tuple[str, str, int]],
) -> RoleReadiness:
    """Gaps, readiness (overall and per category), strengths and prioritised gaps for one role."""
    for level in levels.values():
        if not _is_level(level):
            raise ValueError(INVALID_LEVEL.format(level=level))
    for key, target in targets.items():
        if key != target.skill:
            raise ValueError(TARGET_KEY_MISMATCH.format(key=key, skill=target.skill))

    weighted: dict[str, int] = {}
    for skill, target in targets.items():
        gap = max(0, target.level - levels.get(skill, MIN_LEVEL))
        weighted[skill] = gap * target.weight
    dependents = _dependents(prerequisites)

    skills: list[SkillGap] = []
    for skill in sorted(targets):
        target = targets[skill]
        assessed = levels.get(skill, MIN_LEVEL)
        gap = max(0, target.level - assessed)
        priority = 0.0
        if gap:
            unlocked = sum(weighted.get(other, 0) for other in sorted(dependents.get(skill, ())))
            priority = weighted[skill] + UNLOCK_BONUS_FACTOR * unlocked
        skills.append(
            SkillGap(
                skill=skill,
                category=categories.get(skill, UNCATEGORISED),
                assessed_level=assessed,
                target=target.level,
                weight=target.weight,
                gap=gap,
                weighted_gap=weighted[skill],
                priority=priority,
            )
        )

    per_category: dict[str, list[SkillGap]] = defaultdict(list)
    for skill_gap in skills:
        per_category[skill_gap.category].append(skill_gap)
    strengths = sorted(
        (g for g in skills if g.target > 0 and g.assessed_level >= g.target),
        key=lambda g: (-g.weight, g.skill),
    )
    top_gaps = sorted((g for g in skills if g.gap > 0), key=lambda g: (-g.priority, g.skill))
    return RoleReadiness(
        role=role,
        readiness=_readiness(skills),
        by_category={category: _readiness(per_category[category]) for category in sorted(per_category)},
        skills=tuple(skills),
        strengths=tuple(g.skill for g in strengths),
        top_gaps=tuple(top_gaps),
    )


def score(
    evidence: list[SkillEvidence],
    role_targets: dict[str, dict[str, Target]],
    categories: dict[str, str],
    prerequisites: list[tuple[str, str, int]],
) -> Score:
    """Assessed levels for every skill and readiness for every role from the same answers."""
    levels: dict[str, SkillLevel] = {}
    for item in sorted(evidence, key=lambda item: item.skill):
        if item.skill in levels:
            raise ValueError(DUPLICATE_EVIDENCE.format(skill=item.skill))
        levels[item.skill] = assess_skill(item)
    assessed = {skill: level.assessed_level for skill, level in levels.items()}
    roles = {
        role: role_readiness(role, assessed, role_targets[role], categories, prerequisites)
        for role in sorted(role_targets)
    }
    return Score(levels=levels, roles=roles)
