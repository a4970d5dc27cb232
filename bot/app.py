"""The composition root: settings → database → unit-of-work factory → runtime. No import-time side effects.

`Hearback` is everything but the source of updates: the inbox processor, the outbox sender and
the timer scheduler, over one runtime (aiogram or python-telegram-bot). `App` adds our own long
polling into the inbox (`hearback run`, `hearback demo`, the end-to-end tests); embedded in a
host's bot (bot.aiogram_runtime.AiogramHearback, bot.ptb_runtime.PtbHearback) the host's
framework delivers the updates and hearback claims its own into the inbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import dataclass, field

from bot import handlers
from bot.clock import Clock, SystemClock
from bot.faults import crash_point
from bot.i18n import Renderer
from bot.inbox import InboxProcessor, Poller
from bot.json_transport import JsonTransport
from bot.limits import Limiter, SendLimits
from bot.menus import command_menus, unspoken_menus
from bot.roles import Entry, Roles
from bot.runtime import Runtime, standalone
from bot.scheduler import Scheduler, TimerHandler
from bot.sender import Sender
from bot.settings import Settings
from bot.staff_directory import StaffDirectory, staff_group_problems
from bot.transport import Delivered, Json
from flows import case_timers, digest, escalation, followup, load, retention
from flows.config import OrgConfig
from flows.customer_service import TIMER_DRAFT_DROP, TIMER_DRAFT_REMIND, fire_draft_timer
from flows.env import Env
from storage.database import Database
from storage.lease import Lease
from storage.unit_of_work import SqlUnitOfWork
from storage.wakeup import Listener

log = logging.getLogger(__name__)
SHUTDOWN_GRACE = 10.0  # seconds in-flight work may take to finish when embedded


def timer_handlers() -> dict[str, TimerHandler]:
    """Which service fires which kind of timer."""
    handlers: dict[str, TimerHandler] = {
        TIMER_DRAFT_REMIND: fire_draft_timer,
        TIMER_DRAFT_DROP: fire_draft_timer,
        case_timers.PAGE: escalation.page_next,
        digest.DIGEST: digest.fire,
        load.WATCH: load.watch,
        retention.TIMER: retention.fire,
    }
    handlers.update(dict.fromkeys(case_timers.CASE_KINDS, followup.fire))
    return handlers


@dataclass(frozen=True)
class HearbackOptions:
    """How hearback runs besides its settings: the clock, Telegram's pacing, the timer tick."""

    clock: Clock = field(default_factory=SystemClock)
    limits: SendLimits = field(default_factory=SendLimits)
    tick_interval: float = 1.0

    @classmethod
    def of(cls, settings: Settings) -> HearbackOptions:
        """The options the settings ask for: Telegram's pacing unless HEARBACK_SEND_LIMITS=off."""
        off = settings.hearback_send_limits == "off"
        return cls(limits=SendLimits.unlimited() if off else SendLimits())


class Hearback:
    """A hearback over one runtime: inbox processor, outbox sender and timer scheduler."""

    def __init__(
        self,
        settings: Settings,
        org: OrgConfig,
        runtime: Runtime,
        entry: Entry | None = None,
        options: HearbackOptions | None = None,
    ) -> None:
        options = options or HearbackOptions.of(settings)
        self.settings = settings
        self.org = org
        self.clock = options.clock
        self.runtime = runtime
        self.transport = runtime.transport
        self.db = Database(settings.database_url)
        self.renderer = Renderer(self.org.organisation.tz)
        self.roles = Roles.of(org, StaffDirectory(self.transport, org), entry)
        self.route = runtime.router(self.roles)
        self.sender = Sender(
            self.db.uow,
            self.transport,
            self.renderer,
            self.clock,
            Limiter(options.limits),
            self.env,
            lease=Lease(self.db.engine),
            listener=Listener(self.db.engine),
        )
        self.db.on_outbox.append(self.sender.wake)
        self.processor = InboxProcessor(
            self.db.uow, self._handle, self._failed, self.clock, self.sender.wake
        )
        self.scheduler = Scheduler(
            self.db.uow,
            timer_handlers(),
            self.env,
            self.clock,
            self.sender.wake,
            options.tick_interval,
        )
        self.stop = asyncio.Event()
        self.running = asyncio.Event()  # set once the database is ready and the workers run
        self._workers: list[asyncio.Task[None]] = []

    def env(self) -> Env:
        """The service environment for one update or timer: the time is read here, once."""
        return Env(config=self.org, now=self.clock.now(), random_bytes=secrets.token_bytes)

    async def _handle(self, uow: SqlUnitOfWork, raw: Json) -> None:
        await self.route(uow, self.env(), raw)

    async def _failed(self, uow: SqlUnitOfWork, raw: Json) -> None:
        await handlers.on_failed_update(uow, self.env(), raw)

    async def claim(self, raw: Json) -> None:
        """Store an update the host's framework delivered; it is handled from the inbox.

        Committed before this returns, so from here on a crash replays it and a second delivery
        of the same update is ignored.
        """
        async with self.db.uow() as uow:
            await uow.inbox.add_many([self.roles.entry.rewritten(raw)])
            await uow.commit()
        crash_point("inbox-claimed")
        self.processor.wake()

    async def prepare(self, own_bot: bool = False) -> None:
        """Apply migrations and introduce ourselves to Telegram (retrying while it is unreachable).

        With `own_bot` (standalone) also set the command menus and make sure no webhook is set.
        """
        await self.db.migrate()
        await self._arm_timers()
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
        self.roles.bot_username = str(me.result.get("username") or self.roles.bot_username)
        await self._check_staff_groups(int(me.result["id"]))
        if own_bot:
            await self._set_commands()
            await self.transport.call("deleteWebhook", {"drop_pending_updates": False})

    async def _arm_timers(self) -> None:
        """Timers that belong to the organisation rather than a case: digests, the load watch,
        the daily retention run."""
        async with self.db.uow() as uow:
            env = self.env()
            await digest.arm(uow, env)
            await load.arm(uow, env)
            await retention.arm(uow, env)
            await uow.commit()

    async def _set_commands(self) -> None:
        """The "/" menus in every spoken language (see bot.menus); a refused one is logged."""
        calls = [("setMyCommands", c) for c in command_menus(self.org, self.renderer)]
        calls += [("deleteMyCommands", c) for c in unspoken_menus(self.org)]
        for method, params in calls:
            outcome = await self.transport.call(method, params)
            if not isinstance(outcome, Delivered):
                language = params.get("language_code", "default")
                log.warning("%s for %s (%s) failed: %s", method, params["scope"], language, outcome)

    async def _check_staff_groups(self, bot_id: int) -> None:
        """Say plainly, once at start, which staff group is not ready for case topics."""
        for team in self.org.teams:
            for chat_id in team.chat_ids:
                for problem in await staff_group_problems(self.transport, chat_id, bot_id):
                    log.error("ACTION NEEDED for team %s, group %s: %s", team.key, chat_id, problem)

    def _spawn(self, *workers: Poller | InboxProcessor | Sender | Scheduler) -> None:
        for worker in workers:
            task = asyncio.create_task(worker.run(self.stop), name=type(worker).__name__)
            self._workers.append(task)

    async def start(self) -> None:
        """Embedded: prepare, then run the processor, sender and scheduler until `shutdown`."""
        await self.prepare()
        self._spawn(self.processor, self.sender, self.scheduler)
        self.running.set()

    async def shutdown(self) -> None:
        """Finish in-flight work, stop the workers and close the database."""
        self.stop.set()
        if self._workers:
            _, stuck = await asyncio.wait(self._workers, timeout=SHUTDOWN_GRACE)
            for task in stuck:  # a delivery still waiting on Telegram goes again at the next start
                log.warning(
                    "%s did not stop within %.0fs; cancelling it", task.get_name(), SHUTDOWN_GRACE
                )
                task.cancel()
            await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers.clear()
        await self.db.dispose()


class App(Hearback):
    """hearback owning its bot: our long polling into the inbox, on the configured runtime."""

    def __init__(
        self,
        settings: Settings,
        org: OrgConfig,
        clock: Clock | None = None,
        limits: SendLimits | None = None,
        poll_timeout: int = 25,
        tick_interval: float = 1.0,
    ) -> None:
        # Standalone, updates come in and calls go out as plain JSON on one client.
        token, api_base = settings.token(), settings.telegram_api_base
        self.client = JsonTransport(token, api_base)
        runtime = standalone(settings.hearback_runtime, token, api_base, self.client)
        limits = limits or HearbackOptions.of(settings).limits
        options = HearbackOptions(clock or SystemClock(), limits, tick_interval)
        super().__init__(settings, org, runtime, options=options)
        self.poller = Poller(self.db.uow, self.client, self.processor.wake, poll_timeout)

    async def run(self) -> None:
        """Run until `stop` is set, then finish in-flight work and close everything."""
        try:
            await self.prepare(own_bot=True)
            self._spawn(self.poller, self.processor, self.sender, self.scheduler)
            self.running.set()
            await self.stop.wait()
            self._workers[0].cancel()  # a long poll in flight would delay shutdown by its timeout
            await asyncio.gather(*self._workers, return_exceptions=True)
        finally:
            await self.close()

    async def close(self) -> None:
        """Release the HTTP sessions and the database."""
        await self.runtime.close()
        await self.client.close()
        await self.db.dispose()
