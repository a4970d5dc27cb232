"""The transactional inbox: updates are committed before Telegram is told we have them.

`Poller` calls getUpdates, writes the raw updates to the inbox and commits; only the *next*
getUpdates (with offset = last id + 1) confirms them to Telegram. `InboxProcessor` handles the
stored updates in order, each in its own transaction that also marks the update done, so a
crash at any point replays the update and never doubles it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.clock import Clock
from bot.faults import crash_point
from bot.transport import Json, Transport
from flows.ports import CaseChanged
from storage.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)
POLL_TIMEOUT = 25
MAX_ATTEMPTS = 3
CONFLICT_RETRIES = 5

Handler = Callable[[SqlUnitOfWork, Json], Awaitable[None]]
FailureNotice = Callable[[SqlUnitOfWork, Json], Awaitable[None]]


class Poller:
    """Long-polls getUpdates into the inbox."""

    def __init__(
        self,
        uow_factory: Callable[[], SqlUnitOfWork],
        transport: Transport,
        on_stored: Callable[[], None],
        timeout: int = POLL_TIMEOUT,
    ) -> None:
        self._uow = uow_factory
        self._transport = transport
        self._on_stored = on_stored
        self._timeout = timeout

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set."""
        async with self._uow() as uow:
            last = await uow.inbox.last_update_id()
        offset = None if last is None else last + 1
        failures = 0
        while not stop.is_set():
            try:
                updates = await self._transport.get_updates(offset, self._timeout)
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as error:  # network trouble or Telegram down: wait and retry
                failures += 1
                delay = min(30.0, 0.5 * 2**failures)
                log.warning(
                    "getUpdates failed (%s); retrying in %.1fs", type(error).__name__, delay
                )
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(delay):
                        await stop.wait()
                continue
            if not updates:
                continue
            async with self._uow() as uow:
                await uow.inbox.add_many(updates)
                await uow.commit()
            crash_point("inbox-committed")
            offset = max(int(u["update_id"]) for u in updates) + 1
            self._on_stored()


class InboxProcessor:
    """Handles stored updates in order, one transaction each."""

    def __init__(
        self,
        uow_factory: Callable[[], SqlUnitOfWork],
        handler: Handler,
        on_failure: FailureNotice,
        clock: Clock,
        on_committed: Callable[[], None],
    ) -> None:
        self._uow = uow_factory
        self._handler = handler
        self._on_failure = on_failure
        self._clock = clock
        self._on_committed = on_committed
        self._wake = asyncio.Event()
        self.handled = 0

    def wake(self) -> None:
        """New updates were stored."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Process until `stop` is set."""
        while not stop.is_set():
            self._wake.clear()
            done = await self.drain()
            if done == 0:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(1.0):
                        await self._wake.wait()

    async def drain(self, limit: int = 100) -> int:
        """Handle the pending updates (at most `limit`); return how many were handled."""
        async with self._uow() as uow:
            rows = await uow.inbox.pending(limit)
        for row in rows:
            await self._handle(row.update_id, row.payload, row.attempts)
        return len(rows)

    async def _handle(self, update_id: int, payload: dict[str, Any], attempts: int) -> None:
        try:
            await self._handle_once(update_id, payload)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            dead = attempts + 1 >= MAX_ATTEMPTS
            log.exception("update %s failed (attempt %s)", update_id, attempts + 1)
            async with self._uow() as uow:
                await uow.inbox.mark_attempt_failed(update_id, repr(error)[:500], dead)
                if dead:
                    await self._on_failure(uow, payload)
                await uow.commit()
        self.handled += 1
        self._on_committed()

    async def _handle_once(self, update_id: int, payload: dict[str, Any]) -> None:
        """One transaction; run again from the start if a case changed under it."""
        for attempt in range(1, CONFLICT_RETRIES + 1):
            try:
                async with self._uow() as uow:
                    await self._handler(uow, payload)
                    await uow.inbox.mark_done(update_id, self._clock.now())
                    await uow.commit()
                return
            except CaseChanged:
                if attempt == CONFLICT_RETRIES:
                    raise
                log.info("update %s met a concurrent change; handling it again", update_id)
