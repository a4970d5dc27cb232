"""SIGKILL at random moments while customers file complaints and talk to staff.

Shared by tests/faults/test_kills.py and bench/faults.py: customers run the whole intake, then
send numbered notes (copied into their case's topic) while a staff member answers; meanwhile the
bot process is killed again and again at random moments and started again. Afterwards every
customer must have a case and every note must be in the topic: nothing lost. A message the bot
was sending at the moment of a kill may go out twice (Telegram has no idempotency key): such
duplicates are counted, per kill.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import random
import re
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.emulator import BotApiEmulator
from tests.conftest import DEMO_CONFIG
from tests.e2e.chat import Person, StaffMember
from tests.e2e.process import TOKEN

NUMBER = re.compile(r"HB-[0-9A-HJKMNP-TV-Z]{6}")
STAFF_GROUP = -1001234567890
PATIENCE = 120.0  # seconds a customer waits for an answer while the bot is being killed
LIFE = 15.0  # seconds a bot process may take to send its first message before it is killed


class ForkedBot:
    """The bot as a real process forked from tests/faults/zygote.py, killed with SIGKILL."""

    def __init__(self, emu: BotApiEmulator, db_path: Path, runtime: str) -> None:
        env = {
            **os.environ,
            "BOT_TOKEN": TOKEN,
            "DATABASE_URL": f"sqlite+aiosqlite:///{db_path}",
            "TELEGRAM_API_BASE": emu.base_url,
            "HEARBACK_CONFIG": str(DEMO_CONFIG),
            "HEARBACK_SEND_LIMITS": "off",
        }
        env.pop("HEARBACK_CRASH_AT", None)
        self.log = db_path.with_suffix(".log")
        with self.log.open("ab") as log:
            self._zygote = subprocess.Popen(
                [sys.executable, "-m", "tests.faults.zygote", runtime],
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
        self.pid: int | None = None

    async def start(self) -> None:
        """Fork a new bot process."""
        assert self._zygote.stdin is not None and self._zygote.stdout is not None
        self._zygote.stdin.write("start\n")
        self._zygote.stdin.flush()
        line = await asyncio.to_thread(self._zygote.stdout.readline)
        self.pid = int(line)

    def kill(self) -> None:
        """SIGKILL the bot process, like a power cut."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self.pid = None

    def close(self) -> None:
        """Kill the bot and end the factory; the token must not be in anything logged."""
        self.kill()
        if self._zygote.stdin is not None:
            self._zygote.stdin.close()
        self._zygote.wait(timeout=30)
        if self._zygote.stdout is not None:
            self._zygote.stdout.close()
        assert TOKEN not in self.log.read_text(), "the token leaked into the log"


@dataclass
class Outcome:
    """What the kills cost: lost and doubled messages, and how many kills there were."""

    kills: int = 0
    customers: int = 0
    notes: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: Counter[str] = field(default_factory=Counter)
    out_of_order: int = 0

    @property
    def duplicates(self) -> int:
        """Messages that went out more than once, counted once per extra copy."""
        return sum(self.duplicated.values())

    def report(self) -> str:
        """One line for the test output."""
        per_kill = self.duplicates / self.kills if self.kills else 0.0
        return (
            f"{self.kills} kills, {self.customers} customers, {self.notes} notes: "
            f"{len(self.lost)} lost, {self.duplicates} duplicated ({per_kill:.3f} per kill, "
            f"{dict(self.duplicated)}), {self.out_of_order} out of order"
        )


async def customer(
    person: Person, piotr: StaffMember, notes: int, tag: str, killed: asyncio.Event
) -> int:
    """The intake, then numbered notes (at least `notes`, more until the kills are over) and a
    staff answer; returns how many notes were sent."""
    await person.write("/new")
    await person.press("Delivery", timeout=PATIENCE)
    await person.expect("describe the problem", timeout=PATIENCE)
    await person.write(f"{tag} lost parcel")
    await person.press("Continue", timeout=PATIENCE)
    await person.expect("How may we reach you", timeout=PATIENCE)
    await person.write("💬 Telegram only")
    await person.press("Confirm", timeout=PATIENCE)
    receipt = await person.expect("registered as", timeout=PATIENCE)
    match = NUMBER.search(receipt.text)
    assert match, receipt.text
    number = match.group(0)
    sent = 0
    while sent < notes or not killed.is_set():
        await person.write(f"{tag} note {sent}")
        await person.expect("Added to", number, timeout=PATIENCE)
        sent += 1
    await piotr.topic(number, timeout=PATIENCE)
    await piotr.write(number, f"{tag} answer from staff")
    await person.expect(f"{tag} answer from staff", timeout=PATIENCE)
    return sent


def sent_by_bot(emu: BotApiEmulator) -> int:
    """How many messages the bot has sent so far, in every chat."""
    return sum(1 for chat in emu.state.messages.values() for m in chat.values() if m.from_bot)


async def killer(
    emu: BotApiEmulator,
    process: ForkedBot,
    kills: int,
    rng: random.Random,
    killed: asyncio.Event,
    most: float,
) -> int:
    """Start the bot and SIGKILL it at a random moment of its work, `kills` times; then start
    it for good. Each life first gets as far as sending one message (so a slow start on a busy
    machine cannot starve the run), then lives a random while longer."""
    for _ in range(kills):
        before = sent_by_bot(emu)
        await process.start()
        with contextlib.suppress(AssertionError):
            await emu.wait_for(lambda b=before: sent_by_bot(emu) > b, timeout=LIFE)
        # The pause is the fault's timing (a random moment of the bot's work), not a wait for
        # anything: the customers wait on what they see, with their own deadlines.
        await asyncio.sleep(rng.uniform(0.0, most))
        process.kill()
    await process.start()
    killed.set()
    return kills


def audit(emu: BotApiEmulator, people: list[Person], sent: list[int], tags: list[str]) -> Outcome:
    """Count what each customer and the staff topic received."""
    outcome = Outcome(customers=len(people), notes=sum(sent))
    for person, tag, notes in zip(people, tags, sent, strict=True):
        texts = [m.text or "" for m in person.inbox()]
        receipts = [t for t in texts if "registered as" in t]
        if not receipts:
            outcome.lost.append(f"{tag} receipt")
        outcome.duplicated["receipt"] += max(0, len(receipts) - 1)
        answers = [t for t in texts if f"{tag} answer from staff" in t]
        outcome.duplicated["staff answer"] += max(0, len(answers) - 1)
        copied = [
            m.text
            for m in emu.messages(STAFF_GROUP)
            if m.from_bot and (m.text or "").startswith(f"{tag} note ")
        ]
        seen = [int(text.rsplit(" ", 1)[1]) for text in copied]
        for n in range(notes):
            if n not in seen:
                outcome.lost.append(f"{tag} note {n}")
        outcome.duplicated["note copy"] += len(seen) - len(set(seen))
        firsts = list(dict.fromkeys(seen))
        outcome.out_of_order += sum(1 for a, b in itertools.pairwise(firsts) if b < a)
    return outcome


async def run(
    emu: BotApiEmulator,
    db_path: Path,
    runtime: str,
    customers: int,
    notes: int,
    kills: int,
    seed: int,
    most: float = 1.0,
) -> Outcome:
    """Customers against a bot killed `kills` times; what came through, counted."""
    process = ForkedBot(emu, db_path, runtime)
    rng = random.Random(seed)
    piotr = StaffMember(emu, 7001, "Piotr", STAFF_GROUP)
    people = [Person(emu, 5400 + n, f"Kunde{n}") for n in range(customers)]
    tags = [f"c{n}" for n in range(customers)]
    killed = asyncio.Event()
    killing = asyncio.create_task(killer(emu, process, kills, rng, killed, most))
    try:
        sent = list(
            await asyncio.gather(
                *(customer(p, piotr, notes, t, killed) for p, t in zip(people, tags, strict=True))
            )
        )
        kills_done = await killing
        # Everything still in flight is delivered by the last, unkilled process.
        await emu.wait_for(
            lambda: not audit(emu, people, sent, tags).lost, timeout=PATIENCE, message="lost"
        )
    finally:
        if not killing.done():
            killing.cancel()
        process.close()
    outcome = audit(emu, people, sent, tags)
    outcome.kills = kills_done
    return outcome
