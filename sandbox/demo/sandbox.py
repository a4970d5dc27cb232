"""The browser sandbox: emulated Telegram + the real bot on SQLite + the page that shows both.

One aiohttp server serves the page and its API; the bot long-polls the emulator, which
listens on a port of its own on the loopback interface, exactly as it would talk to Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web

from bot.app import App
from bot.clock import SimulatedClock
from bot.settings import load_org
from bot.tasks import cancel_and_wait
from flows.config import OrgConfig
from sandbox.demo import DEMO_CONFIG, saved
from sandbox.demo.backend import bot_app, emulator, first_moment
from sandbox.demo.jump import JumpInProgress, live_through
from sandbox.demo.web import build_web
from sandbox.demo.world import World
from sandbox.emulator import BotApiEmulator
from sandbox.emulator.snapshot import SnapshotError

log = logging.getLogger(__name__)
SAVE_INTERVAL = 1.0  # seconds between two writes of the world file, at most
# A hard kill can leave the world file a moment behind the bot's database. Update ids that
# go on from well past the saved counter can never be mistaken for ones the bot has stored.
UPDATE_ID_GAP = 1000


class Sandbox:
    """Start, run and stop the sandbox; the page's controls call the methods below."""

    def __init__(
        self,
        database: Path = Path("hearback-demo.db"),
        host: str = "127.0.0.1",
        port: int = 8080,
        reset: bool = False,
        start: datetime | None = None,
        org: OrgConfig | None = None,
        tick_interval: float = 0.25,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.database = database
        self.host = host
        self.port = port
        self.reset = reset
        self.start_at = start  # the simulated time of a fresh sandbox; default: business hours
        self.org = org or load_org(DEMO_CONFIG)
        self.tick_interval = tick_interval
        self.monotonic = monotonic  # the real seconds the simulated clock follows
        self.notes: list[str] = []  # what the operator should know about this start
        self.ready = False
        self.closing = False
        self.clock_version = 0
        self.jumping_to: datetime | None = None  # the end of the jump in progress
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._bot: asyncio.Task[None] | None = None
        self._saver: asyncio.Task[None] | None = None
        self._saving = asyncio.Lock()
        self._jump: asyncio.Task[None] | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> str:
        """Bind the page's port, resume or create the world, start the bot; return the URL."""
        self._runner = web.AppRunner(build_web(self), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await site.start()
        except OSError:
            await self._runner.cleanup()
            raise
        port = self._runner.addresses[0][1]
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"http://{host}:{port}"

        resumed = self._resume()
        now = resumed.now if resumed else self._fresh_start()
        self.clock = SimulatedClock(now, monotonic=self.monotonic)
        self.emu: BotApiEmulator = emulator(self.clock.timestamp, self.clock.pacing_seconds)
        if resumed is not None:
            self.emu.restore(resumed.emulator)
            self.emu.state.next_update_id += UPDATE_ID_GAP
            self.world = resumed.world
        else:
            self.world = World.for_org(self.org)
            self.world.populate(self.emu)
        await self.emu.start()
        self.app: App = bot_app(
            self.emu,
            f"sqlite+aiosqlite:///{self.database}",
            self.org,
            self.clock,
            tick_interval=self.tick_interval,
            pacing=self.clock.pacing_seconds,
        )
        self._bot = asyncio.create_task(self.app.run(), name="hearback")
        self._bot.add_done_callback(self._bot_ended)
        self._saver = asyncio.create_task(self._autosave(), name="sandbox-saver")
        self.ready = True
        return self.url

    async def stop(self) -> None:
        """Stop the page, then the bot (finishing its work), save the world, stop the emulator."""
        self.closing = True
        if self.ready:
            self.emu.notify()  # ends the page's event streams
        if self._runner is not None:
            await self._runner.cleanup()
        if not self.ready:
            return
        if self._jump is not None:  # the clock stays where the jump had got to
            self._jump.cancel()
            await asyncio.gather(self._jump, return_exceptions=True)
        self.app.stop.set()
        if self._bot is not None:
            await asyncio.gather(self._bot, return_exceptions=True)  # _bot_ended reported it
        if self._saver is not None:
            await cancel_and_wait(self._saver)
        await self._save()
        await self.emu.stop()

    def _bot_ended(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None and not self.closing:
            log.error(
                "The bot stopped; the page still shows the sandbox but nothing answers. "
                "Stop with Ctrl+C and start `hearback demo` again (--reset starts clean).",
                exc_info=task.exception(),
            )

    @property
    def loopback(self) -> bool:
        """True when only this machine can reach the page."""
        if self.host == "localhost":
            return True
        with contextlib.suppress(ValueError):
            return ipaddress.ip_address(self.host).is_loopback
        return False

    def _resume(self) -> saved.Saved | None:
        path = saved.world_file(self.database)
        if self.reset:
            saved.forget(self.database)
            return None
        if not path.exists() and not self.database.exists():
            return None
        problem = None
        if not path.exists() or not self.database.exists():
            missing = path if not path.exists() else self.database
            problem = f"{missing} is missing"
        else:
            try:
                resumed = saved.load(path)
                # Checked now, so that a bad snapshot is found before anything starts.
                emulator().restore(resumed.emulator)
                return resumed
            except (saved.SavedError, SnapshotError) as error:
                problem = str(error)
        self.notes.append(f"The saved sandbox cannot be resumed ({problem}), so it starts clean.")
        saved.forget(self.database)
        return None

    def _fresh_start(self) -> datetime:
        if self.start_at is not None:
            return self.start_at
        return first_moment(self.org, datetime.now(UTC))

    async def _autosave(self) -> None:
        written = -1
        while True:
            await self.emu.wait_until(self.changed_since(written), timeout=60)
            written = self.emu.version
            try:
                # Shielded: a stop meanwhile waits for this save rather than racing it.
                await asyncio.shield(self._save())
            except OSError:
                log.exception("the sandbox could not be saved; it will try again")
            await asyncio.sleep(SAVE_INTERVAL)

    def changed_since(self, version: int) -> Callable[[], bool]:
        """A condition for emu.wait_until: the world changed after `version`, or we stop."""
        return lambda: self.emu.version != version or self.closing

    async def _save(self) -> None:
        async with self._saving:  # one write at a time, the latest last
            state = saved.Saved(self.clock.now(), self.world, self.emu.snapshot())
            text = state.to_json()
            await asyncio.to_thread(saved.write, saved.world_file(self.database), text)

    # -- controls ----------------------------------------------------------------------------

    def set_speed(self, speed: float) -> None:
        """Run the simulated time at `speed` (×1, ×60, ×3600, ...)."""
        self.clock.set_speed(speed)
        self._clock_moved()

    def start_jump(self, delta: timedelta) -> asyncio.Task[None]:
        """Jump the simulated time ahead, living through it: each timer fires at its due time.

        The clock stands still meanwhile except to move to each due time; the page shows it.
        Raises JumpInProgress while another jump runs.
        """
        if delta < timedelta(0):
            raise ValueError("the simulated clock only jumps ahead")
        if self.jumping_to is not None:
            to = self.jumping_to.astimezone(self.org.organisation.tz)
            until = f"{to:%a} {to.day} {to:%b}, {to:%H:%M}"  # as the page shows it
            raise JumpInProgress(
                f"The clock is still jumping ahead to {until}; jump again once it is there."
            )
        self.clock.hold()
        self.jumping_to = self.clock.now() + delta
        self._jump = asyncio.create_task(self._live_through(self.jumping_to), name="clock-jump")
        self._clock_moved()
        return self._jump

    async def jump(self, delta: timedelta) -> None:
        """Jump ahead (see `start_jump`) and return once the clock is there."""
        await self.start_jump(delta)

    async def _live_through(self, target: datetime) -> None:
        stopped = False
        try:
            await live_through(self.app, self.clock, target, self._clock_moved)
        except asyncio.CancelledError:
            stopped = True  # the sandbox stops: the clock stays where the jump had got to
            raise
        except Exception:
            log.exception("the clock jump failed; what is still due fires at its end")
        finally:
            # Set, resumed and announced together, so the page never sees the end of a jump
            # that is still running, nor a finished one that is not yet at its end.
            if not stopped:
                self.clock.set(target)
            self.clock.resume()
            self.jumping_to = None
            self._jump = None
            self._clock_moved()

    def _clock_moved(self) -> None:
        self.clock_version += 1
        self.app.scheduler.wake()
        self.emu.notify()
