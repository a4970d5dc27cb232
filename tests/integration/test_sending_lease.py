"""Two instances on one PostgreSQL: only the lease holder sends, and the other takes over."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot.clock import ManualClock
from bot.i18n import Renderer
from bot.limits import Limiter, SendLimits
from bot.sender import Sender
from bot.transport import Delivered, Json, Outcome
from flows.config import OrgConfig
from flows.env import Env
from flows.messages import Say
from storage.database import Database
from storage.lease import Lease

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DEADLINE = 15.0


class Telegram:
    """What reached Telegram, and from which instance: a transport port of our own."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, int]] = []
        self.changed = asyncio.Condition()

    def instance(self, name: str) -> _Instance:
        """The transport one instance sends through."""
        return _Instance(self, name)

    async def wait_for(self, count: int) -> None:
        """Until `count` messages have arrived, or fail after the deadline."""
        async with asyncio.timeout(DEADLINE), self.changed:
            await self.changed.wait_for(lambda: len(self.sent) >= count)


class _Instance:
    def __init__(self, telegram: Telegram, name: str) -> None:
        self._telegram, self._name = telegram, name

    async def call(self, method: str, params: Json) -> Outcome:
        async with self._telegram.changed:
            self._telegram.sent.append((self._name, int(params["chat_id"])))
            self._telegram.changed.notify_all()
        return Delivered(message_id=len(self._telegram.sent))


@contextlib.asynccontextmanager
async def instance(
    url: str, telegram: Telegram, name: str, org: OrgConfig
) -> AsyncIterator[tuple[Database, asyncio.Event]]:
    """One running bot instance's sender; yields its database and its stop switch."""
    async with Database(url) as db:
        sender = Sender(
            db.uow,
            telegram.instance(name),
            Renderer(ZoneInfo("Europe/Warsaw")),
            ManualClock(NOW),
            Limiter(SendLimits.unlimited()),
            lambda: Env(org, NOW, lambda n: b"\x01" * n),
            lease=Lease(db.engine),
        )
        stop = asyncio.Event()
        task = asyncio.create_task(sender.run(stop))
        try:
            yield db, stop
        finally:
            stop.set()
            sender.wake()
            with contextlib.suppress(Exception):
                await task


async def queue(db: Database, chats: range) -> None:
    """Commit one message for each chat to the outbox."""
    async with db.uow() as tx:
        for chat_id in chats:
            await tx.outbox.add(Say(chat_id, "help", "en"), NOW)
        await tx.commit()


async def test_only_the_lease_holder_sends_and_another_takes_over_when_it_dies(
    postgres: str, org: OrgConfig
) -> None:
    telegram = Telegram()
    async with (
        instance(postgres, telegram, "a", org) as (db_a, stop_a),
        instance(postgres, telegram, "b", org) as (db_b, stop_b),
    ):
        await queue(db_a, range(1, 41))
        await telegram.wait_for(40)
        senders = {name for name, _ in telegram.sent}
        assert len(senders) == 1, "one instance sends, so the global rate budget holds"
        assert Counter(chat for _, chat in telegram.sent) == Counter(range(1, 41)), "each once"

        leader = senders.pop()
        leader_db, leader_stop = (db_a, stop_a) if leader == "a" else (db_b, stop_b)
        follower_db = db_b if leader == "a" else db_a
        # The leader's process dies: it stops, and PostgreSQL ends its session and the lock.
        leader_stop.set()
        async with leader_db.engine.connect() as admin:
            await admin.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND granted AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"
                )
            )
        await queue(follower_db, range(41, 51))
        await telegram.wait_for(50)
    late = telegram.sent[40:]
    assert {name for name, _ in late} == {"b" if leader == "a" else "a"}, "the other took over"
    assert sorted(chat for _, chat in late) == list(range(41, 51))
    assert len(telegram.sent) == 50, "nothing sent twice"


async def test_a_message_of_a_transaction_still_open_at_start_goes_once_it_commits(
    postgres: str, org: OrgConfig
) -> None:
    telegram = Telegram()
    async with Database(postgres) as writer, writer.uow() as slow:
        await slow.outbox.add(Say(1, "help", "en"), NOW)  # takes an id, commits later
        await queue(writer, range(2, 3))  # a newer id, committed first
        async with instance(postgres, telegram, "a", org):
            await telegram.wait_for(1)
            await slow.commit()
            await telegram.wait_for(2)
    assert sorted(chat for _, chat in telegram.sent) == [1, 2], "each once, none left behind"
