"""Intake throughput: N concurrent customers file a complaint through the emulator.

Prints updates/s, p50/p99 time from a customer's action to the bot's reply, CPU ms per update
and peak RSS of the bot process, for hearback on each runtime and, as its baseline, a bare echo
bot of the same framework (aiogram, python-telegram-bot; PTB's both with its defaults and tuned
as aiogram is by default), all measured in the same run against the same emulator. The
emulator does not enforce Telegram's limits: hearback runs with its own pacing off (the bot's
cost, not Telegram's pacing) and, with `--limits telegram`, on (what pacing adds; fewer
customers, as a staff group takes 20 messages a minute). The staff groups of the configuration
exist, so every confirmed case also opens its topic and posts its card there, as in production.

CPU is the bot process's own (all threads), counted from after a warm-up customer (start-up and
migrations are not per-update costs) until every message the bot is expected to send has
arrived: as many per customer as the warm-up customer received (replies, the card and notes in
the staff topic), so work that follows a reply is counted too.

    .venv/bin/python bench/intake.py [--customers 200] [--paced-customers 20]
                                     [--database sqlite|postgres] [--rounds 3]
                                     [--runtime aiogram ptb] [--limits off telegram]

The machine may be busy with other work: rounds alternate the bots so that all see the same
conditions, and the table shows each bot's median round.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    TOKEN,
    Child,
    Measurement,
    database,
    percentile,
    print_table,
    python,
    save,
)
from bot.settings import load_org
from sandbox.emulator import BotApiEmulator, Message, RateLimits

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "sandbox" / "demo" / "hearback.toml"
STAFF = 7001
GROUPS = [chat_id for team in load_org(CONFIG).teams for chat_id in team.chat_ids]
QUIET = 0.5  # seconds without a Bot API call (other than a long poll): the warm-up has finished


class Customer:
    """One simulated customer; records the latency of every step."""

    def __init__(self, emu: BotApiEmulator, user_id: int, latencies: list[float]) -> None:
        self.emu = emu
        self.id = user_id
        self.latencies = latencies
        self.number = ""  # of the case filed
        self.topic: tuple[int, int] | None = None  # its staff topic: (group, thread), once seen
        emu.add_user(user_id, f"Customer{user_id}", language_code="en")

    async def act(self, action: Callable[[], Awaitable[object]], expect: str) -> Message:
        """Do something and wait for the bot's reply containing `expect`."""
        seen = len(self.emu.bot_messages(self.id))
        started = time.perf_counter()
        await action()

        def reply() -> Message | None:
            for message in self.emu.bot_messages(self.id)[seen:]:
                if expect in message.text:
                    return message
            return None

        found = await self.emu.wait_for(reply, timeout=120, message=f"{self.id}: no {expect!r}")
        self.latencies.append(time.perf_counter() - started)
        return found

    async def file_complaint(self) -> int:
        """The whole intake; returns how many updates it took."""
        emu, me = self.emu, self.id
        greeting = await self.act(lambda: emu.send_text(me, "/start"), "Hello")
        menu = await self.act(lambda: emu.press(me, greeting, "File a complaint"), "category")
        await self.act(lambda: emu.press(me, menu, "Delivery"), "describe")
        more = await self.act(lambda: emu.send_text(me, "The parcel never arrived."), "Continue")
        await self.act(lambda: emu.press(me, more, "Continue"), "reach you")
        summary = await self.act(lambda: emu.send_text(me, "💬 Telegram only"), "check your")
        receipt = await self.act(lambda: emu.press(me, summary, "Confirm"), "registered as")
        self.number = next(w.strip(".,") for w in receipt.text.split() if w.startswith("HB-"))
        return 7

    def delivered(self) -> tuple[int, int]:
        """Messages the bot has sent this customer, and into the staff topic of their case."""
        private = len(self.emu.bot_messages(self.id))
        if self.number and self.topic is None:
            self.topic = next(
                (
                    (chat_id, thread_id)
                    for chat_id in GROUPS
                    for thread_id, topic in self.emu.topics(chat_id).items()
                    if self.number in topic.name
                ),
                None,
            )
        return private, len(self.emu.bot_messages(*self.topic)) if self.topic else 0

    def has(self, expected: tuple[int, int]) -> bool:
        """Whether the bot has sent this customer, and into their topic, as much as expected."""
        private, topic = self.delivered()
        return private >= expected[0] and topic >= expected[1]

    async def echo_round(self) -> int:
        """The same number of updates against the echo bot."""
        emu, me = self.emu, self.id
        for n in range(7):
            await self.act(lambda n=n: emu.send_text(me, f"message {n} of {me}"), f"message {n} of")
        return 7


async def measure(
    name: str,
    emu: BotApiEmulator,
    args: list[str],
    env: dict[str, str],
    customers: int,
    script: str,
    first_id: int,
) -> Measurement:
    """Start the bot process, run every customer's script at once, stop it, report."""
    child = Child(args, {"BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": emu.base_url, **env})
    latencies: list[float] = []
    people = [Customer(emu, first_id + n, latencies) for n in range(customers)]
    try:
        # Warm-up: one customer alone, so start-up (migrations, getMe) is not in the numbers;
        # what it was sent is what each customer is expected to be sent.
        warm = Customer(emu, first_id - 1, [])
        await getattr(warm, script)()
        await quiet(emu)
        expected = warm.delivered()
        cpu_before = child.cpu()
        started = time.perf_counter()
        counts = await asyncio.gather(*(getattr(p, script)() for p in people))
        seconds = time.perf_counter() - started
        await emu.wait_for(
            lambda: all(p.has(expected) for p in people),
            timeout=600,
            message=f"{name}: not every customer has {expected} messages (private, topic)",
        )
        cpu = child.cpu() - cpu_before
    except BaseException:
        print(f"{name} log:\n{child.log_tail()}", file=sys.stderr)
        await child.stopped()
        raise
    lifetime, rss = await child.stopped()
    updates = sum(counts)
    return Measurement(
        name=name,
        updates=updates,
        seconds=round(seconds, 2),
        updates_per_s=round(updates / seconds, 1),
        p50_ms=round(percentile(latencies, 0.5) * 1000, 1),
        p99_ms=round(percentile(latencies, 0.99) * 1000, 1),
        cpu_ms_per_update=round(cpu * 1000 / updates, 3),
        cpu_ms_with_startup=round(lifetime * 1000 / updates, 3),
        peak_rss_mb=round(rss, 1),
    )


async def quiet(emu: BotApiEmulator) -> None:
    """Wait until the bot has made no Bot API call but long polls for QUIET seconds."""

    def calls() -> int:
        return sum(n for method, n in emu.stats.requests.items() if method != "getUpdates")

    deadline = time.monotonic() + 60
    seen = calls()
    while time.monotonic() < deadline:
        await asyncio.sleep(QUIET)
        now = calls()
        if now == seen:
            return
        seen = now


def staff_groups(emu: BotApiEmulator) -> None:
    """The configuration's staff supergroups, with topics and the bot as their admin."""
    emu.add_user(STAFF, "Agent")
    for team in load_org(CONFIG).teams:
        for chat_id in team.chat_ids:
            emu.add_supergroup(chat_id, team.title, members=[STAFF])


ECHO_BOTS = {"aiogram": "echo_bot.py", "ptb": "echo_ptb.py"}
# PTB's defaults handle one update at a time over one HTTP connection; the tuned PTB echo bot
# (bench/echo_ptb.py) handles them as aiogram does by default. Both are shown.
PTB_DEFAULTS = {"ECHO_PTB_DEFAULTS": "1"}


def echo_name(runtime: str) -> str:
    """The name of a runtime's bare echo bot in the table."""
    return f"{runtime} echo (base)"


def hearback_name(runtime: str, database: str, limits: str) -> str:
    """The name of hearback on a runtime in the table."""
    return f"hearback {runtime} ({database}{', paced' if limits == 'telegram' else ''})"


async def one_round(
    emu: BotApiEmulator, options: argparse.Namespace, n: int
) -> dict[str, Measurement]:
    """For each runtime: its echo bot, then hearback on it on a fresh database."""
    rows: dict[str, Measurement] = {}
    # Customers are new to the emulator in every measurement.
    first_id = iter(range(100_000 + n * 100_000, 200_000 + n * 100_000, options.customers + 10))
    for runtime in options.runtime:
        echoes = [(echo_name(runtime), {})]
        if runtime == "ptb":
            echoes.append(("ptb echo (defaults)", PTB_DEFAULTS))
        for name, env in echoes:
            echo = await measure(
                name,
                emu,
                [python(), str(ROOT / "bench" / ECHO_BOTS[runtime])],
                env,
                options.customers,
                "echo_round",
                next(first_id),
            )
            rows[echo.name] = echo
        for limits in options.limits:
            async with database(options.database) as url:
                env = {
                    "DATABASE_URL": url,
                    "HEARBACK_CONFIG": str(CONFIG),
                    "HEARBACK_SEND_LIMITS": limits,
                }
                ours = await measure(
                    hearback_name(runtime, options.database, limits),
                    emu,
                    [python(), "-m", "bot.cli", "run", "--runtime", runtime],
                    env,
                    options.paced_customers if limits == "telegram" else options.customers,
                    "file_complaint",
                    next(first_id) + 10_000_000,
                )
            rows[ours.name] = ours
    return rows


def median(rows: list[Measurement]) -> Measurement:
    """The row with the median CPU per update (an odd number of rounds gives a real one)."""
    return sorted(rows, key=lambda r: r.cpu_ms_per_update)[len(rows) // 2]


async def main() -> None:
    """Run each runtime's echo bot and hearback on it, round after round; print and save."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--paced-customers", type=int, default=20, help="with --limits telegram")
    parser.add_argument(
        "--limits", nargs="+", choices=["off", "telegram"], default=["off", "telegram"]
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--runtime", nargs="+", choices=sorted(ECHO_BOTS), default=["aiogram", "ptb"]
    )
    parser.add_argument("--rounds", type=int, default=3, help="every bot in turn, this many times")
    options = parser.parse_args()
    rounds = []
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.off()) as emu:
        staff_groups(emu)
        for n in range(options.rounds):
            rounds.append(await one_round(emu, options, n))
    print(
        f"\n{options.customers} concurrent customers ({options.paced_customers} paced), "
        f"7 updates each, emulator limits off; median of {options.rounds} round(s) by CPU per "
        "update\n"
    )
    rows = [median([r[name] for r in rounds]) for name in rounds[0]]
    bases = {
        hearback_name(runtime, options.database, limits): echo_name(runtime)
        for runtime in options.runtime
        for limits in options.limits
    }
    reference = echo_name("aiogram") if "aiogram" in options.runtime else rows[0].name
    print_table(rows, bases, reference)
    for ours, echo in bases.items():
        ratios = ", ".join(
            f"{r[ours].cpu_ms_per_update / r[echo].cpu_ms_per_update:.2f}" for r in rounds
        )
        print(f"{ours}: CPU per update × its echo bot, round by round: {ratios}")
    if "off" in options.limits and "telegram" in options.limits:
        for runtime in options.runtime:
            paced = hearback_name(runtime, options.database, "telegram")
            unpaced = hearback_name(runtime, options.database, "off")
            ratios = ", ".join(
                f"{r[paced].cpu_ms_per_update / r[unpaced].cpu_ms_per_update:.2f}" for r in rounds
            )
            print(f"{paced}: CPU per update × unpaced, round by round: {ratios}")
    path = save(
        f"intake-{options.database}",
        rows,
        {
            "customers": options.customers,
            "paced_customers": options.paced_customers,
            "rounds": [[asdict(r) for r in one.values()] for one in rounds],
        },
    )
    print(f"saved {path}")


if __name__ == "__main__":
    asyncio.run(main())
