"""The outbox: messages written with the change that caused them, delivered in order per chat."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from flows.messages import AnswerButton, Outgoing, about_case, from_json, to_json
from storage import sql
from storage.tables import OUTBOX

log = logging.getLogger(__name__)
ERROR_LIMIT = 2000
# PostgreSQL tells every listening instance, at commit, that rows were queued (storage.wakeup).
CHANNEL = "hearback_outbox"
_NOTIFY = text(f"SELECT pg_notify('{CHANNEL}', '')")


@dataclass(frozen=True)
class OutboxRow:
    """A message due for delivery."""

    id: int
    chat_id: int
    message: Outgoing
    priority: int
    attempts: int
    created_at: datetime


class Unreadable(Exception):
    """A row whose message this version of the bot cannot read."""


@dataclass(frozen=True)
class Queued:
    """Where a row stands in its chat's queue, without its message (read when it is to go)."""

    id: int
    chat_id: int
    priority: int
    not_before: datetime | None
    pending: bool


_ADD = sql.quick(insert(OUTBOX))
_QUEUED = select(
    OUTBOX.c.id, OUTBOX.c.chat_id, OUTBOX.c.priority, OUTBOX.c.not_before, OUTBOX.c.status
).order_by(OUTBOX.c.id)
_AFTER = sql.quick(_QUEUED.where(OUTBOX.c.id > bindparam("b_after")))
_AFTER_OR_IN = sql.quick(
    _QUEUED.where(
        or_(OUTBOX.c.id > bindparam("b_after"), OUTBOX.c.id.in_(bindparam("b_ids", expanding=True)))
    )
)
_ALL_PENDING = _QUEUED.where(OUTBOX.c.status == "pending")
# What a row to deliver is read with (an OutboxRow).
_ROW = (
    OUTBOX.c.id,
    OUTBOX.c.chat_id,
    OUTBOX.c.payload,
    OUTBOX.c.priority,
    OUTBOX.c.attempts,
    OUTBOX.c.created_at,
)
_SOME = sql.quick(
    select(*_ROW).where(
        OUTBOX.c.id.in_(bindparam("b_ids", expanding=True)), OUTBOX.c.status == "pending"
    )
)
# A chat's later messages wait for its oldest one, even when that one is postponed:
# Telegram must never show a chat's messages out of order.
_HEADS = (
    select(func.min(OUTBOX.c.id).label("id"))
    .where(OUTBOX.c.status == "pending")
    .group_by(OUTBOX.c.chat_id)
    .subquery()
)
_PENDING = (
    select(*_ROW)
    .join(_HEADS, OUTBOX.c.id == _HEADS.c.id)
    .where(or_(OUTBOX.c.not_before.is_(None), OUTBOX.c.not_before <= bindparam("b_now")))
    .order_by(OUTBOX.c.priority, OUTBOX.c.id)
    .limit(bindparam("b_limit"))
)
# A delivered message keeps no copy of what it said: the chat has it, and it may be personal.
_MARK_SENT = sql.quick(
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("b_id"))
    .values(
        status="sent",
        sent_at=bindparam("b_now"),
        telegram_message_id=bindparam("b_message"),
        payload={},
    )
)
_POSTPONE = sql.quick(
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("b_id"))
    .values(
        attempts=OUTBOX.c.attempts + 1, not_before=bindparam("b_until"), error=bindparam("b_error")
    )
)
_MARK_FAILED = sql.quick(
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("b_id"))
    .values(status="failed", sent_at=bindparam("b_now"), error=bindparam("b_error"))
)


def _row(message: Outgoing, now: datetime) -> dict[str, Any]:
    # A button answer must come within seconds or Telegram shows an error: most urgent.
    priority = 0 if isinstance(message, AnswerButton) else message.priority
    return {
        "chat_id": message.chat_id,
        "payload": to_json(message),
        "priority": priority,
        "status": "pending",
        "attempts": 0,
        "not_before": None,
        "created_at": now,
        "case_number": about_case(message),
    }


class SqlOutbox:
    """Outbox table: `add` for the services, the rest for the sender."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection
        self.added = 0  # rows queued in this unit of work, for the sender's wake-up at commit
        self._postgres = connection.dialect.name == "postgresql"

    async def add(self, message: Outgoing, now: datetime) -> None:
        """Queue a message, to go as soon as its chat's earlier messages have gone."""
        await self._s.execute(_ADD, _row(message, now))
        await self._added(1)

    async def add_all(self, messages: Sequence[Outgoing], now: datetime) -> None:
        """Queue messages in this order, with one statement."""
        if messages:
            await self._s.execute(_ADD, [_row(message, now) for message in messages])
            await self._added(len(messages))

    async def _added(self, count: int) -> None:
        if not self.added and self._postgres:
            # Delivered at commit, and only then, to the instance that sends (whichever it is).
            await self._s.execute(_NOTIFY)
        self.added += count

    async def queued(self, after: int, also: Sequence[int] = ()) -> list[Queued]:
        """Rows with an id above `after` (and those in `also`), pending or not, oldest first.

        Only where each stands: the sender keeps its queues in memory and reads a message
        (`load`) when it is about to go. Rows already dealt with are listed so that the caller
        can tell a gap in the ids (a transaction still open) from a row it has seen go.
        """
        if also:
            result = await self._s.execute(_AFTER_OR_IN, {"b_after": after, "b_ids": list(also)})
        else:
            result = await self._s.execute(_AFTER, {"b_after": after})
        return [
            Queued(row.id, row.chat_id, row.priority, row.not_before, row.status == "pending")
            for row in result
        ]

    async def all_pending(self) -> list[Queued]:
        """Every pending row, oldest first, without its message: the sender's queues at start."""
        return [
            Queued(row.id, row.chat_id, row.priority, row.not_before, True)
            for row in await self._s.execute(_ALL_PENDING)
        ]

    async def load(self, row_ids: Sequence[int]) -> dict[int, OutboxRow | Unreadable]:
        """The rows still pending among `row_ids`, with their messages, by id (those gone or
        dealt with are left out; one this version cannot read is an Unreadable)."""
        found: dict[int, OutboxRow | Unreadable] = {}
        for row in await self._s.execute(_SOME, {"b_ids": list(row_ids)}):
            try:
                message = from_json(row.payload)
            except (KeyError, TypeError, ValueError):
                # Written by another version of the bot, say after a rollback: its chat waits.
                log.error("outbox row %s cannot be read; its chat %s waits", row.id, row.chat_id)
                found[row.id] = Unreadable(row.id)
                continue
            found[row.id] = OutboxRow(
                row.id, row.chat_id, message, row.priority, row.attempts, row.created_at
            )
        return found

    async def pending(self, now: datetime, limit: int) -> list[OutboxRow]:
        """The oldest pending message of each chat, unless postponed past `now`; urgent first.

        `now` is the sender's clock, the one `postpone(until=...)` was given; the time of `add`
        is only recorded, so a simulated business clock cannot hold messages back.
        """
        rows = []
        for row in await self._s.execute(_PENDING, {"b_now": now, "b_limit": limit}):
            try:
                message = from_json(row.payload)
            except (KeyError, TypeError, ValueError):
                # Written by another version of the bot, say after a rollback. Skipping it
                # holds back only its own chat; raising would stop delivery to every chat.
                log.error("outbox row %s cannot be read; its chat %s waits", row.id, row.chat_id)
                continue
            rows.append(
                OutboxRow(
                    id=row.id,
                    chat_id=row.chat_id,
                    message=message,
                    priority=row.priority,
                    attempts=row.attempts,
                    created_at=row.created_at,
                )
            )
        return rows

    async def case_of_sent(self, chat_id: int, message_id: int) -> str | None:
        """The case a message the bot sent is about (while its row is kept), if any."""
        query = (
            select(OUTBOX.c.case_number)
            .where(
                OUTBOX.c.chat_id == chat_id,
                OUTBOX.c.telegram_message_id == message_id,
                OUTBOX.c.case_number.is_not(None),
            )
            .limit(1)
        )
        found = await self._s.scalar(query)
        return None if found is None else str(found)

    async def mark_sent(self, row_id: int, now: datetime, telegram_message_id: int | None) -> None:
        """Delivered; the next message of the chat may go."""
        await self.mark_all_sent([(row_id, telegram_message_id)], now)

    async def mark_all_sent(self, sent: Sequence[tuple[int, int | None]], now: datetime) -> None:
        """Rows delivered, each with the id Telegram gave its message, in one statement."""
        await self._s.execute(
            _MARK_SENT, [{"b_id": i, "b_now": now, "b_message": message} for i, message in sent]
        )

    async def postpone(self, row_id: int, until: datetime, error: str) -> None:
        """Count a failed attempt and try again at `until`."""
        await self._s.execute(
            _POSTPONE, {"b_id": row_id, "b_until": until, "b_error": error[:ERROR_LIMIT]}
        )

    async def mark_failed(self, row_id: int, now: datetime, error: str) -> None:
        """Given up (retrying cannot help); the next message of the chat may go."""
        await self._s.execute(
            _MARK_FAILED, {"b_id": row_id, "b_now": now, "b_error": error[:ERROR_LIMIT]}
        )

    async def requeue(self, row_id: int, now: datetime) -> None:
        """Send the row's message again after everything now queued for its chat."""
        row = (
            await self._s.execute(
                select(
                    OUTBOX.c.chat_id,
                    OUTBOX.c.payload,
                    OUTBOX.c.priority,
                    OUTBOX.c.attempts,
                    OUTBOX.c.case_number,
                ).where(OUTBOX.c.id == row_id)
            )
        ).one()
        await self._s.execute(
            insert(OUTBOX).values(
                chat_id=row.chat_id,
                payload=row.payload,
                priority=row.priority,
                status="pending",
                attempts=row.attempts + 1,
                not_before=None,
                created_at=now,
                case_number=row.case_number,
            )
        )
        await self.mark_failed(row_id, now, "requeued behind its topic")

    async def newest_id(self) -> int:
        """The id of the newest row (0 if none): a mark to wait for what is queued after it."""
        newest = (await self._s.execute(select(func.max(OUTBOX.c.id)))).scalar()
        return int(newest or 0)

    async def pending_after(self, row_id: int) -> int:
        """How many rows queued after `row_id` are still to be delivered."""
        query = select(func.count()).where(OUTBOX.c.id > row_id, OUTBOX.c.status == "pending")
        return int((await self._s.execute(query)).scalar_one())

    async def counts(self) -> dict[str, int]:
        """How many messages are pending, sent and failed (statuses with none are left out)."""
        query = select(OUTBOX.c.status, func.count()).group_by(OUTBOX.c.status)
        return {str(status): int(count) for status, count in await self._s.execute(query)}
