"""SIGKILL at random moments across intake and handoff: nothing lost; duplicates only of what was
in flight at a kill, counted and reported. bench/faults.py runs the same at full size."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.runtime import RuntimeName
from sandbox.emulator import BotApiEmulator, RateLimits
from tests.e2e.process import TOKEN
from tests.faults import kills

# At least 50 kills in all: this many on each runtime.
KILLS = int(os.environ.get("HEARBACK_FAULT_KILLS", "26"))


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.off()) as emulator:
        emulator.add_supergroup(kills.STAFF_GROUP, "Acme Support")
        yield emulator


async def test_random_kills_lose_nothing(
    emu: BotApiEmulator, runtime: RuntimeName, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = await kills.run(
        emu, tmp_path / "kills.db", runtime, customers=4, notes=3, kills=KILLS, seed=7
    )
    with capsys.disabled():
        print(f"\n[{runtime}] {outcome.report()}")
    assert outcome.kills >= KILLS
    assert outcome.lost == []
    # A kill can double only what was on its way to Telegram at that moment: a few messages.
    assert outcome.duplicates <= outcome.kills
    assert outcome.out_of_order == 0
