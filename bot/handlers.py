"""Runtime-neutral handlers: a raw update in a unit of work → one service call. No business rules here.

`look_up` runs before an update's transaction opens: what needs Telegram (staff membership) is
asked there, so nothing inside a transaction waits on the network.
"""

from __future__ import annotations

from typing import Any

from bot.roles import GROUP_COMMAND, Roles
from bot.staff_directory import StaffDirectory
from bot.translate import Json, group_update, private_update
from flows import customer_service, group_service, manager_service, staff_service
from flows.env import Env
from flows.incoming import Pressed, Unsupported, Update
from flows.model import Profile
from flows.ports import UnitOfWork


async def on_private(uow: UnitOfWork, env: Env, raw: Json) -> None:
    """Something a customer did in their private chat with the bot."""
    update = private_update(raw)
    if update is not None and not await manager_service.handle(uow, env, update):
        await customer_service.handle_private(uow, env, update)


async def on_staff_group(uow: UnitOfWork, env: Env, raw: Json, directory: StaffDirectory) -> None:
    """Something a person did in a team's staff group; a button press is authorised again."""
    update = group_update(raw, _is_staff(raw, directory))
    if update is not None:
        await staff_service.handle_group(uow, env, update)


def _presser(raw: Json) -> tuple[int, int] | None:
    """The staff group and the person of a button press, if the update is one."""
    query = raw.get("callback_query")
    if not isinstance(query, dict):
        return None
    chat = (query.get("message") or {}).get("chat") or {}
    chat_id, user_id = _int(chat.get("id")), _int((query.get("from") or {}).get("id"))
    return None if chat_id is None or user_id is None else (chat_id, user_id)


def _is_staff(raw: Json, directory: StaffDirectory) -> bool:
    presser = _presser(raw)
    if "callback_query" not in raw:
        # Telegram delivers a group's messages only from its members: the writer is staff.
        return True
    return presser is not None and directory.known(*presser)


async def look_up(raw: Json, directory: StaffDirectory) -> None:
    """What handling `raw` will need from Telegram, asked before its transaction opens."""
    presser = _presser(raw)
    if presser is not None:
        await directory.look_up(*presser)


async def on_group_command(uow: UnitOfWork, env: Env, raw: Json, bot_username: str) -> None:
    """A customer command used in a group: point the person to the private chat."""
    message = raw["message"]
    language = env.language_for((message.get("from") or {}).get("language_code"))
    await group_service.redirect_to_private(
        uow,
        env,
        int(message["chat"]["id"]),
        message.get("message_thread_id"),
        language,
        bot_username,
    )


async def route_raw(uow: UnitOfWork, env: Env, raw: Json, roles: Roles) -> None:
    """Route an update by its raw JSON alone: for what the framework cannot parse (a shape
    Telegram added since), so that what the person sent is still handled."""
    query = raw.get("callback_query")
    edited = raw.get("edited_message")
    message = query.get("message") if isinstance(query, dict) else edited or raw.get("message")
    if not isinstance(message, dict):
        return  # an update kind hearback does not handle: ignored, never fatal
    chat = message.get("chat") or {}
    chat_id = _int(chat.get("id"))
    if chat_id is None:
        return
    if chat_id in roles.staff_chats:
        await on_staff_group(uow, env, raw, roles.directory)
    elif chat.get("type") == "private":
        text = message.get("text") if query is None else None
        data = query.get("data") if isinstance(query, dict) else None
        if roles.entry.takes_text(text) if query is None else roles.entry.takes_button(data):
            await on_private(uow, env, roles.entry.rewritten(raw))
    elif query is None and edited is None and chat.get("type") in ("group", "supergroup"):
        text = message.get("text")
        if isinstance(text, str) and GROUP_COMMAND.match(text) and roles.entry.takes_command(text):
            await on_group_command(uow, env, raw, roles.bot_username)


async def on_failed_update(uow: UnitOfWork, env: Env, raw: Json) -> None:
    """An update that kept failing: apologise to the person instead of staying silent.

    Read defensively from the raw JSON: the update may be the very thing that is broken.
    """
    target = apology_target(raw)
    if target is None:
        return
    user_id, language, callback_id = target
    event = (
        Pressed(data="", callback_id=callback_id, message_id=None)
        if callback_id is not None
        else Unsupported(kind="other", message_id=0)
    )
    profile = Profile(telegram_id=user_id, first_name="", language_code=language)
    await customer_service.apologise(uow, env, Update(profile, user_id, event))


def apology_target(raw: Any) -> tuple[int, str | None, str | None] | None:
    """Whom to apologise to for `raw`: (private chat, language, button press id), if anyone."""
    if not isinstance(raw, dict):
        return None
    for kind in ("message", "edited_message", "callback_query"):
        item = raw.get(kind)
        if not isinstance(item, dict):
            continue
        sender = item.get("from")
        message = item.get("message") if kind == "callback_query" else item
        chat = message.get("chat") if isinstance(message, dict) else None
        if not isinstance(sender, dict) or not isinstance(chat, dict):
            return None
        user_id, chat_id = _int(sender.get("id")), _int(chat.get("id"))
        # Only a private chat: staff in a group are told by the logs, not by the bot.
        if user_id is None or chat_id != user_id or chat.get("type") != "private":
            return None
        language = sender.get("language_code")
        callback_id = item.get("id") if kind == "callback_query" else None
        return (
            user_id,
            language if isinstance(language, str) else None,
            str(callback_id) if isinstance(callback_id, str | int) else None,
        )
    return None


def _int(value: Any) -> int | None:
    """An id as Telegram sends it (a number), else None; never a bool or text."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
