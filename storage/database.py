"""The database: the engine for SQLite or PostgreSQL, units of work over it, migrations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Self

from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import async_url, is_postgres_url, make_engine, safe_url
from storage.migrate import upgrade_engine
from storage.unit_of_work import SqlUnitOfWork, Turns


class Database:
    """An engine and the unit-of-work factory over it.

    Takes sqlite:///path, sqlite+aiosqlite:///path, postgresql://… or postgresql+asyncpg://….
    """

    def __init__(self, url: str) -> None:
        self._url = async_url(url)
        self.engine: AsyncEngine = make_engine(self._url)
        # PostgreSQL runs units of work side by side; SQLite one at a time (storage.engine).
        self._turns = None if self.is_postgres else Turns()
        # Called after each commit that queued outbox rows (the sender's wake-up).
        self.on_outbox: list[Callable[[], None]] = []
        # Called after each commit that set timers, with the earliest due (the scheduler's).
        self.on_timers: list[Callable[[datetime], None]] = []

    @property
    def is_postgres(self) -> bool:
        """Whether this is PostgreSQL (else SQLite)."""
        return is_postgres_url(self._url)

    @property
    def safe_url(self) -> str:
        """The URL with its password masked."""
        return safe_url(self._url)

    @property
    def where(self) -> str:
        """Which database, in words for a log line: "PostgreSQL at host:port" or the file."""
        url = make_url(self._url)
        if self.is_postgres:
            return f"PostgreSQL at {url.host or 'localhost'}:{url.port or 5432}"
        return f"the SQLite database {url.database or ':memory:'}"

    def __repr__(self) -> str:
        return f"Database({self.safe_url!r})"

    def uow(self) -> SqlUnitOfWork:
        """A new unit of work; use it as `async with db.uow() as uow:`."""
        return SqlUnitOfWork(self.engine, self._turns, self.on_outbox, self.on_timers)

    async def migrate(self, revision: str = "head") -> None:
        """Bring the schema up to `revision` (the newest by default)."""
        await upgrade_engine(self.engine, revision)

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.dispose()
