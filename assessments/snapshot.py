"""The frozen result of an assessment: typed, versioned, and readable in every stored version.

A result is written once, when the assessment is submitted, and pages only ever read it: later
catalogue edits (a renamed skill, a new target) never change what a person was told. It is stored
as JSON in ``Result.snapshot_json``; :meth:`ResultSnapshot.from_json` reads every version ever
written and :meth:`ResultSnapshot.to_json` writes the current one (:data:`SCHEMA_VERSION`).

What it holds:

* the focus role the person worked towards when they submitted, and the scoring method with its
  version (a result scored by an older method keeps saying so);
* the catalogue's categories and, per skill, the **claim** (the level the person chose), the
  **evidence** (every knowledge check with its outcome and certainty) and the **estimate** (the
  assessed level, its range, the calibration of the claim and the reason);
* per role, the targets with gaps and priorities, readiness overall and per category, strengths
  and top gaps.

Versions:

* 1 (no ``schema_version`` key): ``headline_role``; skills with ``self_level``,
  ``assessed_level``, ``low``, ``high``, ``calibration``, ``reason``; every check in one
  top-level ``checks`` list naming its skill; no method recorded (it was certainty-based marking,
  version 1).
* 2: ``schema_version``, ``focus_role``, ``method``; each skill holds its ``claim``, its
  ``evidence`` and its ``estimate``.
* 3: role targets have seniorities: ``roles`` is keyed by target (``role:seniority``) and each
  names the skills it could not count (not assessed); ``focus`` names the person's target, and
  ``target`` records it with the person's choices (picks among alternatives, optional skills set
  aside, skills added), with the ``catalogue_version``. Earlier versions read with a legacy target
  (the role alone, ``legacy`` true), so a result says it was taken before targets had seniorities.
  ``other_names`` names the skills the result mentions without assessing them.
* 4: the Bayesian adaptive measurement (assessments.measurement). Each estimate holds the
  ``probabilities`` of levels 0-4 (its ``low``-``high`` is the 90% range); each role holds its
  readiness interval (``readiness_low``, ``readiness_high``) and per category
  (``by_category_interval``); ``calibration`` says how the person's ratings compare with their
  answers; ``method`` names the question ``parameters`` used (level tags or a fitted calibration).
  Earlier versions read with none of these (empty probabilities, no intervals). Each estimate
  may also hold ``why``: what it rests on as numbers (the rating, checks, right answers and "I
  don't know" answers), so the page words the reason in the reader's language; estimates written
  before it, and earlier versions, keep their stored English ``reason``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 4

UNSUPPORTED_VERSION = (
    "A result snapshot of schema version {version!r} cannot be read (this code reads 1 to {latest})."
)


@dataclass(frozen=True)
class Method:
    """The scoring method that produced a result, and its version."""

    name: str
    version: int
    parameters: str = ""  # the question parameters used ('' before they were recorded)


# What version-1 snapshots were scored with (they did not record it).
LEGACY_METHOD = Method(name="certainty-based-marking", version=1)


@dataclass(frozen=True)
class TargetChoice:
    """The target a result was measured against, with the person's choices."""

    role: str
    seniority: str  # '' for results taken before targets had seniorities
    chosen: tuple[str, ...] = ()
    set_aside: tuple[str, ...] = ()
    added: tuple[str, ...] = ()

    @property
    def legacy(self) -> bool:
        return not self.seniority


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    phase: str


@dataclass(frozen=True)
class CheckEvidence:
    """One knowledge check as the person answered it (``is_correct`` None: "I don't know")."""

    question: str
    level: int
    prompt: str
    chosen: str | None
    correct: str
    is_correct: bool | None
    certainty: str
    seen_before: bool
    mark: float
    explanation: str


@dataclass(frozen=True)
class Why:
    """What an estimate rests on, as numbers: the rating (None when not rated) and the checks."""

    claim: int | None
    checks: int
    right: int
    unknown: int  # "I don't know" answers


@dataclass(frozen=True)
class Estimate:
    """What the evidence says of the claim: the assessed level, its range, and why."""

    level: int
    low: int
    high: int
    calibration: str
    reason: str
    probabilities: tuple[float, ...] = ()  # levels 0-4; empty before schema 4
    why: Why | None = None  # None before it was recorded: ``reason`` says it in English


@dataclass(frozen=True)
class RatingCalibration:
    """How a person's ratings compare with their answers: the bias in levels (rating - answers)."""

    bias: float
    low: float
    high: float
    checked_skills: int


@dataclass(frozen=True)
class SkillResult:
    """One skill: the claim, the evidence and the estimate."""

    slug: str
    name: str
    category: str
    anchors: tuple[str, ...]
    claim: int
    evidence: tuple[CheckEvidence, ...]
    estimate: Estimate


@dataclass(frozen=True)
class TargetGap:
    """A role's target on one skill, and how far the estimate is from it."""

    target: int
    weight: int
    gap: int
    weighted_gap: int
    priority: float


@dataclass(frozen=True)
class RoleResult:
    """Readiness for one role from the same answers."""

    slug: str
    name: str
    readiness: float | None
    by_category: Mapping[str, float | None]
    skills: Mapping[str, TargetGap]
    strengths: tuple[str, ...]
    top_gaps: tuple[str, ...]
    uncounted: tuple[str, ...] = ()  # the target's skills this result did not assess
    readiness_low: float | None = None  # the 90% interval (schema 4 on)
    readiness_high: float | None = None
    by_category_interval: Mapping[str, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class ResultSnapshot:
    """Everything a result page shows, frozen at submission."""

    focus: str  # the key of the ``roles`` entry the person worked towards
    method: Method
    categories: tuple[Category, ...]
    skills: tuple[SkillResult, ...]
    roles: Mapping[str, RoleResult]
    target: TargetChoice
    catalogue_version: str = ""
    # Names of skills the result mentions without assessing them (set aside, not counted).
    other_names: Mapping[str, str] = field(default_factory=dict)
    calibration: RatingCalibration | None = None
    schema_version: int = field(default=SCHEMA_VERSION)

    def skill(self, slug: str) -> SkillResult | None:
        return next((s for s in self.skills if s.slug == slug), None)

    def role(self, slug: str | None = None) -> RoleResult | None:
        """The role target ``slug`` (default: the focus), else the first one, else None."""
        wanted = self.roles.get(slug or self.focus)
        return wanted if wanted is not None else next(iter(self.roles.values()), None)

    def assessed_levels(self) -> dict[str, int]:
        return {s.slug: s.estimate.level for s in self.skills}

    def to_json(self) -> dict[str, Any]:
        """The snapshot as JSON-ready data in the current schema version."""
        return {
            "schema_version": SCHEMA_VERSION,
            "focus": self.focus,
            "target": {
                "role": self.target.role,
                "seniority": self.target.seniority,
                "chosen": list(self.target.chosen),
                "set_aside": list(self.target.set_aside),
                "added": list(self.target.added),
            },
            "catalogue_version": self.catalogue_version,
            "other_names": dict(self.other_names),
            "method": {
                "name": self.method.name,
                "version": self.method.version,
                "parameters": self.method.parameters,
            },
            "calibration": None if self.calibration is None else dataclasses.asdict(self.calibration),
            "categories": [{"slug": c.slug, "name": c.name, "phase": c.phase} for c in self.categories],
            "skills": [
                {
                    "slug": s.slug,
                    "name": s.name,
                    "category": s.category,
                    "anchors": list(s.anchors),
                    "claim": s.claim,
                    "evidence": [_check_json(c) for c in s.evidence],
                    "estimate": {
                        "level": s.estimate.level,
                        "low": s.estimate.low,
                        "high": s.estimate.high,
                        "calibration": s.estimate.calibration,
                        "reason": s.estimate.reason,
                        "probabilities": list(s.estimate.probabilities),
                        "why": None if s.estimate.why is None else dataclasses.asdict(s.estimate.why),
                    },
                }
                for s in self.skills
            ],
            "roles": {
                slug: {
                    "slug": r.slug,
                    "name": r.name,
                    "readiness": r.readiness,
                    "by_category": dict(r.by_category),
                    "skills": {
                        skill: {
                            "target": g.target,
                            "weight": g.weight,
                            "gap": g.gap,
                            "weighted_gap": g.weighted_gap,
                            "priority": g.priority,
                        }
                        for skill, g in r.skills.items()
                    },
                    "strengths": list(r.strengths),
                    "top_gaps": list(r.top_gaps),
                    "uncounted": list(r.uncounted),
                    "readiness_low": r.readiness_low,
                    "readiness_high": r.readiness_high,
                    "by_category_interval": {c: list(i) for c, i in r.by_category_interval.items()},
                }
                for slug, r in self.roles.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ResultSnapshot:
        """Read a stored snapshot of any version."""
        version = data.get("schema_version", 1)
        if version == 1:
            return _from_v1(data)
        if version == 2:
            return _from_v2(data)
        if version == 3:
            return _from_v3(data)
        if version == SCHEMA_VERSION:
            return _from_v4(data)
        raise ValueError(UNSUPPORTED_VERSION.format(version=version, latest=SCHEMA_VERSION))


def _check_json(check: CheckEvidence) -> dict[str, Any]:
    return {
        "question": check.question,
        "level": check.level,
        "prompt": check.prompt,
        "chosen": check.chosen,
        "correct": check.correct,
        "is_correct": check.is_correct,
        "certainty": check.certainty,
        "seen_before": check.seen_before,
        "mark": check.mark,
        "explanation": check.explanation,
    }


def _check(data: Mapping[str, Any]) -> CheckEvidence:
    return CheckEvidence(
        question=data["question"],
        level=data["level"],
        prompt=data["prompt"],
        chosen=data["chosen"],
        correct=data["correct"],
        is_correct=data["is_correct"],
        certainty=data["certainty"],
        seen_before=data["seen_before"],
        mark=data["mark"],
        explanation=data["explanation"],
    )


def _categories(data: Mapping[str, Any]) -> tuple[Category, ...]:
    return tuple(Category(slug=c["slug"], name=c["name"], phase=c["phase"]) for c in data["categories"])


def _roles(data: Mapping[str, Any]) -> dict[str, RoleResult]:
    return {
        slug: RoleResult(
            slug=r["slug"],
            name=r["name"],
            readiness=r["readiness"],
            by_category=dict(r["by_category"]),
            skills={
                skill: TargetGap(
                    target=g["target"],
                    weight=g["weight"],
                    gap=g["gap"],
                    weighted_gap=g["weighted_gap"],
                    priority=g["priority"],
                )
                for skill, g in r["skills"].items()
            },
            strengths=tuple(r["strengths"]),
            top_gaps=tuple(r["top_gaps"]),
            uncounted=tuple(r.get("uncounted", ())),
            readiness_low=r.get("readiness_low"),
            readiness_high=r.get("readiness_high"),
            by_category_interval={
                c: (float(i[0]), float(i[1])) for c, i in r.get("by_category_interval", {}).items()
            },
        )
        for slug, r in data["roles"].items()
    }


def _from_v4(data: Mapping[str, Any]) -> ResultSnapshot:
    frozen = _from_v3(data)
    method = data["method"]
    calibration = data.get("calibration")
    return dataclasses.replace(
        frozen,
        method=Method(name=method["name"], version=method["version"], parameters=method["parameters"]),
        calibration=None if calibration is None else RatingCalibration(**calibration),
        skills=tuple(
            dataclasses.replace(
                skill,
                estimate=dataclasses.replace(
                    skill.estimate,
                    probabilities=tuple(raw["estimate"]["probabilities"]),
                    why=None if raw["estimate"].get("why") is None else Why(**raw["estimate"]["why"]),
                ),
            )
            for skill, raw in zip(frozen.skills, data["skills"], strict=True)
        ),
    )


def _from_v3(data: Mapping[str, Any]) -> ResultSnapshot:
    target = data["target"]
    return dataclasses.replace(
        _from_v2({**data, "focus_role": data["focus"]}),
        target=TargetChoice(
            role=target["role"],
            seniority=target["seniority"],
            chosen=tuple(target["chosen"]),
            set_aside=tuple(target["set_aside"]),
            added=tuple(target["added"]),
        ),
        catalogue_version=data["catalogue_version"],
        other_names=dict(data.get("other_names", {})),
    )


def _from_v2(data: Mapping[str, Any]) -> ResultSnapshot:
    return ResultSnapshot(
        focus=data["focus_role"],
        target=TargetChoice(role=data["focus_role"], seniority=""),
        method=Method(name=data["method"]["name"], version=data["method"]["version"]),
        categories=_categories(data),
        skills=tuple(
            SkillResult(
                slug=s["slug"],
                name=s["name"],
                category=s["category"],
                anchors=tuple(s["anchors"]),
                claim=s["claim"],
                evidence=tuple(_check(c) for c in s["evidence"]),
                estimate=Estimate(
                    level=s["estimate"]["level"],
                    low=s["estimate"]["low"],
                    high=s["estimate"]["high"],
                    calibration=s["estimate"]["calibration"],
                    reason=s["estimate"]["reason"],
                ),
            )
            for s in data["skills"]
        ),
        roles=_roles(data),
    )


def _from_v1(data: Mapping[str, Any]) -> ResultSnapshot:
    evidence: dict[str, list[CheckEvidence]] = {}
    for check in data.get("checks", []):
        evidence.setdefault(check["skill"], []).append(_check(check))
    return ResultSnapshot(
        focus=data["headline_role"],
        target=TargetChoice(role=data["headline_role"], seniority=""),
        method=LEGACY_METHOD,
        categories=_categories(data),
        skills=tuple(
            SkillResult(
                slug=s["slug"],
                name=s["name"],
                category=s["category"],
                anchors=tuple(s["anchors"]),
                claim=s["self_level"],
                evidence=tuple(evidence.get(s["slug"], ())),
                estimate=Estimate(
                    level=s["assessed_level"],
                    low=s["low"],
                    high=s["high"],
                    calibration=s["calibration"],
                    reason=s["reason"],
                ),
            )
            for s in data["skills"]
        ),
        roles=_roles(data),
    )
