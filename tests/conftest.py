from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models

from catalogue import services as catalogue_services
from catalogue.models import CATALOGUE_MODELS, CatalogueState
from tests.accounts import factories as account_factories
from tests.catalogue import factories as catalogue_factories


@pytest.fixture(autouse=True)
def clear_local_caches():
    """Every test starts with an empty local-memory cache: rate-limit counters, cached page bodies
    (keyed by catalogue version and ids that the next test reuses) never carry over. A Redis cache
    (REDIS_URL in the environment) is left alone: clearing it would flush a whole shared database."""

    def clear():
        for cache in caches.all():
            if isinstance(cache, LocMemCache):
                cache.clear()

    clear()
    yield
    clear()


@pytest.fixture
def user(db):
    return account_factories.UserFactory()


@pytest.fixture
def other_user(db):
    return account_factories.UserFactory()


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def small_catalogue(db):
    """Two categories, four published skills, two roles, a prerequisite chain, one milestone."""
    from catalogue.models import CareerMilestone, Prerequisite, SkillCategory
    from catalogue.vocab import Phase

    foundations = SkillCategory.objects.create(
        slug="programming", name="Programming", order=1, phase=Phase.FOUNDATIONS
    )
    core = SkillCategory.objects.create(
        slug="ml-frameworks", name="ML frameworks", order=2, phase=Phase.CORE_ML
    )
    both = (("machine-learning-engineer", 3, 4), ("data-scientist", 2, 3))
    python = catalogue_factories.complete_skill(
        slug="python", category=foundations, name="Python", roles=both
    )
    sql = catalogue_factories.complete_skill(
        slug="sql",
        category=foundations,
        name="SQL",
        roles=(("machine-learning-engineer", 2, 2), ("data-scientist", 3, 3)),
    )
    sklearn = catalogue_factories.complete_skill(
        slug="scikit-learn", category=core, name="scikit-learn", roles=both
    )
    pytorch = catalogue_factories.complete_skill(
        slug="pytorch",
        category=core,
        name="PyTorch",
        roles=(("machine-learning-engineer", 3, 3), ("data-scientist", 1, 1)),
    )
    Prerequisite.objects.create(skill=sklearn, requires=python, min_level=2)
    Prerequisite.objects.create(skill=pytorch, requires=python, min_level=2)
    CareerMilestone.objects.create(
        slug="certification",
        name="A certification",
        description="Earn one.",
        hours=40,
        order=1,
        source="editorial",
    )
    catalogue_services.refresh_catalogue_version()
    return {"python": python, "sql": sql, "scikit-learn": sklearn, "pytorch": pytorch}


# --- the real catalogue: loaded once per session, restored cheaply in every test that asks -------

# Parents before children (the loader deletes in the reverse order), then the version row.
CATALOGUE_TABLES: tuple[type[models.Model], ...] = (*CATALOGUE_MODELS, CatalogueState)


@dataclass
class TableRows:
    """One table's rows as plain field values, ids included."""

    model: type[models.Model]
    names: list[str]
    rows: list[tuple[Any, ...]]
    auto_now: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, model: type[models.Model]) -> TableRows:
        fields = model._meta.concrete_fields
        names = [f.attname for f in fields]
        rows = list(model._base_manager.order_by("pk").values_list(*names))
        return cls(model, names, rows, [f.attname for f in fields if getattr(f, "auto_now", False)])

    def write(self) -> None:
        manager = self.model._base_manager
        manager.bulk_create([self.model(**dict(zip(self.names, row, strict=True))) for row in self.rows])
        # bulk_create stamps auto_now fields with the time of the insert: put the loaded values back.
        for row in self.rows if self.auto_now else ():
            values = dict(zip(self.names, row, strict=True))
            manager.filter(pk=values[self.model._meta.pk.attname]).update(
                **{name: values[name] for name in self.auto_now}
            )


def catalogue_tables() -> list[type[models.Model]]:
    """CATALOGUE_TABLES and the through tables of their many-to-many fields, each after what it references."""
    tables: list[type[models.Model]] = []
    for model in CATALOGUE_TABLES:
        tables.append(model)
        tables += [
            m2m.remote_field.through
            for m2m in model._meta.local_many_to_many
            if m2m.remote_field.through._meta.auto_created
        ]
    for position, model in enumerate(tables):
        for relation in model._meta.concrete_fields:
            target = relation.related_model if relation.is_relation else None
            assert target is None or target in tables[:position] or target is model, (
                f"{model.__name__} references {target.__name__}, which is not restored before it: "
                "keep CATALOGUE_MODELS in dependency order"
            )
    return tables


def catalogue_is_empty() -> bool:
    return not any(model._base_manager.exists() for model in catalogue_tables())


def reset_sequences() -> None:
    """After rows were inserted with explicit ids, the next id PostgreSQL hands out must be past them
    (a no-op on SQLite, whose next rowid is always past the largest)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(CATALOGUE_TABLES))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@pytest.fixture(scope="session")
def real_catalogue_rows() -> list[TableRows]:
    """The rows of the real catalogue, read once per session by the first test that loads it (empty
    until then)."""
    return []


@pytest.fixture
def full_catalogue(db, real_catalogue_rows):
    """The real catalogue from fixtures/, exactly: the first test loads and validates it with the
    load_catalogue command and keeps its rows; later tests insert the same rows with the same ids
    (some milliseconds instead of seconds). Each test's rollback (or flush, with
    ``transaction=True``) removes them again, so a test may change catalogue rows freely."""
    if not catalogue_is_empty():  # the test made catalogue rows of its own: merge as the command does
        call_command("load_catalogue", verbosity=0)
    elif real_catalogue_rows:
        for table in real_catalogue_rows:
            table.write()
        reset_sequences()
    else:
        call_command("load_catalogue", verbosity=0)
        real_catalogue_rows[:] = [TableRows.read(model) for model in catalogue_tables()]
