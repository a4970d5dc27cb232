"""Runtime-neutral handlers: a raw update in a unit of work → one service call. No business rules here."""

from __future__ import annotations

from bot.staff_directory import StaffDirectory
from bot.translate import Json, group_update, private_update
from flows import customer_service, group_service, manager_service, staff_service
from flows.env import Env
from flows.ports import UnitOfWork


async def on_private(uow: UnitOfWork, env: Env, raw: Json) -> None:
    """Something a customer did in their private chat with the bot."""
    update = private_update(raw)
    if update is not None and not await manager_service.handle(uow, env, update):
        await customer_service.handle_private(uow, env, update)


async def on_staff_group(uow: UnitOfWork, env: Env, raw: Json, directory: StaffDirectory) -> None:
    """Something a person did in a team's staff group; a button press is authorised again."""
    update = group_update(raw, await _is_staff(raw, directory))
    if update is not None:
        await staff_service.handle_group(uow, env, update)


async def _is_staff(raw: Json, directory: StaffDirectory) -> bool:
    query = raw.get("callback_query")
    if query is None:
        # Telegram delivers a group's messages only from its members: the writer is staff.
        return True
    chat = (query.get("message") or {}).get("chat") or {}
    return "id" in chat and await directory.is_staff(int(chat["id"]), int(query["from"]["id"]))


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


async def on_failed_update(uow: UnitOfWork, env: Env, raw: Json) -> None:
    """An update that kept failing: apologise to the person instead of staying silent."""
    update = private_update(raw)
    if update is not None:
        await customer_service.apologise(uow, env, update)
