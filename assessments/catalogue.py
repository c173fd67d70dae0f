"""Loading, validating, dumping and versioning the skill catalogue.

The rules live in :func:`validate`, a plain function over :class:`CatalogueData` (no ORM), so the
management commands, the admin and the system check all apply the same rules:

* **integrity** problems (prerequisite cycles, levels and weights out of range, a question
  without exactly one correct choice, fewer than five anchors ...) make a catalogue unusable:
  they block loading and saving;
* **completeness** problems (a published skill without a question per level, without two
  resources or a free one, without a role target, with copied anchors or placeholder URLs)
  block publishing the skill, and show under the admin's "needs attention" filter.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from urllib.parse import urlparse

import yaml
from django.core.exceptions import ValidationError

INTEGRITY = "integrity"
COMPLETENESS = "completeness"

PLACEHOLDER_HOSTS = {"example.com", "example.org", "example.net", "localhost", "127.0.0.1", "0.0.0.0"}
PLACEHOLDER_SUFFIXES = (".example", ".test", ".invalid", ".localhost", ".example.com", ".example.org")

# Fields that make up each catalogue model's natural key, in order (FKs are natural keys too).
NATURAL_KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "assessments.role": ("slug",),
    "assessments.skillcategory": ("slug",),
    "assessments.skill": ("slug",),
    "assessments.levelanchor": ("skill", "level"),
    "assessments.prerequisite": ("skill", "requires"),
    "assessments.roletarget": ("role", "skill"),
    "assessments.question": ("key",),
    "assessments.choice": ("question", "label"),
    "assessments.resource": ("skill", "url"),
    "assessments.careermilestone": ("slug",),
    "assessments.salarybenchmark": ("dimension", "label", "year"),
}

# Foreign keys a fixture entry may hold, and the model each one names.
REFERENCE_FIELDS = {
    "category": "assessments.skillcategory",
    "skill": "assessments.skill",
    "requires": "assessments.skill",
    "role": "assessments.role",
    "question": "assessments.question",
}

MSG_UNKNOWN_REFERENCE = "unknown reference: {field} {value!r} is not defined in the catalogue files"
MSG_DUPLICATE_KEY = "duplicate natural key {key} (first defined in {first})"
MSG_UNKNOWN_MODEL = "unknown model {model!r}: the catalogue holds only {allowed}"
MSG_CYCLE = "prerequisite cycle: {cycle}"
MSG_ANCHORS = "needs exactly five level anchors (levels 0-4); has levels {levels}"
MSG_ANCHOR_HOURS_ZERO = "level 0 anchor must have hours_to_reach 0"
MSG_ANCHOR_HOURS_POSITIVE = "level {level} anchor needs hours_to_reach above 0"
MSG_LEVEL_RANGE = "{what} level {level} is outside {low}-{high}"
MSG_WEIGHT_RANGE = "target weight {weight} for role {role!r} is outside 1-5"
MSG_ONE_CORRECT = "question {key!r} needs exactly one correct choice; has {count}"
MSG_TWO_CHOICES = "question {key!r} needs at least two choices; has {count}"
MSG_QUESTION_PER_LEVEL = "published skill needs an active question at level {level}"
MSG_TWO_RESOURCES = "published skill needs at least two resources; has {count}"
MSG_FREE_RESOURCE = "published skill needs at least one free resource"
MSG_NO_TARGET = "published skill has no role target"
MSG_COPIED_ANCHOR = "level {level} anchor is a copy of {other!r}'s with the name swapped"
MSG_BAD_URL = "resource URL {url!r} must be https on a real host"


class CatalogueError(Exception):
    """A catalogue that must not be loaded or saved; the message names file, object and rule."""


@dataclass(frozen=True)
class Problem:
    severity: str  # INTEGRITY or COMPLETENESS
    obj: str  # e.g. "skill python", "question python-l1-a"
    rule: str
    skill: str = ""  # slug of the skill the problem belongs to, if any

    def __str__(self) -> str:
        return f"{self.severity}: {self.obj}: {self.rule}"


@dataclass
class QuestionData:
    key: str
    level: int
    active: bool
    correct_count: int
    choice_count: int


@dataclass
class SkillData:
    slug: str
    name: str
    is_published: bool
    anchors: dict[int, tuple[str, int]] = field(default_factory=dict)  # level -> (text, hours)
    questions: list[QuestionData] = field(default_factory=list)
    resources: list[tuple[str, bool, int]] = field(default_factory=list)  # (url, is_free, level)
    targets: list[tuple[str, int, int]] = field(default_factory=list)  # (role, level, weight)


@dataclass
class CatalogueData:
    skills: dict[str, SkillData]
    prerequisites: list[tuple[str, str, int]]  # (skill, requires, min_level)


# --- validation (pure) -------------------------------------------------------------------


def _normalised(text: str, name: str) -> str:
    text = re.sub(re.escape(name), "<skill>", text, flags=re.IGNORECASE)
    return re.sub(r"\W+", " ", text).strip().lower()


def _bad_url(url: str) -> bool:
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower()
    return (
        parsed.scheme != "https"
        or not host
        or "." not in host
        or host in PLACEHOLDER_HOSTS
        or host.endswith(PLACEHOLDER_SUFFIXES)
    )


def skill_problems(skill: SkillData, all_skills: dict[str, SkillData]) -> list[Problem]:
    """Every problem of one skill (cycles are a whole-catalogue matter: see graph_problems)."""
    problems: list[Problem] = []
    obj = f"skill {skill.slug}"

    def add(severity: str, rule: str, what: str = obj) -> None:
        problems.append(Problem(severity, what, rule, skill.slug))

    levels = sorted(skill.anchors)
    if levels != [0, 1, 2, 3, 4]:
        add(INTEGRITY, MSG_ANCHORS.format(levels=levels))
    for level, (_text, hours) in skill.anchors.items():
        if level == 0 and hours != 0:
            add(INTEGRITY, MSG_ANCHOR_HOURS_ZERO)
        elif level > 0 and hours <= 0:
            add(INTEGRITY, MSG_ANCHOR_HOURS_POSITIVE.format(level=level))
    for question in skill.questions:
        what = f"question {question.key}"
        if not 1 <= question.level <= 4:
            add(INTEGRITY, MSG_LEVEL_RANGE.format(what="question", level=question.level, low=1, high=4), what)
        if question.choice_count < 2:
            add(INTEGRITY, MSG_TWO_CHOICES.format(key=question.key, count=question.choice_count), what)
        if question.correct_count != 1:
            add(INTEGRITY, MSG_ONE_CORRECT.format(key=question.key, count=question.correct_count), what)
    for role, level, weight in skill.targets:
        if not 0 <= level <= 4:
            add(
                INTEGRITY,
                MSG_LEVEL_RANGE.format(what=f"target for role {role!r}", level=level, low=0, high=4),
            )
        if not 1 <= weight <= 5:
            add(INTEGRITY, MSG_WEIGHT_RANGE.format(weight=weight, role=role))
    for url, _free, level in skill.resources:
        if not 1 <= level <= 4:
            add(INTEGRITY, MSG_LEVEL_RANGE.format(what=f"resource {url!r}", level=level, low=1, high=4))

    # Completeness: what a skill needs before learners see it.
    active_levels = {q.level for q in skill.questions if q.active}
    for level in (1, 2, 3, 4):
        if level not in active_levels:
            add(COMPLETENESS, MSG_QUESTION_PER_LEVEL.format(level=level))
    if len(skill.resources) < 2:
        add(COMPLETENESS, MSG_TWO_RESOURCES.format(count=len(skill.resources)))
    if not any(free for _url, free, _level in skill.resources):
        add(COMPLETENESS, MSG_FREE_RESOURCE)
    for url, _free, _level in skill.resources:
        if _bad_url(url):
            add(COMPLETENESS, MSG_BAD_URL.format(url=url))
    if not skill.targets:
        add(COMPLETENESS, MSG_NO_TARGET)
    for level, (text, _hours) in skill.anchors.items():
        mine = _normalised(text, skill.name)
        if level == 0 or len(mine) < 12:
            continue
        for other in all_skills.values():
            if other.slug == skill.slug or level not in other.anchors:
                continue
            if _normalised(other.anchors[level][0], other.name) == mine:
                add(COMPLETENESS, MSG_COPIED_ANCHOR.format(level=level, other=other.slug))
                break
    return problems


def graph_problems(prerequisites: list[tuple[str, str, int]]) -> list[Problem]:
    """Prerequisite cycles and out-of-range minimum levels."""
    problems = []
    graph: dict[str, set[str]] = defaultdict(set)
    for skill, requires, min_level in prerequisites:
        graph[skill].add(requires)
        if not 0 <= min_level <= 4:
            rule = MSG_LEVEL_RANGE.format(what="prerequisite minimum", level=min_level, low=0, high=4)
            problems.append(Problem(INTEGRITY, f"prerequisite {skill} -> {requires}", rule, skill))
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        cycle = error.args[1]
        problems.append(
            Problem(INTEGRITY, f"skill {cycle[0]}", MSG_CYCLE.format(cycle=" -> ".join(cycle)), cycle[0])
        )
    return problems


def validate(catalogue: CatalogueData) -> list[Problem]:
    """Every problem in the catalogue, integrity first, in a stable order."""
    problems = graph_problems(catalogue.prerequisites)
    for slug in sorted(catalogue.skills):
        problems.extend(skill_problems(catalogue.skills[slug], catalogue.skills))
    return sorted(problems, key=lambda p: (p.severity != INTEGRITY, p.obj, p.rule))


def blocking(problems: list[Problem], published: set[str]) -> list[Problem]:
    """The problems that must stop a save: integrity ones, and completeness ones of published skills."""
    return [p for p in problems if p.severity == INTEGRITY or p.skill in published]


# --- fixture files ----------------------------------------------------------------------


def fixture_files(directory: Path) -> list[Path]:
    """The catalogue's YAML files: ``catalogue.yaml`` first, then ``skills/*.yaml``."""
    files = [directory / "catalogue.yaml", *sorted((directory / "skills").glob("*.yaml"))]
    return [path for path in files if path.is_file()]


def natural_key_of(model: str, fields: dict) -> tuple:
    """The natural key of one fixture entry, flattened like ``Model.natural_key()``."""
    key: list = []
    for name in NATURAL_KEY_FIELDS[model]:
        value = fields.get(name)
        key.extend(value if isinstance(value, list) else [value])
    return tuple(key)


def read_fixtures(paths: list[Path]) -> tuple[dict[str, dict[tuple, str]], list[tuple[str, dict]]]:
    """The natural keys by model and every (file, entry), checked for duplicates and unknown references."""
    seen: dict[str, dict[tuple, str]] = defaultdict(dict)
    references: list[tuple[str, str, tuple, dict]] = []
    collected: list[tuple[str, dict]] = []
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


def _save_entries(entries: list[tuple[str, dict]]) -> None:
    """Create or update every entry, parents before children, naming the file of any failure."""
    from django.core import serializers
    from django.db import DatabaseError, transaction

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


def content_hash(rows: list[tuple]) -> str:
    """A stable SHA-256 over the catalogue's rows."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


# --- the catalogue in the database ---------------------------------------------------------


def catalogue_from_db(skill_filter: dict | None = None) -> CatalogueData:
    """Read the catalogue into plain data for :func:`validate` (a fixed number of queries)."""
    from .models import Choice, LevelAnchor, Prerequisite, Question, Resource, RoleTarget, Skill

    skills = {
        slug: SkillData(slug, name, published)
        for slug, name, published in Skill.objects.values_list("slug", "name", "is_published")
    }
    for slug, level, text, hours in LevelAnchor.objects.values_list(
        "skill__slug", "level", "description", "hours_to_reach"
    ):
        skills[slug].anchors[level] = (text, hours)
    correct = Counter()
    total = Counter()
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


def _version_rows() -> list[tuple]:
    from .models import CATALOGUE_MODELS

    rows: list[tuple] = []
    for model in CATALOGUE_MODELS:
        names = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        fk_names = [f.name for f in model._meta.concrete_fields if f.is_relation]
        values = model.objects.values_list(*names).order_by(*names)
        rows.append((model._meta.label_lower, len(fk_names)))
        rows.extend((model._meta.label_lower, *map(str, row)) for row in values)
    return rows


def refresh_catalogue_version() -> str:
    """Recompute the content hash after the catalogue changed, and store it."""
    from .models import CatalogueState

    version = content_hash(_version_rows())
    CatalogueState.objects.update_or_create(pk=1, defaults={"version": version})
    return version


def catalogue_version() -> str:
    """The stored content hash of the catalogue ('' before any catalogue was loaded)."""
    from .models import CatalogueState

    return CatalogueState.objects.filter(pk=1).values_list("version", flat=True).first() or ""


@dataclass
class LoadReport:
    files: list[str]
    objects: int
    removed: dict[str, int]
    retired: list[str]
    version: str
    warnings: list[Problem]


def _remove_missing(keys: dict[str, dict[tuple, str]]) -> tuple[dict[str, int], list[str]]:
    """Delete catalogue rows that are no longer in the files; retire those learners' data uses."""
    from .models import CATALOGUE_MODELS, Answer, Choice, Question, SelfRating, Skill, SkillCategory

    answered_questions = set(Answer.objects.values_list("question_id", flat=True))
    chosen = set(Answer.objects.exclude(choice=None).values_list("choice_id", flat=True))
    used_skills = set(SelfRating.objects.values_list("skill_id", flat=True)) | set(
        Answer.objects.values_list("skill_id", flat=True)
    )
    removed: dict[str, int] = {}
    retired: list[str] = []
    # Children before parents, so nothing is deleted by cascade behind our back.
    for model in reversed(CATALOGUE_MODELS):
        label = model._meta.label_lower
        wanted = keys.get(label, {})
        related = [f.name for f in model._meta.concrete_fields if f.is_relation]
        rows = model.objects.select_related(*related)
        missing = [obj for obj in rows if obj.natural_key() not in wanted]
        delete_ids = []
        for obj in missing:
            if model is Question and obj.pk in answered_questions:
                if obj.active:
                    Question.objects.filter(pk=obj.pk).update(active=False)
                retired.append(f"question {obj.key} (answered: retired, not deleted)")
            elif model is Choice and (obj.pk in chosen or obj.question_id in answered_questions):
                retired.append(f"choice {obj.question.key}/{obj.label} (of an answered question: kept)")
            elif model is Skill and obj.pk in used_skills:
                Skill.objects.filter(pk=obj.pk).update(is_published=False)
                retired.append(f"skill {obj.slug} (assessed: unpublished, not deleted)")
            elif model is SkillCategory and obj.skills.exists():
                retired.append(f"category {obj.slug} (holds retired skills: kept)")
            else:
                delete_ids.append(obj.pk)
        if delete_ids:
            model.objects.filter(pk__in=delete_ids).delete()
            removed[label] = len(delete_ids)
    return removed, retired


def load_catalogue(directory: Path, paths: list[Path] | None = None) -> LoadReport:
    """Load the fixture files in one transaction; any problem rolls everything back."""
    from django.db import transaction

    paths = paths or fixture_files(directory)
    if not paths:
        raise CatalogueError(f"no catalogue files (*.yaml) in {directory.name}/")
    keys, entries = read_fixtures(paths)
    with transaction.atomic():
        _save_entries(entries)
        removed, retired = _remove_missing(keys)
        from .models import Skill

        problems = validate_db()
        published = set(Skill.objects.filter(is_published=True).values_list("slug", flat=True))
        stopping = blocking(problems, published)
        if stopping:
            where = {}
            for model_keys in keys.values():
                for key, file in model_keys.items():
                    where.setdefault(str(key[0]), file)
            lines = [f"{where.get(p.skill, '?')}: {p}" for p in stopping]
            raise CatalogueError("the catalogue breaks its rules:\n" + "\n".join(lines))
        version = refresh_catalogue_version()
    return LoadReport(
        files=[p.name for p in paths],
        objects=sum(len(v) for v in keys.values()),
        removed=removed,
        retired=retired,
        version=version,
        warnings=[p for p in problems if p not in stopping],
    )


def dump_catalogue(directory: Path) -> list[Path]:
    """Write the catalogue back as YAML with natural keys: one file of shared rows, one per category."""
    from django.core import serializers

    from .models import (
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

    def write(path: Path, querysets) -> None:
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
                RoleTarget.objects.filter(**in_category)
                .order_by("skill__slug", "role__slug")
                .select_related("skill", "role"),
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
    return written


def question_hash(prompt: str, choices: list[tuple[str, str]]) -> str:
    """A short content hash of a question as a learner sees it: prompt and labelled choices."""
    text = prompt.strip() + "\n" + "\n".join(f"{label}. {body.strip()}" for label, body in sorted(choices))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
