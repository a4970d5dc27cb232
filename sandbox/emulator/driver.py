"""BotApiEmulator: the server's lifecycle plus an in-process driver for tests."""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, TypeVar

from aiohttp import web

from sandbox.emulator import snapshot
from sandbox.emulator.actions import UserActions
from sandbox.emulator.chats import ChatMethods, commands_key, delete_topic
from sandbox.emulator.limits import Clock, RateLimiter, RateLimits
from sandbox.emulator.methods import Handler, MessageMethods
from sandbox.emulator.params import Params
from sandbox.emulator.server import build_app
from sandbox.emulator.state import (
    TOPIC_COLORS,
    ApiError,
    Chat,
    JsonDict,
    Message,
    State,
    Stats,
    Topic,
    User,
)
from sandbox.emulator.webhook import WebhookDelivery

T = TypeVar("T")
DEFAULT_TOKEN = "123456:TEST-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
_TOKEN = re.compile(r"^(\d+):\S{35,}$")
# How long a test waits for the bot to answer by default: a busy CI machine may need seconds.
WAIT = 10.0
# Methods that read or configure: every other one sends or edits, and counts against the limits.
READING = frozenset(
    name.lower()
    for name in [
        "getUpdates",
        "getMe",
        "getChat",
        "getChatAdministrators",
        "getChatMember",
        "getChatMemberCount",
        "getChatMenuButton",
        "setChatMenuButton",
        "getFile",
        "getMyCommands",
        "setMyCommands",
        "deleteMyCommands",
        "getWebhookInfo",
        "setWebhook",
        "deleteWebhook",
    ]
)
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


class BotApiEmulator(UserActions):
    """A Telegram Bot API server with one bot, driven from tests through Python calls."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "hearback_bot",
        bot_name: str = "Hearback",
        limits: RateLimits | None = None,
        privacy_mode: bool = True,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
    ) -> None:
        match = _TOKEN.match(token)
        if match is None:
            raise ValueError("a bot token looks like <digits>:<35 or more characters>")
        self.token = token
        self.limits = limits if limits is not None else RateLimits.telegram()
        self.privacy_mode = privacy_mode
        self.clock = clock  # for flood control: real seconds
        self.wall_clock = wall_clock  # for message dates: a simulated clock in the sandbox
        self.version = 0  # counts state changes, so that watchers can tell what they have seen
        self.bot_user = User(
            int(match.group(1)), bot_name, username=bot_username, language_code=None, is_bot=True
        )
        self.outage = False
        self.outage_kind = "502"
        self.outage_sending_only = False
        self.storm: tuple[float, int, random.Random] | None = None
        self.held_answers: frozenset[str] = frozenset()  # lowered methods whose answer waits
        self.closing = False
        self.poll_generation = 0
        self.base_url = ""
        self._event = asyncio.Event()
        self._runner: web.AppRunner | None = None
        # Idle until a bot calls setWebhook; then updates are POSTed to it, not polled.
        self.webhook = WebhookDelivery(self)
        self.reset()

    def reset(self) -> None:
        """Forget everything but the bot itself: users, chats, messages, updates, faults, stats."""
        self._install(State(self.bot_user, self.wall_clock))

    def _install(self, state: State) -> None:
        self.state = state
        self.stats = Stats()
        self.limiter = RateLimiter(self.limits, self.clock)
        self.faults: dict[str, list[ApiError]] = {}
        self._messages = MessageMethods(self.state, self.limiter, self.limits, self.stats)
        chats = ChatMethods(self.state, self.privacy_mode)
        handlers = {**self._messages.handlers(), **chats.handlers()}
        self._handlers: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, fn) for name, fn in handlers.items()
        }
        self._handlers["getupdates"] = ("getUpdates", self._no_handler)
        self.notify()

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self, port: int = 0, host: str = "127.0.0.1") -> str:
        """Serve on host:port (0 = a free port); return base_url."""
        self.closing = False
        self._runner = web.AppRunner(build_app(self), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        bound = self._runner.addresses[0]
        self.base_url = f"http://{host}:{bound[1]}"
        self.webhook.start()
        return self.base_url

    async def stop(self) -> None:
        """Release waiting long polls and stop serving."""
        self.closing = True
        self.notify()
        await self.webhook.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- used by the server ------------------------------------------------------------------

    def canonical_method(self, lowered: str) -> str | None:
        """The canonical spelling of a Bot API method, or None if not emulated."""
        entry = self._handlers.get(lowered)
        return entry[0] if entry else None

    def call_method(self, lowered: str, params: Params) -> Any:
        """Run a (synchronous) Bot API method."""
        return self._handlers[lowered][1](params)

    @staticmethod
    def _no_handler(params: Params) -> Any:
        raise AssertionError("getUpdates is served by the server's long-poll loop")

    def take_fault(self, lowered: str) -> ApiError | None:
        """The next injected failure for this method, if any (a storm's 429 included)."""
        for key in (lowered, "*"):
            queue = self.faults.get(key)
            if queue:
                return queue.pop(0)
        if self.storm is not None and lowered not in READING:
            share, retry_after, chance = self.storm
            if chance.random() < share:
                return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        return None

    def record_call(self, method: str, params: Params, arrived: float | None = None) -> None:
        """Note a call that sends or edits, when it arrived, for checks of the limits."""
        if method.lower() in READING:
            return
        chat = params.values.get("chat_id")
        try:
            chat_id = int(chat) if chat is not None else None
        except (TypeError, ValueError):
            chat_id = None
        self.stats.calls.append((self.clock() if arrived is None else arrived, method, chat_id))

    def notify(self) -> None:
        """Wake everything waiting for a state change."""
        self.version += 1
        self.webhook.kick()
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], Any], timeout: float) -> Any:
        """Wait until predicate() is truthy (re-checked on every change); falsy on timeout."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return result
            event = self._event
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    # -- setup -------------------------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        started: bool = True,
    ) -> User:
        """A person plus their private chat with the bot (started=False: never opened it)."""
        user = User(user_id, first_name, last_name, username, language_code)
        self.state.users[user_id] = user
        chat = self.state.chats.get(user_id)
        if chat is None:
            self.state.chats[user_id] = Chat(user_id, "private", user=user, started=started)
        else:  # re-adding updates the profile and keeps the history
            chat.user, chat.started = user, started
        self.notify()
        return user

    def add_supergroup(
        self,
        chat_id: int,
        title: str,
        is_forum: bool = True,
        members: Iterable[int] = (),
        bot_admin: bool = True,
        can_manage_topics: bool | None = None,
        admins: Iterable[int] = (),
        creator: int | None = None,
        can_delete_messages: bool | None = None,
    ) -> Chat:
        """A supergroup with the bot in it; topics need bot_admin and can_manage_topics,
        deleting them (and others' or old messages) bot_admin and can_delete_messages."""
        chat = self._add_group(
            Chat(chat_id, "supergroup", title=title, is_forum=is_forum),
            members,
            bot_admin,
            bot_admin if can_manage_topics is None else can_manage_topics,
            admins,
            creator,
        )
        deleting = bot_admin if can_delete_messages is None else can_delete_messages
        chat.bot_can_delete_messages = bot_admin and deleting
        return chat

    def add_group(
        self,
        chat_id: int,
        title: str,
        members: Iterable[int] = (),
        bot_admin: bool = False,
        admins: Iterable[int] = (),
        creator: int | None = None,
    ) -> Chat:
        """A basic group with the bot in it."""
        return self._add_group(
            Chat(chat_id, "group", title=title), members, bot_admin, False, admins, creator
        )

    def _add_group(
        self,
        chat: Chat,
        members: Iterable[int],
        bot_admin: bool,
        can_manage_topics: bool,
        admins: Iterable[int],
        creator: int | None,
    ) -> Chat:
        if chat.id in self.state.chats:
            raise ValueError(f"chat {chat.id} already exists")
        chat.bot_admin = bot_admin
        chat.bot_can_manage_topics = bot_admin and can_manage_topics
        for user_id, status in [
            *((m, "member") for m in members),
            *((a, "administrator") for a in admins),
            *(((creator, "creator"),) if creator is not None else ()),
        ]:
            self.user(user_id)
            chat.members[user_id] = status
        self.state.chats[chat.id] = chat
        self.notify()
        return chat

    def join(self, chat_id: int, user_id: int, status: str = "member") -> None:
        """Make a user a member (or administrator/creator/left/kicked) of a group."""
        self.user(user_id)
        self.chat(chat_id).members[user_id] = status
        self.notify()

    def set_language(self, user_id: int, language_code: str | None) -> None:
        """The user switches Telegram's language: their next updates carry the new code."""
        self.user(user_id).language_code = language_code
        self.notify()

    # -- saving ------------------------------------------------------------------------------

    def snapshot(self) -> JsonDict:
        """The whole emulated world as JSON-ready data (see sandbox.emulator.snapshot)."""
        return snapshot.dump(self.state)

    def restore(self, data: JsonDict) -> None:
        """Replace the world by a snapshot; raises snapshot.SnapshotError if it is unusable."""
        self._install(snapshot.load(data, self.bot_user, self.wall_clock))

    # -- knobs -------------------------------------------------------------------------------

    def set_limits(self, limits: RateLimits) -> None:
        """Switch flood control and size limits, with fresh (full) token buckets."""
        self.limits = limits
        self.limiter = RateLimiter(limits, self.clock)
        self._messages.limits, self._messages.limiter = limits, self.limiter

    def fail_next(
        self,
        method: str,
        status: int = 500,
        count: int = 1,
        description: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """The next `count` calls of method ("*" = any method) answer this HTTP error."""
        if status == 429:
            retry_after = retry_after or 1
            description = description or f"Too Many Requests: retry after {retry_after}"
        if method != "*" and method.lower() not in self._handlers:
            raise ValueError(f"{method} is not a Bot API method the emulator serves")
        text = description or _DEFAULT_DESCRIPTIONS.get(status, "Internal Server Error")
        queue = self.faults.setdefault(method.lower(), [])
        queue.extend(ApiError(status, text, retry_after) for _ in range(count))

    def block_bot(self, user_id: int) -> None:
        """The user blocks the bot: sends to them answer 403."""
        self.chat(user_id).bot_blocked = True
        self.notify()

    def unblock_bot(self, user_id: int) -> None:
        """The user unblocks the bot."""
        self.chat(user_id).bot_blocked = False
        self.notify()

    def set_outage(self, on: bool, kind: str = "502", sending_only: bool = False) -> None:
        """While on, every Bot API call answers 502 with nginx's HTML page (kind "502"), has
        its connection closed without an answer (kind "drop"), or is held open unanswered
        until the outage ends and then answered 502 (kind "hang"); with `sending_only`, only
        the calls that send or edit (getUpdates still brings what people write)."""
        if kind not in ("502", "drop", "hang"):
            raise ValueError("an outage is '502', 'drop' or 'hang'")
        self.outage, self.outage_kind, self.outage_sending_only = on, kind, sending_only
        self.notify()

    def hold_answers(self, *methods: str) -> None:
        """From now on, calls of `methods` take effect at once but their answers wait (a slow
        network on the way back) until `release_answers`."""
        self.held_answers = frozenset(method.lower() for method in methods)

    def release_answers(self) -> None:
        """The held answers go out now; later calls are answered at once."""
        self.held_answers = frozenset()
        self.notify()

    def unavailable(self, lowered: str) -> bool:
        """Whether an outage keeps this method from being answered now."""
        return self.outage and not (self.outage_sending_only and lowered in READING)

    def set_storm(self, share: float, retry_after: int = 1, seed: int = 0) -> None:
        """From now on, `share` of the calls that send or edit answer 429 with `retry_after`
        (a flood wait); share 0 ends the storm."""
        self.storm = (share, retry_after, random.Random(seed)) if share > 0 else None

    def set_bot_admin(
        self,
        chat_id: int,
        can_manage_topics: bool = True,
        admin: bool = True,
        can_delete_messages: bool = True,
    ) -> None:
        """Change the bot's rights in a group."""
        chat = self.chat(chat_id)
        chat.bot_admin = admin
        chat.bot_can_manage_topics = admin and can_manage_topics
        chat.bot_can_delete_messages = admin and can_delete_messages
        self.notify()

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """A human deletes a forum topic (no update reaches the bot, as in Telegram)."""
        delete_topic(self.state, chat_id, thread_id)
        self.notify()

    async def close_topic(self, user_id: int, chat_id: int, thread_id: int) -> None:
        """A human closes a forum topic; the bot gets the forum_topic_closed service message."""
        chat = self.chat(chat_id)
        topic = self.state.topics.get(chat_id, {}).get(thread_id)
        if topic is None or topic.deleted:
            raise ValueError(f"no live topic {thread_id} in chat {chat_id}")
        topic.closed = True
        msg = self.state.add_message(
            chat,
            self.user(user_id),
            kind="forum_topic_closed",
            thread_id=thread_id,
            service={"forum_topic_closed": {}},
        )
        self._deliver("message", msg)

    async def create_topic(
        self, user_id: int, chat_id: int, name: str, icon_color: int = TOPIC_COLORS[0]
    ) -> int:
        """A human creates a forum topic; the bot gets the forum_topic_created message."""
        chat = self.chat(chat_id)
        if not chat.is_forum:
            raise ValueError(f"chat {chat_id} is not a forum")
        topic = ChatMethods(self.state, self.privacy_mode).open_topic(
            chat, self.user(user_id), name, icon_color, None
        )
        thread_id = int(topic["message_thread_id"])
        self._deliver("message", self.state.messages[chat_id][thread_id])
        return thread_id

    # -- reading -----------------------------------------------------------------------------

    def messages(self, chat_id: int, thread_id: int | None = None) -> list[Message]:
        """Every message of the chat (or of one topic), in order, deleted ones included."""
        return [
            m
            for m in self.state.messages.get(chat_id, {}).values()
            if thread_id is None or m.thread_id == thread_id
        ]

    def bot_messages(
        self, chat_id: int, thread_id: int | None = None, service: bool = False
    ) -> list[Message]:
        """The bot's messages (service messages such as pins only when service=True)."""
        return [
            m
            for m in self.messages(chat_id, thread_id)
            if m.from_bot and (service or not m.is_service)
        ]

    def message(self, chat_id: int, message_id: int) -> Message:
        """One message, deleted or not."""
        msg = self.state.messages.get(chat_id, {}).get(message_id)
        if msg is None:
            raise LookupError(f"no message {message_id} in chat {chat_id}")
        return msg

    @property
    def callback_answers(self) -> dict[str, tuple[str | None, bool]]:
        """callback query id -> (text, show_alert) of the bot's answer."""
        return self.state.callback_answers

    def topics(self, chat_id: int) -> dict[int, Topic]:
        """thread_id -> topic (deleted ones included, flagged)."""
        return dict(self.state.topics.get(chat_id, {}))

    def bot_commands(self, chat_id: int | None = None, language_code: str = "") -> list[JsonDict]:
        """The command menu a chat shows (a private chat unless `chat_id` names a group).

        Resolved as Telegram does: the chat's own scope, then all private (or group) chats,
        then the default scope; a language of its own before the scope's general list.
        """
        language_code = language_code.split("-")[0].lower()  # "pt-br" reads the "pt" menu
        private = chat_id is None or chat_id > 0
        scopes: list[JsonDict] = [] if chat_id is None else [{"type": "chat", "chat_id": chat_id}]
        scopes.append({"type": "all_private_chats" if private else "all_group_chats"})
        scopes.append({"type": "default"})
        for scope in scopes:
            for language in dict.fromkeys((language_code, "")):
                found = self.state.commands.get(commands_key(scope, language))
                if found:
                    return list(found)
        return []

    def pinned(self, chat_id: int) -> list[Message]:
        """Currently pinned messages, oldest first."""
        return [m for m in self.messages(chat_id) if m.pinned]

    def updates_pending(self) -> int:
        """Updates not yet confirmed by the bot through getUpdates' offset."""
        return len(self.state.updates)

    async def wait_for(
        self, predicate: Callable[[], T], timeout: float = 5.0, message: str = "condition not met"
    ) -> T:
        """Wait until predicate() is truthy, re-checking on every change; return its value."""
        result = await self.wait_until(predicate, timeout)
        if not result:
            raise AssertionError(f"{message} within {timeout}s\n{self.dump()}")
        return result  # type: ignore[no-any-return]

    async def wait_for_bot_messages(
        self,
        chat_id: int,
        contains: str | None = None,
        count: int = 1,
        timeout: float = WAIT,
        thread_id: int | None = None,
        after: int | None = None,
    ) -> list[Message]:
        """Wait until the bot has `count` live messages matching; return all matching."""

        def matching() -> list[Message]:
            found = [
                m
                for m in self.bot_messages(chat_id, thread_id)
                if not m.deleted
                and (contains is None or contains in m.text)
                and (after is None or m.message_id > after)
            ]
            return found if len(found) >= count else []

        what = f"{count} bot message(s) in chat {chat_id}" + (
            f" containing {contains!r}" if contains else ""
        )
        return await self.wait_for(matching, timeout, f"expected {what}")

    async def wait_for_bot_message(
        self,
        chat_id: int,
        contains: str | None = None,
        count: int = 1,
        timeout: float = WAIT,
        thread_id: int | None = None,
        after: int | None = None,
    ) -> Message:
        """Wait like wait_for_bot_messages and return the count-th matching message."""
        found = await self.wait_for_bot_messages(
            chat_id, contains, count, timeout, thread_id, after
        )
        return found[count - 1]

    async def wait_for_callback_answer(
        self, query_id: str, timeout: float = 5.0
    ) -> tuple[str | None, bool]:
        """Wait for the bot's answerCallbackQuery; return (text, show_alert)."""
        await self.wait_for(
            lambda: query_id in self.state.callback_answers,
            timeout,
            f"no answerCallbackQuery for {query_id}",
        )
        return self.state.callback_answers[query_id]

    def dump(self, last: int = 10) -> str:
        """The last messages of every chat, for assertion messages."""
        lines = [
            f"  {m!r}"
            for messages in self.state.messages.values()
            for m in list(messages.values())[-last:]
        ]
        return "last messages:\n" + ("\n".join(lines) if lines else "  (none)")
