"""End-to-end fixtures: the emulator over HTTP and the real hearback app long-polling it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.app import App
from bot.clock import ManualClock
from bot.limits import SendLimits
from bot.runtime import RUNTIMES, RuntimeName
from bot.settings import Settings
from flows.config import OrgConfig
from sandbox.emulator import BotApiEmulator, RateLimits
from tests.conftest import DEMO_CONFIG, MONDAY_10_WARSAW
from tests.e2e.chat import Person, StaffMember
from tests.e2e.process import TOKEN

STAFF_GROUP = -1001234567890
BILLING_GROUP = -1001234567891
MARIA, JAN = 111111, 222222  # the demo config's managers


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    """The Bot API emulator, enforcing nothing but Telegram's content limits."""
    async with BotApiEmulator(
        token=TOKEN, bot_username="hearback_test_bot", limits=RateLimits.off()
    ) as emulator:
        # The demo organisation's world: two staff forums with the bot as a topic-managing
        # admin, and both managers, who have opened their private chats with the bot.
        emulator.add_supergroup(STAFF_GROUP, "Acme Support")
        emulator.add_supergroup(BILLING_GROUP, "Acme Billing")
        emulator.add_user(MARIA, "Maria", last_name="Kowalska")
        emulator.add_user(JAN, "Jan", last_name="Nowak")
        yield emulator


@pytest.fixture
def clock() -> ManualClock:
    """Monday 10:00 in Warsaw, moved only by the test."""
    return ManualClock(MONDAY_10_WARSAW)


@pytest.fixture(params=RUNTIMES)
def runtime(request: pytest.FixtureRequest) -> RuntimeName:
    """Each runtime hearback runs on: the same scenarios and assertions on both."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database of each kind."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'hearback.db'}"
    return str(request.getfixturevalue("postgres_url"))


class Running:
    """A started App and a way to start another one on the same database (a restart)."""

    def __init__(self, make: Callable[[], App]) -> None:
        self._make = make
        self.app = make()
        self.task = asyncio.create_task(self.app.run())

    async def stop(self) -> None:
        """Stop the bot cleanly."""
        self.app.stop.set()
        await self.task

    async def restart(self) -> None:
        """Stop, then start a new process-equivalent on the same database."""
        await self.stop()
        self.app = self._make()
        self.task = asyncio.create_task(self.app.run())


@pytest.fixture
async def bot(
    emu: BotApiEmulator,
    database_url: str,
    runtime: RuntimeName,
    org: OrgConfig,
    clock: ManualClock,
) -> AsyncIterator[Running]:
    """hearback itself on `runtime`, polling the emulator over HTTP."""

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
        )

    running = Running(make)
    yield running
    await running.stop()


@pytest.fixture
def anna(emu: BotApiEmulator) -> Person:
    """A customer writing in English."""
    return Person(emu, 5001, "Anna", "Kowalczyk")


@pytest.fixture
def piotr(emu: BotApiEmulator) -> StaffMember:
    """A member of the Support team."""
    return StaffMember(emu, 7001, "Piotr", STAFF_GROUP)


@pytest.fixture
def ola(emu: BotApiEmulator) -> StaffMember:
    """Another member of the Support team."""
    return StaffMember(emu, 7002, "Ola", STAFF_GROUP)


@pytest.fixture
def kasia(emu: BotApiEmulator) -> StaffMember:
    """A member of the Billing team."""
    return StaffMember(emu, 7101, "Kasia", BILLING_GROUP)
