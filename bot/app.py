"""The composition root: settings → database → unit-of-work factory → runtime. No import-time side effects.

`Hearback` is everything but the source of updates: the inbox processor, the outbox sender and
the timer scheduler, over one runtime (aiogram or python-telegram-bot). `App` adds the source
(`hearback run`, `hearback demo`, the end-to-end tests): our own long polling into the inbox,
or, with WEBHOOK_URL set, Telegram's webhook POSTs (bot.http), with /healthz, /readyz and
/metrics beside them. Embedded in a host's bot (bot.aiogram_runtime.AiogramHearback,
bot.ptb_runtime.PtbHearback) the host's framework delivers the updates and hearback claims its
own into the inbox.

Several instances may share one PostgreSQL database: each handles only the inbox rows it
claimed (bot.claims), one sends (storage.lease), one polls (bot.standby), and timers are
claimed with SKIP LOCKED. A SQLite database serves one instance (storage.single).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from yarl import URL

from bot import handlers, logs
from bot.clock import Clock, SystemClock
from bot.faults import crash_point
from bot.housekeeping import Housekeeper
from bot.i18n import Renderer
from bot.inbox import IDLE_LOOK, TOKEN_REJECTED, InboxProcessor, Poller
from bot.json_transport import JsonTransport
from bot.limits import Limiter, SendLimits
from bot.menus import command_menus, unspoken_menus
from bot.metrics import CountingTransport, Metrics
from bot.retry import Backoff, RetryPolicy, is_transient, reason
from bot.roles import Entry, Roles
from bot.runtime import Runtime, standalone
from bot.scheduler import Scheduler, TimerHandler
from bot.sender import Sender
from bot.settings import Settings, address
from bot.staff_directory import StaffDirectory, staff_group_problems
from bot.standby import POLL_LOCK, LeasedPoller
from bot.supervise import Fatal, Supervisor, TokenRejected
from bot.tasks import cancel_and_wait
from bot.transport import Delivered, Json, Outcome, RetryLater
from flows import case_timers, digest, escalation, followup, load, retention
from flows.config import OrgConfig
from flows.customer_service import TIMER_DRAFT_DROP, TIMER_DRAFT_REMIND, fire_draft_timer
from flows.env import Env
from flows.model import Timer
from flows.ports import UnitOfWork
from storage import gauges, json_codec, wakeup
from storage.database import Database
from storage.lease import Lease
from storage.migrate import SchemaTooNew
from storage.single import SingleInstance
from storage.unit_of_work import SqlUnitOfWork

if TYPE_CHECKING:
    from bot.http import Listener

log = logging.getLogger(__name__)
SHUTDOWN_GRACE = 10.0  # seconds in-flight work may take to finish when embedded
# Standalone, once stopped: in-flight work has STOP_GRACE seconds; then the Bot API calls still
# waiting are abandoned, and ABORT_GRACE seconds later what still runs is cancelled. Together
# under the 10 s a container manager waits before it kills.
STOP_GRACE = 5.0
ABORT_GRACE = 3.0
GROUP_CHECK_EVERY = 600.0  # seconds between checks that the staff groups still let the bot work
READY_TIMEOUT = 2.0  # seconds the database may take to answer a readiness probe
# The updates hearback handles; the others Telegram need not send.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


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
    handlers.update(dict.fromkeys(case_timers.CASE_KINDS, _about_case(followup.fire)))
    return handlers


def _about_case(handler: TimerHandler) -> TimerHandler:
    """A case timer's handler whose log lines name the case (its key)."""

    async def fire(uow: UnitOfWork, env: Env, timer: Timer) -> None:
        logs.CASE.set(timer.key)
        try:
            await handler(uow, env, timer)
        finally:
            logs.CASE.set(None)

    return fire


@dataclass(frozen=True)
class HearbackOptions:
    """How hearback runs besides its settings: the clock, Telegram's pacing, the timer tick."""

    clock: Clock = field(default_factory=SystemClock)
    limits: SendLimits = field(default_factory=SendLimits)
    tick_interval: float = 1.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # The seconds Telegram's windows are counted in: real ones, except in the sandbox.
    pacing: Callable[[], float] = time.monotonic

    @classmethod
    def of(cls, settings: Settings) -> HearbackOptions:
        """The options the settings ask for: Telegram's pacing unless HEARBACK_SEND_LIMITS=off."""
        off = settings.hearback_send_limits == "off"
        return cls(
            limits=SendLimits.unlimited() if off else SendLimits(),
            retry=RetryPolicy(attempts=settings.hearback_attempts),
        )


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
        self.metrics = Metrics()
        self.sending = Lease(self.db.engine)
        self.sender = Sender(
            self.db.uow,
            CountingTransport(self.transport, self.metrics),
            self.renderer,
            self.clock,
            Limiter(options.limits, options.pacing),
            self.env,
            lease=self.sending,
            listener=wakeup.Listener(self.db.engine),
        )
        self.db.on_outbox.append(self.sender.wake)
        self.processor = InboxProcessor(
            self.db.uow,
            self._handle,
            self._failed,
            self.clock,
            self.sender.wake,
            options.retry,
            self._look_up,
            alone=not self.db.is_postgres,
        )
        self.scheduler = Scheduler(
            self.db.uow,
            timer_handlers(),
            self.env,
            self.clock,
            self.sender.wake,
            options.tick_interval,
            options.retry,
            # Real time only: a clock that jumps (tests, the sandbox) wakes it, or is looked at.
            idle_look=IDLE_LOOK if isinstance(self.clock, SystemClock) else None,
        )
        self.db.on_timers.append(self.scheduler.timer_set)
        self.housekeeper = Housekeeper(
            self.db.uow, self.clock, timedelta(days=settings.hearback_purge_after_days)
        )
        self.stop = asyncio.Event()
        self.supervisor = Supervisor(self.stop, on_restart=self.metrics.worker_restarted)
        self._group_problems: set[tuple[int, str]] = set()
        self._bot_id: int | None = None
        self.running = asyncio.Event()  # set once the database is ready and the workers run
        self._workers: list[asyncio.Task[None]] = []
        self.metrics.instance.labels(self.processor.claims.name).set(1)

    def env(self) -> Env:
        """The service environment for one update or timer: the time is read here, once."""
        return Env(config=self.org, now=self.clock.now(), random_bytes=secrets.token_bytes)

    async def _handle(self, uow: SqlUnitOfWork, raw: Json) -> None:
        logs.UPDATE.set(raw.get("update_id"))
        await self.route(uow, self.env(), raw)

    async def _look_up(self, raw: Json) -> None:
        await handlers.look_up(raw, self.roles.directory)

    async def _failed(self, uow: SqlUnitOfWork, raw: Json) -> None:
        await handlers.on_failed_update(uow, self.env(), raw)

    async def claim(self, raw: Json) -> None:
        """Store an update the host's framework delivered; it is handled from the inbox.

        Committed before this returns, so from here on a crash replays it and a second delivery
        of the same update is ignored.
        """
        async with self.db.uow() as uow:
            await uow.inbox.add_many([self.roles.entry.rewritten(json_codec.plain(raw))])
            await uow.commit()
        crash_point("inbox-claimed")
        self.processor.wake()

    async def prepare(self, own_bot: bool = False) -> None:
        """Apply migrations and introduce ourselves to Telegram (retrying while it is unreachable).

        With `own_bot` (standalone) also set the command menus and make sure no webhook is set.
        """
        if await self.prepare_database():
            await self.introduce(own_bot)

    async def prepare_database(self) -> bool:
        """Apply migrations and plan the organisation's timers; False if stopped meanwhile."""
        return await self._database_ready()

    async def introduce(self, own_bot: bool = False) -> None:
        """getMe (retrying while Telegram is unreachable), the staff group checks, and with
        `own_bot` the command menus and no webhook."""
        delay = 1.0
        while not self.stop.is_set():
            me = await self.transport.call("getMe", {})
            if isinstance(me, Delivered) and isinstance(me.result, dict):
                break
            if _unauthorized(me):
                raise TokenRejected(TOKEN_REJECTED)
            log.warning("Telegram is not reachable yet (%s); retrying in %.0fs", me, delay)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self.stop.wait()
            delay = min(30.0, delay * 2)
        else:
            return
        self.roles.bot_username = str(me.result.get("username") or self.roles.bot_username)
        await self.check_staff_groups(int(me.result["id"]))
        if own_bot:
            await self._set_commands()
            if self.stop.is_set():
                return
            if self.settings.webhook_url:
                await self._set_webhook(self.settings.webhook_url)
            else:
                await self.transport.call("deleteWebhook", {"drop_pending_updates": False})

    async def _set_webhook(self, url: str) -> None:
        """Point Telegram at our webhook; every instance does, with the same url and secret."""
        assert self.settings.webhook_secret is not None
        params: Json = {
            "url": url,
            "secret_token": self.settings.webhook_secret.get_secret_value(),
            "allowed_updates": ALLOWED_UPDATES,
            "drop_pending_updates": False,
        }
        outcome = await self.transport.call("setWebhook", params)
        if isinstance(outcome, Delivered):
            log.info("Telegram posts updates to the webhook now")
        else:
            log.error("ACTION NEEDED: Telegram refused the webhook (WEBHOOK_URL): %s", outcome)

    async def _database_ready(self) -> bool:
        """Migrate and arm the timers, waiting while the database cannot be reached; False if
        stopped meanwhile. A schema newer than this code cannot heal: Fatal."""
        backoff = Backoff(first=5.0, most=60.0)
        while not self.stop.is_set():
            try:
                await self.db.migrate()
                await self._arm_timers()
                return True
            except SchemaTooNew as error:
                raise Fatal(str(error)) from None
            except Exception as error:
                if not is_transient(error):
                    raise
                pause = backoff.next()
                log.warning(
                    "cannot reach %s: %s; retrying in %.0f s", self.db.where, reason(error), pause
                )
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(pause):
                        await self.stop.wait()
        return False

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
            if self.stop.is_set():  # each call could wait for Telegram: stopping comes first
                return
            outcome = await self.transport.call(method, params)
            if not isinstance(outcome, Delivered):
                language = params.get("language_code", "default")
                log.warning("%s for %s (%s) failed: %s", method, params["scope"], language, outcome)

    async def check_staff_groups(self, bot_id: int) -> None:
        """Say plainly which staff group is not ready for case topics: once per problem, at
        start and when a group changes later (the bot lost its admin right, say)."""
        self._bot_id = bot_id
        found: set[tuple[int, str]] = set()
        for team in self.org.teams:
            for chat_id in team.chat_ids:
                if self.stop.is_set():  # a check cut short reports nothing
                    return
                problems = await staff_group_problems(self.transport, chat_id, bot_id)
                if problems is None:  # what was known of the group still holds
                    found |= {known for known in self._group_problems if known[0] == chat_id}
                    log.warning(
                        "group %s could not be checked: Telegram did not answer; it is "
                        "checked again in %.0f minutes",
                        chat_id,
                        GROUP_CHECK_EVERY / 60,
                    )
                    continue
                for problem in problems:
                    found.add((chat_id, problem))
                    if (chat_id, problem) not in self._group_problems:
                        log.error(
                            "ACTION NEEDED for team %s, group %s: %s", team.key, chat_id, problem
                        )
        for chat_id, problem in self._group_problems - found:
            log.info("group %s is fixed: no longer %r", chat_id, problem.partition(":")[0])
        self._group_problems = found

    async def _watch_staff_groups(self, stop: asyncio.Event) -> None:
        """Check the staff groups again every GROUP_CHECK_EVERY seconds."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(GROUP_CHECK_EVERY):
                    await stop.wait()
            if not stop.is_set() and self._bot_id is not None:
                await self.check_staff_groups(self._bot_id)

    def _spawn(
        self, *workers: LeasedPoller | Poller | InboxProcessor | Sender | Scheduler | Housekeeper
    ) -> None:
        names = {
            LeasedPoller: "poller",
            Poller: "poller",
            InboxProcessor: "inbox processor",
            Sender: "sender",
            Housekeeper: "housekeeper",
        }
        for worker in workers:
            name = names.get(type(worker), "scheduler")
            self._start(name, worker.run)

    def _start(self, name: str, work: Callable[[asyncio.Event], Awaitable[None]]) -> None:
        task = asyncio.create_task(self.supervisor.run(name, work), name=name)
        self._workers.append(task)

    @property
    def restarts(self) -> Mapping[str, int]:
        """How often each worker was restarted after an unexpected exception."""
        return self.supervisor.restarts

    async def problems(self) -> list[str]:
        """Why this instance is not ready to serve, if it is not (for /readyz)."""
        found = []
        if not self.running.is_set():
            found.append("starting")
        for task in self._workers:
            if task.done():
                found.append(f"{task.get_name()} stopped")
        found += [f"the {name} is restarting" for name in sorted(self.supervisor.resting)]
        try:
            async with asyncio.timeout(READY_TIMEOUT), self.db.engine.connect() as connection:
                await gauges.ping(connection)
        except Exception as error:
            found.append(f"the database does not answer ({type(error).__name__})")
        return found

    async def scrape(self) -> None:
        """Refresh the metrics the database holds (for /metrics)."""
        self.metrics.sender_active.set(1 if self.sending.holding else 0)
        now = self.clock.now()
        async with asyncio.timeout(READY_TIMEOUT), self.db.engine.connect() as connection:
            figures = await gauges.read(connection, now)
        self.metrics.show(figures, now)

    async def start(self) -> None:
        """Embedded: prepare, then run the processor, sender and scheduler until `shutdown`."""
        await self.prepare()
        self._spawn(self.processor, self.sender, self.scheduler, self.housekeeper)
        self._start("staff group watch", self._watch_staff_groups)
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


def _unauthorized(outcome: Outcome) -> bool:
    """Whether Telegram refused the token itself (401), which no retry can heal."""
    return isinstance(outcome, RetryLater) and (
        "401" in outcome.reason or "Unauthorized" in outcome.reason
    )


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
        retry: RetryPolicy | None = None,
        pacing: Callable[[], float] = time.monotonic,
    ) -> None:
        # Standalone, updates come in and calls go out as plain JSON on one client.
        token, api_base = settings.token(), settings.telegram_api_base
        self.client = JsonTransport(token, api_base)
        runtime = standalone(settings.hearback_runtime, token, api_base, self.client)
        configured = HearbackOptions.of(settings)
        options = HearbackOptions(
            clock or SystemClock(),
            limits or configured.limits,
            tick_interval,
            retry or configured.retry,
            pacing,
        )
        super().__init__(settings, org, runtime, options=options)
        self.poller = LeasedPoller(
            Poller(self.db.uow, self.client, self.processor.wake, poll_timeout),
            Lease(self.db.engine, POLL_LOCK, role="polls Telegram"),
        )
        self.single = SingleInstance(settings.database_url)
        self.listener = self._listener()

    def _listener(self) -> Listener | None:
        """Webhook mode: the webhook and the probes on WEBHOOK_LISTEN; polling: the probes on
        HEARBACK_HTTP, if set."""
        settings = self.settings
        if not (settings.webhook_url or settings.hearback_http):
            return None
        # aiohttp's server is imported only where something listens (not by default polling).
        from bot.http import Listener, Probes, Webhook, build

        probes = Probes(self.problems, self.scrape, self.metrics)
        if settings.webhook_url:
            assert settings.webhook_secret is not None  # bot.settings.webhook_problem
            path = URL(settings.webhook_url).path or "/"
            hook = Webhook(path, settings.webhook_secret.get_secret_value(), self.claim)
            return Listener(build(probes, hook), *address(settings.webhook_listen))
        assert settings.hearback_http is not None
        return Listener(build(probes), *address(settings.hearback_http))

    @property
    def exit_code(self) -> int:
        """1 after what cannot heal (a rejected token, a schema newer than the code), else 0."""
        return 0 if self.supervisor.fatal is None else 1

    async def run(self) -> None:
        """Run until `stop` is set (or something cannot heal: see `exit_code`), then finish
        in-flight work and close everything.

        Raises storage.single.AlreadyRunning if another process serves this SQLite database.
        """
        self.single.acquire()
        polling = not self.settings.webhook_url  # else Telegram posts the updates: nobody polls
        watchdog = asyncio.create_task(self._bound_the_stop(), name="stop watchdog")
        try:
            if self.listener is not None:  # /healthz answers while the rest starts
                await self.listener.start()
            try:
                if await self.prepare_database():
                    if polling:
                        # Updates are stored while the bot introduces itself (a dozen calls).
                        self._spawn(self.poller)
                    await self.introduce(own_bot=True)
            except Fatal as error:
                self.supervisor.fatal = error
                log.error("hearback cannot go on: %s", error)
                self.stop.set()
            if not self.stop.is_set():
                self._spawn(self.processor, self.sender, self.scheduler, self.housekeeper)
                self._start("staff group watch", self._watch_staff_groups)
                self.running.set()
            await self.stop.wait()
            if self.listener is not None:  # no new updates while the workers finish
                await self.listener.close()
                self.listener = None
            for outcome in await asyncio.gather(*self._workers, return_exceptions=True):
                if isinstance(outcome, Exception):  # the supervisor catches all: never silent
                    log.error("a worker ended with %s", type(outcome).__name__)
        finally:
            await cancel_and_wait(watchdog)
            await self.close()

    async def _bound_the_stop(self) -> None:
        """Once stopped, end what Telegram keeps waiting: abandon its calls in flight after
        STOP_GRACE, cancel the workers still running ABORT_GRACE later. What they carried is
        in the inbox and the outbox and goes at the next start."""
        await self.stop.wait()
        await asyncio.sleep(STOP_GRACE)
        log.warning(
            "still stopping after %.0fs: the Bot API calls waiting for Telegram are abandoned",
            STOP_GRACE,
        )
        await self.client.close()
        await asyncio.sleep(ABORT_GRACE)
        for task in self._workers:
            if not task.done():
                log.warning("%s did not stop; cancelling it", task.get_name())
                task.cancel()

    async def close(self) -> None:
        """Release the listener, the HTTP sessions, the database and its instance lock."""
        if self.listener is not None:
            await self.listener.close()
        await self.runtime.close()
        await self.client.close()
        await self.db.dispose()
        self.single.release()
