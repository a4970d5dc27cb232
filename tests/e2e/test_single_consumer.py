"""Polling stays single-consumer: on PostgreSQL a second instance stands by and takes over when
the first is gone; on SQLite a second instance refuses to start."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.app import App
from bot.clock import ManualClock
from bot.limits import SendLimits
from bot.settings import Settings
from flows.config import OrgConfig
from sandbox.emulator import BotApiEmulator
from storage.single import AlreadyRunning
from tests.conftest import DEMO_CONFIG
from tests.e2e.chat import Person
from tests.e2e.process import TOKEN


def polling(emu: BotApiEmulator, url: str, org: OrgConfig, clock: ManualClock) -> App:
    settings = Settings(
        bot_token=TOKEN,  # type: ignore[arg-type]
        database_url=url,
        telegram_api_base=emu.base_url,
        hearback_config=DEMO_CONFIG,
    )
    return App(
        settings,
        org,
        clock=clock,
        limits=SendLimits.unlimited(),
        poll_timeout=1,
        tick_interval=0.05,
    )


@pytest.mark.postgres
async def test_a_second_polling_instance_stands_by_and_takes_over(
    emu: BotApiEmulator, postgres_url: str, org: OrgConfig, clock: ManualClock
) -> None:
    first, second = polling(emu, postgres_url, org, clock), polling(emu, postgres_url, org, clock)
    first_run = asyncio.create_task(first.run())
    await asyncio.wait_for(first.running.wait(), 30)
    await emu.wait_for(lambda: first.poller.polling, timeout=10, message="the first never polled")
    second_run = asyncio.create_task(second.run())
    await asyncio.wait_for(second.running.wait(), 30)
    anna = Person(emu, 5001, "Anna")
    await anna.write("/start")
    await anna.expect("Hello, Anna", timeout=15)
    assert not second.poller.polling
    assert await second.problems() == []  # a standby is ready: it handles and may send

    first.stop.set()
    await first_run
    await emu.wait_for(lambda: second.poller.polling, timeout=10, message="no takeover")
    await anna.write("/help")
    await anna.expect("What I can do", timeout=15)
    second.stop.set()
    await second_run


async def test_a_second_instance_on_one_sqlite_file_refuses_to_start(
    emu: BotApiEmulator, tmp_path: Path, org: OrgConfig, clock: ManualClock
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hearback.db'}"
    first = polling(emu, url, org, clock)
    first_run = asyncio.create_task(first.run())
    await asyncio.wait_for(first.running.wait(), 30)
    with pytest.raises(AlreadyRunning, match="SQLite serves one instance"):
        await polling(emu, url, org, clock).run()
    first.stop.set()
    await first_run
    again = polling(emu, url, org, clock)  # once the first is gone, the next may start
    again_run = asyncio.create_task(again.run())
    await asyncio.wait_for(again.running.wait(), 30)
    again.stop.set()
    await again_run
