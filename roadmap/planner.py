"""The study plan: gaps, prerequisites and hours in; small, ordered, dated steps out.

Pure Python (no ORM), so it is tested without a database; ``selectors.py`` shapes the catalogue
and an assessment snapshot into the dataclasses below.

Steps
-----
- One step per level: a skill the person is at level k and needs at level t gets the steps
  k -> k+1, ..., t-1 -> t, each costing the hours the catalogue gives to reach its level.
- No step is longer than :data:`MAX_STEP_HOURS`: a longer level is split into parts of nearly equal
  hours, named from the clauses of that level's anchor ("part 1 of 2: classes, type hints...").
- Prerequisites work at level granularity: when skill S requires R at level m, S's step to level L
  needs R at ``min(m, L)``: a skill's first level may need only the first level of its
  prerequisite. A level also needs the skill's level below it. A prerequisite the person does not
  meet and that is not in their target adds steps of its own (``added``), up to the level needed.
- Value: a step of a target skill is worth ``weight / hours`` (its share of the target per hour of
  study, one level closed); a step that others need is worth at least as much as the most
  valuable step it unlocks, so foundations come first because of what they open.

Order and timing
----------------
Steps run side by side on up to :func:`tracks` tracks (three from 8 hours a week, two from 4,
else one). The week's hours are split evenly over the running steps. Whenever a track frees up,
the most valuable ready step (its prerequisites done) starts, preferring a category no running
step belongs to, so a week mixes, say, Python and statistics. Time is counted in study hours
from the plan's start: study hour ``h`` falls ``7 * h / hours_per_week`` days after the start, so

- ``planned_start = start + floor(7 * start_hour / hours_per_week)`` days;
- ``planned_end = start + ceil(7 * end_hour / hours_per_week) - 1`` days (a zero-hour step ends
  the day it starts).

``start_hour`` and ``end_hour`` are hours of the whole plan (all tracks), so the plan ends at
``total hours / hours_per_week`` weeks unless a chain of prerequisites leaves a track idle.

Milestones (portfolio projects and career steps) are markers: each is placed on the day the last
skill level it builds on is reached (or at the end of the plan when it names none), and adds no
hours: the project is how those levels are practised.
"""

from __future__ import annotations

import dataclasses
import graphlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

SKILL = "skill"
REFRESH = "refresh"
MILESTONE = "milestone"

MAX_STEP_HOURS = 120  # no step is longer: a longer level is split into parts
REFRESH_SHARE = 0.25  # a refresh step takes this share of the step it refreshes
REFRESH_MIN_HOURS = 2
THREE_TRACKS_FROM = 8  # hours a week from which three steps run side by side
TWO_TRACKS_FROM = 4

CYCLE_MESSAGE = "The prerequisites form a cycle: {cycle}."
UNKNOWN_SKILL_MESSAGE = "Skill {skill!r} is needed by the plan but missing from the skills given."
NO_GAP_MESSAGE = (
    "Skill need {skill!r} has no gap: target level {target} is not above current level {current}."
)
DUPLICATE_NEED_MESSAGE = "Skill {skill!r} is needed more than once."
HOURS_PER_WEEK_MESSAGE = "Hours per week must be at least 1, got {hours_per_week}."
DEADLINE_PAST_MESSAGE = "Pick a date after today."


class RoadmapError(ValueError):
    """The inputs cannot make a plan (a prerequisite cycle, a missing skill, bad hours)."""


@dataclass(frozen=True)
class SkillInfo:
    """What the plan needs to know of any skill: its category, the person's level, hours per level."""

    skill: str
    name: str
    category: str
    current_level: int
    hours_to_reach: Mapping[int, int]  # level -> hours from the level below
    anchors: Mapping[int, str] = field(default_factory=dict)  # level -> what that level means


@dataclass(frozen=True)
class SkillNeed:
    """A skill of the person's target they are below: target level and weight (importance)."""

    skill: str
    target_level: int
    weight: float
    required: bool = True


@dataclass(frozen=True)
class Prerequisite:
    """``skill`` requires ``requires`` at ``min_level`` or above."""

    skill: str
    requires: str
    min_level: int


@dataclass(frozen=True)
class Milestone:
    """A portfolio project or career step, placed when the skill levels it builds on are reached."""

    slug: str
    name: str
    after: Mapping[str, int] = field(default_factory=dict)  # skill -> level
    order: int = 0


@dataclass(frozen=True)
class Step:
    """One step of the plan: a skill from one level to the next (or a part of it), or a refresh."""

    key: str
    kind: str  # SKILL | REFRESH
    skill: str
    name: str
    category: str
    from_level: int
    to_level: int
    hours: int
    value: float = 0.0
    part: int = 1
    parts: int = 1
    part_name: str = ""
    requires: tuple[str, ...] = ()  # keys of the steps that must be done first
    added: bool = False  # a prerequisite outside the target
    optional: bool = False  # an optional skill of the target (set aside first under a deadline)
    reason: str = ""  # why a refresh step was added (in English, for the record)
    measured_on: str = ""  # a refresh step: the day (ISO) of the result that put the level out of reach
    measured_level: int | None = None  # a refresh step: the level that result puts the skill at

    @property
    def title(self) -> str:
        """ "Python 1 → 2", "Python 2 → 3 (part 1 of 2)", "Python: refresh level 2"."""
        if self.kind == REFRESH:
            return f"{self.name}: refresh level {self.to_level}"
        base = f"{self.name} {self.from_level} \u2192 {self.to_level}"
        return f"{base} (part {self.part} of {self.parts})" if self.parts > 1 else base


@dataclass(frozen=True)
class PlannedStep:
    """A step placed in study hours and dates."""

    step: Step
    start_hour: float
    end_hour: float
    planned_start: date
    planned_end: date

    @property
    def key(self) -> str:
        return self.step.key


@dataclass(frozen=True)
class PlacedMilestone:
    milestone: Milestone
    on: date


@dataclass(frozen=True)
class Plan:
    steps: tuple[PlannedStep, ...]
    milestones: tuple[PlacedMilestone, ...]
    start: date
    hours_per_week: int

    @property
    def hours(self) -> int:
        return sum(p.step.hours for p in self.steps)

    @property
    def end(self) -> date | None:
        return max((p.planned_end for p in self.steps), default=None)


def step_key(skill: str, to_level: int, part: int = 1, parts: int = 1) -> str:
    """``skill:python:2`` for the step to level 2, ``skill:python:3:1`` for its first part."""
    base = f"{SKILL}:{skill}:{to_level}"
    return f"{base}:{part}" if parts > 1 else base


def milestone_key(slug: str) -> str:
    return f"{MILESTONE}:{slug}"


def refresh_key(skill: str, level: int, tag: str) -> str:
    return f"{REFRESH}:{skill}:{level}:{tag}"


def key_title(key: str, names: Mapping[str, str]) -> str:
    """A step's title from its key alone (``names``: skill or milestone slug -> name).

    Reads every key ever written: ``skill:python`` (a whole-skill step of older plans),
    ``skill:python:2``, ``skill:python:3:1`` (a part), ``refresh:python:2:<tag>``, ``milestone:<slug>``.
    """
    kind, _, rest = key.partition(":")
    slug, *numbers = rest.split(":")
    name = names.get(slug, slug)
    if kind == SKILL and numbers and numbers[0].isdigit():
        level = int(numbers[0])
        title = f"{name} {level - 1} \u2192 {level}"
        return f"{title} (part {numbers[1]})" if len(numbers) > 1 else title
    if kind == REFRESH and numbers and numbers[0].isdigit():
        return f"{name}: refresh level {numbers[0]}"
    return name


def tracks(hours_per_week: int) -> int:
    """How many steps run side by side at this many hours a week."""
    if hours_per_week >= THREE_TRACKS_FROM:
        return 3
    return 2 if hours_per_week >= TWO_TRACKS_FROM else 1


def _check_hours_per_week(hours_per_week: int) -> None:
    if hours_per_week < 1:
        raise RoadmapError(HOURS_PER_WEEK_MESSAGE.format(hours_per_week=hours_per_week))


def part_names(anchor: str, parts: int) -> list[str]:
    """Split a level's anchor into ``parts`` names: by clause (";"), then by phrase (",")."""
    text = anchor.strip().rstrip(".")
    clauses = [c.strip() for c in text.split(";") if c.strip()]
    if len(clauses) < parts:
        clauses = [c.strip() for c in re.split(r"[;,]", text) if c.strip()]
    if not clauses:
        return [f"part {n}" for n in range(1, parts + 1)]
    if len(clauses) < parts:
        return [clauses[(n * len(clauses)) // parts] for n in range(parts)]
    out = []
    for n in range(parts):
        chunk = clauses[(n * len(clauses)) // parts : ((n + 1) * len(clauses)) // parts]
        out.append("; ".join(chunk))
    return [name[0].upper() + name[1:] for name in out]


def split_hours(hours: int, parts: int) -> list[int]:
    """``hours`` in ``parts`` nearly equal whole parts (the first ones take the remainder)."""
    base, extra = divmod(hours, parts)
    return [base + (1 if n < extra else 0) for n in range(parts)]


def level_steps(info: SkillInfo, from_level: int, to_level: int, weight: float) -> list[Step]:
    """The steps of one skill from ``from_level`` to ``to_level``, each level split if too long."""
    steps: list[Step] = []
    previous: str | None = None
    for level in range(from_level + 1, to_level + 1):
        hours = info.hours_to_reach.get(level, 0)
        parts = max(1, math.ceil(hours / MAX_STEP_HOURS))
        names = part_names(info.anchors.get(level, ""), parts) if parts > 1 else [""]
        for part, (part_hours, name) in enumerate(
            zip(split_hours(hours, parts), names, strict=True), start=1
        ):
            key = step_key(info.skill, level, part, parts)
            steps.append(
                Step(
                    key=key,
                    kind=SKILL,
                    skill=info.skill,
                    name=info.name,
                    category=info.category,
                    from_level=level - 1,
                    to_level=level,
                    hours=part_hours,
                    value=weight / max(hours, 1),
                    part=part,
                    parts=parts,
                    part_name=name,
                    requires=(previous,) if previous else (),
                )
            )
            previous = key
    return steps


def build_steps(
    needs: Sequence[SkillNeed],
    skills: Mapping[str, SkillInfo],
    prerequisites: Iterable[Prerequisite],
    done: Iterable[str] = (),
) -> list[Step]:
    """Every step from the person's levels to their target, prerequisites first; ``done`` keys are left out."""
    by_skill: dict[str, SkillNeed] = {}
    for need in needs:
        if need.skill in by_skill:
            raise RoadmapError(DUPLICATE_NEED_MESSAGE.format(skill=need.skill))
        info = _info(skills, need.skill)
        if need.target_level <= info.current_level:
            raise RoadmapError(
                NO_GAP_MESSAGE.format(skill=need.skill, target=need.target_level, current=info.current_level)
            )
        by_skill[need.skill] = need
    requirements: dict[str, list[Prerequisite]] = {}
    for prerequisite in prerequisites:
        requirements.setdefault(prerequisite.skill, []).append(prerequisite)

    # The level each skill climbs to: the target, raised by what other climbs need of it.
    reach = {slug: need.target_level for slug, need in by_skill.items()}
    pending = sorted(reach)
    while pending:
        slug = pending.pop()
        for prerequisite in requirements.get(slug, ()):
            needed = min(prerequisite.min_level, reach[slug])
            other = prerequisite.requires
            if _info(skills, other).current_level >= needed or reach.get(other, 0) >= needed:
                continue
            reach[other] = needed
            pending.append(other)
    _check_cycles(reach, requirements, skills)

    steps: dict[str, Step] = {}
    last_of_level: dict[tuple[str, int], str] = {}
    for slug, level in sorted(reach.items()):
        info = _info(skills, slug)
        wanted = by_skill.get(slug)
        weight = wanted.weight if wanted else 0.0
        for step in level_steps(info, info.current_level, level, weight):
            target = wanted.target_level if wanted else 0
            steps[step.key] = dataclasses.replace(
                step, added=step.to_level > target, optional=bool(wanted and not wanted.required)
            )
            last_of_level[(slug, step.to_level)] = step.key
    for key, step in list(steps.items()):
        if step.part > 1:
            continue
        extra = []
        for prerequisite in requirements.get(step.skill, ()):
            needed = min(prerequisite.min_level, step.to_level)
            if _info(skills, prerequisite.requires).current_level >= needed:
                continue
            extra.append(last_of_level[(prerequisite.requires, needed)])
        steps[key] = dataclasses.replace(step, requires=tuple(sorted({*step.requires, *extra})))
    _inherit_value(steps)
    closed = set(done)
    return [
        dataclasses.replace(s, requires=tuple(r for r in s.requires if r not in closed))
        for s in steps.values()
        if s.key not in closed
    ]


def _info(skills: Mapping[str, SkillInfo], slug: str) -> SkillInfo:
    info = skills.get(slug)
    if info is None:
        raise RoadmapError(UNKNOWN_SKILL_MESSAGE.format(skill=slug))
    return info


def _check_cycles(
    reach: Mapping[str, int], requirements: Mapping[str, list[Prerequisite]], skills: Mapping[str, SkillInfo]
) -> None:
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for slug in sorted(reach):
        needed = [
            p.requires
            for p in requirements.get(slug, ())
            if _info(skills, p.requires).current_level < min(p.min_level, reach[slug])
        ]
        sorter.add(slug, *sorted(needed))
    try:
        sorter.prepare()
    except graphlib.CycleError as error:
        raise RoadmapError(CYCLE_MESSAGE.format(cycle=_describe_cycle(error.args[1]))) from error


def _describe_cycle(cycle: list[str]) -> str:
    """'a requires c, which requires b, which requires a', starting from the smallest slug."""
    nodes = list(reversed(cycle[:-1]))
    first = nodes.index(min(nodes))
    chain = [*nodes[first:], *nodes[:first], nodes[first]]
    return f"{chain[0]} requires {chain[1]}" + "".join(f", which requires {slug}" for slug in chain[2:])


def _inherit_value(steps: dict[str, Step]) -> None:
    """A step is worth at least as much as the most valuable step that needs it (transitively)."""
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for key, step in steps.items():
        sorter.add(key, *step.requires)
    dependants: dict[str, list[str]] = {key: [] for key in steps}
    for key, step in steps.items():
        for required in step.requires:
            dependants[required].append(key)
    for key in reversed(list(sorter.static_order())):
        best = max((steps[d].value for d in dependants[key]), default=0.0)
        if best > steps[key].value:
            steps[key] = dataclasses.replace(steps[key], value=best)


def schedule(
    steps: Sequence[Step], hours_per_week: int, start: date, lanes: int | None = None
) -> list[PlannedStep]:
    """Run the steps side by side on ``lanes`` tracks, best ready step first, and date them."""
    _check_hours_per_week(hours_per_week)
    lanes = lanes or tracks(hours_per_week)
    by_key = {s.key: s for s in steps}
    waiting = {s.key: {r for r in s.requires if r in by_key} for s in steps}
    order = {s.key: n for n, s in enumerate(steps)}
    running: dict[str, float] = {}  # key -> hours left
    started: dict[str, float] = {}
    placed: list[PlannedStep] = []
    clock = 0.0  # study hours spent on the whole plan

    def pick() -> None:
        while len(running) < lanes:
            ready = [k for k, w in waiting.items() if not w]
            if not ready:
                return
            busy = {by_key[k].category for k in running}
            best = min(
                ready,
                key=lambda k: (by_key[k].category in busy, -by_key[k].value, order[k]),
            )
            del waiting[best]
            running[best] = float(by_key[best].hours)
            started[best] = clock

    pick()
    while running:
        share = len(running)
        key = min(running, key=lambda k: (running[k], order[k]))
        spent = running[key]
        clock += spent * share
        for other in running:
            running[other] -= spent
        finished = [k for k, left in running.items() if left <= 1e-9]
        for done in sorted(finished, key=order.__getitem__):
            del running[done]
            placed.append(_timed(by_key[done], started[done], clock, hours_per_week, start))
            for w in waiting.values():
                w.discard(done)
        pick()
    if waiting:  # unreachable: build_steps refuses cycles
        raise RoadmapError(CYCLE_MESSAGE.format(cycle=", ".join(sorted(waiting))))
    placed.sort(key=lambda p: (p.start_hour, order[p.key]))
    return placed


def _timed(step: Step, start_hour: float, end_hour: float, hours_per_week: int, start: date) -> PlannedStep:
    first_day = math.floor(7 * start_hour / hours_per_week + 1e-9)
    last_day = math.ceil(7 * end_hour / hours_per_week - 1e-9) - 1 if step.hours > 0 else first_day
    return PlannedStep(
        step=step,
        start_hour=start_hour,
        end_hour=end_hour,
        planned_start=start + timedelta(days=first_day),
        planned_end=start + timedelta(days=max(first_day, last_day)),
    )


def place_milestones(
    milestones: Iterable[Milestone], steps: Sequence[PlannedStep], start: date
) -> list[PlacedMilestone]:
    """Each milestone on the day its last skill level is reached (or the plan's end)."""
    reached: dict[tuple[str, int], date] = {}
    for p in steps:
        if p.step.kind == SKILL:
            slot = (p.step.skill, p.step.to_level)
            reached[slot] = max(reached.get(slot, p.planned_end), p.planned_end)
    end = max((p.planned_end for p in steps), default=start)
    placed = []
    for milestone in milestones:
        days = [
            reached[(skill, level)] for skill, level in milestone.after.items() if (skill, level) in reached
        ]
        # With no level left to reach: today if it builds on levels already reached, else the plan's end.
        fallback = start if milestone.after else end
        placed.append(PlacedMilestone(milestone, max(days) if days else fallback))
    placed.sort(key=lambda m: (m.on, m.milestone.order, m.milestone.slug))
    return placed


def build_plan(
    needs: Sequence[SkillNeed],
    skills: Mapping[str, SkillInfo],
    prerequisites: Iterable[Prerequisite],
    milestones: Iterable[Milestone],
    hours_per_week: int,
    start: date,
    done: Iterable[str] = (),
    extra: Sequence[Step] = (),
) -> Plan:
    """The person's plan: level steps (minus ``done``), plus ``extra`` (refresh steps), scheduled and dated."""
    _check_hours_per_week(hours_per_week)
    steps = [*extra, *build_steps(needs, skills, prerequisites, done)]
    timed = schedule(steps, hours_per_week, start)
    return Plan(tuple(timed), tuple(place_milestones(milestones, timed, start)), start, hours_per_week)


def refresh_step(
    skill: SkillInfo, level: int, hours: int, tag: str, reason: str, measured_on: str = ""
) -> Step:
    """A short step to win back a level a new result put out of reach, after a step that reached it."""
    return Step(
        key=refresh_key(skill.skill, level, tag),
        kind=REFRESH,
        skill=skill.skill,
        name=skill.name,
        category=skill.category,
        from_level=level - 1,
        to_level=level,
        hours=max(REFRESH_MIN_HOURS, min(MAX_STEP_HOURS, math.ceil(hours * REFRESH_SHARE))),
        value=math.inf,
        reason=reason,
        measured_on=measured_on,
        measured_level=skill.current_level,
    )


@dataclass(frozen=True)
class WeekItem:
    step: Step
    hours: float


def this_week(open_steps: Sequence[Step], hours_per_week: int) -> list[WeekItem]:
    """What to do this week: the first open steps (up to the tracks), the week's hours split over them.

    ``open_steps`` come in plan order (not done, not skipped). A step needing fewer hours than its
    share gets what it needs and the rest goes to the others. Never empty while a step is open.
    """
    _check_hours_per_week(hours_per_week)
    chosen = list(open_steps[: tracks(hours_per_week)])
    hours: dict[str, float] = {s.key: 0.0 for s in chosen}
    left = float(hours_per_week)
    hungry = [s for s in chosen if s.hours > 0]
    while left > 1e-9 and hungry:
        share = left / len(hungry)
        for s in list(hungry):
            give = min(share, s.hours - hours[s.key])
            hours[s.key] += give
            left -= give
            if s.hours - hours[s.key] <= 1e-9:
                hungry.remove(s)
    return [WeekItem(s, round(hours[s.key], 1)) for s in chosen]


@dataclass(frozen=True)
class Deadline:
    """What "ready by <date>" takes: hours a week needed, and what to set aside to make it."""

    ready_by: date
    weeks: float
    hours_needed: int  # hours a week for the whole plan
    fits: bool  # the person's hours make it as the plan stands
    set_aside: tuple[str, ...]  # optional skills to set aside (names), least valuable per hour first
    hours_after: int  # hours a week needed once those are set aside
    fits_after: bool


def deadline(steps: Sequence[Step], hours_per_week: int, today: date, ready_by: date) -> Deadline:
    """Hours a week to finish the open ``steps`` by ``ready_by``, and optional skills to set aside."""
    _check_hours_per_week(hours_per_week)
    if ready_by <= today:
        raise RoadmapError(DEADLINE_PAST_MESSAGE)
    weeks = (ready_by - today).days / 7
    total = sum(s.hours for s in steps)
    needed = math.ceil(total / weeks)
    optional: dict[str, tuple[str, int, float]] = {}
    for s in steps:
        if s.optional:
            name, hours, value = optional.get(s.skill, (s.name, 0, s.value))
            optional[s.skill] = (name, hours + s.hours, min(value, s.value))
    aside: list[str] = []
    remaining = total
    for _slug, (name, hours, _value) in sorted(optional.items(), key=lambda kv: (kv[1][2], kv[0])):
        if remaining <= hours_per_week * weeks:
            break
        aside.append(name)
        remaining -= hours
    after = math.ceil(remaining / weeks)
    return Deadline(
        ready_by=ready_by,
        weeks=weeks,
        hours_needed=needed,
        fits=needed <= hours_per_week,
        set_aside=tuple(aside),
        hours_after=after,
        fits_after=after <= hours_per_week,
    )


def week_number(day: date, start: date) -> int:
    """The 1-based week of a plan starting on ``start`` that ``day`` falls in."""
    return (day - start).days // 7 + 1
