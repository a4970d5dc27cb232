"""Faults at full size: SIGKILLs across intake and handoff, and a flood of malformed updates.

Kills: customers file complaints, send numbered notes and get staff answers while the bot is
SIGKILLed at random moments (1,000 times by default) and started again: lost messages, messages
sent twice (per kill) and notes out of order. Fuzz: 10,000 generated malformed updates among real
customers: customers left without a case number, dead letters, worker restarts and the time to
drain. Each runtime gets a baseline row in the same run: the same customers, no faults.
Then a Bot API outage (60 s) and a storm of 429s on 30% of calls (60 s), from
bench/faults_delivery.py: lost, out of order, calls before retry_after, time to drain.

    .venv/bin/python bench/faults.py [--kills 1000] [--fuzzed 10000] [--customers 8]
                                     [--notes 3] [--runtime aiogram|ptb] [--seed 1]
                                     [--outage 60] [--storm 60] [--storm-customers 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import faults_delivery
from bench.common import RESULTS
from bot.app import App
from bot.clock import ManualClock
from bot.limits import SendLimits
from bot.retry import ATTEMPTS
from bot.settings import Settings, load_org
from sandbox.emulator import BotApiEmulator, RateLimits
from tests.conftest import DEMO_CONFIG, MONDAY_10_WARSAW
from tests.e2e.chat import Person
from tests.e2e.process import TOKEN
from tests.e2e.test_intake import file_complaint
from tests.faults import kills
from tests.faults.malformed import draw, inject


@dataclass
class Row:
    """One scenario on one runtime."""

    scenario: str
    runtime: str
    faults: int
    lost: int
    duplicated: int
    per_kill: float | None
    out_of_order: int
    dead_letters: int
    restarts: int
    seconds: float


async def kill_rows(runtime: str, options: argparse.Namespace) -> list[Row]:
    """The baseline (no kills) and the kill scenario."""
    rows = []
    for count in (0, options.kills):
        async with BotApiEmulator(token=TOKEN, limits=RateLimits.off()) as emu:
            emu.add_supergroup(kills.STAFF_GROUP, "Acme Support")
            with tempfile.TemporaryDirectory() as folder:
                started = time.perf_counter()
                outcome = await kills.run(
                    emu,
                    Path(folder) / "kills.db",
                    runtime,
                    options.customers,
                    options.notes,
                    count,
                    options.seed,
                )
                seconds = time.perf_counter() - started
        print(f"  [{runtime}] {outcome.report()}", flush=True)
        rows.append(
            Row(
                "kills" if count else "kills baseline",
                runtime,
                count,
                len(outcome.lost),
                outcome.duplicates,
                outcome.duplicates / count if count else None,
                outcome.out_of_order,
                0,
                0,
                seconds,
            )
        )
    return rows


async def fuzz_row(runtime: str, fuzzed: int, options: argparse.Namespace) -> Row:
    """Customers filing complaints among `fuzzed` malformed updates, in one bot process."""
    updates = draw(fuzzed, options.seed) if fuzzed else []
    clock = ManualClock(MONDAY_10_WARSAW)
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.off()) as emu:
        emu.add_supergroup(kills.STAFF_GROUP, "Acme Support")
        emu.add_supergroup(-1001234567891, "Acme Billing")
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(
                bot_token=TOKEN,  # type: ignore[arg-type]
                database_url=f"sqlite+aiosqlite:///{folder}/fuzz.db",
                telegram_api_base=emu.base_url,
                hearback_config=DEMO_CONFIG,
                hearback_runtime=runtime,  # type: ignore[arg-type]
            )
            app = App(
                settings,
                load_org(DEMO_CONFIG),
                clock,
                SendLimits.unlimited(),
                poll_timeout=1,
                tick_interval=0.05,
            )
            running = asyncio.create_task(app.run())
            await app.running.wait()
            started = time.perf_counter()
            people = [Person(emu, 5600 + n, f"Kunde{n}") for n in range(options.customers)]
            share = max(1, len(updates) // max(1, options.customers))
            numbers: list[str | None] = []
            for n, person in enumerate(people):
                filing = asyncio.create_task(file_complaint(person, f"Complaint {n}, real."))
                for update in updates[n * share : (n + 1) * share]:
                    inject(emu, update)
                try:
                    numbers.append(await asyncio.wait_for(filing, timeout=600))
                except (AssertionError, TimeoutError):
                    numbers.append(None)
            for update in updates[options.customers * share :]:
                inject(emu, update)
            # Every failing update's spaced attempts, until it is handled or set aside.
            for _ in range(ATTEMPTS + 1):
                await emu.wait_for(lambda: emu.updates_pending() == 0, timeout=600)
                async with app.db.uow() as uow:
                    waiting = await uow.inbox.pending(1, clock.now())
                while waiting:
                    await asyncio.sleep(0.05)  # polling the database within a bench run's patience
                    async with app.db.uow() as uow:
                        waiting = await uow.inbox.pending(1, clock.now())
                clock.advance(timedelta(minutes=10))
                app.processor.wake()
            seconds = time.perf_counter() - started
            async with app.db.uow() as uow:
                dead = len(await uow.inbox.dead())
            restarts = sum(app.restarts.values())
            app.stop.set()
            await running
    return Row(
        "fuzz" if fuzzed else "fuzz baseline",
        runtime,
        fuzzed,
        sum(1 for n in numbers if n is None),
        0,
        None,
        0,
        dead,
        restarts,
        seconds,
    )


def print_table(rows: list[Row]) -> None:
    """The results, one line per scenario and runtime."""
    head = (
        f"{'scenario':<16} {'runtime':<8} {'faults':>7} {'lost':>5} {'dupl.':>6} "
        f"{'per kill':>9} {'order':>6} {'dead':>6} {'restarts':>8} {'seconds':>8}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        per_kill = "" if r.per_kill is None else f"{r.per_kill:.4f}"
        print(
            f"{r.scenario:<16} {r.runtime:<8} {r.faults:>7} {r.lost:>5} {r.duplicated:>6} "
            f"{per_kill:>9} {r.out_of_order:>6} {r.dead_letters:>6} {r.restarts:>8} "
            f"{r.seconds:>8.1f}"
        )


async def main() -> None:
    """Run every scenario on every runtime asked for; print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--fuzzed", type=int, default=10_000)
    parser.add_argument("--customers", type=int, default=8)
    parser.add_argument("--notes", type=int, default=3)
    parser.add_argument("--runtime", choices=("aiogram", "ptb"), action="append")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--outage", type=float, default=60.0, help="seconds of Bot API outage")
    parser.add_argument(
        "--storm", type=float, default=60.0, help="seconds of 429s on 30%% of calls"
    )
    parser.add_argument("--storm-customers", type=int, default=100)
    options = parser.parse_args()
    rows: list[Row] = []
    for runtime in options.runtime or ("aiogram", "ptb"):
        rows += await kill_rows(runtime, options)
        for fuzzed in (0, options.fuzzed):
            rows.append(await fuzz_row(runtime, fuzzed, options))
    delivery = [
        await faults_delivery.outage(options.outage, options.storm_customers),
        await faults_delivery.storm(options.storm, options.storm_customers),
    ]
    print()
    print_table(rows)
    print()
    faults_delivery.print_rows(delivery)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "faults.json"
    saved = {
        "rows": [asdict(r) for r in rows],
        "delivery": faults_delivery.rows_as_dicts(delivery),
        "options": vars(options),
    }
    path.write_text(json.dumps(saved, indent=2))
    print(f"\nSaved to {path}")


if __name__ == "__main__":
    asyncio.run(main())
