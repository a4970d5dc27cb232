"""Fault fixtures: the e2e world (emulator, customers, staff) with the bot's retry timing short."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App
from bot.clock import ManualClock
from bot.limits import SendLimits
from bot.retry import RetryPolicy
from bot.runtime import RuntimeName
from bot.settings import Settings
from flows.config import OrgConfig
from sandbox.emulator import BotApiEmulator
from tests.conftest import DEMO_CONFIG
from tests.e2e.conftest import Running, anna, clock, emu, piotr, runtime  # noqa: F401
from tests.e2e.process import TOKEN

# Attempts of a failing update are spaced by the bot's clock, which only the test moves.
POLICY = RetryPolicy(attempts=3, delays=(2.0, 60.0))


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A fresh SQLite database (the fault suites are about the bot, not the database kind)."""
    return f"sqlite+aiosqlite:///{tmp_path / 'hearback.db'}"


@pytest.fixture
async def bot(
    emu: BotApiEmulator,  # noqa: F811
    database_url: str,
    runtime: RuntimeName,  # noqa: F811
    org: OrgConfig,
    clock: ManualClock,  # noqa: F811
) -> AsyncIterator[Running]:
    """hearback on `runtime`, polling the emulator, with the short retry policy."""

    def make() -> App:
        settings = Settings(
            bot_token=TOKEN,  # type: ignore[arg-type]
            database_url=database_url,
            telegram_api_base=emu.base_url,
            hearback_config=DEMO_CONFIG,
            hearback_runtime=runtime,
        )
        return App(
            settings=settings,
            org=org,
            clock=clock,
            limits=SendLimits.unlimited(),
            poll_timeout=1,
            tick_interval=0.05,
            retry=POLICY,
        )

    running = Running(make)
    yield running
    await running.stop()
