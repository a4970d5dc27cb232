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
from datetime import timedelta
from typing import Any

import aiohttp

from bot.beat import until_beat
from bot.claims import ClaimLost, InboxClaims
from bot.clock import Clock
from bot.faults import crash_point
from bot.json_transport import BotApiError, JsonTransport
from bot.retry import Backoff, RetryPolicy, describe, is_transient, unreachable
from bot.supervise import TokenRejected
from bot.tasks import cancel_and_wait, first_of
from bot.transport import Json
from flows.ports import CaseChanged, TopicPending
from storage.inbox import InboxRow
from storage.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)
POLL_TIMEOUT = 25
CONFLICT_RETRIES = 5
# Updates per shared transaction: enough to spread a commit thin, few enough that the first
# update's replies wait only a few tens of milliseconds for the last one.
BATCH = 32
DRAIN_LIMIT = 100  # updates claimed at a time
# Seconds between looks at an inbox where nothing waits: every update stored in this process
# wakes the processor; a look finds what another process put back (`hearback retry`).
IDLE_LOOK = 5.0
# An update that meets "unreachable" this often in a row, while the inbox itself can be read, is
# counted as failing after all: no update may hold the line for ever.
TRANSIENT_LIMIT = 10
# The longest a staff message waits for the topic being opened in its group (Telegram answers
# the bot in a moment; past that it is handled as it is, and may wait again).
HOLD = timedelta(seconds=30)
TOKEN_REJECTED = (
    "Telegram rejected the bot token (401 Unauthorized). Check BOT_TOKEN: copy it again from "
    "@BotFather (a token revoked there, or by /revoke, stops working at once)."
)

Handler = Callable[[SqlUnitOfWork, Json], Awaitable[None]]
FailureNotice = Callable[[SqlUnitOfWork, Json], Awaitable[None]]
Lookup = Callable[[Json], Awaitable[None]]


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
        """Poll until `stop` is set; nothing is polled while the inbox cannot store it."""
        offset: int | None = None
        known = False
        failures = 0
        while not stop.is_set():
            try:
                if not known:
                    async with self._uow() as uow:
                        last = await uow.inbox.last_update_id()
                    offset, known = (None if last is None else last + 1), True
                updates = await _unless_stopped(
                    stop, self._transport.get_updates(offset, self._timeout)
                )
                if updates:
                    async with self._uow() as uow:
                        await uow.inbox.add_many(updates)
                        await uow.commit()
                failures = 0
            except asyncio.CancelledError:
                raise
            except BotApiError as error:
                if error.status == 401:
                    raise TokenRejected(TOKEN_REJECTED) from None
                failures += 1
                await self._pause(stop, failures, f"getUpdates failed ({error})")
                continue
            except Exception as error:  # Telegram or the database unreachable: wait and retry
                if not is_transient(error) and not isinstance(error, aiohttp.ClientError):
                    raise
                failures += 1
                what = (
                    f"getUpdates failed ({type(error).__name__})"
                    if isinstance(error, aiohttp.ClientError)
                    else f"polling paused: {unreachable(error)}"
                )
                await self._pause(stop, failures, what)
                continue
            if not updates:
                continue
            crash_point("inbox-committed")
            offset = max(int(u["update_id"]) for u in updates) + 1
            self._on_stored()

    async def _pause(self, stop: asyncio.Event, failures: int, what: str) -> None:
        delay = min(30.0, 0.5 * 2**failures)
        log.warning("%s; retrying in %.1f s", what, delay)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await stop.wait()


async def _unless_stopped(stop: asyncio.Event, call: Awaitable[list[Json]]) -> list[Json]:
    """The long poll's updates, or none once `stop` is set: only the HTTP call is cancelled,
    never a statement (a connection cancelled while it is taken from the pool is lost to it)."""
    polling = asyncio.ensure_future(call)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait((polling, stopping), return_when=asyncio.FIRST_COMPLETED)
    finally:
        await cancel_and_wait(*(task for task in (polling, stopping) if not task.done()))
    return [] if polling.cancelled() else polling.result()


class InboxProcessor:
    """Handles stored updates in order, one transaction each; sets aside what keeps failing."""

    def __init__(
        self,
        uow_factory: Callable[[], SqlUnitOfWork],
        handler: Handler,
        on_failure: FailureNotice,
        clock: Clock,
        on_committed: Callable[[], None],
        policy: RetryPolicy | None = None,
        before: Lookup | None = None,
        claims: InboxClaims | None = None,
        alone: bool = False,
    ) -> None:
        self._uow = uow_factory
        # Alone on its database (SQLite), nothing frees a chat's next update but our own work.
        self._alone = alone
        self._retrying = False
        # Several instances may share the inbox: each handles only the updates it claimed.
        self.claims = claims or InboxClaims(uow_factory)
        self._handler = handler
        self._on_failure = on_failure
        self._clock = clock
        self._on_committed = on_committed
        self._policy = policy or RetryPolicy()
        self._before = before
        self._wake = asyncio.Event()
        self._backoff = Backoff()
        self._unreachable: dict[int, int] = {}
        self.handled = 0
        self.held = 0
        self.dead_letters = 0

    def wake(self) -> None:
        """New updates were stored."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Process until `stop` is set; while the database or Telegram is unreachable, pause."""
        try:
            while not stop.is_set():
                self._wake.clear()
                try:
                    done = await self.drain()
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    if not is_transient(error):
                        raise
                    delay = self._backoff.next()
                    log.warning(
                        "handling updates paused: %s; retrying in %.0f s",
                        unreachable(error),
                        delay,
                    )
                    # An update stored meanwhile (the webhook or the poller reached the
                    # database) ends the pause: the database is back, and someone waits.
                    await first_of(stop, self._wake, delay)
                    continue
                self._backoff.reset()
                # Look again at once while more may be due. Alone, fewer than asked for means
                # all that was due is handled, and what was stored since has set the wake-up;
                # shared, another instance's work may just have freed a chat.
                if self._wake.is_set() or done == DRAIN_LIMIT or (done and not self._alone):
                    continue
                # Something pending but not yet due is looked for each second; else rarely:
                # a look that finds nothing costs as much as a short one.
                waiting = self.claims.others_waiting or self._retrying
                await first_of(stop, self._wake, until_beat(1.0 if waiting else IDLE_LOOK))
        finally:
            await self.claims.release()

    async def drain(self, limit: int = DRAIN_LIMIT) -> int:
        """Handle the pending updates due now (at most `limit`); return how many were handled."""
        self._retrying = False
        rows = await self.claims.claim(limit, self._clock.now())
        async with self.claims.renewing():
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
            if self._before is not None:
                # Network lookups happen here, before the transaction opens, never inside it.
                for row in rows:
                    await self._before(row.payload)
            async with self._uow() as uow:
                for row in rows:
                    await self._handler(uow, row.payload)
                await self.claims.finish(uow, [row.update_id for row in rows], self._clock.now())
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
            if self._before is not None:
                # Network lookups happen here, before the transaction opens, never inside it.
                await self._before(payload)
            await self._handle_once(update_id, payload)
            self._unreachable.pop(update_id, None)
        except asyncio.CancelledError:
            raise
        except ClaimLost:
            log.info("update %s was taken over by another instance", update_id)
            return
        except TopicPending:
            await self._hold(update_id)
            return
        except Exception as error:
            if is_transient(error):
                streak = self._unreachable[update_id] = self._unreachable.get(update_id, 0) + 1
                if streak < TRANSIENT_LIMIT:
                    raise  # not this update's fault: the worker pauses, no attempt is spent
            self._unreachable.pop(update_id, None)
            await self._failed(update_id, payload, attempts + 1, error)
        self.handled += 1
        self._on_committed()

    async def _hold(self, update_id: int) -> None:
        """Hold an update until the topic being opened in its chat is known (the sender puts it
        back in line then), at most HOLD; no attempt is spent."""
        log.info("update %s waits for a topic being opened in its chat", update_id)
        async with self._uow() as uow:
            await uow.inbox.hold(update_id, self._clock.now() + HOLD)
            await uow.commit()
        self.held += 1
        self._retrying = True

    async def _failed(
        self, update_id: int, payload: dict[str, Any], failures: int, error: Exception
    ) -> None:
        """Count the failure; after the last attempt set the update aside and apologise."""
        now = self._clock.now()
        retry_at = self._policy.retry_at(failures, now)
        what = describe(error)
        if retry_at is not None:
            log.warning(
                "update %s failed (attempt %s of %s: %s); trying it again in %.0f s",
                update_id,
                failures,
                self._policy.attempts,
                what,
                (retry_at - now).total_seconds(),
            )
            async with self._uow() as uow:
                await uow.inbox.mark_attempt_failed(update_id, what, False, retry_at)
                await uow.commit()
            self._retrying = True
            return
        log.error(
            "update %s set aside as a dead letter after %s attempts: %s "
            "(`hearback dead` lists it, `hearback retry %s` replays it)",
            update_id,
            failures,
            what,
            update_id,
        )
        self.dead_letters += 1
        # The apology is written with the mark, so one never goes without the other; if the
        # apology cannot even be built, the update is still set aside.
        try:
            async with self._uow() as uow:
                await self._on_failure(uow, payload)
                await uow.inbox.mark_attempt_failed(update_id, what, True)
                await uow.commit()
            return
        except asyncio.CancelledError:
            raise
        except Exception as apology_error:
            if is_transient(apology_error):
                raise
            log.warning(
                "no apology for update %s could be written (%s)",
                update_id,
                describe(apology_error),
            )
        async with self._uow() as uow:
            await uow.inbox.mark_attempt_failed(update_id, what, True)
            await uow.commit()

    async def _handle_once(self, update_id: int, payload: dict[str, Any]) -> None:
        """One transaction; run again from the start if a case changed under it."""
        for attempt in range(1, CONFLICT_RETRIES + 1):
            try:
                async with self._uow() as uow:
                    await self._handler(uow, payload)
                    await self.claims.finish(uow, [update_id], self._clock.now())
                    await uow.commit()
                return
            except CaseChanged:
                if attempt == CONFLICT_RETRIES:
                    raise
                log.info("update %s met a concurrent change; handling it again", update_id)
