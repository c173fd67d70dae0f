"""Backups: what backup_db writes, restore_db puts back into a fresh database, row for row.

Each round trip seeds people with assessments, results, roadmap steps, step notes and logged study
time through the services, backs the test database up, restores the file into a second, empty
database (a second connection alias) and compares every person's rows there as value lists.
"""

from __future__ import annotations

import copy
import shutil
import uuid
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.models import Model
from django.test import Client, override_settings
from django.utils import timezone

from accounts import signed_in
from accounts.models import Profile, User
from assessments import services
from assessments.models import Answer, Assessment, Result, SelfRating
from roadmap import services as roadmap_services
from roadmap.models import RoadmapStep, StepProgress, StepStatus, StudySession
from tests.accounts import factories as account_factories
from tests.assessments.through_services import fill_pages

pytestmark = pytest.mark.django_db(transaction=True)

RESTORED = "restored"
# Each table that holds a person's rows, with the path from its rows to the person.
PERSONAL: list[tuple[type[Model], str]] = [
    (User, "pk"),
    (Profile, "user"),
    (Assessment, "user"),
    (SelfRating, "assessment__user"),
    (Answer, "assessment__user"),
    (Result, "user"),
    (RoadmapStep, "user"),
    (StepProgress, "user"),
    (StudySession, "user"),
]


def take_assessment(user: User) -> Result:
    """Rate every skill 2 and answer every check with its first choice, then submit."""
    assessment = services.assessment_start(user=user)
    fill_pages(
        assessment,
        default=2,
        respond=lambda answer, choices: services.CheckResponse(
            answer_id=answer.pk, choice_id=choices[0].pk, certainty="fairly_sure"
        ),
    )
    return services.assessment_submit(assessment=assessment)


def seed_people(count: int = 3) -> list[User]:
    people = []
    yesterday = timezone.localdate() - timedelta(days=1)
    for number in range(count):
        person = account_factories.UserFactory()
        take_assessment(person)
        keys = list(
            RoadmapStep.objects.filter(user=person).order_by("position").values_list("key", flat=True)
        )
        assert keys, "the result gave no plan to tick"
        for key in keys[:2]:
            roadmap_services.step_mark(
                user=person,
                key=key,
                update=roadmap_services.StepUpdate(
                    status=StepStatus.DONE, notes=f"Notes of person {number} on {key}: ünïcode ✓", evidence=[]
                ),
            )
            roadmap_services.study_session_log(
                user=person, key=key, day=yesterday, hours=Decimal("1.25"), note=f"person {number}"
            )
        people.append(person)
    return people


def rows_of(person: User, alias: str) -> dict[str, list[tuple]]:
    return {
        model.__name__: list(
            model._default_manager.using(alias).filter(**{path: person.pk}).order_by("pk").values_list()
        )
        for model, path in PERSONAL
    }


def round_trip(tmp_path: Path) -> list[User]:
    """Seed, back up the test database, restore into RESTORED; return the people."""
    people = seed_people()
    browser = Client()
    browser.force_login(people[0])
    backup = tmp_path / "backup.file"
    call_command("backup_db", output=backup)
    assert backup.is_file()
    call_command("restore_db", backup, database=RESTORED)
    # The restored accounts are read afresh on their next page: the copies kept for their sessions
    # (accounts/signed_in.py) are retired.
    assert signed_in.store().get(signed_in.key(browser.session.session_key)) == signed_in.RETIRED
    return people


def assert_same_rows(people: list[User]) -> None:
    for person in people:
        original = rows_of(person, "default")
        assert all(original[name] for name in ("Result", "RoadmapStep", "StepProgress", "StudySession"))
        assert rows_of(person, RESTORED) == original
    for model, _path in PERSONAL:
        assert model._default_manager.using(RESTORED).count() == model._default_manager.count()


def add_alias(settings_dict: dict) -> None:
    """Open a connection alias on another database for this test only.

    The wrapper is made from a settings entry that is removed again at once: Django's test guard
    refuses aliases that are configured but not listed in the test's databases, and lets through
    connections made on the fly (the wrapper stays cached under its alias for this thread).
    """
    connections.settings[RESTORED] = settings_dict
    connections[RESTORED]  # creates and caches the wrapper
    del connections.settings[RESTORED]


def drop_alias() -> None:
    connections[RESTORED].close()
    del connections[RESTORED]


@pytest.fixture
def sqlite_restored(tmp_path: Path) -> Iterator[Path]:
    """A second alias on a new, empty SQLite file."""
    path = tmp_path / "restored.sqlite3"
    add_alias(copy.deepcopy(connection.settings_dict) | {"NAME": str(path)})
    yield path
    drop_alias()


@pytest.fixture
def postgres_restored() -> Iterator[str]:
    """A second alias on a new, empty PostgreSQL database, dropped afterwards."""
    name = f"careerpath_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    add_alias(copy.deepcopy(connection.settings_dict) | {"NAME": name})
    try:
        yield name
    finally:
        drop_alias()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite round trip needs a SQLite test database"
)
def test_sqlite_backup_restores_every_persons_rows_unchanged(small_catalogue, sqlite_restored, tmp_path):
    """A SQLite backup restored into a new file holds every person's rows as they were."""
    people = round_trip(tmp_path)
    assert sqlite_restored.read_bytes().startswith(b"SQLite format 3\x00")
    assert_same_rows(people)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the pg_dump round trip needs a PostgreSQL test database"
)
@pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="pg_dump and pg_restore are not on PATH (Debian: apt-get install postgresql-client)",
)
def test_postgres_backup_restores_every_persons_rows_unchanged(small_catalogue, postgres_restored, tmp_path):
    """A pg_dump backup restored with pg_restore into a new database holds every person's rows as they were."""
    people = round_trip(tmp_path)
    assert (tmp_path / "backup.file").read_bytes().startswith(b"PGDMP")
    assert_same_rows(people)


def test_restore_refuses_a_database_with_data_without_yes(small_catalogue, tmp_path):
    """Without --yes, a restore over people's data is refused and says what it would replace."""
    account_factories.UserFactory()
    backup = tmp_path / "backup.file"
    call_command("backup_db", output=backup)
    with pytest.raises(CommandError, match=r"holds 1 people and \d[\d,]* rows in \d+ tables") as refused:
        call_command("restore_db", backup)
    assert "Run again with --yes" in str(refused.value)
    assert User.objects.count() == 1


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    """A file of the wrong kind is refused before anything is replaced."""
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup")
    with pytest.raises(CommandError, match="is not a backup this database can read"):
        call_command("restore_db", bogus, yes=True)


def test_backup_goes_to_a_timestamped_file_in_backups_by_default(tmp_path):
    """With no --output, the backup is backups/careerpath-<UTC time> with the database's extension."""
    with override_settings(BASE_DIR=tmp_path):
        call_command("backup_db")
    written = list((tmp_path / "backups").iterdir())
    assert len(written) == 1
    assert written[0].name.startswith("careerpath-20")
    assert written[0].suffix == {"sqlite": ".sqlite3", "postgresql": ".pgdump"}[connection.vendor]
