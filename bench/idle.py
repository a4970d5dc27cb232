"""An idle bot's CPU: milliseconds a second while nobody writes, beside the idle echo bots.

A bot that waits for customers most of the day should cost next to nothing meanwhile. Each bot
starts against its own emulator, answers nothing for a settling pause, and its CPU is read over
a window of quiet; rounds alternate the bots and the table shows each one's median. With
`--also DIR`, the hearback of another checkout (an older commit) is measured beside this one.

    .venv/bin/python bench/idle.py [--rounds 3] [--window 40] [--runtime aiogram] [--also DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, database, python
from bench.intake import CONFIG, ECHO_BOTS, echo_name
from bench.startup import first_polled

ROOT = Path(__file__).resolve().parent.parent
SETTLE = 10.0  # seconds after the first getUpdates: start-up work (menus, group checks) is done


async def idle_cpu(args: list[str], env: dict[str, str], folder: Path, window: float) -> float:
    """Start a bot, let it settle, and return its CPU milliseconds per second of quiet."""
    async with first_polled(args, env, folder) as (child, _):
        await asyncio.sleep(SETTLE)  # a measured pause, not a synchronisation
        before = child.cpu()
        await asyncio.sleep(window)
        return (child.cpu() - before) * 1000 / window


async def main() -> None:
    """Measure each bot round after round; print the medians and save them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--window", type=float, default=40.0, help="seconds of quiet measured")
    parser.add_argument(
        "--runtime", nargs="+", choices=sorted(ECHO_BOTS), default=["aiogram", "ptb"]
    )
    parser.add_argument("--also", type=Path, help="another checkout's hearback, measured beside")
    options = parser.parse_args()
    folders = {"": ROOT} | ({f" ({options.also.name})": options.also} if options.also else {})
    samples: dict[str, list[float]] = {}
    async with contextlib.AsyncExitStack() as stack:
        bots = {}
        for runtime in options.runtime:
            echo = [python(), str(ROOT / "bench" / ECHO_BOTS[runtime])]
            bots[echo_name(runtime)] = (echo, {}, ROOT)
            for suffix, folder in folders.items():
                url = await stack.enter_async_context(database("sqlite"))
                env = {"DATABASE_URL": url, "HEARBACK_CONFIG": str(CONFIG)}
                command = [python(), "-m", "bot.cli", "run", "--runtime", runtime]
                bots[f"hearback {runtime}{suffix}"] = (command, env, folder)
        for _ in range(options.rounds):
            for name, (args, env, folder) in bots.items():
                value = await idle_cpu(args, env, folder, options.window)
                samples.setdefault(name, []).append(value)
                print(f"{name:<32}{value:>8.2f} ms/s", flush=True)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"\nidle CPU, ms a second over {options.window:.0f} s, median of {options.rounds}\n")
    print(f"{'bot':<32}{'ms/s':>8}{'× echo':>8}")
    for name, value in medians.items():
        runtime = name.split()[1] if name.startswith("hearback") else name.split()[0]
        base = medians[echo_name(runtime)]
        ratio = f"{value / base:>8.1f}" if base > 0 else f"{'-':>8}"
        print(f"{name:<32}{value:>8.2f}{ratio}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "idle.json"
    path.write_text(json.dumps({"median_ms_per_s": medians, "rounds": samples}, indent=2))
    print(f"saved {path}")


if __name__ == "__main__":
    asyncio.run(main())
