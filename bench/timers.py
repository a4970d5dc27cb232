"""Timer cost: one scheduler tick with few timers due, among 1,000 and among 100,000 open cases.

Every open case carries its real timers (SLA warnings and breaches, the promised update), so
the tables are as large as they would be in production; only a handful are due. A tick that
costs O(due timers) takes about as long with 100,000 open cases as with 1,000 (target: ≤ 2×).
Printed for SQLite and PostgreSQL; the 1,000-case run is each database's baseline.

    .venv/bin/python bench/timers.py [--small 1000] [--large 100000] [--due 20] [--repeats 5]
                                     [--database sqlite|postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text

from bench.common import RESULTS
from bench.common import database as fresh_database
from bench.seeding import quiet_promise
from bot.app import timer_handlers
from bot.clock import ManualClock
from bot.scheduler import Scheduler
from bot.settings import load_org
from flows import case_timers
from flows.case_number import case_number_from
from flows.env import Env
from flows.model import Timer
from flows.promise import to_json
from storage.database import Database
from storage.tables import CASES, CUSTOMERS, TIMERS

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "sandbox" / "demo" / "hearback.toml"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday 10:00 in Warsaw
BATCH = 5000


def _case(n: int) -> dict[str, object]:
    return {
        "id": n,
        "number": case_number_from(n.to_bytes(5, "big")),
        "customer_id": n,
        "category": "delivery",
        "team": "support",
        "manager": "maria",
        "description": "seeded",
        "contact": "telegram",
        "state": "assigned",
        "owner_id": 7001,
        "owner_name": "Piotr (Support)",
        "created_at": NOW - timedelta(hours=1),
        "updated_at": NOW - timedelta(hours=1),
        "first_response_due": NOW + timedelta(days=3),
        "resolve_due": NOW + timedelta(days=5),
        "promise": to_json(quiet_promise(NOW)),
        "topic_chat_id": -1001234567890,
        "topic_id": n,
        "customer_header": True,
        "transfers": 0,
        "reopened": 0,
        "version": 0,
    }


async def seed(db: Database, cases: int) -> None:
    """`cases` open cases, each with its five timers, none of them due."""
    kinds = (*case_timers.CASE_KINDS[:5],)
    async with db.engine.begin() as connection:
        for start in range(1, cases + 1, BATCH):
            numbers = range(start, min(cases + 1, start + BATCH))
            await connection.execute(
                insert(CUSTOMERS),
                [
                    {
                        "id": n,
                        "telegram_id": 10_000_000 + n,
                        "first_name": f"C{n}",
                        "language": "en",
                        "unreachable": False,
                        "created_at": NOW,
                    }
                    for n in numbers
                ],
            )
            rows = [_case(n) for n in numbers]
            await connection.execute(insert(CASES), rows)
            await connection.execute(
                insert(TIMERS),
                [
                    {
                        "kind": kind,
                        "key": row["number"],
                        "due_at": NOW + timedelta(days=2, minutes=i),
                        "payload": {},
                    }
                    for row in rows
                    for i, kind in enumerate(kinds)
                ],
            )


async def make_due(db: Database, cases: int, due: int, round_: int) -> None:
    """Bring the promised update of `due` cases (different ones each round) to now."""
    async with db.uow() as uow:
        for k in range(due):
            n = 1 + (round_ * due + k) * 7919 % cases
            number = case_number_from(n.to_bytes(5, "big"))
            await uow.timers.set(Timer(case_timers.PROMISE, number, NOW - timedelta(seconds=1)))
        await uow.commit()


async def measure(url: str, cases: int, due: int, repeats: int) -> float:
    """Median seconds of a tick that fires `due` timers among `cases` open cases."""
    org = load_org(CONFIG)
    async with Database(url) as db:
        await db.migrate()
        await seed(db, cases)
        async with db.engine.begin() as connection:
            # A live database has planner statistics (autovacuum keeps them); a bulk-loaded one
            # must be analysed, or the planner guesses its tables are empty.
            await connection.execute(text("ANALYZE"))
        clock = ManualClock(NOW)
        scheduler = Scheduler(
            db.uow,
            timer_handlers(),
            lambda: Env(org, clock.now(), lambda n: uuid.uuid4().bytes[:n]),
            clock,
            lambda: None,
        )
        times = []
        for round_ in range(repeats + 1):
            await make_due(db, cases, due, round_)
            started = time.perf_counter()
            fired = await scheduler.tick()
            elapsed = time.perf_counter() - started
            assert fired == due, f"{fired} fired, {due} were due"
            if round_:  # the first tick warms caches and compiles statements
                times.append(elapsed)
    return statistics.median(times)


async def main() -> None:
    """Measure both sizes on both databases; print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database", choices=("sqlite", "postgres"), action="append")
    options = parser.parse_args()
    results: dict[str, dict[int, float]] = {}
    for database in options.database or ("sqlite", "postgres"):
        results[database] = {}
        for cases in (options.small, options.large):
            async with fresh_database(database) as url:
                seconds = await measure(url, cases, options.due, options.repeats)
            results[database][cases] = seconds
            print(f"{database:<9} {cases:>7} open cases: tick {seconds * 1000:8.1f} ms", flush=True)
    print(f"\none tick firing {options.due} due check-ins (median of {options.repeats})\n")
    header = f"{'database':<10}{options.small:>12,} cases{options.large:>14,} cases{'ratio':>8}"
    print(header)
    print("-" * len(header))
    for database, row in results.items():
        small, large = row[options.small], row[options.large]
        print(
            f"{database:<10}{small * 1000:>15.1f} ms{large * 1000:>17.1f} ms{large / small:>8.2f}"
        )
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "timers.json"
    path.write_text(
        json.dumps(
            {
                "ms": {db: {str(k): v * 1000 for k, v in r.items()} for db, r in results.items()},
                **vars(options),
            },
            indent=2,
        )
    )
    print(f"\nsaved {path}")


if __name__ == "__main__":
    asyncio.run(main())
