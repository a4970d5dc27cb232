"""The aiogram 3 runtime: its Dispatcher and routers for roles (calls go out via bot.json_transport).

aiogram confirms the polling offset before handlers run, so we do not use its polling: our
Poller stores updates first, and the InboxProcessor feeds each stored update to the Dispatcher
inside that update's transaction. Handlers stay thin: they pass the raw update to bot.handlers.
"""

from __future__ import annotations

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ChatType
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.magic_filter import MagicFilter

from bot import handlers
from bot.staff_directory import StaffDirectory
from bot.transport import Json
from flows.env import Env
from flows.ports import UnitOfWork


def make_bot(token: str, api_base: str | None) -> Bot:
    """An aiogram Bot, pointed at `api_base` (a self-hosted Bot API server or the emulator).

    Handlers receive it with each update; hearback itself calls the Bot API through its transport.
    """
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base)) if api_base else None
    return Bot(token=token, session=session)


class Where(Filter):
    """A magic filter (`F...`) checked in the event loop.

    aiogram hands a plain callable filter to a worker thread (asyncio.to_thread) on every
    update; a filter that only reads the update's fields costs far less than that trip.
    """

    def __init__(self, magic: MagicFilter) -> None:
        self._magic = magic

    async def __call__(self, event: TelegramObject) -> bool:
        return bool(self._magic.resolve(event))


def customer_router() -> Router:
    """Everything that happens in a private chat with the bot."""
    router = Router(name="customer")
    private = Where(F.chat.type == ChatType.PRIVATE)

    @router.message(private)
    @router.edited_message(private)
    async def on_message(message: Message, uow: UnitOfWork, env: Env, raw: Json) -> None:
        await handlers.on_private(uow, env, raw)

    @router.callback_query(Where(F.message.chat.type == ChatType.PRIVATE))
    async def on_button(query: CallbackQuery, uow: UnitOfWork, env: Env, raw: Json) -> None:
        await handlers.on_private(uow, env, raw)

    return router


def staff_router(staff_chats: frozenset[int], directory: StaffDirectory) -> Router:
    """Everything that happens in a team's staff group; button presses are re-authorised."""
    router = Router(name="staff")

    in_staff_chat = Where(F.chat.id.in_(staff_chats))

    @router.message(in_staff_chat)
    @router.edited_message(in_staff_chat)
    async def on_message(message: Message, uow: UnitOfWork, env: Env, raw: Json) -> None:
        # Telegram delivers a group's messages only from its members: the writer is staff.
        await handlers.on_staff_group(uow, env, raw, is_staff=True)

    @router.callback_query(Where(F.message.chat.id.in_(staff_chats)))
    async def on_button(query: CallbackQuery, uow: UnitOfWork, env: Env, raw: Json) -> None:
        assert query.message is not None
        allowed = await directory.is_staff(query.message.chat.id, query.from_user.id)
        await handlers.on_staff_group(uow, env, raw, is_staff=allowed)

    return router


def group_router(bot_username: str) -> Router:
    """Customer commands typed in a group that is not a staff group."""
    router = Router(name="group")
    in_group = Where(F.chat.type.in_({ChatType.GROUP, ChatType.SUPERGROUP}))
    customer_command = Where(F.text.regexp(r"^/(start|new|status|cases|help)(@\w+)?(\s|$)"))

    @router.message(in_group, customer_command)
    async def on_command(message: Message, uow: UnitOfWork, env: Env, raw: Json) -> None:
        await handlers.on_group_command(uow, env, raw, bot_username)

    return router


def build_dispatcher(
    bot_username: str, staff_chats: frozenset[int], directory: StaffDirectory
) -> Dispatcher:
    """The Dispatcher with one router per role; staff groups come before any other group."""
    # Conversation state is hearback's own (stored with the update's transaction), and updates
    # are already handled one by one: aiogram's FSM and its event isolation have nothing to do.
    dispatcher = Dispatcher(disable_fsm=True)
    dispatcher.include_routers(
        customer_router(), staff_router(staff_chats, directory), group_router(bot_username)
    )
    return dispatcher
