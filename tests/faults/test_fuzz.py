"""Generated malformed updates among real customers: every customer still gets a case number."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.clock import ManualClock
from sandbox.emulator import BotApiEmulator
from tests.e2e.chat import Person
from tests.e2e.conftest import Running
from tests.e2e.test_intake import file_complaint
from tests.faults.conftest import POLICY
from tests.faults.malformed import draw, inject

FUZZED = 60
CUSTOMERS = 3


async def test_malformed_updates_among_real_customers_lose_no_customer(
    bot: Running, emu: BotApiEmulator, clock: ManualClock
) -> None:
    fuzzed = draw(FUZZED, seed_value=12)
    assert len(fuzzed) == FUZZED
    people = [Person(emu, 5100 + n, f"Customer{n}") for n in range(CUSTOMERS)]
    share = FUZZED // (CUSTOMERS + 1)

    async def noise(start: int) -> None:
        for update in fuzzed[start : start + share]:
            inject(emu, update)
            await asyncio.sleep(0)  # interleaved with the customers' own updates

    numbers = []
    for n, person in enumerate(people):
        customer = asyncio.create_task(file_complaint(person, f"Complaint number {n}, a real one."))
        await noise(n * share)
        numbers.append(await customer)
    await noise(CUSTOMERS * share)
    assert len(set(numbers)) == CUSTOMERS, "every customer got a case number of their own"
    # The failing ones are retried later, then set aside; the bot keeps answering meanwhile.
    for delay in (*POLICY.delays, 60.0):
        clock.advance(timedelta(seconds=delay + 1))
        bot.app.processor.wake()
        await people[0].write("/status")
        await people[0].expect(numbers[0], timeout=15)
    assert dict(bot.app.restarts) == {}, "no worker crashed"
    async with bot.app.db.uow() as uow:
        assert await uow.inbox.pending(1000, clock.now()) == [], "each update handled or set aside"
        dead = await uow.inbox.dead()
    print(f"\n{FUZZED} malformed updates: {len(dead)} set aside as dead letters")
