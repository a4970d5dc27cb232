"""Housekeeping: handled updates and delivered messages are deleted once they are old enough.

The inbox keeps a handled update's id, the outbox a delivered message's chat and message id;
kept for ever they would be most of the database (see README, Performance). Every `interval`
the housekeeper deletes what was handled or delivered longer than `keep` ago, a batch per
transaction, and lets the other workers have the database between batches: a backlog never
holds a lock for long. The time is the injected clock's, so tests and the sandbox move it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import timedelta

from bot.clock import Clock
from storage.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)
BATCH = 500  # rows of each table per transaction: milliseconds of SQLite's write lock
INTERVAL = 3600.0  # seconds between rounds


class Housekeeper:
    """Purges old processed rows; `purge` once, or `run` until stopped."""

    def __init__(
        self,
        uow_factory: Callable[[], SqlUnitOfWork],
        clock: Clock,
        keep: timedelta,
        interval: float = INTERVAL,
        batch: int = BATCH,
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._keep = keep
        self._interval = interval
        self._batch = batch

    async def purge(self) -> int:
        """Delete every processed row older than `keep`, batch after batch; return how many."""
        purged = 0
        while True:
            async with self._uow() as uow:
                deleted = await uow.privacy.prune(self._clock.now() - self._keep, self._batch)
                await uow.commit()
            purged += deleted
            if deleted < self._batch:  # neither table had a whole batch left
                return purged
            await asyncio.sleep(0)  # the poller and the other workers go first

    async def run(self, stop: asyncio.Event) -> None:
        """Purge at once and then every `interval` seconds, until `stop` is set."""
        while not stop.is_set():
            try:
                purged = await self.purge()
                if purged:
                    log.info("purged %s handled updates and delivered messages", purged)
            except Exception:
                log.exception("purging processed rows failed; trying again later")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._interval):
                    await stop.wait()
