"""No network call while a unit of work is open: a call waiting on Telegram would hold the
database (on SQLite, its only connection) for as long as Telegram takes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import Hearback, HearbackOptions
from bot.clock import ManualClock
from bot.inbox import Poller
from bot.json_transport import JsonTransport
from bot.limits import SendLimits
from bot.runtime import Runtime, RuntimeName
from bot.settings import Settings
from bot.transport import Json, Outcome, Transport
from flows.config import OrgConfig
from sandbox.emulator import BotApiEmulator
from storage.unit_of_work import in_transaction
from tests.conftest import DEMO_CONFIG
from tests.e2e.chat import Person, StaffMember
from tests.e2e.process import TOKEN
from tests.e2e.test_intake import file_complaint


class Watched:
    """A transport that records every call made while the calling task held a transaction."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self.inside: list[str] = []
        self.methods: list[str] = []

    async def call(self, method: str, params: Json) -> Outcome:
        self.methods.append(method)
        if in_transaction():
            self.inside.append(method)
        return await self.inner.call(method, params)


def _runtime(name: RuntimeName, client: JsonTransport, watched: Watched, base: str) -> Runtime:
    if name == "ptb":
        from bot.ptb_runtime import PtbRuntime, make_bot

        bot, requests = make_bot(TOKEN, base)
        return PtbRuntime(bot, requests, watched)
    from bot.aiogram_runtime import AiogramRuntime
    from bot.aiogram_runtime import make_bot as make_aiogram_bot

    return AiogramRuntime(make_aiogram_bot(TOKEN, base), watched)


@pytest.fixture
async def watched(
    emu: BotApiEmulator, runtime: RuntimeName, org: OrgConfig, clock: ManualClock, tmp_path: Path
) -> AsyncIterator[Watched]:
    settings = Settings(
        bot_token=TOKEN,  # type: ignore[arg-type]
        database_url=f"sqlite+aiosqlite:///{tmp_path}/hearback.db",
        telegram_api_base=emu.base_url,
        hearback_config=DEMO_CONFIG,
        hearback_runtime=runtime,
    )
    client = JsonTransport(TOKEN, emu.base_url)
    watch = Watched(client)
    hearback = Hearback(
        settings,
        org,
        _runtime(runtime, client, watch, emu.base_url),
        options=HearbackOptions(clock, SendLimits.unlimited(), 0.05),
    )
    await hearback.start()
    poller = Poller(hearback.db.uow, client, hearback.processor.wake, 1)
    polling = asyncio.create_task(hearback.supervisor.run("poller", poller.run))
    yield watch
    await hearback.shutdown()
    polling.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await polling
    await hearback.runtime.close()
    await client.close()


async def test_no_call_to_telegram_happens_inside_a_transaction(
    watched: Watched, emu: BotApiEmulator, anna: Person, piotr: StaffMember
) -> None:
    number = await file_complaint(anna)
    await piotr.press(number, "Take")  # the press is authorised with getChatMember
    await anna.expect("is now handling your case")
    await piotr.write(number, "We are on it.")
    await anna.expect("We are on it.")
    assert "getChatMember" in watched.methods, "the press was authorised with Telegram"
    assert watched.inside == []
