"""Several instances: updates/s and CPU per update for 1, 2 and 3 webhook instances on one
PostgreSQL, and the time the sending role takes to move after its holder is SIGKILLed.

Each instance is `hearback run` in webhook mode behind a round-robin balancer (as Caddy in
compose.yaml); the emulator POSTs every update to the balancer as Telegram does. N customers file
a complaint at once (7 updates each). Updates/s is counted from the first action to the last
receipt; CPU is the instances' own (all of them, summed), from after a warm-up customer. On two
cores, more instances cannot add throughput: the point is that it does not fall, and that no
update is handled twice and no message sent twice (checked after every run).

Failover: with the instances still running, the one holding the sending role is SIGKILLed; the
time until another reports the role on /metrics, and until a customer's /start is answered.

    .venv/bin/python bench/scale.py [--customers 60] [--instances 1 2 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, TOKEN, database
from bench.intake import Customer, staff_groups
from sandbox.emulator import BotApiEmulator, RateLimits
from storage.database import Database
from tests.e2e.balancer import Balancer
from tests.e2e.instances import Instance

UPDATES_PER_CUSTOMER = 7


async def query(url: str, sql: str) -> int:
    """One number from the database."""
    from sqlalchemy import text

    async with Database(url) as db, db.engine.connect() as connection:
        return int((await connection.execute(text(sql))).scalar_one())


def duplicates(emu: BotApiEmulator, customers: list[Customer]) -> int:
    """Messages a customer received more than once (none expected)."""
    extra = 0
    for customer in customers:
        texts = [m.text for m in emu.bot_messages(customer.id)]
        extra += len(texts) - len(set(texts))
    return extra


async def cluster_run(
    emu: BotApiEmulator, count: int, customers: int, first_id: int, failover: bool
) -> dict[str, object]:
    """Start `count` instances on a fresh database, run the customers, check, measure."""
    emu.reset()
    staff_groups(emu)
    async with database("postgres") as url:
        async with Database(url) as db:
            await db.migrate()
        balancer = Balancer([])
        base = await balancer.start()
        logs = Path(tempfile.mkdtemp(prefix=f"hearback-scale-{count}-"))
        instances = [Instance(emu, url, base, logs / f"instance-{n}.log") for n in range(count)]
        for instance in instances:
            instance.env["TELEGRAM_API_BASE"] = emu.base_url
            instance.env["BOT_TOKEN"] = TOKEN
        balancer.upstreams[:] = [i.port for i in instances]
        try:
            for instance in instances:
                instance.start()
            await asyncio.gather(*(i.ready() for i in instances))
            latencies: list[float] = []
            await Customer(emu, first_id, latencies).file_complaint()  # warm-up
            cpu_before = sum(i.cpu_seconds() for i in instances)
            crowd = [Customer(emu, first_id + 1 + n, latencies) for n in range(customers)]
            started = time.perf_counter()
            await asyncio.gather(*(c.file_complaint() for c in crowd))
            seconds = time.perf_counter() - started
            cpu = sum(i.cpu_seconds() for i in instances) - cpu_before
            updates = customers * UPDATES_PER_CUSTOMER
            handled = await query(url, "SELECT count(*) FROM inbox WHERE status = 'done'")
            row: dict[str, object] = {
                "instances": count,
                "customers": customers,
                "updates": updates,
                "seconds": round(seconds, 2),
                "updates_per_s": round(updates / seconds, 1),
                "cpu_ms_per_update": round(1000 * cpu / updates, 2),
                "cases": await query(url, "SELECT count(*) FROM cases"),
                "updates_stored": handled,
                "duplicate_messages": duplicates(emu, crowd),
                "spread": [balancer.forwarded.get(i.port, 0) for i in instances],
            }
            if failover:
                row.update(await sender_failover(emu, instances, first_id + customers + 1))
            return row
        finally:
            for instance in instances:
                instance.stop()
            await balancer.close()


async def sender_failover(
    emu: BotApiEmulator, instances: list[Instance], customer_id: int
) -> dict[str, object]:
    """SIGKILL the instance holding the sending role; time until another has it, and until a
    customer is answered."""
    holders = [await i.sending() for i in instances]
    victim = instances[holders.index(True)]
    others = [i for i in instances if i is not victim]
    customer = Customer(emu, customer_id, [])
    killed = time.perf_counter()
    victim.kill()
    answered = asyncio.create_task(
        customer.act(lambda: emu.send_text(customer_id, "/start"), "Hello")
    )
    role = None
    while role is None:
        for other in others:
            if await other.sending():
                role = time.perf_counter() - killed
        await asyncio.sleep(0.05)  # polling /metrics inside the wait for the answer
    await answered
    return {
        "failover_role_s": round(role, 2),
        "failover_answer_s": round(time.perf_counter() - killed, 2),
    }


async def main() -> None:
    """Measure each size, print the table and ratios, save JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=60)
    parser.add_argument("--instances", type=int, nargs="+", default=[1, 2, 3])
    options = parser.parse_args()
    rows = []
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.off()) as emu:
        for n, count in enumerate(options.instances):
            failover = count == max(options.instances) and count > 1
            rows.append(
                await cluster_run(emu, count, options.customers, 1_000_000 * (n + 1), failover)
            )
    base = rows[0]
    print(
        f"\n{options.customers} concurrent customers, {UPDATES_PER_CUSTOMER} updates each, "
        "webhook mode on PostgreSQL, emulator limits off\n"
    )
    header = (
        f"{'instances':>9}{'updates':>9}{'upd/s':>8}{'× 1':>6}{'CPU ms/upd':>12}{'× 1':>6}"
        f"{'cases':>7}{'dup msgs':>9}  spread"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        speed = float(row["updates_per_s"]) / float(base["updates_per_s"])  # type: ignore[arg-type]
        cpu = float(row["cpu_ms_per_update"]) / float(base["cpu_ms_per_update"])  # type: ignore[arg-type]
        row["throughput_ratio"] = round(speed, 2)
        row["cpu_ratio"] = round(cpu, 2)
        print(
            f"{row['instances']:>9}{row['updates']:>9}{row['updates_per_s']:>8}{speed:>6.2f}"
            f"{row['cpu_ms_per_update']:>12}{cpu:>6.2f}{row['cases']:>7}"
            f"{row['duplicate_messages']:>9}  {row['spread']}"
        )
    for row in rows:
        if "failover_role_s" in row:
            print(
                f"\nsender failover after SIGKILL ({row['instances']} instances): the role moved "
                f"in {row['failover_role_s']} s, a customer was answered after "
                f"{row['failover_answer_s']} s (target ≤ 5 s)"
            )
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "scale.json"
    path.write_text(json.dumps({"customers": options.customers, "rows": rows}, indent=2))
    print(f"saved {path}")


if __name__ == "__main__":
    asyncio.run(main())
