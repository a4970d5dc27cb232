"""Telegram's sending limits, kept by construction as sliding windows, plus bot-wide pauses.

Every Bot API call that sends or edits passes `Limiter.acquire` right before it leaves: new
messages, edits, pins and unpins, reactions, deletions, callback answers, chat actions; the
caller reports with `Limiter.done` when Telegram answered it. Telegram counts a call when it
arrives, which is some time between our sending it and our reading its answer, so a call
occupies the windows from when it leaves until `seconds` after its answer. A window of `calls`
per `seconds` allows a call only if fewer than `calls` are in flight or were answered in the last
`seconds`; then no sliding window of arrivals at Telegram can hold more than `calls`, whatever
the network and our event loop add (unlike counting at departure, or a token bucket whose
burst comes on top of its rate). Bot-wide pauses hold every call: Telegram's flood wait (a 429's
`retry_after`) and Telegram being away (5xx, network errors), when one probe at a time goes
until it answers again.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

AWAY_FIRST = 0.5  # seconds of the first pause when Telegram stops answering
AWAY_MOST = 5.0  # the longest pause between two probes while it stays away
IN_FLIGHT_RECHECK = 0.05  # seconds before looking again at a window full of unanswered calls


@dataclass(frozen=True)
class Window:
    """At most `calls` in any `seconds`-long stretch of time."""

    calls: float
    seconds: float


@dataclass
class Call:
    """One call in the windows: it left at `left`; Telegram answered it at `ended`."""

    left: float
    ended: float = float("inf")  # unanswered: it may still arrive at any moment


# Each window is a little longer than Telegram's, so that a call arriving exactly one window
# after another's answer is not counted with it by a server that counts both ends.
@dataclass(frozen=True)
class SendLimits:
    """How fast we may call: Telegram's documented limits by default."""

    # One message per second into a chat, after a short burst of three: 3 in any 3 seconds.
    per_chat: Window = Window(3, 3.1)
    # Twenty messages per minute into a group.
    per_group: Window = Window(20, 61.0)
    # Thirty per second bot-wide, evenly spaced rather than in bursts.
    overall: Window = Window(30, 1.01)
    spacing: float = 1 / 30

    @classmethod
    def unlimited(cls) -> SendLimits:
        """No pacing (for tests against an emulator that enforces nothing); pauses still hold."""
        inf = float("inf")
        return cls(Window(inf, 1.0), Window(inf, 1.0), Window(inf, 1.0), 0.0)


def _wait(calls: deque[Call], window: Window, now: float) -> float:
    """Seconds until one more call fits in the window (0 = now); forgets the calls it no
    longer holds."""
    if len(calls) < window.calls:
        return 0.0
    horizon = now - window.seconds
    if any(call.ended <= horizon for call in calls):
        kept = [call for call in calls if call.ended > horizon]
        calls.clear()
        calls.extend(kept)
        if len(calls) < window.calls:
            return 0.0
    # The window has room again once enough of its calls are older than it.
    ends = sorted(call.ended for call in calls)
    first_out = ends[len(ends) - int(window.calls)]
    if first_out == float("inf"):
        return IN_FLIGHT_RECHECK  # `done` wakes the first in line sooner
    return max(0.0, first_out + window.seconds - now)


def _note(calls: deque[Call], window: Window, call: Call) -> None:
    if window.calls != float("inf"):
        calls.append(call)


@dataclass
class Limiter:
    """When the next call to a chat may leave; `acquire` waits for it, in order of rank."""

    limits: SendLimits = field(default_factory=SendLimits)
    monotonic: Callable[[], float] = time.monotonic
    _chats: dict[int, deque[Call]] = field(default_factory=dict)
    _groups: dict[int, deque[Call]] = field(default_factory=dict)
    _overall: deque[Call] = field(default_factory=deque)
    _next: float = float("-inf")  # the next slot of the even spacing
    _paused_until: float = float("-inf")
    _away: int = 0  # failed probes in a row while Telegram is away
    _probing: bool = False
    _queue: list[list[Any]] = field(default_factory=list)  # [rank, seq, future] waiting
    _seq: itertools.count[int] = field(default_factory=itertools.count)
    calls: int = 0

    def chat_delay(self, chat_id: int) -> float:
        """Seconds until the chat's own windows allow one more call (0 = now)."""
        now = self.monotonic()
        wait = _wait(self._chats.get(chat_id, deque()), self.limits.per_chat, now)
        if chat_id < 0:
            wait = max(wait, _wait(self._groups.get(chat_id, deque()), self.limits.per_group, now))
        return wait

    def overall_delay(self) -> float:
        """Seconds until a call may leave bot-wide (the overall window, spacing and pauses)."""
        now = self.monotonic()
        return max(
            _wait(self._overall, self.limits.overall, now),
            # A call that left late (a busy event loop) does not push the later ones back.
            max(self._next, now - self.limits.spacing) - now,
            self._paused_until - now,
            0.0,
        )

    def delay(self, chat_id: int) -> float:
        """Seconds until a call to `chat_id` may leave (0 = now)."""
        return max(self.chat_delay(chat_id), self.overall_delay())

    def take(self, chat_id: int) -> Call:
        """Count one call to `chat_id`, leaving now; report its answer with `done`."""
        now = self.monotonic()
        limits = self.limits
        call = Call(now)
        _note(self._chats.setdefault(chat_id, deque()), limits.per_chat, call)
        if chat_id < 0:
            _note(self._groups.setdefault(chat_id, deque()), limits.per_group, call)
        _note(self._overall, limits.overall, call)
        self._next = max(self._next, now - limits.spacing) + limits.spacing
        self.calls += 1
        if self._away:
            self._probing = True  # one call at a time until Telegram answers again
        if len(self._chats) > 4096:
            self._forget(now)
        return call

    def done(self, call: Call) -> None:
        """Telegram answered `call` (or it failed on its way): its windows start to close."""
        call.ended = self.monotonic()
        self._change()

    def _forget(self, now: float) -> None:
        """Drop the windows of chats that have been quiet longer than any window lasts."""
        horizon = now - max(self.limits.per_chat.seconds, self.limits.per_group.seconds)
        for stamps in (self._chats, self._groups):
            for chat_id in [c for c, s in stamps.items() if all(x.ended < horizon for x in s)]:
                del stamps[chat_id]

    async def acquire(self, chat_id: int, rank: tuple[int, int] = (0, 0)) -> Call:
        """Wait until a call to `chat_id` may leave, then count it; lower ranks go first."""
        for _ in range(1000):  # the chat's own windows: a delay to wait out, then look again
            own = self.chat_delay(chat_id)
            if own <= 0:
                break
            await asyncio.sleep(own)
        # Only the first in line watches the clock; the others sleep until they are first.
        turn = asyncio.get_running_loop().create_future()
        entry: list[Any] = [rank, next(self._seq), turn]
        heapq.heappush(self._queue, entry)
        try:
            while True:
                if self._queue[0] is entry and not self._probing:
                    wait = self.overall_delay()
                    if wait <= 0:
                        heapq.heappop(self._queue)
                        call = self.take(chat_id)
                        self._change()
                        return call
                else:
                    wait = None
                entry[2] = turn = asyncio.get_running_loop().create_future()
                try:
                    async with asyncio.timeout(wait):
                        await turn
                except TimeoutError:
                    pass
        except BaseException:
            if entry in self._queue:
                self._queue.remove(entry)
                heapq.heapify(self._queue)
                self._change()
            raise

    def _change(self) -> None:
        """Wake the first in line: it may go now, or must look again at how long to wait."""
        if self._queue:
            turn = self._queue[0][2]
            if not turn.done():
                turn.set_result(None)

    def pause(self, seconds: float) -> None:
        """Telegram said "retry after": no call at all, to any chat, for `seconds`."""
        self._paused_until = max(self._paused_until, self.monotonic() + seconds)
        self.answered()

    def answered(self) -> None:
        """Telegram answered a call (whatever it said): it is reachable."""
        self._away = 0
        self._probing = False
        self._change()

    def unreachable(self) -> float:
        """A call found Telegram away (network error, 5xx): pause, then probe; the pause."""
        now = self.monotonic()
        if self._probing or self._paused_until <= now:
            # The first failure, or a probe's: the calls already on their way add nothing.
            seconds = min(AWAY_MOST, AWAY_FIRST * 2**self._away)
            self._away += 1
            self._paused_until = max(self._paused_until, now + seconds)
        self._probing = False
        self._change()
        return max(0.0, self._paused_until - now)

    @property
    def away(self) -> bool:
        """Whether Telegram did not answer the last probe."""
        return self._away > 0
