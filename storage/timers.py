"""Timers: rows with a due time, claimed with SKIP LOCKED so two schedulers never fire one twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from flows.model import Timer
from storage import sql
from storage.tables import TIMERS

_CANCEL = delete(TIMERS).where(
    TIMERS.c.kind == bindparam("b_kind"), TIMERS.c.key == bindparam("b_key")
)
_DONE = delete(TIMERS).where(
    TIMERS.c.id == bindparam("b_id"), TIMERS.c.due_at == bindparam("b_due")
)


class SqlTimers:
    """Things due at a time; one timer per (kind, key)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection

    async def set(self, timer: Timer) -> None:
        """Create the timer (kind, key), or move it to the new time and payload."""
        await self.set_all([timer])

    async def set_all(self, timers: Sequence[Timer]) -> None:
        """Set each timer, with one statement."""
        if not timers:
            return
        statement = sql.upsert(self._s, TIMERS, ("kind", "key"), ("due_at", "payload"))
        values = [
            {"kind": t.kind, "key": t.key, "due_at": t.due_at, "payload": dict(t.payload)}
            for t in timers
        ]
        await self._s.execute(statement, values)

    async def cancel(self, kind: str, key: str) -> None:
        """Remove the timer if there is one."""
        await self._s.execute(_CANCEL, {"b_kind": kind, "b_key": key})

    async def get(self, kind: str, key: str) -> Timer | None:
        """The timer (kind, key), if it is set."""
        query = select(TIMERS).where(TIMERS.c.kind == kind, TIMERS.c.key == key)
        row = (await self._s.execute(query)).first()
        return None if row is None else Timer(**row._asdict())

    async def claim_due(self, now: datetime, limit: int) -> list[Timer]:
        """Due timers, earliest first, locked until this transaction ends.

        The due_at index makes this cost follow the number of due timers. On PostgreSQL, rows
        another transaction has claimed are skipped rather than waited for.
        """
        query = select(TIMERS).where(TIMERS.c.due_at <= now).order_by(TIMERS.c.due_at).limit(limit)
        if sql.is_postgres(self._s):
            query = query.with_for_update(skip_locked=True)
        return [Timer(**row._asdict()) for row in await self._s.execute(query)]

    async def next_due(self, after: datetime, until: datetime) -> datetime | None:
        """The earliest due time later than `after` and not later than `until`, if any."""
        query = (
            select(TIMERS.c.due_at)
            .where(TIMERS.c.due_at > after, TIMERS.c.due_at <= until)
            .order_by(TIMERS.c.due_at)
            .limit(1)
        )
        due: datetime | None = (await self._s.execute(query)).scalar()
        return due

    async def done(self, timer: Timer) -> None:
        """Delete a fired timer, unless it was set again meanwhile (then it must fire again)."""
        await self._s.execute(_DONE, {"b_id": timer.id, "b_due": timer.due_at})
