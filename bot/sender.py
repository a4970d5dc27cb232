"""The outbox sender: delivers stored messages in order per chat, within Telegram's limits, never dropping one.

Rows are claimed from the outbox (only the oldest pending row of each chat, so a chat's messages
keep their order), paced by the Limiter, and sent through the Transport. A 429 blocks that chat
for `retry_after`; 5xx and network errors are retried with backoff; a 403 marks the customer as
unreachable; a 400 is a bug: logged with its payload and not retried.

On PostgreSQL several instances may run, but only the holder of the sending lease delivers (one
global rate budget); the others try to take the lease every LEASE_RETRY seconds.

Deliveries that succeed are recorded together: those that ended while a record transaction
waited to begin are marked sent in it (a group commit), and a chat's next message is read only
after its previous one is recorded. A crash before that commit sends those messages
again on restart, as it always could between a send and its record.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from bot.clock import Clock, SystemClock
from bot.i18n import Renderer
from bot.limits import Limiter
from bot.render import render
from bot.transport import Blocked, Delivered, Outcome, Rejected, RetryLater, Transport
from flows import delivery
from flows.env import Env
from flows.messages import AnswerButton, Chart, Copy, Document, Outgoing, Say
from storage.lease import Lease
from storage.outbox import OutboxRow
from storage.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)
MAX_BACKOFF = 300.0
BATCH = 200
LEASE_RETRY = 2.0
Sent = tuple[OutboxRow, Delivered, "asyncio.Future[None]"]  # delivered, to be recorded


def paced(message: Outgoing) -> bool:
    """Whether the message counts against Telegram's per-chat limits (new messages do)."""
    return isinstance(message, Say | Copy | Chart | Document)


def backoff(attempts: int) -> float:
    """Seconds before retry number `attempts` + 1 of a failed delivery: 1, 2, 4 … 300."""
    return float(min(MAX_BACKOFF, 2 ** max(0, attempts)))


class Sender:
    """Delivers the outbox; `run` until stopped, `wake` when new rows were committed."""

    def __init__(
        self,
        uow_factory: Callable[[], SqlUnitOfWork],
        transport: Transport,
        renderer: Renderer,
        clock: Clock,
        limiter: Limiter,
        env: Callable[[], Env],
        concurrency: int = 32,
        wall: Clock | None = None,
        lease: Lease | None = None,
    ) -> None:
        self._uow = uow_factory
        self._env = env
        self._problems: set[str] = set()
        self._transport = transport
        self._renderer = renderer
        self._clock = clock
        # Retries wait in real time, even when the business clock is simulated.
        self._wall = wall or SystemClock()
        self._limiter = limiter
        self._lease = lease
        self._lease_checked = float("-inf")
        self._slots = asyncio.Semaphore(concurrency)
        self._inflight: set[int] = set()
        # Rows whose delivery ended after the last read began: that read may still list them.
        self._finished: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        # Sent, waiting for a recorder to take them, each with its waiting delivery.
        self._unrecorded: list[Sent] = []
        self._recorders: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._settled = 0  # deliveries that ended (sent, given up or postponed)
        self._progress = asyncio.Event()  # set, then replaced, each time one ends
        self.sent = 0
        self.rate_limited = 0

    def wake(self) -> None:
        """New messages may be waiting."""
        self._wake.set()

    async def mark(self) -> int:
        """A mark in the outbox, for `delivered_after`: what is queued from now on comes after it."""
        async with self._uow() as uow:
            return await uow.outbox.newest_id()

    async def delivered_after(self, mark: int, stall: float) -> bool:
        """Wait until everything queued after `mark` has been delivered or given up.

        Deliveries already under way finish too (a receipt is pinned only after it is sent).
        False if no delivery ends for `stall` seconds while some are still to go (the chat is
        postponed far ahead, or Telegram is away), so that the waiter can go on.
        """
        while True:
            settled = self._settled
            async with self._uow() as uow:
                if not self._inflight and not await uow.outbox.pending_after(mark):
                    return True
            try:
                async with asyncio.timeout(stall):
                    while self._settled == settled:
                        await self._progress.wait()
            except TimeoutError:
                return False

    def _settle(self) -> None:
        self._settled += 1
        self._progress.set()
        self._progress = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; in-flight deliveries are finished before returning."""
        try:
            while not stop.is_set():
                pause = await self.pass_once() if await self._leading() else LEASE_RETRY
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(pause):
                        await self._wake.wait()
        finally:
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
            if self._lease is not None:
                await self._lease.release()

    async def _leading(self) -> bool:
        """Whether this instance may send: it holds the lease (checked every LEASE_RETRY s)."""
        if self._lease is None:
            return True
        now = asyncio.get_running_loop().time()
        if now - self._lease_checked < LEASE_RETRY:
            return True
        try:
            leading = await self._lease.acquire()
        except Exception as error:  # the database is away: nobody can claim rows anyway
            log.warning("could not check the sending lease: %s", type(error).__name__)
            leading = False
        self._lease_checked = now if leading else float("-inf")
        return leading

    async def pass_once(self) -> float:
        """Start every delivery that may go now; return how long until the next one may."""
        settled = set(self._finished)  # committed before this read: it cannot list them
        async with self._uow() as uow:
            rows = await uow.outbox.pending(self._wall.now(), BATCH)
        self._finished -= settled
        pause = 1.0
        for row in rows:
            if row.chat_id in self._inflight or row.id in self._finished:
                continue
            counted = paced(row.message)
            wait = self._limiter.delay(row.chat_id) if counted else 0.0
            if wait > 0:
                pause = min(pause, wait)
                continue
            if counted:
                self._limiter.take(row.chat_id)
            self._inflight.add(row.chat_id)
            await self._slots.acquire()
            task = asyncio.create_task(self._deliver(row))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return pause

    async def _addressed(self, row: OutboxRow) -> Outgoing | None:
        """The row's message with its case topic filled in; None once it is dealt with here."""
        if not delivery.needs_address(row.message):
            return row.message
        async with self._uow() as uow:
            found = await delivery.address(uow, row.message, waits=row.attempts)
            if isinstance(found, delivery.Later):
                await uow.outbox.requeue(row.id, self._clock.now())
            elif found is None:
                await uow.outbox.mark_failed(row.id, self._clock.now(), "nowhere to deliver")
            await uow.commit()
        return found if not isinstance(found, delivery.Later) else None

    async def _deliver(self, row: OutboxRow) -> None:
        try:
            message = await self._addressed(row)
            if message is None:
                return
            row = replace(row, message=message)
            if isinstance(message, Chart):  # drawing takes a tenth of a second or more
                call = await asyncio.to_thread(render, self._renderer, message)
            else:
                call = render(self._renderer, message)
            outcome = await self._transport.call(call.method, call.params)
            await self._record(row, outcome)
            if isinstance(outcome, Delivered) and isinstance(message, Say) and message.pin:
                await self._pin(message.chat_id, outcome.message_id)
        except Exception:
            log.exception("delivery of outbox row %s failed; it will be retried", row.id)
            await self._retry(row, backoff(row.attempts), "internal error")
        finally:
            self._finished.add(row.id)
            self._inflight.discard(row.chat_id)
            self._slots.release()
            self._wake.set()
            self._settle()

    async def _record(self, row: OutboxRow, outcome: Outcome) -> None:
        now = self._clock.now()
        if isinstance(outcome, Rejected) and delivery.is_not_modified(outcome.reason):
            outcome = Delivered()  # an edit that was already in place
        if isinstance(outcome, Delivered):
            recorded = asyncio.get_running_loop().create_future()
            self._unrecorded.append((row, outcome, recorded))
            if len(self._unrecorded) == 1:  # else a recorder not yet started will take it too
                recorder = asyncio.create_task(self._record_delivered())
                self._recorders.add(recorder)
                recorder.add_done_callback(self._recorders.discard)
            await recorded
        elif isinstance(outcome, RetryLater):
            if outcome.rate_limited:
                self.rate_limited += 1
                self._limiter.block(row.chat_id, outcome.after)
                await self._retry(row, outcome.after, outcome.reason)
            else:
                await self._retry(row, max(outcome.after, backoff(row.attempts)), outcome.reason)
        elif isinstance(outcome, Blocked):
            await self._blocked(row, outcome)
        elif isinstance(outcome, Rejected):
            if not isinstance(row.message, AnswerButton):
                # What it was, never what it said: a message can hold a customer's words.
                log.error(
                    "Telegram rejected outbox row %s (%s %s to chat %s): %s",
                    row.id,
                    type(row.message).__name__,
                    getattr(row.message, "key", ""),
                    row.chat_id,
                    outcome.reason,
                )
            async with self._uow() as uow:
                await uow.outbox.mark_failed(row.id, now, outcome.reason)
                self._operator(
                    await delivery.refused(uow, self._env(), row.message, outcome.reason)
                )
                await uow.commit()

    async def _record_delivered(self) -> None:
        """Record, in one transaction, every delivery made until the transaction could begin."""
        batch: list[Sent] = []
        try:
            async with self._uow() as uow:
                # Taken only now: deliveries that ended while this waited for the database join.
                batch, self._unrecorded = self._unrecorded, []
                await self._mark_sent(uow, batch)
                await uow.commit()
        except Exception:
            if not batch:
                batch, self._unrecorded = self._unrecorded, []
            # One bad record must not cost the others theirs: each again, on its own.
            for one in batch:
                try:
                    async with self._uow() as uow:
                        await self._mark_sent(uow, [one])
                        await uow.commit()
                except Exception as error:
                    one[2].set_exception(error)
                else:
                    self.sent += 1
                    one[2].set_result(None)
            return
        self.sent += len(batch)
        for _, _, recorded in batch:
            recorded.set_result(None)

    async def _mark_sent(self, uow: SqlUnitOfWork, batch: list[Sent]) -> None:
        now = self._clock.now()
        # What each delivery means first: it holds its case, then its outbox row, in the order
        # an erasure of the case takes them (flows.erasure), so neither waits for the other.
        for row, outcome, _ in batch:
            await delivery.delivered(
                uow, self._env(), row.message, outcome.message_id, outcome.thread_id
            )
        await uow.outbox.mark_all_sent([(row.id, done.message_id) for row, done, _ in batch], now)

    def _operator(self, problem: str | None) -> None:
        """Tell the operator once per problem what to fix (the log is where they look)."""
        if problem is not None and problem not in self._problems:
            self._problems.add(problem)
            log.error("ACTION NEEDED: %s", problem)

    async def _retry(self, row: OutboxRow, seconds: float, reason: str) -> None:
        async with self._uow() as uow:
            until = self._wall.now() + timedelta(seconds=seconds)
            await uow.outbox.postpone(row.id, until, reason)
            await uow.commit()

    async def _blocked(self, row: OutboxRow, outcome: Blocked) -> None:
        log.warning("chat %s cannot be written to: %s", row.chat_id, outcome.reason)
        async with self._uow() as uow:
            await uow.outbox.mark_failed(row.id, self._clock.now(), outcome.reason)
            self._operator(await delivery.blocked(uow, self._env(), row.message))
            await uow.commit()

    async def _pin(self, chat_id: int, message_id: int | None) -> None:
        if message_id is None:
            return
        params = {"chat_id": chat_id, "message_id": message_id, "disable_notification": True}
        outcome = await self._transport.call("pinChatMessage", params)
        if not isinstance(outcome, Delivered):
            log.warning("could not pin message %s in chat %s: %s", message_id, chat_id, outcome)
