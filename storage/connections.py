"""Giving a connection held outside a unit of work back to the pool, even one the database took
away: a connection never returned is terminated by the garbage collector, with a warning."""

from __future__ import annotations

import contextlib
import logging

from sqlalchemy.ext.asyncio import AsyncConnection

log = logging.getLogger(__name__)


async def give_back(connection: AsyncConnection) -> None:
    """Return `connection` to the pool, or drop it there if it is dead."""
    try:
        await connection.close()
    except Exception:
        log.debug("closing a connection failed; dropping it", exc_info=True)
        with contextlib.suppress(Exception):
            await connection.invalidate()
