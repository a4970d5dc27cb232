"""Services for group chats that are not staff groups."""

from __future__ import annotations

from flows.env import Env
from flows.messages import Say
from flows.ports import UnitOfWork


async def redirect_to_private(
    uow: UnitOfWork,
    env: Env,
    chat_id: int,
    thread_id: int | None,
    language: str,
    bot_username: str,
) -> None:
    """Complaints are private: say so in the group, with a link to the private chat."""
    link = f"https://t.me/{bot_username}?start=complaint"
    say = Say(
        chat_id=chat_id,
        key="group-private-only",
        language=language,
        params={"link": link},
        thread_id=thread_id,
    )
    await uow.outbox.add(say, env.now)
