"""Backups that restore: one archive of the database and every upload (README "Backups").

`archive` writes and verifies the archive format, `encryption` wraps it in age, `database` dumps
and restores SQLite or PostgreSQL, `media` reads and writes uploads through Django's storages.
The management commands `backup` and `restore` put them together.
"""


class BackupError(Exception):
    """Something a person must fix; the message says what, and nothing was changed."""
