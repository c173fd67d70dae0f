"""The catalogue's YAML files: read (checked for shape, duplicates and unknown references), loaded
in one transaction and validated, and dumped back with natural keys.

Reading is defensive: a file is refused before parsing if it is too large, parsed with a loader
that refuses anchors, aliases, merge keys, duplicate keys and deep nesting (so nothing is ever
expanded), and every entry's shape is checked field by field before Django sees it. Any problem
rolls the whole load back and raises :class:`CatalogueError` with a message that names the file,
the entry and the field or rule.

Loading is additive: rows the files do not mention are reported and kept, and only removed when
the caller asks for it (``prune``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, models, transaction
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode

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

# The real files are under 100 kB each; anything this large is a mistake or an attack.
MAX_FILE_BYTES = 5 * 1024 * 1024
# The file's list, an entry, its fields and a JSON field's value (a milestone's ``after``) need
# four levels; the margin is for JSON fields.
MAX_DEPTH = 8
# Whole numbers beyond a 64-bit column would overflow the database driver instead of failing cleanly.
MAX_INTEGER = 2**63 - 1

# A fixture entry's natural key, flattened (``("python", 2)`` for an anchor), and one entry as read.
NaturalKey = tuple[Any, ...]
Entry = dict[str, Any]

MSG_UNKNOWN_REFERENCE = "unknown reference: {field} {value!r} is not defined in the catalogue files"
MSG_DUPLICATE_KEY = "duplicate natural key {key} (first defined in {first})"
MSG_UNKNOWN_MODEL = "unknown model {model!r}: the catalogue holds only {allowed}"
MSG_TOO_LARGE = "{size} bytes; a catalogue file may hold at most {limit} bytes"
MSG_NOT_UTF8 = "not UTF-8 text (invalid byte at offset {offset})"
MSG_NOT_YAML = "not safe, valid YAML: {error}"
MSG_ALIAS = "aliases (*name) are not allowed in catalogue files"
MSG_ANCHOR = "anchors (&name) are not allowed in catalogue files"
MSG_MERGE_KEY = "merge keys (<<) are not allowed in catalogue files"
MSG_DUPLICATE_YAML_KEY = "duplicate key {key!r} in one mapping"
MSG_TOO_DEEP = "nested deeper than {limit} levels"
MSG_NOT_A_LIST = "a catalogue file must be a list of entries, not {got}"
MSG_ENTRY_NOT_MAPPING = "an entry must be a mapping with 'model' and 'fields', not {got}"
MSG_ENTRY_MISSING = "an entry needs {missing}"
MSG_ENTRY_EXTRA = "unexpected {keys}: an entry holds only 'model' and 'fields'"
MSG_NUMERIC_PK = "numeric pk; use natural keys only"
MSG_FIELDS_NOT_MAPPING = "'fields' must be a mapping of field names to values, not {got}"
MSG_UNKNOWN_FIELD = "unknown field {field!r}: {model} has {allowed}"
MSG_WRONG_TYPE = "field {field}: expected {expected}, got {got}"
MSG_BAD_REFERENCE = "field {field}: expected a reference like [slug] (a one-item list of text), got {got}"
MSG_KEY_FIELD_MISSING = "field {field}: missing, and it is part of the natural key"
MSG_OUT_OF_RANGE = "field {field}: {value} is out of range"
MSG_BAD_TEXT = "field {field}: text holding a NUL character or invalid Unicode"


class CatalogueError(Exception):
    """A catalogue that must not be loaded or saved; the message names file, object and rule."""


# libyaml's parser when PyYAML was built with it (some ten times faster on the real files).
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_anchors_and_depth(text: str) -> None:
    """Walk the document's events once: refuse any anchor or alias, and nesting beyond MAX_DEPTH.

    This runs before anything is composed, so nothing is ever expanded: an alias bomb is refused
    at its first anchor and costs no more than its own bytes.
    """
    parser = _SafeLoader(text)
    depth = 0
    try:
        while parser.check_event():
            event: Any = parser.get_event()  # type: ignore[no-untyped-call]
            mark = event.start_mark
            if isinstance(event, yaml.AliasEvent):
                raise ComposerError(None, None, MSG_ALIAS, mark)
            if getattr(event, "anchor", None) is not None:
                raise ComposerError(None, None, MSG_ANCHOR, mark)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ComposerError(None, None, MSG_TOO_DEEP.format(limit=MAX_DEPTH), mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        parser.dispose()


class _CatalogueYamlLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """PyYAML's safe loader, refusing merge keys and duplicate keys (which it would silently merge
    or overwrite). Used only on text that passed :func:`_refuse_anchors_and_depth`."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise ConstructorError(None, None, MSG_MERGE_KEY, key_node.start_mark)
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable) and not isinstance(key, tuple):
                if key in seen:
                    raise ConstructorError(
                        None, None, MSG_DUPLICATE_YAML_KEY.format(key=key), key_node.start_mark
                    )
                seen.add(key)
        mapping: dict[Hashable, Any] = super().construct_mapping(node, deep)
        return mapping


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


def _shown(key: NaturalKey) -> str:
    return "/".join(map(str, key))


def _display_name(path: Path, directory: Path | None) -> str:
    """The file as messages name it: relative to the catalogue directory when inside it."""
    if directory is not None:
        try:
            return path.resolve().relative_to(directory.resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return path.name


def _describe(value: Any) -> str:
    """What a YAML value is, in words, for a message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, int | float):
        return f"a number ({value!r:.40})"
    if isinstance(value, str):
        return f"text ({value!r:.40})"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, set):
        return "a set"
    return type(value).__name__


def parse_file(path: Path, name: str | None = None) -> Any:
    """One catalogue file as plain data, or :class:`CatalogueError` for a file that is too large,
    not UTF-8, not YAML, or uses anchors, aliases, duplicate keys or deep nesting."""
    name = name or path.name
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise CatalogueError(f"{name}: cannot be read: {error.strerror}") from error
    if len(data) > MAX_FILE_BYTES:
        size = max(len(data), path.stat().st_size)
        raise CatalogueError(f"{name}: " + MSG_TOO_LARGE.format(size=size, limit=MAX_FILE_BYTES))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CatalogueError(f"{name}: " + MSG_NOT_UTF8.format(offset=error.start)) from error
    loader = None
    try:
        _refuse_anchors_and_depth(text)
        loader = _CatalogueYamlLoader(text)
        return loader.get_single_data()
    except yaml.YAMLError as error:
        raise CatalogueError(f"{name}: " + MSG_NOT_YAML.format(error=error)) from error
    except (ValueError, TypeError, LookupError, OverflowError, RecursionError) as error:
        # PyYAML's constructors raise these for values that match a tag but not its type
        # (``2024-13-45`` looks like a date; ``!!int x``, ``!!int`` alone, ``!!bool x``); they are
        # still invalid YAML.
        raise CatalogueError(f"{name}: " + MSG_NOT_YAML.format(error=error)) from error
    finally:
        if loader is not None:
            loader.dispose()


def _clean_text(value: str) -> bool:
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _decimal(value: Any) -> Decimal | None:
    """``value`` as a finite decimal number, or None when it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def _json_problem(value: Any) -> str | None:
    """Why ``value`` cannot be stored in a JSON field (None when it can)."""
    if value is None or isinstance(value, bool | int):
        return None if not isinstance(value, int) or abs(value) <= MAX_INTEGER else "a number out of range"
    if isinstance(value, float):
        return None if math.isfinite(value) else "a number that is not finite"
    if isinstance(value, str):
        return None if _clean_text(value) else "text holding a NUL character or invalid Unicode"
    if isinstance(value, list):
        return next((p for p in map(_json_problem, value) if p), None)
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            return "a mapping whose keys are not all text"
        return next((p for p in map(_json_problem, [*value.keys(), *value.values()]) if p), None)
    return _describe(value)


def _field_problem(model: type[models.Model], field: models.Field[Any, Any], value: Any) -> str | None:
    """Why ``value`` does not fit ``field``'s type (None when it does; content rules come later)."""
    name = field.name
    if value is None:
        if field.null:
            return None
        expected = "a reference like [slug]" if field.is_relation else "a value"
        return MSG_WRONG_TYPE.format(field=name, expected=expected, got=_describe(value))
    if field.is_relation:
        target = field.related_model
        assert target is not None and not isinstance(target, str)
        size = len(NATURAL_KEY_FIELDS.get(target._meta.label_lower, ("slug",)))
        if (
            not isinstance(value, list)
            or len(value) != size
            or not all(isinstance(part, str) and part and _clean_text(part) for part in value)
        ):
            return MSG_BAD_REFERENCE.format(field=name, got=_describe(value))
        return None
    if isinstance(field, models.JSONField):
        problem = _json_problem(value)
        return (
            None if problem is None else MSG_WRONG_TYPE.format(field=name, expected="JSON data", got=problem)
        )
    if isinstance(field, models.BooleanField):
        ok = isinstance(value, bool)
        expected = "true or false"
    elif isinstance(field, models.IntegerField):
        ok = isinstance(value, int) and not isinstance(value, bool)
        expected = "a whole number"
        if ok and abs(value) > MAX_INTEGER:
            return MSG_OUT_OF_RANGE.format(field=name, value=value)
    elif isinstance(field, models.DecimalField):
        # Dumps write decimals as text ('710000.00'); hand-written files may use plain numbers.
        number = _decimal(value)
        ok = number is not None
        expected = "a number"
        if number is not None and abs(number) > MAX_INTEGER:
            return MSG_OUT_OF_RANGE.format(field=name, value=value)
    elif isinstance(field, models.CharField | models.TextField):
        ok = isinstance(value, str)
        expected = "text"
        if ok and not _clean_text(value):
            return MSG_BAD_TEXT.format(field=name)
    else:  # a field type the catalogue does not use yet: refuse anything but plain scalars
        ok = isinstance(value, str | int | float) and not isinstance(value, bool)
        expected = "a plain value"
    return None if ok else MSG_WRONG_TYPE.format(field=name, expected=expected, got=_describe(value))


def _fields_of(model: type[models.Model]) -> dict[str, models.Field[Any, Any]]:
    """The fields an entry may set: every concrete field but the numeric primary key."""
    return {f.name: f for f in model._meta.concrete_fields if not f.primary_key}


def check_entry(name: str, index: int, entry: Any) -> tuple[str, dict[str, Any]]:
    """One entry's model label and fields, or :class:`CatalogueError` naming file, entry and field."""
    where = f"{name}: entry {index}"
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where}: " + MSG_ENTRY_NOT_MAPPING.format(got=_describe(entry)))
    missing = [f"'{k}'" for k in ("model", "fields") if k not in entry]
    if missing:
        raise CatalogueError(f"{where}: " + MSG_ENTRY_MISSING.format(missing=" and ".join(missing)))
    raw_model = entry["model"]
    model = raw_model.lower() if isinstance(raw_model, str) else ""
    if model not in NATURAL_KEY_FIELDS:
        allowed = ", ".join(sorted(NATURAL_KEY_FIELDS))
        shown = raw_model if isinstance(raw_model, str) else _describe(raw_model)
        raise CatalogueError(f"{where}: " + MSG_UNKNOWN_MODEL.format(model=shown, allowed=allowed))
    where = f"{where} ({model})"
    if "pk" in entry:
        raise CatalogueError(f"{where}: " + MSG_NUMERIC_PK)
    extra = [repr(k) for k in entry if k not in ("model", "fields")]
    if extra:
        raise CatalogueError(f"{where}: " + MSG_ENTRY_EXTRA.format(keys=", ".join(extra)))
    fields = entry["fields"]
    if not isinstance(fields, dict):
        raise CatalogueError(f"{where}: " + MSG_FIELDS_NOT_MAPPING.format(got=_describe(fields)))
    model_class = apps.get_model(model)
    known = _fields_of(model_class)
    for field_name in fields:
        if not isinstance(field_name, str) or field_name not in known:
            shown = field_name if isinstance(field_name, str) else _describe(field_name)
            allowed = ", ".join(sorted(known))
            raise CatalogueError(
                f"{where}: " + MSG_UNKNOWN_FIELD.format(field=shown, model=model, allowed=allowed)
            )
    key_fields = NATURAL_KEY_FIELDS[model]
    for field_name in key_fields:
        field = known[field_name]
        if field_name not in fields and (field.is_relation or not field.has_default()):
            raise CatalogueError(f"{where}: " + MSG_KEY_FIELD_MISSING.format(field=field_name))
        problem = _field_problem(model_class, field, fields[field_name]) if field_name in fields else None
        if problem:
            raise CatalogueError(f"{where}: {problem}")
    where = f"{name}: entry {index} ({model} {'/'.join(map(str, natural_key_of(model, fields)))})"
    for field_name, value in fields.items():
        if field_name not in key_fields:
            problem = _field_problem(model_class, known[field_name], value)
            if problem:
                raise CatalogueError(f"{where}: {problem}")
    return model, fields


def _read(
    paths: list[Path], directory: Path | None
) -> tuple[dict[str, dict[NaturalKey, str]], list[tuple[str, Entry]]]:
    """The natural keys by model and every (file, entry), checked for shape and duplicates."""
    seen: dict[str, dict[NaturalKey, str]] = defaultdict(dict)
    collected: list[tuple[str, Entry]] = []
    for path in paths:
        name = _display_name(path, directory)
        entries = parse_file(path, name)
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise CatalogueError(f"{name}: " + MSG_NOT_A_LIST.format(got=_describe(entries)))
        for index, entry in enumerate(entries, start=1):
            model, fields = check_entry(name, index, entry)
            key = natural_key_of(model, fields)
            if key in seen[model]:
                raise CatalogueError(
                    f"{name}: entry {index} ({model} {_shown(key)}): "
                    + MSG_DUPLICATE_KEY.format(key=_shown(key), first=seen[model][key])
                )
            seen[model][key] = name
            collected.append((name, {"model": model, "fields": fields}))
    return seen, collected


def _check_references(
    seen: dict[str, dict[NaturalKey, str]],
    entries: list[tuple[str, Entry]],
    known: dict[str, set[NaturalKey]],
) -> None:
    """Refuse a reference to a row that neither the files nor ``known`` (the database) define."""
    for file, entry in entries:
        model, fields = entry["model"], entry["fields"]
        for field_name, target in REFERENCE_FIELDS.items():
            value = fields.get(field_name)
            if isinstance(value, list):
                wanted = tuple(value)
                if wanted not in seen.get(target, {}) and wanted not in known.get(target, set()):
                    rule = MSG_UNKNOWN_REFERENCE.format(field=field_name, value=_shown(wanted))
                    raise CatalogueError(f"{file}: {model} {_shown(natural_key_of(model, fields))}: {rule}")


def read_fixtures(
    paths: list[Path], directory: Path | None = None
) -> tuple[dict[str, dict[NaturalKey, str]], list[tuple[str, Entry]]]:
    """The natural keys by model and every (file, entry), checked for shape, duplicates and
    references to rows the files do not define."""
    seen, collected = _read(paths, directory)
    _check_references(seen, collected, {})
    return seen, collected


def _save_entries(entries: list[tuple[str, Entry]]) -> None:
    """Create or update every entry, parents before children, naming the file of any failure."""
    order = list(NATURAL_KEY_FIELDS)
    for file, entry in sorted(entries, key=lambda item: order.index(item[1]["model"])):
        model = entry["model"]
        key = "/".join(map(str, natural_key_of(model, entry["fields"])))
        try:
            with transaction.atomic():
                for obj in serializers.deserialize("python", [entry]):
                    obj.object.full_clean(validate_unique=False, validate_constraints=False)
                    obj.save()
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {"value": error.messages}
            details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in messages.items())
            raise CatalogueError(f"{file}: {model} {key}: {details}") from error
        except (
            DatabaseError,
            DeserializationError,
            FieldDoesNotExist,
            ValueError,
            LookupError,
            TypeError,
            ArithmeticError,
        ) as error:
            raise CatalogueError(f"{file}: {model} {key}: could not load: {error}") from error


def _snapshot() -> dict[str, dict[NaturalKey, tuple[Any, ...]]]:
    """Every catalogue row's stored values by model and natural key (to tell added from changed)."""
    rows: dict[str, dict[NaturalKey, tuple[Any, ...]]] = {}
    for model in CATALOGUE_MODELS:
        related = [f.name for f in model._meta.concrete_fields if f.is_relation]
        names = [f.attname for f in model._meta.concrete_fields]
        rows[model._meta.label_lower] = {
            obj.natural_key(): tuple(getattr(obj, n) for n in names)
            for obj in model._default_manager.select_related(*related)
        }
    return rows


@dataclass
class LoadReport:
    """What a load did (or, checked only, would do): natural keys as ``a/b`` strings by model."""

    files: list[str]
    objects: int
    version: str
    warnings: list[Problem]
    added: dict[str, list[str]] = field(default_factory=dict)
    changed: dict[str, list[str]] = field(default_factory=dict)
    absent: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)
    retired: list[str] = field(default_factory=list)
    written: bool = True

    @property
    def going_skills(self) -> list[str]:
        """Slugs of the skills this prune deletes or unpublishes."""
        retired = [line.split()[1] for line in self.retired if line.startswith("skill ")]
        return sorted({*self.removed.get("catalogue.skill", []), *retired})


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


def _absent(keys: dict[str, dict[NaturalKey, str]]) -> dict[str, list[str]]:
    """Catalogue rows in the database that the files do not mention, by model."""
    absent: dict[str, list[str]] = {}
    for model in CATALOGUE_MODELS:
        label = model._meta.label_lower
        wanted = keys.get(label, {})
        related = [f.name for f in model._meta.concrete_fields if f.is_relation]
        missing = sorted(
            _shown(obj.natural_key())
            for obj in model._default_manager.select_related(*related)
            if obj.natural_key() not in wanted
        )
        if missing:
            absent[label] = missing
    return absent


def _remove_missing(keys: dict[str, dict[NaturalKey, str]]) -> tuple[dict[str, list[str]], list[str]]:
    """Delete catalogue rows that are no longer in the files; retire those learners' data uses."""
    answered_questions = _protected_ids(Question)
    chosen = _protected_ids(Choice)
    used_skills = _protected_ids(Skill)
    removed: dict[str, list[str]] = {}
    retired: list[str] = []
    # Children before parents, so nothing is deleted by cascade behind our back.
    for model in reversed(CATALOGUE_MODELS):
        label = model._meta.label_lower
        wanted = keys.get(label, {})
        related = [f.name for f in model._meta.concrete_fields if f.is_relation]
        rows = model._default_manager.select_related(*related)
        missing = [obj for obj in rows if obj.natural_key() not in wanted]
        delete: dict[int, str] = {}
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
                delete[obj.pk] = _shown(obj.natural_key())
        if delete:
            model._default_manager.filter(pk__in=list(delete)).delete()
            removed[label] = sorted(delete.values())
    return removed, retired


def load_catalogue(
    directory: Path,
    paths: list[Path] | None = None,
    *,
    prune: bool = False,
    check: bool = False,
) -> LoadReport:
    """Load the fixture files in one transaction; any problem rolls everything back.

    Rows the files do not mention are kept and reported (``absent``); ``prune`` removes them
    (retiring what learners' records use). ``check`` does all of it, validation included, and
    rolls back, so the report says what a load would do.
    """
    paths = paths or fixture_files(directory)
    if not paths:
        raise CatalogueError(f"no catalogue files (*.yaml) in {directory.name}/")
    # YAML safety, shape and duplicates need no database: a hostile file is refused before any query.
    keys, entries = _read(paths, directory)
    with transaction.atomic():
        before = _snapshot()
        # A reference may name a row already in the database: loading one file adds to the rest.
        _check_references(keys, entries, {label: set(rows) for label, rows in before.items()})
        _save_entries(entries)
        after = _snapshot()
        added: dict[str, list[str]] = {}
        changed: dict[str, list[str]] = {}
        for label, rows in keys.items():
            new = sorted(_shown(k) for k in rows if k not in before.get(label, {}))
            edited = sorted(
                _shown(k)
                for k in rows
                if k in before.get(label, {}) and before[label][k] != after[label].get(k)
            )
            if new:
                added[label] = new
            if edited:
                changed[label] = edited
        absent = _absent(keys)
        removed: dict[str, list[str]] = {}
        retired: list[str] = []
        if prune:
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
        if check:
            version = selectors.catalogue_version()
            transaction.set_rollback(True)
        else:
            version = services.refresh_catalogue_version()
    return LoadReport(
        files=[_display_name(p, directory) for p in paths],
        objects=sum(len(v) for v in keys.values()),
        version=version,
        warnings=[p for p in problems if p not in stopping],
        added=added,
        changed=changed,
        absent=absent,
        removed=removed,
        retired=retired,
        written=not check,
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
