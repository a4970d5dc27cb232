"""Open cases already in their staff topics, written straight to the database for benchmarks."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import TOKEN, database
from bot.app import App
from bot.clock import SimulatedClock
from bot.limits import SendLimits
from bot.settings import Settings
from flows import promise
from flows.case_number import case_number_from
from flows.config import OrgConfig
from flows.lifecycle import CaseState
from flows.model import Case, Customer, Timer
from flows.promise import Owes, Promise
from sandbox.emulator import BotApiEmulator

STAFF = 7001
CONFIG = Path(__file__).resolve().parent.parent / "sandbox" / "demo" / "hearback.toml"
FIRST_CUSTOMER = 300_000
# Monday 10:00 in Warsaw: inside the demo's business hours whenever a benchmark runs, so that
# check-ins due now go now (out of hours they wait for the morning, and nothing is measured).
BUSINESS_HOURS = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def open_case(number: str, customer_id: int, now: datetime, group: int, thread: int) -> Case:
    """A Delivery case Piotr owns, living in topic `thread` of staff group `group`."""
    return Case(
        number=number,
        customer_id=customer_id,
        category="delivery",
        team="support",
        manager="maria",
        description="seeded",
        contact="telegram",
        state=CaseState.ASSIGNED,
        created_at=now,
        updated_at=now,
        first_response_due=now,
        resolve_due=now + timedelta(days=5),  # due now, its breach would replace the check-in
        topic_chat_id=group,
        topic_id=thread,
        customer_header=True,
        owner_id=STAFF,
        owner_name="Piotr (Support)",
        promise=quiet_promise(now),
    )


def quiet_promise(now: datetime) -> Promise:
    """Piotr owes an update in two days, and the customer has heard nothing since Friday's
    working hours (the clock stands on a Monday morning): the promise timer of such a case
    fires as a check-in."""
    owed = promise.for_staff(
        STAFF, "Piotr", "support", Owes.UPDATE, now + timedelta(days=2), "", now
    )
    friday = now - timedelta(days=3)
    return replace(owed, made_at=friday, told_at=friday, warned=True)


async def seed(
    app: App,
    emu: BotApiEmulator,
    org: OrgConfig,
    cases: int,
    timer: str | None = None,
    first: int = 0,
) -> dict[int, int]:
    """Open `cases` cases, each in its own topic; with `timer`, that timer is due now on each.
    `first` numbers them after as many seeded before.

    Returns customer (Telegram user) id -> topic id.
    """
    team = org.teams[0]
    now = app.clock.now()
    topics: dict[int, int] = {}
    async with app.db.uow() as uow:
        for n in range(first, first + cases):
            user_id = FIRST_CUSTOMER + n
            emu.add_user(user_id, f"Customer{n}")
            customer = await uow.customers.add(Customer(user_id, f"Customer{n}", "en", now))
            assert customer.id is not None
            number = case_number_from(n.to_bytes(5, "big"))
            group = team.group_for(number)
            thread = await emu.create_topic(STAFF, group, f"{number} · Delivery")
            topics[user_id] = thread
            case = open_case(number, customer.id, now, group, thread)
            if timer is not None:
                await uow.timers.set(Timer(timer, number, now))
            await uow.cases.add(case)
        await uow.commit()
    return topics


@contextlib.asynccontextmanager
async def fresh_app(emu: BotApiEmulator, org: OrgConfig, paced: bool) -> AsyncIterator[App]:
    """hearback on a new, migrated SQLite file, talking to `emu`, its clock running from a
    working Monday morning; paced under Telegram's limits or (the baseline) not at all."""
    async with database("sqlite") as url:
        settings = Settings(
            bot_token=TOKEN,  # type: ignore[arg-type]
            database_url=url,
            telegram_api_base=emu.base_url,
            hearback_config=CONFIG,
        )
        app = App(
            settings=settings,
            org=org,
            clock=SimulatedClock(BUSINESS_HOURS),  # real seconds, from a working Monday
            limits=SendLimits() if paced else SendLimits.unlimited(),
            poll_timeout=1,
        )
        await app.db.migrate()
        yield app


def forget_updates(emu: BotApiEmulator) -> None:
    """Drop the updates seeding made (a topic created per case) before the bot polls: they are
    not the load a benchmark measures."""
    emu.state.updates.clear()
