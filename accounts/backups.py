"""Whole-database backups and restores, for SQLite and PostgreSQL.

SQLite is copied with SQLite's online backup API (``sqlite3.Connection.backup``), which gives a
consistent copy while the app keeps reading and writing. PostgreSQL is dumped with ``pg_dump -Fc``
(one consistent snapshot) and restored with ``pg_restore --clean --if-exists``, using the
connection settings Django has (so ``DATABASE_URL`` decides). The management commands
``backup_db`` and ``restore_db`` call these functions; README, "Deployment", says how to use them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}

ERROR_UNSUPPORTED = "Backups support SQLite and PostgreSQL, not {vendor}."
ERROR_NO_TOOL = "{tool} is not on PATH: install the PostgreSQL client tools (Debian: postgresql-client)."
ERROR_NOT_A_BACKUP = "{path} is not a backup this database can read (expected a {kind} file)."
# Rows that `migrate` writes into a new database: they do not make it "hold data".
MIGRATION_ROWS = {"contenttypes.contenttype", "auth.permission", "sites.site"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass(frozen=True)
class Contents:
    """What a database holds: its people, and its rows beyond those ``migrate`` writes."""

    people: int
    rows: int
    tables: int

    @property
    def empty(self) -> bool:
        return self.rows == 0


def default_path(folder: Path, alias: str = "default", now: datetime | None = None) -> Path:
    """A timestamped file name in ``folder``: ``careerpath-20261203T140425Z.sqlite3`` (or ``.pgdump``)."""
    vendor = connections[alias].vendor
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return folder / f"careerpath-{stamp}{SUFFIXES.get(vendor, '.backup')}"


def describe(alias: str = "default") -> str:
    """The database in words, without its password: ``PostgreSQL database careerpath on host:5432``."""
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite database {db['NAME']}"
    return f"PostgreSQL database {db['NAME']} on {db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"


def contents(alias: str = "default") -> Contents:
    """Count the people and the rows of every installed model's table present in the database."""
    connection = connections[alias]
    present = set(connection.introspection.table_names())
    rows = tables = people = 0
    user_table = apps.get_model("accounts", "User")._meta.db_table
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table not in present or model._meta.proxy or model._meta.label_lower in MIGRATION_ROWS:
            continue
        count = model._default_manager.using(alias).count()
        tables += bool(count)
        rows += count
        if table == user_table:
            people = count
    return Contents(people=people, rows=rows, tables=tables)


def backup(path: Path, alias: str = "default") -> Path:
    """Write a consistent copy of the database to ``path`` (through a temporary file, then renamed)."""
    connection = connections[alias]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        elif connection.vendor == "postgresql":
            _pg_run("pg_dump", ["--format=custom", f"--file={partial}"], alias)
        else:
            raise BackupError(ERROR_UNSUPPORTED.format(vendor=connection.vendor))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def restore(path: Path, alias: str = "default") -> None:
    """Replace the database's contents with the backup at ``path``."""
    connection = connections[alias]
    head = path.read_bytes()[:16] if path.is_file() else b""
    if connection.vendor == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(ERROR_NOT_A_BACKUP.format(path=path, kind="SQLite database"))
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            # The backup API copies every page into the open database under its lock: other
            # connections see the old contents or the new, never a mix.
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()
    elif connection.vendor == "postgresql":
        if not head.startswith(PG_CUSTOM_MAGIC):
            raise BackupError(ERROR_NOT_A_BACKUP.format(path=path, kind="pg_dump custom-format"))
        # pg_restore drops and recreates the tables: Django's own connection must not hold them.
        connection.close()
        _pg_run(
            "pg_restore",
            ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", str(path)],
            alias,
            database_flag=True,
        )
    else:
        raise BackupError(ERROR_UNSUPPORTED.format(vendor=connection.vendor))


def _pg_run(tool: str, args: list[str], alias: str, *, database_flag: bool = False) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(ERROR_NO_TOOL.format(tool=tool))
    db: dict[str, Any] = connections[alias].settings_dict
    env = os.environ | {
        "PGHOST": str(db["HOST"] or "localhost"),
        "PGPORT": str(db["PORT"] or 5432),
        "PGUSER": str(db["USER"] or ""),
        "PGDATABASE": str(db["NAME"]),
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    target = [f"--dbname={db['NAME']}"] if database_flag else [str(db["NAME"])]
    done = subprocess.run([executable, *args, *target], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{tool} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
