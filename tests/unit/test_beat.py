"""Periodic looks wait for the same beats of the event loop's clock."""

from __future__ import annotations

import asyncio
import math

from bot.beat import until_beat


async def test_the_wait_ends_on_the_next_multiple_of_the_period() -> None:
    loop = asyncio.get_running_loop()
    for period in (1.0, 2.0, 0.25):
        now = loop.time()
        wait = until_beat(period)
        assert 0 < wait <= period
        beat = (now + wait) / period
        assert math.isclose(beat, round(beat), abs_tol=1e-3), "a multiple of the period"


async def test_looks_of_different_periods_meet_on_the_shared_beats() -> None:
    # A two-second look wakes on a beat of the one-second looks, never between two of them.
    loop = asyncio.get_running_loop()
    now = loop.time()
    assert math.isclose((now + until_beat(2.0)) % 1.0, 0.0, abs_tol=1e-3) or math.isclose(
        (now + until_beat(2.0)) % 1.0, 1.0, abs_tol=1e-3
    )
