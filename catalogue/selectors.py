"""Reads of the catalogue: plain data for validation, the open catalogue pages and salary context."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, Count, Exists, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from . import caching, skillmap, targets
from .caching import language_key
from .models import (
    CareerMilestone,
    CatalogueState,
    Choice,
    LevelAnchor,
    Prerequisite,
    Question,
    QuestionReport,
    Resource,
    Role,
    RoleTarget,
    SalaryBenchmark,
    Skill,
)
from .targets import Choices, TargetKey, TargetRow
from .validation import CatalogueData, Problem, QuestionData, SkillData, question_hash, validate
from .vocab import Seniority


def default_role() -> Role | None:
    """The role a new person aims at (Machine Learning Engineer when the catalogue has it); kept per
    process and catalogue version, read only."""

    def build() -> Role | None:
        return Role.objects.filter(slug=settings.CAREERPATH_DEFAULT_ROLE).first() or Role.objects.first()

    role: Role | None = caching.local(catalogue_version(), "default-role", build)
    return role


def target_rows() -> dict[TargetKey, list[TargetRow]]:
    """Every role target's rows (published, non-historical skills), by role and seniority, in catalogue order."""
    rows: dict[TargetKey, list[TargetRow]] = {}
    query = (
        RoleTarget.objects.filter(skill__is_published=True, skill__is_historical=False)
        .order_by("role__order", "role__slug", "seniority", "skill__category__order", "skill__name")
        .values_list("role__slug", "seniority", "skill__slug", "level", "weight", "required", "group")
    )
    for role, seniority, skill, level, weight, required, group in query:
        rows.setdefault(TargetKey(role, seniority), []).append(
            TargetRow(skill, level, weight, required, group)
        )
    return rows


def target_name(key: str, roles: dict[str, str] | None = None) -> str:
    """A role target's name from its key; a bare role slug (a result before seniorities) says so.

    Pass ``roles`` (from :func:`role_names`) to name many targets with one query.
    """
    parsed = TargetKey.parse(key)
    role = (role_names() if roles is None else roles).get(parsed.role, parsed.role)
    return target_label(role, parsed.seniority)


def target_label(role: str, seniority: str) -> str:
    """A role's name with the target's seniority, in the active language: "Data Scientist, entry level"."""
    if seniority not in Seniority.values:
        return gettext("%(role)s (before targets had seniorities)") % {"role": role}
    label = str(Seniority(seniority).label)
    return pgettext("a role and its seniority", "%(role)s, %(seniority)s") % {
        "role": role,
        "seniority": label.lower(),
    }


def stored_target_name(name: str, key: str) -> str:
    """A target's name as a result recorded it (in English: see :func:`recorded_target_names`), in the
    active language; a name recorded in another form is shown as it was."""
    seniority = TargetKey.parse(key).seniority
    with translation.override("en"):
        prefix, marker, suffix = target_label("\x00", seniority).partition("\x00")
    if marker and len(name) > len(prefix) + len(suffix) and name.startswith(prefix) and name.endswith(suffix):
        return target_label(name[len(prefix) : len(name) - len(suffix)], seniority)
    return name


def recorded_target_names(keys: list[str]) -> dict[str, str]:
    """Targets' names as a result records them: in English, whatever the language of the moment, so
    :func:`stored_target_name` can show them in the reader's language later."""
    names = role_names()
    with translation.override("en"):
        return {key: target_name(key, names) for key in keys}


@dataclass(frozen=True)
class TargetSummary:
    """A person's target in words: its name and the choices they made."""

    name: str
    picks: list[str]
    set_aside: list[str]
    added: list[str]


def target_summary(key: TargetKey, choices: Choices) -> TargetSummary:
    """The target's name, the skills picked among alternatives, set aside and added (by name)."""
    rows = target_rows().get(key, [])
    in_force = targets.picked(rows, choices)
    names = dict(Skill.objects.values_list("slug", "name"))
    return TargetSummary(
        name=target_name(str(key)),
        picks=[names.get(slug, slug) for slug in in_force.values()],
        set_aside=sorted(names.get(slug, slug) for slug in choices.set_aside),
        added=sorted(names.get(slug, slug) for slug in choices.added),
    )


def question_counts() -> dict[str, tuple[int, dict[int, int]]]:
    """Per assessable skill: its highest target level, and its active questions per level."""
    top: dict[str, int] = dict(
        RoleTarget.objects.values("skill__slug").annotate(top=Max("level")).values_list("skill__slug", "top")
    )
    counts: dict[str, tuple[int, dict[int, int]]] = {
        slug: (top.get(slug, 0), {}) for slug, _name in assessable_skills()
    }
    for slug, level in Question.objects.filter(active=True, skill__slug__in=counts).values_list(
        "skill__slug", "level"
    ):
        per_level = counts[slug][1]
        per_level[level] = per_level.get(level, 0) + 1
    return counts


def bank_question_hashes() -> dict[str, str]:
    """The content hash of every active question of an assessable skill (what its review covered)."""
    choices: dict[int, list[tuple[str, str]]] = {}
    for question_id, label, text in Choice.objects.values_list("question_id", "label", "text"):
        choices.setdefault(question_id, []).append((label, text))
    questions = Question.objects.filter(active=True, skill__is_published=True, skill__is_historical=False)
    return {
        key: question_hash(prompt, choices.get(pk, []))
        for pk, key, prompt in questions.values_list("pk", "key", "prompt")
    }


def skill_names() -> dict[str, str]:
    return dict(Skill.objects.values_list("slug", "name"))


def assessable_skills() -> list[tuple[str, str]]:
    """(slug, name) of every skill a person may be assessed on, in catalogue order."""
    query = Skill.objects.filter(is_published=True, is_historical=False).order_by("category__order", "name")
    return list(query.values_list("slug", "name"))


@dataclass(frozen=True)
class TargetOverview:
    """One role target for people choosing theirs and for the open catalogue."""

    key: TargetKey
    name: str
    required: int
    optional: int
    groups: list[list[str]]
    hours_from_zero: int


def target_overview() -> list[TargetOverview]:
    """Every role target: how many required and optional skills, its alternatives, hours from zero."""
    names = skill_names()
    hours: dict[str, dict[int, int]] = {}
    for slug, level, to_reach in LevelAnchor.objects.values_list("skill__slug", "level", "hours_to_reach"):
        hours.setdefault(slug, {})[level] = to_reach
    overview = []
    for key, rows in target_rows().items():
        overview.append(
            TargetOverview(
                key=key,
                name=target_name(str(key)),
                required=sum(1 for r in rows if r.required and not r.group and r.level),
                optional=sum(1 for r in rows if not r.required and not r.group and r.level),
                groups=[
                    [names.get(r.skill, r.skill) for r in members]
                    for members in targets.groups(rows).values()
                ],
                hours_from_zero=targets.hours_from_zero(targets.resolve(rows, Choices()), hours),
            )
        )
    return overview


def catalogue_loaded() -> bool:
    """Whether any skill is in the database (``load_catalogue --if-empty`` leaves it alone then)."""
    return Skill.objects.exists()


def role_names() -> dict[str, str]:
    """Every role's name by slug, in catalogue order (kept per process and catalogue version)."""
    names: dict[str, str] = caching.local(
        catalogue_version(), "role-names", lambda: dict(Role.objects.values_list("slug", "name"))
    )
    return dict(names)


def skill_and_milestone_names() -> dict[str, str]:
    """Every skill's and career milestone's name by slug (kept per process and catalogue version)."""

    def build() -> dict[str, str]:
        names = dict(Skill.objects.values_list("slug", "name"))
        return names | dict(CareerMilestone.objects.values_list("slug", "name"))

    names: dict[str, str] = caching.local(catalogue_version(), "skill-and-milestone-names", build)
    return dict(names)


def milestone_list() -> list[CareerMilestone]:
    """Every career milestone, in catalogue order (kept per process and catalogue version; read only)."""
    milestones: list[CareerMilestone] = caching.local(
        catalogue_version(), "milestones", lambda: list(CareerMilestone.objects.all())
    )
    return list(milestones)


def catalogue_from_db() -> CatalogueData:
    """Read the catalogue into plain data for :func:`validate` (a fixed number of queries)."""
    skills = {
        slug: SkillData(slug, name, published, is_historical=historical)
        for slug, name, published, historical in Skill.objects.values_list(
            "slug", "name", "is_published", "is_historical"
        )
    }
    for slug, level, text, hours in LevelAnchor.objects.values_list(
        "skill__slug", "level", "description", "hours_to_reach"
    ):
        skills[slug].anchors[level] = (text, hours)
    correct: Counter[int] = Counter()
    total: Counter[int] = Counter()
    choice_texts: dict[int, list[str]] = {}
    for question_id, is_correct, text in Choice.objects.values_list("question_id", "is_correct", "text"):
        total[question_id] += 1
        correct[question_id] += bool(is_correct)
        choice_texts.setdefault(question_id, []).append(text)
    for pk, slug, key, level, active, prompt, explanation in Question.objects.values_list(
        "pk", "skill__slug", "key", "level", "active", "prompt", "explanation"
    ):
        texts = (prompt, explanation, *choice_texts.get(pk, ()))
        skills[slug].questions.append(QuestionData(key, level, active, correct[pk], total[pk], texts))
    for slug, url, free, level in Resource.objects.values_list("skill__slug", "url", "is_free", "level"):
        skills[slug].resources.append((url, free, level))
    targets: dict[str, list[TargetRow]] = {}
    for slug, role, seniority, level, weight, required, group in RoleTarget.objects.values_list(
        "skill__slug", "role__slug", "seniority", "level", "weight", "required", "group"
    ):
        key = str(TargetKey(role, seniority))
        skills[slug].targets.append((key, level, weight))
        targets.setdefault(key, []).append(TargetRow(slug, level, weight, required, group))
    prerequisites = list(Prerequisite.objects.values_list("skill__slug", "requires__slug", "min_level"))
    milestones = {
        slug: dict(after or {}) for slug, after in CareerMilestone.objects.values_list("slug", "after")
    }
    return CatalogueData(skills, prerequisites, targets, milestones)


def validate_db() -> list[Problem]:
    return validate(catalogue_from_db())


def catalogue_version() -> str:
    """The stored content hash of the catalogue ('' before any catalogue was loaded), read once per request."""
    return caching.request_version(
        lambda: CatalogueState.objects.filter(pk=1).values_list("version", flat=True).first() or ""
    )


def catalogue_version_sql() -> str:
    """The catalogue's version as the SQL text of a scalar subquery: a column of a written-out query,
    so a page reads the version with its own rows (then :func:`catalogue_version_read`)."""
    quote = connection.ops.quote_name
    return f"(SELECT {quote('version')} FROM {quote(CatalogueState._meta.db_table)} WHERE {quote('id')} = 1)"


def catalogue_version_subquery() -> RawSQL:
    """:func:`catalogue_version_sql` as a column of an ORM query (``.annotate(version=...)``)."""
    return RawSQL(catalogue_version_sql(), (), output_field=CharField())


def catalogue_version_read(version: str | None) -> None:
    """The catalogue's version read with a page's own query: kept for the request (see
    ``caching.request_version``), so :func:`catalogue_version` and the catalogue's cached names cost
    no query of their own."""
    caching.request_version(lambda: version or "")


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
    # Per language too: the data holds translated labels (a resource's type, a level's name).
    # This process keeps what it has read; the shared cache spares the other processes the build.
    version = catalogue_version()

    def shared():
        key = language_key(f"catalogue:{version}:{name}")
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, 60 * 60 * 24)
        return value

    return caching.local(version, f"cached:{name}", shared)


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
                {
                    "role": t.role.name,
                    "role_slug": t.role.slug,
                    "seniority": t.seniority,
                    "seniority_label": t.get_seniority_display(),
                    "level": t.level,
                    "weight": t.weight,
                    "required": t.required,
                }
                for t in skill.targets.select_related("role").order_by("role__order", "seniority")
            ],
        }

    data = _cached(f"skill:{slug}", build)
    return None if data.get("missing") else data


def catalogue_role(slug: str) -> dict[str, Any] | None:
    """A role with its targets at every seniority, per skill (plain data, cached per catalogue version)."""

    def build() -> dict[str, Any]:
        role = Role.objects.filter(slug=slug).first()
        if role is None:
            return {"missing": True}
        by_skill: dict[str, dict[str, Any]] = {}
        for t in (
            role.targets.filter(skill__is_published=True, skill__is_historical=False)
            .select_related("skill__category")
            .order_by("skill__category__order", "skill__name", "seniority")
        ):
            row = by_skill.setdefault(
                t.skill.slug,
                {
                    "skill": t.skill.name,
                    "skill_slug": t.skill.slug,
                    "category": t.skill.category.name,
                    "levels": {},
                },
            )
            row["levels"][t.seniority] = {
                "level": t.level,
                "weight": t.weight,
                "required": t.required,
                "group": t.group,
            }
        seniorities = [{"value": s.value, "label": s.label} for s in Seniority]
        skill_rows = [
            {**row, "cells": [row["levels"].get(s.value) for s in Seniority]} for row in by_skill.values()
        ]
        overview = [o for o in target_overview() if o.key.role == slug]
        return {
            "slug": role.slug,
            "name": role.name,
            "description": role.description,
            "seniorities": seniorities,
            "skills": skill_rows,
            "targets": [
                {"seniority": o.key.seniority, "name": o.name, "hours": o.hours_from_zero} for o in overview
            ],
        }

    data = _cached(f"role:{slug}", build)
    return None if data.get("missing") else data


def catalogue_target(role_slug: str, seniority: str) -> dict[str, Any] | None:
    """One role target: required and optional skills, alternatives, hours to each level and their sources."""

    def build() -> dict[str, Any]:
        key = TargetKey(role_slug, seniority)
        rows = target_rows().get(key)
        if not rows:
            return {"missing": True}
        skills = {
            s.slug: s
            for s in Skill.objects.filter(slug__in=[r.skill for r in rows]).select_related("category")
        }
        anchors: dict[str, dict[int, tuple[int, str]]] = {}
        for slug, level, to_reach, source in LevelAnchor.objects.filter(skill__slug__in=skills).values_list(
            "skill__slug", "level", "hours_to_reach", "hours_source"
        ):
            anchors.setdefault(slug, {})[level] = (to_reach, source)

        def entry(row: TargetRow) -> dict[str, Any]:
            steps = [anchors.get(row.skill, {}).get(level, (0, "")) for level in range(1, row.level + 1)]
            return {
                "slug": row.skill,
                "name": skills[row.skill].name,
                "category": skills[row.skill].category.name,
                "level": row.level,
                "weight": row.weight,
                "hours": sum(hours for hours, _source in steps),
                "sources": [
                    {"level": level, "hours": hours, "source": source}
                    for level, (hours, source) in enumerate(steps, start=1)
                ],
            }

        defaults = targets.resolve(rows, Choices())
        return {
            "role": role_slug,
            "seniority": seniority,
            "name": target_name(str(key)),
            "required": [entry(r) for r in rows if r.required and not r.group and r.level],
            "optional": [entry(r) for r in rows if not r.required and not r.group and r.level],
            "groups": [
                {"required": members[0].required, "skills": [entry(r) for r in members]}
                for members in targets.groups(rows).values()
            ],
            "hours_from_zero": targets.hours_from_zero(
                defaults,
                {
                    slug: {level: h for level, (h, _s) in by_level.items()}
                    for slug, by_level in anchors.items()
                },
            ),
        }

    data = _cached(f"target:{role_slug}:{seniority}", build)
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
    rows: list[SalaryBenchmark] = caching.local(
        catalogue_version(), "salary-benchmarks", lambda: list(SalaryBenchmark.objects.all())
    )
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


# --- reports of problems with questions -------------------------------------------------------
# A question is "flagged" while it has an open report: always computed from the reports, never
# stored. Whether a person was asked a question is read through the reverse relation that
# assessments' answers put on Question (``Question.answers``), so the catalogue imports nothing
# from the apps above it.


def question_for_report(*, user: AbstractBaseUser, key: str) -> Question | None:
    """The question ``key`` if the person was asked it in one of their own assessments, else None."""
    return (
        Question.objects.select_related("skill").filter(key=key, answers__assessment__user_id=user.pk).first()
    )


def question_was_asked(*, user: AbstractBaseUser, question: Question) -> bool:
    """Whether the person was asked ``question`` in one of their own assessments."""
    return Question.objects.filter(pk=question.pk, answers__assessment__user_id=user.pk).exists()


def open_report(*, user: AbstractBaseUser, question: Question) -> QuestionReport | None:
    """The person's open report of ``question``, if they have one."""
    return QuestionReport.objects.filter(
        user_id=user.pk, question=question, status=QuestionReport.Status.OPEN
    ).first()


def _open_reports_of_outer_question() -> QuerySet[QuestionReport]:
    return QuestionReport.objects.filter(question=OuterRef("pk"), status=QuestionReport.Status.OPEN)


def with_open_report_count(queryset: QuerySet[Question]) -> QuerySet[Question]:
    """``queryset`` with ``open_reports``, each question's number of open reports (0 when unflagged)."""
    count = (
        _open_reports_of_outer_question()
        .order_by()
        .values("question")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return queryset.annotate(open_reports=Coalesce(Subquery(count, output_field=IntegerField()), 0))


def flagged_questions(queryset: QuerySet[Question] | None = None) -> QuerySet[Question]:
    """The questions (of ``queryset``, default all) with at least one open report."""
    queryset = Question.objects.all() if queryset is None else queryset
    return queryset.filter(Exists(_open_reports_of_outer_question()))


def unflagged_questions(queryset: QuerySet[Question] | None = None) -> QuerySet[Question]:
    """The questions (of ``queryset``, default all) without an open report."""
    queryset = Question.objects.all() if queryset is None else queryset
    return queryset.exclude(Exists(_open_reports_of_outer_question()))


def question_is_flagged(question: Question) -> bool:
    return QuestionReport.objects.filter(question=question, status=QuestionReport.Status.OPEN).exists()


def question_reports_export(user: AbstractBaseUser) -> dict[str, Any]:
    """The person's reports of questions, for their data download."""
    reports = (
        QuestionReport.objects.filter(user_id=user.pk).select_related("question").order_by("created_at", "pk")
    )
    return {
        "question_reports": [
            {
                "key": report.question.key,
                "kind": report.kind,
                "message": report.message,
                "status": report.status,
                "created_at": report.created_at.isoformat(),
            }
            for report in reports
        ]
    }


# --- the skill map (laid out once per catalogue version) -------------------------------------


def skill_map_layout() -> skillmap.Layout:
    """The prerequisite graph of the published, non-historical skills, laid out (cached per catalogue version)."""

    def build() -> skillmap.Layout:
        skills = Skill.objects.filter(is_published=True, is_historical=False)
        nodes = [
            skillmap.MapNode(slug, name, category_slug, category_name, category_order)
            for slug, name, category_slug, category_name, category_order in skills.values_list(
                "slug", "name", "category__slug", "category__name", "category__order"
            )
        ]
        edges = [
            skillmap.MapEdge(skill, requires, min_level)
            for skill, requires, min_level in Prerequisite.objects.filter(
                skill__in=skills, requires__in=skills
            ).values_list("skill__slug", "requires__slug", "min_level")
        ]
        return skillmap.layout(nodes, edges)

    layout: skillmap.Layout = _cached("skill-map", build)
    return layout


@dataclass(frozen=True)
class SkillMap:
    """The markup of a skill map, escaped by catalogue.skillmap: SVG, legend, text alternative."""

    svg: SafeString
    legend: SafeString
    text: SafeString
    coloured: bool


def skill_map(statuses: dict[str, skillmap.NodeStatus] | None = None) -> SkillMap:
    """The skill map, coloured by one person's ``statuses`` (None: uncoloured, the open catalogue)."""
    pattern = reverse("catalogue_skill", args=["__slug__"])
    # Drawn from a prepared map kept per process and catalogue version: the layout is read once and
    # each skill's box drawn once per standing, not once per page.
    prepared: skillmap.PreparedMap = caching.local(
        catalogue_version(),
        f"skill-map-prepared:{pattern}",
        lambda: skillmap.PreparedMap(skill_map_layout(), lambda slug: pattern.replace("__slug__", slug)),
    )
    rendered = prepared.render(statuses)
    # Every catalogue text in the markup is escaped by skillmap.render.
    return SkillMap(
        svg=mark_safe(rendered.svg),
        legend=mark_safe(rendered.legend),
        text=mark_safe(rendered.text),
        coloured=rendered.coloured,
    )
