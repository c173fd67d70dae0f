from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models
from django.test.utils import override_settings

from catalogue import caching as catalogue_caching
from catalogue import services as catalogue_services
from catalogue.models import CATALOGUE_MODELS, CatalogueState
from tests.accounts import factories as account_factories
from tests.catalogue import factories as catalogue_factories
from tests.module_data import fast_password_hasher

DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"


@pytest.fixture(scope="session")
def configured_caches() -> dict[str, dict[str, Any]]:
    """The caches the settings configure: Redis with REDIS_URL, otherwise the database cache."""
    return {alias: dict(config) for alias, config in django_settings.CACHES.items()}


@pytest.fixture(scope="session", autouse=True)
def local_memory_cache(configured_caches):
    """Tests keep the database cache's work in local memory, emptied around each test
    (clear_local_caches): its rows would outlive the flush of transactional (browser) tests, and its
    queries would count in the query bounds. Tests of the shared cache itself ask for ``shared_cache``."""
    if configured_caches["default"]["BACKEND"] != DATABASE_CACHE:
        yield
        return
    memory = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    local = configured_caches | {"default": memory}
    if "sessions" in configured_caches:
        local["sessions"] = memory | {"LOCATION": "sessions"}
    with override_settings(CACHES=local):
        yield


@pytest.fixture(scope="session", autouse=True)
def fast_passwords():
    """Every person the tests make gets their password hashed in microseconds, not the production
    hasher's better part of a second (see tests/module_data.py)."""
    with fast_password_hasher():
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, configured_caches):
    """The test database, with the database cache's table (`make run` and `make serve` make it so too)."""
    with django_db_blocker.unblock(), override_settings(CACHES=configured_caches):
        call_command("createcachetable", verbosity=0)


@pytest.fixture
def shared_cache(db, settings, configured_caches):
    """The cache every process shares, as the settings configure it (the database cache, or Redis)."""
    settings.CACHES = configured_caches
    return caches["default"]


@pytest.fixture(autouse=True)
def clear_local_caches():
    """Every test starts with an empty local-memory cache: rate-limit counters, cached page bodies
    (keyed by catalogue version and ids that the next test reuses) never carry over. A Redis cache
    (REDIS_URL in the environment) is left alone: clearing it would flush a whole shared database."""

    def clear():
        for cache in caches.all():
            if isinstance(cache, LocMemCache):
                cache.clear()
        catalogue_caching.LOCAL.clear()

    clear()
    yield
    clear()


# What must never appear in a log line: the links sent by e-mail (allauth's `set-password` stand-in
# and a redacted key are no secret) and the keys in them.
RESET_URL = re.compile(r"/password/reset/key/(?![0-9a-z]+-set-password/)[0-9a-z]+-[\w:.-]+")
CONFIRMATION_URL = re.compile(r"/confirm-email/[\w:.-]+")
WEEKLY_EMAIL_STOP_URL = re.compile(r"/email/weekly/stop/[\w:.-]+")
RESET_KEY = re.compile(r"\b[0-9a-z]{1,13}-[0-9a-f]{20,}\b")  # Django's password reset token
SIGNED_KEY = re.compile(r"\b[\w-]+:[0-9A-Za-z]+:[\w-]{43}\b")  # django.core.signing: confirmation keys
SECRETS_IN_LOGS = {
    "a password reset link": RESET_URL,
    "an e-mail confirmation link": CONFIRMATION_URL,
    "a weekly e-mail stop link": WEEKLY_EMAIL_STOP_URL,
    "a password reset key": RESET_KEY,
    "a signed key": SIGNED_KEY,
}


def secrets_in_log(records: list[logging.LogRecord]) -> list[str]:
    """Which e-mailed secrets the log records hold, as "<what>: <log line>"."""
    formatter = logging.Formatter()
    found = []
    for record in records:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + formatter.formatException(record.exc_info)
        found += [f"{what}: {text}" for what, pattern in SECRETS_IN_LOGS.items() if pattern.search(text)]
    return found


@pytest.fixture(autouse=True)
def no_secrets_in_logs(caplog):
    """No test may log a password reset or confirmation link or key (from INFO up)."""
    caplog.set_level(logging.INFO)
    yield
    found = secrets_in_log(caplog.get_records("setup") + caplog.get_records("call"))
    if found:
        pytest.fail("secrets in the log:\n" + "\n".join(found), pytrace=False)


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
    return make_small_catalogue()


def make_small_catalogue() -> dict[str, Any]:
    """The rows of ``small_catalogue``, for fixtures of a wider scope; its published skills by slug."""
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
    load_full_catalogue(real_catalogue_rows)


def load_full_catalogue(real_catalogue_rows: list[TableRows]) -> None:
    """What ``full_catalogue`` does, for fixtures of a wider scope (given ``real_catalogue_rows``)."""
    if not catalogue_is_empty():  # the test made catalogue rows of its own: merge as the command does
        call_command("load_catalogue", verbosity=0)
    elif real_catalogue_rows:
        for table in real_catalogue_rows:
            table.write()
        reset_sequences()
    else:
        call_command("load_catalogue", verbosity=0)
        real_catalogue_rows[:] = [TableRows.read(model) for model in catalogue_tables()]
