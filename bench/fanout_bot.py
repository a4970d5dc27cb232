"""hearback for bench/fanout.py, in a process of its own: its CPU is then the bot's alone.

Runs on a database the benchmark has seeded, its clock standing where the seeding left it (a
working Monday morning), paced or not, until SIGTERM. With `--tick`, the due timers fire before
it starts polling and sending (the sender's own cost is then measured); the file `--ready`
appears when it is about to start.

    .venv/bin/python bench/fanout_bot.py URL API_BASE START_ISO --ready PATH [--paced] [--tick]
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import TOKEN
from bench.seeding import CONFIG
from bot import memory
from bot.app import App
from bot.clock import SimulatedClock
from bot.limits import SendLimits
from bot.settings import Settings, load_org


async def main() -> None:
    """Build the bot as the benchmark asks, say it is ready, run until SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("api_base")
    parser.add_argument("start", type=datetime.fromisoformat)
    parser.add_argument("--ready", type=Path, required=True)
    parser.add_argument("--paced", action="store_true")
    parser.add_argument("--tick", action="store_true")
    options = parser.parse_args()
    settings = Settings(
        bot_token=TOKEN,  # type: ignore[arg-type]
        database_url=options.url,
        telegram_api_base=options.api_base,
        hearback_config=CONFIG,
    )
    app = App(
        settings=settings,
        org=load_org(CONFIG),
        clock=SimulatedClock(options.start),
        limits=SendLimits() if options.paced else SendLimits.unlimited(),
        poll_timeout=1,
    )
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, app.stop.set)
    settle = asyncio.create_task(memory.settle(app.running))  # as `hearback run` does
    if options.tick:
        await app.scheduler.tick()
    options.ready.touch()
    try:
        await app.run()
    finally:
        settle.cancel()


if __name__ == "__main__":
    asyncio.run(main())
