"""Every transport against the emulator: every kind of Telegram answer becomes its outcome.

The standalone runtimes send through the JSON transport; embedded, hearback sends through the
host's aiogram or python-telegram-bot Bot. All three must mean the same by each outcome.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest

from bot.aiogram_runtime import AiogramTransport
from bot.aiogram_runtime import make_bot as aiogram_bot
from bot.chart import draw
from bot.i18n import Renderer
from bot.json_transport import BotApiError, JsonTransport
from bot.ptb_runtime import PtbTransport
from bot.ptb_runtime import make_bot as ptb_bot
from bot.transport import Blocked, Delivered, Rejected, RetryLater, Transport, Upload
from flows.messages import ChartDay
from sandbox.emulator import BotApiEmulator, RateLimits

TOKEN = "123456:JSON-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
ANN = 42


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.off()) as emulator:
        emulator.add_user(ANN, "Ann")
        yield emulator


@pytest.fixture(params=["json", "aiogram", "ptb"])
async def transport(
    request: pytest.FixtureRequest, emu: BotApiEmulator
) -> AsyncIterator[Transport]:
    """The plain-JSON client, or a host's Bot of either framework (as embedded hearback uses)."""
    if request.param == "json":
        client = JsonTransport(TOKEN, emu.base_url)
        yield client
        await client.close()
    elif request.param == "aiogram":
        bot = aiogram_bot(TOKEN, emu.base_url)
        yield AiogramTransport(bot)
        await bot.session.close()
    else:
        host, requests = ptb_bot(TOKEN, emu.base_url)
        yield PtbTransport(host)
        for http in requests:
            await http.shutdown()


async def test_a_sent_message_reports_its_id_and_reaches_the_chat(
    emu: BotApiEmulator, transport: Transport
) -> None:
    outcome = await transport.call(
        "sendMessage", {"chat_id": ANN, "text": "<b>Hi</b>", "parse_mode": "HTML"}
    )
    assert isinstance(outcome, Delivered) and outcome.result is None
    [message] = emu.bot_messages(ANN)
    assert outcome.message_id == message.message_id and message.text == "Hi"


async def test_a_file_is_uploaded_with_its_caption_and_keyboard(
    emu: BotApiEmulator, transport: Transport
) -> None:
    data = '{"first_name": "Ann", "note": "ünïcode ✓"}'.encode()
    outcome = await transport.call(
        "sendDocument",
        {
            "chat_id": ANN,
            "document": Upload("my-data.json", data, "application/json"),
            "caption": "<b>Your data</b>",
            "parse_mode": "HTML",
            "reply_markup": {"inline_keyboard": [[{"text": "OK", "callback_data": "m:ok"}]]},
        },
    )
    assert isinstance(outcome, Delivered)
    [message] = emu.bot_messages(ANN)
    assert outcome.message_id == message.message_id and message.text == "Your data"
    assert message.content["document"]["file_name"] == "my-data.json"
    assert emu.state.files[message.content["document"]["file_id"]].data == data
    assert message.buttons() == [("OK", "m:ok")]


async def test_messages_and_topics_are_deleted(emu: BotApiEmulator, transport: Transport) -> None:
    group = -1001234567890
    emu.add_supergroup(group, "Staff")
    topic = await transport.call("createForumTopic", {"chat_id": group, "name": "HB-1"})
    assert isinstance(topic, Delivered) and topic.thread_id is not None
    said = [await transport.call("sendMessage", {"chat_id": group, "text": text}) for text in "ab"]
    ids = [outcome.message_id for outcome in said if isinstance(outcome, Delivered)]
    gone = await transport.call("deleteMessages", {"chat_id": group, "message_ids": ids})
    assert isinstance(gone, Delivered) and all(m.deleted for m in emu.bot_messages(group))
    deleted = await transport.call(
        "deleteForumTopic", {"chat_id": group, "message_thread_id": topic.thread_id}
    )
    assert isinstance(deleted, Delivered) and emu.topics(group)[topic.thread_id].deleted


async def test_queries_keep_their_answer(transport: Transport) -> None:
    me = await transport.call("getMe", {})
    assert isinstance(me, Delivered) and me.result["id"] == 123456
    chat = await transport.call("getChat", {"chat_id": ANN})
    assert isinstance(chat, Delivered) and chat.result["type"] == "private"


async def test_menus_are_set_and_dropped_per_scope_and_language(
    emu: BotApiEmulator, transport: Transport
) -> None:
    private = {"type": "all_private_chats"}
    polish = {"command": "new", "description": "Nowa reklamacja"}
    menu = {"commands": [polish], "scope": private, "language_code": "pl"}
    assert isinstance(await transport.call("setMyCommands", menu), Delivered)
    assert emu.bot_commands(ANN, "pl") == [polish]
    dropped = await transport.call("deleteMyCommands", {"scope": private, "language_code": "pl"})
    assert isinstance(dropped, Delivered) and emu.bot_commands(ANN, "pl") == []
    refused = await transport.call("setMyCommands", {**menu, "language_code": "pl-PL"})
    assert isinstance(refused, Rejected) and "language code" in refused.reason


async def test_telegram_errors_become_outcomes(emu: BotApiEmulator, transport: Transport) -> None:
    say = {"chat_id": ANN, "text": "hello"}
    emu.fail_next("sendMessage", status=429, retry_after=7)
    flood = await transport.call("sendMessage", say)
    assert isinstance(flood, RetryLater) and flood.rate_limited and flood.after == 7.0
    emu.fail_next("sendMessage", status=500)
    retry = await transport.call("sendMessage", say)
    assert isinstance(retry, RetryLater) and not retry.rate_limited
    emu.block_bot(ANN)
    assert isinstance(await transport.call("sendMessage", say), Blocked)
    emu.unblock_bot(ANN)
    rejected = await transport.call("sendMessage", {"chat_id": 999, "text": "nobody"})
    assert isinstance(rejected, Rejected) and "chat not found" in rejected.reason.lower()
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
    emu: BotApiEmulator,
) -> None:
    transport = JsonTransport(TOKEN, emu.base_url)  # standalone polling is always plain JSON
    try:
        await emu.send_text(ANN, "first")
        [update] = await transport.get_updates(None, 0)
        assert update["message"]["text"] == "first"
        assert await transport.get_updates(update["update_id"] + 1, 0) == []
        emu.set_outage(True)
        with pytest.raises(BotApiError, match="502") as raised:
            await transport.get_updates(None, 0)
        assert TOKEN not in str(raised.value)
    finally:
        await transport.close()


async def test_a_photo_is_uploaded_with_its_caption_and_a_broken_one_refused(
    emu: BotApiEmulator, transport: Transport
) -> None:
    days = tuple(ChartDay(f"2026-11-{d:02d}", d % 4, d % 3, d % 2, 4.0) for d in range(10, 24))
    png = draw(days, "en", Renderer(ZoneInfo("Europe/Warsaw")))
    keyboard = {"inline_keyboard": [[{"text": "Open", "callback_data": "open:1"}]]}
    photo = Upload("chart.png", png, "image/png")
    outcome = await transport.call(
        "sendPhoto",
        {
            "chat_id": ANN,
            "photo": photo,
            "caption": "<b>Digest</b> — 14 days",
            "parse_mode": "HTML",
            "reply_markup": keyboard,
        },
    )
    assert isinstance(outcome, Delivered) and outcome.message_id is not None
    [message] = emu.bot_messages(ANN)
    assert (message.kind, message.text, message.html) == (
        "photo",
        "Digest — 14 days",
        "<b>Digest</b> — 14 days",
    )
    largest = message.content["photo"][-1]
    assert (largest["width"], largest["height"]) == (960, 540)  # read from the PNG itself
    assert emu.state.files[largest["file_id"]].data == png
    assert message.reply_markup == keyboard
    broken = await transport.call(
        "sendPhoto", {"chat_id": ANN, "photo": Upload("chart.png", b"not a picture")}
    )
    assert isinstance(broken, Rejected) and "IMAGE_PROCESS_FAILED" in broken.reason.upper()
