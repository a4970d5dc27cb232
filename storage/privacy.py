"""Erasing personal data in bulk and finding what retention has made due; the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from flows.lifecycle import FINAL_STATES
from flows.model import AuditEntry
from storage import sql
from storage.tables import (
    ATTACHMENTS,
    AUDIT_LOG,
    CASE_LOG,
    CASES,
    CONVERSATIONS,
    CUSTOMERS,
    INBOX,
    OUTBOX,
    PROMPTS,
    RELAYS,
    REVIEWS,
    STAFF_MESSAGES,
)

_FINAL = [state.value for state in FINAL_STATES]
# An outbox row that put a message in a staff group: erasing its case deletes that message.
_IN_STAFF_GROUP = and_(OUTBOX.c.chat_id < 0, OUTBOX.c.telegram_message_id.is_not(None))
_ERASE_ENTRY = (
    update(CASE_LOG)
    .where(CASE_LOG.c.id == bindparam("b_id"))
    .values(text="", message_id=None, data=bindparam("data"))
)
_WHO = ("from", "chat", "user", "sender_chat")  # where an update names a person


def involves(payload: Any, telegram_id: int) -> bool:
    """Whether a raw update was sent by, or in the chat of, the person `telegram_id`."""
    if isinstance(payload, dict):
        for key, value in payload.items():
            if key in _WHO and isinstance(value, dict) and value.get("id") == telegram_id:
                return True
            if involves(value, telegram_id):
                return True
    elif isinstance(payload, list):
        return any(involves(item, telegram_id) for item in payload)
    return False


class SqlPrivacy:
    """Implements flows.ports.Privacy."""

    def __init__(self, connection: AsyncConnection, forget_customer: Callable[[int], None]) -> None:
        self._s = connection
        self._forget_customer = forget_customer

    async def erase_case(
        self, number: str, now: datetime, figures: frozenset[str]
    ) -> dict[int, list[int]]:
        """Keep only the anonymous figures of a case; return the messages the bot had put in
        staff groups about it, per group. The case row is changed (so locked) first."""
        await self._s.execute(
            update(CASES)
            .where(CASES.c.number == number)
            .values(
                customer_id=None,
                description="",
                phone=None,
                rating_comment=None,
                promise=None,
                topic_chat_id=None,
                topic_id=None,
                card_message_id=None,
                customer_header=False,
                erased_at=now,
                version=CASES.c.version + 1,
            )
        )
        sent = await self._bot_messages(number)
        history = select(CASE_LOG.c.id, CASE_LOG.c.data).where(CASE_LOG.c.case_number == number)
        kept = [
            {"b_id": row.id, "data": {k: v for k, v in row.data.items() if k in figures}}
            for row in await self._s.execute(history)
        ]
        if kept:
            await self._s.execute(_ERASE_ENTRY, kept)
        await self._s.execute(
            update(REVIEWS).where(REVIEWS.c.case_number == number).values(answer=None)
        )
        for table in (ATTACHMENTS, RELAYS, OUTBOX, PROMPTS, STAFF_MESSAGES):
            await self._s.execute(delete(table).where(table.c.case_number == number))
        return sent

    async def _bot_messages(self, number: str) -> dict[int, list[int]]:
        """Messages the bot sent or copied into staff groups about case `number`, per group."""
        sent = select(OUTBOX.c.chat_id, OUTBOX.c.telegram_message_id).where(
            OUTBOX.c.case_number == number, _IN_STAFF_GROUP
        )
        copies = select(RELAYS.c.to_chat, RELAYS.c.to_message).where(
            RELAYS.c.case_number == number, RELAYS.c.to_chat < 0
        )
        purged = select(STAFF_MESSAGES.c.chat_id, STAFF_MESSAGES.c.message_id).where(
            STAFF_MESSAGES.c.case_number == number
        )
        found: dict[int, list[int]] = {}
        for query in (sent, copies, purged):
            for chat_id, message_id in await self._s.execute(query):
                found.setdefault(int(chat_id), []).append(int(message_id))
        return found

    async def erase_files(self, number: str) -> None:
        """Forget a case's files: their Telegram file ids and captions."""
        await self._s.execute(delete(ATTACHMENTS).where(ATTACHMENTS.c.case_number == number))
        await self._s.execute(
            update(CASE_LOG)
            .where(CASE_LOG.c.case_number == number, CASE_LOG.c.kind == "attachment")
            .values(text="")
        )

    async def erase_person(self, telegram_id: int) -> None:
        """Forget the conversation, messages to and from, and raw updates of one person."""
        await self._s.execute(
            delete(CONVERSATIONS).where(CONVERSATIONS.c.telegram_id == telegram_id)
        )
        await self._s.execute(delete(OUTBOX).where(OUTBOX.c.chat_id == telegram_id))
        await self._s.execute(
            delete(RELAYS).where(
                or_(RELAYS.c.from_chat == telegram_id, RELAYS.c.to_chat == telegram_id)
            )
        )
        # Handled updates keep no payload (storage.inbox); those set aside as dead letters do,
        # and are few. Pending ones are still to be handled: they came after the request.
        dead = select(INBOX.c.update_id, INBOX.c.payload).where(INBOX.c.status == "dead")
        theirs = [
            row.update_id
            for row in await self._s.execute(dead)
            if involves(row.payload, telegram_id)
        ]
        if theirs:
            await self._s.execute(
                update(INBOX).where(INBOX.c.update_id.in_(theirs)).values(payload={})
            )

    async def delete_customer(self, customer_id: int) -> None:
        """Delete a customer record and their conversation (their cases no longer point at it)."""
        theirs = select(CUSTOMERS.c.telegram_id).where(CUSTOMERS.c.id == customer_id)
        await self._s.execute(
            delete(CONVERSATIONS).where(CONVERSATIONS.c.telegram_id.in_(theirs.scalar_subquery()))
        )
        await self._s.execute(delete(CUSTOMERS).where(CUSTOMERS.c.id == customer_id))
        self._forget_customer(customer_id)

    async def ended_before(self, cutoff: datetime, limit: int) -> list[str]:
        """Ended cases, not yet erased, unchanged since before `cutoff` (oldest first)."""
        query = (
            select(CASES.c.number)
            .where(
                CASES.c.erased_at.is_(None),
                CASES.c.updated_at < cutoff,
                CASES.c.state.in_(_FINAL),
            )
            .order_by(CASES.c.updated_at)
            .limit(limit)
        )
        return [str(number) for number in await self._s.scalars(query)]

    async def with_files_ended_before(self, cutoff: datetime, limit: int) -> list[str]:
        """Ended cases that still have files, unchanged since before `cutoff`."""
        query = (
            select(CASES.c.number)
            .where(
                CASES.c.erased_at.is_(None),
                CASES.c.updated_at < cutoff,
                CASES.c.state.in_(_FINAL),
                exists().where(ATTACHMENTS.c.case_number == CASES.c.number),
            )
            .order_by(CASES.c.updated_at)
            .limit(limit)
        )
        return [str(number) for number in await self._s.scalars(query)]

    async def idle_customers(self, created_before: datetime, limit: int) -> list[int]:
        """Customers (ids) known since before `created_before`, with no case, and no conversation
        since then either."""
        query = (
            select(CUSTOMERS.c.id)
            .where(
                CUSTOMERS.c.created_at < created_before,
                ~exists().where(CASES.c.customer_id == CUSTOMERS.c.id),
                ~exists().where(
                    CONVERSATIONS.c.telegram_id == CUSTOMERS.c.telegram_id,
                    CONVERSATIONS.c.updated_at >= created_before,
                ),
            )
            .limit(limit)
        )
        return [int(customer_id) for customer_id in await self._s.scalars(query)]

    async def prune(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` handled raw updates and as many delivered messages, older than
        `before`; a case's messages in staff groups stay until the case is erased. Returns how
        many rows went."""
        newest = select(func.max(INBOX.c.update_id)).scalar_subquery()
        handled = (
            select(INBOX.c.update_id)
            .where(INBOX.c.status == "done", INBOX.c.done_at < before, INBOX.c.update_id < newest)
            .limit(limit)
        )
        # The newest update stays: it is where polling goes on from after a restart.
        ids = list(await self._s.scalars(handled))
        if ids:
            await self._s.execute(delete(INBOX).where(INBOX.c.update_id.in_(ids)))
        delivered = (
            select(OUTBOX.c.id)
            .where(OUTBOX.c.status.in_(("sent", "failed")), OUTBOX.c.sent_at < before)
            .limit(limit)
        )
        rows = list(await self._s.scalars(delivered))
        if rows:
            # What erase_case deletes from staff groups stays findable, in three numbers.
            kept = (
                select(OUTBOX.c.case_number, OUTBOX.c.chat_id, OUTBOX.c.telegram_message_id)
                .where(OUTBOX.c.id.in_(rows), OUTBOX.c.case_number.is_not(None), _IN_STAFF_GROUP)
                .distinct()
            )
            await self._s.execute(
                sql.insert(self._s, STAFF_MESSAGES)
                .from_select(["case_number", "chat_id", "message_id"], kept)
                .on_conflict_do_nothing()
            )
            await self._s.execute(delete(OUTBOX).where(OUTBOX.c.id.in_(rows)))
        return len(ids) + len(rows)


class SqlAudit:
    """Implements flows.ports.Audit."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection

    async def record(self, entry: AuditEntry) -> None:
        """Write one entry."""
        await self._s.execute(insert(AUDIT_LOG), sql.values_of(entry, "id"))

    async def latest(self, limit: int) -> list[AuditEntry]:
        """The newest entries, newest first."""
        query = select(AUDIT_LOG).order_by(AUDIT_LOG.c.id.desc()).limit(limit)
        return [AuditEntry(**row._asdict()) for row in await self._s.execute(query)]
