"""Dump and restore the default database while the site runs.

SQLite: the online backup API (sqlite3.Connection.backup) copies the whole database in one step
under one read transaction, a consistent snapshot; in WAL mode writers carry on meanwhile.
PostgreSQL: pg_dump's custom format (one consistent snapshot, never blocks writers), restored by
pg_restore in a single transaction, so a failed restore leaves the database as it was.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

from clinic.backups import BackupError

DUMP_NAMES = {"sqlite": "db.sqlite3", "postgresql": "db.pgdump"}


def vendor():
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def dump_name():
    return DUMP_NAMES[vendor()]


def _sqlite_file():
    """The SQLite database's file, or None when it lives in memory (the test database)."""
    name = str(connection.settings_dict["NAME"])
    if vendor() != "sqlite" or name.startswith("file:") or name == ":memory:":
        return None
    return Path(name)


def prepare():
    """Create the folder of a SQLite database that does not exist yet (a fresh DATA_DIR)."""
    if path := _sqlite_file():
        path.parent.mkdir(parents=True, exist_ok=True)


def table_count():
    """How many tables the database holds: 0 for a fresh, empty one."""
    if (path := _sqlite_file()) and not path.exists():
        return 0  # not even created: checking must not create it
    with connection.cursor() as cursor:
        return len(connection.introspection.table_names(cursor))


def dump(target: Path):
    if vendor() == "sqlite":
        _dump_sqlite(target)
    else:
        _run_postgres(
            "pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={target}"]
        )


def check_dump(path: Path, dump_vendor):
    """Before a restore: a dump for this database engine, and (SQLite) sound inside."""
    if dump_vendor != vendor():
        raise BackupError(
            f"This archive holds a {dump_vendor} database, but this site uses {vendor()}: "
            "set DATABASE_URL for the matching database, then restore again."
        )
    if dump_vendor == "sqlite":
        _check_sqlite(path)


def restore(path: Path, *, replace):
    if vendor() == "sqlite":
        _restore_sqlite(path)
    else:
        clean = ["--clean", "--if-exists"] if replace else []
        _run_postgres(
            "pg_restore",
            ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", *clean],
            dump_file=path,
        )
    connection.close()


def _dump_sqlite(target: Path):
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1): the whole database under one read transaction. Copying in steps
        # would restart whenever the site writes meanwhile, and might never finish.
        connection.connection.backup(copy, pages=-1)
        # A single self-contained file: no -wal file to lose in transit.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
    _check_sqlite(target)


def _check_sqlite(path: Path):
    try:
        database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = database.execute("PRAGMA integrity_check").fetchall()
        finally:
            database.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The database in the archive is not usable ({error}).") from None
    if result != [("ok",)]:
        raise BackupError(
            f"The database in the archive fails SQLite's integrity check: {result[:3]}"
        )


def _restore_sqlite(path: Path):
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        # The backup API writes the destination in one transaction under SQLite's own locks,
        # so it is safe beside other connections and never leaves half a database behind.
        source.backup(connection.connection, pages=-1)
    except sqlite3.DatabaseError as error:
        raise BackupError(
            f"Could not write the database ({error}); it was left as it was."
        ) from None
    finally:
        source.close()


def _run_postgres(program, options, *, dump_file=None):
    """pg_dump / pg_restore with Django's connection settings; the password goes through the
    environment (PGPASSWORD), never the command line, where other users could read it."""
    settings_dict = connection.settings_dict
    args, env = connection.client.settings_to_cmd_args_env(settings_dict, [])
    has_name = bool(settings_dict.get("NAME")) or not settings_dict["OPTIONS"].get("service")
    connection_options, name = (args[1:-1], args[-1]) if has_name else (args[1:], None)
    command = [program, *connection_options, *options]
    if dump_file is not None:
        command += [f"--dbname={name}"] if name else []
        command.append(str(dump_file))
    elif name:
        command.append(name)
    try:
        result = subprocess.run(
            command,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise BackupError(
            f"{program} is not installed: install PostgreSQL's client tools "
            "(apt-get install postgresql-client) in the version of the server or newer."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()[-2000:]}")
