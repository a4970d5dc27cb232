"""Cost stays flat: intake CPU per update with many open cases beside few.

Two databases are seeded with open cases (bench/seeding.py: each in its own staff topic), 1,000
and 100,000 by default; then, round after round, hearback runs on each while N customers file
complaints at once, measured as bench/intake.py measures (limits off). Printed: CPU per update
on each, and the ratio of the large one to the small one, its baseline in the same run
(target ≤ 1.2).

    .venv/bin/python bench/open_cases.py [--small 1000] [--large 100000] [--customers 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import TOKEN, Measurement, print_table, python, save
from bench.intake import CONFIG, measure, median, staff_groups
from bench.seeding import forget_updates, fresh_app, seed
from bot.settings import load_org
from sandbox.emulator import BotApiEmulator, RateLimits


@contextlib.asynccontextmanager
async def seeded(emu: BotApiEmulator, cases: int) -> AsyncIterator[str]:
    """A SQLite database with `cases` open cases; yields its URL."""
    org = load_org(CONFIG)
    async with fresh_app(emu, org, paced=False) as app:
        for done in range(0, cases, 10_000):  # a transaction per 10,000
            await seed(app, emu, org, min(10_000, cases - done), first=done)
        await app.db.dispose()
        forget_updates(emu)
        yield app.settings.database_url


async def main() -> None:
    """Seed both databases, measure intake on each round after round, print and save."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    rounds: list[dict[str, Measurement]] = []
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.off()) as emu:
        staff_groups(emu)
        async with seeded(emu, options.small) as small, seeded(emu, options.large) as large:
            for n in range(options.rounds):
                one = {}
                for k, (cases, url) in enumerate(((options.small, small), (options.large, large))):
                    env = {
                        "DATABASE_URL": url,
                        "HEARBACK_CONFIG": str(CONFIG),
                        "HEARBACK_SEND_LIMITS": "off",
                    }
                    row = await measure(
                        f"hearback, {cases:,} open cases",
                        emu,
                        [python(), "-m", "bot.cli", "run"],
                        env,
                        options.customers,
                        "file_complaint",
                        2_000_000 + (2 * n + k) * (options.customers + 10),
                    )
                    one[row.name] = row
                rounds.append(one)
    names = list(rounds[0])
    rows = [median([r[name] for r in rounds]) for name in names]
    print(
        f"\n{options.customers} concurrent customers filing, limits off; median of "
        f"{options.rounds} round(s) by CPU per update\n"
    )
    print_table(rows, {names[1]: names[0]}, names[0])
    ratios = ", ".join(
        f"{r[names[1]].cpu_ms_per_update / r[names[0]].cpu_ms_per_update:.2f}" for r in rounds
    )
    print(f"{names[1]}: CPU per update × {names[0]}, round by round: {ratios}")
    path = save(
        "open_cases",
        rows,
        {**vars(options), "rounds": [[asdict(r) for r in one.values()] for one in rounds]},
    )
    print(f"saved {path}")


if __name__ == "__main__":
    asyncio.run(main())
