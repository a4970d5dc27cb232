"""Cold start: seconds from starting the process to its first getUpdates, beside the echo bots.

hearback starts on a database it has already migrated (a restart, as after a deploy); each
echo bot of the same framework is its baseline, measured in the same run against the same
emulator. Rounds alternate the bots; the table shows each one's median.

    .venv/bin/python bench/startup.py [--rounds 5] [--runtime aiogram ptb]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, TOKEN, Child, database, python
from bench.intake import CONFIG, ECHO_BOTS, echo_name, staff_groups
from sandbox.emulator import BotApiEmulator, RateLimits

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def working_directory(folder: Path) -> Iterator[None]:
    """Start children in `folder`: `python -m bot.cli` runs the code found there."""
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.asynccontextmanager
async def first_polled(
    args: list[str], env: dict[str, str], folder: Path = ROOT
) -> AsyncIterator[tuple[Child, float]]:
    """A bot started in `folder` against an emulator of its own, once its first getUpdates has
    arrived: the bot, and the seconds that took. It is stopped on the way out.

    An emulator of its own: a stopped bot's last calls cannot count for the next one.
    """
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.off()) as emu:
        staff_groups(emu)
        started = time.perf_counter()
        with working_directory(folder):
            child = Child(args, {"BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": emu.base_url, **env})
        try:
            await emu.wait_for(
                lambda: emu.stats.requests["getUpdates"] > 0, timeout=120, message="no getUpdates"
            )
            yield child, time.perf_counter() - started
        except BaseException:
            print(child.log_tail(), file=sys.stderr)
            raise
        finally:
            await child.stopped()


async def first_poll(args: list[str], env: dict[str, str]) -> float:
    """Start a bot; return the seconds until its first getUpdates reached the emulator."""
    async with first_polled(args, env) as (_, seconds):
        return seconds


async def main() -> None:
    """Start each bot round after round; print the medians and save them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--runtime", nargs="+", choices=sorted(ECHO_BOTS), default=["aiogram", "ptb"]
    )
    options = parser.parse_args()
    seconds: dict[str, list[float]] = {}
    async with database("sqlite") as url:
        bots = {}
        for runtime in options.runtime:
            bots[echo_name(runtime)] = ([python(), str(ROOT / "bench" / ECHO_BOTS[runtime])], {})
            bots[f"hearback {runtime}"] = (
                [python(), "-m", "bot.cli", "run", "--runtime", runtime],
                {"DATABASE_URL": url, "HEARBACK_CONFIG": str(CONFIG)},
            )
        for args, env in bots.values():  # migrations, and Python's compiled modules, first
            await first_poll(args, env)
        for _ in range(options.rounds):
            for name, (args, env) in bots.items():
                seconds.setdefault(name, []).append(await first_poll(args, env))
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    print(f"\nstart to first getUpdates, median of {options.rounds} round(s)\n")
    print(f"{'bot':<24}{'seconds':>9}{'+ echo s':>10}")
    for name, value in medians.items():
        runtime = name.split()[-1] if name.startswith("hearback") else name.split()[0]
        print(f"{name:<24}{value:>9.2f}{value - medians[echo_name(runtime)]:>10.2f}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "startup.json"
    path.write_text(json.dumps({"median_seconds": medians, "rounds": seconds}, indent=2))
    print(f"saved {path}")


if __name__ == "__main__":
    asyncio.run(main())
