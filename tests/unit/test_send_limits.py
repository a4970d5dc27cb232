"""The limiter's sliding windows and pauses, and the sender's in-memory queues, on a fake clock."""

from __future__ import annotations

import asyncio
import random

from bot.limits import AWAY_FIRST, Call, Limiter, SendLimits, Window
from bot.queues import ChatQueues, Entry
from sandbox.emulator.windows import busiest


class Clock:
    """Monotonic seconds that move only when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def drive(
    limiter: Limiter,
    clock: Clock,
    chats: list[int],
    seconds: float,
    latency: float = 0.0,
    seed: int = 1,
) -> list[tuple[float, int]]:
    """Send as fast as the limiter allows, round-robin over `chats`, for `seconds`; each call
    takes up to `latency` to be answered and reaches Telegram at a random moment on its way.
    Returns when each call arrived, and where."""
    draw = random.Random(seed)
    arrived: list[tuple[float, int]] = []
    in_flight: list[tuple[float, Call]] = []  # (answered at, call)
    counts = dict.fromkeys(chats, 0)
    end = clock.now + seconds
    while clock.now < end:
        for answered_at, call in sorted(in_flight, key=lambda pair: pair[0]):
            if answered_at <= clock.now:
                saved, clock.now = clock.now, answered_at
                limiter.done(call)
                clock.now = saved
                in_flight.remove((answered_at, call))
        ready = [c for c in chats if limiter.delay(c) == 0]
        if ready:
            chat = min(ready, key=counts.__getitem__)
            call = limiter.take(chat)
            took = draw.uniform(0, latency)
            in_flight.append((clock.now + took, call))
            arrived.append((clock.now + draw.uniform(0, took), chat))
            counts[chat] += 1
        else:
            waits = [limiter.delay(c) for c in chats]
            waits += [answered_at - clock.now for answered_at, _ in in_flight]
            clock.now += max(min(waits), 0.001)
    return sorted(arrived)


def test_no_sliding_window_ever_holds_more_than_the_limits_allow() -> None:
    clock = Clock()
    limiter = Limiter(SendLimits(), clock)
    chats = [*range(1, 60), -100, -200]
    sent = drive(limiter, clock, chats, 130)
    times = [t for t, _ in sent]
    assert busiest(times, 1.0) <= 30
    for chat in chats:
        stamps = [t for t, c in sent if c == chat]
        assert busiest(stamps, 3.0) <= 3
        if chat < 0:
            assert busiest(stamps, 60.0) <= 20
    # And the overall budget is used: 30 a second (in windows a hundredth of a second longer).
    assert len(sent) >= 29.5 * 129


def test_calls_that_reach_telegram_late_still_fit_its_windows() -> None:
    # Counted when they left, calls delayed on their way by the network or a busy event loop
    # could arrive 31 in one second; counted until answered, they cannot.
    clock = Clock()
    limiter = Limiter(SendLimits(), clock)
    chats = [*range(1, 90), -100, -200]
    arrived = drive(limiter, clock, chats, 30, latency=0.25, seed=7)
    assert busiest([t for t, _ in arrived], 1.0) <= 30
    for chat in chats:
        stamps = [t for t, c in arrived if c == chat]
        assert busiest(stamps, 3.0) <= 3
        if chat < 0:
            assert busiest(stamps, 60.0) <= 20
    assert len(arrived) >= 0.85 * 30 * 29, "the pace stays close to Telegram's"


def test_a_busy_loop_does_not_slow_the_pace_down() -> None:
    clock = Clock()
    limiter = Limiter(SendLimits(per_chat=Window(1000, 1.0)), clock)
    for _ in range(300):
        clock.now += max(limiter.delay(1), 0) + 0.004  # each call leaves 4 ms late
        limiter.done(limiter.take(1))
    assert clock.now - 100 < 10.6  # not 300 × (33.3 + 4) ms


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
        limiter.done(await limiter.acquire(hash(name) % 1000 + 1, rank))
        order.append(name)

    limiter.done(await limiter.acquire(999, (0, 0)))  # the window is full now
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


def test_how_urgent_the_next_head_is_is_known_without_taking_it() -> None:
    queues = ChatQueues()
    assert queues.most_urgent(0) is None
    queues.add(Entry(1, 10, 9))
    queues.add(Entry(2, 20, 5))
    assert queues.most_urgent(0) == 5 and queues.most_urgent(0) == 5, "looking takes nothing"
    head = queues.take(0)
    assert head is not None and head.id == 2 and queues.most_urgent(0) == 9
    queues.hold(head, until=3.0)
    assert queues.most_urgent(2.0) == 9 and queues.most_urgent(3.0) == 5
    assert [e.id for e in (queues.take(3.0), queues.take(3.0)) if e] == [2, 1]
    assert queues.most_urgent(3.0) is None, "both chats busy"
