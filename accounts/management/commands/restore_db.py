"""Replace the database's contents with a backup made by ``backup_db``.

    manage.py restore_db backups/careerpath-20261203T140425Z.sqlite3
    manage.py restore_db backups/careerpath-20261203T140425Z.pgdump --yes

It refuses to overwrite a database that holds people unless ``--yes`` is given, and says what it
would replace. Stop the app servers first: a restore under running servers works, but requests in
flight see the old data until it ends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from accounts import backups, signed_in

REFUSAL = (
    "{target} is not empty: it holds {people:,} people and {rows:,} rows in {tables} tables. "
    "Restoring {path} replaces all of it. Run again with --yes to go ahead."
)


class Command(BaseCommand):
    help = "Replace the database's contents with a backup (refuses a database with data unless --yes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A file written by backup_db.")
        parser.add_argument("--yes", action="store_true", help="Replace the database even if it holds data.")
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database alias to restore into (default: default).",
        )

    def handle(self, *args: Any, path: Path, yes: bool, database: str, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"No backup at {path}.")
        target = backups.describe(database)
        before = backups.contents(database)
        if not before.empty and not yes:
            raise CommandError(
                REFUSAL.format(
                    target=target, people=before.people, rows=before.rows, tables=before.tables, path=path
                )
            )
        if not before.empty:
            self.stdout.write(
                f"Replacing {target} ({before.people:,} people, {before.rows:,} rows) with {path}."
            )
        # The kept copies of signed-in people (accounts/signed_in.py) are retired for the sessions
        # stored before and after the restore: each restored account is read afresh.
        sessions_before = signed_in.all_session_keys(database)
        try:
            backups.restore(path, database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        signed_in.forget_all([*sessions_before, *signed_in.all_session_keys(database)])
        after = backups.contents(database)
        self.stdout.write(
            f"Restored {path} into {target}: {after.people:,} people, {after.rows:,} rows in {after.tables} tables."
        )
