"""`hearback run` starts without the garbage collector and gets it back, in every case."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest

from bot import memory


@pytest.fixture
def collector_off() -> Iterator[None]:
    """As `hearback run` starts: the collector off; this test process's own state after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


async def test_once_running_the_collector_is_back_and_start_ups_objects_are_left_out(
    collector_off: None,
) -> None:
    running = asyncio.Event()
    settle = asyncio.create_task(memory.settle(running))
    await asyncio.sleep(0)  # the task starts waiting
    assert not gc.isenabled(), "still starting: no collection yet"
    running.set()
    await asyncio.wait_for(settle, 5)
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


async def test_a_start_that_waits_long_gets_the_collector_back_meanwhile(
    collector_off: None,
) -> None:
    await asyncio.wait_for(memory.settle(asyncio.Event(), wait=0.01), 5)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


async def test_a_start_that_fails_gets_the_collector_back(collector_off: None) -> None:
    settle = asyncio.create_task(memory.settle(asyncio.Event()))
    await asyncio.sleep(0)  # the task starts waiting
    settle.cancel()
    with pytest.raises(asyncio.CancelledError):
        await settle
    assert gc.isenabled()
