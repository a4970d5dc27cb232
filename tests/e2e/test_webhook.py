"""Webhook mode end to end: Telegram (the emulator) POSTs updates with the secret, hearback stores
them before answering 200; a wrong secret stores nothing; /healthz, /readyz and /metrics tell an
orchestrator the truth, also while the database is away."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from bot.app import STOP_GRACE, App
from bot.clock import ManualClock
from bot.limits import SendLimits
from bot.settings import Settings
from flows.config import OrgConfig
from sandbox.emulator import BotApiEmulator
from storage.database import Database
from tests.conftest import DEMO_CONFIG
from tests.e2e.chat import Person, eventually
from tests.e2e.process import TOKEN
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres
SECRET = "s3cret-for-the-webhook_test"
HOOK = "/tg/hook"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def database(postgres_url: str) -> AsyncIterator[tuple[str, TcpProxy]]:
    """The test's PostgreSQL behind a proxy the test can cut: (URL through the proxy, proxy)."""
    proxy = TcpProxy("127.0.0.1", 5432)
    await proxy.start()
    yield postgres_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}"), proxy
    await proxy.close()


@pytest.fixture
async def hooked_run(
    emu: BotApiEmulator, database: tuple[str, TcpProxy], org: OrgConfig, clock: ManualClock
) -> AsyncIterator[tuple[App, str, asyncio.Task[None]]]:
    """hearback in webhook mode on a port of its own; (the app, its base URL, its run)."""
    port = free_port()
    settings = Settings(
        bot_token=TOKEN,  # type: ignore[arg-type]
        database_url=database[0],
        telegram_api_base=emu.base_url,
        hearback_config=DEMO_CONFIG,
        webhook_url=f"http://127.0.0.1:{port}{HOOK}",
        webhook_secret=SECRET,  # type: ignore[arg-type]
        webhook_listen=f"127.0.0.1:{port}",
    )
    app = App(settings, org, clock=clock, limits=SendLimits.unlimited(), tick_interval=0.05)
    task = asyncio.create_task(app.run())
    await asyncio.wait_for(app.running.wait(), 30)
    yield app, f"http://127.0.0.1:{port}", task
    app.stop.set()
    await task


@pytest.fixture
def hooked(hooked_run: tuple[App, str, asyncio.Task[None]]) -> tuple[App, str]:
    """hearback in webhook mode on a port of its own; (the app, its base URL)."""
    return hooked_run[0], hooked_run[1]


async def status(url: str) -> int:
    async with aiohttp.ClientSession() as http, http.get(url) as answer:
        return answer.status


async def metrics(base: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    async with aiohttp.ClientSession() as http, http.get(f"{base}/metrics") as answer:
        assert answer.status == 200
        text = await answer.text()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def stored_updates(url: str) -> int:
    async with Database(url) as db, db.engine.connect() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM inbox"))).scalar_one())


async def test_telegram_is_told_the_webhook_and_never_polled(
    emu: BotApiEmulator, hooked: tuple[App, str]
) -> None:
    anna = Person(emu, 5001, "Anna")
    await anna.write("/start")
    await anna.expect("Hello, Anna", timeout=15)
    assert emu.state.webhook_url.endswith(HOOK)
    assert emu.state.webhook_secret == SECRET
    assert emu.webhook.stats.answers[200] >= 1
    assert emu.stats.requests["getUpdates"] == 0
    assert emu.stats.requests["deleteWebhook"] == 0


def private_update(update_id: int, user_id: int, first_name: str, text: str) -> dict[str, Any]:
    """A text message in a private chat, as Telegram posts it."""
    sender = {"id": user_id, "is_bot": False, "first_name": first_name}
    chat = {"id": user_id, "type": "private"}
    message = {"message_id": 1, "date": 0, "chat": chat, "from": sender, "text": text}
    return {"update_id": update_id, "message": message}


async def test_a_post_without_the_right_secret_is_refused_and_stores_nothing(
    emu: BotApiEmulator, hooked: tuple[App, str], database: tuple[str, TcpProxy]
) -> None:
    _, base = hooked
    update = private_update(999_001, 5001, "Mallory", "/start")
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}{HOOK}", json=update) as missing:
            assert missing.status == 401
        wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
        async with http.post(f"{base}{HOOK}", json=update, headers=wrong) as guessed:
            assert guessed.status == 403
    assert await stored_updates(database[0]) == 0
    found = await metrics(base)
    assert found[("hearback_webhook_requests_total", (("status", "401"),))] == 1
    assert found[("hearback_webhook_requests_total", (("status", "403"),))] == 1


async def test_a_post_with_half_a_surrogate_pair_or_a_nul_is_taken_and_answered(
    emu: BotApiEmulator, hooked: tuple[App, str], database: tuple[str, TcpProxy]
) -> None:
    """JSON may escape half a UTF-16 pair on its own, or a NUL (which PostgreSQL cannot store in
    text); refusing the POST would make Telegram send it again and again, holding back every
    update behind it, and failing to store the name would lose what the person wrote."""
    _, base = hooked
    ola = Person(emu, 5002, "Ola")
    update = private_update(999_002, ola.id, "Ola\ud800\x00", "/start")
    secret = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{base}{HOOK}", json=update, headers=secret) as answer,
    ):
        assert answer.status == 200
    assert await stored_updates(database[0]) == 1
    await ola.expect("Hello, Ola\ufffd\ufffd!", timeout=15)


async def test_metrics_follow_the_traffic(emu: BotApiEmulator, hooked: tuple[App, str]) -> None:
    _, base = hooked
    before = await metrics(base)
    anna = Person(emu, 5002, "Anna")
    await anna.write("/new")
    await anna.press("Delivery", timeout=15)
    await anna.write("Parcel lost in transit.")
    await anna.press("Continue")
    await anna.expect("How may we reach you")
    await anna.write("💬 Telegram only")
    await anna.press("Confirm", timeout=15)
    await anna.expect("registered as", timeout=15)

    async def settled() -> bool:
        now = await metrics(base)
        return (
            now[("hearback_inbox_backlog", ())] == 0 and now[("hearback_outbox_backlog", ())] == 0
        )

    await eventually(settled, timeout=15, what="the backlogs emptying")
    after = await metrics(base)
    sent = ("hearback_sends_total", (("outcome", "ok"),))
    assert after[sent] >= before[sent] + 6
    accepted = ("hearback_webhook_requests_total", (("status", "200"),))
    assert after[accepted] >= 6
    assert after[("hearback_open_cases", (("state", "waiting_for_agent"),))] == 1
    assert after[("hearback_inbox_oldest_pending_seconds", ())] == 0
    assert after[("hearback_sender_active", ())] == 1


async def test_readiness_follows_the_database_and_nothing_is_lost_meanwhile(
    emu: BotApiEmulator, hooked: tuple[App, str], database: tuple[str, TcpProxy]
) -> None:
    _, base = hooked
    _, proxy = database
    assert await status(f"{base}/readyz") == 200
    await proxy.cut()

    async def not_ready() -> bool:
        return await status(f"{base}/readyz") == 503

    await eventually(not_ready, timeout=15, what="/readyz saying 503")
    assert await status(f"{base}/healthz") == 200
    anna = Person(emu, 5003, "Anna")
    await anna.write("/start")  # cannot be stored: Telegram is told to send it again
    await emu.wait_for(
        lambda: emu.webhook.stats.answers[503] >= 2, timeout=15, message="no refused delivery"
    )
    assert anna.inbox() == []
    await proxy.start()

    async def ready() -> bool:
        return await status(f"{base}/readyz") == 200

    await eventually(ready, timeout=20, what="/readyz saying 200 again")
    await anna.expect("Hello, Anna", timeout=15)


async def test_a_bot_stopped_while_the_database_is_away_stops_at_once(
    hooked_run: tuple[App, str, asyncio.Task[None]],
    database: tuple[str, TcpProxy],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A worker pausing for the database (up to 30 s) ends its pause on stop: an orchestrator's
    SIGTERM is obeyed at once, not after the pause or the stop watchdog's grace."""
    app, _, task = hooked_run
    _, proxy = database
    await proxy.cut()

    def longest_pause(worker: str) -> int:
        found = re.findall(rf"{worker} paused: .*; retrying in (\d+) s", caplog.text)
        return max(map(int, found), default=0)

    async def pausing_long() -> bool:
        return longest_pause("timers") >= 8 and longest_pause("handling updates") >= 8

    await eventually(pausing_long, timeout=30, what="pauses of 8 s for the database")
    app.stop.set()
    await asyncio.wait_for(asyncio.shield(task), STOP_GRACE)
    assert "did not stop" not in caplog.text and "still stopping" not in caplog.text
