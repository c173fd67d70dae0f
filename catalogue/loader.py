"""The catalogue's YAML files: read (checked for duplicates and unknown references), loaded in
one transaction and validated, and dumped back with natural keys.

Any problem rolls the whole load back and raises :class:`CatalogueError` with a message that
names the file, the object and the rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction

from . import selectors, services
from .models import (
    CATALOGUE_MODELS,
    CareerMilestone,
    Choice,
    LevelAnchor,
    Prerequisite,
    Question,
    Resource,
    Role,
    RoleTarget,
    SalaryBenchmark,
    Skill,
    SkillCategory,
)
from .validation import Problem, blocking

# Fields that make up each catalogue model's natural key, in order (FKs are natural keys too).
NATURAL_KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "catalogue.role": ("slug",),
    "catalogue.skillcategory": ("slug",),
    "catalogue.skill": ("slug",),
    "catalogue.levelanchor": ("skill", "level"),
    "catalogue.prerequisite": ("skill", "requires"),
    "catalogue.roletarget": ("role", "seniority", "skill"),
    "catalogue.question": ("key",),
    "catalogue.choice": ("question", "label"),
    "catalogue.resource": ("skill", "url"),
    "catalogue.careermilestone": ("slug",),
    "catalogue.salarybenchmark": ("dimension", "label", "year"),
}

# Foreign keys a fixture entry may hold, and the model each one names.
REFERENCE_FIELDS = {
    "category": "catalogue.skillcategory",
    "skill": "catalogue.skill",
    "requires": "catalogue.skill",
    "role": "catalogue.role",
    "question": "catalogue.question",
}


# A fixture entry's natural key, flattened (``("python", 2)`` for an anchor), and one entry as read.
NaturalKey = tuple[Any, ...]
Entry = dict[str, Any]

MSG_UNKNOWN_REFERENCE = "unknown reference: {field} {value!r} is not defined in the catalogue files"
MSG_DUPLICATE_KEY = "duplicate natural key {key} (first defined in {first})"
MSG_UNKNOWN_MODEL = "unknown model {model!r}: the catalogue holds only {allowed}"


class CatalogueError(Exception):
    """A catalogue that must not be loaded or saved; the message names file, object and rule."""


def fixture_files(directory: Path) -> list[Path]:
    """The catalogue's YAML files: ``catalogue.yaml``, ``skills/*.yaml``, ``questions/*.yaml``, ``targets.yaml``.

    A question file holds one skill's knowledge checks (docs/catalogue/questions.md); a draft that
    has not passed its blind review yet waits under ``questions/drafts/`` and is not loaded.
    """
    files = [
        directory / "catalogue.yaml",
        *sorted((directory / "skills").glob("*.yaml")),
        *sorted((directory / "questions").glob("*.yaml")),
        directory / "targets.yaml",
    ]
    return [path for path in files if path.is_file()]


def natural_key_of(model: str, fields: dict[str, Any]) -> NaturalKey:
    """The natural key of one fixture entry, flattened like ``Model.natural_key()``.

    A key field the entry leaves out takes the model field's default, as saving the entry does
    (a target row without ``seniority`` is an entry-level one).
    """
    key: list[Any] = []
    for name in NATURAL_KEY_FIELDS[model]:
        value = fields[name] if name in fields else _field_default(model, name)
        key.extend(value if isinstance(value, list) else [value])
    return tuple(key)


def _field_default(model: str, name: str) -> Any:
    field = apps.get_model(model)._meta.get_field(name)
    return field.get_default() if not field.is_relation else None


def read_fixtures(paths: list[Path]) -> tuple[dict[str, dict[NaturalKey, str]], list[tuple[str, Entry]]]:
    """The natural keys by model and every (file, entry), checked for duplicates and unknown references."""
    seen: dict[str, dict[NaturalKey, str]] = defaultdict(dict)
    references: list[tuple[str, str, NaturalKey, dict[str, Any]]] = []
    collected: list[tuple[str, Entry]] = []
    for path in paths:
        try:
            entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as error:
            raise CatalogueError(f"{path.name}: not safe, valid YAML: {error}") from error
        if not isinstance(entries, list):
            raise CatalogueError(f"{path.name}: a fixture file must be a list of objects")
        for index, entry in enumerate(entries):
            model = str(entry.get("model", "")).lower() if isinstance(entry, dict) else ""
            if model not in NATURAL_KEY_FIELDS:
                allowed = ", ".join(sorted(NATURAL_KEY_FIELDS))
                raise CatalogueError(
                    f"{path.name}: entry {index + 1}: "
                    + MSG_UNKNOWN_MODEL.format(model=model, allowed=allowed)
                )
            if "pk" in entry:
                raise CatalogueError(
                    f"{path.name}: entry {index + 1} ({model}): numeric pk; use natural keys only"
                )
            key = natural_key_of(model, entry.get("fields") or {})
            if key in seen[model]:
                raise CatalogueError(
                    f"{path.name}: {model} {'/'.join(map(str, key))}: "
                    + MSG_DUPLICATE_KEY.format(key="/".join(map(str, key)), first=seen[model][key])
                )
            seen[model][key] = path.name
            references.append((path.name, model, key, entry.get("fields") or {}))
            collected.append((path.name, entry))
    for file, model, key, fields in references:
        for name, target in REFERENCE_FIELDS.items():
            value = fields.get(name)
            if isinstance(value, list) and tuple(value) not in seen[target]:
                rule = MSG_UNKNOWN_REFERENCE.format(field=name, value="/".join(map(str, value)))
                raise CatalogueError(f"{file}: {model} {'/'.join(map(str, key))}: {rule}")
    return seen, collected


def _save_entries(entries: list[tuple[str, Entry]]) -> None:
    """Create or update every entry, parents before children, naming the file of any failure."""
    order = list(NATURAL_KEY_FIELDS)
    for file, entry in sorted(entries, key=lambda item: order.index(item[1]["model"].lower())):
        model = entry["model"].lower()
        key = "/".join(map(str, natural_key_of(model, entry.get("fields") or {})))
        try:
            with transaction.atomic():
                for obj in serializers.deserialize("python", [entry]):
                    obj.object.full_clean(validate_unique=False, validate_constraints=False)
                    obj.save()
        except (DatabaseError, ValueError, LookupError, TypeError) as error:
            raise CatalogueError(f"{file}: {model} {key}: could not load: {error}") from error
        except ValidationError as error:
            details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
            raise CatalogueError(f"{file}: {model} {key}: {details}") from error


@dataclass
class LoadReport:
    files: list[str]
    objects: int
    removed: dict[str, int]
    retired: list[str]
    version: str
    warnings: list[Problem]


def _protected_ids(model: type[models.Model]) -> set[int]:
    """Ids of ``model`` rows that learners' records point to with ``on_delete=PROTECT``.

    The catalogue imports no other app: it asks the ORM which models outside the catalogue
    protect a reference to this one (answers protect their question, choice and skill; ratings
    their skill), so an answered question is retired rather than deleted from under a result.
    """
    ids: set[int] = set()
    for relation in model._meta.related_objects:
        related = relation.related_model
        if (
            isinstance(related, str)
            or related._meta.app_label == model._meta.app_label
            or relation.on_delete is not models.PROTECT
        ):
            continue
        column = relation.field.attname
        ids |= set(related._default_manager.exclude(**{column: None}).values_list(column, flat=True))
    return ids


def _remove_missing(keys: dict[str, dict[NaturalKey, str]]) -> tuple[dict[str, int], list[str]]:
    """Delete catalogue rows that are no longer in the files; retire those learners' data uses."""
    answered_questions = _protected_ids(Question)
    chosen = _protected_ids(Choice)
    used_skills = _protected_ids(Skill)
    removed: dict[str, int] = {}
    retired: list[str] = []
    # Children before parents, so nothing is deleted by cascade behind our back.
    for model in reversed(CATALOGUE_MODELS):
        label = model._meta.label_lower
        wanted = keys.get(label, {})
        related = [f.name for f in model._meta.concrete_fields if f.is_relation]
        rows = model._default_manager.select_related(*related)
        missing = [obj for obj in rows if obj.natural_key() not in wanted]
        delete_ids: list[int] = []
        for obj in missing:
            if isinstance(obj, Question) and obj.pk in answered_questions:
                if obj.active:
                    Question.objects.filter(pk=obj.pk).update(active=False)
                retired.append(f"question {obj.key} (answered: retired, not deleted)")
            elif isinstance(obj, Choice) and (obj.pk in chosen or obj.question_id in answered_questions):
                retired.append(f"choice {obj.question.key}/{obj.label} (of an answered question: kept)")
            elif isinstance(obj, Skill) and obj.pk in used_skills:
                Skill.objects.filter(pk=obj.pk).update(is_published=False)
                retired.append(f"skill {obj.slug} (assessed: unpublished, not deleted)")
            elif isinstance(obj, SkillCategory) and obj.skills.exists():
                retired.append(f"category {obj.slug} (holds retired skills: kept)")
            else:
                delete_ids.append(obj.pk)
        if delete_ids:
            model._default_manager.filter(pk__in=delete_ids).delete()
            removed[label] = len(delete_ids)
    return removed, retired


def load_catalogue(directory: Path, paths: list[Path] | None = None) -> LoadReport:
    """Load the fixture files in one transaction; any problem rolls everything back."""
    paths = paths or fixture_files(directory)
    if not paths:
        raise CatalogueError(f"no catalogue files (*.yaml) in {directory.name}/")
    keys, entries = read_fixtures(paths)
    with transaction.atomic():
        _save_entries(entries)
        removed, retired = _remove_missing(keys)
        problems = selectors.validate_db()
        published = set(Skill.objects.filter(is_published=True).values_list("slug", flat=True))
        stopping = blocking(problems, published)
        if stopping:
            where: dict[str, str] = {}
            for model_keys in keys.values():
                for key, file in model_keys.items():
                    where.setdefault(str(key[0]), file)
            lines = [f"{where.get(p.skill, '?')}: {p}" for p in stopping]
            raise CatalogueError("the catalogue breaks its rules:\n" + "\n".join(lines))
        version = services.refresh_catalogue_version()
    return LoadReport(
        files=[p.name for p in paths],
        objects=sum(len(v) for v in keys.values()),
        removed=removed,
        retired=retired,
        version=version,
        warnings=[p for p in problems if p not in stopping],
    )


def dump_catalogue(directory: Path) -> list[Path]:
    """Write the catalogue back as YAML with natural keys: shared rows, one file per category, targets."""

    def write(path: Path, querysets: Iterable[Iterable[models.Model]]) -> None:
        objects = [obj for qs in querysets for obj in qs]
        text = serializers.serialize(
            "yaml", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True, allow_unicode=True
        )
        path.write_text(text, encoding="utf-8")

    directory.mkdir(parents=True, exist_ok=True)
    (directory / "skills").mkdir(exist_ok=True)
    written = [directory / "catalogue.yaml"]
    write(
        written[0],
        [
            Role.objects.order_by("order", "slug"),
            SkillCategory.objects.order_by("order", "slug"),
            CareerMilestone.objects.order_by("order", "slug"),
            SalaryBenchmark.objects.order_by("dimension", "year", "label"),
        ],
    )
    expected = set()
    for category in SkillCategory.objects.order_by("order", "slug"):
        path = directory / "skills" / f"{category.slug}.yaml"
        in_category = {"skill__category": category}
        write(
            path,
            [
                Skill.objects.filter(category=category).order_by("slug").select_related("category"),
                LevelAnchor.objects.filter(**in_category)
                .order_by("skill__slug", "level")
                .select_related("skill"),
                Prerequisite.objects.filter(**in_category)
                .order_by("skill__slug", "requires__slug")
                .select_related("skill", "requires"),
                Question.objects.filter(**in_category).order_by("key").select_related("skill"),
                Choice.objects.filter(question__skill__category=category)
                .order_by("question__key", "label")
                .select_related("question"),
                Resource.objects.filter(**in_category)
                .order_by("skill__slug", "level", "url")
                .select_related("skill"),
            ],
        )
        written.append(path)
        expected.add(path)
    for stale in (directory / "skills").glob("*.yaml"):
        if stale not in expected:
            stale.unlink()
    written.append(directory / "targets.yaml")
    write(
        written[-1],
        [
            RoleTarget.objects.order_by(
                "role__order", "role__slug", "seniority", "skill__slug"
            ).select_related("skill", "role")
        ],
    )
    return written
