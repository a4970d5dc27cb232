"""PostgreSQL concurrency: schedulers claiming timers together never get the same one."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.clock import ManualClock
from bot.retry import is_transient
from bot.scheduler import Scheduler
from flows.config import OrgConfig
from flows.env import Env
from flows.model import Timer
from flows.ports import CaseChanged, UnitOfWork
from storage.database import Database
from storage.engine import make_engine
from storage.lease import Lease
from tests.integration.test_storage_contract import case, customer

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_concurrent_claims_are_disjoint(postgres: str) -> None:
    async with Database(postgres) as db:
        async with db.uow() as tx:
            for n in range(20):
                await tx.timers.set(Timer("remind", str(n), NOW - timedelta(seconds=n)))
            await tx.timers.set(Timer("remind", "later", NOW + timedelta(hours=1)))
            await tx.commit()
        first_claimed = asyncio.Event()
        second_claimed = asyncio.Event()

        async def scheduler(limit: int, claimed: asyncio.Event, wait: asyncio.Event) -> set[str]:
            async with db.uow() as tx:
                timers = await tx.timers.claim_due(NOW, limit)
                claimed.set()
                # Both transactions hold their claims at once before either finishes.
                await asyncio.wait_for(wait.wait(), timeout=10)
                for timer in timers:
                    await tx.timers.take(timer)
                await tx.commit()
            return {t.key for t in timers}

        async def second() -> set[str]:
            await asyncio.wait_for(first_claimed.wait(), timeout=10)
            return await scheduler(20, second_claimed, first_claimed)

        a, b = await asyncio.gather(scheduler(10, first_claimed, second_claimed), second())
        assert len(a) == 10 and len(b) == 10
        assert a.isdisjoint(b)
        assert a | b == {str(n) for n in range(20)}
        # the earliest due went first
        assert a == {str(n) for n in range(10, 20)}
        async with db.uow() as tx:
            left = await tx.timers.claim_due(NOW + timedelta(days=1), 100)
        assert [t.key for t in left] == ["later"]


async def blocked_on_a_lock(db: Database, timeout: float = 10.0) -> None:
    """Wait until another transaction of this database waits for a row lock."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    while True:
        async with db.engine.connect() as connection:
            if (await connection.execute(query)).scalar_one():
                return
        if loop.time() > deadline:
            raise AssertionError("no transaction ever waited for the lock")
        await asyncio.sleep(0.01)  # polling inside a deadline, not a synchronisation


async def test_a_claimed_timer_set_again_concurrently_survives(postgres: str) -> None:
    async with Database(postgres) as db:
        async with db.uow() as tx:
            await tx.timers.set(Timer("remind", "1", NOW))
            await tx.commit()
        claimed = asyncio.Event()

        async def fire() -> None:
            async with db.uow() as tx:
                (timer,) = await tx.timers.claim_due(NOW, 10)
                claimed.set()
                await blocked_on_a_lock(db)  # the customer answers meanwhile, and must wait
                await tx.timers.take(timer)
                await tx.commit()

        async def reset() -> None:
            await claimed.wait()
            async with db.uow() as tx:
                # waits for the claim's lock, then moves the timer
                await tx.timers.set(Timer("remind", "1", NOW + timedelta(hours=1)))
                await tx.commit()

        await asyncio.wait_for(asyncio.gather(fire(), reset()), timeout=10)
        async with db.uow() as tx:
            left = await tx.timers.claim_due(NOW + timedelta(days=1), 10)
        assert [(t.key, t.due_at) for t in left] == [("1", NOW + timedelta(hours=1))]


async def test_two_staff_taking_one_case_at_once_exactly_one_wins(postgres: str) -> None:
    async with Database(postgres) as db:
        async with db.uow() as tx:
            owner = await tx.customers.add(customer())
            assert owner.id is not None
            await tx.cases.add(case("HB-AAAAAA", owner.id))
            await tx.commit()
        both_read = asyncio.Barrier(2)

        async def take(staff_id: int) -> str:
            async with db.uow() as tx:
                found = await tx.cases.get("HB-AAAAAA")
                assert found is not None
                await both_read.wait()  # both saw the case untaken
                try:
                    await tx.cases.save(replace(found, owner_id=staff_id))
                    await tx.commit()
                except CaseChanged:
                    return "lost"
            return "won"

        results = await asyncio.wait_for(asyncio.gather(take(1), take(2)), timeout=10)
        assert sorted(results) == ["lost", "won"]
        async with db.uow() as tx:
            final = await tx.cases.get("HB-AAAAAA")
        assert final is not None and final.version == 1
        assert final.owner_id == (1 if results[0] == "won" else 2)


async def test_two_schedulers_fire_every_timer_exactly_once(postgres: str, org: OrgConfig) -> None:
    fired: list[str] = []

    async def record(uow: UnitOfWork, env: Env, timer: Timer) -> None:
        fired.append(timer.key)

    def env() -> Env:
        return Env(org, NOW, lambda n: b"\x01" * n)

    async with Database(postgres) as db:
        async with db.uow() as tx:
            for n in range(200):
                await tx.timers.set(Timer("check", str(n), NOW - timedelta(seconds=n % 7)))
            await tx.commit()
        clock = ManualClock(NOW)
        schedulers = [
            Scheduler(db.uow, {"check": record}, env, clock, lambda: None) for _ in range(2)
        ]
        counts = await asyncio.wait_for(asyncio.gather(*(s.tick() for s in schedulers)), timeout=30)
    assert sorted(fired, key=int) == [str(n) for n in range(200)], "each once, none lost"
    assert sum(counts) == 200 and all(counts), "both schedulers did part of the work"


async def test_one_instance_holds_the_sending_lease_and_another_takes_over_when_it_dies(
    postgres: str,
) -> None:
    async with Database(postgres) as first, Database(postgres) as second:
        leader, follower = Lease(first.engine), Lease(second.engine)
        assert await leader.acquire()
        assert not await follower.acquire(), "only one instance sends"
        assert await leader.held()
        async with second.engine.connect() as admin:
            # The leader's process dies: PostgreSQL ends its session, and the lock with it.
            await admin.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND granted AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"
                )
            )
        assert not await leader.held()
        assert await follower.acquire(), "the next instance takes over"
        await follower.release()
        assert await leader.acquire()
        await leader.release()


async def _backend_ended_between_uses(postgres: str, ping_after_rest: float) -> None:
    """Use a pooled connection, end its server process, then use the pool again."""
    engine = make_engine(postgres, ping_after_rest=ping_after_rest)
    admin = make_engine(postgres)
    try:
        async with engine.connect() as connection:
            pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        async with admin.connect() as connection:
            # Waits (up to 10 s) until the process has ended, not only been told to.
            ended = text("SELECT pg_terminate_backend(:pid, 10000)")
            assert (await connection.execute(ended, {"pid": pid})).scalar_one()
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT 1"))).scalar_one() == 1
    finally:
        await engine.dispose()
        await admin.dispose()


async def test_a_connection_that_rested_is_checked_before_a_unit_of_work_uses_it(
    postgres: str,
) -> None:
    # A server restarted while the bot was quiet ends every pooled connection.
    await _backend_ended_between_uses(postgres, ping_after_rest=0.0)


async def test_a_connection_used_a_moment_ago_is_not_pinged_and_its_loss_is_transient(
    postgres: str,
) -> None:
    # Under load no ping is paid; a connection lost meanwhile fails one unit of work, which
    # the inbox, the sender and the scheduler retry.
    with pytest.raises(DBAPIError) as failed:
        await _backend_ended_between_uses(postgres, ping_after_rest=3600.0)
    assert is_transient(failed.value)
