"""The API's request and response bodies (pydantic, through django-ninja's Schema).

Response schemas describe exactly what the operations return: every field is always present, and
a field that may be empty says so (``| None``). Request schemas of partial updates leave out what
the caller did not send (their fields default to "not sent", never to null).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict, model_validator
from pydantic.json_schema import SkipJsonSchema


class PartialIn(Schema):
    """A request body whose fields may be left out, but not sent as null (left out keeps the value)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def _no_nulls(self) -> PartialIn:
        sent_null = sorted(name for name in self.model_fields_set if getattr(self, name) is None)
        if sent_null:
            raise ValueError(
                f"Leave out a field to keep its value; null is not a value: {', '.join(sent_null)}."
            )
        return self


# --- errors --------------------------------------------------------------------------------------


class ErrorOut(Schema):
    """A refusal with one message (404, 409, 401, 403)."""

    detail: str


class ValidationItem(Schema):
    """One problem with the request: where (``loc``) and what (``msg``)."""

    model_config = ConfigDict(extra="allow")

    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    """A refused request (422): malformed input, or input the product's rules refuse. Nothing was saved."""

    detail: list[ValidationItem]


# --- profile ---------------------------------------------------------------------------------------


class ProfileOut(Schema):
    username: str
    email: str
    display_name: str
    hours_per_week: int
    target_role: str | None = Field(
        description="The focus role's slug (the catalogue's default until chosen)."
    )
    seniority: str
    experience_level: str
    country: str = Field(description="ISO 3166-1 alpha-2 code, or '' when not given.")
    city: str
    weekly_email: bool
    onboarded: bool


class ProfilePatch(PartialIn):
    """The fields to change; those left out keep their value. Validated as the profile page does."""

    display_name: Annotated[str, Field(max_length=80)] | SkipJsonSchema[None] = None
    hours_per_week: Annotated[int, Field(ge=1, le=60)] | SkipJsonSchema[None] = None
    target_role: str | SkipJsonSchema[None] = Field(
        default=None, description="A role's slug (GET /catalogue/roles)."
    )
    experience_level: str | SkipJsonSchema[None] = Field(default=None)
    country: str | SkipJsonSchema[None] = Field(
        default=None, description="ISO 3166-1 alpha-2 code, or '' for none."
    )
    city: Annotated[str, Field(max_length=80)] | SkipJsonSchema[None] = None
    weekly_email: bool | SkipJsonSchema[None] = Field(default=None)


# --- assessments -------------------------------------------------------------------------------


class LevelAnchorOut(Schema):
    level: int
    description: str


class RatingItemOut(Schema):
    """A skill to rate on a ratings page, with its anchored levels and the level saved so far."""

    skill: str
    name: str
    levels: list[LevelAnchorOut]
    saved_level: int | None


class ChoiceOut(Schema):
    id: int
    text: str


class CheckItemOut(Schema):
    """A knowledge check to answer, its choices in the order shown, and the answer saved so far."""

    answer_id: int
    skill: str
    question: str
    prompt: str
    choices: list[ChoiceOut]
    chosen_id: int | None
    dont_know: bool
    certainty: str
    answered: bool


class PageOut(Schema):
    """The page to answer next: a ratings page, a page or round of checks, or the review."""

    step: int
    key: str
    kind: str = Field(description="'rate', 'check', 'round' or 'review'.")
    category: str | None
    category_name: str | None
    round: int | None
    total_steps: int
    ratings: list[RatingItemOut]
    checks: list[CheckItemOut]


class AssessmentSummaryOut(Schema):
    id: int
    status: str = Field(description="'in_progress' or 'submitted'.")
    started_at: datetime
    submitted_at: datetime | None
    length: str
    result_id: int | None


class AssessmentOut(AssessmentSummaryOut):
    budget: int = Field(description="The most knowledge checks it asks.")
    steps: list[str]
    furthest_step: int
    current: PageOut | None = Field(description="The page to answer next (null once submitted).")


class AssessmentStartIn(Schema):
    model_config = ConfigDict(extra="forbid")

    length: str = Field(default="default", description="'default' (standard) or 'thorough'.")


class RatingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    skill: str = Field(description="The skill's slug.")
    level: int = Field(description="0-4: the anchored level that describes you best.")


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answer_id: int
    choice_id: int | None = Field(default=None, description="The choice picked; null with dont_know.")
    dont_know: bool = False
    certainty: str = Field(
        default="", description="'guessing', 'fairly_sure' or 'certain'; required with a choice."
    )


class RoundIn(PartialIn):
    """The answers to the current page: ``ratings`` on a ratings page, ``answers`` on a checks page."""

    step: int | SkipJsonSchema[None] = Field(
        default=None, description="The page answered (from `current.step`); a stale page is refused."
    )
    ratings: list[RatingIn] | SkipJsonSchema[None] = Field(default=None)
    answers: list[AnswerIn] | SkipJsonSchema[None] = Field(default=None)


# --- results ---------------------------------------------------------------------------------------


class IntervalOut(Schema):
    low: float
    high: float


class MethodOut(Schema):
    name: str
    version: int
    parameters: str


class TargetChoiceOut(Schema):
    role: str
    seniority: str
    chosen: list[str]
    set_aside: list[str]
    added: list[str]


class CategoryReadinessOut(Schema):
    category: str
    name: str
    readiness: float | None
    percent: int | None
    interval: IntervalOut | None


class RoleReadinessOut(Schema):
    """Readiness for one role target (0-1), with its 90% interval, overall and per category."""

    key: str
    name: str
    readiness: float | None
    percent: int | None
    interval: IntervalOut | None
    by_category: list[CategoryReadinessOut]
    strengths: list[str]
    top_gaps: list[str]
    uncounted: list[str]


class SkillResultOut(Schema):
    """One skill: the claim, the most probable level, its 90% range and the probabilities of 0-4."""

    slug: str
    name: str
    category: str
    claim: int
    level: int
    low: int
    high: int
    probabilities: list[float]
    calibration: str
    reason: str
    target: int | None
    gap: int | None
    checks: int


class CalibrationOut(Schema):
    bias: float
    low: float
    high: float
    checked_skills: int


class ResultSummaryOut(Schema):
    id: int
    created_at: datetime
    focus: str
    readiness: float | None = Field(description="Readiness for the focus target (0-1).")
    percent: int | None
    method: str


class ResultOut(Schema):
    id: int
    created_at: datetime
    catalogue_version: str
    schema_version: int
    method: MethodOut
    focus: str
    target: TargetChoiceOut
    readiness: RoleReadinessOut | None = Field(description="For the focus target.")
    roles: list[RoleReadinessOut]
    skills: list[SkillResultOut]
    calibration: CalibrationOut | None


# --- progress --------------------------------------------------------------------------------------


class HistoryRowOut(Schema):
    result_id: int
    created_at: datetime
    focus: str
    target_name: str
    method: str
    readiness: float | None
    percent: int | None
    target_changed: bool
    method_changed: bool


class TargetNameOut(Schema):
    key: str
    name: str


class SkillChangeOut(Schema):
    name: str
    before: int | None
    after: int
    change: int | None


class ComparisonOut(Schema):
    from_id: int
    to_id: int
    since: datetime
    target: str
    target_name: str
    before: int | None
    after: int | None
    gaps_closed: int
    gaps_opened: list[str]
    target_changed: bool
    method_changed: bool
    skills: list[SkillChangeOut]


class CompletedStepOut(Schema):
    key: str
    title: str
    completed_at: datetime


class StudyWeekOut(Schema):
    start: date
    end: date
    hours: str
    minutes: int


class ProgressOut(Schema):
    history: list[HistoryRowOut]
    targets: list[TargetNameOut]
    comparison: ComparisonOut | None
    completed: list[CompletedStepOut]
    study_weeks: list[StudyWeekOut]
    study_total_hours: str
    study_total_minutes: int


# --- plan ----------------------------------------------------------------------------------------


class PlanStepOut(Schema):
    key: str
    kind: str = Field(description="'skill', 'refresh' or 'milestone'.")
    title: str
    skill: str | None = Field(description="The skill's slug (null for a milestone).")
    name: str
    from_level: int | None
    to_level: int | None
    hours: int
    planned_start: date
    planned_end: date
    status: str = Field(description="'todo', 'in_progress', 'done' or 'skipped'.")
    notes: str
    evidence: list[str]
    completed_at: datetime | None
    logged_minutes: int


class PlanOut(Schema):
    steps: list[PlanStepOut]
    hours_planned: int
    hours_done: int
    hours_left: int
    percent_done: int
    finish: date | None
    hours_per_week: int


class StepPatch(PartialIn):
    """What changes on the step; fields left out keep their value. Validated as the roadmap page does."""

    status: str | SkipJsonSchema[None] = Field(
        default=None, description="'todo', 'in_progress', 'done' or 'skipped'."
    )
    notes: Annotated[str, Field(max_length=5000)] | SkipJsonSchema[None] = None
    evidence: list[str] | SkipJsonSchema[None] = Field(
        default=None, description="At most 5 http(s) addresses."
    )


class StudySessionOut(Schema):
    id: int
    step_key: str
    day: date
    hours: str
    minutes: int
    note: str
    created_at: datetime


class StudySessionIn(PartialIn):
    hours: Decimal = Field(description="From 0.25 to 24.")
    day: date | SkipJsonSchema[None] = Field(
        default=None, description="Today unless given; within the last 365 days."
    )
    note: str = Field(default="", max_length=200)


# --- the open catalogue --------------------------------------------------------------------------


class CatalogueSkillOut(Schema):
    slug: str
    name: str
    description: str
    kind: str
    category: str
    phase: str


class CatalogueRoleOut(Schema):
    slug: str
    name: str
    description: str


class TargetSummaryOut(Schema):
    role: str
    seniority: str
    name: str
    required: int
    optional: int
    groups: list[list[str]]
    hours_from_zero: int


class SkillDetailOut(Schema):
    """A published skill as the open catalogue page shows it (never its questions)."""

    slug: str
    name: str
    description: str
    category: str
    kind: str
    covers: Any
    source: str
    anchors: list[dict[str, Any]]
    prerequisites: list[dict[str, Any]]
    unlocks: list[dict[str, Any]]
    resources: list[dict[str, Any]]
    targets: list[dict[str, Any]]


class RoleDetailOut(Schema):
    slug: str
    name: str
    description: str
    seniorities: list[dict[str, Any]]
    skills: list[dict[str, Any]]
    targets: list[dict[str, Any]]


class TargetDetailOut(Schema):
    role: str
    seniority: str
    name: str
    required: list[dict[str, Any]]
    optional: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    hours_from_zero: int
