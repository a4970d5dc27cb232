"""A jump of the sandbox clock, lived through: every timer fires at its own due time, in order.

Moving the clock straight to the end of a jump would fire everything due on the way at once, at
the end: the 80% warning together with the breach it warns of, the next manager paged in the
same minute as the first, every message dated at the end. Instead the clock stands still and is
set to each due time in turn; what is due then fires, and its messages are delivered (so the
emulator dates them at that moment) before the clock moves on. Timers set while firing, such as
the next check-in or the next page of the chain, fire on the way too if they fall in the jump.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bot.app import Hearback
from bot.clock import SimulatedClock

log = logging.getLogger(__name__)
# Seconds a moment of the jump waits for one of its messages to be delivered before going on
# without them; Telegram's pacing (a message a second per chat, 20 a minute per group) is
# well within it, a chat that Telegram holds back for longer is not.
STALL = 15.0


class JumpInProgress(Exception):
    """The clock is still jumping; the message says to what time."""


async def live_through(
    hearback: Hearback, clock: SimulatedClock, target: datetime, moved: Callable[[], None]
) -> None:
    """Move the held `clock` to `target`, firing each timer on the way at its due time.

    `moved` is called each time the clock is set to a due time, so the page can show it.
    Before the bot runs nothing can fire on the way: it fires what is due once it runs.
    """
    if not hearback.running.is_set():
        return
    moment, mark = clock.now(), 0  # what was queued before the jump goes out at its start
    while True:
        await _fire(hearback, moment, mark)
        due = await _next_due(hearback, moment, target)
        if due is None:
            return
        moment = due
        clock.set(moment)
        moved()
        mark = await hearback.sender.mark()


async def _fire(hearback: Hearback, moment: datetime, mark: int) -> None:
    """Fire what is due at `moment`; wait until what was queued after `mark` is delivered."""
    try:
        await hearback.scheduler.tick()
    except Exception:
        # Kept for the scheduler's next tick, as always; the jump goes on past it.
        log.exception("a timer due at %s failed; it will be retried", moment.isoformat())
    if not await hearback.sender.delivered_after(mark, STALL):
        log.warning(
            "messages due at %s were not delivered within %.0fs; the clock jump goes on",
            moment.isoformat(),
            STALL,
        )


async def _next_due(hearback: Hearback, after: datetime, until: datetime) -> datetime | None:
    async with hearback.db.uow() as uow:
        return await uow.timers.next_due(after, until)
