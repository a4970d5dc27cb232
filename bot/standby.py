"""Polling by one instance at a time: Telegram allows a single getUpdates consumer per bot.

On PostgreSQL, an instance polls only while it holds the polling lease (an advisory lock, as
the sender's); a second instance waits as a standby and takes over within a few seconds of the
first one dying. On SQLite there is one instance, and the lease is always held.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.beat import until_beat
from bot.inbox import Poller
from bot.supervise import Fatal
from bot.tasks import cancel_and_wait
from storage.lease import Lease

log = logging.getLogger(__name__)
POLL_LOCK = 0x6865_6172_706F_6C6C  # "hearpoll"
RETRY = 2.0


class LeasedPoller:
    """Runs the poller while this instance holds the polling lease; waits for it otherwise."""

    def __init__(self, poller: Poller, lease: Lease, retry: float = RETRY) -> None:
        self._poller = poller
        self._lease = lease
        self._retry = retry
        self.polling = False

    async def _pause(self, stop: asyncio.Event) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(until_beat(self._retry)):
                await stop.wait()

    async def _leading(self) -> bool:
        try:
            return await self._lease.acquire()
        except Exception as error:  # the database is away: nobody polls into it anyway
            log.warning("could not check the polling lease: %s", type(error).__name__)
            return False

    async def run(self, stop: asyncio.Event) -> None:
        """Poll while leading, stand by otherwise, until `stop` is set."""
        waiting_said = False
        try:
            while not stop.is_set():
                if not await self._leading():
                    if not waiting_said:
                        log.info("another instance polls Telegram; this one stands by")
                        waiting_said = True
                    await self._pause(stop)
                    continue
                waiting_said = False
                await self._poll_while_leading(stop)
        finally:
            self.polling = False
            await self._lease.release()

    async def _poll_while_leading(self, stop: asyncio.Event) -> None:
        log.info("this instance polls Telegram")
        self.polling = True
        mine = asyncio.Event()
        task = asyncio.create_task(self._poller.run(mine), name="Poller")
        try:
            while not stop.is_set() and not task.done():
                await self._pause(stop)
                if not stop.is_set() and not await self._lease.held():
                    log.warning("the polling lease was lost; standing by")
                    break
        finally:
            self.polling = False
            # Stopped, not cancelled: a long poll in flight ends at once (bot.inbox.Poller), and
            # a statement under way finishes (cancelled, its connection could be lost).
            mine.set()
            try:
                await asyncio.wait([task])
            finally:
                if not task.done():
                    await cancel_and_wait(task)
        failure = None if task.cancelled() else task.exception()
        if isinstance(failure, Fatal):  # a token Telegram rejects: no retry heals that
            raise failure
        if failure is not None:  # the next round takes the lease again and polls anew
            log.error("polling failed; starting it again", exc_info=failure)
