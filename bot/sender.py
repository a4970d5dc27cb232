"""The outbox sender: delivers stored messages in order per chat, within Telegram's limits, never dropping one.

The schedule lives in memory (bot.queues): every pending row is listed once when this instance
starts sending, and later rows are picked up when a transaction that queued some commits (an
in-process wake-up; on PostgreSQL also LISTEN/NOTIFY, for rows other instances queued). Only
where each row stands is kept: its message is read and decoded once, when it is about to go.

Each call waits its turn at the Limiter (sliding windows per chat, per group and bot-wide), so
edits, pins, reactions and button answers are paced like new messages. A 429 pauses every call,
to every chat, for its `retry_after`; Telegram unreachable (network errors, 5xx) pauses every
call too, then one probe at a time goes until it answers again; the message keeps its place in
its chat's queue meanwhile. A 403 marks the customer as unreachable; a 400 is logged by kind and
key, never content, and not retried.

A delivery is recorded as soon as Telegram answers and the database is free, which keeps the
window in which a crash makes a message go twice as short as it can be (Telegram has no
idempotency key): deliveries answered while a recording transaction runs are recorded together
in the next one, none waits for others to come. On PostgreSQL several instances may run, but only the holder of the sending
lease delivers (one global rate budget); the others try to take the lease every LEASE_RETRY s.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot import logs
from bot.beat import until_beat
from bot.clock import Clock, SystemClock
from bot.i18n import Renderer
from bot.limits import Limiter
from bot.queues import ChatQueues, Entry
from bot.render import render
from bot.tasks import cancel_and_wait, relay_set
from bot.transport import Blocked, Delivered, Json, Outcome, Rejected, RetryLater, Transport
from flows import delivery
from flows.env import Env
from flows.messages import (
    PRIORITY_REPLY,
    AnswerButton,
    Chart,
    Copy,
    CreateTopic,
    Document,
    Outgoing,
    Say,
    about_case,
)
from storage.lease import Lease
from storage.outbox import OutboxRow, Queued, Unreadable
from storage.unit_of_work import SqlUnitOfWork
from storage.wakeup import Listener

log = logging.getLogger(__name__)
MAX_BACKOFF = 300.0
LEASE_RETRY = 2.0
# While sending, the lease is confirmed this often: if its connection died, another instance
# may already send, and every send until the next check could go twice.
LEASE_CONFIRM = 0.5
LOOK_AGAIN = 5.0  # seconds between looks for rows no wake-up announced (a safety net)
GAP_KEPT = 60.0  # seconds an id skipped by a newer row is looked for (a transaction still open)
GAP_SPAN = 1000  # how many ids back such gaps are looked for
UNREADABLE_WAIT = 60.0
READ_TOGETHER = 8  # rows read in one go once that many deliveries are on their way
GATHER_WAIT = 0.25  # seconds at most the next deliveries wait for such a group


def paced(message: Outgoing) -> bool:
    """Whether the message is a new message in its chat (every call is paced; these count most)."""
    return isinstance(message, Say | Copy | Chart | Document)


def _settle_future(future: asyncio.Future[None], error: Exception | None) -> None:
    """Tell a delivery its recording's outcome (unless it stopped waiting for it)."""
    if future.cancelled():
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)


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
        listener: Listener | None = None,
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
        self._listener = listener
        self._lease_checked = float("-inf")
        self._concurrency = concurrency
        self._queues = ChatQueues()
        self._loaded = False  # whether the queues hold every pending row
        self._seen = 0  # the highest outbox id looked at
        self._gaps: dict[int, float] = {}  # ids below _seen not yet seen, and until when to look
        self._finished: set[int] = set()  # rows dealt with since the last look began
        self._fresh = True  # rows may have been queued since the last look
        self._looked = float("-inf")
        self._inflight: set[int] = set()  # chats with a delivery on its way
        self._gather = float("inf")  # when deliveries waiting for a group start anyway
        self._tasks: set[asyncio.Task[None]] = set()
        self._waiting: set[asyncio.Task[object]] = set()  # waiting for their turn to call
        self._wake = asyncio.Event()
        # Deliveries waiting to be recorded, and the task recording them (while there are some).
        self._to_record: list[tuple[OutboxRow, Delivered, asyncio.Future[None]]] = []
        self._recording: asyncio.Task[None] | None = None
        self._settled = 0  # deliveries that ended (sent, given up or postponed)
        self._progress = asyncio.Event()  # set, then replaced, each time one ends
        self.sent = 0
        self.rate_limited = 0

    def wake(self) -> None:
        """New messages may be waiting (a transaction that queued some committed)."""
        self._fresh = True
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
        """Deliver until `stop` is set; deliveries already talking to Telegram finish first."""
        # A stop wakes the pause at once; relayed, as the pause is waited for on every pass.
        relay = asyncio.create_task(relay_set(stop, self._wake), name="Sender.stop")
        try:
            while not stop.is_set():
                # Cleared before the pass: a delivery that ends during one wakes the next.
                self._wake.clear()
                pause = await self.pass_once() if await self._leading() else LEASE_RETRY
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(pause):
                        await self._wake.wait()
        finally:
            await cancel_and_wait(relay)
            for task in self._waiting:  # not yet sent: they go again at the next start
                task.cancel()
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
            await self._stand_down()

    async def _stand_down(self) -> None:
        if self._listener is not None:
            await self._listener.stop()
        if self._lease is not None:
            await self._lease.release()

    async def _leading(self) -> bool:
        """Whether this instance may send: it holds the lease (confirmed every LEASE_CONFIRM s)."""
        if self._lease is None:
            return True
        now = asyncio.get_running_loop().time()
        if now - self._lease_checked < LEASE_CONFIRM:
            return True
        try:
            leading = await self._lease.acquire()
        except Exception as error:  # the database is away: nobody can claim rows anyway
            log.warning("could not check the sending lease: %s", type(error).__name__)
            leading = False
        self._lease_checked = now if leading else float("-inf")
        if not leading and self._loaded:
            # Another instance sends now; what we knew may go stale. Read it all again if ours.
            self._queues.clear()
            self._loaded = False
        return leading

    async def pass_once(self) -> float:
        """Start every delivery that may go now; return how long until the next one may."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        if not self._loaded or self._fresh or now - self._looked >= LOOK_AGAIN:
            await self._look(now)
        pause = until_beat(1.0)  # `stop` is looked at between passes
        free = self._concurrency - len(self._tasks)
        urgent = self._queues.most_urgent(now) if free > 0 else None
        if urgent is not None:
            # Rows are read several at a time. While many deliveries are on their way (most
            # of them waiting their turn at the limits), new ones wait until a group of them
            # may start: a quarter of a second at most, and not at all for an answer to what
            # someone just did.
            if (
                free >= READ_TOGETHER
                or len(self._tasks) < READ_TOGETHER
                or urgent <= PRIORITY_REPLY
                or now >= self._gather
            ):
                self._gather = float("inf")
                await self._start_ready(free)
            else:
                self._gather = min(self._gather, now + GATHER_WAIT)
                pause = self._gather - now
        due = self._queues.next_due()
        if due is not None:
            pause = min(pause, max(0.0, due - loop.time()))
        return max(pause, 0.001)

    async def _look(self, now: float) -> None:
        """Bring the queues up to date with the outbox: all of it at first, then what is new."""
        self._fresh = False
        self._looked = now
        self._finished.clear()  # dealt with before this read began: the read cannot list them
        if not self._loaded:
            if self._listener is not None:
                await self._listener.start(self.wake)
            async with self._uow() as uow:
                # The mark first: on PostgreSQL each statement sees what committed before it
                # began, so a row committed between the two reads is listed, never skipped.
                newest = await uow.outbox.newest_id()
                rows = await uow.outbox.all_pending()
            self._queues.clear()
            listed = {row.id for row in rows}
            # An id below the mark and not listed is sent, or a transaction still open wrote it.
            self._gaps = {
                missing: now + GAP_KEPT
                for missing in range(max(1, newest - GAP_SPAN), newest + 1)
                if missing not in listed
            }
            self._seen = newest
            self._loaded = True
        else:
            self._gaps = {i: until for i, until in self._gaps.items() if until > now}
            async with self._uow() as uow:
                rows = await uow.outbox.queued(self._seen, sorted(self._gaps))
        wall = self._wall.now()
        for row in rows:
            self._gaps.pop(row.id, None)
            if row.id > self._seen:
                # Ids skipped on the way may belong to a transaction that has not committed yet
                # (PostgreSQL hands out ids in the order rows are written, not committed).
                for missing in range(self._seen + 1, min(row.id, self._seen + GAP_SPAN)):
                    self._gaps[missing] = now + GAP_KEPT
                self._seen = row.id
            if row.pending and row.id not in self._finished:
                self._queues.add(self._entry(row, now, wall))

    @staticmethod
    def _entry(row: Queued, now: float, wall: datetime) -> Entry:
        due = 0.0
        if row.not_before is not None and row.not_before > wall:
            due = now + (row.not_before - wall).total_seconds()
        return Entry(row.id, row.chat_id, row.priority, due)

    async def _start_ready(self, free: int) -> None:
        """Start up to `free` deliveries of the heads that may go now, their rows read in one go."""
        entries: list[Entry] = []
        loop = asyncio.get_running_loop()
        while len(entries) < free:
            entry = self._queues.take(loop.time())
            if entry is None:
                break
            self._inflight.add(entry.chat_id)
            entries.append(entry)
        if not entries:
            return
        try:
            async with self._uow() as uow:
                rows = await uow.outbox.load([entry.id for entry in entries])
        except Exception as error:  # the database is away: they keep their places meanwhile
            log.warning("could not read outbox rows to send: %s", type(error).__name__)
            for entry in entries:
                entry.failures += 1
                self._inflight.discard(entry.chat_id)
                self._queues.hold(entry, loop.time() + backoff(entry.failures))
                self._settle()
            return
        for entry in entries:
            task = asyncio.create_task(self._deliver(entry, rows.get(entry.id)))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _deliver(self, entry: Entry, row: OutboxRow | Unreadable | None) -> None:
        loop = asyncio.get_running_loop()
        try:
            held = await self._deliver_entry(entry, row)
        except Unreadable:
            held = UNREADABLE_WAIT
        except Exception:
            log.exception("delivery of outbox row %s failed; it will be retried", entry.id)
            entry.failures += 1
            held = backoff(entry.failures)
            with contextlib.suppress(Exception):
                await self._postpone(entry.id, held, "internal error")
        finally:
            self._inflight.discard(entry.chat_id)
            self._wake.set()
            self._settle()
        if held is None:
            self._finished.add(entry.id)
            self._queues.done(entry)
        else:
            self._queues.hold(entry, loop.time() + held)

    async def _deliver_entry(
        self, entry: Entry, row: OutboxRow | Unreadable | None
    ) -> float | None:
        """Deliver one row; None once it is dealt with, else seconds before it may go again."""
        if row is None:
            return None  # gone meanwhile (an erased case's) or dealt with elsewhere
        if isinstance(row, Unreadable):
            raise row
        logs.CASE.set(about_case(row.message))  # this delivery's own task: its log lines
        message = await self._addressed(row)
        if message is None:
            return None
        row = replace(row, message=message)
        if isinstance(message, Chart):  # drawing takes a tenth of a second or more
            call = await asyncio.to_thread(render, self._renderer, message)
        else:
            call = render(self._renderer, message)
        outcome = await self._call(message.chat_id, row, call.method, call.params)
        held = await self._record(row, entry, outcome)
        pinned = isinstance(message, Say) and message.pin
        if held is None and pinned and isinstance(outcome, Delivered):
            await self._pin(message.chat_id, outcome.message_id, row)
        return held

    async def _call(self, chat_id: int, row: OutboxRow, method: str, params: Json) -> Outcome:
        """Make the call when the limits let it leave (cancelled if we stop first); the limits
        count it until Telegram has answered."""
        task = asyncio.current_task()
        assert task is not None
        self._waiting.add(task)
        try:
            counted = await self._limiter.acquire(chat_id, (row.priority, row.id))
        finally:
            self._waiting.discard(task)
        try:
            return await self._transport.call(method, params)
        finally:
            self._limiter.done(counted)

    async def _addressed(self, row: OutboxRow) -> Outgoing | None:
        """The row's message with its case topic filled in; None once it is dealt with here."""
        if not delivery.needs_address(row.message):
            return row.message
        async with self._uow() as uow:
            found = await delivery.address(uow, row.message, waits=row.attempts)
            if isinstance(found, delivery.Later):
                await uow.outbox.requeue(row.id, self._clock.now())
                self._fresh = True  # the requeued copy is a new row
            elif found is None:
                await uow.outbox.mark_failed(row.id, self._clock.now(), "nowhere to deliver")
            await uow.commit()
        return found if not isinstance(found, delivery.Later) else None

    async def _record(self, row: OutboxRow, entry: Entry, outcome: Outcome) -> float | None:
        """What Telegram's answer means, recorded; None if done, else seconds to hold the row."""
        if isinstance(outcome, RetryLater) and not outcome.rate_limited:
            # Not the message's fault while Telegram is away for every call: it waits for the
            # pause like every other one, its place kept. Only a row that fails while others
            # go through backs off on its own (1, 2, 4 … 300 s).
            alone = not self._limiter.away
            pause = self._limiter.unreachable()
            if alone:
                entry.failures += 1
            held = max(pause, max(outcome.after, backoff(entry.failures - 1)) if alone else 0.0)
            if alone or entry.failures == 0:
                log.warning(
                    "Telegram did not take outbox row %s (%s); trying again in %.1fs",
                    row.id,
                    outcome.reason,
                    held,
                )
            await self._postpone(row.id, held, outcome.reason)
            return held
        self._limiter.answered()
        if isinstance(outcome, RetryLater):
            self.rate_limited += 1
            # Telegram's flood wait is the bot's, not the chat's: every call waits it out.
            self._limiter.pause(outcome.after)
            log.warning("Telegram asked to wait %.0fs (429); every send waits", outcome.after)
            return 0.0
        if isinstance(outcome, Rejected) and delivery.is_not_modified(outcome.reason):
            outcome = Delivered()  # an edit that was already in place
        if isinstance(outcome, Delivered):
            await self._mark_sent(row, outcome)
        elif isinstance(outcome, Blocked):
            await self._blocked(row, outcome)
        else:
            await self._rejected(row, outcome)
        return None

    async def _mark_sent(self, row: OutboxRow, outcome: Delivered) -> None:
        """Record the delivery as soon as the database is free (see the module's docstring)."""
        recorded = asyncio.get_running_loop().create_future()
        self._to_record.append((row, outcome, recorded))
        if self._recording is None:
            self._recording = asyncio.create_task(self._record_waiting())
        await recorded
        self.sent += 1

    async def _record_waiting(self) -> None:
        """Record every delivery waiting, several in one transaction; if that fails, each in a
        transaction of its own, so that only the failing one fails."""
        try:
            while self._to_record:
                group, self._to_record = self._to_record, []
                try:
                    await self._record_sent([(row, outcome) for row, outcome, _ in group])
                except Exception as error:
                    if len(group) == 1:
                        _settle_future(group[0][2], error)
                        continue
                    for row, outcome, recorded in group:
                        try:
                            await self._record_sent([(row, outcome)])
                        except Exception as alone:
                            _settle_future(recorded, alone)
                        else:
                            _settle_future(recorded, None)
                else:
                    for _, _, recorded in group:
                        _settle_future(recorded, None)
        finally:
            self._recording = None

    async def _record_sent(self, sent: list[tuple[OutboxRow, Delivered]]) -> None:
        async with self._uow() as uow:
            env = self._env()
            # What each delivery means first: it holds its case, then the outbox rows, in the
            # order an erasure of a case takes them (flows.erasure), so neither waits for the
            # other.
            for row, outcome in sent:
                await delivery.delivered(
                    uow, env, row.message, outcome.message_id, outcome.thread_id
                )
                await _topic_settled(uow, row.message)
            await uow.outbox.mark_all_sent(
                [(row.id, outcome.message_id) for row, outcome in sent], self._clock.now()
            )
            await uow.commit()

    async def _rejected(self, row: OutboxRow, outcome: Rejected) -> None:
        if not isinstance(row.message, AnswerButton):
            # What it was, never what it said: a message can hold a customer's words.
            log.error(
                "Telegram rejected outbox row %s (%s %s to chat %s): %s",
                row.id,
                type(row.message).__name__,
                getattr(row.message, "key", "") or getattr(row.message, "caption_key", ""),
                row.chat_id,
                outcome.reason,
            )
        async with self._uow() as uow:
            await uow.outbox.mark_failed(row.id, self._clock.now(), outcome.reason)
            self._operator(await delivery.refused(uow, self._env(), row.message, outcome.reason))
            await _topic_settled(uow, row.message)
            await uow.commit()

    def _operator(self, problem: str | None) -> None:
        """Tell the operator once per problem what to fix (the log is where they look)."""
        if problem is not None and problem not in self._problems:
            self._problems.add(problem)
            log.error("ACTION NEEDED: %s", problem)

    async def _postpone(self, row_id: int, seconds: float, reason: str) -> None:
        """Count a failed attempt in the outbox (for the operator, and for a restart)."""
        async with self._uow() as uow:
            until = self._wall.now() + timedelta(seconds=seconds)
            await uow.outbox.postpone(row_id, until, reason)
            await uow.commit()

    async def _blocked(self, row: OutboxRow, outcome: Blocked) -> None:
        log.warning("chat %s cannot be written to: %s", row.chat_id, outcome.reason)
        async with self._uow() as uow:
            await uow.outbox.mark_failed(row.id, self._clock.now(), outcome.reason)
            self._operator(await delivery.blocked(uow, self._env(), row.message))
            await _topic_settled(uow, row.message)
            await uow.commit()

    async def _pin(self, chat_id: int, message_id: int | None, row: OutboxRow) -> None:
        if message_id is None:
            return
        params = {"chat_id": chat_id, "message_id": message_id, "disable_notification": True}
        for _ in range(5):
            outcome = await self._call(chat_id, row, "pinChatMessage", params)
            if isinstance(outcome, RetryLater):
                if outcome.rate_limited:
                    self.rate_limited += 1
                    self._limiter.pause(outcome.after)
                else:
                    self._limiter.unreachable()
                continue
            self._limiter.answered()
            if not isinstance(outcome, Delivered):
                log.warning("could not pin message %s in chat %s: %s", message_id, chat_id, outcome)
            return
        log.warning(
            "could not pin message %s in chat %s: Telegram kept failing", message_id, chat_id
        )


async def _topic_settled(uow: SqlUnitOfWork, message: Outgoing) -> None:
    """A topic's opening is settled: staff messages held for it are handled now, after it is
    recorded in this same transaction (flows.staff_service)."""
    if isinstance(message, CreateTopic):
        await uow.inbox.release_held(message.chat_id)
