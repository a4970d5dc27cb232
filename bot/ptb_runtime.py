"""The python-telegram-bot 22 runtime: its handlers route the roles; its Bot sends when embedded.

PTB's Updater, like aiogram's polling, confirms the offset before handlers run, so standalone we
do not use it: our Poller stores updates first, and each stored update is rebuilt with
`Update.de_json` and routed by the role handlers' own `check_update`, inside its transaction.
Embedded, the host's Application runs the same handlers; there a handler only claims the update
into the inbox, and it is handled from there. Handlers stay thin: they call bot.handlers.
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    CallbackQuery,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    ReactionType,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
    TelegramObject,
    Update,
)
from telegram.constants import ChatType
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application, BaseHandler, CallbackQueryHandler, MessageHandler, filters
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

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

_METHODS: dict[str, Callable[..., Awaitable[Any]]] = {
    "sendMessage": Bot.send_message,
    "sendPhoto": Bot.send_photo,
    "answerCallbackQuery": Bot.answer_callback_query,
    "pinChatMessage": Bot.pin_chat_message,
    "editMessageText": Bot.edit_message_text,
    "editMessageReplyMarkup": Bot.edit_message_reply_markup,
    "deleteMessage": Bot.delete_message,
    "deleteMessages": Bot.delete_messages,
    "deleteForumTopic": Bot.delete_forum_topic,
    "sendDocument": Bot.send_document,
    "copyMessage": Bot.copy_message,
    "createForumTopic": Bot.create_forum_topic,
    "setMyCommands": Bot.set_my_commands,
    "deleteMyCommands": Bot.delete_my_commands,
    "setMessageReaction": Bot.set_message_reaction,
    "getChatMember": Bot.get_chat_member,
    "getChat": Bot.get_chat,
    "getMe": Bot.get_me,
    "deleteWebhook": Bot.delete_webhook,
}
_QUERIES = frozenset({"getChatMember", "getChat", "getMe"})
Act = Callable[[UnitOfWork, Env, Json], Awaitable[None]]
Callback = Callable[[Update, Any], Coroutine[Any, Any, None]]


def make_bot(token: str, api_base: str | None) -> tuple[Bot, list[HTTPXRequest]]:
    """A PTB Bot pointed at `api_base`, and the HTTP clients it uses (ours to shut down)."""
    requests = [HTTPXRequest(), HTTPXRequest()]
    if not api_base:
        return Bot(token, request=requests[0], get_updates_request=requests[1]), requests
    base = api_base.rstrip("/")
    bot = Bot(
        token,
        base_url=f"{base}/bot",
        base_file_url=f"{base}/file/bot",
        request=requests[0],
        get_updates_request=requests[1],
    )
    return bot, requests


def _markup(data: Json) -> TelegramObject | None:
    if "inline_keyboard" in data:
        return InlineKeyboardMarkup.de_json(data)
    if "keyboard" in data:
        return ReplyKeyboardMarkup.de_json(data)
    return ReplyKeyboardRemove.de_json(data)


def _typed(params: Json) -> Json:
    """Bot API parameters with the objects PTB's methods expect in place of plain JSON."""
    typed = dict(params)
    for name, value in params.items():
        if isinstance(value, Upload):
            typed[name] = InputFile(value.data, filename=value.filename)
    if "reply_markup" in typed:
        typed["reply_markup"] = _markup(typed["reply_markup"])
    if "reply_parameters" in typed:
        typed["reply_parameters"] = ReplyParameters.de_json(typed["reply_parameters"])
    if "reaction" in typed:
        typed["reaction"] = [ReactionType.de_json(item) for item in typed["reaction"]]
    if "scope" in typed:
        typed["scope"] = BotCommandScope.de_json(typed["scope"])
    if "commands" in typed:
        typed["commands"] = [BotCommand(c["command"], c["description"]) for c in typed["commands"]]
    return typed


def _retry_after(error: RetryAfter) -> float:
    """Seconds to wait; PTB 22 warns on reading it until time periods become timedeltas."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class PtbTransport:
    """Bot API calls through PTB's Bot, with its exceptions mapped to neutral outcomes."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def call(self, method: str, params: Json) -> Outcome:
        """Call `method`; report how it went instead of raising."""
        try:
            result = await _METHODS[method](self.bot, **_typed(params))
        except RetryAfter as error:
            return RetryLater(_retry_after(error), error.message, rate_limited=True)
        except Forbidden as error:
            return Blocked(error.message)
        except (BadRequest, InvalidToken) as error:  # PTB reports a 404 as InvalidToken
            return Rejected(error.message)
        except NetworkError as error:  # 5xx, timeouts and connection trouble
            return RetryLater(1.0, type(error).__name__)
        except TelegramError as error:
            return RetryLater(5.0, f"{type(error).__name__}: {error.message}")
        except (OSError, TimeoutError) as error:
            return RetryLater(1.0, type(error).__name__)
        # Only queries need their answer; sending methods need no copy of what was sent.
        return delivered(result, result.to_dict() if method in _QUERIES else None)


class _Takes(filters.MessageFilter):
    """Messages whose text `takes` accepts (what the host keeps is not hearback's)."""

    def __init__(self, takes: Callable[[str | None], bool]) -> None:
        super().__init__(name=f"hearback.{takes.__name__}")
        self.takes = takes

    def filter(self, message: Message) -> bool:
        return self.takes(message.text)


class ButtonHandler(CallbackQueryHandler[Any, None]):
    """A button press on a message in the chats `where` accepts (PTB's own looks at data only)."""

    def __init__(
        self,
        callback: Callback,
        where: Callable[[CallbackQuery], bool],
    ) -> None:
        super().__init__(callback)
        self.where = where

    def check_update(self, update: object) -> bool:
        """Whether the update is such a press."""
        return (
            isinstance(update, Update)
            and update.callback_query is not None
            and bool(super().check_update(update))
            and self.where(update.callback_query)
        )


@dataclass(frozen=True)
class RoleHandler:
    """A PTB handler for one role, and what hearback does with an update it takes."""

    handler: BaseHandler[Update, Any, None]
    act: Act


def _claimer(claim: Claim | None) -> Callback:
    async def callback(update: Update, context: Any) -> None:
        if claim is not None:
            await claim(update.to_dict())

    return callback


def role_handlers(roles: Roles, claim: Claim | None = None) -> list[RoleHandler]:
    """hearback's handlers in their order: managers and staff groups before anyone else."""
    entry, claimed = roles.entry, _claimer(claim)
    private = filters.ChatType.PRIVATE & _Takes(entry.takes_text)
    managers = filters.User(user_id=roles.manager_ids, allow_empty=False)

    def in_private(query: CallbackQuery) -> bool:
        message = query.message
        return message is not None and message.chat.type == ChatType.PRIVATE

    def manager_press(query: CallbackQuery) -> bool:
        return in_private(query) and query.from_user.id in roles.manager_ids

    def button(where: Callable[[CallbackQuery], bool]) -> ButtonHandler:
        return ButtonHandler(claimed, lambda q: where(q) and entry.takes_button(q.data))

    def staff_press(query: CallbackQuery) -> bool:
        return query.message is not None and query.message.chat.id in roles.staff_chats

    async def staff(uow: UnitOfWork, env: Env, raw: Json) -> None:
        await handlers.on_staff_group(uow, env, raw, roles.directory)

    async def redirect(uow: UnitOfWork, env: Env, raw: Json) -> None:
        await handlers.on_group_command(uow, env, raw, roles.bot_username)

    group_command = (
        filters.UpdateType.MESSAGE
        & filters.ChatType.GROUPS
        & filters.Regex(GROUP_COMMAND)
        & _Takes(entry.takes_command)
    )
    staff_chats = filters.Chat(chat_id=roles.staff_chats, allow_empty=False)
    return [
        RoleHandler(MessageHandler(private & managers, claimed), handlers.on_private),
        RoleHandler(button(manager_press), handlers.on_private),
        RoleHandler(MessageHandler(staff_chats, claimed), staff),
        RoleHandler(ButtonHandler(claimed, staff_press), staff),
        RoleHandler(MessageHandler(private, claimed), handlers.on_private),
        RoleHandler(button(in_private), handlers.on_private),
        RoleHandler(MessageHandler(group_command, claimed), redirect),
    ]


class PtbRuntime:
    """hearback on python-telegram-bot: role handlers for stored updates, and a transport."""

    def __init__(
        self,
        bot: Bot,
        requests: list[HTTPXRequest] | None = None,
        transport: Transport | None = None,
    ) -> None:
        self.bot = bot
        self.transport: Transport = transport or PtbTransport(bot)
        self._requests = requests or []

    @classmethod
    def connect(cls, token: str, api_base: str | None, transport: JsonTransport) -> PtbRuntime:
        """A runtime with a bot of its own; calls go out as plain JSON through `transport`.

        As on aiogram: building PTB's typed objects for every call and every answer costs more
        CPU than the rest of a delivery, and hearback only needs to know how a call went. PTB
        still parses and routes every update. Embedded, the host's Bot sends.
        """
        bot, requests = make_bot(token, api_base)
        return cls(bot, requests, transport)

    def router(self, roles: Roles) -> Route:
        """Rebuilds a stored update and hands it to the first role handler that takes it."""
        table = role_handlers(roles)

        async def route(uow: UnitOfWork, env: Env, raw: Json) -> None:
            try:
                update = Update.de_json(raw, self.bot)
            except Exception:  # a shape PTB does not know yet: the raw JSON still counts
                await handlers.route_raw(uow, env, raw, roles)
                return
            for role in table:
                if role.handler.check_update(update) not in (None, False):
                    await role.act(uow, env, raw)
                    return

        return route

    async def close(self) -> None:
        """Close the bot's HTTP clients if they are ours (not a host's bot)."""
        for request in self._requests:
            await request.shutdown()


class PtbHearback(Hearback):
    """hearback inside a host's python-telegram-bot Application: its handlers in a group the
    host chooses, its workers in the Application's lifecycle. The host's Updater or webhook
    delivers updates; hearback claims its own."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        settings: Settings,
        org: OrgConfig,
        entry: Entry | None = None,
        options: HearbackOptions | None = None,
    ) -> None:
        runtime = PtbRuntime(application.bot)
        super().__init__(settings, org, runtime, entry or Entry.embedded(), options)

    def handlers(self) -> list[BaseHandler[Update, Any, None]]:
        """hearback's handlers, for `application.add_handlers(..., group=...)`."""
        return [role.handler for role in role_handlers(self.roles, self.claim)]

    def run_with(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Start hearback's workers after the host's post_init, stop them in post_stop (while
        the bot can still send), keeping any hooks the host set."""
        post_init, post_stop = application.post_init, application.post_stop

        async def started(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
            if post_init is not None:
                await post_init(app)
            await self.start()

        async def stopped(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
            await self.shutdown()
            if post_stop is not None:
                await post_stop(app)

        application.post_init = started
        application.post_stop = stopped
