"""Intake throughput: N concurrent customers file a complaint through the emulator.

Prints updates/s, p50/p99 time from a customer's action to the bot's reply, CPU ms per update
and peak RSS of the bot process, for hearback on each runtime and, as its baseline, a bare echo
bot of the same framework (aiogram, python-telegram-bot), all measured in the same run against
the same emulator. Telegram's rate limits are off on both sides: this measures the bot, not
Telegram's pacing.

    .venv/bin/python bench/intake.py [--customers 200] [--database sqlite|postgres]
                                     [--runtime aiogram ptb]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, TOKEN, Child, Measurement, percentile, print_table, python, save
from bot.emulator import BotApiEmulator, Message, RateLimits

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "bot" / "demo" / "hearback.toml"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


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
    log = RESULTS / f"{name.split(' (')[0].replace(' ', '-')}.log"
    child = Child(args, {"BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": emu.base_url, **env}, log)
    latencies: list[float] = []
    people = [Customer(emu, first_id + n, latencies) for n in range(customers)]
    # Warm-up: one customer alone, so start-up (migrations, getMe) is not in the numbers.
    warm = Customer(emu, first_id - 1, [])
    await getattr(warm, script)()
    started = time.perf_counter()
    counts = await asyncio.gather(*(getattr(p, script)() for p in people))
    seconds = time.perf_counter() - started
    cpu, rss = child.stop()
    updates = sum(counts)
    return Measurement(
        name=name,
        updates=updates,
        seconds=round(seconds, 2),
        updates_per_s=round(updates / seconds, 1),
        p50_ms=round(percentile(latencies, 0.5) * 1000, 1),
        p99_ms=round(percentile(latencies, 0.99) * 1000, 1),
        # CPU includes start-up and warm-up, so the ratio to the baseline is conservative.
        cpu_ms_per_update=round(cpu * 1000 / (updates + 7), 3),
        peak_rss_mb=round(rss, 1),
    )


ECHO_BOTS = {"aiogram": "echo_bot.py", "ptb": "echo_ptb.py"}


async def main() -> None:
    """Run each runtime's echo baseline and hearback on it; print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--runtime", nargs="+", choices=sorted(ECHO_BOTS), default=["aiogram", "ptb"]
    )
    options = parser.parse_args()
    rows: list[Measurement] = []
    baselines: dict[str, str] = {}
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.off()) as emu:
        # The demo organisation's staff forums, so every case opens its topic as in production.
        emu.add_supergroup(-1001234567890, "Acme Support")
        emu.add_supergroup(-1001234567891, "Acme Billing")
        for n, runtime in enumerate(options.runtime):
            echo = f"{runtime} echo (base)"
            rows.append(
                await measure(
                    echo,
                    emu,
                    [python(), str(ROOT / "bench" / ECHO_BOTS[runtime])],
                    {},
                    options.customers,
                    "echo_round",
                    100_000 + 10_000 * n,
                )
            )
            with tempfile.TemporaryDirectory() as folder:
                url = (
                    f"sqlite+aiosqlite:///{folder}/bench.db"
                    if options.database == "sqlite"
                    else PG_URL
                )
                env = {
                    "DATABASE_URL": url,
                    "HEARBACK_CONFIG": str(CONFIG),
                    "HEARBACK_SEND_LIMITS": "off",
                }
                name = f"hearback {runtime} ({options.database})"
                baselines[name] = echo
                rows.append(
                    await measure(
                        name,
                        emu,
                        [python(), "-m", "bot.cli", "run", "--runtime", runtime],
                        env,
                        options.customers,
                        "file_complaint",
                        200_000 + 10_000 * n,
                    )
                )
    print(f"\n{options.customers} concurrent customers, 7 updates each, emulator limits off\n")
    print_table(rows, baselines)
    path = save(f"intake-{options.database}", rows, {"customers": options.customers})
    print(f"\nsaved {path}")


if __name__ == "__main__":
    asyncio.run(main())
