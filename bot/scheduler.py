"""The timer scheduler: fires due timers through the services, once each, surviving restarts.

Timers are rows with a `due_at`; a tick claims only the due ones (SKIP LOCKED on PostgreSQL),
so its cost follows the number of due timers, not the number of open cases. A timer whose
handler fails waits for its next attempt while the others fire; after the last attempt it is set
aside as a dead letter (`hearback dead`, `hearback retry`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping

from bot.clock import Clock
from bot.retry import Backoff, RetryPolicy, describe, is_transient, unreachable
from flows.env import Env
from flows.model import Timer
from flows.ports import UnitOfWork
from storage.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)
TimerHandler = Callable[[UnitOfWork, Env, Timer], Awaitable[None]]
BATCH = 100


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
    ) -> None:
        self._uow = uow_factory
        self._handlers = handlers
        self._env = env_factory
        self._clock = clock
        self._on_committed = on_committed
        self._interval = interval
        self._policy = policy or RetryPolicy()
        self._backoff = Backoff()
        self.dead_letters = 0
        self._wake = asyncio.Event()
        # One tick at a time: a sandbox clock jump ticks too, and must not fire a timer twice.
        self._ticking = asyncio.Lock()

    def wake(self) -> None:
        """The clock moved, or a timer may have come due."""
        self._wake.set()

    async def tick(self) -> int:
        """Fire every timer due now, each in its own transaction; return how many fired."""
        async with self._ticking:
            return await self._fire_due()

    async def _fire_due(self) -> int:
        fired = 0
        while True:
            timer: Timer | None = None
            try:
                async with self._uow() as uow:
                    timers = await uow.timers.claim_due(self._clock.now(), 1)
                    if not timers:
                        return fired
                    timer = timers[0]
                    handler = self._handlers.get(timer.kind)
                    if handler is None:
                        log.error(
                            "no handler for timer kind %r; dropping timer %s", timer.kind, timer.id
                        )
                    else:
                        await handler(uow, self._env(), timer)
                    await uow.timers.done(timer)
                    await uow.commit()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if timer is None or is_transient(error):
                    raise  # not the timer's fault: the tick ends and the next one tries again
                await self._failed(timer, error)
                continue
            fired += 1
            self._on_committed()

    async def _failed(self, timer: Timer, error: Exception) -> None:
        """Count the failure: the timer waits for its next attempt, or is set aside."""
        now = self._clock.now()
        async with self._uow() as uow:
            failures = await uow.timers.attempts(timer) + 1
            retry_at = self._policy.retry_at(failures, now)
            await uow.timers.failed(timer, describe(error), retry_at)
            await uow.commit()
        if retry_at is not None:
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
        """Tick every `interval` seconds until `stop` is set; pause while the database is away."""
        while not stop.is_set():
            wait = self._interval
            try:
                await self.tick()
                self._backoff.reset()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if not is_transient(error):
                    raise
                wait = self._backoff.next()
                log.warning("timers paused: %s; retrying in %.0f s", unreachable(error), wait)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._wake.wait()
