"""The inbox processor on SQL: a run of updates shares a transaction, yet each one counts once."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import ManualClock
from bot.inbox import MAX_ATTEMPTS, InboxProcessor
from bot.transport import Json
from flows.messages import Say
from storage.database import Database
from storage.unit_of_work import SqlUnitOfWork

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def updates(count: int) -> list[Json]:
    return [{"update_id": n, "message": {"text": f"update {n}"}} for n in range(1, count + 1)]


class Handling:
    """Answers each update with one outbox message; `failing` updates raise instead."""

    def __init__(self, failing: dict[int, int]) -> None:
        self.failing = failing  # update id -> how many more times it fails
        self.apologies: list[int] = []
        self.commits = 0

    async def handle(self, uow: SqlUnitOfWork, raw: Json) -> None:
        update_id = int(raw["update_id"])
        await uow.outbox.add(Say(chat_id=update_id, key="answer", language="en"), NOW)
        if self.failing.get(update_id, 0) > 0:
            self.failing[update_id] -= 1
            raise RuntimeError(f"update {update_id} failed")

    async def apologise(self, uow: SqlUnitOfWork, raw: Json) -> None:
        self.apologies.append(int(raw["update_id"]))

    def committed(self) -> None:
        self.commits += 1


async def run(database: Database, handling: Handling, count: int, drains: int) -> None:
    async with database.uow() as uow:
        await uow.inbox.add_many(updates(count), NOW)
        await uow.commit()
    processor = InboxProcessor(
        database.uow, handling.handle, handling.apologise, ManualClock(NOW), handling.committed
    )
    for _ in range(drains):
        await processor.drain()


async def answered(database: Database) -> list[int]:
    async with database.uow() as uow:
        rows = await uow.outbox.pending(NOW, 100)
    return sorted(row.chat_id for row in rows)


async def waiting(database: Database) -> int:
    async with database.uow() as uow:
        return len(await uow.inbox.pending(100))


async def test_a_run_of_updates_is_answered_once_each(database: Database) -> None:
    handling = Handling({})
    await run(database, handling, 5, drains=2)
    assert await answered(database) == [1, 2, 3, 4, 5]
    assert await waiting(database) == 0
    assert handling.commits == 1, "five waiting updates share one commit"


async def test_one_failure_in_a_run_costs_the_others_nothing(database: Database) -> None:
    handling = Handling({3: 1})  # update 3 fails once, then succeeds
    await run(database, handling, 5, drains=2)
    assert await answered(database) == [1, 2, 3, 4, 5], "each answered exactly once"
    assert await waiting(database) == 0
    assert handling.apologies == []


async def test_an_update_that_keeps_failing_is_given_up_with_an_apology(
    database: Database,
) -> None:
    handling = Handling({2: 1_000})
    await run(database, handling, 4, drains=MAX_ATTEMPTS + 1)
    assert await answered(database) == [1, 3, 4], "the failed update's answer never committed"
    assert await waiting(database) == 0
    assert handling.apologies == [2]
