"""What a stored plan step shows: typed, versioned, readable in every stored version.

A step is rebuilt from the catalogue when the plan is built, then kept as JSON in
``RoadmapStep.details_json`` so the page, the exports and the data download read it without
touching the catalogue. :meth:`StepDetails.from_json` reads every version ever written and
:meth:`StepDetails.to_json` writes the current one (:data:`SCHEMA_VERSION`).

Versions:

* 1 (no ``schema_version`` key): the fields below, resources as dicts.
* 2: the same fields and a ``schema_version``.
* 3: level-by-level steps: ``title``, ``part``, ``parts``, ``part_name`` (a long level split in
  named parts), ``category``, ``reason`` (why a refresh step was added) and ``optional``. Later
  within 3, so the reason can be worded in the reader's language (``reason`` keeps the English):
  ``measured_on`` and ``measured_level`` (a refresh step's result day and level) and ``builds_on``
  (a milestone's skill names and levels); details stored before them show ``reason`` as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 3

UNSUPPORTED_VERSION = (
    "Step details of schema version {version!r} cannot be read (this code reads 1 to {latest})."
)


@dataclass(frozen=True)
class ResourceRef:
    """A resource to study with, as the catalogue described it when the plan was built."""

    title: str
    url: str
    type: str
    free: bool
    hours: int
    level: int

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "url": self.url,
            "type": self.type,
            "free": self.free,
            "hours": self.hours,
            "level": self.level,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ResourceRef:
        return cls(
            title=data["title"],
            url=data["url"],
            type=data["type"],
            free=data["free"],
            hours=data["hours"],
            level=data["level"],
        )


@dataclass(frozen=True)
class StepDetails:
    """A skill step (``from_level`` -> ``to_level``) or a career milestone step."""

    kind: str
    slug: str
    name: str
    phase: str
    from_level: int | None
    to_level: int | None
    priority: float
    requires: tuple[str, ...]
    added: bool
    goal: str
    resources: tuple[ResourceRef, ...]
    title: str = ""
    part: int = 1
    parts: int = 1
    part_name: str = ""
    category: str = ""
    reason: str = ""
    optional: bool = False  # an optional skill of the target
    measured_on: str = ""  # a refresh step: the day (ISO) of the result that called for it
    measured_level: int | None = None  # a refresh step: the level that result found
    builds_on: tuple[tuple[str, int], ...] = ()  # a milestone: (skill name, level) it builds on
    schema_version: int = field(default=SCHEMA_VERSION)

    @property
    def heading(self) -> str:
        """The step's title as shown: "Python 1 → 2", or the name of older (whole-skill) steps."""
        return self.title or self.name

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": self.kind,
            "slug": self.slug,
            "name": self.name,
            "phase": self.phase,
            "from_level": self.from_level,
            "to_level": self.to_level,
            "priority": self.priority,
            "requires": list(self.requires),
            "added": self.added,
            "goal": self.goal,
            "resources": [r.to_json() for r in self.resources],
            "title": self.title,
            "part": self.part,
            "parts": self.parts,
            "part_name": self.part_name,
            "category": self.category,
            "reason": self.reason,
            "optional": self.optional,
            "measured_on": self.measured_on,
            "measured_level": self.measured_level,
            "builds_on": [list(pair) for pair in self.builds_on],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StepDetails:
        """Read stored details of any version (1 and 2 lack the level-by-level fields)."""
        version = data.get("schema_version", 1)
        if version not in (1, 2, SCHEMA_VERSION):
            raise ValueError(UNSUPPORTED_VERSION.format(version=version, latest=SCHEMA_VERSION))
        return cls(
            kind=data["kind"],
            slug=data["slug"],
            name=data["name"],
            phase=data["phase"],
            from_level=data["from_level"],
            to_level=data["to_level"],
            priority=data["priority"],
            requires=tuple(data["requires"]),
            added=data["added"],
            goal=data.get("goal", ""),
            resources=tuple(ResourceRef.from_json(r) for r in data.get("resources", [])),
            title=data.get("title", ""),
            part=data.get("part", 1),
            parts=data.get("parts", 1),
            part_name=data.get("part_name", ""),
            category=data.get("category", ""),
            reason=data.get("reason", ""),
            optional=data.get("optional", False),
            measured_on=data.get("measured_on", ""),
            measured_level=data.get("measured_level"),
            builds_on=tuple((name, level) for name, level in data.get("builds_on", ())),
        )
