"""The inbox processor on SQL: a run of updates shares a transaction, yet each one counts once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.inbox import InboxProcessor
from bot.retry import RetryPolicy
from bot.transport import Json
from flows.messages import Say
from storage.database import Database
from storage.unit_of_work import SqlUnitOfWork

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def updates(count: int) -> list[Json]:
    return [{"update_id": n, "message": {"text": f"update {n}"}} for n in range(1, count + 1)]


class Handling:
    """Answers each update with one outbox message; `failing` updates raise instead."""

    def __init__(self, failing: dict[int, int], apology_fails: bool = False) -> None:
        self.failing = failing  # update id -> how many more times it fails
        self.apologies: list[int] = []
        self.commits = 0
        self.apology_fails = apology_fails
        self.unreachable = False  # the database "goes away": every update fails with it

    async def handle(self, uow: SqlUnitOfWork, raw: Json) -> None:
        update_id = int(raw["update_id"])
        if self.unreachable:
            raise ConnectionRefusedError(111, "Connection refused")
        await uow.outbox.add(Say(chat_id=update_id, key="answer", language="en"), NOW)
        if self.failing.get(update_id, 0) > 0:
            self.failing[update_id] -= 1
            raise RuntimeError(f"update {update_id} failed")

    async def apologise(self, uow: SqlUnitOfWork, raw: Json) -> None:
        if self.apology_fails:
            raise KeyError("from")
        self.apologies.append(int(raw["update_id"]))

    def committed(self) -> None:
        self.commits += 1


IMMEDIATE = RetryPolicy(attempts=3, delays=(0.0,))


async def run(
    database: Database,
    handling: Handling,
    count: int,
    drains: int,
    policy: RetryPolicy = IMMEDIATE,
    clock: ManualClock | None = None,
) -> InboxProcessor:
    async with database.uow() as uow:
        await uow.inbox.add_many(updates(count), NOW)
        await uow.commit()
    processor = InboxProcessor(
        database.uow,
        handling.handle,
        handling.apologise,
        clock or ManualClock(NOW),
        handling.committed,
        policy,
    )
    for _ in range(drains):
        await processor.drain()
    return processor


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
    await run(database, handling, 4, drains=IMMEDIATE.attempts + 1)
    assert await answered(database) == [1, 3, 4], "the failed update's answer never committed"
    assert await waiting(database) == 0
    assert handling.apologies == [2]
    async with database.uow() as uow:
        [dead] = await uow.inbox.dead()
    assert (dead.update_id, dead.attempts) == (2, 3)
    assert dead.error.startswith("RuntimeError at "), "the type and place, not the message"


async def test_attempts_are_spaced_out_and_the_next_updates_go_ahead(database: Database) -> None:
    clock = ManualClock(NOW)
    handling = Handling({1: 1_000})
    policy = RetryPolicy(attempts=3, delays=(2.0, 60.0))
    processor = await run(database, handling, 3, drains=3, policy=policy, clock=clock)
    assert await answered(database) == [2, 3], "the updates after the failing one are answered"
    assert handling.apologies == []
    clock.advance(timedelta(seconds=2))
    await processor.drain()
    clock.advance(timedelta(seconds=30))
    await processor.drain()
    assert handling.apologies == [], "the third attempt waits a minute"
    clock.advance(timedelta(seconds=30))
    await processor.drain()
    assert handling.apologies == [1]
    assert processor.dead_letters == 1


async def test_an_apology_that_cannot_be_built_still_sets_the_update_aside(
    database: Database,
) -> None:
    handling = Handling({2: 1_000}, apology_fails=True)
    await run(database, handling, 3, drains=IMMEDIATE.attempts + 1)
    assert await waiting(database) == 0
    async with database.uow() as uow:
        assert [d.update_id for d in await uow.inbox.dead()] == [2]


async def test_an_unreachable_database_spends_no_attempt(database: Database) -> None:
    handling = Handling({})
    handling.unreachable = True
    with pytest.raises(ConnectionRefusedError):
        await run(database, handling, 2, drains=1)
    async with database.uow() as uow:
        rows = await uow.inbox.pending(10)
    assert [(r.update_id, r.attempts) for r in rows] == [(1, 0), (2, 0)]


async def test_a_dead_update_replayed_after_a_fix_is_handled(database: Database) -> None:
    # Its first failure is in the shared run, then once per attempt of its own.
    handling = Handling({2: IMMEDIATE.attempts + 1})
    processor = await run(database, handling, 2, drains=IMMEDIATE.attempts + 1)
    async with database.uow() as uow:
        assert await uow.inbox.revive(2)
        assert not await uow.inbox.revive(2), "only a dead update is put back"
        await uow.commit()
    await processor.drain()
    assert await answered(database) == [1, 2]
    async with database.uow() as uow:
        assert await uow.inbox.dead() == []
