"""The aiogram 3 runtime: its Bot as our transport, its Dispatcher and routers for roles.

aiogram confirms the polling offset before handlers run, so we do not use its polling: our
Poller stores updates first, and the InboxProcessor feeds each stored update to the Dispatcher
inside that update's transaction. Handlers stay thin: they pass the raw update to bot.handlers.
"""

from __future__ import annotations

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
from aiogram.types import CallbackQuery, Message

from bot import handlers
from bot.staff_directory import StaffDirectory
from bot.transport import Blocked, Delivered, Json, Outcome, Rejected, RetryLater
from flows.env import Env
from flows.ports import UnitOfWork

_METHODS: dict[str, type[methods.TelegramMethod[Any]]] = {
    "sendMessage": methods.SendMessage,
    "answerCallbackQuery": methods.AnswerCallbackQuery,
    "pinChatMessage": methods.PinChatMessage,
    "editMessageText": methods.EditMessageText,
    "editMessageReplyMarkup": methods.EditMessageReplyMarkup,
    "deleteMessage": methods.DeleteMessage,
    "copyMessage": methods.CopyMessage,
    "createForumTopic": methods.CreateForumTopic,
    "setMyCommands": methods.SetMyCommands,
    "setMessageReaction": methods.SetMessageReaction,
    "getChatMember": methods.GetChatMember,
    "getChat": methods.GetChat,
}

_QUERIES = frozenset({"getChatMember", "getChat"})


def make_bot(token: str, api_base: str | None) -> Bot:
    """An aiogram Bot, pointed at `api_base` (a self-hosted Bot API server or the emulator)."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base)) if api_base else None
    return Bot(token=token, session=session)


class AiogramTransport:
    """Bot API calls through aiogram, with its exceptions mapped to neutral outcomes."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def call(self, method: str, params: Json) -> Outcome:
        """Call `method`; report how it went instead of raising."""
        try:
            result = await self.bot(_METHODS[method](**params))
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
        message_id = getattr(result, "message_id", None)
        thread_id = getattr(result, "message_thread_id", None)
        return Delivered(
            message_id if isinstance(message_id, int) else None,
            thread_id if isinstance(thread_id, int) else None,
            # Only queries need their answer; sending methods need no copy of what was sent.
            result.model_dump(mode="json", exclude_none=True) if method in _QUERIES else None,
        )

    async def get_updates(self, offset: int | None, timeout: int) -> list[Json]:
        """Long-poll for updates, returned as the Bot API's raw JSON objects."""
        updates = await self.bot(
            methods.GetUpdates(offset=offset, timeout=timeout), request_timeout=timeout + 10
        )
        return [u.model_dump(mode="json", exclude_none=True, by_alias=True) for u in updates]


def customer_router() -> Router:
    """Everything that happens in a private chat with the bot."""
    router = Router(name="customer")
    private = F.chat.type == ChatType.PRIVATE

    @router.message(private)
    @router.edited_message(private)
    async def on_message(message: Message, uow: UnitOfWork, env: Env, raw: Json) -> None:
        await handlers.on_private(uow, env, raw)

    @router.callback_query(F.message.chat.type == ChatType.PRIVATE)
    async def on_button(query: CallbackQuery, uow: UnitOfWork, env: Env, raw: Json) -> None:
        await handlers.on_private(uow, env, raw)

    return router


def staff_router(staff_chats: frozenset[int], directory: StaffDirectory) -> Router:
    """Everything that happens in a team's staff group; button presses are re-authorised."""
    router = Router(name="staff")

    @router.message(F.chat.id.in_(staff_chats))
    @router.edited_message(F.chat.id.in_(staff_chats))
    async def on_message(message: Message, uow: UnitOfWork, env: Env, raw: Json) -> None:
        # Telegram delivers a group's messages only from its members: the writer is staff.
        await handlers.on_staff_group(uow, env, raw, is_staff=True)

    @router.callback_query(F.message.chat.id.in_(staff_chats))
    async def on_button(query: CallbackQuery, uow: UnitOfWork, env: Env, raw: Json) -> None:
        assert query.message is not None
        allowed = await directory.is_staff(query.message.chat.id, query.from_user.id)
        await handlers.on_staff_group(uow, env, raw, is_staff=allowed)

    return router


def group_router(bot_username: str) -> Router:
    """Customer commands typed in a group that is not a staff group."""
    router = Router(name="group")
    in_group = F.chat.type.in_({ChatType.GROUP, ChatType.SUPERGROUP})
    customer_command = F.text.regexp(r"^/(start|new|status|cases|help)(@\w+)?(\s|$)")

    @router.message(in_group, customer_command)
    async def on_command(message: Message, uow: UnitOfWork, env: Env, raw: Json) -> None:
        await handlers.on_group_command(uow, env, raw, bot_username)

    return router


def build_dispatcher(
    bot_username: str, staff_chats: frozenset[int], directory: StaffDirectory
) -> Dispatcher:
    """The Dispatcher with one router per role; staff groups come before any other group."""
    dispatcher = Dispatcher()
    dispatcher.include_routers(
        customer_router(), staff_router(staff_chats, directory), group_router(bot_username)
    )
    return dispatcher
