"""Disk per closed complaint: what the SQLite file keeps of each case, before and after a purge.

N customers each file a complaint, a staff member takes it, answers, resolves it, and the
customer confirms, rates and comments: a whole case, as in tests/e2e/test_handoff.py. The bytes
SQLite uses (pages in use, not the file's free pages) are read before and after; then the
housekeeper purges as it would once HEARBACK_PURGE_AFTER_DAYS have passed, and the bytes are
read again: that is the steady state, the baseline being the same database unpurged.
Per table too (SQLite's dbstat), to show where the bytes go.

    .venv/bin/python bench/disk.py [--cases 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, TOKEN, database
from bench.seeding import CONFIG
from bot.app import App
from bot.clock import ManualClock
from bot.housekeeping import Housekeeper
from bot.limits import SendLimits
from bot.settings import Settings, load_org
from sandbox.emulator import BotApiEmulator, RateLimits
from tests.e2e.chat import Person, StaffMember

STAFF_GROUP = -1001234567890
MONDAY_10_WARSAW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def whole_case(emu: BotApiEmulator, customer: Person, piotr: StaffMember) -> None:
    """File, take, answer, resolve, confirm, rate and comment one complaint."""
    await customer.write("/new")
    await customer.press("Delivery")
    await customer.write("The parcel never arrived.")
    await customer.press("Continue")
    await customer.write("💬 Telegram only")
    await customer.press("Confirm")
    receipt = await customer.expect("registered as")
    number = next(word.strip(".,") for word in receipt.text.split() if word.startswith("HB-"))
    await piotr.press(number, "Take")
    await customer.expect("is now handling your case")
    await piotr.write(number, "We found your parcel at the depot.")
    await customer.expect("We found your parcel")
    await customer.write("Thank you, Long Street 5.")
    await piotr.press(number, "Resolve")
    await piotr.write(number, "The courier redelivers it today.")
    await customer.expect("Did this solve your problem?")
    await customer.press("Yes, it's solved")
    await customer.press("⭐ 5")
    await customer.expect("Would you like to tell us")
    await customer.write("Quick and kind.")
    await customer.expect("Thank you. Your feedback")


async def drained(app: App) -> bool:
    """Whether the bot has delivered everything it queued (staff topics trail the customers)."""
    async with app.db.uow() as uow:
        return "pending" not in await uow.outbox.counts()


def used_bytes(path: str) -> tuple[int, dict[str, int]]:
    """Bytes in pages SQLite uses, in all and per table or index (after a WAL checkpoint)."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = connection.execute("PRAGMA page_size").fetchone()[0]
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        free = connection.execute("PRAGMA freelist_count").fetchone()[0]
        tables = dict(connection.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))
    return (pages - free) * size, tables


async def main() -> None:
    """Run N whole cases, purge, print bytes per case and where they are, save as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=50)
    options = parser.parse_args()
    org = load_org(CONFIG)
    async with (
        BotApiEmulator(token=TOKEN, limits=RateLimits.off()) as emu,
        database("sqlite") as url,
    ):
        emu.add_supergroup(STAFF_GROUP, "Acme Support")
        piotr = StaffMember(emu, 7001, "Piotr", STAFF_GROUP)
        settings = Settings(
            bot_token=TOKEN,  # type: ignore[arg-type]
            database_url=url,
            telegram_api_base=emu.base_url,
            hearback_config=CONFIG,
        )
        clock = ManualClock(MONDAY_10_WARSAW)
        app = App(settings, org, clock=clock, limits=SendLimits.unlimited(), poll_timeout=1)
        running = asyncio.create_task(app.run())
        path = url.split(":///", 1)[1]
        try:
            await app.running.wait()
            await whole_case(emu, Person(emu, 499_999, "Warm"), piotr)
            before, _ = used_bytes(path)
            for start in range(0, options.cases, 10):
                people = [Person(emu, 500_000 + n, f"C{n}") for n in range(start, start + 10)]
                await asyncio.gather(*(whole_case(emu, p, piotr) for p in people))
            for _ in range(1500):  # a bench's deadline: five minutes
                if await drained(app):
                    break
                await asyncio.sleep(0.2)
            after, tables_after = used_bytes(path)
            keep = timedelta(days=settings.hearback_purge_after_days)
            later = ManualClock(clock.now() + keep + timedelta(minutes=1))
            purged = await Housekeeper(app.db.uow, later, keep).purge()
            purged_bytes, tables_purged = used_bytes(path)
        finally:
            app.stop.set()
            await running
    cases = options.cases
    unpurged = (after - before) / cases
    steady = (purged_bytes - before) / cases
    print(f"\n{cases} whole cases on SQLite; bytes in use per closed complaint\n")
    print(f"{'':<34}{'bytes/case':>12}")
    print(f"{'kept for ever (no purge, baseline)':<34}{unpurged:>12.0f}")
    print(f"{'after the purge (steady state)':<34}{steady:>12.0f}")
    print(f"\n{purged} processed rows purged. Where the bytes are (after, purged):")
    for name in sorted(tables_after, key=lambda n: -tables_after[n])[:12]:
        print(f"  {name:<40}{tables_after[name]:>10}{tables_purged.get(name, 0):>10}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "disk.json"
    out.write_text(
        json.dumps(
            {
                "cases": cases,
                "bytes_per_case_unpurged": unpurged,
                "bytes_per_case_purged": steady,
                "tables_unpurged": tables_after,
                "tables_purged": tables_purged,
            },
            indent=2,
        )
    )
    print(f"saved {out}")


if __name__ == "__main__":
    asyncio.run(main())
