"""The emulator's webhook mode: once setWebhook names a URL, updates are POSTed there as
Telegram does: JSON bodies with the X-Telegram-Bot-Api-Secret-Token header, a chat's updates one
at a time and in order, several chats at once (up to max_connections), and any answer but a
2xx retried after a growing pause until it is accepted."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp

from bot.tasks import cancel_and_wait
from sandbox.emulator.state import JsonDict

if TYPE_CHECKING:
    from sandbox.emulator.driver import BotApiEmulator

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_CONNECTIONS = 40  # Telegram's default max_connections
POST_TIMEOUT = 10.0


@dataclass
class WebhookStats:
    """What the webhook deliveries met: answers by HTTP status (0: no answer at all)."""

    answers: Counter[int] = field(default_factory=Counter)
    delivered: int = 0


def chat_key(update: JsonDict) -> Any:
    """Which queue an update waits in: its chat (or its sender), as Telegram keeps them."""
    for name, body in update.items():
        if not isinstance(body, dict):
            continue
        message = body.get("message") if name == "callback_query" else body
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            return message["chat"].get("id")
        if isinstance(body.get("from"), dict):
            return body["from"].get("id")
    return ("update", update.get("update_id"))


class WebhookDelivery:
    """POSTs the emulator's queued updates to its webhook until each is accepted."""

    def __init__(
        self,
        emu: BotApiEmulator,
        first_retry: float = 0.05,
        max_retry: float = 1.0,
    ) -> None:
        self._emu = emu
        self._first_retry = first_retry
        self._max_retry = max_retry
        self.stats = WebhookStats()
        self._inflight: set[int] = set()
        self._busy: set[Any] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None
        self._runner: asyncio.Task[None] | None = None
        self._kick = asyncio.Event()

    def start(self) -> None:
        """Begin delivering (idle while no webhook is set)."""
        if self._runner is None:
            self._runner = asyncio.create_task(self._run(), name="emulator-webhook")

    async def stop(self) -> None:
        """Stop delivering; updates not yet accepted stay queued."""
        await cancel_and_wait(*(t for t in (self._runner, *self._tasks) if t is not None))
        self._runner = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _due(self) -> list[JsonDict]:
        """Updates that may go now: the first waiting one of each idle chat."""
        state = self._emu.state
        if not state.webhook_url:
            return []
        due: list[JsonDict] = []
        seen: set[Any] = set()
        room = state.webhook_max_connections - len(self._inflight)
        for update in state.updates:
            key = chat_key(update)
            if key in seen:
                continue
            seen.add(key)
            if key in self._busy or update["update_id"] in self._inflight:
                continue
            if len(due) >= room:
                break
            due.append(update)
        return due

    async def _run(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=POST_TIMEOUT))
        while True:
            version = self._emu.version
            for update in self._due():
                key = chat_key(update)
                self._busy.add(key)
                self._inflight.add(update["update_id"])
                task = asyncio.create_task(self._deliver(update, key))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            if self._emu.version == version:
                self._kick.clear()
                await self._kick.wait()

    def kick(self) -> None:
        """Something changed: there may be updates to deliver."""
        self._kick.set()

    async def _deliver(self, update: JsonDict, key: Any) -> None:
        pause = self._first_retry
        try:
            while True:
                state = self._emu.state
                url, secret = state.webhook_url, state.webhook_secret
                if not url:
                    return  # deleteWebhook: the update waits for getUpdates
                status = await self._post(url, secret, update)
                self.stats.answers[status] += 1
                if 200 <= status < 300:
                    with contextlib.suppress(ValueError):
                        self._emu.state.updates.remove(update)
                    self.stats.delivered += 1
                    return
                await asyncio.sleep(pause)  # Telegram's growing pause between retries
                pause = min(self._max_retry, pause * 2)
        finally:
            self._busy.discard(key)
            self._inflight.discard(update["update_id"])
            self._emu.notify()

    async def _post(self, url: str, secret: str, update: JsonDict) -> int:
        assert self._session is not None
        headers = {SECRET_HEADER: secret} if secret else {}
        try:
            async with self._session.post(url, json=update, headers=headers) as answer:
                await answer.read()
                return answer.status
        except (aiohttp.ClientError, OSError, TimeoutError):
            return 0
