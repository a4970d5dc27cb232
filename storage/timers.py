"""Timers: rows with a due time, claimed with SKIP LOCKED so two schedulers never fire one twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from flows.model import Timer
from storage import sql
from storage.tables import TIMERS

ERROR_LIMIT = 2000
# What a Timer is made of; the retry bookkeeping stays in storage.
_FIELDS = (TIMERS.c.id, TIMERS.c.kind, TIMERS.c.key, TIMERS.c.due_at, TIMERS.c.payload)
_CANCEL = sql.quick(
    delete(TIMERS).where(TIMERS.c.kind == bindparam("b_kind"), TIMERS.c.key == bindparam("b_key"))
)
_TAKE = sql.quick(
    delete(TIMERS)
    .where(TIMERS.c.id == bindparam("b_id"), TIMERS.c.due_at == bindparam("b_due"))
    .returning(*_FIELDS)
)


def _claim_due(locking: bool) -> Select[Any]:
    """Due timers, earliest first; on PostgreSQL, skipping rows another transaction claimed."""
    now: BindParameter[datetime] = bindparam("b_now")
    query = (
        select(*_FIELDS)
        .where(
            TIMERS.c.due_at <= now,
            TIMERS.c.status == "pending",
            # A timer that failed waits for its next attempt; the others go ahead of it.
            or_(TIMERS.c.next_attempt_at.is_(None), TIMERS.c.next_attempt_at <= now),
        )
        .order_by(TIMERS.c.due_at)
        .limit(bindparam("b_limit"))
    )
    return sql.quick(query.with_for_update(skip_locked=True) if locking else query)


# Built once: the scheduler claims every second.
_CLAIM_DUE = {False: _claim_due(False), True: _claim_due(True)}
_FRESH = {"status": "pending", "attempts": 0, "error": None, "next_attempt_at": None}


class SqlTimers:
    """Things due at a time; one timer per (kind, key)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection
        # The earliest due time set in this unit of work: its commit tells the scheduler.
        self.earliest_set: datetime | None = None

    async def set(self, timer: Timer) -> None:
        """Create the timer (kind, key), or move it to the new time and payload."""
        await self.set_all([timer])

    async def set_all(self, timers: Sequence[Timer]) -> None:
        """Set each timer, with one statement."""
        if not timers:
            return
        earliest = min(t.due_at for t in timers)
        if self.earliest_set is None or earliest < self.earliest_set:
            self.earliest_set = earliest
        statement = sql.upsert(self._s, TIMERS, ("kind", "key"), ("due_at", "payload", *_FRESH))
        values = [
            {
                "kind": t.kind,
                "key": t.key,
                "due_at": t.due_at,
                "payload": dict(t.payload),
                # Set again, a timer starts afresh, even one set aside as a dead letter.
                **_FRESH,
            }
            for t in timers
        ]
        await self._s.execute(statement, values)

    async def cancel(self, kind: str, key: str) -> None:
        """Remove the timer if there is one."""
        await self._s.execute(_CANCEL, {"b_kind": kind, "b_key": key})

    async def get(self, kind: str, key: str) -> Timer | None:
        """The timer (kind, key), if it is set."""
        query = select(*_FIELDS).where(TIMERS.c.kind == kind, TIMERS.c.key == key)
        row = (await self._s.execute(query)).first()
        return None if row is None else Timer(**row._asdict())

    async def claim_due(self, now: datetime, limit: int) -> list[Timer]:
        """Due timers, earliest first, locked until this transaction ends.

        The due_at index makes this cost follow the number of due timers. On PostgreSQL, rows
        another transaction has claimed are skipped rather than waited for.
        """
        query = _CLAIM_DUE[sql.is_postgres(self._s)]
        params = {"b_now": now, "b_limit": limit}
        return [Timer(**row._asdict()) for row in await self._s.execute(query, params)]

    async def next_due(self, after: datetime, until: datetime) -> datetime | None:
        """The earliest due time later than `after` and not later than `until`, if any."""
        query = sql.quick(
            select(TIMERS.c.due_at)
            .where(TIMERS.c.due_at > after, TIMERS.c.due_at <= until, TIMERS.c.status == "pending")
            .order_by(TIMERS.c.due_at)
            .limit(1)
        )
        due: datetime | None = (await self._s.execute(query)).scalar()
        return due

    async def take(self, timer: Timer) -> Timer | None:
        """Delete a claimed timer in order to fire it, and return it as it stands now.

        None if it was moved or removed since it was claimed (by a timer fired before it in
        the same transaction): it is not due any more. Its handler may set it again.
        """
        row = (await self._s.execute(_TAKE, {"b_id": timer.id, "b_due": timer.due_at})).first()
        return None if row is None else Timer(**row._asdict())

    async def failed(self, timer: Timer, error: str, retry_at: datetime | None) -> None:
        """Count a failed attempt: try again at `retry_at`, or (None) set it aside as dead.

        Nothing happens if the timer was set again meanwhile: the new one starts afresh.
        """
        await self._s.execute(
            update(TIMERS)
            .where(TIMERS.c.id == timer.id, TIMERS.c.due_at == timer.due_at)
            .values(
                attempts=TIMERS.c.attempts + 1,
                error=error[:ERROR_LIMIT],
                next_attempt_at=retry_at,
                status="pending" if retry_at is not None else "dead",
            )
        )

    async def attempts(self, timer: Timer) -> int:
        """How many attempts of this timer failed so far."""
        value = await self._s.scalar(select(TIMERS.c.attempts).where(TIMERS.c.id == timer.id))
        return int(value or 0)

    async def dead(self) -> list[DeadTimer]:
        """Timers set aside after failing every attempt, oldest due first."""
        query = (
            select(*_FIELDS, TIMERS.c.attempts, TIMERS.c.error)
            .where(TIMERS.c.status == "dead")
            .order_by(TIMERS.c.due_at)
        )
        return [
            DeadTimer(row.id, row.kind, row.key, row.due_at, row.attempts, row.error or "")
            for row in await self._s.execute(query)
        ]

    async def revive(self, timer_id: int, now: datetime) -> bool:
        """Put a dead timer back to fire at once; False if there is no such dead timer."""
        result = await self._s.execute(
            update(TIMERS)
            .where(TIMERS.c.id == timer_id, TIMERS.c.status == "dead")
            .values(status="pending", attempts=0, next_attempt_at=now)
            .returning(TIMERS.c.id)
        )
        return result.first() is not None


@dataclass(frozen=True)
class DeadTimer:
    """A timer set aside: which, when it was due, how often and why it failed."""

    id: int
    kind: str
    key: str
    due_at: datetime
    attempts: int
    error: str
