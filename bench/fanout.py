"""Fan-out under Telegram's global limit: 2,000 check-ins come due at once, to 2,000 customers.

Each of N open cases has its promised update due now, so the scheduler fires N check-ins in one
go and the sender must deliver them all through Telegram's 30 messages/s global budget. The
emulator enforces Telegram's limits (30/s overall, 1/s per chat, 20/min per group). Printed:
check-ins per second as a share of 30/s (target ≥ 95%), 429s received (target 0) and check-ins
lost (must be 0); for hearback pacing its sends and, as the baseline in the same run, the same
bot with its pacing switched off (it only reacts to 429 retry_after).

The staff-topic notes that go with each check-in ("the bot kept the promise") are paced at the
group's 20/min and are not counted: they are still queued when the customers have their news.

    .venv/bin/python bench/fanout.py [--customers 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, TOKEN
from bench.seeding import CONFIG, STAFF, fresh_app, seed
from bot.settings import load_org
from flows import case_timers
from sandbox.emulator import BotApiEmulator, RateLimits

TELEGRAM_GLOBAL = 30.0  # messages per second
SAMPLE = 0.02  # seconds between looks at the emulator


@dataclass
class Row:
    """One run of the benchmark."""

    name: str
    customers: int
    seconds: float
    per_second: float
    share_of_limit: float
    rate_limited: int
    lost: int


def delivered(emu: BotApiEmulator, customers: dict[int, int]) -> int:
    """Customers who have received their check-in."""
    return sum(1 for user_id in customers if emu.stats.sent[user_id])


async def run(name: str, paced: bool, customers: int) -> Row:
    """One bot, one emulator, N check-ins due; measured from the first delivered to the last."""
    org = load_org(CONFIG)
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.telegram()) as emu:
        emu.add_user(STAFF, "Piotr")
        emu.add_supergroup(-1001234567891, "Acme Billing")
        emu.add_supergroup(org.teams[0].chat_id, "Acme Support", members=[STAFF])
        async with fresh_app(emu, org, paced) as app:
            people = await seed(app, emu, org, customers, timer=case_timers.PROMISE)
            runner = asyncio.create_task(app.run())
            deadline = time.perf_counter() + customers / TELEGRAM_GLOBAL * 4 + 120
            first = last = 0.0
            while (count := delivered(emu, people)) < customers:
                now = time.perf_counter()
                if count and not first:
                    first = now
                if now > deadline:
                    break
                await asyncio.sleep(SAMPLE)
            last = time.perf_counter()
            app.stop.set()
            await runner
            lost = customers - delivered(emu, people)
            # The first delivery is the clock's start: n deliveries span n - 1 intervals.
            seconds = max(last - first, SAMPLE)
            rate = (customers - lost - 1) / seconds
            return Row(
                name=name,
                customers=customers,
                seconds=round(seconds, 1),
                per_second=round(rate, 1),
                share_of_limit=round(100 * rate / TELEGRAM_GLOBAL, 1),
                rate_limited=emu.stats.total_rate_limited,
                lost=lost,
            )


async def main() -> None:
    """Run the unpaced baseline and hearback; print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=2000)
    options = parser.parse_args()
    rows = [
        await run("unpaced (baseline)", False, options.customers),
        await run("hearback paced", True, options.customers),
    ]
    print(
        f"\n{options.customers} check-ins due at once to {options.customers} customers; "
        "emulator enforces 30/s overall, 1/s per chat, 20/min per group\n"
    )
    header = f"{'bot':<22}{'check-ins':>10}{'seconds':>9}{'per s':>8}{'% of 30/s':>11}{'429s':>7}{'lost':>6}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r.name:<22}{r.customers:>10}{r.seconds:>9.1f}{r.per_second:>8.1f}"
            f"{r.share_of_limit:>11.1f}{r.rate_limited:>7}{r.lost:>6}"
        )
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "fanout.json"
    path.write_text(json.dumps({"rows": [asdict(r) for r in rows], **vars(options)}, indent=2))
    print(f"\nsaved {path}")


if __name__ == "__main__":
    asyncio.run(main())
