"""Telegram's limits checked as sliding windows over the calls the emulator received.

A token bucket says whether one more call may go; these say what actually arrived: the most
calls in any stretch of time of a given length, bot-wide, per group and per chat.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Call = tuple[float, str, "int | None"]  # (arrival, method, chat id)


def busiest(times: Sequence[float], seconds: float) -> int:
    """The most of `times` (sorted) inside any half-open window [t, t + seconds)."""
    most = start = 0
    for end, stamp in enumerate(times):
        while times[start] <= stamp - seconds:
            start += 1
        most = max(most, end - start + 1)
    return most


@dataclass(frozen=True)
class Windows:
    """The busiest windows found: Telegram allows 30, 20 and 1-per-second beyond a burst."""

    calls: int
    overall_1s: int  # ≤ 30
    group_60s: int  # ≤ 20, the busiest group
    chat_1s: int  # ≤ 3: a short burst at most
    chat_3s: int  # ≤ 3: one per second beyond it
    chat_60s: int  # ≤ 62


def windows(calls: Iterable[Call]) -> Windows:
    """The busiest sliding windows among `calls`."""
    ordered = sorted(calls)
    times = [when for when, _, _ in ordered]
    chats: dict[int, list[float]] = defaultdict(list)
    for when, _, chat_id in ordered:
        if chat_id is not None:
            chats[chat_id].append(when)
    groups = [stamps for chat_id, stamps in chats.items() if chat_id < 0]
    every = list(chats.values())
    return Windows(
        calls=len(times),
        overall_1s=busiest(times, 1.0),
        group_60s=max((busiest(s, 60.0) for s in groups), default=0),
        chat_1s=max((busiest(s, 1.0) for s in every), default=0),
        chat_3s=max((busiest(s, 3.0) for s in every), default=0),
        chat_60s=max((busiest(s, 60.0) for s in every), default=0),
    )
