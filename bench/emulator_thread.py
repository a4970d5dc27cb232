"""The Bot API emulator on a thread and event loop of its own, so that the CPU the bot uses can
be told from the CPU the emulator uses (they share the process; the bot's is the rest).

The bot talks to it over HTTP as usual; the benchmark drives it through `on_emulator`, which
runs a call on the emulator's loop. Reading its counters from the bot's thread is safe enough
for counting (the GIL keeps each read whole).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from sandbox.emulator import BotApiEmulator, RateLimits

T = TypeVar("T")


class EmulatorThread:
    """A started emulator on its own thread; `cpu()` is that thread's CPU seconds."""

    def __init__(self, emu: BotApiEmulator, loop: asyncio.AbstractEventLoop, ident: int) -> None:
        self.emu = emu
        self._loop = loop
        self._clock = time.pthread_getcpuclockid(ident)

    def cpu(self) -> float:
        """CPU seconds the emulator's thread has used."""
        return time.clock_gettime(self._clock)

    async def run(self, call: Callable[[BotApiEmulator], Awaitable[T]]) -> T:
        """Run `call(emu)` on the emulator's loop and return its result."""
        future = asyncio.run_coroutine_threadsafe(_awaited(call(self.emu)), self._loop)
        return await asyncio.wrap_future(future)

    async def do(self, call: Callable[[BotApiEmulator], T]) -> T:
        """Run a plain `call(emu)` on the emulator's loop and return its result."""

        async def wrapped(emu: BotApiEmulator) -> T:
            return call(emu)

        return await self.run(wrapped)


async def _awaited(awaitable: Awaitable[T]) -> T:
    return await awaitable


def process_cpu() -> float:
    """CPU seconds the whole process has used."""
    return time.process_time()


@contextlib.asynccontextmanager
async def emulator_thread(token: str, limits: RateLimits) -> AsyncIterator[EmulatorThread]:
    """An emulator serving on its own thread until the block ends."""
    ready: asyncio.Future[EmulatorThread] = asyncio.get_running_loop().create_future()
    caller = asyncio.get_running_loop()
    stop: asyncio.Event | None = None

    def serve() -> None:
        async def main() -> None:
            nonlocal stop
            stop = asyncio.Event()
            async with BotApiEmulator(token=token, limits=limits) as emu:
                handle = EmulatorThread(emu, asyncio.get_running_loop(), threading.get_ident())
                caller.call_soon_threadsafe(ready.set_result, handle)
                await stop.wait()

        asyncio.run(main())

    thread = threading.Thread(target=serve, name="emulator", daemon=True)
    thread.start()
    handle = await ready
    try:
        yield handle
    finally:
        assert stop is not None
        handle._loop.call_soon_threadsafe(stop.set)
        await asyncio.to_thread(thread.join, 10)


def seeded_world(handle: EmulatorThread) -> Any:
    """A stand-in for the emulator in bench.seeding.seed: its calls run on the emulator's loop."""
    return _Remote(handle)


class _Remote:
    def __init__(self, handle: EmulatorThread) -> None:
        self._handle = handle

    def add_user(self, *args: Any, **kwargs: Any) -> None:
        # Runs before anything later asked of the emulator's loop (it keeps the order).
        emu = self._handle.emu
        self._handle._loop.call_soon_threadsafe(lambda: emu.add_user(*args, **kwargs))

    async def create_topic(self, *args: Any) -> int:
        return await self._handle.run(lambda emu: emu.create_topic(*args))
