"""Reads: the few queries each page needs, shaped for templates and the pure modules."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Prefetch

from . import roadmap, scoring
from .models import (
    Answer,
    Assessment,
    CareerMilestone,
    Choice,
    LevelAnchor,
    Prerequisite,
    Profile,
    Question,
    Resource,
    Result,
    RoadmapStep,
    Role,
    RoleTarget,
    SalaryBenchmark,
    SelfRating,
    Skill,
    SkillCategory,
    StepProgress,
    StepStatus,
)


def default_role() -> Role | None:
    """The role a new profile aims at (Machine Learning Engineer when the catalogue has it)."""
    return Role.objects.filter(slug=settings.CAREERPATH_DEFAULT_ROLE).first() or Role.objects.first()


def profile_for(user) -> Profile:
    """The person's profile, created with defaults on first use."""
    profile = Profile.objects.select_related("target_role").filter(user=user).first()
    if profile is None:
        profile, _ = Profile.objects.get_or_create(user=user, defaults={"target_role": default_role()})
    elif profile.target_role is None:
        profile.target_role = default_role()
        if profile.target_role is not None:
            profile.save(update_fields=["target_role"])
    profile.user = user  # the request's user: showing the profile's name needs no query
    return profile


# --- assessment ---------------------------------------------------------------------------


def assessed_skills():
    """Published skills with a target above 0 in some role: what every assessment covers."""
    return (
        Skill.objects.filter(is_published=True, targets__level__gt=0)
        .distinct()
        .select_related("category")
        .order_by("category__order", "category__slug", "name")
    )


def assessed_skill_ids() -> list[int]:
    return list(assessed_skills().values_list("pk", flat=True))


def assessed_categories() -> list[tuple[str, str]]:
    """(slug, name) of the categories holding assessed skills, in catalogue order."""
    seen: dict[str, str] = {}
    for skill in assessed_skills():
        seen.setdefault(skill.category.slug, skill.category.name)
    return list(seen.items())


def top_targets(skill_ids) -> dict[int, int]:
    """The highest role target of each skill."""
    rows = (
        RoleTarget.objects.filter(skill_id__in=list(skill_ids)).values("skill_id").annotate(top=Max("level"))
    )
    return {row["skill_id"]: row["top"] for row in rows}


def seen_question_ids(user, exclude: int | None = None) -> set[int]:
    """Questions the person answered in earlier assessments (their keys were shown on the results)."""
    answers = Answer.objects.filter(assessment__user=user, assessment__status=Assessment.Status.SUBMITTED)
    if exclude is not None:
        answers = answers.exclude(assessment_id=exclude)
    return set(answers.values_list("question_id", flat=True))


def active_questions_by_skill(skill_ids) -> dict[int, list[Question]]:
    pool: dict[int, list[Question]] = {}
    questions = Question.objects.filter(skill_id__in=list(skill_ids), active=True).prefetch_related("choices")
    for question in questions:
        pool.setdefault(question.skill_id, []).append(question)
    return pool


@dataclass
class StepPage:
    """One page of the quiz: its kind, category and the skills on it."""

    index: int
    key: str
    kind: str  # rate | check | review
    category: SkillCategory | None
    total: int


def step_page(assessment: Assessment, index: int) -> StepPage:
    key = assessment.steps[index]
    kind, _, slug = key.partition(":")
    category = SkillCategory.objects.filter(slug=slug).first() if slug else None
    return StepPage(index=index, key=key, kind=kind, category=category, total=len(assessment.steps))


def rating_rows(
    assessment: Assessment, category: SkillCategory
) -> list[tuple[Skill, list[LevelAnchor], int | None]]:
    """The skills of a ratings page with their anchors and the level saved so far."""
    skills = list(
        assessed_skills()
        .filter(category=category)
        .prefetch_related(Prefetch("anchors", queryset=LevelAnchor.objects.order_by("level")))
    )
    saved = dict(assessment.ratings.filter(skill__in=skills).values_list("skill_id", "level"))
    return [(skill, list(skill.anchors.all()), saved.get(skill.pk)) for skill in skills]


def check_rows(assessment: Assessment, category: SkillCategory) -> list[tuple[Answer, list[Choice]]]:
    """The checks assigned on a category page, each with its choices in the shown (shuffled) order."""
    answers = list(
        assessment.answers.filter(skill__category=category)
        .select_related("question", "skill")
        .prefetch_related("question__choices")
        .order_by("skill__name", "question__level")
    )
    rows = []
    for answer in answers:
        by_id = {c.pk: c for c in answer.question.choices.all()}
        ordered = [by_id[pk] for pk in answer.choice_order if pk in by_id]
        ordered += [c for c in by_id.values() if c not in ordered]
        rows.append((answer, ordered))
    return rows


def review_rows(assessment: Assessment) -> tuple[list[SelfRating], list[Answer]]:
    ratings = list(
        assessment.ratings.select_related("skill__category").order_by("skill__category__order", "skill__name")
    )
    answers = list(
        assessment.answers.select_related("question", "skill", "choice").order_by(
            "skill__category__order", "skill__name"
        )
    )
    return ratings, answers


@dataclass
class ScoringInputs:
    evidence: list[scoring.SkillEvidence]
    role_targets: dict[str, dict[str, scoring.Target]]
    categories: dict[str, str]
    prerequisites: list[tuple[str, str, int]]
    skills: dict[str, dict]
    roles: dict[str, str]
    category_list: list[dict]
    checks: list[dict]


def scoring_inputs(assessment: Assessment) -> ScoringInputs:
    """Everything scoring and the snapshot need, in a fixed number of queries."""
    skills = list(
        assessed_skills().prefetch_related(
            Prefetch("anchors", queryset=LevelAnchor.objects.order_by("level"))
        )
    )
    ratings = dict(assessment.ratings.values_list("skill_id", "level"))
    answers = list(
        assessment.answers.select_related("question", "choice", "skill").prefetch_related("question__choices")
    )
    checks_by_skill: dict[int, list[scoring.Check]] = {}
    checks = []
    for answer in answers:
        correct_choice = next((c for c in answer.question.choices.all() if c.is_correct), None)
        is_correct = None if answer.dont_know or answer.choice_id is None else answer.choice.is_correct
        checks_by_skill.setdefault(answer.skill_id, []).append(
            scoring.Check(
                level=answer.question.level,
                correct=is_correct,
                certainty=answer.certainty or scoring.GUESSING,
                seen_before=answer.seen_before,
            )
        )
        checks.append(
            {
                "skill": answer.skill.slug,
                "skill_name": answer.skill.name,
                "question": answer.question.key,
                "level": answer.question.level,
                "prompt": answer.question.prompt,
                "chosen": None if is_correct is None else answer.choice.text,
                "correct": correct_choice.text if correct_choice else "",
                "is_correct": is_correct,
                "certainty": answer.certainty,
                "seen_before": answer.seen_before,
                "mark": scoring.certainty_mark(is_correct, answer.certainty or scoring.GUESSING),
                "explanation": answer.question.explanation,
            }
        )
    evidence = [
        scoring.SkillEvidence(
            skill=skill.slug,
            self_level=ratings.get(skill.pk, 0),
            checks=tuple(checks_by_skill.get(skill.pk, ())),
        )
        for skill in skills
    ]
    role_targets: dict[str, dict[str, scoring.Target]] = {}
    roles = dict(Role.objects.values_list("slug", "name"))
    for role, skill, level, weight in RoleTarget.objects.filter(skill__in=skills).values_list(
        "role__slug", "skill__slug", "level", "weight"
    ):
        role_targets.setdefault(role, {})[skill] = scoring.Target(skill=skill, level=level, weight=weight)
    for role in roles:
        role_targets.setdefault(role, {})
    slugs = {skill.slug for skill in skills}
    prerequisites = [
        edge
        for edge in Prerequisite.objects.values_list("skill__slug", "requires__slug", "min_level")
        if edge[0] in slugs and edge[1] in slugs
    ]
    category_list = []
    for skill in skills:
        if not category_list or category_list[-1]["slug"] != skill.category.slug:
            category_list.append(
                {"slug": skill.category.slug, "name": skill.category.name, "phase": skill.category.phase}
            )
    return ScoringInputs(
        evidence=evidence,
        role_targets=role_targets,
        categories={skill.slug: skill.category.slug for skill in skills},
        prerequisites=prerequisites,
        skills={
            skill.slug: {
                "name": skill.name,
                "category": skill.category.slug,
                "anchors": [a.description for a in skill.anchors.all()],
            }
            for skill in skills
        },
        roles=roles,
        category_list=category_list,
        checks=checks,
    )


# --- roadmap ------------------------------------------------------------------------------


def resource_data(resource: Resource) -> dict:
    """A resource as plain data, for stored plan steps and the cached open catalogue."""
    return {
        "title": resource.title,
        "url": resource.url,
        "type": resource.get_resource_type_display(),
        "free": resource.is_free,
        "hours": resource.hours,
        "level": resource.level,
    }


@dataclass
class RoadmapInputs:
    needs: list[roadmap.SkillNeed]
    skills: dict[str, roadmap.SkillInfo]
    prerequisites: list[roadmap.Prerequisite]
    milestones: list[roadmap.MilestoneNeed]
    anchors: dict[str, dict[int, str]]
    resources: dict[str, list[dict]]
    milestone_text: dict[str, str]


def roadmap_inputs(*, user, result: Result) -> RoadmapInputs:
    """The result's gaps for its headline role, with the catalogue's graph, hours and resources."""
    snapshot = result.snapshot
    role = snapshot["roles"].get(result.headline_role) or next(
        iter(snapshot["roles"].values()), {"skills": {}}
    )
    assessed = {s["slug"]: s["assessed_level"] for s in snapshot["skills"]}
    skills: dict[str, roadmap.SkillInfo] = {}
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
        skills[slug] = roadmap.SkillInfo(
            skill=slug,
            name=name,
            phase=phase,
            current_level=assessed.get(slug, 0),
            hours_to_reach=hours.get(slug, {}),
        )
    needs = [
        roadmap.SkillNeed(
            skill=slug,
            name=names[slug][0],
            phase=names[slug][1],
            current_level=assessed.get(slug, 0),
            target_level=figures["target"],
            priority=figures["priority"],
        )
        for slug, figures in role["skills"].items()
        if figures["gap"] > 0 and slug in names
    ]
    prerequisites = [
        roadmap.Prerequisite(skill=a, requires=b, min_level=m)
        for a, b, m in Prerequisite.objects.values_list("skill__slug", "requires__slug", "min_level")
    ]
    held = set(held_milestones(user))
    milestones = []
    milestone_text = {}
    for m in CareerMilestone.objects.exclude(slug__in=held):
        milestones.append(
            roadmap.MilestoneNeed(slug=m.slug, name=m.name, phase=m.phase, hours=m.hours, order=m.order)
        )
        milestone_text[m.slug] = m.description
    resources: dict[str, list[dict]] = {}
    for r in Resource.objects.select_related("skill").order_by("level", "-is_free", "title"):
        resources.setdefault(r.skill.slug, []).append(resource_data(r))
    return RoadmapInputs(needs, skills, prerequisites, milestones, anchors, resources, milestone_text)


def held_milestones(user) -> list[str]:
    return list(
        Profile.objects.filter(user=user)
        .values_list("milestones_held__slug", flat=True)
        .exclude(milestones_held=None)
    )


def step_details(step: roadmap.PlannedStep, data: RoadmapInputs) -> dict:
    """What a stored step shows: the goal, resources for the levels it climbs, and its prerequisites."""
    details = {
        "kind": step.kind,
        "slug": step.slug,
        "name": step.name,
        "phase": step.phase,
        "from_level": step.from_level,
        "to_level": step.to_level,
        "priority": round(step.priority, 3),
        "requires": list(step.requires),
        "added": step.added,
    }
    if step.kind == roadmap.SKILL:
        details["goal"] = data.anchors.get(step.slug, {}).get(step.to_level, "")
        details["resources"] = [
            r
            for r in data.resources.get(step.slug, [])
            if (step.from_level or 0) < r["level"] <= (step.to_level or 4)
        ] or data.resources.get(step.slug, [])[:2]
    else:
        details["goal"] = data.milestone_text.get(step.slug, "")
        details["resources"] = []
    return details


def planned_step_from_row(row: RoadmapStep) -> roadmap.PlannedStep:
    d = row.details
    return roadmap.PlannedStep(
        key=row.key,
        kind=d["kind"],
        slug=d["slug"],
        name=d["name"],
        phase=d["phase"],
        from_level=d["from_level"],
        to_level=d["to_level"],
        hours=row.hours,
        priority=d["priority"],
        start_hour=row.start_hour,
        end_hour=row.start_hour + row.hours,
        planned_start=row.planned_start,
        planned_end=row.planned_end,
        requires=tuple(d["requires"]),
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


# --- the open catalogue (cached by catalogue version) --------------------------------------


def _cached(name: str, build):
    from django.core.cache import cache

    from .catalogue import catalogue_version

    key = f"catalogue:{catalogue_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, 60 * 60 * 24)
    return value


def catalogue_index() -> dict:
    """Published skills by category, and the roles (plain data, cached per catalogue version)."""

    def build():
        categories: dict[str, dict] = {}
        for skill in Skill.objects.filter(is_published=True).select_related("category"):
            entry = categories.setdefault(
                skill.category.slug,
                {"name": skill.category.name, "phase": skill.category.get_phase_display(), "skills": []},
            )
            entry["skills"].append(
                {
                    "slug": skill.slug,
                    "name": skill.name,
                    "description": skill.description,
                    "kind": skill.get_kind_display(),
                }
            )
        roles = list(Role.objects.values("slug", "name", "description"))
        return {"categories": list(categories.values()), "roles": roles}

    return _cached("index", build)


def catalogue_skill(slug: str) -> dict | None:
    """One published skill with anchors, prerequisites, what it unlocks, resources and targets; never questions."""

    def build():
        skill = Skill.objects.filter(slug=slug, is_published=True).select_related("category").first()
        if skill is None:
            return {"missing": True}
        return {
            "slug": skill.slug,
            "name": skill.name,
            "description": skill.description,
            "category": skill.category.name,
            "kind": skill.get_kind_display(),
            "covers": skill.covered_terms,
            "source": skill.source,
            "anchors": list(skill.anchors.order_by("level").values("level", "description", "hours_to_reach")),
            "prerequisites": [
                {"slug": p.requires.slug, "name": p.requires.name, "min_level": p.min_level}
                for p in skill.prerequisites.select_related("requires").order_by("requires__name")
            ],
            "unlocks": [
                {"slug": p.skill.slug, "name": p.skill.name, "min_level": p.min_level}
                for p in skill.unlocks.select_related("skill")
                .filter(skill__is_published=True)
                .order_by("skill__name")
            ],
            "resources": [resource_data(r) for r in skill.resources.order_by("level", "title")],
            "targets": [
                {"role": t.role.name, "role_slug": t.role.slug, "level": t.level, "weight": t.weight}
                for t in skill.targets.select_related("role").order_by("role__order")
            ],
        }

    data = _cached(f"skill:{slug}", build)
    return None if data.get("missing") else data


def catalogue_role(slug: str) -> dict | None:
    def build():
        role = Role.objects.filter(slug=slug).first()
        if role is None:
            return {"missing": True}
        targets = [
            {
                "skill": t.skill.name,
                "skill_slug": t.skill.slug,
                "category": t.skill.category.name,
                "level": t.level,
                "weight": t.weight,
            }
            for t in role.targets.filter(skill__is_published=True)
            .select_related("skill__category")
            .order_by("skill__category__order", "skill__name")
        ]
        return {"slug": role.slug, "name": role.name, "description": role.description, "targets": targets}

    data = _cached(f"role:{slug}", build)
    return None if data.get("missing") else data


# --- progress -----------------------------------------------------------------------------


def result_history(user) -> list[dict]:
    """Readiness per role for every submitted result, oldest first (one query, no snapshots)."""
    return list(
        Result.objects.filter(user=user)
        .order_by("created_at")
        .values("pk", "created_at", "readiness", "headline_role")
    )


def result_pair(user, first: int | None, second: int | None) -> tuple[Result | None, Result | None]:
    """Two of the person's results to compare (default: the first and the latest)."""
    if first is None or second is None:
        ids = list(Result.objects.filter(user=user).order_by("created_at").values_list("pk", flat=True))
        if len(ids) < 2:
            return None, None
        first, second = ids[0] if first is None else first, ids[-1] if second is None else second
    pair = {r.pk: r for r in Result.objects.filter(user=user, pk__in=[first, second])}
    return pair.get(first), pair.get(second)


def latest_two_results(user) -> tuple[Result | None, Result | None]:
    """The person's previous and latest results (either may be None)."""
    latest = list(Result.objects.filter(user=user).order_by("-created_at")[:2])
    return (latest[1] if len(latest) > 1 else None), (latest[0] if latest else None)


def completed_steps(user) -> list[tuple[StepProgress, str]]:
    """Steps done, oldest first, each with the name of its skill or milestone (three queries)."""
    names = {f"skill:{slug}": name for slug, name in Skill.objects.values_list("slug", "name")}
    names |= {f"milestone:{slug}": name for slug, name in CareerMilestone.objects.values_list("slug", "name")}
    done = StepProgress.objects.filter(user=user, status=StepStatus.DONE, completed_at__isnull=False)
    return [(p, names.get(p.key, p.key.partition(":")[2])) for p in done.order_by("completed_at")]


# --- salary context and own data ----------------------------------------------------------------


@dataclass
class SalaryContext:
    city: list[SalaryBenchmark]
    country: list[SalaryBenchmark]
    countries: list[SalaryBenchmark]
    city_name: str
    country_name: str


def salary_context(profile: Profile) -> SalaryContext:
    """The articles' reported figures for the person's city, their country, and the country table."""
    rows = list(SalaryBenchmark.objects.all())
    city = profile.city.strip().lower()
    in_city = [
        r
        for r in rows
        if city
        and r.dimension == SalaryBenchmark.Dimension.CITY
        and city in {r.label.lower(), *map(str.lower, r.alias_list)}
    ]
    code = profile.country.code if profile.country else ""
    if not code and in_city:
        code = in_city[0].country_code
    in_country = [
        r for r in rows if code and r.country_code == code and r.dimension != SalaryBenchmark.Dimension.CITY
    ]
    countries = [r for r in rows if r.dimension == SalaryBenchmark.Dimension.COUNTRY and r not in in_country]
    return SalaryContext(
        city=in_city,
        country=sorted(in_country, key=lambda r: (r.dimension, -r.year, r.label)),
        countries=sorted(countries, key=lambda r: (-r.year, r.label)),
        city_name=in_city[0].label if in_city else profile.city,
        country_name=profile.country.name if profile.country else code,
    )


def personal_data(user) -> dict:
    """Everything careerpath holds about the person, as JSON-ready data."""
    profile = profile_for(user)
    assessments = []
    for assessment in Assessment.objects.filter(user=user).prefetch_related(
        "ratings__skill", "answers__question", "answers__choice"
    ):
        result = Result.objects.filter(assessment=assessment).first()
        assessments.append(
            {
                "id": assessment.pk,
                "status": assessment.status,
                "started_at": assessment.started_at.isoformat(),
                "submitted_at": assessment.submitted_at.isoformat() if assessment.submitted_at else None,
                "catalogue_version": assessment.catalogue_version,
                "self_ratings": {r.skill.slug: r.level for r in assessment.ratings.all()},
                "answers": [
                    {
                        "question": a.question.key,
                        "choice": a.choice.label if a.choice else None,
                        "dont_know": a.dont_know,
                        "certainty": a.certainty,
                        "answered_at": a.answered_at.isoformat() if a.answered_at else None,
                    }
                    for a in assessment.answers.all()
                ],
                "result": None
                if result is None
                else {
                    "id": result.pk,
                    "created_at": result.created_at.isoformat(),
                    "readiness": result.readiness,
                    "snapshot": result.snapshot,
                },
            }
        )
    return {
        "account": {"email": user.email, "date_joined": user.date_joined.isoformat()},
        "profile": {
            "display_name": profile.display_name,
            "hours_per_week": profile.hours_per_week,
            "country": profile.country.code if profile.country else "",
            "city": profile.city,
            "experience_level": profile.experience_level,
            "target_role": profile.target_role.slug if profile.target_role else None,
            "milestones_held": held_milestones(user),
        },
        "assessments": assessments,
        "plan": [
            {
                "key": row.step.key,
                "position": row.step.position,
                "hours": row.step.hours,
                "planned_start": row.step.planned_start.isoformat(),
                "planned_end": row.step.planned_end.isoformat(),
                "details": row.step.details,
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
