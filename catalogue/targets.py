"""A person's target: which skills a role needs at a seniority, after the person's choices.

Pure: the catalogue's rows for one role and seniority come in as :class:`TargetRow`, the person's
choices as :class:`Choices`, and out comes the target they work towards.

* A **required** skill is always in the target; an **optional** one unless the person sets it
  aside.
* Skills that share a **group** are alternatives ("one of: PyTorch, TensorFlow / Keras"): the
  target holds the one the person picked, or the group's default (its heaviest skill, then the
  first by name) when they picked none. An optional group is dropped when its picked skill is set
  aside. All rows of a group share ``required``.
* Skills the person **adds** are assessed too, but a target's readiness counts only its own skills.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .vocab import Seniority

MSG_TWO_PICKS = "Pick one skill of the group {group!r}, not {count}."
MSG_REQUIRED_SET_ASIDE = "{skill!r} is required for this target and cannot be set aside."
MSG_UNKNOWN_PICK = "{skill!r} is not one of the alternatives of this target."
MSG_GROUP_REQUIRED_MIXED = "group {group!r} mixes required and optional skills; all must agree"
MSG_GROUP_ALONE = "group {group!r} has only one skill; alternatives need at least two"


@dataclass(frozen=True)
class TargetRow:
    """One skill of a role's target at one seniority, as the catalogue holds it."""

    skill: str
    level: int
    weight: int
    required: bool = True
    group: str = ""


@dataclass(frozen=True)
class Choices:
    """What a person decided about a target: picks in groups, optional skills set aside, additions."""

    chosen: frozenset[str] = field(default_factory=frozenset)
    set_aside: frozenset[str] = field(default_factory=frozenset)
    added: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class TargetKey:
    """A role at a seniority, e.g. ``machine-learning-engineer:entry``."""

    role: str
    seniority: str

    def __str__(self) -> str:
        return f"{self.role}:{self.seniority}"

    @classmethod
    def parse(cls, key: str) -> TargetKey:
        """``role:seniority``; a bare role slug (results before seniorities) has seniority ''."""
        role, _, seniority = key.partition(":")
        return cls(role, seniority)

    @property
    def seniority_label(self) -> str:
        return str(Seniority(self.seniority).label) if self.seniority in Seniority.values else ""


def groups(rows: Iterable[TargetRow]) -> dict[str, list[TargetRow]]:
    """The target's groups of alternatives, each with its skills (default first)."""
    grouped: dict[str, list[TargetRow]] = {}
    for row in rows:
        if row.group:
            grouped.setdefault(row.group, []).append(row)
    return {
        name: sorted(members, key=lambda r: (-r.weight, r.skill)) for name, members in sorted(grouped.items())
    }


def picked(rows: Iterable[TargetRow], choices: Choices) -> dict[str, str]:
    """The skill in force in each group: the person's pick, else the group's default."""
    result = {}
    for name, members in groups(rows).items():
        picks = [r.skill for r in members if r.skill in choices.chosen]
        result[name] = picks[0] if picks else members[0].skill
    return result


def resolve(rows: Iterable[TargetRow], choices: Choices) -> dict[str, TargetRow]:
    """The skills of the person's target, by slug, after their choices."""
    rows = list(rows)
    in_force = picked(rows, choices)
    target = {}
    for row in rows:
        if row.group and in_force[row.group] != row.skill:
            continue
        if not row.required and row.skill in choices.set_aside:
            continue
        target[row.skill] = row
    return target


def assessed_skills(rows: Iterable[TargetRow], choices: Choices) -> set[str]:
    """What an assessment for this target asks about: the target's skills and the person's additions."""
    return {slug for slug, row in resolve(rows, choices).items() if row.level > 0} | set(choices.added)


def choice_problems(rows: Iterable[TargetRow], choices: Choices) -> list[str]:
    """Why a person's choices do not fit a target (empty when they do)."""
    rows = list(rows)
    problems = []
    by_skill = {r.skill: r for r in rows}
    for name, members in groups(rows).items():
        picks = [r.skill for r in members if r.skill in choices.chosen]
        if len(picks) > 1:
            problems.append(MSG_TWO_PICKS.format(group=name, count=len(picks)))
    grouped = {r.skill for r in rows if r.group}
    problems += [
        MSG_UNKNOWN_PICK.format(skill=slug) for slug in sorted(choices.chosen - grouped) if slug in by_skill
    ]
    problems += [
        MSG_REQUIRED_SET_ASIDE.format(skill=slug)
        for slug in sorted(choices.set_aside)
        if slug in by_skill and by_skill[slug].required
    ]
    return problems


def group_problems(rows: Iterable[TargetRow]) -> list[str]:
    """Catalogue rules for the groups of one target."""
    problems = []
    for name, members in groups(rows).items():
        if len({r.required for r in members}) > 1:
            problems.append(MSG_GROUP_REQUIRED_MIXED.format(group=name))
        if len(members) < 2:
            problems.append(MSG_GROUP_ALONE.format(group=name))
    return problems


def hours_from_zero(target: Mapping[str, TargetRow], hours: Mapping[str, Mapping[int, int]]) -> int:
    """Study hours from level 0 to every target level (the sum of each level's hours to reach)."""
    return sum(
        hours.get(slug, {}).get(level, 0) for slug, row in target.items() for level in range(1, row.level + 1)
    )
