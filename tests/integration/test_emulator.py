"""The Bot API emulator, exercised through the real aiogram client and raw HTTP."""

from __future__ import annotations

import asyncio
import json
import struct
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
)

from sandbox.emulator import BotApiEmulator, RateLimits
from sandbox.emulator.images import image_size, photo_problem
from sandbox.emulator.limits import RateLimiter
from sandbox.emulator.snapshot import SnapshotError

TOKEN = "123456:TEST-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
ANN = 42
BOB = 43
STAFF = -1001234567890


class ManualClock:
    """A monotonic clock the test moves by hand, so flood control is deterministic."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=text, callback_data=data) for text, data in row]
            for row in rows
        ]
    )


class PlainHttpSession(AiohttpSession):
    """aiogram's own session, minus the 250 ms it waits on close for TLS shutdown.

    The emulator speaks plain HTTP, and 250 ms per test would dominate this file's run time.
    """

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def make_bot(emu: BotApiEmulator, token: str = TOKEN) -> Bot:
    return Bot(token, session=PlainHttpSession(api=TelegramAPIServer.from_base(emu.base_url)))


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.off()) as emu:
        emu.add_user(ANN, "Ann", "Smith", username="ann")
        emu.add_user(BOB, "Bob", language_code="pl")
        emu.add_supergroup(STAFF, "Staff", is_forum=True, members=[BOB])
        yield emu


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    bot = make_bot(emu)
    yield bot
    await bot.session.close()


async def test_get_me_describes_the_emulated_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456, True, "hearback_bot")


async def test_sent_message_shows_visible_text_html_and_buttons(
    emu: BotApiEmulator, bot: Bot
) -> None:
    sent = await bot.send_message(
        ANN,
        "<b>Case #7</b> &amp; more",
        parse_mode="HTML",
        reply_markup=keyboard([("Close", "close:7"), ("Reopen", "reopen:7")]),
    )
    [msg] = emu.bot_messages(ANN)
    assert msg.message_id == sent.message_id
    assert msg.text == "Case #7 & more"
    assert msg.html == "<b>Case #7</b> &amp; more"
    assert msg.buttons() == [("Close", "close:7"), ("Reopen", "reopen:7")]
    assert sent.entities is not None and sent.entities[0].type == "bold"
    assert sent.html_text == "<b>Case #7</b> &amp; more"


async def test_links_in_text_get_url_entities_as_telegram_detects_them(
    emu: BotApiEmulator, bot: Bot
) -> None:
    sent = await bot.send_message(
        ANN,
        '🔗 <b>Topic</b>: https://t.me/c/1/2, <a href="https://x.org">here</a>',
        parse_mode="HTML",
    )
    assert [(e.type, e.offset, e.length) for e in sent.entities or []] == [
        ("bold", 3, 5),
        ("url", 10, 18),  # UTF-16 offsets; the comma is not part of the link
        ("text_link", 30, 4),
    ]
    written = await emu.send_text(ANN, "tracking: http://parcel.example/42.")
    assert written.entities == [{"type": "url", "offset": 10, "length": 24}]


async def test_waiting_get_updates_returns_as_soon_as_the_user_writes(
    emu: BotApiEmulator, bot: Bot
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await emu.wait_for(lambda: emu.poll_generation == 1, message="long poll never started")
    await emu.send_text(ANN, "my parcel is lost")
    updates = await asyncio.wait_for(poll, timeout=5)  # far sooner than the 30 s poll
    [update] = updates
    assert update.message is not None
    assert update.message.text == "my parcel is lost"
    assert update.message.from_user is not None and update.message.from_user.id == ANN


async def test_offset_confirms_updates_and_negative_offset_keeps_the_last(
    emu: BotApiEmulator, bot: Bot
) -> None:
    for text in ("one", "two", "three"):
        await emu.send_text(ANN, text)
    first = await bot.get_updates()
    assert [u.message.text for u in first if u.message] == ["one", "two", "three"]
    again = await bot.get_updates(offset=first[2].update_id)
    assert [u.update_id for u in again] == [first[2].update_id]
    assert await bot.get_updates(offset=first[2].update_id + 1) == []
    assert emu.updates_pending() == 0

    for text in ("four", "five"):
        await emu.send_text(ANN, text)
    last = await bot.get_updates(offset=-1)
    assert [u.message.text for u in last if u.message] == ["five"]
    assert emu.updates_pending() == 1


async def test_a_new_long_poll_terminates_the_waiting_one_with_409(
    emu: BotApiEmulator, bot: Bot
) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=30))
    await emu.wait_for(lambda: emu.poll_generation == 1)
    newer = asyncio.create_task(bot.get_updates(timeout=30))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates request"):
        await asyncio.wait_for(older, timeout=5)
    await emu.send_text(ANN, "hello")
    [update] = await asyncio.wait_for(newer, timeout=5)
    assert update.message is not None and update.message.text == "hello"


async def test_command_gets_a_bot_command_entity(emu: BotApiEmulator, bot: Bot) -> None:
    await emu.send_command(BOB, "start case-12")
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.entities is not None
    entity = update.message.entities[0]
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 6)
    assert update.message.from_user is not None
    assert update.message.from_user.language_code == "pl"


@pytest.mark.parametrize(
    "html",
    [
        "<b>unclosed",
        "<blink>x</blink>",
        "<b><i>x</b></i>",
        "5 < 6",
        "Tom & Jerry",
        '<span class="x">y</span>',
    ],
)
async def test_invalid_html_is_refused(emu: BotApiEmulator, bot: Bot, html: str) -> None:
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(ANN, html, parse_mode="HTML")
    assert emu.bot_messages(ANN) == []


async def test_text_longer_than_4096_visible_characters_is_refused(
    emu: BotApiEmulator, bot: Bot
) -> None:
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(ANN, "a" * 4097)
    # Tags are not counted: 4096 visible characters inside <b> are fine.
    await bot.send_message(ANN, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(ANN, "<b> </b>", parse_mode="HTML")
    assert len(emu.bot_messages(ANN)) == 1


async def test_callback_data_over_64_bytes_is_refused(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(ANN, "x", reply_markup=keyboard([("A", "a" * 65)]))
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(ANN, "x", reply_markup=keyboard([("A", "é" * 33)]))  # 66 bytes
    await bot.send_message(ANN, "x", reply_markup=keyboard([("A", "a" * 64)]))
    assert len(emu.bot_messages(ANN)) == 1


async def test_private_chat_flood_control_answers_429_and_has_no_effect() -> None:
    clock = ManualClock()
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.telegram(), clock=clock) as emu:
        emu.add_user(ANN, "Ann")
        bot = make_bot(emu)
        try:
            refused = []
            for i in range(5):
                try:
                    await bot.send_message(ANN, f"message {i}")
                except TelegramRetryAfter as error:
                    refused.append(error.retry_after)
            assert refused == [1, 1]  # a burst of 3, then 1 message per second
            assert [m.text for m in emu.bot_messages(ANN)] == [f"message {i}" for i in range(3)]
            assert emu.stats.rate_limited["sendMessage"] == 2
            assert emu.stats.rate_limited_by_chat[ANN] == 2
            clock.now += 1
            await bot.send_message(ANN, "after a second")
            assert emu.bot_messages(ANN)[-1].text == "after a second"
        finally:
            await bot.session.close()


async def test_group_flood_control_allows_20_messages_per_minute(emu: BotApiEmulator) -> None:
    clock = ManualClock()
    emu.clock = clock
    emu.set_limits(RateLimits.telegram())
    bot = make_bot(emu)
    try:
        for i in range(20):
            await bot.send_message(STAFF, f"update {i}")
        with pytest.raises(TelegramRetryAfter) as refused:
            await bot.send_message(STAFF, "one too many")
        assert refused.value.retry_after == 3  # 20 per 60 s = one every 3 s
        clock.now += 3
        await bot.send_message(STAFF, "fine again")
    finally:
        await bot.session.close()


def test_global_flood_limit_is_30_messages_per_second_across_chats() -> None:
    clock = ManualClock()
    limiter = RateLimiter(RateLimits.telegram(), clock)
    assert [limiter.acquire(chat, private=True) for chat in range(30)] == [None] * 30
    assert limiter.acquire(30, private=True) == 1
    clock.now += 1 / 30
    assert limiter.acquire(30, private=True) is None
    assert RateLimiter(RateLimits.off(), clock).acquire(1, private=True) is None


async def test_fail_next_answers_a_server_error_once(emu: BotApiEmulator, bot: Bot) -> None:
    emu.fail_next("sendMessage", status=500)
    with pytest.raises(TelegramServerError, match="Internal Server Error"):
        await bot.send_message(ANN, "lost")
    await bot.send_message(ANN, "delivered")
    assert [m.text for m in emu.bot_messages(ANN)] == ["delivered"]


async def test_blocked_bot_gets_403_until_unblocked(emu: BotApiEmulator, bot: Bot) -> None:
    emu.block_bot(ANN)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(ANN, "are you there?")
    emu.unblock_bot(ANN)
    await bot.send_message(ANN, "welcome back")
    assert [m.text for m in emu.bot_messages(ANN)] == ["welcome back"]


async def test_outage_answers_non_json_502(emu: BotApiEmulator, bot: Bot) -> None:
    emu.set_outage(True)
    with pytest.raises(ClientDecodeError):
        await bot.get_me()
    emu.set_outage(False)
    assert (await bot.get_me()).username == "hearback_bot"


async def test_copying_a_users_photo_into_a_forum_topic_keeps_the_photo(
    emu: BotApiEmulator, bot: Bot
) -> None:
    photo = await emu.send_photo(ANN, caption="broken screen")
    topic = await bot.create_forum_topic(STAFF, "Case 12 · Ann")
    copied = await bot.copy_message(
        STAFF,
        from_chat_id=ANN,
        message_id=photo.message_id,
        message_thread_id=topic.message_thread_id,
    )
    [msg] = emu.bot_messages(STAFF, thread_id=topic.message_thread_id)
    assert msg.message_id == copied.message_id
    assert (msg.kind, msg.text) == ("photo", "broken screen")
    assert msg.content["photo"] == photo.content["photo"]
    assert msg.forward_origin is None


async def test_sending_into_a_deleted_topic_fails_with_thread_not_found(
    emu: BotApiEmulator, bot: Bot
) -> None:
    topic = await bot.create_forum_topic(STAFF, "Case 13")
    assert emu.topics(STAFF)[topic.message_thread_id].name == "Case 13"
    await bot.send_message(STAFF, "first note", message_thread_id=topic.message_thread_id)
    await bot.delete_forum_topic(STAFF, topic.message_thread_id)
    assert emu.topics(STAFF)[topic.message_thread_id].deleted
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(STAFF, "second note", message_thread_id=topic.message_thread_id)
    assert all(m.deleted for m in emu.messages(STAFF, thread_id=topic.message_thread_id))


async def test_a_topic_deleted_by_a_human_refuses_messages(emu: BotApiEmulator, bot: Bot) -> None:
    topic = await bot.create_forum_topic(STAFF, "Case 14")
    emu.delete_topic(STAFF, topic.message_thread_id)
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(STAFF, "note", message_thread_id=topic.message_thread_id)


async def test_creating_a_topic_needs_the_right_to_manage_topics(
    emu: BotApiEmulator, bot: Bot
) -> None:
    emu.set_bot_admin(STAFF, can_manage_topics=False)
    with pytest.raises(TelegramBadRequest, match="not enough rights to manage topics"):
        await bot.create_forum_topic(STAFF, "Case 15")
    assert emu.topics(STAFF) == {}


async def test_button_press_arrives_as_callback_query_and_the_answer_is_recorded(
    emu: BotApiEmulator, bot: Bot
) -> None:
    sent = await bot.send_message(ANN, "Solved?", reply_markup=keyboard([("Yes", "solved:1")]))
    [message] = emu.bot_messages(ANN)
    query_id = await emu.press(ANN, message, "Yes")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.id == query_id
    assert query.data == "solved:1"
    assert query.message is not None and query.message.message_id == sent.message_id
    await bot.answer_callback_query(query_id, text="Thanks!", show_alert=True)
    assert emu.callback_answers[query_id] == ("Thanks!", True)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query_id)


async def test_user_edit_arrives_as_edited_message(emu: BotApiEmulator, bot: Bot) -> None:
    original = await emu.send_text(ANN, "order 12")
    await emu.edit_text(ANN, ANN, original.message_id, "order 21")
    updates = await bot.get_updates()
    edited = updates[-1].edited_message
    assert edited is not None
    assert (edited.message_id, edited.text) == (original.message_id, "order 21")
    assert edited.edit_date is not None


async def test_editing_text_without_markup_drops_the_keyboard_and_same_text_is_refused(
    emu: BotApiEmulator, bot: Bot
) -> None:
    sent = await bot.send_message(ANN, "Pick one", reply_markup=keyboard([("A", "a")]))
    await bot.edit_message_text("Picked A", chat_id=ANN, message_id=sent.message_id)
    [msg] = emu.bot_messages(ANN)
    assert (msg.text, msg.buttons(), msg.edited) == ("Picked A", [], True)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("Picked A", chat_id=ANN, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=ANN, message_id=999)


async def test_wrong_token_is_unauthorized(emu: BotApiEmulator) -> None:
    intruder = make_bot(emu, token="123456:WRONG-token-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await intruder.get_me()
    finally:
        await intruder.session.close()


async def test_wait_for_times_out_with_a_dump_of_recent_messages(emu: BotApiEmulator) -> None:
    await emu.send_text(ANN, "anyone?")
    with pytest.raises(AssertionError, match=r"(?s)expected 1 bot message.*anyone"):
        await emu.wait_for_bot_message(ANN, timeout=0.05)


async def test_raw_http_error_shapes_and_encodings(emu: BotApiEmulator) -> None:
    api = f"{emu.base_url}/bot{TOKEN}"
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{emu.base_url}/bot123456:nope/getMe") as resp:
            assert resp.status == 401
            assert await resp.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with http.post(f"{api}/doMagic") as resp:
            assert (resp.status, await resp.json()) == (
                404,
                {"ok": False, "error_code": 404, "description": "Not Found"},
            )
        # Method names are case-insensitive; JSON bodies carry typed values.
        async with http.post(f"{api}/SENDMESSAGE", json={"chat_id": ANN, "text": ""}) as resp:
            assert resp.status == 400
            assert await resp.json() == {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: message text is empty",
            }
        # Form bodies carry complex parameters as JSON strings.
        markup = json.dumps({"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]})
        form = {"chat_id": str(ANN), "text": "form", "reply_markup": markup}
        async with http.post(f"{api}/sendMessage", data=form) as resp:
            body = await resp.json()
            assert body["ok"] is True and body["result"]["reply_markup"] == json.loads(markup)
        emu.fail_next("sendMessage", status=429, retry_after=7)
        async with http.post(f"{api}/sendMessage", data=form) as resp:
            assert (resp.status, await resp.json()) == (
                429,
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 7",
                    "parameters": {"retry_after": 7},
                },
            )
        emu.fail_next("getMe", status=502)
        async with http.get(f"{api}/getMe") as resp:
            assert (resp.status, (await resp.json())["description"]) == (502, "Bad Gateway")


async def test_http_driver_api_writes_presses_and_lists(emu: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_message(BOB, "Rate us", reply_markup=keyboard([("5", "rate:5")]))
    driver = f"{emu.base_url}/_emulator"
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{driver}/users/{BOB}/text", json={"text": "hi there"}) as resp:
            assert (await resp.json())["result"]["text"] == "hi there"
        press = {"chat_id": BOB, "message_id": sent.message_id, "data": "rate:5"}
        async with http.post(f"{driver}/users/{BOB}/press", json=press) as resp:
            query_id = (await resp.json())["result"]["callback_query_id"]
        async with http.get(f"{driver}/chats/{BOB}/messages") as resp:
            listed = (await resp.json())["result"]
    assert [(m["from_bot"], m["text"]) for m in listed] == [(True, "Rate us"), (False, "hi there")]
    assert listed[0]["buttons"] == [["5", "rate:5"]]
    updates = await bot.get_updates()
    assert [u.event_type for u in updates] == ["message", "callback_query"]
    assert updates[1].callback_query is not None and updates[1].callback_query.id == query_id


async def test_a_user_who_never_started_the_bot_cannot_be_written_to(
    emu: BotApiEmulator, bot: Bot
) -> None:
    emu.add_user(44, "Manager", started=False)
    with pytest.raises(TelegramForbiddenError, match="can't initiate conversation"):
        await bot.send_message(44, "new case for you")
    await emu.send_command(44, "start")
    await bot.send_message(44, "new case for you")


async def test_topic_messages_carry_the_thread_and_reply_to_the_topic_root(
    emu: BotApiEmulator, bot: Bot
) -> None:
    topic = await bot.create_forum_topic(STAFF, "Case 16")
    thread = topic.message_thread_id
    sent = await bot.send_message(STAFF, "summary", message_thread_id=thread)
    assert (sent.message_thread_id, sent.is_topic_message) == (thread, True)
    assert sent.reply_to_message is not None
    assert sent.reply_to_message.forum_topic_created is not None
    await emu.send_text(BOB, "on it", chat_id=STAFF, thread_id=thread, reply_to=sent.message_id)
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.message_thread_id == thread
    assert update.message.reply_to_message is not None
    assert update.message.reply_to_message.message_id == sent.message_id


async def test_uploads_get_file_ids_and_can_be_downloaded_and_grouped(
    emu: BotApiEmulator, bot: Bot
) -> None:
    sent = await bot.send_document(
        ANN,
        BufferedInputFile(b"report body", "report.txt"),
        caption="<i>your report</i>",
        parse_mode="HTML",
    )
    assert sent.document is not None and sent.document.file_name == "report.txt"
    [msg] = emu.bot_messages(ANN)
    assert (msg.kind, msg.text, msg.html) == ("document", "your report", "<i>your report</i>")
    file = await bot.get_file(sent.document.file_id)
    assert file.file_path is not None
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == b"report body"

    album = await bot.send_media_group(
        ANN,
        media=[
            InputMediaDocument(media=sent.document.file_id),
            InputMediaDocument(media=BufferedInputFile(b"second", "second.txt")),
        ],
    )
    assert len({m.media_group_id for m in album}) == 1
    assert [m.kind for m in emu.bot_messages(ANN)] == ["document"] * 3


async def test_album_arrives_as_one_update_per_photo_sharing_a_group(
    emu: BotApiEmulator, bot: Bot
) -> None:
    await emu.send_album(ANN, count=3, caption="receipts")
    updates = await bot.get_updates()
    messages = [u.message for u in updates if u.message]
    assert len(messages) == 3 and all(m.photo for m in messages)
    assert len({m.media_group_id for m in messages}) == 1
    assert [m.caption for m in messages] == ["receipts", None, None]


async def test_forwarding_names_the_original_sender(emu: BotApiEmulator, bot: Bot) -> None:
    original = await emu.send_text(ANN, "the courier was rude")
    forwarded = await bot.forward_message(STAFF, from_chat_id=ANN, message_id=original.message_id)
    assert forwarded.forward_origin is not None and forwarded.forward_origin.type == "user"
    [msg] = emu.bot_messages(STAFF)
    assert msg.text == "the courier was rude"
    assert msg.forward_origin is not None and msg.forward_origin["sender_user"]["id"] == ANN


async def test_pinning_marks_the_message_and_posts_a_service_message(
    emu: BotApiEmulator, bot: Bot
) -> None:
    sent = await bot.send_message(STAFF, "Open cases: 3")
    await bot.pin_chat_message(STAFF, sent.message_id, disable_notification=True)
    assert [m.message_id for m in emu.pinned(STAFF)] == [sent.message_id]
    assert emu.bot_messages(STAFF, service=True)[-1].kind == "pinned_message"
    await bot.unpin_chat_message(STAFF, message_id=sent.message_id)
    assert emu.pinned(STAFF) == []


async def test_privacy_mode_hides_group_chatter_from_a_non_admin_bot(
    emu: BotApiEmulator, bot: Bot
) -> None:
    emu.add_group(-500, "Customers", members=[ANN])
    await emu.send_text(ANN, "just chatting", chat_id=-500)
    await emu.send_text(ANN, "/help", chat_id=-500)
    updates = await bot.get_updates()
    assert [u.message.text for u in updates if u.message] == ["/help"]
    assert len(emu.messages(-500)) == 2


async def test_message_dates_follow_the_wall_clock() -> None:
    async with BotApiEmulator(token=TOKEN, wall_clock=lambda: 1_800_000_000.7) as emu:
        emu.add_user(ANN, "Ann")
        msg = await emu.send_text(ANN, "hello")
        assert msg.date == 1_800_000_000


async def test_a_language_switch_shows_in_the_next_updates(emu: BotApiEmulator, bot: Bot) -> None:
    await emu.send_text(ANN, "hello")
    emu.set_language(ANN, "ru")
    await emu.send_text(ANN, "привет")
    updates = await bot.get_updates()
    codes = [
        u.message.from_user.language_code for u in updates if u.message and u.message.from_user
    ]
    assert codes == ["en", "ru"]


async def test_a_photo_sent_with_its_bytes_can_be_downloaded(emu: BotApiEmulator, bot: Bot) -> None:
    await emu.send_photo(ANN, caption="the dent", width=640, height=480, data=b"\x89PNG fake")
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.photo is not None
    largest = update.message.photo[-1]
    assert (largest.width, largest.height) == (640, 480)
    file = await bot.get_file(largest.file_id)
    assert file.file_path is not None
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == b"\x89PNG fake"


async def test_a_snapshot_restores_the_world_and_update_ids_keep_counting(
    emu: BotApiEmulator, bot: Bot
) -> None:
    topic = await bot.create_forum_topic(STAFF, "HB-7K3Q9M · Delivery")
    card = await bot.send_message(
        STAFF,
        "<b>Card</b>",
        parse_mode="HTML",
        message_thread_id=topic.message_thread_id,
        reply_markup=keyboard([("Take", "take:1")]),
    )
    await bot.pin_chat_message(STAFF, card.message_id)
    await emu.send_photo(ANN, caption="receipt", data=b"picture bytes")
    seen = await bot.get_updates()
    await emu.press(BOB, emu.message(STAFF, card.message_id), "Take")
    emu.set_language(BOB, "ru")
    saved = json.loads(json.dumps(emu.snapshot()))

    async with BotApiEmulator(token=TOKEN, limits=RateLimits.off()) as restored:
        restored.restore(saved)
        assert [m.summary() for m in restored.messages(STAFF)] == [
            m.summary() for m in emu.messages(STAFF)
        ]
        assert restored.topics(STAFF) == emu.topics(STAFF)
        assert [m.message_id for m in restored.pinned(STAFF)] == [card.message_id]
        assert restored.user(BOB).language_code == "ru"
        again = make_bot(restored)
        try:
            # The button press was not confirmed yet: it is still waiting for the bot.
            pending = await again.get_updates(offset=seen[-1].update_id + 1)
            assert [u.callback_query.data for u in pending if u.callback_query] == ["take:1"]
            await emu.send_text(ANN, "ignored: the old world goes on without the new one")
            await restored.send_text(ANN, "still there?")
            [new] = await again.get_updates(offset=pending[-1].update_id + 1)
            assert new.update_id == pending[-1].update_id + 1
            assert new.message is not None and new.message.message_id == 2  # after the photo
            photo = restored.messages(ANN)[0].content["photo"][-1]
            file = await again.get_file(photo["file_id"])
            assert file.file_path is not None
            downloaded = await again.download_file(file.file_path)
            assert downloaded is not None and downloaded.read() == b"picture bytes"
        finally:
            await again.session.close()


def test_a_snapshot_of_another_format_is_refused() -> None:
    emu = BotApiEmulator(token=TOKEN)
    with pytest.raises(SnapshotError, match="format"):
        emu.restore({"format": 99})
    with pytest.raises(SnapshotError, match="damaged"):
        emu.restore({"format": 1, "users": [{"id": "no"}]})


async def test_the_command_menu_the_bot_set_can_be_read(emu: BotApiEmulator, bot: Bot) -> None:
    assert emu.bot_commands() == []
    await bot.set_my_commands([BotCommand(command="status", description="My cases")])
    await bot.set_my_commands(
        [BotCommand(command="status", description="Moje sprawy")], language_code="pl"
    )
    assert emu.bot_commands() == [{"command": "status", "description": "My cases"}]
    assert emu.bot_commands(language_code="pl") == [
        {"command": "status", "description": "Moje sprawy"}
    ]
    # As in Telegram, a narrower scope wins: the chat's own, then all private or group chats.
    await bot.set_my_commands(
        [BotCommand(command="new", description="File a complaint")],
        scope=BotCommandScopeAllPrivateChats(),
    )
    await bot.set_my_commands(
        [BotCommand(command="queue", description="Untaken cases")],
        scope=BotCommandScopeChat(chat_id=-100123),
    )
    assert [c["command"] for c in emu.bot_commands()] == ["new"]
    assert [c["command"] for c in emu.bot_commands(chat_id=-100123)] == ["queue"]
    assert [c["command"] for c in emu.bot_commands(chat_id=-100999)] == ["status"]


def png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\0" * 4


def test_the_emulator_reads_a_photos_size_as_telegram_does() -> None:
    assert image_size(png_header(960, 540)) == (960, 540)
    jpeg = (
        b"\xff\xd8" + b"\xff\xe0\x00\x04ab" + b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", 480, 640)
    )
    assert image_size(jpeg + b"\0" * 12) == (640, 480)
    assert image_size(b"GIF89a" + struct.pack("<HH", 32, 16)) == (32, 16)
    vp8x = (
        b"RIFF\0\0\0\0WEBPVP8X"
        + b"\0" * 8
        + (99).to_bytes(3, "little")
        + (49).to_bytes(3, "little")
    )
    assert image_size(vp8x) == (100, 50)
    assert image_size(b"plain text, not a picture") is None
    assert photo_problem(None) == "IMAGE_PROCESS_FAILED"
    assert photo_problem((9000, 1001)) == "PHOTO_INVALID_DIMENSIONS"  # sides add up past 10,000
    assert photo_problem((2100, 100)) == "PHOTO_INVALID_DIMENSIONS"  # more than 20 : 1
    assert photo_problem((960, 540)) is None


async def test_an_uploaded_photo_keeps_its_size_and_a_wrong_one_is_refused(
    emu: BotApiEmulator, bot: Bot
) -> None:
    sent = await bot.send_photo(ANN, BufferedInputFile(png_header(640, 320), "p.png"))
    assert sent.photo is not None and (sent.photo[-1].width, sent.photo[-1].height) == (640, 320)
    assert (sent.photo[0].width, sent.photo[0].height) == (90, 45)  # Telegram's thumbnail
    for data, error in (
        (b"definitely not a picture", "IMAGE_PROCESS_FAILED"),
        (png_header(12000, 100), "PHOTO_INVALID_DIMENSIONS"),
    ):
        with pytest.raises(TelegramBadRequest, match=error):
            await bot.send_photo(ANN, BufferedInputFile(data, "p.png"))


async def test_a_private_chat_shows_the_menu_in_its_users_language(
    emu: BotApiEmulator, bot: Bot
) -> None:
    private = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands([BotCommand(command="new", description="File a complaint")], private)
    await bot.set_my_commands(
        [BotCommand(command="new", description="Подать жалобу")], private, language_code="ru"
    )
    assert emu.bot_commands(ANN, "ru") == [{"command": "new", "description": "Подать жалобу"}]
    assert emu.bot_commands(ANN, "ru-RU") == emu.bot_commands(ANN, "ru")
    # A language without a list of its own gets the scope's list without a language.
    assert emu.bot_commands(ANN, "ta") == [{"command": "new", "description": "File a complaint"}]
    # getMyCommands reads one exact list: scope and language, no fallback.
    assert await bot.get_my_commands(private, language_code="ta") == []
    [russian] = await bot.get_my_commands(private, language_code="ru")
    assert russian.description == "Подать жалобу"


@pytest.mark.parametrize(
    ("command", "description", "error"),
    [
        ("New", "File a complaint", "BOT_COMMAND_INVALID"),
        ("file-complaint", "File a complaint", "BOT_COMMAND_INVALID"),
        ("a" * 33, "File a complaint", "BOT_COMMAND_INVALID"),
        ("new", "x" * 257, "BOT_COMMAND_INVALID"),
        ("new", "   ", "description must be non-empty"),
    ],
)
async def test_a_command_telegram_would_refuse_is_refused(
    bot: Bot, command: str, description: str, error: str
) -> None:
    with pytest.raises(TelegramBadRequest, match=error):
        await bot.set_my_commands([BotCommand(command=command, description=description)])


async def test_a_menu_language_must_be_a_two_letter_code(bot: Bot) -> None:
    menu = [BotCommand(command="new", description="Nowa reklamacja")]
    with pytest.raises(TelegramBadRequest, match="invalid language code"):
        await bot.set_my_commands(menu, language_code="pl-PL")
    await bot.set_my_commands(menu, language_code="pl")


async def test_deleting_a_topic_needs_the_right_to_delete_messages(
    emu: BotApiEmulator, bot: Bot
) -> None:
    topic = await bot.create_forum_topic(STAFF, "Case 16")
    emu.set_bot_admin(STAFF, can_delete_messages=False)
    with pytest.raises(TelegramBadRequest, match="not enough rights to delete the topic"):
        await bot.delete_forum_topic(STAFF, topic.message_thread_id)
    assert not emu.topics(STAFF)[topic.message_thread_id].deleted
    member = await bot.get_chat_member(STAFF, 123456)
    assert member.status == "administrator" and not member.can_delete_messages  # type: ignore[union-attr]


async def test_without_the_right_the_bot_deletes_only_its_own_recent_messages() -> None:
    wall = ManualClock()
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.off(), wall_clock=wall) as emu:
        emu.add_user(BOB, "Bob")
        emu.add_supergroup(STAFF, "Staff", members=[BOB], can_delete_messages=False)
        bot = make_bot(emu)
        try:
            bobs = await emu.send_text(BOB, "mine", chat_id=STAFF)
            fresh = await bot.send_message(STAFF, "fresh")
            old = await bot.send_message(STAFF, "old")
            with pytest.raises(TelegramBadRequest, match="message can't be deleted"):
                await bot.delete_message(STAFF, bobs.message_id)
            await bot.delete_message(STAFF, fresh.message_id)
            wall.now += 48 * 3600 + 1  # Telegram's limit for a bot's own messages
            with pytest.raises(TelegramBadRequest, match="message can't be deleted"):
                await bot.delete_message(STAFF, old.message_id)
            # deleteMessages skips what it cannot delete, as Telegram does.
            assert await bot.delete_messages(STAFF, [old.message_id, bobs.message_id])
            assert [m.deleted for m in emu.messages(STAFF)] == [False, True, False]
            emu.set_bot_admin(STAFF)  # an admin allowed to delete: anything, any time
            assert await bot.delete_messages(STAFF, [old.message_id, bobs.message_id])
            assert all(m.deleted for m in emu.messages(STAFF))
        finally:
            await bot.session.close()


async def test_a_document_is_uploaded_as_multipart_with_its_name_and_bytes(
    emu: BotApiEmulator, bot: Bot
) -> None:
    data = '{"name": "Ann Smith ✓"}'.encode()
    sent = await bot.send_document(
        ANN, BufferedInputFile(data, "my-data.json"), caption="<b>Your data</b>", parse_mode="HTML"
    )
    [msg] = emu.bot_messages(ANN)
    assert msg.kind == "document" and msg.text == "Your data"
    assert msg.content["document"]["file_name"] == "my-data.json"
    assert emu.state.files[msg.content["document"]["file_id"]].data == data
    assert sent.document is not None and sent.document.file_size == len(data)
