"""Intake throughput: N concurrent customers file a complaint through the emulator.

Prints updates/s, p50/p99 time from a customer's action to the bot's reply, CPU ms per update
and peak RSS of the bot process, for hearback on each runtime and, as its baseline, a bare echo
bot of the same framework (aiogram, python-telegram-bot), all measured in the same run against
the same emulator. Telegram's rate limits are off on both sides:
this measures the bot, not Telegram's pacing. The staff groups of the configuration exist, so
every confirmed case also opens its topic and posts its card there, as in production.

CPU is the bot process's own (all threads), counted from after a warm-up customer (start-up and
migrations are not per-update costs) until the bot has gone quiet after the last reply, so work
that follows a reply (cards, pins, bookkeeping) is counted too.

    .venv/bin/python bench/intake.py [--customers 200] [--database sqlite|postgres] [--rounds 3]
                                     [--runtime aiogram ptb]

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
QUIET = 0.5  # seconds without a Bot API call (other than a long poll): the bot has finished


class Customer:
    """One simulated customer; records the latency of every step."""

    def __init__(self, emu: BotApiEmulator, user_id: int, latencies: list[float]) -> None:
        self.emu = emu
        self.id = user_id
        self.latencies = latencies
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
        await self.act(lambda: emu.press(me, summary, "Confirm"), "registered as")
        return 7

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
        # Warm-up: one customer alone, so start-up (migrations, getMe) is not in the numbers.
        warm = Customer(emu, first_id - 1, [])
        await getattr(warm, script)()
        await quiet(emu)
        cpu_before = child.cpu()
        started = time.perf_counter()
        counts = await asyncio.gather(*(getattr(p, script)() for p in people))
        seconds = time.perf_counter() - started
        await quiet(emu)
        cpu = child.cpu() - cpu_before
    except BaseException:
        print(f"{name} log:\n{child.log_tail()}", file=sys.stderr)
        child.stop()
        raise
    lifetime, rss = child.stop()
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
            emu.add_supergroup(chat_id, team.name, members=[STAFF])


ECHO_BOTS = {"aiogram": "echo_bot.py", "ptb": "echo_ptb.py"}


def echo_name(runtime: str) -> str:
    """The name of a runtime's bare echo bot in the table."""
    return f"{runtime} echo (base)"


async def one_round(
    emu: BotApiEmulator, options: argparse.Namespace, n: int
) -> dict[str, Measurement]:
    """For each runtime: its echo bot, then hearback on it on a fresh database."""
    rows: dict[str, Measurement] = {}
    for k, runtime in enumerate(options.runtime):
        # Customers are new to the emulator in every measurement.
        offset = (n * len(options.runtime) + k) * (options.customers + 10)
        echo = await measure(
            echo_name(runtime),
            emu,
            [python(), str(ROOT / "bench" / ECHO_BOTS[runtime])],
            {},
            options.customers,
            "echo_round",
            100_000 + offset,
        )
        async with database(options.database) as url:
            env = {
                "DATABASE_URL": url,
                "HEARBACK_CONFIG": str(CONFIG),
                "HEARBACK_SEND_LIMITS": "off",
            }
            ours = await measure(
                f"hearback {runtime} ({options.database})",
                emu,
                [python(), "-m", "bot.cli", "run", "--runtime", runtime],
                env,
                options.customers,
                "file_complaint",
                1_000_000 + offset,
            )
        rows[echo.name] = echo
        rows[ours.name] = ours
    return rows


def median(rows: list[Measurement]) -> Measurement:
    """The row with the median CPU per update (an odd number of rounds gives a real one)."""
    return sorted(rows, key=lambda r: r.cpu_ms_per_update)[len(rows) // 2]


async def main() -> None:
    """Run each runtime's echo bot and hearback on it, round after round; print and save."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=200)
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
        f"\n{options.customers} concurrent customers, 7 updates each, emulator limits off; "
        f"median of {options.rounds} round(s) by CPU per update\n"
    )
    rows = [median([r[name] for r in rounds]) for name in rounds[0]]
    bases = {
        f"hearback {runtime} ({options.database})": echo_name(runtime)
        for runtime in options.runtime
    }
    reference = echo_name("aiogram") if "aiogram" in options.runtime else rows[0].name
    print_table(rows, bases, reference)
    for ours, echo in bases.items():
        ratios = ", ".join(
            f"{r[ours].cpu_ms_per_update / r[echo].cpu_ms_per_update:.2f}" for r in rounds
        )
        print(f"{ours}: CPU per update × its echo bot, round by round: {ratios}")
    path = save(
        f"intake-{options.database}",
        rows,
        {
            "customers": options.customers,
            "rounds": [[asdict(r) for r in one.values()] for one in rounds],
        },
    )
    print(f"saved {path}")


if __name__ == "__main__":
    asyncio.run(main())
