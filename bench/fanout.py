"""Fan-out under Telegram's limits: 2,000 check-ins come due at once, to 2,000 customers.

Each of N open cases has its promised update due now, so the scheduler fires N check-ins in one
go and the sender must deliver them all through Telegram's 30 messages/s global budget. The
emulator enforces Telegram's limits (30/s overall, 1/s per chat, 20/min per group) and records
when every call that sends or edits arrived. Printed, for hearback pacing its calls and, as the
baseline in the same run, the same bot with its pacing switched off (it only honours 429s):

- check-ins per second as a share of 30/s (target ≥ 95%), 429s received (target 0), lost (0);
- the bot's CPU per delivered message (target ≤ 2 ms): the emulator runs on a thread of its
  own, whose CPU is left out; "while sending" counts from the first delivery to the last,
  "whole run" from the start. Two paced runs: the timers firing while the sender sends (as in
  production: firing a check-in costs more than sending it), and every check-in queued before
  the bot starts (the sender's own cost);
- the sliding-window check over what the emulator received: the most calls in any 1 s
  (≤ 30), into one group in any 60 s (≤ 20), into one chat in any 1 s and any 3 s (≤ 3).

The staff-topic notes that go with each check-in ("the bot kept the promise") are paced at the
group's 20/min: they are still queued when the customers have their news, and are not waited for.

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
from bench.emulator_thread import EmulatorThread, emulator_thread, process_cpu, seeded_world
from bench.seeding import CONFIG, STAFF, fresh_app, seed
from bot.settings import load_org
from flows import case_timers
from sandbox.emulator import RateLimits
from sandbox.emulator.windows import windows

TELEGRAM_GLOBAL = 30.0  # messages per second
SAMPLE = 0.25  # seconds between looks at the emulator


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
    delivered: int  # every message the bot created, topic notes included
    # CPU per call that sends or edits, as the emulator received them
    cpu_ms_per_message: float  # while sending
    cpu_ms_per_message_whole_run: float
    max_in_1s: int
    max_group_in_60s: int
    max_chat_in_1s: int
    max_chat_in_3s: int


def reached(handle: EmulatorThread, customers: dict[int, int]) -> int:
    """Customers who have received their check-in."""
    sent = handle.emu.stats.sent
    return sum(1 for user_id in customers if sent[user_id])


def bot_cpu(handle: EmulatorThread) -> float:
    """CPU seconds of the bot: the process's, less the emulator thread's."""
    return process_cpu() - handle.cpu()


async def run(name: str, paced: bool, customers: int, queued: bool = False) -> Row:
    """One bot, one emulator, N check-ins due; measured from the first delivered to the last.

    With `queued`, the timers fire before the bot starts, so that the sender alone is measured
    (its schedule loaded at start); else they fire while it sends, as in production.
    """
    org = load_org(CONFIG)
    async with emulator_thread(TOKEN, RateLimits.telegram()) as handle:

        def world(emu: object) -> None:
            handle.emu.add_user(STAFF, "Piotr")
            handle.emu.add_supergroup(-1001234567891, "Acme Billing")
            handle.emu.add_supergroup(org.teams[0].chat_id, "Acme Support", members=[STAFF])

        await handle.do(world)
        emu = handle.emu
        async with fresh_app(emu, org, paced) as app:
            people = await seed(app, seeded_world(handle), org, customers, case_timers.PROMISE)
            if queued:
                await app.scheduler.tick()
            cpu_start = bot_cpu(handle)
            runner = asyncio.create_task(app.run())
            deadline = time.perf_counter() + customers / TELEGRAM_GLOBAL * 4 + 120
            # Looks at the emulator are rare and cheap (they cost the bot's thread CPU too); the
            # times of the first and last check-in come from the emulator's record of calls.
            window: list[tuple[float, float]] = []  # (monotonic, bot CPU) at each look
            while reached(handle, people) < customers and time.perf_counter() < deadline:
                window.append((time.monotonic(), bot_cpu(handle)))
                await asyncio.sleep(SAMPLE)
            window.append((time.monotonic(), bot_cpu(handle)))
            app.stop.set()
            await runner
            lost = customers - reached(handle, people)
            calls = list(emu.stats.calls)
            check_ins = sorted(t for t, m, c in calls if c in people and m == "sendMessage")
            first, last = check_ins[0], check_ins[-1]
            # n deliveries span n - 1 intervals.
            seconds = max(last - first, SAMPLE)
            rate = (customers - lost - 1) / seconds
            # CPU between the first look after the first check-in and the last look.
            begin = next((n for n, (t, _) in enumerate(window) if t >= first), len(window) - 1)
            (t0, cpu0), (t1, cpu1) = window[begin], window[-1]
            sent_between = sum(1 for t, _, _ in calls if t0 <= t <= t1)
            total_sent = emu.stats.total_sent
            found = windows(calls)
            return Row(
                name=name,
                customers=customers,
                seconds=round(seconds, 1),
                per_second=round(rate, 1),
                share_of_limit=round(100 * rate / TELEGRAM_GLOBAL, 1),
                rate_limited=emu.stats.total_rate_limited,
                lost=lost,
                delivered=total_sent,
                cpu_ms_per_message=round(1000 * (cpu1 - cpu0) / max(1, sent_between), 2),
                cpu_ms_per_message_whole_run=round(
                    1000 * (cpu1 - cpu_start) / max(1, len(calls)), 2
                ),
                max_in_1s=found.overall_1s,
                max_group_in_60s=found.group_60s,
                max_chat_in_1s=found.chat_1s,
                max_chat_in_3s=found.chat_3s,
            )


async def main() -> None:
    """Run the unpaced baseline and hearback; print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument(
        "--runs", default="baseline,firing,queued", help="which runs, comma-separated"
    )
    options = parser.parse_args()
    runs = {
        "baseline": ("unpaced (baseline)", False, False),
        "firing": ("paced, timers firing", True, False),
        "queued": ("paced, all queued", True, True),
    }
    rows = []
    for key in options.runs.split(","):
        name, paced, queued = runs[key]
        rows.append(await run(name, paced, options.customers, queued))
    print(
        f"\n{options.customers} check-ins due at once to {options.customers} customers; "
        "emulator enforces 30/s overall, 1/s per chat, 20/min per group\n"
    )
    header = (
        f"{'bot':<20}{'check-ins':>10}{'seconds':>8}{'per s':>7}{'% of 30/s':>10}{'429s':>6}"
        f"{'lost':>5}{'ms CPU/msg':>11}{'(whole)':>8}{'1s max':>7}{'grp 60s':>8}"
        f"{'chat 1s':>8}{'chat 3s':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r.name:<20}{r.customers:>10}{r.seconds:>8.1f}{r.per_second:>7.1f}"
            f"{r.share_of_limit:>10.1f}{r.rate_limited:>6}{r.lost:>5}"
            f"{r.cpu_ms_per_message:>11.2f}{r.cpu_ms_per_message_whole_run:>8.2f}"
            f"{r.max_in_1s:>7}{r.max_group_in_60s:>8}{r.max_chat_in_1s:>8}{r.max_chat_in_3s:>8}"
        )
    print(
        "\ntargets: ≥ 95% of 30/s, 0 × 429, ≤ 2 ms CPU per message; windows ≤ 30 in 1 s, "
        "≤ 20 per group in 60 s, ≤ 3 per chat in 1 s and in 3 s"
    )
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "fanout.json"
    path.write_text(json.dumps({"rows": [asdict(r) for r in rows], **vars(options)}, indent=2))
    print(f"saved {path}")


if __name__ == "__main__":
    asyncio.run(main())
