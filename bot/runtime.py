"""What a Telegram framework supplies to hearback, and how `HEARBACK_RUNTIME` picks one.

A runtime gives a Transport (plain JSON standalone, the host's Bot embedded) and routes a
stored update to the role handlers through its own dispatching (aiogram's Dispatcher,
python-telegram-bot's handlers). Everything else, inbox, outbox, timers, translation and
texts, is shared.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal, Protocol

from bot.json_transport import JsonTransport
from bot.roles import Roles
from bot.transport import Json, Transport
from flows.env import Env
from storage.unit_of_work import SqlUnitOfWork

RuntimeName = Literal["aiogram", "ptb"]
RUNTIMES: tuple[RuntimeName, ...] = ("aiogram", "ptb")
Route = Callable[[SqlUnitOfWork, Env, Json], Awaitable[None]]
Claim = Callable[[Json], Awaitable[None]]


class Runtime(Protocol):
    """One Telegram framework, as hearback uses it."""

    @property
    def transport(self) -> Transport:
        """What makes Bot API calls, with neutral outcomes."""
        ...

    def router(self, roles: Roles) -> Route:
        """Handles one stored update in its unit of work, through the framework's routing."""
        ...

    async def close(self) -> None:
        """Release what the runtime opened (not a bot the host owns)."""
        ...


def standalone(
    name: RuntimeName, token: str, api_base: str | None, transport: JsonTransport
) -> Runtime:
    """The runtime `name` with a bot of its own for `token` at `api_base`, sending through
    `transport` (made for the same token and server)."""
    if name == "ptb":
        from bot.ptb_runtime import PtbRuntime

        return PtbRuntime.connect(token, api_base, transport)
    from bot.aiogram_runtime import AiogramRuntime

    return AiogramRuntime.connect(token, api_base, transport)
