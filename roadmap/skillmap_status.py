"""Where a person stands on each skill of the skill map, from their plan, their result and their target.

:func:`statuses` is pure: plan rows in plan order, the skills set aside and the assessed levels in,
one :class:`~catalogue.skillmap.NodeStatus` per skill out. The rules, per skill:

* set aside in the person's target: **set aside**;
* every plan step done, or no open step left and the level reached meets the plan's target for it:
  **done**;
* a step in progress, or some steps done while others are open: **in progress**;
* an open step among the first ``NEXT_STEPS`` open skill steps of the plan: **next**;
* any other open step: **later**;
* steps only skipped (none open, the target not met): **set aside**, as the person put it aside;
* not in the plan: no status, only the assessed level.

A plan may hold one step per skill or one per level (each with its own ``from_level`` and
``to_level``): the skill's target is the highest ``to_level`` of its steps, and the level reached is
the highest of the assessed level and the ``to_level`` of the steps done.

:func:`map_statuses` reads the person's own plan, latest result and target choices (four queries,
whatever the size of the catalogue or the plan; a result's levels are read from its snapshot once per
process, as a result never changes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import OuterRef, Subquery

from accounts.models import Profile
from assessments import selectors as assessment_selectors
from catalogue import caching, compiled
from catalogue import selectors as catalogue_selectors
from catalogue.skillmap import NodeStatus, Status

from .models import RoadmapStep, StepProgress, StepStatus

if TYPE_CHECKING:
    from accounts.models import User
    from assessments.models import Result

NEXT_STEPS = 3
OPEN = frozenset({"todo", "in_progress"})


class _Details(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def slug(self) -> str: ...
    @property
    def to_level(self) -> int | None: ...


class _Step(Protocol):
    @property
    def details(self) -> _Details: ...


class PlanRowLike(Protocol):
    """A plan row as :func:`roadmap.selectors.plan_rows` gives it: a step and the person's status on it."""

    @property
    def step(self) -> _Step: ...
    @property
    def status(self) -> str: ...


@dataclass
class _Skill:
    statuses: list[str] = field(default_factory=list)
    target: int = 0
    reached: int = 0


def statuses(
    rows: Sequence[PlanRowLike], set_aside: Iterable[str], levels: Mapping[str, int]
) -> dict[str, NodeStatus]:
    """Each skill's status and level reached (see the module docstring for the rules)."""
    skills: dict[str, _Skill] = {}
    next_up: set[str] = set()
    open_seen = 0
    for row in rows:
        details = row.step.details
        if details.kind != "skill":
            continue
        skill = skills.setdefault(details.slug, _Skill())
        skill.statuses.append(row.status)
        skill.target = max(skill.target, details.to_level or 0)
        if row.status == "done":
            skill.reached = max(skill.reached, details.to_level or 0)
        if row.status in OPEN:
            if open_seen < NEXT_STEPS:
                next_up.add(details.slug)
            open_seen += 1

    result = {slug: NodeStatus(None, level) for slug, level in levels.items()}
    for slug, skill in skills.items():
        level = max(levels.get(slug, 0), skill.reached)
        has_open = any(status in OPEN for status in skill.statuses)
        has_done = "done" in skill.statuses
        status: Status
        if not has_open and (all(status == "done" for status in skill.statuses) or level >= skill.target):
            status = "done"
        elif "in_progress" in skill.statuses or (has_done and has_open):
            status = "in_progress"
        elif slug in next_up:
            status = "next"
        elif has_open:
            status = "later"
        else:
            status = "set_aside"
        result[slug] = NodeStatus(status, level)
    for slug in set_aside:
        result[slug] = NodeStatus("set_aside", levels.get(slug))
    return result


# Assessed levels by result (id, time written): a result never changes, so its snapshot is read
# once per process, not on every view of the map.
_LEVELS: dict[tuple[int, datetime], dict[str, int]] = {}
LEVELS_KEPT = 1024


@dataclass(frozen=True)
class _StoredDetails:
    kind: str
    slug: str
    to_level: int | None


@dataclass(frozen=True)
class _StoredStep:
    details: _StoredDetails


@dataclass(frozen=True)
class _StoredRow:
    step: _StoredStep
    status: str


def _plan_read(user: User) -> compiled.Read[list[_StoredRow]]:
    """The person's plan steps as the rules need them, in plan order: one query compiled once per
    process, the three fields of a step's details read by the database (not the whole JSON in
    Python), its status beside it, and the catalogue's version (kept for the request)."""
    return compiled.then(compiled.tuples(_plan_query(), {compiled.SOME_USER: user.pk}), _stored_rows)


def _stored_rows(found: list[tuple[Any, ...]]) -> list[_StoredRow]:
    if found:  # the catalogue's version came with it
        catalogue_selectors.catalogue_version_read(found[0][-1])
    return [
        _StoredRow(_StoredStep(_StoredDetails(kind, slug, to_level)), status or StepStatus.TODO)
        for _key, kind, slug, to_level, status, _version in found
    ]


@cache
def _plan_query() -> compiled.CompiledQuery:
    status = StepProgress.objects.filter(user_id=OuterRef("user_id"), key=OuterRef("key")).values("status")[
        :1
    ]
    return compiled.CompiledQuery.of_values(
        RoadmapStep.objects.filter(user_id=compiled.SOME_USER)
        .order_by("position")
        .annotate(status=Subquery(status), version=catalogue_selectors.catalogue_version_subquery())
        .values_list(
            "key", "details_json__kind", "details_json__slug", "details_json__to_level", "status", "version"
        )
    )


def _set_aside_read(user: User) -> compiled.Read[list[str]]:
    """The slugs of the skills the person set aside (one query, compiled once per process)."""
    return compiled.then(
        compiled.tuples(_set_aside_query(), {compiled.SOME_USER: user.pk}),
        lambda found: [slug for (slug,) in found],
    )


@cache
def _set_aside_query() -> compiled.CompiledQuery:
    through = Profile.set_aside_skills.through._default_manager
    return compiled.CompiledQuery.of_values(
        through.filter(profile__user_id=compiled.SOME_USER).values_list("skill__slug")
    )


def _assessed_levels(result: Result) -> dict[str, int]:
    return caching.kept(
        _LEVELS,
        (result.pk, result.created_at),
        lambda: assessment_selectors.result_get(pk=result.pk).snapshot.assessed_levels(),
        LEVELS_KEPT,
    )


def map_statuses(user: User) -> dict[str, NodeStatus] | None:
    """The person's own statuses on the skill map; None before their first result and plan."""
    # Its three reads, in one round trip on PostgreSQL.
    rows, result, set_aside = compiled.run_together(
        _plan_read(user), assessment_selectors.latest_result_read(user=user), _set_aside_read(user)
    )
    if not rows and result is None:
        return None
    levels = _assessed_levels(result) if result is not None else {}
    return statuses(rows, set_aside, levels)
