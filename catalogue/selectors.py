"""Reads of the catalogue: plain data for validation, the open catalogue pages and salary context."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from .models import (
    CareerMilestone,
    CatalogueState,
    Choice,
    LevelAnchor,
    Prerequisite,
    Question,
    Resource,
    Role,
    RoleTarget,
    SalaryBenchmark,
    Skill,
)
from .validation import CatalogueData, Problem, QuestionData, SkillData, validate


def default_role() -> Role | None:
    """The role a new person aims at (Machine Learning Engineer when the catalogue has it)."""
    return Role.objects.filter(slug=settings.CAREERPATH_DEFAULT_ROLE).first() or Role.objects.first()


def catalogue_loaded() -> bool:
    """Whether any skill is in the database (``load_catalogue --if-empty`` leaves it alone then)."""
    return Skill.objects.exists()


def role_names() -> dict[str, str]:
    """Every role's name by slug, in catalogue order."""
    return dict(Role.objects.values_list("slug", "name"))


def milestone_list() -> list[CareerMilestone]:
    """Every career milestone, in catalogue order."""
    return list(CareerMilestone.objects.all())


def catalogue_from_db() -> CatalogueData:
    """Read the catalogue into plain data for :func:`validate` (a fixed number of queries)."""
    skills = {
        slug: SkillData(slug, name, published)
        for slug, name, published in Skill.objects.values_list("slug", "name", "is_published")
    }
    for slug, level, text, hours in LevelAnchor.objects.values_list(
        "skill__slug", "level", "description", "hours_to_reach"
    ):
        skills[slug].anchors[level] = (text, hours)
    correct: Counter[int] = Counter()
    total: Counter[int] = Counter()
    for question_id, is_correct in Choice.objects.values_list("question_id", "is_correct"):
        total[question_id] += 1
        correct[question_id] += bool(is_correct)
    for pk, slug, key, level, active in Question.objects.values_list(
        "pk", "skill__slug", "key", "level", "active"
    ):
        skills[slug].questions.append(QuestionData(key, level, active, correct[pk], total[pk]))
    for slug, url, free, level in Resource.objects.values_list("skill__slug", "url", "is_free", "level"):
        skills[slug].resources.append((url, free, level))
    for slug, role, level, weight in RoleTarget.objects.values_list(
        "skill__slug", "role__slug", "level", "weight"
    ):
        skills[slug].targets.append((role, level, weight))
    prerequisites = list(Prerequisite.objects.values_list("skill__slug", "requires__slug", "min_level"))
    return CatalogueData(skills, prerequisites)


def validate_db() -> list[Problem]:
    return validate(catalogue_from_db())


def catalogue_version() -> str:
    """The stored content hash of the catalogue ('' before any catalogue was loaded)."""
    return CatalogueState.objects.filter(pk=1).values_list("version", flat=True).first() or ""


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


# --- the open catalogue (cached by catalogue version) --------------------------------------


def _cached(name: str, build):
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


@dataclass
class SalaryContext:
    city: list[SalaryBenchmark]
    country: list[SalaryBenchmark]
    countries: list[SalaryBenchmark]
    city_name: str
    country_name: str


def salary_context(*, city: str, country_code: str, country_name: str) -> SalaryContext:
    """The articles' reported figures for a city, its country, and the country table."""
    rows = list(SalaryBenchmark.objects.all())
    city_name = city
    city = city.strip().lower()
    in_city = [
        r
        for r in rows
        if city
        and r.dimension == SalaryBenchmark.Dimension.CITY
        and city in {r.label.lower(), *map(str.lower, r.alias_list)}
    ]
    code = country_code
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
        city_name=in_city[0].label if in_city else city_name,
        country_name=country_name or code,
    )
