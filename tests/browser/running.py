"""The sandbox served from a thread of its own, so that Playwright's synchronous API can drive
the page while the test acts in the emulated Telegram as other people would."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.request
from collections.abc import Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sandbox.demo.sandbox import Sandbox
from sandbox.emulator import BotApiEmulator

T = TypeVar("T")
TIMEOUT = 15.0


class RunningSandbox:
    """`hearback demo` on a port of its own, with its clock starting at a known moment."""

    def __init__(self, database: Path, start: datetime) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="sandbox", daemon=True)
        self.thread.start()
        self.sandbox = Sandbox(database, port=0, start=start, tick_interval=0.05)
        self.url = self.run(self.sandbox.start())

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = TIMEOUT) -> T:
        """Run a coroutine in the sandbox's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def call(self, action: Callable[[Sandbox], T]) -> T:
        """Call a plain function with the sandbox, inside its loop (the emulator is not thread-safe)."""

        async def inside() -> T:
            return action(self.sandbox)

        return self.run(inside())

    @property
    def emu(self) -> BotApiEmulator:
        """The emulator; touch it only through `call`, `run` or `wait_for`."""
        return self.sandbox.emu

    def wait_for(
        self, predicate: Callable[[BotApiEmulator], Any], what: str, timeout: float = TIMEOUT
    ) -> Any:
        """Wait (on the emulator's changes) until predicate(emu) is truthy; return its value."""
        return self.run(self.emu.wait_for(lambda: predicate(self.emu), timeout, what), timeout + 5)

    def bot_api(self, method: str, **params: Any) -> Any:
        """Call the Bot API as the bot does, over HTTP: what the bot may do shows in the page."""
        request = urllib.request.Request(
            f"{self.emu.base_url}/bot{self.emu.token}/{method}",
            data=json.dumps(params).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            body = json.loads(response.read())
        assert body["ok"], body
        return body["result"]

    def stop(self) -> None:
        """Stop the sandbox and its loop, leaving nothing running."""
        try:
            self.run(self._shutdown(), timeout=60)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            self.loop.close()

    async def _shutdown(self) -> None:
        try:
            await self.sandbox.stop()
        finally:
            await self.loop.shutdown_asyncgens()
            await self.loop.shutdown_default_executor()
