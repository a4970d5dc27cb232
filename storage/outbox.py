"""The outbox: messages written with the change that caused them, delivered in order per chat."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from flows.messages import AnswerButton, Outgoing, from_json, to_json
from storage.tables import OUTBOX

log = logging.getLogger(__name__)
ERROR_LIMIT = 2000


@dataclass(frozen=True)
class OutboxRow:
    """A message due for delivery."""

    id: int
    chat_id: int
    message: Outgoing
    priority: int
    attempts: int
    created_at: datetime


_ADD = insert(OUTBOX)
# A chat's later messages wait for its oldest one, even when that one is postponed:
# Telegram must never show a chat's messages out of order.
_HEADS = (
    select(func.min(OUTBOX.c.id).label("id"))
    .where(OUTBOX.c.status == "pending")
    .group_by(OUTBOX.c.chat_id)
    .subquery()
)
_PENDING = (
    select(
        OUTBOX.c.id,
        OUTBOX.c.chat_id,
        OUTBOX.c.payload,
        OUTBOX.c.priority,
        OUTBOX.c.attempts,
        OUTBOX.c.created_at,
    )
    .join(_HEADS, OUTBOX.c.id == _HEADS.c.id)
    .where(or_(OUTBOX.c.not_before.is_(None), OUTBOX.c.not_before <= bindparam("b_now")))
    .order_by(OUTBOX.c.priority, OUTBOX.c.id)
    .limit(bindparam("b_limit"))
)
_MARK_SENT = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("b_id"))
    .values(status="sent", sent_at=bindparam("b_now"), telegram_message_id=bindparam("b_message"))
)
_POSTPONE = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("b_id"))
    .values(
        attempts=OUTBOX.c.attempts + 1, not_before=bindparam("b_until"), error=bindparam("b_error")
    )
)
_MARK_FAILED = (
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
    }


class SqlOutbox:
    """Outbox table: `add` for the services, the rest for the sender."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection

    async def add(self, message: Outgoing, now: datetime) -> None:
        """Queue a message, to go as soon as its chat's earlier messages have gone."""
        await self._s.execute(_ADD, _row(message, now))

    async def add_all(self, messages: Sequence[Outgoing], now: datetime) -> None:
        """Queue messages in this order, with one statement."""
        if messages:
            await self._s.execute(_ADD, [_row(message, now) for message in messages])

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

    async def mark_sent(self, row_id: int, now: datetime, telegram_message_id: int | None) -> None:
        """Delivered; the next message of the chat may go."""
        await self._s.execute(
            _MARK_SENT, {"b_id": row_id, "b_now": now, "b_message": telegram_message_id}
        )

    async def mark_all_sent(self, sent: list[tuple[int, int | None]], now: datetime) -> None:
        """Several rows delivered, as (row id, Telegram message id): one statement for all."""
        if sent:
            await self._s.execute(
                _MARK_SENT,
                [{"b_id": row_id, "b_now": now, "b_message": message} for row_id, message in sent],
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
                    OUTBOX.c.chat_id, OUTBOX.c.payload, OUTBOX.c.priority, OUTBOX.c.attempts
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
