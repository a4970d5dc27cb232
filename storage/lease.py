"""A lease that only one instance holds at a time: a PostgreSQL session advisory lock.

Several instances of the bot may share one PostgreSQL (webhook mode behind a load balancer), but
only one may send, or Telegram's global rate limit would be exceeded. The lock lives as long as
its connection: if the holder dies, PostgreSQL drops the connection and the lock with it, and
another instance takes over at its next try. SQLite serves one instance: the lease is always held.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.connections import give_back

log = logging.getLogger(__name__)
SENDER_LOCK = 0x6865_6172_7365_6E64  # "hearsend"


class Lease:
    """Try to hold an advisory lock; `held()` re-checks the connection it lives on."""

    def __init__(self, engine: AsyncEngine, key: int = SENDER_LOCK, role: str = "sends") -> None:
        self._engine = engine
        self._key = key
        self._role = role
        self._connection: AsyncConnection | None = None
        self._postgres = engine.dialect.name == "postgresql"

    async def acquire(self) -> bool:
        """Take the lease if nobody holds it; True while this instance holds it."""
        if not self._postgres:
            return True
        if self._connection is not None:
            return await self.held()
        connection = await self._engine.connect()
        try:
            got = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key}
            )
            # The lock is the session's, not a transaction's: end the implicit one at once.
            await connection.commit()
        except Exception:
            await give_back(connection)
            raise
        if not got:
            await give_back(connection)
            return False
        self._connection = connection
        log.info("this instance now %s (lease %x taken)", self._role, self._key)
        return True

    @property
    def holding(self) -> bool:
        """Whether this instance took the lease (as last checked)."""
        return not self._postgres or self._connection is not None

    async def held(self) -> bool:
        """Whether the lease is still ours (its connection is alive)."""
        if not self._postgres:
            return True
        if self._connection is None:
            return False
        try:
            await self._connection.execute(text("SELECT 1"))
            await self._connection.commit()
        except Exception:
            log.warning("the lease %x was lost with its database connection", self._key)
            await self._drop()
            return False
        return True

    async def release(self) -> None:
        """Give the lease up (closing the connection releases the lock too)."""
        if self._connection is None:
            return
        try:
            await self._connection.execute(
                text("SELECT pg_advisory_unlock(:key)"), {"key": self._key}
            )
            await self._connection.commit()
        finally:
            await self._drop()

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await give_back(connection)
