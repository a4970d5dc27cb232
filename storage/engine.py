"""Database URLs and the async engine: aiosqlite (in WAL mode) or asyncpg."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

# Users write the URL they know (postgresql://, sqlite:///); only async drivers can serve us.
_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
}
SQLITE_BUSY_TIMEOUT_MS = 10_000


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
    # WAL lets readers work while one writer commits; NORMAL is durable in WAL mode except on an
    # OS crash; busy_timeout makes concurrent writers wait instead of failing; SQLite leaves
    # foreign keys unchecked unless asked, per connection.
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "foreign_keys=ON",
        f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def make_engine(url: str) -> AsyncEngine:
    """An async engine for a SQLite or PostgreSQL URL; errors never show the password."""
    full = async_url(url)
    try:
        if is_postgres_url(full):
            # pre_ping: a restarted PostgreSQL must not fail the first transaction after it.
            return create_async_engine(full, pool_pre_ping=True)
        engine = create_async_engine(full, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    except (ArgumentError, ImportError, ValueError) as error:
        # `from None`: the chained original could quote the URL with its password.
        raise ValueError(f"cannot use database {safe_url(url)}: {_masked(error, url)}") from None
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine
