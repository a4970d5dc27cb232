"""The transactional inbox: updates are committed before Telegram is told we have them.

`Poller` calls getUpdates, writes the raw updates to the inbox and commits; only the *next*
getUpdates (with offset = last id + 1) confirms them to Telegram. `InboxProcessor` handles the
stored updates in order; what an update changes commits together with the mark that it is
done, so a crash at any point replays the update and never doubles it.

Under load the processor handles a run of waiting updates in one transaction (a group commit:
one commit, and one write of each page they share, instead of one per update). If any of them
fails, that transaction is rolled back whole and the run is handled again one update per
transaction, exactly as a single update is: each update is all-or-nothing either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.clock import Clock
from bot.faults import crash_point
from bot.json_transport import JsonTransport
from bot.transport import Json
from flows.ports import CaseChanged
from storage.inbox import InboxRow
from storage.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)
POLL_TIMEOUT = 25
MAX_ATTEMPTS = 3
CONFLICT_RETRIES = 5
# Updates per shared transaction: enough to spread a commit thin, few enough that the first
# update's replies wait only a few tens of milliseconds for the last one.
BATCH = 32

Handler = Callable[[SqlUnitOfWork, Json], Awaitable[None]]
FailureNotice = Callable[[SqlUnitOfWork, Json], Awaitable[None]]


class Poller:
    """Long-polls getUpdates into the inbox."""

    def __init__(
        self,
        uow_factory: Callable[[], SqlUnitOfWork],
        transport: JsonTransport,
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
        for start in range(0, len(rows), BATCH):
            run = rows[start : start + BATCH]
            if len(run) > 1 and await self._handle_together(run):
                continue
            for row in run:
                await self._handle(row.update_id, row.payload, row.attempts)
        return len(rows)

    async def _handle_together(self, rows: list[InboxRow]) -> bool:
        """Handle `rows` in one transaction; False, with nothing kept, if any of them failed."""
        try:
            async with self._uow() as uow:
                for row in rows:
                    await self._handler(uow, row.payload)
                await uow.inbox.mark_all_done([row.update_id for row in rows], self._clock.now())
                await uow.commit()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.info("an update among %s failed; handling them one by one", len(rows))
            return False
        self.handled += len(rows)
        self._on_committed()
        return True

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
