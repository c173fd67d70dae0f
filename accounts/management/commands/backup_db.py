"""Back up the whole database to a file, while the app runs.

    manage.py backup_db                          backups/careerpath-<UTC time>.sqlite3 (or .pgdump)
    manage.py backup_db --output /srv/backup.pgdump

SQLite is copied with its online backup API; PostgreSQL (DATABASE_URL) with ``pg_dump -Fc``.
``restore_db`` reads either back (see accounts/backups.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from accounts import backups


class Command(BaseCommand):
    help = "Write a consistent copy of the database to backups/ (or --output)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="The file to write; backups/careerpath-<UTC time>.<ext> if omitted."
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database alias to back up (default: default)."
        )

    def handle(self, *args: Any, output: Path | None, database: str, **options: Any) -> None:
        path = output or backups.default_path(Path(settings.BASE_DIR) / "backups", database)
        try:
            written = backups.backup(path, database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        size = written.stat().st_size
        self.stdout.write(f"Backed up {backups.describe(database)} to {written} ({size:,} bytes).")
