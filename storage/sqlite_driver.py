"""SQLite for SQLAlchemy's async engine: each connection with a thread of its own for what may take long.

SQLAlchemy's aiosqlite dialect goes to aiosqlite's thread and back four times for each statement
(open a cursor, execute, fetch, close) and once per commit; on a virtual machine each trip costs
more CPU than the statement itself (an intake update runs about a dozen). Here a statement is one
job for the connection's thread: it executes, fetches every row and closes its cursor there, and
the event loop gets back a finished result, so a long statement (a purge, a search over many
rows) never stops the loop.

A statement marked QUICK (`storage.sql.quick`: a few rows found by key, whatever the size of the
tables) runs on the event loop instead: it takes a few microseconds there, where the trip to the
thread and back cost several times the statement (a third of an intake update's CPU). Nothing
on the loop waits for another process or a checkpoint: SQLite's busy handler is off there (a
statement that meets another process's write lock goes to the thread and waits there), commits
never checkpoint the write-ahead log on the loop (the connection checkpoints on its thread after
every CHECKPOINT_ROWS changed rows), and a transaction that ran anything on the thread commits
there too.

A dialect of our own registered under `sqlite+hearback`, built on public parts of SQLAlchemy:
the pysqlite dialect (SQL, types and transactions as pysqlite's), `AdaptedConnection` and
`await_only`, the bridge every asyncio dialect uses. The sqlite3 connection itself is created,
used and closed on its thread only.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL, AdaptedConnection
from sqlalchemy.exc import MissingGreenlet
from sqlalchemy.util import await_only

T = TypeVar("T")
DRIVER = "hearback"
# The execution option that marks a statement quick (see above and storage.sql.quick).
QUICK = "hearback_quick"
# Rows changed between two checkpoints of the write-ahead log: about as often as SQLite's own
# default (every 1,000 pages) for rows of a few hundred bytes.
CHECKPOINT_ROWS = 1000
_Description = tuple[tuple[Any, ...], ...] | None


class _Thread:
    """The one thread a connection lives on: runs jobs in order, answers on the event loop.

    Not a one-worker ThreadPoolExecutor with run_in_executor: its futures, locks and chained
    callbacks measured 17% more CPU per unit of work, the very cost this module is here to cut.
    """

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._jobs: queue.SimpleQueue[tuple[asyncio.Future[Any], Callable[[], Any]] | None] = (
            queue.SimpleQueue()
        )
        self._thread = threading.Thread(target=self._serve, name="hearback-sqlite", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            future, call = job
            try:
                outcome: tuple[bool, Any] = (True, call())
            except BaseException as error:
                outcome = (False, error)
            # A closed loop: nobody waits for the answer any more.
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(_settle, future, outcome)

    def run(self, call: Callable[[], T]) -> T:
        """Run `call` on the thread; the calling greenlet waits, the event loop goes on."""
        future: asyncio.Future[T] = self._loop.create_future()
        self._jobs.put((future, call))
        return await_only(future)

    def stop(self) -> None:
        """Let the thread end once the jobs queued before have run."""
        self._jobs.put(None)


def _settle(future: asyncio.Future[Any], outcome: tuple[bool, Any]) -> None:
    if future.cancelled():
        return
    done, value = outcome
    if done:
        future.set_result(value)
    else:
        future.set_exception(value)


def _execute(
    connection: sqlite3.Connection, operation: str, parameters: Any, many: bool
) -> tuple[_Description, int, int | None, list[Any], bool]:
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, parameters if parameters is not None else ())
        rows = cursor.fetchall() if cursor.description else []
        return (
            cursor.description,
            cursor.rowcount,
            cursor.lastrowid,
            rows,
            connection.in_transaction,
        )
    finally:
        cursor.close()


def _end(connection: sqlite3.Connection, commit: bool, checkpoint: bool = False) -> bool:
    """Commit or roll back (then checkpoint, if asked); whether a transaction is still open
    (after a failed commit)."""
    if commit:
        connection.commit()
    else:
        connection.rollback()
    if checkpoint and not connection.in_transaction:
        # PASSIVE: copies what no reader still needs, waits for nobody.
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)").close()
    return connection.in_transaction


def _patiently(connection: sqlite3.Connection, patience_ms: int, call: Callable[[], T]) -> T:
    """Run `call` with SQLite's busy handler on: a lock held by another process is waited for."""
    connection.execute(f"PRAGMA busy_timeout={patience_ms}").close()
    try:
        return call()
    finally:
        connection.execute("PRAGMA busy_timeout=0").close()


def _busy(error: sqlite3.OperationalError) -> bool:
    """Whether SQLite refused because another connection holds a lock (SQLITE_BUSY)."""
    return (getattr(error, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY


async def _resumed() -> None:
    """Nothing to wait for: SQLAlchemy's asyncio layer requires every statement to await once."""


def _opened(args: tuple[Any, ...], kwargs: dict[str, Any]) -> sqlite3.Connection:
    connection: sqlite3.Connection = sqlite3.connect(*args, **kwargs)
    # Checkpoints happen on the thread, at commits Connection.commit picks, never on the loop.
    connection.execute("PRAGMA wal_autocheckpoint=0").close()
    return connection


class Cursor:
    """A PEP 249 cursor whose statement ran, rows and all, on the connection's thread."""

    arraysize = 1

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._rows: deque[Any] = deque()
        self.description: _Description = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    def _run(self, operation: str, parameters: Any, many: bool, quick: bool) -> None:
        connection = self._connection
        try:
            outcome = connection.run(
                partial(_execute, connection.sqlite, operation, parameters, many), quick
            )
        except BaseException:
            connection.open = True  # a write that failed may have begun a transaction first
            raise
        if quick:
            await_only(_resumed())
        self.description, self.rowcount, self.lastrowid, rows, connection.open = outcome
        self._rows = deque(rows)

    def execute(self, operation: str, parameters: Any = None, *, quick: bool = False) -> None:
        """Run one statement and keep its rows (on the event loop if `quick`)."""
        self._run(operation, parameters, many=False, quick=quick)

    def executemany(
        self, operation: str, parameters: Sequence[Any], *, quick: bool = False
    ) -> None:
        """Run one statement for each set of parameters (on the event loop if `quick`)."""
        self._run(operation, parameters, many=True, quick=quick)

    def fetchone(self) -> Any:
        """The next row, or None."""
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        """Up to `size` next rows."""
        rows = self._rows
        return [rows.popleft() for _ in range(min(size or self.arraysize, len(rows)))]

    def fetchall(self) -> list[Any]:
        """Every row left."""
        rows = list(self._rows)
        self._rows.clear()
        return rows

    def __iter__(self) -> Iterator[Any]:
        while self._rows:
            yield self._rows.popleft()

    def close(self) -> None:
        """Forget the rows (the sqlite3 cursor was closed on the thread already)."""
        self._rows.clear()

    def setinputsizes(self, *sizes: Any) -> None:
        """PEP 249's no-op."""

    async def _async_soft_close(self) -> None:
        """Nothing to do: the hook SQLAlchemy's asyncio layer calls on every async cursor
        after a statement, so that the driver's cursor closes early; ours closed on its thread.
        """


class Connection(AdaptedConnection):
    """A PEP 249 connection facade over a sqlite3 connection with a thread of its own."""

    __slots__ = ("_checkpointed", "_slow", "open", "patience_ms", "sqlite", "thread")

    def __init__(self, thread: _Thread, sqlite: sqlite3.Connection, patience_ms: int) -> None:
        self.thread = thread
        self.sqlite = sqlite
        self.patience_ms = patience_ms  # how long the thread waits for another's lock
        # AdaptedConnection.driver_connection: the driver's own connection (sqlite3's here).
        self._connection = sqlite  # type: ignore[assignment]
        # Whether SQLite holds a transaction open, as the last statement left it: pysqlite
        # begins one before a write only, so a unit of work that only read has nothing to
        # commit or roll back.
        self.open = False
        self._slow = False  # whether this transaction ran a statement on the thread
        self._checkpointed = 0  # sqlite.total_changes at the last checkpoint

    def run(self, call: Callable[[], T], quick: bool) -> T:
        """Run `call` on the event loop if `quick` (unless it meets another's lock), else on
        the thread."""
        if quick:
            try:
                return call()
            except sqlite3.OperationalError as error:
                if not _busy(error):
                    raise
                # Another process holds the write lock: wait for it on the thread. Nothing
                # was done (SQLite refuses before it starts), so the statement runs again.
        self._slow = True
        return self.thread.run(partial(_patiently, self.sqlite, self.patience_ms, call))

    def cursor(self) -> Cursor:
        """A cursor on this connection."""
        return Cursor(self)

    def commit(self) -> None:
        """Commit (if a statement began a transaction): on the thread after a statement that
        ran there, or when the write-ahead log is due for a checkpoint."""
        if self.open:
            checkpoint = self.sqlite.total_changes - self._checkpointed >= CHECKPOINT_ROWS
            self._end(commit=True, checkpoint=checkpoint)
            if checkpoint:
                self._checkpointed = self.sqlite.total_changes

    def rollback(self) -> None:
        """Roll back (if a statement began a transaction)."""
        if self.open:
            self._end(commit=False, checkpoint=False)

    def _end(self, commit: bool, checkpoint: bool) -> None:
        quick = not (self._slow or checkpoint)
        try:
            self.open = self.run(partial(_end, self.sqlite, commit, checkpoint), quick)
        finally:
            # After `run`, which marks the transaction slow when it goes to the thread: the
            # next transaction starts quick.
            self._slow = False

    def close(self) -> None:
        """Close the connection and let its thread end (waits when called from the engine)."""
        try:
            self.thread.run(self.sqlite.close)
        except MissingGreenlet:
            pass  # outside the engine (garbage collection, shutdown): queued, runs on its own
        finally:
            self.thread.stop()

    def create_function(self, *args: Any, **kwargs: Any) -> None:
        """sqlite3's create_function, on the thread."""
        self.thread.run(partial(self.sqlite.create_function, *args, **kwargs))

    @property
    def isolation_level(self) -> str | None:
        """sqlite3's isolation_level (None: autocommit)."""
        return self.thread.run(partial(getattr, self.sqlite, "isolation_level"))  # type: ignore[no-any-return]

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self.thread.run(partial(setattr, self.sqlite, "isolation_level", value))


class _DBAPI:
    """The module-like object SQLAlchemy reads: sqlite3's errors and constants, our connect()."""

    paramstyle = "qmark"
    Error = sqlite3.Error
    DatabaseError = sqlite3.DatabaseError
    IntegrityError = sqlite3.IntegrityError
    InterfaceError = sqlite3.InterfaceError
    InternalError = sqlite3.InternalError
    NotSupportedError = sqlite3.NotSupportedError
    OperationalError = sqlite3.OperationalError
    ProgrammingError = sqlite3.ProgrammingError
    DataError = sqlite3.DataError
    Warning = sqlite3.Warning
    Binary = sqlite3.Binary
    PARSE_COLNAMES = sqlite3.PARSE_COLNAMES
    PARSE_DECLTYPES = sqlite3.PARSE_DECLTYPES
    sqlite_version = sqlite3.sqlite_version
    sqlite_version_info = sqlite3.sqlite_version_info

    def connect(self, *args: Any, timeout: float = 5.0, **kwargs: Any) -> Connection:
        """Open a sqlite3 connection on a new thread of its own; `timeout` (seconds) is how
        long the thread waits for another connection's lock."""
        thread = _Thread()
        try:
            # Used from the event loop too, never at the same time as from the thread: each
            # call is awaited before the next one starts.
            sqlite = thread.run(
                partial(_opened, args, {**kwargs, "timeout": 0, "check_same_thread": False})
            )
        except BaseException:
            thread.stop()
            raise
        return Connection(thread, sqlite, round(timeout * 1000))


class SQLiteDialect_hearback(SQLiteDialect_pysqlite):
    """pysqlite's dialect, async: statements run on each connection's own thread."""

    driver = DRIVER
    is_async = True
    supports_statement_cache = True
    supports_server_side_cursors = False

    @classmethod
    def import_dbapi(cls) -> Any:
        """Our module-like DBAPI."""
        return _DBAPI()

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        """A queue of connections for a file, one connection for an in-memory database."""
        return pool.AsyncAdaptedQueuePool if cls._is_url_file_db(url) else pool.StaticPool

    def get_driver_connection(self, connection: Any) -> Any:
        """The sqlite3 connection."""
        return connection.sqlite

    def do_execute(self, cursor: Any, statement: str, parameters: Any, context: Any = None) -> None:
        """Execute; on the event loop if the statement is marked QUICK."""
        cursor.execute(statement, parameters, quick=_quick(context))

    def do_executemany(
        self, cursor: Any, statement: str, parameters: Any, context: Any = None
    ) -> None:
        """Execute for each set of parameters; on the event loop if marked QUICK."""
        cursor.executemany(statement, parameters, quick=_quick(context))

    def do_execute_no_params(self, cursor: Any, statement: str, context: Any = None) -> None:
        """Execute without parameters; on the event loop if marked QUICK."""
        cursor.execute(statement, quick=_quick(context))


def _quick(context: Any) -> bool:
    return context is not None and bool(context.execution_options.get(QUICK, False))


registry.register(f"sqlite.{DRIVER}", __name__, "SQLiteDialect_hearback")
