"""The inbox: raw Telegram updates, committed before the polling offset confirms them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage import sql
from storage.chats import chat_of
from storage.tables import INBOX

ERROR_LIMIT = 2000


@dataclass(frozen=True)
class InboxRow:
    """A stored update waiting to be handled."""

    update_id: int
    payload: dict[str, Any]
    attempts: int


@dataclass(frozen=True)
class DeadUpdate:
    """An update set aside: which, when it came, how often and why it failed."""

    update_id: int
    received_at: datetime
    attempts: int
    error: str


_PENDING = sql.quick(
    select(INBOX.c.update_id, INBOX.c.payload, INBOX.c.attempts)
    .where(
        INBOX.c.status == "pending",
        # An update that failed waits for its next attempt; the updates after it go ahead.
        or_(INBOX.c.next_attempt_at.is_(None), INBOX.c.next_attempt_at <= bindparam("b_now")),
    )
    .order_by(INBOX.c.update_id)
    .limit(bindparam("b_limit"))
)
FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)
# The mark of an update held until a topic being opened in its chat is known (no attempt spent).
HELD = "held: a topic is being opened in its chat"
# A handled update keeps its id (a second delivery is recognised) but not what it said:
# names, phone numbers and texts live on only where the flows keep them, and are erased there.
_MARK_DONE = sql.quick(
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
                "chat_id": chat_of(update),
            }
            for update in updates
        ]
        # One statement compiled once for any number of rows (a VALUES list written out per
        # call was compiled again every time).
        statement = sql.insert_new(self._s, INBOX, ("update_id",))
        return len((await self._s.execute(statement, rows)).all())

    async def pending(self, limit: int, now: datetime | None = None) -> list[InboxRow]:
        """Updates not handled yet whose next attempt is due at `now` (all without it), in
        update_id order."""
        due = FAR_FUTURE if now is None else now
        return [
            InboxRow(row.update_id, dict(row.payload), row.attempts)
            for row in await self._s.execute(_PENDING, {"b_limit": limit, "b_now": due})
        ]

    async def mark_done(self, update_id: int, now: datetime) -> None:
        """Handled: never to be handled again."""
        await self._s.execute(_MARK_DONE, {"b_id": update_id, "b_now": now})

    async def mark_all_done(self, update_ids: list[int], now: datetime) -> None:
        """Several updates handled (in this one transaction): one statement for all."""
        if update_ids:
            await self._s.execute(_MARK_DONE, [{"b_id": i, "b_now": now} for i in update_ids])

    async def mark_attempt_failed(
        self, update_id: int, error: str, dead: bool, retry_at: datetime | None = None
    ) -> None:
        """Count a failed attempt; try again at `retry_at`, or `dead`: set the update aside."""
        await self._s.execute(
            update(INBOX)
            .where(INBOX.c.update_id == update_id)
            .values(
                attempts=INBOX.c.attempts + 1,
                error=error[:ERROR_LIMIT],
                status="dead" if dead else "pending",
                next_attempt_at=None if dead else retry_at,
            )
        )

    async def hold(self, update_id: int, until: datetime) -> None:
        """Set an update aside until `until`, or until `release_held` for its chat."""
        await self._s.execute(
            update(INBOX)
            .where(INBOX.c.update_id == update_id)
            .values(error=HELD, next_attempt_at=until)
        )

    async def release_held(self, chat_id: int) -> int:
        """Put the chat's held updates back in line at once; return how many there were."""
        result = await self._s.execute(
            update(INBOX)
            .where(INBOX.c.status == "pending", INBOX.c.chat_id == chat_id, INBOX.c.error == HELD)
            .values(error=None, next_attempt_at=None)
            .returning(INBOX.c.update_id)
        )
        return len(result.all())

    async def dead(self) -> list[DeadUpdate]:
        """Updates set aside after failing every attempt, oldest first (never their content)."""
        query = (
            select(INBOX.c.update_id, INBOX.c.received_at, INBOX.c.attempts, INBOX.c.error)
            .where(INBOX.c.status == "dead")
            .order_by(INBOX.c.update_id)
        )
        return [
            DeadUpdate(row.update_id, row.received_at, row.attempts, row.error or "")
            for row in await self._s.execute(query)
        ]

    async def revive(self, update_id: int) -> bool:
        """Put a dead update back in line, with fresh attempts; False if there is none such."""
        result = await self._s.execute(
            update(INBOX)
            .where(INBOX.c.update_id == update_id, INBOX.c.status == "dead")
            .values(status="pending", attempts=0, next_attempt_at=None)
            .returning(INBOX.c.update_id)
        )
        return result.first() is not None

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
