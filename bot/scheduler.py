"""The timer scheduler: fires due timers through the services, once each, surviving restarts.

Timers are rows with a `due_at`; a tick claims only the due ones (SKIP LOCKED on PostgreSQL),
so its cost follows the number of due timers, not the number of open cases. Timers due together
fire in groups, one transaction each; if a group fails, its timers fire again one per
transaction, so that a timer whose handler fails waits for its next attempt while the others
fire; after the last attempt it is set aside as a dead letter (`hearback dead`, `hearback retry`).

On a steady clock (real time) an idle scheduler sleeps until the next timer is due, at most
`idle_look` seconds: a commit in this process that sets an earlier timer wakes it
(`timer_set`), and what other processes set (another instance, `hearback retry`) is found at
the next look. A clock that jumps (tests, the sandbox) is looked at every `interval` seconds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from bot.beat import until_beat
from bot.clock import Clock
from bot.retry import Backoff, RetryPolicy, describe, is_transient, unreachable
from bot.tasks import first_of
from flows.env import Env
from flows.model import Timer
from flows.ports import UnitOfWork
from storage.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)
TimerHandler = Callable[[UnitOfWork, Env, Timer], Awaitable[None]]
# Timers fired in one transaction: fewer commits and wake-ups when many come due together,
# yet short enough that an update waiting for the database is not held up for long.
GROUP = 20


class Scheduler:
    """Fires timers; `tick` once, or `run` until stopped."""

    def __init__(
        self,
        uow_factory: Callable[[], SqlUnitOfWork],
        handlers: Mapping[str, TimerHandler],
        env_factory: Callable[[], Env],
        clock: Clock,
        on_committed: Callable[[], None],
        interval: float = 1.0,
        policy: RetryPolicy | None = None,
        idle_look: float | None = None,
    ) -> None:
        self._uow = uow_factory
        self._handlers = handlers
        self._env = env_factory
        self._clock = clock
        self._on_committed = on_committed
        self._interval = interval
        self._idle_look = max(interval, idle_look or interval)
        # When the sleeping scheduler looks next (clock time); None while it looks.
        self._planned: datetime | None = None
        self._set_meanwhile: datetime | None = None  # the earliest timer set while it looked
        self._retry_at: datetime | None = None  # the earliest retry of a timer that failed here
        self._policy = policy or RetryPolicy()
        self._backoff = Backoff()
        self.dead_letters = 0
        self._wake = asyncio.Event()
        # One tick at a time: a sandbox clock jump ticks too, and must not fire a timer twice.
        self._ticking = asyncio.Lock()

    def wake(self) -> None:
        """The clock moved, or a timer may have come due."""
        self._wake.set()

    @property
    def next_look(self) -> datetime | None:
        """When the sleeping scheduler looks next (clock time); None while it looks, or when it
        looks every interval."""
        return self._planned

    def timer_set(self, due: datetime) -> None:
        """A commit set a timer due at `due`: look then if that is before the planned look."""
        if self._planned is None:
            self._set_meanwhile = (
                due if self._set_meanwhile is None else min(due, self._set_meanwhile)
            )
        elif due < self._planned:
            self._wake.set()

    async def tick(self) -> int:
        """Fire every timer due now, a group per transaction; return how many fired."""
        async with self._ticking:
            return await self._fire_due()

    async def _fire_due(self) -> int:
        fired = 0
        alone = 0  # timers to fire one per transaction: a group of them failed
        while True:
            claimed: list[Timer] = []
            went = 0
            try:
                async with self._uow() as uow:
                    claimed = await uow.timers.claim_due(self._clock.now(), 1 if alone else GROUP)
                    if not claimed:
                        return fired
                    for timer in claimed:
                        went += await self._fire(uow, timer)
                    await uow.commit()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if not claimed or is_transient(error):
                    raise  # not a timer's fault: the tick ends and the next one tries again
                if len(claimed) > 1:
                    # Nothing of the group was kept; one at a time tells which one failed, and
                    # the others fire meanwhile.
                    alone = len(claimed)
                    continue
                await self._failed(claimed[0], error)
            else:
                fired += went
                self._on_committed()
            alone = max(0, alone - len(claimed))

    async def _fire(self, uow: SqlUnitOfWork, claimed: Timer) -> bool:
        """Fire one claimed timer, unless one fired before it in this group moved it."""
        timer = await uow.timers.take(claimed)
        if timer is None:
            return False
        handler = self._handlers.get(timer.kind)
        if handler is None:
            log.error("no handler for timer kind %r; dropping timer %s", timer.kind, timer.id)
            return False
        await handler(uow, self._env(), timer)
        return True

    async def _failed(self, timer: Timer, error: Exception) -> None:
        """Count the failure: the timer waits for its next attempt, or is set aside."""
        now = self._clock.now()
        async with self._uow() as uow:
            failures = await uow.timers.attempts(timer) + 1
            retry_at = self._policy.retry_at(failures, now)
            await uow.timers.failed(timer, describe(error), retry_at)
            await uow.commit()
        if retry_at is not None:
            self._retry_at = retry_at if self._retry_at is None else min(retry_at, self._retry_at)
            log.warning(
                "timer %s (%s) failed (attempt %s of %s: %s); trying it again in %.0f s",
                timer.id,
                timer.kind,
                failures,
                self._policy.attempts,
                describe(error),
                (retry_at - now).total_seconds(),
            )
            return
        self.dead_letters += 1
        log.error(
            "timer %s (%s) set aside as a dead letter after %s attempts: %s "
            "(`hearback dead` lists it, `hearback retry timer:%s` replays it)",
            timer.id,
            timer.kind,
            failures,
            describe(error),
            timer.id,
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Tick every `interval` seconds (on the beat: bot.beat) until `stop` is set; pause while
        the database is away."""
        while not stop.is_set():
            self._wake.clear()
            self._planned = self._set_meanwhile = None
            try:
                looked = self._clock.now()
                await self.tick()
                wait = await self._until_next_look(looked)
                self._backoff.reset()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if not is_transient(error):
                    raise
                wait = self._backoff.next()
                log.warning("timers paused: %s; retrying in %.0f s", unreachable(error), wait)
            await first_of(stop, self._wake, wait)

    async def _until_next_look(self, looked: datetime) -> float:
        """Seconds to sleep after a look that began at `looked`: until the next timer is due,
        on the beat, at most `idle_look`; plans the look so that an earlier timer wakes it."""
        if self._idle_look <= self._interval:
            return until_beat(self._interval)
        if self._retry_at is not None and self._retry_at <= looked:
            self._retry_at = None  # it was due at that look, and went or failed again
        now = self._clock.now()
        horizon = now + timedelta(seconds=self._idle_look)
        async with self._uow() as uow:
            due = await uow.timers.next_due(looked, horizon)
        candidates = (horizon, due, self._set_meanwhile, self._retry_at)
        self._planned = min(c for c in candidates if c is not None)
        return until_beat(self._interval, (self._planned - now).total_seconds())
