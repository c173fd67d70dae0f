"""Reads for the roadmap: what the planner needs, the person's plan with their progress."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache, lru_cache, partial
from typing import Any

from django.db import connection
from django.db.models import CharField, DateField, Max, Min, Sum, Value

from accounts import selectors as account_selectors
from accounts.models import Profile, User
from assessments.models import Result
from assessments.selectors import column_converters, column_value
from catalogue import caching, compiled
from catalogue import selectors as catalogue_selectors
from catalogue.models import CareerMilestone, LevelAnchor, Prerequisite, Resource, Skill
from catalogue.targets import TargetKey

from . import pace, planner
from .models import PlanRevision, RoadmapStep, StepProgress, StepStatus, StudySession, WeeklyEmail
from .step_details import ResourceRef, StepDetails


@dataclass
class RoadmapInputs:
    needs: list[planner.SkillNeed]
    skills: dict[str, planner.SkillInfo]
    prerequisites: list[planner.Prerequisite]
    milestones: list[planner.Milestone]
    phases: dict[str, str]  # skill -> phase
    resources: dict[str, list[ResourceRef]]
    milestone_text: dict[str, str]


def roadmap_inputs(*, user: User, result: Result) -> RoadmapInputs:
    """The result's gaps on the person's target, with the catalogue's graph, hours, anchors and resources."""
    snapshot = result.snapshot
    role = snapshot.role(result.focus)
    assessed = snapshot.assessed_levels()
    anchors: dict[str, dict[int, str]] = {}
    hours: dict[str, dict[int, int]] = {}
    for slug, level, text, to_reach in LevelAnchor.objects.values_list(
        "skill__slug", "level", "description", "hours_to_reach"
    ):
        anchors.setdefault(slug, {})[level] = text
        hours.setdefault(slug, {})[level] = to_reach
    skills: dict[str, planner.SkillInfo] = {}
    phases: dict[str, str] = {}
    for slug, name, category, phase in Skill.objects.values_list(
        "slug", "name", "category__name", "category__phase"
    ):
        phases[slug] = phase
        skills[slug] = planner.SkillInfo(
            skill=slug,
            name=name,
            category=category,
            current_level=assessed.get(slug, 0),
            hours_to_reach=hours.get(slug, {}),
            anchors=anchors.get(slug, {}),
        )
    target_rows = catalogue_selectors.target_rows().get(TargetKey.parse(result.focus), [])
    rows = {r.skill: r for r in target_rows}
    # A prerequisite on one alternative of a group ("Java or C++") is met by the one the target holds.
    in_target = set(role.skills) if role else set()
    instead = {
        r.skill: next(o.skill for o in target_rows if o.group == r.group and o.skill in in_target)
        for r in target_rows
        if r.group
        and r.skill not in in_target
        and any(o.group == r.group and o.skill in in_target for o in target_rows)
    }
    needs = [
        planner.SkillNeed(
            skill=slug,
            target_level=gap.target,
            weight=gap.weight,
            required=rows[slug].required if slug in rows else True,
        )
        for slug, gap in (role.skills.items() if role else ())
        if gap.target > assessed.get(slug, 0) and slug in skills
    ]
    prerequisites = [
        planner.Prerequisite(skill=a, requires=instead.get(b, b), min_level=m)
        for a, b, m in Prerequisite.objects.values_list("skill__slug", "requires__slug", "min_level")
    ]
    held = set(account_selectors.held_milestones(user=user))
    milestones = []
    milestone_text = {}
    for m in CareerMilestone.objects.exclude(slug__in=held):
        after = {skill: level for skill, level in (m.after or {}).items() if skill in skills}
        milestones.append(planner.Milestone(slug=m.slug, name=m.name, after=after, order=m.order))
        milestone_text[m.slug] = m.description
    resources: dict[str, list[ResourceRef]] = {}
    for r in Resource.objects.select_related("skill").order_by("level", "-is_free", "title"):
        resources.setdefault(r.skill.slug, []).append(
            ResourceRef.from_json(catalogue_selectors.resource_data(r))
        )
    return RoadmapInputs(needs, skills, prerequisites, milestones, phases, resources, milestone_text)


def step_details(step: planner.Step, data: RoadmapInputs) -> StepDetails:
    """What a stored skill step shows: its title, the level's anchor as the goal, resources for that level."""
    available = data.resources.get(step.skill, [])
    at_level = tuple(r for r in available if r.level == step.to_level)
    near = tuple(r for r in available if r.level >= step.to_level) or tuple(available)
    info = data.skills.get(step.skill)
    return StepDetails(
        kind=step.kind,
        slug=step.skill,
        name=step.name,
        phase=data.phases.get(step.skill, ""),
        from_level=step.from_level,
        to_level=step.to_level,
        priority=round(step.value, 4) if step.value != float("inf") else 1.0,
        requires=tuple(step.requires),
        added=step.added,
        goal=info.anchors.get(step.to_level, "") if info else "",
        resources=at_level or near[:2],
        title=step.title,
        part=step.part,
        parts=step.parts,
        part_name=step.part_name,
        category=step.category,
        reason=step.reason,
        optional=step.optional,
        measured_on=step.measured_on,
        measured_level=step.measured_level,
    )


def milestone_details(placed: planner.PlacedMilestone, data: RoadmapInputs) -> StepDetails:
    """What a stored milestone shows: its description and the skill levels it builds on."""
    milestone = placed.milestone
    names = {slug: info.name for slug, info in data.skills.items()}
    builds_on = ", ".join(f"{names.get(s, s)} level {lv}" for s, lv in sorted(milestone.after.items()))
    return StepDetails(
        kind=planner.MILESTONE,
        slug=milestone.slug,
        name=milestone.name,
        phase="career",
        from_level=None,
        to_level=None,
        priority=0.0,
        requires=tuple(f"{skill}:{level}" for skill, level in sorted(milestone.after.items())),
        added=False,
        goal=data.milestone_text.get(milestone.slug, ""),
        resources=(),
        title=milestone.name,
        reason=f"Builds on {builds_on}." if builds_on else "",
        builds_on=tuple((names.get(s, s), lv) for s, lv in sorted(milestone.after.items())),
    )


def milestone_from_row(row: RoadmapStep) -> planner.Milestone:
    """A stored milestone as the planner places it (its skill levels are kept as "skill:level")."""
    details = row.details
    after = {}
    for item in details.requires:
        skill, _, level = item.rpartition(":")
        if skill and level.isdigit():
            after[skill] = int(level)
    return planner.Milestone(slug=details.slug, name=details.name, after=after)


def step_from_row(row: RoadmapStep) -> planner.Step:
    """A stored skill step as the planner sees it (for this week's plan and the deadline)."""
    return step_from_details(row.key, row.hours, row.details)


def step_from_details(key: str, hours: int, details: StepDetails) -> planner.Step:
    """A stored skill step, from its key, hours and details, as the planner sees it."""
    return planner.Step(
        key=key,
        kind=details.kind,
        skill=details.slug,
        name=details.name,
        category=details.category or details.phase,
        from_level=details.from_level or 0,
        to_level=details.to_level or 0,
        hours=hours,
        value=details.priority,
        part=details.part,
        parts=details.parts,
        part_name=details.part_name,
        requires=details.requires,
        added=details.added,
        optional=details.optional,
        reason=details.reason,
    )


@dataclass
class PlanRow:
    step: RoadmapStep
    progress: StepProgress | None
    stored: tuple[Any, ...] | None = field(default=None, compare=False, repr=False)
    """What the step and its progress hold, as the database gave it (when read by :func:`plan_rows`):
    what the roadmap's cards and its kept page (``cards.page_key``) are keyed by. Their columns (the details' text by its digest); on
    PostgreSQL, the ids and row versions (``xmin``) of the two rows, which change whenever anything
    in them does."""

    @property
    def status(self) -> str:
        return self.progress.status if self.progress else StepStatus.TODO

    @property
    def status_label(self) -> str:
        """The status as the vocabulary names it ("To do", "In progress", ...)."""
        return str(StepStatus(self.status).label)


def plan_rows(user) -> list[PlanRow]:
    """The person's plan with their progress on each step (one query, written out: see below)."""
    return compiled.run(plan_rows_read(user))


def plan_rows_read(user) -> compiled.Read[list[PlanRow]]:
    """:func:`plan_rows` as a read, to send with a page's other reads."""
    return _plan_rows_read(user, by_version=connection.vendor == "postgresql")


def _plan_rows_read(user, *, by_version: bool) -> compiled.Read[list[PlanRow]]:
    return compiled.Read(_plan_rows_sql(by_version), [user.pk], partial(_plan_rows_of, user, by_version))


def _plan_rows_of(user, by_version: bool, db: Any, rows: list[tuple[Any, ...]]) -> list[PlanRow]:
    if not rows:
        return []
    step_fields, progress_fields = _step_fields(), _progress_fields()
    step_converters = _row_converters(RoadmapStep, step_fields)
    progress_converters = _row_converters(StepProgress, progress_fields)
    split, details_at = len(step_fields), step_fields.index("details_json")
    pk_at, progress_pk_at = step_fields.index("id"), split + progress_fields.index("id")
    # The raw JSON column is left deferred (read again if ever asked for); the parsed details are
    # set as the cached property the pages read, from this process's copy.
    loaded = step_fields[:details_at] + step_fields[details_at + 1 :]
    known = _details_by_version([(row[pk_at], row[details_at]) for row in rows]) if by_version else {}
    if known is None:  # a step went between the two reads (the plan was rebuilt): read it again whole
        return compiled.run(_plan_rows_read(user, by_version=False))
    make_step, make_progress = (
        compiled.loader(RoadmapStep, loaded),
        compiled.loader(StepProgress, progress_fields),
    )
    plan = []
    for stored in rows:
        if by_version:  # the versions of the step's and its progress's rows say all they hold
            identity = (stored[pk_at], stored[details_at], stored[progress_pk_at], stored[-1])
            stored = stored[:-1]
        else:
            identity = stored
        step_values = compiled.convert(stored[:split], step_converters, db)
        read = step_values.pop(details_at)
        step = make_step(step_values)
        if by_version:
            step.__dict__["details"] = known[stored[pk_at], read]
        elif isinstance(read, str):
            step.__dict__["details"], digest = _details_of(read)
            # The text's digest stands for it in what the cards are keyed by: a key made from
            # every step's whole text (some 100 KB for a plan from zero) cost more than the rest of it.
            identity = (*stored[:details_at], digest, *stored[details_at + 1 :])
        else:  # a driver that gives the column already parsed
            step.__dict__["details"] = StepDetails.from_json(read)
        progress = None
        if stored[split] is not None:
            values = compiled.convert(stored[split:], progress_converters, db)
            progress = make_progress(values)
        plan.append(PlanRow(step, progress, identity))
    return plan


# The roadmap's steps with their progress: read on every visit of the roadmap, written out (Django
# takes longer to compile the query than the database takes to run it) and converted as the ORM
# converts each column. A step's details are written with the step and never changed (a rebuilt plan
# writes new rows; a re-plan moves rows, keeping their details), so each process parses them once:
# - on SQLite, for each stored text (reading the text from the file costs next to nothing);
# - on PostgreSQL, for each version of a row: its id and ``xmin``, the transaction that wrote that
#   version, which no other version of any row shares. The page reads those instead of the details,
#   which PostgreSQL would otherwise turn from jsonb into text and send for every step on every
#   visit (a third of the query's time for a plan from zero); the details of versions this process
#   has not seen come in one more query.


@cache
def _step_fields() -> tuple[str, ...]:
    return tuple(f.attname for f in RoadmapStep._meta.concrete_fields)


@cache
def _progress_fields() -> tuple[str, ...]:
    return tuple(f.attname for f in StepProgress._meta.concrete_fields)


@cache
def _plan_rows_sql(by_version: bool) -> str:
    """The plan query; ``by_version``: a step's row version (PostgreSQL's ``xmin``) in place of its
    details, and its progress row's version last."""
    q = _quote
    steps, progress = q(RoadmapStep._meta.db_table), q(StepProgress._meta.db_table)
    columns = [
        "s.xmin::text" if by_version and f.attname == "details_json" else f"s.{q(f.column)}"
        for f in RoadmapStep._meta.concrete_fields
    ]
    columns += [f"p.{q(f.column)}" for f in StepProgress._meta.concrete_fields]
    if by_version:
        columns.append("p.xmin::text")
    return (
        f"SELECT {', '.join(columns)} FROM {steps} s"
        f" LEFT JOIN {progress} p ON p.{q('user_id')} = s.{q('user_id')} AND p.{q('key')} = s.{q('key')}"
        f" WHERE s.{q('user_id')} = %s ORDER BY s.{q('position')}"
    )


_DETAILS_BY_VERSION: dict[tuple[int, str], StepDetails] = {}
DETAILS_KEPT = 8192  # some 110 plans from zero


def _details_by_version(versions: list[tuple[int, str]]) -> dict[tuple[int, str], StepDetails] | None:
    """The details of each step (id, row version), from this process's copy or, for the versions it
    has not seen, from one query; None when one of those steps is no longer there."""
    found: dict[tuple[int, str], StepDetails] = {}
    missing = []
    for item in versions:
        details = _DETAILS_BY_VERSION.get(item)
        if details is None:
            missing.append(item)
        else:
            found[item] = details
    if missing:
        q = _quote
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {q('id')}, {q('details_json')} FROM {q(RoadmapStep._meta.db_table)}"
                f" WHERE {q('id')} = ANY(%s)",
                [[pk for pk, _version in missing]],
            )
            texts = dict(cursor.fetchall())
        if len(texts) < len({pk for pk, _version in missing}):
            return None
        for pk, version in missing:
            text = texts[pk]
            details = StepDetails.from_json(json.loads(text) if isinstance(text, str) else text)
            found[pk, version] = details
            caching.keep(_DETAILS_BY_VERSION, (pk, version), details, DETAILS_KEPT)
    return found


def _row_converters(model: type[Any], names: tuple[str, ...]) -> compiled.Converters:
    """Each column's position, expression and the converters the ORM runs on it (not the step's
    details, which ``plan_rows`` parses itself)."""
    found: compiled.Converters = []
    for index, name in enumerate(names):
        if name == "details_json" and model is RoadmapStep:
            continue  # parsed apart, see plan_rows
        column, converters = column_converters(model._meta.get_field(name))
        if converters:
            found.append((index, column, converters))
    return found


@lru_cache(maxsize=4096)
def _details_of(text: str) -> tuple[StepDetails, bytes]:
    """A step's details parsed from their stored text, with the text's digest (BLAKE2b, 16 bytes)."""
    return StepDetails.from_json(json.loads(text)), hashlib.blake2b(text.encode(), digest_size=16).digest()


def completed_steps(user) -> list[tuple[StepProgress, str]]:
    """Steps done, oldest first, each with its title ("Python 1 → 2", a milestone's name; one query
    beside the catalogue's names, which are kept per catalogue version)."""
    names = catalogue_selectors.skill_and_milestone_names()
    done = StepProgress.objects.filter(user=user, status=StepStatus.DONE, completed_at__isnull=False)
    return [(p, planner.key_title(p.key, names)) for p in done.order_by("completed_at")]


def latest_revision(user: User) -> PlanRevision | None:
    """What the last rebuild of the person's plan changed (one query, compiled once per process)."""
    return compiled.run(latest_revision_read(user))


def latest_revision_read(user: User) -> compiled.Read[PlanRevision | None]:
    """:func:`latest_revision` as a read, to send with a page's other reads."""
    return compiled.then(
        compiled.instances(_latest_revision_query(), {compiled.SOME_USER: user.pk}),
        lambda found: found[0] if found else None,
    )


@cache
def _latest_revision_query() -> compiled.CompiledQuery:
    return compiled.CompiledQuery.of(
        PlanRevision.objects.filter(user_id=compiled.SOME_USER).order_by("-created_at", "-pk")[:1]
    )


def plan_row(*, user: User, key: str) -> PlanRow | None:
    """One step of the person's plan with their progress (None when the plan has no such step)."""
    step = RoadmapStep.objects.filter(user=user, key=key).first()
    if step is None:
        return None
    return PlanRow(step, StepProgress.objects.filter(user=user, key=key).first())


def personal_data(user: User) -> dict[str, Any]:
    """The person's plan and progress records, for their data download."""
    return {
        "plan": [
            {
                "key": row.step.key,
                "position": row.step.position,
                "hours": row.step.hours,
                "planned_start": row.step.planned_start.isoformat(),
                "planned_end": row.step.planned_end.isoformat(),
                "details": row.step.details.to_json(),
            }
            for row in plan_rows(user)
        ],
        "step_progress": [
            {
                "key": p.key,
                "status": p.status,
                "notes": p.notes,
                "evidence": p.evidence,
                "completed_at": p.completed_at.isoformat() if p.completed_at else None,
            }
            for p in StepProgress.objects.filter(user=user).order_by("key")
        ],
        "study_sessions": study_sessions_data(user),
        "weekly_emails": weekly_emails_data(user),
    }


def study_sessions_data(user: User) -> list[dict[str, Any]]:
    """The person's logged study time, oldest first, for their data download."""
    return [
        {"step_key": s.step_key, "day": s.day.isoformat(), "hours": str(s.hours), "note": s.note}
        for s in StudySession.objects.filter(user=user).order_by("day", "created_at")
    ]


def study_sessions(*, user: User, since: date) -> list[pace.Session]:
    """Hours logged per day from ``since`` on, any step (one query, one row per day)."""
    per_day = (
        StudySession.objects.filter(user=user, day__gte=since)
        .values("day")
        .annotate(total=Sum("hours"))
        .order_by("day")
    )
    return [pace.Session(day=row["day"], hours=row["total"]) for row in per_day]


def first_study_day(*, user: User) -> date | None:
    """The day of the person's first logged session (None before any)."""
    return StudySession.objects.filter(user=user).order_by("day").values_list("day", flat=True).first()


def study_hours_by_step(*, user: User) -> dict[str, Decimal]:
    """Hours logged per step key, all time (one query)."""
    totals = StudySession.objects.filter(user=user).values("step_key").annotate(total=Sum("hours"))
    return {row["step_key"]: pace.tidy(row["total"]) for row in totals.order_by()}


def study_hours_for_step(*, user: User, key: str) -> Decimal:
    """Hours logged on one step, all time."""
    total = StudySession.objects.filter(user=user, step_key=key).aggregate(total=Sum("hours"))["total"]
    return pace.tidy(total or Decimal(0))


def study_step_sessions(*, user: User, key: str, limit: int = 20) -> list[StudySession]:
    """The latest sessions logged on one step, newest first."""
    return list(StudySession.objects.filter(user=user, step_key=key).order_by("-day", "-created_at")[:limit])


def _pace_figures(*, user: User, today: date, weeks: int) -> tuple[list[pace.Session], dict[str, Decimal]]:
    """Daily totals for the last ``weeks`` weeks, plus the first session ever (the pace rule needs
    it), and the hours logged per step key, all time: one query (three aggregates in a union)."""
    return compiled.run(pace_figures_read(user=user, today=today, weeks=weeks))


PaceFigures = tuple[list[pace.Session], dict[str, Decimal]]


def pace_figures_read(*, user: User, today: date, weeks: int = pace.PACE_WEEKS) -> compiled.Read[PaceFigures]:
    """:func:`_pace_figures` as a read, to send with a page's other reads (:func:`pace_summary`
    takes what it gives)."""
    since = pace.week_start(today) - timedelta(weeks=max(weeks, pace.PACE_WEEKS) - 1)
    return compiled.then(
        compiled.tuples(_pace_figures_query(), {compiled.SOME_USER: user.pk, compiled.SOME_DAY: since}),
        partial(_pace_figures_of, since),
    )


def _pace_figures_of(since: date, found: list[tuple[Any, ...]]) -> PaceFigures:
    by_step: dict[str, Decimal] = {}
    sessions: list[pace.Session] = []
    first_day: date | None = None
    for kind, key, day, total in found:
        if kind == 0:
            by_step[key] = pace.tidy(total)
        elif kind == 1:
            sessions.append(pace.Session(day=day, hours=total))
        else:
            first_day = day
    sessions.sort(key=lambda session: session.day)
    if first_day is not None and first_day < since:
        # Only its day matters (how long the person has been logging), not its hours.
        sessions.insert(0, pace.Session(day=first_day, hours=Decimal(0)))
    return sessions, by_step


@cache
def _pace_figures_query() -> compiled.CompiledQuery:
    """:func:`_pace_figures`'s union, compiled once per process (stand-ins for the person and the day)."""
    mine = StudySession.objects.filter(user_id=compiled.SOME_USER).order_by()
    since = compiled.SOME_DAY
    no_key = Value("", output_field=CharField())
    no_day = Value(None, output_field=DateField())
    per_step = (
        mine.values("step_key")
        .annotate(kind=Value(0), on=no_day, total=Sum("hours"))
        .values_list("kind", "step_key", "on", "total")
    )
    per_day = (
        mine.filter(day__gte=since)
        .values("day")
        .annotate(kind=Value(1), key=no_key, total=Sum("hours"))
        .values_list("kind", "key", "day", "total")
    )
    first = (
        mine.values("user_id")
        .annotate(kind=Value(2), key=no_key, on=Min("day"), total=Sum("hours"))
        .values_list("kind", "key", "on", "total")
    )
    return compiled.CompiledQuery.of_values(per_step.union(per_day, first, all=True))


def study_weeks(*, user: User, today: date, weeks: int = pace.HISTORY_WEEKS) -> list[pace.WeekTotal]:
    """Hours logged per ISO week for the last ``weeks`` weeks, oldest first (one query)."""
    since = pace.week_start(today) - timedelta(weeks=weeks - 1)
    return pace.weekly_totals(study_sessions(user=user, since=since), today=today, weeks=weeks)


@dataclass(frozen=True)
class PaceSummary:
    """What the pace card shows: logged time, and the end date at the real pace beside the planned one."""

    this_week: Decimal
    recent_hours: Decimal
    """Hours logged in the last ``pace.PACE_WEEKS`` weeks, the current one included."""
    real_pace: Decimal | None
    planned_pace: int
    enough_data: bool
    projected_end: date | None
    """The end at the real pace (at the planned pace until there is enough data); None if it can't tell."""
    planned_end: date | None
    remaining_hours: Decimal
    step_hours: dict[str, Decimal]
    """Hours logged per step of the plan (every step of the plan has an entry)."""


def pace_summary(
    user: User,
    today: date,
    *,
    rows: list[PlanRow] | None = None,
    profile: Profile | None = None,
    logged_time: PaceFigures | None = None,
) -> PaceSummary | None:
    """The person's pace from their logged time, for the roadmap's pace card (None without a plan).

    Remaining hours are those of the steps not done or skipped, the planned end the latest
    planned end among them. A handful of queries, however long the history; pass the plan's rows,
    the profile and the logged time (:func:`pace_figures_read`) when the page has them already.
    """
    rows = plan_rows(user) if rows is None else rows
    if not rows:
        return None
    open_rows = [row for row in rows if row.status not in (StepStatus.DONE, StepStatus.SKIPPED)]
    profile = profile or account_selectors.profile_get(user=user)
    sessions, logged = logged_time or _pace_figures(user=user, today=today, weeks=pace.PACE_WEEKS)
    figures = pace.pace_of(
        sessions,
        today=today,
        hours_per_week=profile.hours_per_week,
        remaining_hours=sum(row.step.hours for row in open_rows),
        planned_end=max((row.step.planned_end for row in open_rows), default=None),
        weeks=pace.PACE_WEEKS,
    )
    return PaceSummary(
        this_week=figures.this_week,
        recent_hours=figures.recent_hours,
        real_pace=figures.real_pace,
        planned_pace=profile.hours_per_week,
        enough_data=figures.enough_data,
        projected_end=figures.projected_end,
        planned_end=figures.planned_end,
        remaining_hours=figures.remaining_hours,
        step_hours={row.step.key: logged.get(row.step.key, Decimal(0)) for row in rows},
    )


def weekly_emails_data(user: User) -> list[dict[str, Any]]:
    """The weekly e-mails sent to the person, oldest first, for their data download."""
    return [
        {"week": e.week.isoformat(), "sent_at": e.sent_at.isoformat(), "kind": e.kind}
        for e in WeeklyEmail.objects.filter(user=user).order_by("week")
    ]


@dataclass(frozen=True)
class WeeklyEmailRecipient:
    user: User
    hours_per_week: int
    last_result_at: datetime | None
    language: str = ""
    """The person's interface language ("" follows the default: an e-mail has no browser)."""


def weekly_email_recipients(*, week: date) -> list[WeeklyEmailRecipient]:
    """Active people with an e-mail address who asked for the weekly e-mail and have none for ``week`` yet.

    One query: each comes with their hours a week and the time of their latest result.
    """
    users = (
        User.objects.filter(is_active=True, profile__weekly_email=True)
        .exclude(email="")
        .exclude(weekly_emails__week=week)
        .select_related("profile")
        .annotate(last_result_at=Max("results__created_at"))
        .order_by("pk")
    )
    return [
        WeeklyEmailRecipient(
            user=u,
            hours_per_week=u.profile.hours_per_week,
            last_result_at=u.last_result_at,
            language=u.profile.language,
        )
        for u in users
    ]


# --- the dashboard and the progress page: light reads in written-out SQL --------------------------
# As in assessments.selectors: small queries read on every visit, written out once (Django takes
# longer to compile them than the database takes to run them), values converted as the ORM would.


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


@dataclass(frozen=True)
class OpenStep:
    """One of the first open steps of the plan: what this week's plan needs of it."""

    key: str
    hours: int
    details: StepDetails


@dataclass(frozen=True)
class PlanFigures:
    """What the dashboard shows of the plan: its size, the hours planned and done (milestones aside),
    and the first open steps in plan order (at most as many as asked for)."""

    steps: int
    hours_planned: int
    hours_done: int
    first_open: tuple[OpenStep, ...]


@cache
def _plan_figures_sql(by_version: bool) -> str:
    """The dashboard's plan query: each step's key, hours and status, then its details or, with
    ``by_version`` (PostgreSQL), its id and row version, as :func:`plan_rows` reads them."""
    q = _quote
    steps, progress = q(RoadmapStep._meta.db_table), q(StepProgress._meta.db_table)
    details = f"s.{q('id')}, s.xmin::text" if by_version else f"s.{q('details_json')}"
    return (
        f"SELECT s.{q('key')}, s.{q('hours')}, p.{q('status')}, {details} FROM {steps} s"
        f" LEFT JOIN {progress} p ON p.{q('user_id')} = s.{q('user_id')} AND p.{q('key')} = s.{q('key')}"
        f" WHERE s.{q('user_id')} = %s ORDER BY s.{q('position')}"
    )


def plan_figures(user: User, *, hours_per_week: int) -> PlanFigures:
    """The figures of :func:`plan_rows` the dashboard shows, and the details of the open steps this
    week's plan can hold (``planner.tracks``) only: one query, the other steps' details never read
    (on PostgreSQL, whose query reads row versions, not details) or parsed.

    A milestone is told by its key (``milestone:<slug>``, see ``planner.key_title``), as every plan
    ever written keys it, so no step's details need reading to count the hours.
    """
    return _plan_figures(user, hours_per_week=hours_per_week, by_version=connection.vendor == "postgresql")


def _plan_figures(user: User, *, hours_per_week: int, by_version: bool) -> PlanFigures:
    with connection.cursor() as cursor:
        cursor.execute(_plan_figures_sql(by_version), [user.pk])
        rows = cursor.fetchall()
    details_field = RoadmapStep._meta.get_field("details_json")
    planned = done = 0
    first_open = planner.tracks(hours_per_week)
    chosen: list[tuple[str, int, Any]] = []
    for key, hours, status, *details in rows:
        if key.partition(":")[0] == planner.MILESTONE:
            continue
        planned += hours
        if status == StepStatus.DONE:
            done += hours
        elif status != StepStatus.SKIPPED and len(chosen) < first_open:
            chosen.append((key, hours, details))
    if by_version:
        known = _details_by_version([(pk, version) for _key, _hours, (pk, version) in chosen])
        if known is None:  # a step went between the two reads (the plan was rebuilt): read it again
            return _plan_figures(user, hours_per_week=hours_per_week, by_version=False)
        opened = [OpenStep(key, hours, known[pk, version]) for key, hours, (pk, version) in chosen]
    else:
        opened = [
            OpenStep(key, hours, StepDetails.from_json(column_value(details_field, text)))
            for key, hours, (text,) in chosen
        ]
    return PlanFigures(steps=len(rows), hours_planned=planned, hours_done=done, first_open=tuple(opened))


@dataclass(frozen=True)
class CompletedStep:
    """A step done, for the progress page: when, and its title from its key."""

    completed_at: datetime
    title: str


@cache
def _completed_sql() -> str:
    q = _quote
    return (
        f"SELECT {q('key')}, {q('completed_at')} FROM {q(StepProgress._meta.db_table)}"
        f" WHERE {q('user_id')} = %s AND {q('status')} = %s AND {q('completed_at')} IS NOT NULL"
        f" ORDER BY {q('completed_at')}"
    )


def completed_step_titles(user: User) -> list[CompletedStep]:
    """:func:`completed_steps` as the progress page shows them: the date and title of each (one query
    beside the catalogue's names)."""
    return compiled.run(completed_step_titles_read(user))


def completed_step_titles_read(user: User) -> compiled.Read[list[CompletedStep]]:
    """:func:`completed_step_titles` as a read, to send with a page's other reads."""
    return compiled.Read(_completed_sql(), [user.pk, StepStatus.DONE.value], _completed_of)


def _completed_of(_db: Any, rows: list[tuple[Any, ...]]) -> list[CompletedStep]:
    names = catalogue_selectors.skill_and_milestone_names()
    completed = StepProgress._meta.get_field("completed_at")
    return [CompletedStep(column_value(completed, at), planner.key_title(key, names)) for key, at in rows]


@cache
def _hours_per_day_sql() -> str:
    q = _quote
    return (
        f"SELECT {q('day')}, SUM({q('hours')}) FROM {q(StudySession._meta.db_table)}"
        f" WHERE {q('user_id')} = %s AND {q('day')} >= %s GROUP BY {q('day')} ORDER BY {q('day')}"
    )


def study_weeks_light(*, user: User, today: date, weeks: int = pace.HISTORY_WEEKS) -> list[pace.WeekTotal]:
    """:func:`study_weeks` in a written-out query (the same weeks and hours)."""
    return compiled.run(study_weeks_light_read(user=user, today=today, weeks=weeks))


def study_weeks_light_read(
    *, user: User, today: date, weeks: int = pace.HISTORY_WEEKS
) -> compiled.Read[list[pace.WeekTotal]]:
    """:func:`study_weeks_light` as a read, to send with a page's other reads."""
    since = pace.week_start(today) - timedelta(weeks=weeks - 1)
    return compiled.Read(
        _hours_per_day_sql(),
        [user.pk, connection.ops.adapt_datefield_value(since)],
        partial(_study_weeks_of, today, weeks),
    )


def _study_weeks_of(today: date, weeks: int, _db: Any, rows: list[tuple[Any, ...]]) -> list[pace.WeekTotal]:
    day_field, hours_field = StudySession._meta.get_field("day"), StudySession._meta.get_field("hours")
    sessions = [
        pace.Session(day=column_value(day_field, day), hours=column_value(hours_field, total))
        for day, total in rows
    ]
    return pace.weekly_totals(sessions, today=today, weeks=weeks)


def target_names(keys: Iterable[str]) -> dict[str, str]:
    """Each target's name by key, as ``catalogue.selectors.target_name`` gives it, worked out once
    per process, catalogue version and language (role names are read only for a key not seen yet)."""
    names: dict[str, str] = caching.local(catalogue_selectors.catalogue_version(), "target-names", dict)
    wanted = list(keys)
    missing = [key for key in wanted if key not in names]
    if missing:
        role_names = catalogue_selectors.role_names()
        for key in missing:
            names[key] = catalogue_selectors.target_name(key, role_names)
    return {key: names[key] for key in wanted}
