"""The scheduler fires timers due together in groups, yet each as if it had fired alone: a timer
an earlier one moved does not fire, and one that fails holds back none of the others."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock, SystemClock
from bot.retry import RetryPolicy
from bot.scheduler import GROUP, Scheduler, TimerHandler
from flows.config import OrgConfig
from flows.env import Env
from flows.model import Timer
from flows.ports import UnitOfWork
from storage.database import Database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=30)


async def mark_fired(uow: UnitOfWork, env: Env, timer: Timer) -> None:
    """What a timer did, kept only if its transaction commits: a far-off 'fired' timer."""
    await uow.timers.set(Timer("fired", timer.key, LATER))


async def fired(db: Database) -> list[str]:
    async with db.uow() as tx:
        marks = await tx.timers.claim_due(LATER, 10 * GROUP)
    return sorted((t.key for t in marks if t.kind == "fired"), key=int)


def scheduler(db: Database, org: OrgConfig, handlers: dict[str, TimerHandler]) -> Scheduler:
    def env() -> Env:
        return Env(org, NOW, lambda n: b"\x01" * n)

    policy = RetryPolicy(attempts=3, delays=(60.0,))
    return Scheduler(db.uow, handlers, env, ManualClock(NOW), lambda: None, policy=policy)


async def test_many_due_timers_all_fire_once(database: Database, org: OrgConfig) -> None:
    count = 2 * GROUP + 3
    async with database.uow() as tx:
        await tx.timers.set_all(
            [Timer("check", str(n), NOW - timedelta(seconds=n)) for n in range(count)]
        )
        await tx.commit()
    assert await scheduler(database, org, {"check": mark_fired}).tick() == count
    assert await fired(database) == [str(n) for n in range(count)]


async def test_a_timer_moved_by_one_fired_before_it_in_its_group_waits_for_its_new_time(
    database: Database, org: OrgConfig
) -> None:
    async def postpone_the_other(uow: UnitOfWork, env: Env, timer: Timer) -> None:
        await uow.timers.set(Timer("check", "2", NOW + timedelta(hours=1)))
        await mark_fired(uow, env, timer)

    async with database.uow() as tx:
        await tx.timers.set(Timer("first", "1", NOW - timedelta(minutes=2)))
        await tx.timers.set(Timer("check", "2", NOW - timedelta(minutes=1)))
        await tx.commit()
    handlers = {"first": postpone_the_other, "check": mark_fired}
    assert await scheduler(database, org, handlers).tick() == 1
    assert await fired(database) == ["1"]
    async with database.uow() as tx:
        moved = await tx.timers.get("check", "2")
    assert moved is not None and moved.due_at == NOW + timedelta(hours=1)


async def test_a_failing_timer_in_a_group_holds_back_none_of_the_others(
    database: Database, org: OrgConfig
) -> None:
    async def fails(uow: UnitOfWork, env: Env, timer: Timer) -> None:
        await mark_fired(uow, env, timer)
        raise ValueError("this timer cannot be handled")

    async with database.uow() as tx:
        await tx.timers.set_all(
            [
                Timer("bad" if n == 3 else "check", str(n), NOW - timedelta(seconds=10 - n))
                for n in range(8)
            ]
        )
        await tx.commit()
    ticker = scheduler(database, org, {"check": mark_fired, "bad": fails})
    assert await ticker.tick() == 7
    assert await fired(database) == ["0", "1", "2", "4", "5", "6", "7"], "3's work undone"
    async with database.uow() as tx:
        bad = await tx.timers.get("bad", "3")
        assert bad is not None and await tx.timers.attempts(bad) == 1, "one failure counted"
    assert await ticker.tick() == 0, "it waits for its next attempt"


class Sleeper:
    """A scheduler on the real clock that looks every 60 s unless a timer is due sooner."""

    def __init__(self, db: Database, org: OrgConfig, failures: int = 0) -> None:
        self.fired = asyncio.Event()
        self.attempts = 0
        self._failures = failures

        async def check(uow: UnitOfWork, env: Env, timer: Timer) -> None:
            self.attempts += 1
            if self.attempts <= self._failures:
                raise ValueError("this timer fails once")
            self.fired.set()

        def env() -> Env:
            return Env(org, datetime.now(UTC), lambda n: b"\x01" * n)

        policy = RetryPolicy(attempts=3, delays=(0.5,))
        self.scheduler = Scheduler(
            db.uow, {"check": check}, env, SystemClock(), lambda: None, 0.1, policy, idle_look=60
        )
        db.on_timers.append(self.scheduler.timer_set)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Sleeper:
        self._task = asyncio.create_task(self.scheduler.run(self._stop))
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._stop.set()
        assert self._task is not None
        await asyncio.wait_for(self._task, 5)

    async def sleeping(self) -> None:
        """Wait until the scheduler has looked, found nothing due, and sleeps for about 60 s."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 5
        while (planned := self.scheduler.next_look) is None:
            assert loop.time() < deadline, "the scheduler never went to sleep"
            await asyncio.sleep(0.01)  # polling inside a deadline, not a synchronisation
        assert planned - datetime.now(UTC) > timedelta(seconds=50)

    async def fires_well_before_its_next_idle_look(self) -> None:
        """The timer fired within 5 s (its next look without it was 60 s away)."""
        await asyncio.wait_for(self.fired.wait(), 5)


async def set_check(db: Database, due_in: float) -> None:
    async with db.uow() as tx:
        await tx.timers.set(Timer("check", "1", datetime.now(UTC) + timedelta(seconds=due_in)))
        await tx.commit()


async def test_an_idle_scheduler_wakes_for_the_next_timer_due(
    database: Database, org: OrgConfig
) -> None:
    await set_check(database, 0.5)
    async with Sleeper(database, org) as sleeper:
        await sleeper.fires_well_before_its_next_idle_look()


async def test_a_timer_set_while_the_scheduler_sleeps_fires_on_time(
    database: Database, org: OrgConfig
) -> None:
    async with Sleeper(database, org) as sleeper:
        await sleeper.sleeping()
        await set_check(database, 0.3)
        await sleeper.fires_well_before_its_next_idle_look()


async def test_a_timer_that_failed_is_tried_again_at_its_retry_time_while_idle(
    database: Database, org: OrgConfig
) -> None:
    await set_check(database, 0)
    async with Sleeper(database, org, failures=1) as sleeper:
        await sleeper.fires_well_before_its_next_idle_look()
        assert sleeper.attempts == 2
