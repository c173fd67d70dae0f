"""Rows built once for the tests of a module, instead of once per test.

``module_rows`` opens a transaction, builds the rows in it and keeps it open around the module's
tests: each test's own transaction (pytest-django's ``db``) nests inside it as a savepoint, so what a
test writes is rolled back before the next one and every test sees the rows as they were built; the
rows themselves are rolled back after the module's last test. Only for tests with the plain ``db``,
never ``transaction=True`` (its flush would take the rows away from the tests after it).

``rows_added`` records the rows a piece of work adds (with their ids) so that a test can put exactly
those rows back in milliseconds (``AddedRows.write``) instead of doing the work again, when the
tests before it all start from the same rows (those of ``module_rows``).

``fast_password_hasher``: hashing a password with the production hasher takes the better part of a
second, and the setups make people; the suite uses it throughout (tests/conftest.py), as it checks
what people see and may do, not how a password is stored. The production hashers stay listed after
it, so a password hashed by them still verifies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.test.utils import override_settings
from pytest_django import DjangoDbBlocker

T = TypeVar("T")

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@contextmanager
def module_rows(django_db_blocker: DjangoDbBlocker, build: Callable[[], T]) -> Iterator[T]:
    """What ``build()`` returns, with the rows it made kept until the ``with`` block ends."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@contextmanager
def fast_password_hasher() -> Iterator[None]:
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


def database_tables() -> list[type[models.Model]]:
    """Every table of the project's models (many-to-many tables included)."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def rows_by_pk(model: type[models.Model], names: list[str]) -> dict[Any, tuple[Any, ...]]:
    position = names.index(model._meta.pk.attname)
    return {row[position]: row for row in model._base_manager.values_list(*names)}


@dataclass
class AddedRows:
    """Rows added to tables, as plain field values, ids included."""

    tables: list[tuple[type[models.Model], list[str], list[tuple[Any, ...]]]] = field(default_factory=list)

    def write(self) -> None:
        """Insert the rows again (foreign keys are checked at commit, so in any order), with the
        dates they had (``bulk_create`` stamps ``auto_now`` and ``auto_now_add`` fields with the
        time of the insert)."""
        for model, names, rows in self.tables:
            manager = model._base_manager
            manager.bulk_create([model(**dict(zip(names, row, strict=True))) for row in rows])
            stamped = [
                f.attname
                for f in model._meta.concrete_fields
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            ]
            for row in rows if stamped else ():
                values = dict(zip(names, row, strict=True))
                manager.filter(pk=values[model._meta.pk.attname]).update(
                    **{name: values[name] for name in stamped}
                )
        statements = connection.ops.sequence_reset_sql(no_style(), [model for model, _n, _r in self.tables])
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@contextmanager
def rows_added() -> Iterator[AddedRows]:
    """The rows added in every table by the work inside the ``with`` block, filled in on leaving it.

    The work may only add rows: a row it changed or deleted could not be put back by inserting."""
    tables = [(model, [f.attname for f in model._meta.concrete_fields]) for model in database_tables()]
    before = {model: rows_by_pk(model, names) for model, names in tables}
    added = AddedRows()
    yield added
    for model, names in tables:
        after = rows_by_pk(model, names)
        changed = [pk for pk, row in before[model].items() if after.get(pk) != row]
        assert not changed, f"{model.__name__} rows {changed[:5]} were changed or deleted"
        new = [row for pk, row in sorted(after.items()) if pk not in before[model]]
        if new:
            added.tables.append((model, names, new))
