"""Three hearback processes in webhook mode on one PostgreSQL behind a balancer: every complaint
gets exactly one receipt, no chat gets a message twice or out of order, and when one instance is
SIGKILLed mid-run the others finish what it had claimed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from sandbox.emulator import BotApiEmulator
from storage.database import Database
from tests.e2e.balancer import Balancer
from tests.e2e.chat import Person, eventually
from tests.e2e.conftest import STAFF_GROUP
from tests.e2e.instances import Instance

pytestmark = pytest.mark.postgres
CUSTOMERS = 9
# What each customer reads, in this order.
JOURNEY = (
    "Choose a category",
    "describe the problem",
    "How may we reach you",
    "Please check",
    "registered as",
)


class Cluster:
    """The balancer and the instances behind it."""

    def __init__(self, balancer: Balancer, instances: list[Instance], url: str) -> None:
        self.balancer = balancer
        self.instances = instances
        self.url = url

    async def scalar(self, sql: str, **params: object) -> int:
        async with Database(self.url) as db, db.engine.connect() as connection:
            return int((await connection.execute(text(sql), params)).scalar_one())


@pytest.fixture
async def cluster(emu: BotApiEmulator, postgres_url: str, tmp_path: Path) -> AsyncIterator[Cluster]:
    async with Database(postgres_url) as db:  # as compose.yaml's one-off `hearback migrate`
        await db.migrate()
    balancer = Balancer([])
    base = await balancer.start()
    instances = [
        Instance(emu, postgres_url, base, tmp_path / f"instance-{n}.log") for n in range(3)
    ]
    balancer.upstreams[:] = [instance.port for instance in instances]
    for instance in instances:
        instance.start()
    try:
        await asyncio.gather(*(instance.ready() for instance in instances))
        yield Cluster(balancer, instances, postgres_url)
    finally:
        for instance in instances:
            instance.stop()
        await balancer.close()
        for instance in instances:
            assert "Traceback" not in instance.log.read_text() or instance.proc is None


async def file_complaint(person: Person) -> None:
    await person.write("/new")
    await person.press("Delivery", timeout=20)
    await person.write(f"Parcel {person.id} lost in transit.")
    await person.press("Continue", timeout=20)
    await person.expect("How may we reach you", timeout=20)
    await person.write("💬 Telegram only")
    await person.press("Confirm", timeout=20)
    await person.expect("registered as", timeout=20)


async def test_three_instances_handle_every_update_once_and_survive_a_sigkill(
    emu: BotApiEmulator, cluster: Cluster
) -> None:
    customers = [Person(emu, 6000 + n, f"Customer{n}") for n in range(CUSTOMERS)]
    journeys = asyncio.gather(*(file_complaint(person) for person in customers))

    def receipts() -> int:
        return sum(1 for p in customers for m in p.inbox() if "registered as" in m.text)

    await emu.wait_for(lambda: receipts() >= 2, timeout=60, message="no receipts yet")
    senders = [await instance.sending() for instance in cluster.instances]
    victim = cluster.instances[senders.index(False)]  # the sender's failover: bench/scale.py
    name = await victim.name()
    victim.kill()

    async def released() -> bool:
        pending = await cluster.scalar(
            "SELECT count(*) FROM inbox WHERE status = 'pending' AND claimed_by = :name",
            name=name,
        )
        return pending == 0

    await eventually(released, timeout=10, what="the killed instance's updates being taken over")
    await asyncio.wait_for(journeys, 90)

    for person in customers:
        texts = [m.text for m in person.inbox()]
        assert len(texts) == len(set(texts)), f"a message came twice to {person.name}: {texts}"
        assert sum("registered as" in t for t in texts) == 1
        places = [next(i for i, t in enumerate(texts) if step in t) for step in JOURNEY]
        assert places == sorted(places), f"{person.name} read the bot out of order: {texts}"
    assert await cluster.scalar("SELECT count(*) FROM cases") == CUSTOMERS
    assert await cluster.scalar("SELECT count(*) FROM inbox WHERE status <> 'done'") == 0

    def topics() -> list[str]:
        return [t.name for t in emu.topics(STAFF_GROUP).values()]

    # Each case's topic opened once (the outbox may still be at it as the receipts arrive).
    await emu.wait_for(lambda: len(topics()) >= CUSTOMERS, timeout=20, message="topics missing")
    assert len(topics()) == len(set(topics())) == CUSTOMERS
    # The logs are JSON lines naming their worker, and never say what a customer wrote.
    lines = [
        json.loads(line)
        for instance in cluster.instances
        for line in instance.log.read_text().splitlines()
        if line
    ]
    assert all({"worker", "update_id", "case"} <= set(line) for line in lines)
    assert any(line["worker"] == "sender" for line in lines)  # "this instance now sends"
    assert not any("lost in transit" in str(line) for line in lines)
    # The balancer spread the updates over every instance.
    assert all(cluster.balancer.forwarded.get(i.port, 0) > 0 for i in cluster.instances)
