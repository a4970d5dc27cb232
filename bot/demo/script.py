"""`hearback demo --script`: the real bot, offline, against the built-in Bot API emulator.

A scripted customer files a complaint step by step and the conversation is printed as they
see it. Everything runs for real: HTTP long polling, the inbox, the outbox sender, SQLite.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.demo import DEMO_CONFIG
from bot.demo.backend import bot_app, emulator
from bot.emulator import BotApiEmulator, Message
from bot.settings import load_org

CUSTOMER = 5001


class Transcript:
    """Prints every message of the customer's chat once, as a chat app would show it."""

    def __init__(self, emu: BotApiEmulator, chat_id: int) -> None:
        self.emu = emu
        self.chat_id = chat_id
        self.shown = 0

    def flush(self) -> None:
        """Print the messages not shown yet."""
        messages = self.emu.messages(self.chat_id)
        for message in messages[self.shown :]:
            if not message.is_service:
                print(_render(message))
        self.shown = len(messages)

    async def step(
        self, what: str, action: Callable[[], Awaitable[Any]], expect: str, count: int = 1
    ) -> Message:
        """Do `action`, wait for the bot's reply containing `expect`, print the new lines."""
        before = len(self.emu.bot_messages(self.chat_id))
        print(f"\n  ── {what}")
        await action()
        found = await self.emu.wait_for(
            lambda: [m for m in self.emu.bot_messages(self.chat_id)[before:] if expect in m.text],
            timeout=15,
            message=f"the bot did not answer {what!r}",
        )
        await asyncio.sleep(0.3)  # let any second message of the same reply arrive for display
        self.flush()
        return found[-1]


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


async def _script(emu: BotApiEmulator) -> str:
    emu.add_user(CUSTOMER, "Anna", last_name="Kowalczyk", username="anna_k", language_code="en")
    chat = Transcript(emu, CUSTOMER)
    greeting = await chat.step(
        "Anna opens the bot", lambda: emu.send_text(CUSTOMER, "/start"), "Hello"
    )
    categories = await chat.step(
        "she taps File a complaint",
        lambda: emu.press(CUSTOMER, greeting, "File a complaint"),
        "Choose a category",
    )
    await chat.step(
        "she chooses Delivery", lambda: emu.press(CUSTOMER, categories, "Delivery"), "describe"
    )
    text = "My parcel was due on Friday. The tracking page has said 'in transit' for six days."
    await chat.step("she describes the problem", lambda: emu.send_text(CUSTOMER, text), "Continue")
    more = await chat.step(
        "she adds a screenshot",
        lambda: emu.send_photo(CUSTOMER, caption="Tracking page"),
        "file",
    )
    await chat.step(
        "she is done", lambda: emu.press(CUSTOMER, more, "Continue"), "How may we reach you"
    )
    summary = await chat.step(
        "she prefers Telegram only",
        lambda: emu.send_text(CUSTOMER, "💬 Telegram only"),
        "Please check your complaint",
    )
    receipt = await chat.step(
        "she confirms", lambda: emu.press(CUSTOMER, summary, "Confirm"), "registered as"
    )
    number = next(word for word in receipt.text.split() if word.startswith("HB-")).rstrip(".")
    await chat.step(
        "later she writes again",
        lambda: emu.send_text(CUSTOMER, "Any news? I need it before the weekend."),
        "Added to",
    )
    await chat.step("she checks her cases", lambda: emu.send_text(CUSTOMER, "/status"), number)
    return number


async def run_script() -> int:
    """Run the scripted demo on a fresh database and print the conversation; 0 when filed."""
    print("hearback sandbox: the real bot against the built-in Telegram Bot API emulator.")
    print("No Telegram account and no network are used.\n")
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        async with emulator() as emu:
            database_url = f"sqlite+aiosqlite:///{folder / 'demo.db'}"
            app = bot_app(emu, database_url, load_org(DEMO_CONFIG), poll_timeout=1)
            runner = asyncio.create_task(app.run())
            try:
                number = await _script(emu)
            finally:
                app.stop.set()
                await runner
    print(f"\nCase {number} is stored, acknowledged and pinned. Try `make test` next.")
    return 0
