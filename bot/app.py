"""The composition root: settings → database → unit-of-work factory → runtime. No import-time side effects.

`hearback run`, `hearback demo` and the end-to-end tests all build the bot here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import dataclass, field

from aiogram import Dispatcher

from bot import handlers
from bot.aiogram_runtime import build_dispatcher, make_bot
from bot.clock import Clock, SystemClock
from bot.i18n import Renderer
from bot.inbox import InboxProcessor, Poller
from bot.json_transport import JsonTransport
from bot.limits import Limiter, SendLimits
from bot.scheduler import Scheduler, TimerHandler
from bot.sender import Sender
from bot.settings import Settings
from bot.staff_directory import StaffDirectory, staff_group_problems
from bot.transport import Delivered, Json
from flows import case_timers, escalation, followup
from flows.config import OrgConfig
from flows.customer_service import TIMER_DRAFT_DROP, TIMER_DRAFT_REMIND, fire_draft_timer
from flows.env import Env
from storage.database import Database
from storage.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)
COMMANDS = (
    ("new", "File a complaint"),
    ("status", "My cases"),
    ("manager", "Talk to a manager"),
    ("help", "Help"),
    ("cancel", "Cancel"),
)
MANAGER_COMMANDS = (
    ("reviews", "Review items waiting for your answer"),
    ("done", "Stop writing to a customer"),
    *COMMANDS,
)
STAFF_COMMANDS = (
    ("queue", "Cases nobody has taken, oldest first"),
    ("mine", "My open cases"),
    ("case", "One case: /case HB-XXXXXX"),
    ("note", "Internal note in a case topic"),
    ("help", "How this group works"),
)


def timer_handlers() -> dict[str, TimerHandler]:
    """Which service fires which kind of timer."""
    handlers: dict[str, TimerHandler] = {
        TIMER_DRAFT_REMIND: fire_draft_timer,
        TIMER_DRAFT_DROP: fire_draft_timer,
        case_timers.PAGE: escalation.page_next,
    }
    handlers.update(dict.fromkeys(case_timers.CASE_KINDS, followup.fire))
    return handlers


@dataclass
class App:
    """A running hearback: poller, inbox processor, outbox sender and timer scheduler."""

    settings: Settings
    org: OrgConfig
    clock: Clock = field(default_factory=SystemClock)
    limits: SendLimits = field(default_factory=SendLimits)
    poll_timeout: int = 25
    tick_interval: float = 1.0

    def __post_init__(self) -> None:
        self.db = Database(self.settings.database_url)
        self.bot = make_bot(self.settings.token(), self.settings.telegram_api_base)
        # aiogram routes updates; calls go out as plain JSON (see bot.json_transport).
        self.transport = JsonTransport(self.settings.token(), self.settings.telegram_api_base)
        self.renderer = Renderer(self.org.organisation.tz)
        self.bot_username = "hearback_bot"
        self.staff = StaffDirectory(self.transport, self.org)
        self.dispatcher = self._dispatcher()
        self.sender = Sender(
            self.db.uow, self.transport, self.renderer, self.clock, Limiter(self.limits), self.env
        )
        self.processor = InboxProcessor(
            self.db.uow, self._handle, self._failed, self.clock, self.sender.wake
        )
        self.poller = Poller(self.db.uow, self.transport, self.processor.wake, self.poll_timeout)
        self.scheduler = Scheduler(
            self.db.uow,
            timer_handlers(),
            self.env,
            self.clock,
            self.sender.wake,
            self.tick_interval,
        )
        self.stop = asyncio.Event()

    def _dispatcher(self) -> Dispatcher:
        return build_dispatcher(self.bot_username, self.org.staff_chat_ids, self.staff)

    def env(self) -> Env:
        """The service environment for one update or timer: the time is read here, once."""
        return Env(config=self.org, now=self.clock.now(), random_bytes=secrets.token_bytes)

    async def _handle(self, uow: SqlUnitOfWork, raw: Json) -> None:
        await self.dispatcher.feed_raw_update(self.bot, raw, uow=uow, env=self.env(), raw=raw)

    async def _failed(self, uow: SqlUnitOfWork, raw: Json) -> None:
        await handlers.on_failed_update(uow, self.env(), raw)

    async def prepare(self) -> None:
        """Apply migrations and introduce ourselves to Telegram (retrying while it is unreachable)."""
        await self.db.migrate()
        delay = 1.0
        while not self.stop.is_set():
            me = await self.transport.call("getMe", {})
            if isinstance(me, Delivered) and isinstance(me.result, dict):
                break
            log.warning("Telegram is not reachable yet (%s); retrying in %.0fs", me, delay)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self.stop.wait()
            delay = min(30.0, delay * 2)
        else:
            return
        self.bot_username = me.result.get("username") or self.bot_username
        self.dispatcher = self._dispatcher()
        await self._check_staff_groups(int(me.result["id"]))
        await self._set_commands()
        await self.transport.call("deleteWebhook", {"drop_pending_updates": False})

    async def _set_commands(self) -> None:
        """The "/" menu: customer commands in private chats, staff commands in staff groups."""
        private = [{"command": name, "description": text} for name, text in COMMANDS]
        await self.transport.call(
            "setMyCommands", {"commands": private, "scope": {"type": "all_private_chats"}}
        )
        staff = [{"command": name, "description": text} for name, text in STAFF_COMMANDS]
        for chat_id in sorted(self.org.staff_chat_ids):
            scope = {"type": "chat", "chat_id": chat_id}
            await self.transport.call("setMyCommands", {"commands": staff, "scope": scope})
        managers = [{"command": name, "description": text} for name, text in MANAGER_COMMANDS]
        for manager in self.org.managers:
            scope = {"type": "chat", "chat_id": manager.telegram_id}
            await self.transport.call("setMyCommands", {"commands": managers, "scope": scope})

    async def _check_staff_groups(self, bot_id: int) -> None:
        """Say plainly, once at start, which staff group is not ready for case topics."""
        for team in self.org.teams:
            for chat_id in team.chat_ids:
                for problem in await staff_group_problems(self.transport, chat_id, bot_id):
                    log.error("ACTION NEEDED for team %s, group %s: %s", team.key, chat_id, problem)

    async def run(self) -> None:
        """Run until `stop` is set, then finish in-flight work and close everything."""
        try:
            await self.prepare()
            tasks = [
                asyncio.create_task(worker.run(self.stop), name=type(worker).__name__)
                for worker in (self.poller, self.processor, self.sender, self.scheduler)
            ]
            await self.stop.wait()
            for task in tasks[:1]:
                task.cancel()  # a long poll in flight would delay shutdown by its timeout
            await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            await self.close()

    async def close(self) -> None:
        """Release the HTTP session and the database."""
        await self.transport.close()
        await self.bot.session.close()
        await self.db.dispose()
