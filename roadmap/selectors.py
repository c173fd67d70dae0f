"""Reads for the roadmap: what the planner needs, the person's plan with their progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts import selectors as account_selectors
from accounts.models import User
from assessments.models import Result
from catalogue import selectors as catalogue_selectors
from catalogue.models import CareerMilestone, LevelAnchor, Prerequisite, Resource, Skill
from catalogue.vocab import MAX_LEVEL, MIN_LEVEL

from . import planner
from .models import RoadmapStep, StepProgress, StepStatus
from .step_details import ResourceRef, StepDetails


@dataclass
class RoadmapInputs:
    needs: list[planner.SkillNeed]
    skills: dict[str, planner.SkillInfo]
    prerequisites: list[planner.Prerequisite]
    milestones: list[planner.MilestoneNeed]
    anchors: dict[str, dict[int, str]]
    resources: dict[str, list[ResourceRef]]
    milestone_text: dict[str, str]


def roadmap_inputs(*, user: User, result: Result) -> RoadmapInputs:
    """The result's gaps for its focus role, with the catalogue's graph, hours and resources."""
    snapshot = result.snapshot
    role = snapshot.role(result.focus)
    assessed = snapshot.assessed_levels()
    skills: dict[str, planner.SkillInfo] = {}
    anchors: dict[str, dict[int, str]] = {}
    hours: dict[str, dict[int, int]] = {}
    names: dict[str, tuple[str, str]] = {}
    for slug, name, phase in Skill.objects.values_list("slug", "name", "category__phase"):
        names[slug] = (name, phase)
    for slug, level, text, to_reach in LevelAnchor.objects.values_list(
        "skill__slug", "level", "description", "hours_to_reach"
    ):
        anchors.setdefault(slug, {})[level] = text
        hours.setdefault(slug, {})[level] = to_reach
    for slug, (name, phase) in names.items():
        skills[slug] = planner.SkillInfo(
            skill=slug,
            name=name,
            phase=phase,
            current_level=assessed.get(slug, 0),
            hours_to_reach=hours.get(slug, {}),
        )
    needs = [
        planner.SkillNeed(
            skill=slug,
            name=names[slug][0],
            phase=names[slug][1],
            current_level=assessed.get(slug, 0),
            target_level=gap.target,
            priority=gap.priority,
        )
        for slug, gap in (role.skills.items() if role else ())
        if gap.gap > 0 and slug in names
    ]
    prerequisites = [
        planner.Prerequisite(skill=a, requires=b, min_level=m)
        for a, b, m in Prerequisite.objects.values_list("skill__slug", "requires__slug", "min_level")
    ]
    held = set(account_selectors.held_milestones(user=user))
    milestones = []
    milestone_text = {}
    for m in CareerMilestone.objects.exclude(slug__in=held):
        milestones.append(
            planner.MilestoneNeed(slug=m.slug, name=m.name, phase=m.phase, hours=m.hours, order=m.order)
        )
        milestone_text[m.slug] = m.description
    resources: dict[str, list[ResourceRef]] = {}
    for r in Resource.objects.select_related("skill").order_by("level", "-is_free", "title"):
        resources.setdefault(r.skill.slug, []).append(
            ResourceRef.from_json(catalogue_selectors.resource_data(r))
        )
    return RoadmapInputs(needs, skills, prerequisites, milestones, anchors, resources, milestone_text)


def step_details(step: planner.PlannedStep, data: RoadmapInputs) -> StepDetails:
    """What a stored step shows: the goal, resources for the levels it climbs, and its prerequisites."""
    goal = ""
    resources: tuple[ResourceRef, ...] = ()
    if step.kind == planner.SKILL:
        low, high = step.from_level or MIN_LEVEL, step.to_level or MAX_LEVEL
        available = data.resources.get(step.slug, [])
        goal = data.anchors.get(step.slug, {}).get(high, "")
        resources = tuple(r for r in available if low < r.level <= high) or tuple(available[:2])
    else:
        goal = data.milestone_text.get(step.slug, "")
    return StepDetails(
        kind=step.kind,
        slug=step.slug,
        name=step.name,
        phase=step.phase,
        from_level=step.from_level,
        to_level=step.to_level,
        priority=round(step.priority, 3),
        requires=tuple(step.requires),
        added=step.added,
        goal=goal,
        resources=resources,
    )


def planned_step_from_row(row: RoadmapStep) -> planner.PlannedStep:
    """A stored step as the planner sees it, to re-time it."""
    details = row.details
    return planner.PlannedStep(
        key=row.key,
        kind=details.kind,
        slug=details.slug,
        name=details.name,
        phase=details.phase,
        from_level=details.from_level,
        to_level=details.to_level,
        hours=row.hours,
        priority=details.priority,
        start_hour=row.start_hour,
        end_hour=row.start_hour + row.hours,
        planned_start=row.planned_start,
        planned_end=row.planned_end,
        requires=details.requires,
    )


@dataclass
class PlanRow:
    step: RoadmapStep
    progress: StepProgress | None

    @property
    def status(self) -> str:
        return self.progress.status if self.progress else StepStatus.TODO


def plan_rows(user) -> list[PlanRow]:
    """The person's plan with their progress on each step (two queries)."""
    steps = list(RoadmapStep.objects.filter(user=user).order_by("position"))
    progress = {p.key: p for p in StepProgress.objects.filter(user=user, key__in=[s.key for s in steps])}
    return [PlanRow(step, progress.get(step.key)) for step in steps]


def completed_steps(user) -> list[tuple[StepProgress, str]]:
    """Steps done, oldest first, each with the name of its skill or milestone (three queries)."""
    names = {f"skill:{slug}": name for slug, name in Skill.objects.values_list("slug", "name")}
    names |= {f"milestone:{slug}": name for slug, name in CareerMilestone.objects.values_list("slug", "name")}
    done = StepProgress.objects.filter(user=user, status=StepStatus.DONE, completed_at__isnull=False)
    return [(p, names.get(p.key, p.key.partition(":")[2])) for p in done.order_by("completed_at")]


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
    }
