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
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial
from typing import Any, Generic, TypeVar, overload

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


def _params(db: Any, query: CompiledQuery, values: Mapping[Any, Any]) -> list[Any]:
    """``query``'s parameters with its stand-ins replaced by ``values`` (stand-in: real value)."""
    replace = {_stand_in(db, stand_in): _stand_in(db, value) for stand_in, value in values.items()}
    return [replace.get(value, value) if type(value) in (int, str, date) else value for value in query.params]


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
    return run(instances(query, values))


def read_values(query: CompiledQuery, values: Mapping[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``query`` (from :meth:`CompiledQuery.of_values`) as converted tuples."""
    return run(tuples(query, values))


def _instances(query: CompiledQuery, db: Any, rows: list[tuple[Any, ...]]) -> list[Any]:
    if not rows:
        return []
    count, found, make = len(query.fields), [], loader(query.model, query.fields)
    for row in _converted(db, query, rows):
        instance = make(row[:count])
        for name, value in zip(query.annotations, row[count:], strict=True):
            setattr(instance, name, value)
        found.append(instance)
    return found


def _tuples(query: CompiledQuery, db: Any, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in _converted(db, query, rows)] if rows else []


@lru_cache(maxsize=1)
def _pipelines() -> bool:
    """Whether psycopg's client library has pipeline mode (libpq 14 or later)."""
    import psycopg  # only PostgreSQL's connections ask

    return bool(psycopg.Pipeline.is_supported())


# --- several reads in one round trip ---------------------------------------------------------

T = TypeVar("T")
T1 = TypeVar("T1")
T2 = TypeVar("T2")
T3 = TypeVar("T3")
T4 = TypeVar("T4")
T5 = TypeVar("T5")


@dataclass(frozen=True)
class Read(Generic[T]):
    """One query, and what a page makes of its rows: run alone (:func:`run`) or with the page's
    other reads (:func:`run_together`), which PostgreSQL answers in one round trip.

    ``finish`` gets the database connection and the rows as the driver gave them; it runs once
    every read of the batch has its rows, so it may query again (a read that needs a second
    query, rarely, makes it there).
    """

    sql: str
    params: Sequence[Any]
    finish: Callable[[Any, list[tuple[Any, ...]]], T]


def instances(query: CompiledQuery, values: Mapping[Any, Any]) -> Read[list[Any]]:
    """:func:`read` as a :class:`Read`."""
    db = connections[DEFAULT_DB_ALIAS]  # the proxy ``connection`` looks this up on every use
    return Read(query.sql, _params(db, query, values), partial(_instances, query))


def tuples(query: CompiledQuery, values: Mapping[Any, Any]) -> Read[list[tuple[Any, ...]]]:
    """:func:`read_values` as a :class:`Read`."""
    db = connections[DEFAULT_DB_ALIAS]
    return Read(query.sql, _params(db, query, values), partial(_tuples, query))


def then(read: Read[T1], function: Callable[[T1], T2]) -> Read[T2]:
    """``read``, with ``function`` applied to what it gives."""
    finish = read.finish
    return Read(read.sql, read.params, lambda db, rows: function(finish(db, rows)))


def run(read: Read[T]) -> T:
    """What ``read`` gives, from its one query."""
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        cursor.execute(read.sql, read.params)
        rows = cursor.fetchall()
    return read.finish(db, rows)


@overload
def run_together(r1: Read[T1], r2: Read[T2], /) -> tuple[T1, T2]: ...
@overload
def run_together(r1: Read[T1], r2: Read[T2], r3: Read[T3], /) -> tuple[T1, T2, T3]: ...
@overload
def run_together(r1: Read[T1], r2: Read[T2], r3: Read[T3], r4: Read[T4], /) -> tuple[T1, T2, T3, T4]: ...
@overload
def run_together(
    r1: Read[T1], r2: Read[T2], r3: Read[T3], r4: Read[T4], r5: Read[T5], /
) -> tuple[T1, T2, T3, T4, T5]: ...
def run_together(*reads: Read[Any]) -> tuple[Any, ...]:
    """What each read gives, in order, as :func:`run` would give it, the queries sent together.

    On PostgreSQL they go in one pipeline (psycopg's pipeline mode): sent at once, answered at
    once, one round trip instead of one per query, each still a query of its own (counted, logged
    and wrapped as Django does any). Elsewhere, or where the client library has no pipeline mode,
    they run one after the other.
    """
    db = connections[DEFAULT_DB_ALIAS]
    found = _fetch_together(db, reads)
    return tuple(read.finish(db, rows) for read, rows in zip(reads, found, strict=True))


def _fetch_together(db: Any, reads: Sequence[Read[Any]]) -> list[list[tuple[Any, ...]]]:
    cursors = [db.cursor() for _read in reads]  # the connection is opened (and checked) here
    try:
        with ExitStack() as pipeline:
            if db.vendor == "postgresql" and len(reads) > 1 and _pipelines():
                pipeline.enter_context(db.wrap_database_errors)
                pipeline.enter_context(db.connection.pipeline())
            for cursor, read in zip(cursors, reads, strict=True):
                cursor.execute(read.sql, read.params)
            return [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()
