"""`hearback demo --script`: the real bot, offline, against the built-in Bot API emulator.

A scripted customer files a complaint step by step and the conversation is printed as they
see it, and nothing else: the bot logs errors only, and any error makes the exit code 1.
Everything runs for real, in the sandbox's world (its staff groups and managers): HTTP long
polling, the inbox, the outbox sender, SQLite, a simulated clock in business hours.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.app import App
from bot.clock import SimulatedClock
from bot.settings import load_org
from sandbox.demo import DEMO_CONFIG
from sandbox.demo.backend import bot_app, emulator, first_moment
from sandbox.demo.world import World
from sandbox.emulator import BotApiEmulator, Message

ANSWER_WITHIN = 15.0  # seconds the bot may take to answer a step
STALL = 5.0  # seconds a reply may pause between two of its messages


class ScriptFailed(Exception):
    """The bot did not do what the script expects; the message says what."""


class _Errors(logging.Handler):
    """Counts the errors logged while the script runs."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class Transcript:
    """Prints every message of the customer's chat once, as a chat app would show it."""

    def __init__(self, emu: BotApiEmulator, app: App, chat_id: int) -> None:
        self.emu = emu
        self.app = app
        self.chat_id = chat_id
        self.shown = 0

    def flush(self) -> None:
        """Print the messages not shown yet."""
        messages = self.emu.messages(self.chat_id)
        for message in messages[self.shown :]:
            if not message.is_service:
                print(_render(message))
        self.shown = len(messages)

    async def step(self, what: str, action: Callable[[], Awaitable[Any]], expect: str) -> Message:
        """Do `action`, wait for the bot's reply containing `expect`, print the new lines."""
        before = len(self.emu.bot_messages(self.chat_id))
        mark = await self.app.sender.mark()
        print(f"\n  ── {what}")
        await action()

        def answers() -> list[Message]:
            return [m for m in self.emu.bot_messages(self.chat_id)[before:] if expect in m.text]

        if not await self.emu.wait_until(answers, ANSWER_WITHIN):
            raise ScriptFailed(f"the bot did not answer {what!r} within {ANSWER_WITHIN:.0f}s")
        # The whole reply, not only the message awaited: it may come in several.
        await self.app.sender.delivered_after(mark, STALL)
        self.flush()
        return answers()[-1]


def _render(message: Message) -> str:
    who = "🤖 bot " if message.from_bot else "👤 Anna"
    body = message.text if message.kind == "text" else f"[{message.kind}] {message.text}"
    lines = body.splitlines() or [""]
    out = [f"{who} │ {lines[0]}"] + [f"       │ {line}" for line in lines[1:]]
    buttons = [label for label, _ in message.buttons()]
    if buttons:
        out.append("       │ " + "  ".join(f"[{b}]" for b in buttons))
    if message.pinned:
        out.append("       │ 📌 pinned")
    return "\n".join(out)


async def _script(emu: BotApiEmulator, app: App, world: World) -> str:
    anna = world.customers[0].id
    chat = Transcript(emu, app, anna)
    greeting = await chat.step("Anna opens the bot", lambda: emu.send_text(anna, "/start"), "Hello")
    categories = await chat.step(
        "she taps File a complaint",
        lambda: emu.press(anna, greeting, "File a complaint"),
        "Choose a category",
    )
    await chat.step(
        "she chooses Delivery", lambda: emu.press(anna, categories, "Delivery"), "describe"
    )
    text = "My parcel was due on Friday. The tracking page has said 'in transit' for six days."
    await chat.step("she describes the problem", lambda: emu.send_text(anna, text), "Continue")
    more = await chat.step(
        "she adds a screenshot",
        lambda: emu.send_photo(anna, caption="Tracking page"),
        "file",
    )
    await chat.step(
        "she is done", lambda: emu.press(anna, more, "Continue"), "How may we reach you"
    )
    summary = await chat.step(
        "she prefers Telegram only",
        lambda: emu.send_text(anna, "💬 Telegram only"),
        "Please check your complaint",
    )
    receipt = await chat.step(
        "she confirms", lambda: emu.press(anna, summary, "Confirm"), "registered as"
    )
    number = next(word for word in receipt.text.split() if word.startswith("HB-")).rstrip(".")
    await chat.step(
        "later she writes again",
        lambda: emu.send_text(anna, "Any news? I need it before the weekend."),
        "Added to",
    )
    await chat.step("she checks her cases", lambda: emu.send_text(anna, "/status"), number)
    return number


async def _started(app: App, runner: asyncio.Task[None]) -> None:
    """Wait until the bot runs; ScriptFailed if it ends or does not start in time."""
    running = asyncio.ensure_future(app.running.wait())
    done, _ = await asyncio.wait(
        {running, runner}, timeout=ANSWER_WITHIN, return_when="FIRST_COMPLETED"
    )
    running.cancel()
    if running not in done:
        raise ScriptFailed("the bot did not start")


async def run_script() -> int:
    """Run the scripted demo on a fresh database and print the conversation; 0 when filed.

    1, with the reason on stderr, if the bot did not answer as expected or logged an error.
    """
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    print("hearback sandbox: the real bot against the built-in Telegram Bot API emulator.")
    print("No Telegram account and no network are used.\n")
    org = load_org(DEMO_CONFIG)
    clock = SimulatedClock(first_moment(org, datetime.now(UTC)))
    try:
        with tempfile.TemporaryDirectory() as folder:
            async with emulator(clock.timestamp) as emu:
                world = World.for_org(org)
                world.populate(emu)
                database_url = f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}"
                app = bot_app(emu, database_url, org, clock, poll_timeout=1)
                runner = asyncio.create_task(app.run())
                try:
                    await _started(app, runner)
                    number = await _script(emu, app, world)
                finally:
                    app.stop.set()
                    await runner
    except ScriptFailed as failed:
        print(f"hearback demo --script failed: {failed}.", file=sys.stderr)
        return 1
    finally:
        logging.getLogger().removeHandler(errors)
    if errors.count:
        print(
            f"hearback demo --script: the complaint was filed, but the bot logged "
            f"{errors.count} error(s) above.",
            file=sys.stderr,
        )
        return 1
    print(f"\nCase {number} is stored, acknowledged and pinned. Try `make test` next.")
    return 0
