"""What a stored plan step shows: typed, versioned, readable in every stored version.

A step is rebuilt from the catalogue when the plan is built, then kept as JSON in
``RoadmapStep.details_json`` so the page, the exports and the data download read it without
touching the catalogue. :meth:`StepDetails.from_json` reads every version ever written and
:meth:`StepDetails.to_json` writes the current one (:data:`SCHEMA_VERSION`).

Versions:

* 1 (no ``schema_version`` key): the fields below, resources as dicts.
* 2: the same fields and a ``schema_version``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 2

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
    schema_version: int = field(default=SCHEMA_VERSION)

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
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StepDetails:
        """Read stored details of any version (version 1 has the same fields, without a version)."""
        version = data.get("schema_version", 1)
        if version not in (1, SCHEMA_VERSION):
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
        )
