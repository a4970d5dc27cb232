"""The JSON transport against the emulator: every kind of Telegram answer becomes its outcome."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest

from bot.emulator import BotApiEmulator, RateLimits
from bot.json_transport import BotApiError, JsonTransport
from bot.transport import Blocked, Delivered, Rejected, RetryLater

TOKEN = "123456:JSON-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
ANN = 42


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.off()) as emulator:
        emulator.add_user(ANN, "Ann")
        yield emulator


@pytest.fixture
async def transport(emu: BotApiEmulator) -> AsyncIterator[JsonTransport]:
    client = JsonTransport(TOKEN, emu.base_url)
    yield client
    await client.close()


async def test_a_sent_message_reports_its_id_and_reaches_the_chat(
    emu: BotApiEmulator, transport: JsonTransport
) -> None:
    outcome = await transport.call(
        "sendMessage", {"chat_id": ANN, "text": "<b>Hi</b>", "parse_mode": "HTML"}
    )
    assert isinstance(outcome, Delivered) and outcome.result is None
    [message] = emu.bot_messages(ANN)
    assert outcome.message_id == message.message_id and message.text == "Hi"


async def test_queries_keep_their_answer(transport: JsonTransport) -> None:
    me = await transport.call("getMe", {})
    assert isinstance(me, Delivered) and me.result["id"] == 123456
    chat = await transport.call("getChat", {"chat_id": ANN})
    assert isinstance(chat, Delivered) and chat.result["type"] == "private"


async def test_telegram_errors_become_outcomes(
    emu: BotApiEmulator, transport: JsonTransport
) -> None:
    say = {"chat_id": ANN, "text": "hello"}
    emu.fail_next("sendMessage", status=429, retry_after=7)
    assert await transport.call("sendMessage", say) == RetryLater(
        7.0, "Too Many Requests: retry after 7", rate_limited=True
    )
    emu.fail_next("sendMessage", status=500)
    retry = await transport.call("sendMessage", say)
    assert isinstance(retry, RetryLater) and not retry.rate_limited
    emu.block_bot(ANN)
    assert isinstance(await transport.call("sendMessage", say), Blocked)
    emu.unblock_bot(ANN)
    rejected = await transport.call("sendMessage", {"chat_id": 999, "text": "nobody"})
    assert isinstance(rejected, Rejected) and rejected.reason.startswith("Bad Request")
    emu.set_outage(True)
    assert isinstance(await transport.call("sendMessage", say), RetryLater)
    emu.set_outage(False)
    assert isinstance(await transport.call("sendMessage", say), Delivered)


async def test_an_unreachable_server_is_retried_and_never_named_with_the_token() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    transport = JsonTransport(TOKEN, f"http://127.0.0.1:{port}")
    try:
        outcome = await transport.call("sendMessage", {"chat_id": ANN, "text": "hello"})
        assert isinstance(outcome, RetryLater) and TOKEN not in outcome.reason
        with pytest.raises(OSError) as raised:
            await transport.get_updates(None, 0)
        assert TOKEN not in str(raised.value)
    finally:
        await transport.close()


async def test_get_updates_reads_raw_updates_and_raises_when_telegram_fails(
    emu: BotApiEmulator, transport: JsonTransport
) -> None:
    await emu.send_text(ANN, "first")
    [update] = await transport.get_updates(None, 0)
    assert update["message"]["text"] == "first"
    assert await transport.get_updates(update["update_id"] + 1, 0) == []
    emu.set_outage(True)
    with pytest.raises(BotApiError, match="502"):
        await transport.get_updates(None, 0)
