"""Database URLs and the async engine: SQLite (in WAL mode, on a thread per connection) or asyncpg.

SQLite runs through storage.sqlite_driver: each connection with a thread of its own, so a slow
statement (a purge, a query over many rows) never stops the event loop, and the long poll goes
on while it runs; a statement of a few rows found by key runs on the loop, where it costs less
than the trip to the thread, and never waits there for a lock or a checkpoint. The bot keeps
one connection: with several connections of one process writing, the loser of the write lock
sleeps in SQLite's busy handler while the winner waits for its turn on the loop; with one,
units of work queue in the event loop (storage.unit_of_work.Turns), where waiting costs
nothing. A SQLite database serves one bot process (several instances share PostgreSQL), so the
only other writers are short-lived tools such as `hearback migrate`, which the connection's
thread waits for (busy_timeout).
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, InvalidatePoolError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool, StaticPool

from storage import json_codec, sqlite_driver

# Users write the URL they know (postgresql://, sqlite:///); only async drivers can serve us.
# sqlite+aiosqlite:// names SQLite as older configurations do; storage.sqlite_driver runs it.
_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
}
SQLITE_BUSY_TIMEOUT_MS = 10_000
# A PostgreSQL connection back from the pool after resting this long is pinged before use.
PING_AFTER_REST_S = 1.0


def async_url(url: str) -> str:
    """The URL with an async driver: sqlite:// → sqlite+aiosqlite://, postgresql:// → +asyncpg."""
    scheme, sep, rest = url.partition("://")
    return f"{_ASYNC_DRIVERS.get(scheme, scheme)}{sep}{rest}"


def safe_url(url: str) -> str:
    """The URL with its password masked, fit for logs and error messages."""
    try:
        return make_url(async_url(url)).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable database URL>"


def is_postgres_url(url: str) -> bool:
    """Whether the URL names a PostgreSQL database."""
    return async_url(url).startswith("postgresql")


def _masked(error: Exception, url: str) -> str:
    text = f"{type(error).__name__}: {error}"
    try:
        password = make_url(async_url(url)).password
    except ArgumentError:
        return type(error).__name__
    return text.replace(str(password), "***") if password else text


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers work while one writer commits; SQLite leaves foreign keys unchecked
    # unless asked. (Waiting for another process's lock is the driver's: the connect timeout.)
    # synchronous=NORMAL: in WAL mode a commit survives the bot process dying at any point
    # (what the crash tests check), but not an OS crash or power loss, which can undo the last
    # commits: updates Telegram was already told we have, or a case whose number was already
    # sent. FULL closes that gap with an fsync per commit, which measured about a third of the
    # intake throughput (the loop waits for the disk). A deployment that needs that guarantee
    # runs on PostgreSQL, whose commits wait for the disk without stopping the bot meanwhile.
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "foreign_keys=ON",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()
    # SQLite's own lower() folds only ASCII: "ПОСЫЛКА" or "ŁÓDŹ" would never match a search
    # for "посылка" or "łódź" (PostgreSQL's lower() knows Unicode).
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _is_file(url: URL) -> bool:
    """Whether a SQLite URL names a file (else an in-memory database, one per connection)."""
    return url.database not in (None, "", ":memory:") and url.query.get("mode") != "memory"


def _sqlite_engine(url: str) -> AsyncEngine:
    # Whichever SQLite driver the URL names, statements run through ours (storage.sqlite_driver).
    ours = make_url(url).set(drivername=f"sqlite+{sqlite_driver.DRIVER}")
    options: dict[str, Any] = {
        "connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        "json_serializer": json_codec.dumps_text,
        "json_deserializer": json_codec.loads,
    }
    if _is_file(ours):
        # One connection kept; units of work take turns for it (storage.unit_of_work.Turns).
        # The overflow serves only a unit of work nested in another by the same task.
        # No rollback when a connection goes back to the pool: closing a connection already
        # rolls back a transaction it left open, and after a commit the pool's own rollback
        # was one more trip to the connection's thread for nothing.
        return create_async_engine(
            ours,
            poolclass=AsyncAdaptedQueuePool,
            pool_size=1,
            max_overflow=4,
            pool_reset_on_return=None,
            **options,
        )
    return create_async_engine(ours, poolclass=StaticPool, **options)


def _ping_after_rest(engine: AsyncEngine, rest: float) -> None:
    """Ping a pooled connection before use only if it rested: a restarted server fails no unit of work.

    SQLAlchemy's pool_pre_ping pings at every checkout, and asyncpg's ping is three round trips
    (begin, a statement, rollback): under load that was a quarter of an update's trips to the
    server for connections used a moment before. A connection that dies while busy fails its
    unit of work either way; that error counts as transient (bot.retry) and invalidates the pool.
    """
    dialect = engine.dialect

    def rested(_dbapi: Any, record: Any) -> None:
        record.info["rested_from"] = time.monotonic()

    def checked_out(dbapi: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("rested_from", None)
        if since is None or time.monotonic() - since < rest:
            return
        try:
            dialect.do_ping(dbapi)
        except Exception as error:
            # The server went away: the pool drops its connections from before and opens one.
            raise InvalidatePoolError(type(error).__name__) from None

    event.listen(engine.sync_engine.pool, "checkin", rested)
    event.listen(engine.sync_engine.pool, "checkout", checked_out)


def make_engine(url: str, ping_after_rest: float = PING_AFTER_REST_S) -> AsyncEngine:
    """An async engine for a SQLite or PostgreSQL URL; errors never show the password."""
    full = async_url(url)
    try:
        if is_postgres_url(full):
            engine = create_async_engine(
                full,
                json_serializer=json_codec.dumps_text,
                json_deserializer=json_codec.loads,
            )
            _ping_after_rest(engine, ping_after_rest)
            return engine
        engine = _sqlite_engine(full)
    except (ArgumentError, ImportError, ValueError) as error:
        # `from None`: the chained original could quote the URL with its password.
        raise ValueError(f"cannot use database {safe_url(url)}: {_masked(error, url)}") from None
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine
