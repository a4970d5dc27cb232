"""The timer scheduler: fires due timers through the services, once each, surviving restarts.

Timers are rows with a `due_at`; a tick claims only the due ones (SKIP LOCKED on PostgreSQL),
so its cost follows the number of due timers, not the number of open cases.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping

from bot.clock import Clock
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
    ) -> None:
        self._uow = uow_factory
        self._handlers = handlers
        self._env = env_factory
        self._clock = clock
        self._on_committed = on_committed
        self._interval = interval
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
            async with self._uow() as uow:
                timers = await uow.timers.claim_due(self._clock.now(), 1)
                if not timers:
                    return fired
                timer = timers[0]
                handler = self._handlers.get(timer.kind)
                if handler is None:
                    log.error("no handler for timer kind %r; dropping %s", timer.kind, timer)
                else:
                    await handler(uow, self._env(), timer)
                await uow.timers.done(timer)
                await uow.commit()
            fired += 1
            self._on_committed()

    async def run(self, stop: asyncio.Event) -> None:
        """Tick every `interval` seconds until `stop` is set."""
        while not stop.is_set():
            try:
                await self.tick()
            except Exception:
                log.exception("timer tick failed; retrying at the next tick")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._interval):
                    await self._wake.wait()
