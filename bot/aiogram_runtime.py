"""The aiogram 3 runtime: its Dispatcher and a router per role; its Bot sends when embedded.

aiogram confirms the polling offset before handlers run, so standalone we do not use its
polling: our Poller stores updates first, and the InboxProcessor feeds each stored update to a
Dispatcher inside that update's transaction. Embedded, the host's Dispatcher runs the same
routers; there a handler only claims the update into the inbox, and it is handled from there.
Handlers stay thin: they pass the raw update to bot.handlers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot, Dispatcher, F, Router, methods
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ChatType
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.filters import Filter
from aiogram.types import BufferedInputFile, CallbackQuery, Message, TelegramObject, Update
from aiogram.utils.magic_filter import MagicFilter

from bot import handlers
from bot.app import Hearback, HearbackOptions
from bot.json_transport import JsonTransport
from bot.roles import GROUP_COMMAND, Entry, Roles
from bot.runtime import Claim, Route
from bot.settings import Settings
from bot.transport import (
    Blocked,
    Json,
    Outcome,
    Rejected,
    RetryLater,
    Transport,
    Upload,
    delivered,
)
from flows.config import OrgConfig
from flows.env import Env
from flows.ports import UnitOfWork

_METHODS: dict[str, type[methods.TelegramMethod[Any]]] = {
    "sendMessage": methods.SendMessage,
    "sendPhoto": methods.SendPhoto,
    "answerCallbackQuery": methods.AnswerCallbackQuery,
    "pinChatMessage": methods.PinChatMessage,
    "editMessageText": methods.EditMessageText,
    "editMessageReplyMarkup": methods.EditMessageReplyMarkup,
    "deleteMessage": methods.DeleteMessage,
    "deleteMessages": methods.DeleteMessages,
    "deleteForumTopic": methods.DeleteForumTopic,
    "sendDocument": methods.SendDocument,
    "copyMessage": methods.CopyMessage,
    "createForumTopic": methods.CreateForumTopic,
    "setMyCommands": methods.SetMyCommands,
    "deleteMyCommands": methods.DeleteMyCommands,
    "setMessageReaction": methods.SetMessageReaction,
    "getChatMember": methods.GetChatMember,
    "getChat": methods.GetChat,
    "getMe": methods.GetMe,
    "deleteWebhook": methods.DeleteWebhook,
}

_QUERIES = frozenset({"getChatMember", "getChat", "getMe"})


def make_bot(token: str, api_base: str | None) -> Bot:
    """An aiogram Bot, pointed at `api_base` (a self-hosted Bot API server or the emulator)."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base)) if api_base else None
    return Bot(token=token, session=session)


class Where(Filter):
    """A magic filter (`F...`) checked in the event loop.

    aiogram hands a plain callable filter to a worker thread on every update; a filter that
    only reads the update's fields costs far less than that trip.
    """

    def __init__(self, magic: MagicFilter) -> None:
        self._magic = magic

    async def __call__(self, event: TelegramObject) -> bool:
        return bool(self._magic.resolve(event))


class AiogramTransport:
    """Bot API calls through aiogram, with its exceptions mapped to neutral outcomes."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def call(self, method: str, params: Json) -> Outcome:
        """Call `method`; report how it went instead of raising."""
        typed = {
            name: BufferedInputFile(value.data, value.filename)
            if isinstance(value, Upload)
            else value
            for name, value in params.items()
        }
        try:
            result = await self.bot(_METHODS[method](**typed))
        except TelegramRetryAfter as error:
            return RetryLater(float(error.retry_after), error.message, rate_limited=True)
        except TelegramForbiddenError as error:
            return Blocked(error.message)
        except (TelegramBadRequest, TelegramNotFound) as error:
            return Rejected(error.message)
        except (TelegramServerError, TelegramNetworkError, ClientDecodeError) as error:
            return RetryLater(1.0, type(error).__name__)
        except TelegramAPIError as error:
            return RetryLater(5.0, f"{type(error).__name__}: {error.message}")
        except (OSError, TimeoutError) as error:
            return RetryLater(1.0, type(error).__name__)
        # Only queries need their answer; sending methods need no copy of what was sent.
        return delivered(
            result,
            result.model_dump(mode="json", exclude_none=True) if method in _QUERIES else None,
        )


def _raw(update: Update) -> Json:
    """The update as the Bot API's JSON, as the inbox stores it."""
    return update.model_dump(mode="json", exclude_none=True, by_alias=True)


Act = Callable[[UnitOfWork, Env, Json], Awaitable[None]]


def _handler(act: Act, claim: Claim | None) -> Callable[..., Awaitable[None]]:
    """A router handler: acts on an update fed from the inbox, claims one from the host's polling."""

    async def handle(
        event: TelegramObject,
        event_update: Update,
        uow: UnitOfWork | None = None,
        env: Env | None = None,
        raw: Json | None = None,
    ) -> None:
        if uow is not None and env is not None and raw is not None:
            await act(uow, env, raw)
        elif claim is not None:
            await claim(_raw(event_update))

    return handle


def _takes_text(entry: Entry) -> Callable[[Message], Awaitable[bool]]:
    async def takes(message: Message) -> bool:
        return entry.takes_text(message.text)

    return takes


def _takes_button(entry: Entry) -> Callable[[CallbackQuery], Awaitable[bool]]:
    async def takes(query: CallbackQuery) -> bool:
        return entry.takes_button(query.data)

    return takes


def manager_router(roles: Roles, claim: Claim | None = None) -> Router:
    """What a configured manager does in their private chat with the bot."""
    router = Router(name="hearback-manager")
    private = Where(F.chat.type == ChatType.PRIVATE)
    manager = Where(F.from_user.id.in_(roles.manager_ids))
    handle = _handler(handlers.on_private, claim)
    router.message(private, manager, _takes_text(roles.entry))(handle)
    router.edited_message(private, manager, _takes_text(roles.entry))(handle)
    pressed_in_private = Where(F.message.chat.type == ChatType.PRIVATE)
    router.callback_query(pressed_in_private, manager, _takes_button(roles.entry))(handle)
    return router


def staff_router(roles: Roles, claim: Claim | None = None) -> Router:
    """Everything in a team's staff group; button presses are re-authorised by the handler."""
    router = Router(name="hearback-staff")
    staff_chat = Where(F.chat.id.in_(roles.staff_chats))

    async def act(uow: UnitOfWork, env: Env, raw: Json) -> None:
        await handlers.on_staff_group(uow, env, raw, roles.directory)

    handle = _handler(act, claim)
    router.message(staff_chat)(handle)
    router.edited_message(staff_chat)(handle)
    router.callback_query(Where(F.message.chat.id.in_(roles.staff_chats)))(handle)
    return router


def customer_router(roles: Roles, claim: Claim | None = None) -> Router:
    """A customer's private chat, and customer commands typed in other groups."""
    router = Router(name="hearback-customer")
    private = Where(F.chat.type == ChatType.PRIVATE)
    handle = _handler(handlers.on_private, claim)
    router.message(private, _takes_text(roles.entry))(handle)
    router.edited_message(private, _takes_text(roles.entry))(handle)
    pressed_in_private = Where(F.message.chat.type == ChatType.PRIVATE)
    router.callback_query(pressed_in_private, _takes_button(roles.entry))(handle)

    async def redirect(uow: UnitOfWork, env: Env, raw: Json) -> None:
        await handlers.on_group_command(uow, env, raw, roles.bot_username)

    in_group = Where(F.chat.type.in_({ChatType.GROUP, ChatType.SUPERGROUP}))
    takes = Where(F.text.func(roles.entry.takes_command))
    router.message(in_group, Where(F.text.regexp(GROUP_COMMAND)), takes)(_handler(redirect, claim))
    return router


def role_routers(roles: Roles, claim: Claim | None = None) -> list[Router]:
    """The routers in their order: managers and staff groups before anyone else."""
    return [manager_router(roles, claim), staff_router(roles, claim), customer_router(roles, claim)]


class AiogramRuntime:
    """hearback on aiogram: a Dispatcher of role routers for stored updates, and a transport."""

    def __init__(self, bot: Bot, transport: Transport | None = None) -> None:
        self.bot = bot
        self.transport: Transport = transport or AiogramTransport(bot)

    @classmethod
    def connect(cls, token: str, api_base: str | None, transport: JsonTransport) -> AiogramRuntime:
        """A runtime with a bot of its own; calls go out as plain JSON through `transport`.

        aiogram's typed method objects and answer validation cost more CPU than the rest of a
        delivery, and hearback only needs to know how a call went. Embedded, the host's Bot
        sends (its session, its proxy settings).
        """
        return cls(make_bot(token, api_base), transport)

    def router(self, roles: Roles) -> Route:
        """Feeds a stored update to a Dispatcher of hearback's routers, with its unit of work."""
        # Conversation state is hearback's own (stored with the update's transaction), and
        # stored updates are fed one by one: aiogram's FSM has nothing to do here.
        dispatcher = Dispatcher(disable_fsm=True)
        dispatcher.include_routers(*role_routers(roles))

        async def route(uow: UnitOfWork, env: Env, raw: Json) -> None:
            try:
                update = Update.model_validate(raw, context={"bot": self.bot})
            except Exception:  # a shape aiogram does not know yet: the raw JSON still counts
                await handlers.route_raw(uow, env, raw, roles)
                return
            # feed_update, not feed_raw_update: that one logs a failure with its message,
            # which can quote what the customer wrote; the inbox logs it without.
            await dispatcher.feed_update(self.bot, update, uow=uow, env=env, raw=raw)

        return route

    async def close(self) -> None:
        """Close the bot's HTTP session if it is ours (not a host's bot)."""
        if isinstance(self.transport, JsonTransport):
            await self.bot.session.close()


class AiogramHearback(Hearback):
    """hearback inside a host's aiogram bot: its routers in their Dispatcher, its workers in
    their lifecycle. The host's polling or webhook delivers updates; hearback claims its own."""

    def __init__(
        self,
        bot: Bot,
        settings: Settings,
        org: OrgConfig,
        entry: Entry | None = None,
        options: HearbackOptions | None = None,
    ) -> None:
        super().__init__(settings, org, AiogramRuntime(bot), entry or Entry.embedded(), options)

    def routers(self) -> list[Router]:
        """hearback's manager, staff and customer routers, to include in the host's Dispatcher."""
        return role_routers(self.roles, self.claim)

    def run_with(self, dispatcher: Dispatcher) -> None:
        """Start hearback's workers when the host's Dispatcher starts, stop them when it stops."""
        dispatcher.startup.register(self.start)
        dispatcher.shutdown.register(self.shutdown)
