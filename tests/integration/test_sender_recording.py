"""Deliveries Telegram answers together are recorded together, and a record that fails holds
back only its own message."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, text

from bot.clock import ManualClock
from bot.i18n import Renderer
from bot.limits import Limiter, SendLimits
from bot.sender import Sender
from bot.transport import Delivered, Json, Outcome
from flows.config import OrgConfig
from flows.env import Env
from flows.messages import Say
from storage.database import Database
from tests.e2e.chat import eventually

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
DEADLINE = 15.0
POISONED = 666  # the chat whose delivery the database refuses to record


class HeldAnswers:
    """Telegram at the transport port: takes every call at once, answers when told to."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        self.answer = asyncio.Event()
        self._arrived = asyncio.Condition()

    async def call(self, method: str, params: Json) -> Outcome:
        chat_id = int(params["chat_id"])
        async with self._arrived:
            self.calls.append(chat_id)
            self._arrived.notify_all()
        await self.answer.wait()
        return Delivered(message_id=1000 + chat_id)

    async def wait_for(self, count: int) -> None:
        """Until `count` calls have arrived, or fail after the deadline."""
        async with asyncio.timeout(DEADLINE), self._arrived:
            await self._arrived.wait_for(lambda: len(self.calls) >= count)


@contextlib.asynccontextmanager
async def sending(db: Database, telegram: HeldAnswers, org: OrgConfig) -> AsyncIterator[None]:
    """The sender running over `db` until the block ends."""
    sender = Sender(
        db.uow,
        telegram,
        Renderer(ZoneInfo("Europe/Warsaw")),
        ManualClock(NOW),
        Limiter(SendLimits.unlimited()),
        lambda: Env(org, NOW, lambda n: b"\x01" * n),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    try:
        yield
    finally:
        stop.set()
        sender.wake()
        await asyncio.wait_for(task, DEADLINE)


async def queue(db: Database, chats: list[int]) -> None:
    """Commit one message for each chat to the outbox."""
    async with db.uow() as tx:
        await tx.outbox.add_all([Say(chat_id, "help", "en") for chat_id in chats], NOW)
        await tx.commit()


async def rows(db: Database) -> dict[int, tuple[str, int | None, int]]:
    """Each chat's outbox row: its status, Telegram's message id and the failed attempts."""
    async with db.engine.connect() as connection:
        found = await connection.execute(
            text("SELECT chat_id, status, telegram_message_id, attempts FROM outbox")
        )
        return {row[0]: (row[1], row[2], row[3]) for row in found}


def count_commits(db: Database) -> list[int]:
    """A counter of the commits made on `db` from now on."""
    commits = [0]

    def counted(_connection: Any) -> None:
        commits[0] += 1

    event.listen(db.engine.sync_engine, "commit", counted)
    return commits


@contextlib.asynccontextmanager
async def refusing_to_record(db: Database, chat_id: int) -> AsyncIterator[None]:
    """The database refuses to mark the chat's message sent (a trigger), as a broken row would."""
    postgres = db.engine.dialect.name == "postgresql"
    async with db.engine.begin() as connection:
        if postgres:
            await connection.execute(
                text(
                    "CREATE FUNCTION refuse_sent() RETURNS trigger AS $$ BEGIN "
                    f"IF NEW.status = 'sent' AND OLD.chat_id = {chat_id} THEN "
                    "RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            await connection.execute(
                text(
                    "CREATE TRIGGER refuse_sent BEFORE UPDATE ON outbox "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_sent()"
                )
            )
        else:
            await connection.execute(
                text(
                    "CREATE TRIGGER refuse_sent BEFORE UPDATE ON outbox "
                    f"WHEN NEW.status = 'sent' AND OLD.chat_id = {chat_id} "
                    "BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
    try:
        yield
    finally:
        async with db.engine.begin() as connection:
            await connection.execute(
                text("DROP TRIGGER refuse_sent" + (" ON outbox" if postgres else ""))
            )
            if postgres:
                await connection.execute(text("DROP FUNCTION refuse_sent()"))


async def test_deliveries_answered_together_are_recorded_in_one_transaction(
    database: Database, org: OrgConfig
) -> None:
    telegram = HeldAnswers()
    chats = list(range(1, 11))
    await queue(database, chats)
    async with sending(database, telegram, org):
        await telegram.wait_for(len(chats))
        commits = count_commits(database)
        telegram.answer.set()

        async def all_sent() -> bool:
            return all(status == "sent" for status, _, _ in (await rows(database)).values())

        await eventually(all_sent, DEADLINE, "every delivery recorded")
    assert {
        chat: (status, message) for chat, (status, message, _) in (await rows(database)).items()
    } == {chat: ("sent", 1000 + chat) for chat in chats}
    assert commits[0] <= 2, f"{commits[0]} transactions recorded ten deliveries answered at once"
    assert sorted(telegram.calls) == chats, "each message went once"


async def test_a_delivery_that_cannot_be_recorded_holds_back_none_of_the_others(
    database: Database, org: OrgConfig
) -> None:
    telegram = HeldAnswers()
    chats = [1, 2, POISONED, 4, 5]
    await queue(database, chats)
    async with refusing_to_record(database, POISONED), sending(database, telegram, org):
        await telegram.wait_for(len(chats))
        telegram.answer.set()

        async def settled() -> bool:
            found = await rows(database)
            others = all(found[chat][0] == "sent" for chat in chats if chat != POISONED)
            return others and found[POISONED][2] >= 1

        await eventually(settled, DEADLINE, "the others recorded, the refused one postponed")
    found = await rows(database)
    assert found[POISONED][0] == "pending", "it goes again later (Telegram may show it twice)"
    assert all(found[chat] == ("sent", 1000 + chat, 0) for chat in chats if chat != POISONED)
