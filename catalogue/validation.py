"""The catalogue's rules, as plain functions over plain data (no ORM).

The rules live in :func:`validate`, a plain function over :class:`CatalogueData`, so the loader,
the management commands, the admin and the system check all apply the same rules:

* **integrity** problems (prerequisite cycles, levels and weights out of range, a question
  without exactly one correct choice, fewer than five anchors ...) make a catalogue unusable:
  they block loading and saving;
* **completeness** problems (a published skill without a question per level, without two
  resources or a free one, without a role target, with copied anchors or placeholder URLs)
  block publishing the skill, and show under the admin's "needs attention" filter.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from urllib.parse import urlparse

from .question_rules import MSG_CODE_OUTSIDE_FENCE, text_problems
from .targets import TargetRow, group_problems
from .vocab import MAX_LEVEL, MIN_CHECK_LEVEL, MIN_LEVEL

INTEGRITY = "integrity"
COMPLETENESS = "completeness"

PLACEHOLDER_HOSTS = {"example.com", "example.org", "example.net", "localhost", "127.0.0.1", "0.0.0.0"}
PLACEHOLDER_SUFFIXES = (".example", ".test", ".invalid", ".localhost", ".example.com", ".example.org")

MSG_CYCLE = "prerequisite cycle: {cycle}"
MSG_ANCHORS = "needs exactly five level anchors (levels 0-4); has levels {levels}"
MSG_ANCHOR_HOURS_ZERO = "level 0 anchor must have hours_to_reach 0"
MSG_ANCHOR_HOURS_POSITIVE = "level {level} anchor needs hours_to_reach above 0"
MSG_LEVEL_RANGE = "{what} level {level} is outside {low}-{high}"
MSG_WEIGHT_RANGE = "target weight {weight} for role {role!r} is outside 1-5"
MSG_ONE_CORRECT = "question {key!r} needs exactly one correct choice; has {count}"
MSG_TWO_CHOICES = "question {key!r} needs at least two choices; has {count}"
MSG_QUESTION_PER_LEVEL = "published skill needs an active question at level {level}"
MSG_TWO_RESOURCES = "published skill needs at least two resources; has {count}"
MSG_FREE_RESOURCE = "published skill needs at least one free resource"
MSG_NO_TARGET = "published skill has no role target"
MSG_COPIED_ANCHOR = "level {level} anchor is a copy of {other!r}'s with the name swapped"
MSG_BAD_URL = "resource URL {url!r} must be https on a real host"
MSG_HISTORICAL_TARGET = "a historical skill is in no target; it is in {targets}"
MSG_TARGET_PREREQUISITE = (
    "at level {level} it needs {requires!r} at level {needed}, above the {target} this target holds it at"
)
MSG_MILESTONE_SKILL = "builds on {skill!r}, which is not a skill of the catalogue"
MSG_MILESTONE_LEVEL = "builds on {skill!r} at level {level}, outside 1-4"


@dataclass(frozen=True)
class Problem:
    severity: str  # INTEGRITY or COMPLETENESS
    obj: str  # e.g. "skill python", "question python-l1-a"
    rule: str
    skill: str = ""  # slug of the skill the problem belongs to, if any

    def __str__(self) -> str:
        return f"{self.severity}: {self.obj}: {self.rule}"


@dataclass
class QuestionData:
    key: str
    level: int
    active: bool
    correct_count: int
    choice_count: int
    # The prompt, the explanation and the choices: Markdown a learner reads.
    texts: tuple[str, ...] = ()


@dataclass
class SkillData:
    slug: str
    name: str
    is_published: bool
    anchors: dict[int, tuple[str, int]] = field(default_factory=dict)  # level -> (text, hours)
    questions: list[QuestionData] = field(default_factory=list)
    resources: list[tuple[str, bool, int]] = field(default_factory=list)  # (url, is_free, level)
    targets: list[tuple[str, int, int]] = field(default_factory=list)  # (role:seniority, level, weight)
    is_historical: bool = False


@dataclass
class CatalogueData:
    skills: dict[str, SkillData]
    prerequisites: list[tuple[str, str, int]]  # (skill, requires, min_level)
    # Each role target ("role:seniority") with its rows, for the rules on groups of alternatives.
    targets: dict[str, list[TargetRow]] = field(default_factory=dict)
    # Each milestone's slug with the skill levels it builds on.
    milestones: dict[str, dict[str, int]] = field(default_factory=dict)


# --- validation (pure) -------------------------------------------------------------------


def _normalised(text: str, name: str) -> str:
    text = re.sub(re.escape(name), "<skill>", text, flags=re.IGNORECASE)
    return re.sub(r"\W+", " ", text).strip().lower()


def _bad_url(url: str) -> bool:
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower()
    return (
        parsed.scheme != "https"
        or not host
        or "." not in host
        or host in PLACEHOLDER_HOSTS
        or host.endswith(PLACEHOLDER_SUFFIXES)
    )


def skill_problems(skill: SkillData, all_skills: dict[str, SkillData]) -> list[Problem]:
    """Every problem of one skill (cycles are a whole-catalogue matter: see graph_problems)."""
    problems: list[Problem] = []
    obj = f"skill {skill.slug}"

    def add(severity: str, rule: str, what: str = obj) -> None:
        problems.append(Problem(severity, what, rule, skill.slug))

    levels = sorted(skill.anchors)
    if levels != [0, 1, 2, 3, 4]:
        add(INTEGRITY, MSG_ANCHORS.format(levels=levels))
    for level, (_text, hours) in skill.anchors.items():
        if level == 0 and hours != 0:
            add(INTEGRITY, MSG_ANCHOR_HOURS_ZERO)
        elif level > 0 and hours <= 0:
            add(INTEGRITY, MSG_ANCHOR_HOURS_POSITIVE.format(level=level))
    for question in skill.questions:
        what = f"question {question.key}"
        if not MIN_CHECK_LEVEL <= question.level <= MAX_LEVEL:
            add(INTEGRITY, MSG_LEVEL_RANGE.format(what="question", level=question.level, low=1, high=4), what)
        if question.choice_count < 2:
            add(INTEGRITY, MSG_TWO_CHOICES.format(key=question.key, count=question.choice_count), what)
        if question.correct_count != 1:
            add(INTEGRITY, MSG_ONE_CORRECT.format(key=question.key, count=question.correct_count), what)
        # A Python block that does not parse, or an unclosed fence, is refused; a code-like line
        # outside a fence is flagged (it would be shown flattened as prose).
        outside = MSG_CODE_OUTSIDE_FENCE.split("{", 1)[0]
        for text in question.texts:
            for problem in text_problems(text):
                add(COMPLETENESS if problem.startswith(outside) else INTEGRITY, problem, what)
    for role, level, weight in skill.targets:
        if not MIN_LEVEL <= level <= MAX_LEVEL:
            add(
                INTEGRITY,
                MSG_LEVEL_RANGE.format(what=f"target for role {role!r}", level=level, low=0, high=4),
            )
        if not 1 <= weight <= 5:
            add(INTEGRITY, MSG_WEIGHT_RANGE.format(weight=weight, role=role))
    for url, _free, level in skill.resources:
        if not MIN_CHECK_LEVEL <= level <= MAX_LEVEL:
            add(INTEGRITY, MSG_LEVEL_RANGE.format(what=f"resource {url!r}", level=level, low=1, high=4))

    if skill.is_historical:
        # History in the open catalogue: never assessed, so it needs no questions, and no target.
        if skill.targets:
            add(
                INTEGRITY,
                MSG_HISTORICAL_TARGET.format(targets=", ".join(sorted(t for t, _l, _w in skill.targets))),
            )
        return problems

    # Completeness: what a skill needs before learners see it.
    active_levels = {q.level for q in skill.questions if q.active}
    for level in range(MIN_CHECK_LEVEL, MAX_LEVEL + 1):
        if level not in active_levels:
            add(COMPLETENESS, MSG_QUESTION_PER_LEVEL.format(level=level))
    if len(skill.resources) < 2:
        add(COMPLETENESS, MSG_TWO_RESOURCES.format(count=len(skill.resources)))
    if not any(free for _url, free, _level in skill.resources):
        add(COMPLETENESS, MSG_FREE_RESOURCE)
    for url, _free, _level in skill.resources:
        if _bad_url(url):
            add(COMPLETENESS, MSG_BAD_URL.format(url=url))
    if not skill.targets:
        add(COMPLETENESS, MSG_NO_TARGET)
    for level, (text, _hours) in skill.anchors.items():
        mine = _normalised(text, skill.name)
        if level == 0 or len(mine) < 12:
            continue
        for other in all_skills.values():
            if other.slug == skill.slug or level not in other.anchors:
                continue
            if _normalised(other.anchors[level][0], other.name) == mine:
                add(COMPLETENESS, MSG_COPIED_ANCHOR.format(level=level, other=other.slug))
                break
    return problems


def graph_problems(prerequisites: list[tuple[str, str, int]]) -> list[Problem]:
    """Prerequisite cycles and out-of-range minimum levels."""
    problems = []
    graph: dict[str, set[str]] = defaultdict(set)
    for skill, requires, min_level in prerequisites:
        graph[skill].add(requires)
        if not MIN_LEVEL <= min_level <= MAX_LEVEL:
            rule = MSG_LEVEL_RANGE.format(what="prerequisite minimum", level=min_level, low=0, high=4)
            problems.append(Problem(INTEGRITY, f"prerequisite {skill} -> {requires}", rule, skill))
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        cycle = error.args[1]
        problems.append(
            Problem(INTEGRITY, f"skill {cycle[0]}", MSG_CYCLE.format(cycle=" -> ".join(cycle)), cycle[0])
        )
    return problems


def target_problems(targets: dict[str, list[TargetRow]]) -> list[Problem]:
    """Groups of alternatives that are not real choices (one member, or required and optional mixed)."""
    return [
        Problem(INTEGRITY, f"target {key}", rule)
        for key, rows in sorted(targets.items())
        for rule in group_problems(rows)
    ]


def target_prerequisite_problems(
    targets: dict[str, list[TargetRow]], prerequisites: list[tuple[str, str, int]]
) -> list[Problem]:
    """A target that holds a skill below what another of its skills needs of it at its target level.

    The plan would then add hours the target's total does not count. A skill in a group of
    alternatives is left out: the plan takes the prerequisite as met by the alternative picked.
    """
    problems = []
    for key, rows in sorted(targets.items()):
        by_skill = {r.skill: r for r in rows}
        for skill, requires, min_level in prerequisites:
            row, other = by_skill.get(skill), by_skill.get(requires)
            if row is None or other is None or other.group or row.level == 0:
                continue
            needed = min(min_level, row.level)
            if other.level < needed:
                rule = MSG_TARGET_PREREQUISITE.format(
                    level=row.level, requires=requires, needed=needed, target=other.level
                )
                problems.append(Problem(COMPLETENESS, f"target {key}: {skill}", rule, skill=skill))
    return problems


def milestone_problems(milestones: dict[str, dict[str, int]], skills: dict[str, SkillData]) -> list[Problem]:
    """Milestones that build on a skill the catalogue lacks, or on a level outside 1-4."""
    problems = []
    for slug, after in sorted(milestones.items()):
        for skill, level in sorted(after.items()):
            if skill not in skills:
                problems.append(
                    Problem(INTEGRITY, f"milestone {slug}", MSG_MILESTONE_SKILL.format(skill=skill))
                )
            elif not isinstance(level, int) or not 1 <= level <= 4:
                problems.append(
                    Problem(
                        INTEGRITY, f"milestone {slug}", MSG_MILESTONE_LEVEL.format(skill=skill, level=level)
                    )
                )
    return problems


def validate(catalogue: CatalogueData) -> list[Problem]:
    """Every problem in the catalogue, integrity first, in a stable order."""
    problems = graph_problems(catalogue.prerequisites) + target_problems(catalogue.targets)
    problems += milestone_problems(catalogue.milestones, catalogue.skills)
    problems += target_prerequisite_problems(catalogue.targets, catalogue.prerequisites)
    for slug in sorted(catalogue.skills):
        problems.extend(skill_problems(catalogue.skills[slug], catalogue.skills))
    return sorted(problems, key=lambda p: (p.severity != INTEGRITY, p.obj, p.rule))


def blocking(problems: list[Problem], published: set[str]) -> list[Problem]:
    """The problems that must stop a save: integrity ones, and completeness ones of published skills."""
    return [p for p in problems if p.severity == INTEGRITY or p.skill in published]


def content_hash(rows: list[tuple[object, ...]]) -> str:
    """A stable SHA-256 over the catalogue's rows."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def question_hash(prompt: str, choices: list[tuple[str, str]]) -> str:
    """A short content hash of a question as a learner sees it: prompt and labelled choices."""
    text = prompt.strip() + "\n" + "\n".join(f"{label}. {body.strip()}" for label, body in sorted(choices))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
