"""The study roadmap: gaps, prerequisites and hours in; ordered, dated steps out.

Pure Python (no ORM), so it is tested without a database; ``selectors.py`` shapes
the catalogue and an assessment snapshot into the dataclasses below.

Steps
-----
- One step per ``SkillNeed`` (a skill where the role's target level is above the person's
  assessed level) and one per ``MilestoneNeed`` (a career milestone not done yet).
- A skill step climbs from the current level to ``to_level``; its hours are the sum of
  ``hours_to_reach`` for each level it climbs (current + 1 .. to_level). A level missing from
  ``hours_to_reach`` counts as 0 hours (catalogue health reports skills missing anchors).
- Prerequisites: when a step's skill requires skill R at ``min_level`` and the person is below
  ``min_level`` in R, R's step must come before it. If R is a need, its step climbs to
  max(target level, min_level); if not, a step for R is added, climbing to min_level (the
  highest min_level over everything that requires it). An added step may itself have unmet
  prerequisites, which are added the same way, transitively. A prerequisite the person
  already meets imposes no order and adds no step.
- An added step's priority is the highest priority among the steps it directly unlocks, so it
  inherits, transitively, the value of what it makes possible. Needs keep their own priority.
- A cycle among the unmet prerequisites raises ``RoadmapError`` naming the cycle.

Order
-----
A greedy topological order (``graphlib.TopologicalSorter``): at each point, among the steps
whose prerequisites are all placed, the one with the smallest
``(phase rank, -priority per hour, order, slug, key)`` goes next, where

- phase rank follows ``catalogue.vocab.Phase`` (foundations, core-ml, production, career);
- priority per hour is ``priority / hours``; a zero-hour step counts as infinitely valuable
  when its priority is positive (it costs nothing) and as 0 otherwise;
- ``order`` is the milestone's catalogue order (0 for skills). Milestones sit in phase
  "career" with priority 0 unless given, so among themselves they follow ``order``, then slug.

Prerequisites beat phases: a foundations step that requires a core-ml skill waits for it.

Timing
------
Steps are laid end to end in cumulative study hours: a step covers
``[start_hour, end_hour)``, ``end_hour = start_hour + hours``, and the next step starts at the
previous one's ``end_hour``. The person's ``hours_per_week`` are spread evenly over the seven
days of a week, so study hour ``h`` (counted from the origin of the schedule) falls
``t(h) = 7 * h / hours_per_week`` days after the start date. With exact integer arithmetic:

- ``planned_start = start + floor(t(start_hour))`` days;
- ``planned_end = start + ceil(t(end_hour)) - 1`` days: the day the step's last hour falls on
  (a zero-hour step ends the day it starts).

So the first step starts on ``start``, every step ends on or after the day it starts, and
each step starts on the day the previous one ends (when that one ends mid-day) or the day
after: dates are contiguous and non-decreasing. Week n (1-based) of a plan is days
7(n - 1) .. 7n - 1 after its start. At 10 h/week, a 25-hour first step ends on day 17
(t = 17.5), in week 3; a 10-hour first step fills week 1 exactly and the next starts on day 7.

Re-planning
-----------
``replan`` answers "I'm behind, re-plan from today" and a change of hours per week: the done
(or skipped) steps come first, in their order and with their dates unchanged; the open steps
follow in their relative order, re-timed end to end from ``today``. Cumulative hours are
renumbered over the whole list in that order, so ``start_hour`` stays contiguous.
"""

from __future__ import annotations

import dataclasses
import graphlib
import heapq
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from catalogue.vocab import PHASE_RANK

SKILL = "skill"
MILESTONE = "milestone"

CYCLE_MESSAGE = "The prerequisites form a cycle: {cycle}."
UNKNOWN_SKILL_MESSAGE = "Skill {skill!r} is needed by the roadmap but missing from the skills given."
UNKNOWN_PHASE_MESSAGE = "Step {key!r} has an unknown phase {phase!r}; expected one of: {phases}."
NO_GAP_MESSAGE = (
    "Skill need {skill!r} has no gap: target level {target} is not above current level {current}."
)
DUPLICATE_STEP_MESSAGE = "Step {key!r} appears more than once."
HOURS_PER_WEEK_MESSAGE = "Hours per week must be at least 1, got {hours_per_week}."


class RoadmapError(ValueError):
    """The inputs cannot make a roadmap (a prerequisite cycle, a missing skill, bad hours)."""


@dataclass(frozen=True)
class SkillNeed:
    """A skill the person has a gap on for their role (target_level > current_level)."""

    skill: str
    name: str
    phase: str
    current_level: int
    target_level: int
    priority: float


@dataclass(frozen=True)
class SkillInfo:
    """What the roadmap needs to know about any skill: its phase, the person's level, hours per level."""

    skill: str
    name: str
    phase: str
    current_level: int
    hours_to_reach: dict[int, int]  # level -> hours from the level below


@dataclass(frozen=True)
class Prerequisite:
    """``skill`` requires ``requires`` at ``min_level`` or above."""

    skill: str
    requires: str
    min_level: int


@dataclass(frozen=True)
class MilestoneNeed:
    """A career milestone the person has not done yet."""

    slug: str
    name: str
    phase: str
    hours: int
    order: int
    priority: float = 0.0


@dataclass(frozen=True)
class PlannedStep:
    """One step of the roadmap, placed in cumulative hours and dates."""

    key: str  # "skill:<slug>" or "milestone:<slug>"
    kind: str  # "skill" | "milestone"
    slug: str
    name: str
    phase: str
    from_level: int | None
    to_level: int | None
    hours: int
    priority: float
    start_hour: int
    end_hour: int
    planned_start: date
    planned_end: date
    requires: tuple[str, ...] = ()  # keys of the steps that must come first (direct)
    unlocks: tuple[str, ...] = ()  # keys of the steps that directly require this one
    added: bool = False  # a prerequisite the plan needed, not one of the role's gaps
    order: int = 0  # the milestone's catalogue order; 0 for skills


def skill_key(slug: str) -> str:
    """The step key of a skill."""
    return f"{SKILL}:{slug}"


def milestone_key(slug: str) -> str:
    """The step key of a career milestone."""
    return f"{MILESTONE}:{slug}"


def priority_per_hour(priority: float, hours: int) -> float:
    """Priority per hour of study; a free step (0 hours) with any positive priority comes first."""
    if hours > 0:
        return priority / hours
    return math.inf if priority > 0 else 0.0


def week_number(day: date, start: date) -> int:
    """The 1-based week of a plan starting on ``start`` that ``day`` falls in."""
    return (day - start).days // 7 + 1


def build_roadmap(
    needs: list[SkillNeed],
    skills: dict[str, SkillInfo],
    prerequisites: list[Prerequisite],
    milestones: list[MilestoneNeed],
    hours_per_week: int,
    start: date,
) -> list[PlannedStep]:
    """Order the person's gaps and milestones by prerequisites and value per hour, and date them."""
    _check_hours_per_week(hours_per_week)
    needs_by_skill: dict[str, SkillNeed] = {}
    for need in needs:
        if need.skill in needs_by_skill:
            raise RoadmapError(DUPLICATE_STEP_MESSAGE.format(key=skill_key(need.skill)))
        if need.target_level <= need.current_level:
            raise RoadmapError(
                NO_GAP_MESSAGE.format(skill=need.skill, target=need.target_level, current=need.current_level)
            )
        needs_by_skill[need.skill] = need

    def current_level(slug: str) -> int:
        if slug in needs_by_skill:
            return needs_by_skill[slug].current_level
        if slug in skills:
            return skills[slug].current_level
        raise RoadmapError(UNKNOWN_SKILL_MESSAGE.format(skill=slug))

    to_level, before = _close_over_prerequisites(needs_by_skill, prerequisites, current_level)
    order = _topological_order(before)
    after: dict[str, set[str]] = {slug: set() for slug in before}
    for slug, required in before.items():
        for prerequisite_slug in required:
            after[prerequisite_slug].add(slug)

    priority: dict[str, float] = {}
    for slug in reversed(order):  # dependants before their prerequisites
        if slug in needs_by_skill:
            priority[slug] = needs_by_skill[slug].priority
        else:
            priority[slug] = max(priority[dependant] for dependant in after[slug])

    epoch = date.min
    steps: list[PlannedStep] = []
    for slug in order:
        info = skills.get(slug)
        skill_need = needs_by_skill.get(slug)
        if info is None:
            raise RoadmapError(UNKNOWN_SKILL_MESSAGE.format(skill=slug))
        origin: SkillNeed | SkillInfo = skill_need if skill_need is not None else info
        from_level = current_level(slug)
        hours = sum(info.hours_to_reach.get(level, 0) for level in range(from_level + 1, to_level[slug] + 1))
        steps.append(
            PlannedStep(
                key=skill_key(slug),
                kind=SKILL,
                slug=slug,
                name=origin.name,
                phase=origin.phase,
                from_level=from_level,
                to_level=to_level[slug],
                hours=hours,
                priority=priority[slug],
                start_hour=0,
                end_hour=0,
                planned_start=epoch,
                planned_end=epoch,
                requires=tuple(sorted(skill_key(required) for required in before[slug])),
                unlocks=tuple(sorted(skill_key(dependant) for dependant in after[slug])),
                added=skill_need is None,
            )
        )
    for milestone in milestones:
        steps.append(
            PlannedStep(
                key=milestone_key(milestone.slug),
                kind=MILESTONE,
                slug=milestone.slug,
                name=milestone.name,
                phase=milestone.phase,
                from_level=None,
                to_level=None,
                hours=milestone.hours,
                priority=milestone.priority,
                start_hour=0,
                end_hour=0,
                planned_start=epoch,
                planned_end=epoch,
                order=milestone.order,
            )
        )
    return schedule(_place(steps), hours_per_week, start)


def schedule(
    steps: list[PlannedStep], hours_per_week: int, start: date, hours_done_before: int = 0
) -> list[PlannedStep]:
    """Re-time steps end to end in their given order, from hour ``hours_done_before`` on ``start``."""
    _check_hours_per_week(hours_per_week)
    timed: list[PlannedStep] = []
    hour = hours_done_before
    for step in steps:
        offset = hour - hours_done_before
        first_day = 7 * offset // hours_per_week
        last_day = -(-7 * (offset + step.hours) // hours_per_week) - 1 if step.hours > 0 else first_day
        timed.append(
            dataclasses.replace(
                step,
                start_hour=hour,
                end_hour=hour + step.hours,
                planned_start=start + timedelta(days=first_day),
                planned_end=start + timedelta(days=last_day),
            )
        )
        hour += step.hours
    return timed


def replan(
    steps: list[PlannedStep], done_keys: set[str], hours_per_week: int, today: date
) -> list[PlannedStep]:
    """Keep done or skipped steps as they were and re-time the open ones end to end from ``today``."""
    _check_hours_per_week(hours_per_week)
    done: list[PlannedStep] = []
    hour = 0
    for step in steps:
        if step.key in done_keys:
            done.append(dataclasses.replace(step, start_hour=hour, end_hour=hour + step.hours))
            hour += step.hours
    open_steps = [step for step in steps if step.key not in done_keys]
    return done + schedule(open_steps, hours_per_week, today, hours_done_before=hour)


def _check_hours_per_week(hours_per_week: int) -> None:
    if hours_per_week < 1:
        raise RoadmapError(HOURS_PER_WEEK_MESSAGE.format(hours_per_week=hours_per_week))


def _close_over_prerequisites(
    needs_by_skill: dict[str, SkillNeed],
    prerequisites: list[Prerequisite],
    current_level: Callable[[str], int],
) -> tuple[dict[str, int], dict[str, set[str]]]:
    """The skills that get a step with the level each climbs to, and each one's unmet prerequisites."""
    requirements: dict[str, list[Prerequisite]] = {}
    for prerequisite in prerequisites:
        requirements.setdefault(prerequisite.skill, []).append(prerequisite)
    to_level = {slug: need.target_level for slug, need in needs_by_skill.items()}
    before: dict[str, set[str]] = {slug: set() for slug in to_level}
    pending = sorted(to_level)
    while pending:
        slug = pending.pop()
        for prerequisite in requirements.get(slug, ()):
            required = prerequisite.requires
            if current_level(required) >= prerequisite.min_level:
                continue  # already met: no order, no step
            before[slug].add(required)
            if required in to_level:
                to_level[required] = max(to_level[required], prerequisite.min_level)
            else:
                to_level[required] = prerequisite.min_level
                before[required] = set()
                pending.append(required)  # its own prerequisites count too
    return to_level, before


def _topological_order(before: dict[str, set[str]]) -> list[str]:
    """Any order with prerequisites first; raises RoadmapError naming a cycle."""
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for slug in sorted(before):
        sorter.add(slug, *sorted(before[slug]))
    try:
        return list(sorter.static_order())
    except graphlib.CycleError as error:
        raise RoadmapError(CYCLE_MESSAGE.format(cycle=_describe_cycle(error.args[1]))) from error


def _describe_cycle(cycle: list[str]) -> str:
    """'a requires c, which requires b, which requires a', starting from the smallest slug."""
    # graphlib lists the cycle from each node to one that must come after it (first == last);
    # reversed, each node requires the next.
    nodes = list(reversed(cycle[:-1]))
    first = nodes.index(min(nodes))
    chain = [*nodes[first:], *nodes[:first], nodes[first]]
    return f"{chain[0]} requires {chain[1]}" + "".join(f", which requires {slug}" for slug in chain[2:])


def _sort_key(step: PlannedStep) -> tuple[int, float, int, str, str]:
    rank = PHASE_RANK.get(step.phase)
    if rank is None:
        raise RoadmapError(
            UNKNOWN_PHASE_MESSAGE.format(key=step.key, phase=step.phase, phases=", ".join(PHASE_RANK))
        )
    return (rank, -priority_per_hour(step.priority, step.hours), step.order, step.slug, step.key)


def _place(steps: Iterable[PlannedStep]) -> list[PlannedStep]:
    """Greedy topological order: the best step among those whose prerequisites are placed goes next."""
    by_key: dict[str, PlannedStep] = {}
    for step in steps:
        if step.key in by_key:
            raise RoadmapError(DUPLICATE_STEP_MESSAGE.format(key=step.key))
        by_key[step.key] = step
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for key in sorted(by_key):
        sorter.add(key, *by_key[key].requires)
    sorter.prepare()  # cycles were reported with skill names before we got here
    ready: list[tuple[tuple[int, float, int, str, str], str]] = []
    placed: list[PlannedStep] = []
    while sorter.is_active():
        for key in sorter.get_ready():
            heapq.heappush(ready, (_sort_key(by_key[key]), key))
        _, key = heapq.heappop(ready)
        placed.append(by_key[key])
        sorter.done(key)
    return placed
