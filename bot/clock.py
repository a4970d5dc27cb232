"""Clocks: the system clock in production; a clock the tests and the sandbox can move."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Tells the time; the only place where hearback reads it."""

    def now(self) -> datetime: ...


class SystemClock:
    """Real time, in UTC."""

    def now(self) -> datetime:
        """The current moment."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to, for tests."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        """The clock's current moment."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self._now += delta

    def set(self, moment: datetime) -> None:
        """Jump to `moment`."""
        self._now = moment


class SimulatedClock:
    """Simulated time for the sandbox: runs at a settable speed and can jump ahead.

    It follows a monotonic source (real seconds) multiplied by the speed, so that check-ins and
    escalations due in hours can be watched in minutes; it never goes backwards. While held (a
    jump in progress) it stands still and moves only when set, keeping its speed for `resume`.
    """

    def __init__(
        self,
        start: datetime,
        speed: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if start.tzinfo is None:
            raise ValueError("the start of a simulated clock needs a time zone")
        self._monotonic = monotonic
        self._anchor = start
        self._anchor_real = monotonic()
        self._speed = _checked_speed(speed)
        self._held = False
        self._skipped = 0.0  # simulated seconds leapt over by jumps

    def pacing_seconds(self) -> float:
        """A monotonic count of seconds for Telegram's rate limits: real time plus every jump.

        A jump lives through a day in seconds; the calls of that day are spread over the day,
        so Telegram's per-minute windows must see the day go by, not the seconds. The real
        part is always the machine's own: Telegram counts in real seconds even where the
        simulated clock follows a source that stands still.
        """
        return time.monotonic() + self._skipped

    def now(self) -> datetime:
        """The simulated moment."""
        if self._held:
            return self._anchor
        elapsed = self._monotonic() - self._anchor_real
        return self._anchor + timedelta(seconds=elapsed * self._speed)

    def timestamp(self) -> float:
        """The simulated moment as Unix time (for the emulator's message dates)."""
        return self.now().timestamp()

    @property
    def speed(self) -> float:
        """Simulated seconds per real second (once resumed, if held)."""
        return self._speed

    @property
    def held(self) -> bool:
        """Whether the clock stands still until `resume`."""
        return self._held

    def set_speed(self, speed: float) -> None:
        """Run at `speed` from now on; the time already passed stays as it is."""
        self._rebase()
        self._speed = _checked_speed(speed)

    def jump(self, delta: timedelta) -> None:
        """Move ahead by `delta` at once."""
        if delta < timedelta(0):
            raise ValueError("a simulated clock only jumps forward")
        self.set(self.now() + delta)

    def set(self, moment: datetime) -> None:
        """Move ahead to `moment` at once."""
        self._rebase()
        if moment < self._anchor:
            raise ValueError("a simulated clock only jumps forward")
        self._skipped += (moment - self._anchor).total_seconds()
        self._anchor = moment

    def hold(self) -> None:
        """Stand still where it is: from now on only `set` moves it, until `resume`."""
        self._rebase()
        self._held = True

    def resume(self) -> None:
        """Run again at its speed, from where it stands."""
        self._rebase()
        self._held = False

    def _rebase(self) -> None:
        self._anchor, self._anchor_real = self.now(), self._monotonic()


def _checked_speed(speed: float) -> float:
    if not math.isfinite(speed) or speed <= 0:
        raise ValueError(f"the speed of a simulated clock must be a positive number, not {speed}")
    return float(speed)
