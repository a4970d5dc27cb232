"""The limiter's sliding windows and pauses, and the sender's in-memory queues, on a fake clock."""

from __future__ import annotations

import asyncio

from bot.limits import AWAY_FIRST, Limiter, SendLimits, Window
from bot.queues import ChatQueues, Entry
from sandbox.emulator.windows import busiest


class Clock:
    """Monotonic seconds that move only when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def drive(
    limiter: Limiter, clock: Clock, chats: list[int], seconds: float
) -> list[tuple[float, int]]:
    """Send as fast as the limiter allows, round-robin over `chats`, for `seconds`."""
    sent: list[tuple[float, int]] = []
    counts = dict.fromkeys(chats, 0)
    end = clock.now + seconds
    while clock.now < end:
        ready = [c for c in chats if limiter.delay(c) == 0]
        if ready:
            chat = min(ready, key=counts.__getitem__)
            limiter.take(chat)
            counts[chat] += 1
            sent.append((clock.now, chat))
        else:
            clock.now += min(limiter.delay(c) for c in chats) or 0.001
    return sent


def test_no_sliding_window_ever_holds_more_than_the_limits_allow() -> None:
    clock = Clock()
    limiter = Limiter(SendLimits(), clock)
    chats = [*range(1, 60), -100, -200]
    sent = drive(limiter, clock, chats, 130)
    times = [t for t, _ in sent]
    assert busiest(times, 1.0) <= 29
    for chat in chats:
        stamps = [t for t, c in sent if c == chat]
        assert busiest(stamps, 3.0) <= 3
        if chat < 0:
            assert busiest(stamps, 60.0) <= 20
    # And the overall budget is used: 29 a second.
    assert len(sent) >= 29 * 129


def test_a_busy_loop_does_not_slow_the_pace_down() -> None:
    clock = Clock()
    limiter = Limiter(SendLimits(per_chat=Window(1000, 1.0)), clock)
    for _ in range(290):
        clock.now += max(limiter.delay(1), 0) + 0.004  # each call leaves 4 ms late
        limiter.take(1)
    assert clock.now - 100 < 10.6  # not 290 × (34.5 + 4) ms


def test_a_flood_wait_holds_every_chat() -> None:
    clock = Clock()
    limiter = Limiter(SendLimits(), clock)
    limiter.pause(7)
    assert limiter.delay(1) == 7 and limiter.delay(-5) == 7
    clock.now += 7
    assert limiter.delay(2) == 0


def test_telegram_away_pauses_longer_each_time_and_probes_one_call_at_a_time() -> None:
    clock = Clock()
    limiter = Limiter(SendLimits.unlimited(), clock)
    assert limiter.unreachable() == AWAY_FIRST
    assert limiter.unreachable() == AWAY_FIRST, "calls already on their way add nothing"
    clock.now += AWAY_FIRST
    limiter.take(1)  # the probe
    assert limiter._probing
    assert limiter.unreachable() == 2 * AWAY_FIRST
    limiter.answered()
    assert not limiter.away and limiter.delay(1) <= 2 * AWAY_FIRST


async def test_waiting_calls_leave_in_order_of_rank() -> None:
    limiter = Limiter(SendLimits(overall=Window(1, 0.05), spacing=0))
    order: list[str] = []

    async def call(name: str, rank: tuple[int, int]) -> None:
        await limiter.acquire(hash(name) % 1000 + 1, rank)
        order.append(name)

    await limiter.acquire(999, (0, 0))  # the window is full now
    await asyncio.gather(call("late", (5, 3)), call("urgent", (0, 9)), call("early", (5, 1)))
    assert order == ["urgent", "early", "late"]


def test_a_chat_has_one_message_on_its_way_and_the_urgent_go_first() -> None:
    queues = ChatQueues()
    for row_id, chat, priority in [(1, 10, 5), (2, 10, 5), (3, 20, 5), (4, 30, 0)]:
        queues.add(Entry(row_id, chat, priority))
    first, second, third = queues.take(0), queues.take(0), queues.take(0)
    assert [e.id for e in (first, second, third) if e] == [4, 1, 3]
    assert queues.take(0) is None, "chat 10's second message waits for its first"
    assert first and second
    queues.done(second)
    nxt = queues.take(0)
    assert nxt is not None and nxt.id == 2


def test_a_held_head_keeps_its_place_and_a_late_lower_id_goes_first() -> None:
    queues = ChatQueues()
    queues.add(Entry(5, 10, 1))
    head = queues.take(0)
    assert head is not None
    queues.hold(head, until=3.0)
    queues.add(Entry(4, 10, 1))  # committed late, written earlier (PostgreSQL)
    queues.add(Entry(5, 10, 1))  # listed again: ignored
    early = queues.take(1.0)
    assert early is not None and early.id == 4 and len(queues) == 2
    assert queues.take(5.0) is None, "its chat is busy with the older one"
    queues.done(early)
    assert queues.take(2.0) is None, "the held one waits for its time"
    late = queues.take(3.0)
    assert late is not None and late.id == 5
