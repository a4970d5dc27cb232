"""Timers: rows with a due time, claimed with SKIP LOCKED so two schedulers never fire one twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from flows.model import Timer
from storage import sql
from storage.tables import TIMERS


class SqlTimers:
    """Things due at a time; one timer per (kind, key)."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def set(self, timer: Timer) -> None:
        """Create the timer (kind, key), or move it to the new time and payload."""
        statement = sql.insert(self._s, TIMERS).values(
            kind=timer.kind, key=timer.key, due_at=timer.due_at, payload=dict(timer.payload)
        )
        await self._s.execute(
            statement.on_conflict_do_update(
                index_elements=[TIMERS.c.kind, TIMERS.c.key],
                set_={"due_at": statement.excluded.due_at, "payload": statement.excluded.payload},
            )
        )

    async def cancel(self, kind: str, key: str) -> None:
        """Remove the timer if there is one."""
        await self._s.execute(delete(TIMERS).where(TIMERS.c.kind == kind, TIMERS.c.key == key))

    async def claim_due(self, now: datetime, limit: int) -> list[Timer]:
        """Due timers, earliest first, locked until this transaction ends.

        The due_at index makes this cost follow the number of due timers. On PostgreSQL, rows
        another transaction has claimed are skipped rather than waited for.
        """
        query = select(TIMERS).where(TIMERS.c.due_at <= now).order_by(TIMERS.c.due_at).limit(limit)
        if sql.is_postgres(self._s):
            query = query.with_for_update(skip_locked=True)
        return [Timer(**row._asdict()) for row in await self._s.execute(query)]

    async def done(self, timer: Timer) -> None:
        """Delete a fired timer, unless it was set again meanwhile (then it must fire again)."""
        await self._s.execute(
            delete(TIMERS).where(TIMERS.c.id == timer.id, TIMERS.c.due_at == timer.due_at)
        )
