"""The inbox: raw Telegram updates, committed before the polling offset confirms them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage import sql
from storage.tables import INBOX

ERROR_LIMIT = 2000


@dataclass(frozen=True)
class InboxRow:
    """A stored update waiting to be handled."""

    update_id: int
    payload: dict[str, Any]
    attempts: int


_PENDING = (
    select(INBOX.c.update_id, INBOX.c.payload, INBOX.c.attempts)
    .where(INBOX.c.status == "pending")
    .order_by(INBOX.c.update_id)
    .limit(bindparam("b_limit"))
)
# A handled update keeps its id (a second delivery is recognised) but not what it said:
# names, phone numbers and texts live on only where the flows keep them, and are erased there.
_MARK_DONE = (
    update(INBOX)
    .where(INBOX.c.update_id == bindparam("b_id"))
    .values(status="done", done_at=bindparam("b_now"), payload={})
)


class SqlInbox:
    """Inbox table, used by the poller and the update processor."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection

    async def add_many(self, updates: list[dict[str, Any]], now: datetime | None = None) -> int:
        """Store updates by update_id, ignoring ones already stored; return how many were new."""
        if not updates:
            return 0
        received = now or datetime.now(UTC)
        rows = [
            {
                "update_id": int(update["update_id"]),
                "payload": update,
                "received_at": received,
                "status": "pending",
                "attempts": 0,
            }
            for update in updates
        ]
        statement = (
            sql.insert(self._s, INBOX)
            .values(rows)
            .on_conflict_do_nothing(index_elements=[INBOX.c.update_id])
            # RETURNING lists only the rows inserted: a count every driver reports alike.
            .returning(INBOX.c.update_id)
        )
        return len((await self._s.execute(statement)).all())

    async def pending(self, limit: int) -> list[InboxRow]:
        """Updates not handled yet, in update_id order."""
        return [
            InboxRow(row.update_id, dict(row.payload), row.attempts)
            for row in await self._s.execute(_PENDING, {"b_limit": limit})
        ]

    async def mark_done(self, update_id: int, now: datetime) -> None:
        """Handled: never to be handled again."""
        await self._s.execute(_MARK_DONE, {"b_id": update_id, "b_now": now})

    async def mark_all_done(self, update_ids: list[int], now: datetime) -> None:
        """Several updates handled (in this one transaction): one statement for all."""
        if update_ids:
            await self._s.execute(_MARK_DONE, [{"b_id": i, "b_now": now} for i in update_ids])

    async def mark_attempt_failed(self, update_id: int, error: str, dead: bool) -> None:
        """Count a failed attempt; `dead` stops retrying the update."""
        await self._s.execute(
            update(INBOX)
            .where(INBOX.c.update_id == update_id)
            .values(
                attempts=INBOX.c.attempts + 1,
                error=error[:ERROR_LIMIT],
                status="dead" if dead else "pending",
            )
        )

    async def last_update_id(self) -> int | None:
        """The highest update_id ever stored (the polling offset is one more)."""
        value = await self._s.scalar(select(func.max(INBOX.c.update_id)))
        return None if value is None else int(value)

    async def purge_done(self, before: datetime) -> int:
        """Delete updates handled before `before`, keeping the newest row for the offset."""
        newest = select(func.max(INBOX.c.update_id)).scalar_subquery()
        statement = (
            delete(INBOX)
            .where(
                INBOX.c.status == "done",
                INBOX.c.done_at < before,
                INBOX.c.update_id < newest,
            )
            .returning(INBOX.c.update_id)
        )
        return len((await self._s.execute(statement)).all())
