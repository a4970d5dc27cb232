"""Fan-out under Telegram's limits: 2,000 check-ins come due at once, to 2,000 customers.

Each of N open cases has its promised update due now, so the scheduler fires N check-ins in one
go and the sender must deliver them all through Telegram's 30 messages/s global budget. The
emulator enforces Telegram's limits (30/s overall, 1/s per chat, 20/min per group) and records
when every call that sends or edits arrived. Printed, for hearback pacing its calls and, as the
baseline in the same run, the same bot with its pacing switched off (it only honours 429s):

- check-ins per second as a share of 30/s (target ≥ 95%), 429s received (target 0), lost (0);
- the bot's CPU per delivered message (target ≤ 2 ms): the bot runs in a process of its own
  (bench/fanout_bot.py) on the database seeded here, so that the emulator neither counts nor
  competes for the bot's interpreter; "while sending" counts from the first delivery to the
  last, "whole run" from the bot's start (after its imports and migrations). Two paced runs: the timers firing while the sender sends (as in
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
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, TOKEN, Child, python
from bench.seeding import CONFIG, STAFF, forget_updates, fresh_app, seed
from bot.settings import load_org
from flows import case_timers
from sandbox.emulator import BotApiEmulator, RateLimits
from sandbox.emulator.windows import windows

TELEGRAM_GLOBAL = 30.0  # messages per second
SAMPLE = 0.25  # seconds between looks at the emulator
BOT = Path(__file__).resolve().parent / "fanout_bot.py"


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


def reached(emu: BotApiEmulator, customers: dict[int, int]) -> int:
    """Customers who have received their check-in."""
    sent = emu.stats.sent
    return sum(1 for user_id in customers if sent[user_id])


async def started(child: Child, ready: Path) -> None:
    """Wait until the bot process says it is about to poll and send."""
    deadline = time.monotonic() + 120
    while not await asyncio.to_thread(ready.exists):
        if child.proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the bot did not start:\n{child.log_tail()}")
        await asyncio.sleep(0.05)


async def run(name: str, paced: bool, customers: int, queued: bool = False) -> Row:
    """One bot process, one emulator, N check-ins due; measured from the first delivered to
    the last.

    With `queued`, the timers fire before the bot starts, so that the sender alone is measured
    (its schedule loaded at start); else they fire while it sends, as in production.
    """
    org = load_org(CONFIG)
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.telegram()) as emu:
        emu.add_user(STAFF, "Piotr")
        emu.add_supergroup(-1001234567891, "Acme Billing")
        emu.add_supergroup(org.teams[0].chat_id, "Acme Support", members=[STAFF])
        async with fresh_app(emu, org, paced) as app:
            people = await seed(app, emu, org, customers, case_timers.PROMISE)
            forget_updates(emu)
            start = app.clock.now()
            await app.db.dispose()
            with tempfile.TemporaryDirectory() as folder:
                ready = Path(folder) / "ready"
                args = [python(), str(BOT), app.settings.database_url, emu.base_url]
                args += [start.isoformat(), "--ready", str(ready)]
                args += ["--paced"] * paced + ["--tick"] * queued
                child = Child(args, {})
                try:
                    await started(child, ready)
                    cpu_start = child.cpu()
                    deadline = time.perf_counter() + customers / TELEGRAM_GLOBAL * 4 + 120
                    # The times of the first and last check-in come from the emulator's record
                    # of calls; the bot's CPU is looked at every SAMPLE seconds.
                    window: list[tuple[float, float]] = []  # (monotonic, bot CPU) at each look
                    while reached(emu, people) < customers and time.perf_counter() < deadline:
                        window.append((time.monotonic(), child.cpu()))
                        await asyncio.sleep(SAMPLE)
                    window.append((time.monotonic(), child.cpu()))
                except BaseException:
                    print(f"{name} log:\n{child.log_tail()}", file=sys.stderr)
                    raise
                finally:
                    await child.stopped()
        lost = customers - reached(emu, people)
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
        found = windows(calls)
        return Row(
            name=name,
            customers=customers,
            seconds=round(seconds, 1),
            per_second=round(rate, 1),
            share_of_limit=round(100 * rate / TELEGRAM_GLOBAL, 1),
            rate_limited=emu.stats.total_rate_limited,
            lost=lost,
            delivered=emu.stats.total_sent,
            cpu_ms_per_message=round(1000 * (cpu1 - cpu0) / max(1, sent_between), 2),
            cpu_ms_per_message_whole_run=round(1000 * (cpu1 - cpu_start) / max(1, len(calls)), 2),
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
