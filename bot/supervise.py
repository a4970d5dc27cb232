"""Supervised workers: one that stops unexpectedly is logged with its traceback and restarted.

Only what cannot heal ends the process (`Fatal`): a token Telegram rejects, a database schema
newer than the code. Everything else is retried with a growing pause, and counted per worker in
`Supervisor.restarts`, for whoever reports on the bot's health.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable

from bot import logs
from bot.retry import Backoff

log = logging.getLogger(__name__)
# A worker that ran this long before stopping starts its next pause from the shortest again.
HEALTHY_AFTER = 60.0

Work = Callable[[asyncio.Event], Awaitable[None]]


class Fatal(Exception):
    """Something no retry can heal; the message says what the operator must do."""


class TokenRejected(Fatal):
    """Telegram answered 401: the bot token is wrong or was revoked."""


class Supervisor:
    """Runs workers until `stop` is set, restarting each after an unexpected exception."""

    def __init__(
        self,
        stop: asyncio.Event,
        first_pause: float = 1.0,
        longest_pause: float = 60.0,
        on_restart: Callable[[str], None] | None = None,
    ) -> None:
        self.stop = stop
        self.restarts: Counter[str] = Counter()
        self.resting: set[str] = set()  # workers waiting to be started again after a failure
        self.fatal: Fatal | None = None
        self._on_restart = on_restart
        self._first = first_pause
        self._longest = longest_pause

    async def run(self, name: str, work: Work) -> None:
        """Run `work(stop)`; restart it after a crash, with a growing pause, until `stop`."""
        logs.WORKER.set(name)  # every log line of the worker (and of its tasks) names it
        backoff = Backoff(self._first, self._longest)
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                await work(self.stop)
                return
            except asyncio.CancelledError:
                raise
            except Fatal as error:
                self.fatal = error
                log.error("hearback cannot go on: %s", error)
                self.stop.set()
                return
            except Exception:
                if time.monotonic() - started > HEALTHY_AFTER:
                    backoff.reset()
                pause = backoff.next()
                self.restarts[name] += 1
                if self._on_restart is not None:
                    self._on_restart(name)
                log.exception(
                    "the %s stopped unexpectedly; restarting it in %.0f s (restart %s)",
                    name,
                    pause,
                    self.restarts[name],
                )
                self.resting.add(name)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(pause):
                        await self.stop.wait()
                self.resting.discard(name)
