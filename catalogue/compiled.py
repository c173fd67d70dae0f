"""Queries compiled once per process, for the reads every visit makes.

Django takes longer to compile a small query than the database takes to run it: on a page that
reads a handful of the person's rows, compiling is most of the cost. A query here is compiled once,
from a queryset written with stand-in values (``SOME_PK``, ``SOME_USER``, ``SOME_DAY``) that are
replaced by the real ones when it runs; rows come back as the queryset would give them (model
instances with their annotations, or converted values), converted the same way.

A query compiled here is read-only and user-scoped by its stand-ins; anything that writes goes
through the ORM as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model, QuerySet, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

# Stand-ins: values no real row or request has (ids are positive, no plan reaches year 1001).
SOME_PK, SOME_USER = -1_000_000_001, -1_000_000_002
SOME_DAY = date(1001, 1, 1)


@dataclass(frozen=True)
class CompiledQuery:
    """A queryset's SQL and parameters, with what turns its rows back into the queryset's results."""

    model: type[Any]
    sql: str
    params: tuple[Any, ...]
    expressions: tuple[Any, ...]  # each column's expression, for its converters
    fields: tuple[str, ...]  # the model's attribute names, for the first len(fields) columns
    annotations: tuple[str, ...]  # the names of the columns after them

    @classmethod
    def of(cls, queryset: QuerySet[Any]) -> CompiledQuery:
        """A query returning model instances: only the model's own columns (some may be deferred),
        then its annotations; no ``select_related``."""
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        expressions = tuple(expression for expression, _sql, _alias in compiler.select)
        klass_info = compiler.klass_info or {}
        if klass_info.get("related_klass_infos"):
            raise ValueError("no select_related")
        fields = tuple(expressions[i].target.attname for i in klass_info.get("select_fields", ()))
        annotations = tuple(sorted(compiler.annotation_col_map, key=compiler.annotation_col_map.__getitem__))
        if list(range(len(fields) + len(annotations))) != [
            *klass_info.get("select_fields", ()),
            *(compiler.annotation_col_map[name] for name in annotations),
        ]:
            raise ValueError("only a model's own columns, then its annotations")
        return cls(queryset.model, sql, tuple(params), expressions, fields, annotations)

    @classmethod
    def of_values(cls, queryset: QuerySet[Any]) -> CompiledQuery:
        """A ``values_list`` query (a union of them too): its rows come back as tuples."""
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        expressions = tuple(expression for expression, _sql, _alias in compiler.select)
        return cls(queryset.model, sql, tuple(params), expressions, (), ())


def _stand_in(db: Any, value: Any) -> Any:
    """``value`` as it appears among a compiled query's parameters."""
    if type(value) is date:
        return db.ops.adapt_datefield_value(value)
    return value


def _fetch(query: CompiledQuery, values: Mapping[Any, Any]) -> tuple[Any, list[tuple[Any, ...]]]:
    db = connections[DEFAULT_DB_ALIAS]  # the proxy ``connection`` looks this up on every use
    replace = {_stand_in(db, stand_in): _stand_in(db, value) for stand_in, value in values.items()}
    params = [
        replace.get(value, value) if type(value) in (int, str, date) else value for value in query.params
    ]
    with db.cursor() as cursor:
        cursor.execute(query.sql, params)
        return db, cursor.fetchall()


Converters = list[tuple[int, Any, list[Any]]]
"""For each column that needs it: its position, its expression and the ORM's converters for it."""


def convert(row: Sequence[Any], converters: Converters, db: Any = None) -> list[Any]:
    """One row's values converted as the ORM converts them (also for written-out queries)."""
    db = db or connections[DEFAULT_DB_ALIAS]
    values = list(row)
    for index, expression, functions in converters:
        for function in functions:
            values[index] = function(values[index], expression, db)
    return values


def _converted(db: Any, query: CompiledQuery, rows: list[tuple[Any, ...]]) -> list[list[Any]]:
    converters: Converters = []
    for index, expression in enumerate(query.expressions):
        functions = db.ops.get_db_converters(expression) + expression.get_db_converters(db)
        if functions:
            converters.append((index, expression, functions))
    return [convert(row, converters, db) for row in rows]


def loaded(model: type[Model], names: tuple[str, ...], values: Sequence[Any]) -> Any:
    """A model instance as ``model.from_db(DEFAULT_DB_ALIAS, names, values)`` makes it.

    ``Model.__init__`` sets each field through its descriptor and sends ``pre_init`` and
    ``post_init``; for the plain columns read here (no receiver of those signals, no field with a
    descriptor of its own, such as a file) that comes down to filling the instance's ``__dict__``,
    which is what this does, at a fraction of the cost. Anything else goes through ``from_db``.
    """
    return loader(model, names)(values)


def loader(model: type[Model], names: tuple[str, ...]) -> Callable[[Sequence[Any]], Any]:
    """What :func:`loaded` does, for one batch of rows: whether it may fill instances directly is
    asked once, when the batch starts."""
    if not _plain(model, names):
        return partial(model.from_db, DEFAULT_DB_ALIAS, names)

    def make(values: Sequence[Any]) -> Any:
        instance = model.__new__(model)
        instance.__dict__.update(zip(names, values, strict=True))
        state = instance._state = ModelState()
        state.adding, state.db = False, DEFAULT_DB_ALIAS
        return instance

    return make


def _plain(model: type[Model], names: tuple[str, ...]) -> bool:
    """Whether ``loaded`` may fill an instance of ``model`` directly (asked each time: a receiver
    of ``pre_init`` or ``post_init`` may be connected at any moment)."""
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return False
    return _plain_fields(model, names)


@lru_cache(maxsize=256)
def _plain_fields(model: type[Model], names: tuple[str, ...]) -> bool:
    """Every named field is one of the model's concrete columns, read through Django's plain
    ``DeferredAttribute`` (or its foreign-key kind), so setting it is storing it."""
    attnames = {field.attname for field in model._meta.concrete_fields}
    return all(name in attnames and type(getattr(model, name, None)) in _PLAIN for name in names)


_PLAIN = (DeferredAttribute, ForeignKeyDeferredAttribute)


def read(query: CompiledQuery, values: Mapping[Any, Any]) -> list[Any]:
    """The rows of ``query`` (from :meth:`CompiledQuery.of`) with its stand-ins replaced by
    ``values`` (stand-in: real value), as model instances."""
    db, rows = _fetch(query, values)
    if not rows:
        return []
    count, found, make = len(query.fields), [], loader(query.model, query.fields)
    for row in _converted(db, query, rows):
        instance = make(row[:count])
        for name, value in zip(query.annotations, row[count:], strict=True):
            setattr(instance, name, value)
        found.append(instance)
    return found


def read_values(query: CompiledQuery, values: Mapping[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``query`` (from :meth:`CompiledQuery.of_values`) as converted tuples."""
    db, rows = _fetch(query, values)
    return [tuple(row) for row in _converted(db, query, rows)] if rows else []
