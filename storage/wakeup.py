"""LISTEN/NOTIFY on PostgreSQL: the sending instance hears when any instance queued messages.

A transaction that queues outbox rows sends a notification (storage.outbox), which PostgreSQL
delivers at commit, and only if it commits. The sender listens on a connection of its own while
it holds the sending lease. SQLite serves one instance, whose transactions wake its sender in
process (Database.on_outbox): there is nothing to listen to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.connections import give_back
from storage.outbox import CHANNEL

log = logging.getLogger(__name__)


class Listener:
    """Calls back when another transaction queued outbox rows (PostgreSQL only)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._driver: Any = None
        self._callback: Callable[..., None] | None = None
        self._postgres = engine.dialect.name == "postgresql"

    @property
    def listening(self) -> bool:
        """Whether notifications are being received."""
        return self._connection is not None and not self._driver.is_closed()

    async def start(self, wake: Callable[[], None]) -> None:
        """Listen (again, if the connection was lost); `wake` is called on each notification."""
        if not self._postgres or self.listening:
            return
        await self.stop()
        connection: AsyncConnection | None = None
        try:
            connection = await self._engine.connect()
            raw = await connection.get_raw_connection()
            driver: Any = raw.driver_connection
            callback = self._callback = lambda *_: wake()
            await driver.add_listener(CHANNEL, callback)
        except Exception as error:
            # The sender looks for new rows every few seconds anyway: slower, never lost.
            log.warning("cannot listen for queued messages: %s", type(error).__name__)
            if connection is not None:
                await give_back(connection)
            return
        self._connection, self._driver = connection, driver

    async def stop(self) -> None:
        """Stop listening and give the connection back."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if not self._driver.is_closed():
                await self._driver.remove_listener(CHANNEL, self._callback)
        except Exception:
            log.debug("removing the listener failed", exc_info=True)
        await give_back(connection)
