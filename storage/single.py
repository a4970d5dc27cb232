"""One instance per SQLite database: a second `hearback run` on the same file refuses to start.

SQLite serves a single bot process (several instances share PostgreSQL). The guard is an
exclusive lock on a file beside the database, held as long as the process lives: the kernel
drops it when the process dies, however it dies, so a crash never leaves the database locked.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.engine import async_url, is_postgres_url


class AlreadyRunning(Exception):
    """Another process serves this SQLite database; the message says what to do."""


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (None for PostgreSQL or an in-memory database)."""
    if is_postgres_url(url):
        return None
    database = make_url(async_url(url)).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


class SingleInstance:
    """Holds the lock of a SQLite database file for this process."""

    def __init__(self, url: str) -> None:
        self._file = sqlite_file(url)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise AlreadyRunning (PostgreSQL: nothing to do)."""
        if self._file is None or self._fd is not None:
            return
        lock = self._file.with_name(self._file.name + ".lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AlreadyRunning(
                f"another hearback is already running on the SQLite database {self._file} "
                f"(it holds {lock}). SQLite serves one instance: stop the other one, or run "
                "several instances on PostgreSQL (DATABASE_URL=postgresql+asyncpg://…)."
            ) from None
        self._fd = fd

    def release(self) -> None:
        """Let the next instance start."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)
