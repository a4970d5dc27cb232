"""Team load and the burnout watch over the seeded fortnight: each person's numbers against the
hand count, /queue showing them, and one alert per threshold crossing."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Renderer
from bot.render import message_text
from flows import load, records, staff_commands
from flows.config import OrgConfig
from flows.env import Env
from flows.incoming import Command, GroupUpdate
from flows.lifecycle import CaseState
from flows.messages import Say
from flows.model import Case, CaseLogEntry, Profile
from flows.staff import Actor
from tests.fakes import FakeUnitOfWork
from tests.seeded import DIGEST_UNTIL, OLA, PIOTR, at, seed

MARIA = 111111
SUPPORT_GROUP = -1001234567890


@pytest.fixture
async def store() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await seed(uow)
    return uow


def env(org: OrgConfig, now: datetime = DIGEST_UNTIL) -> Env:
    return Env(org, now, lambda n: b"\x02" * n)


async def loads(store: FakeUnitOfWork, org: OrgConfig) -> dict[str, load.Load]:
    async with store() as tx:
        found = await records.fetch(tx, DIGEST_UNTIL - load.WINDOW)
        people = [load.Person(p, n, "support") for p, n in ((PIOTR, "Piotr"), (OLA, "Ola"))]
    return {p.name: load.measure(found, org, p, DIGEST_UNTIL) for p in people}


async def test_each_persons_load_matches_the_hand_count(
    store: FakeUnitOfWork, org: OrgConfig
) -> None:
    got = await loads(store, org)
    # Piotr owns D and I (open), A and F (closed); worked on A D F I in the last 14 days, all
    # within business hours; his latest rating is A's 5; first answers A 30m, F 15m, D 30m,
    # I 1h: median 30m.
    piotr = got["Piotr"]
    assert (piotr.open, piotr.handled, piotr.after_hours, piotr.low_run) == (2, 4, 0, 0)
    assert piotr.first_answer == timedelta(minutes=30)
    # Ola owns B, E and H, all open; first answers B 3h and E 1h (H got a question, not an
    # answer): median 2h.
    ola = got["Ola"]
    assert (ola.open, ola.handled, ola.after_hours, ola.low_run) == (3, 3, 0, 0)
    assert ola.first_answer == timedelta(hours=2)


async def test_a_promise_someone_broke_is_not_work_they_did(
    store: FakeUnitOfWork, org: OrgConfig
) -> None:
    # The log names Piotr as the one who owed G's answer at 23:00; he never touched G.
    async with store() as tx:
        due = {"due": at(23, 22).isoformat()}
        await tx.log.append(
            CaseLogEntry("HB-GGGGGG", at(23, 22), "promise_broken", f"staff:{PIOTR}", "", due)
        )
        await tx.commit()
    piotr = (await loads(store, org))["Piotr"]
    assert (piotr.handled, piotr.after_hours) == (4, 0)


async def test_queue_shows_each_persons_load(store: FakeUnitOfWork, org: OrgConfig) -> None:
    queue = Command("queue", "", 1)
    update = GroupUpdate(Profile(PIOTR, "Piotr"), SUPPORT_GROUP, None, queue, True)
    actor = Actor(PIOTR, "Piotr", org.team("support"), True, False)
    async with store() as tx:
        said = await staff_commands.queue(tx, env(org), update, actor)
    text = message_text(Renderer(ZoneInfo("Europe/Warsaw")), said).splitlines()
    assert text[0] == "<b>Waiting for an agent in Support</b>: 1"
    assert text[1].startswith("HB-CCCCCC · Delivery · escalated to a manager")
    assert text[2:] == [
        "👥 <b>Load over the last 14 days</b>",
        "Ola: 3 open · 3 handled, 0% after hours · first answer 2h",
        "Piotr: 2 open · 4 handled, 0% after hours · first answer 30m",
    ]


async def watch(uow: FakeUnitOfWork, org: OrgConfig, now: datetime) -> list[Say]:
    """Fire the load watch as the scheduler would, once it is due."""
    before = len(uow.state.outbox)
    async with uow() as tx:
        await load.arm(tx, env(org, now))
        [due] = await tx.timers.claim_due(now, 10)
        await tx.timers.take(due)
        await load.watch(tx, env(org, now), due)
        await tx.commit()
    said = [row.message for row in uow.state.outbox[before:]]
    assert all(isinstance(m, Say) for m in said)
    return said  # type: ignore[return-value]


async def move_case(uow: FakeUnitOfWork, number: str, state: CaseState) -> None:
    async with uow() as tx:
        case = await tx.cases.get(number)
        assert case is not None
        await tx.cases.save(replace(case, state=state))
        await tx.commit()


async def test_a_manager_hears_once_per_crossing_of_the_open_cases_limit(
    store: FakeUnitOfWork, org: OrgConfig
) -> None:
    org = org.model_copy(
        update={"organisation": org.organisation.model_copy(update={"max_open_per_agent": 2})}
    )
    [alert] = await watch(store, org, DIGEST_UNTIL)  # Ola has 3 open cases, Piotr 2
    assert (alert.chat_id, alert.key) == (MARIA, "load-alert-open")
    assert message_text(Renderer(ZoneInfo("Europe/Warsaw")), alert) == (
        "⚠️ Ola (Support) now has 3 open cases, more than the limit of 2. "
        "Consider moving some to a colleague."
    )
    later = DIGEST_UNTIL + load.WATCH_EVERY
    assert await watch(store, org, later) == []  # still above: nothing new to say
    [timer] = store.state.timers.values()
    assert timer.due_at == later + load.WATCH_EVERY and timer.payload == {"above": ["7002:open"]}

    await move_case(store, "HB-HHHHHH", CaseState.CLOSED)  # back at the limit
    assert await watch(store, org, later + load.WATCH_EVERY) == []
    assert next(iter(store.state.timers.values())).payload == {"above": []}
    await move_case(store, "HB-HHHHHH", CaseState.REOPENED)  # past it again: a new crossing
    [again] = await watch(store, org, later + 2 * load.WATCH_EVERY)
    assert again.key == "load-alert-open" and again.params["open"] == 3


async def test_work_after_hours_past_the_share_is_reported_once(org: OrgConfig) -> None:
    uow = FakeUnitOfWork()
    await seed(uow)
    async with uow() as tx:
        anna = await tx.customers.by_telegram_id(5001)
        assert anna is not None and anna.id is not None
        # Piotr answers five more cases on Monday, two of them at 20:00 and 21:00 Warsaw.
        for n, hour in enumerate((9, 10, 11, 19, 20)):
            number = f"HB-LATE0{n}"
            created = at(23, 8)
            await tx.cases.add(
                Case(
                    number, anna.id, "delivery", "support", "maria", "x", "telegram",
                    CaseState.CLOSED, created, created, at(23, 10), at(25, 8), owner_id=PIOTR,
                )
            )  # fmt: skip
            await tx.log.append(CaseLogEntry(number, at(23, hour), "reply", f"staff:{PIOTR}"))
        await tx.commit()
    said = await watch(uow, org, DIGEST_UNTIL)
    # A D F I and the five: nine cases, two of them after hours: 22% is within the 30%.
    assert said == []
    strict = org.model_copy(
        update={"organisation": org.organisation.model_copy(update={"after_hours_share": 0.2})}
    )
    [alert] = await watch(uow, strict, DIGEST_UNTIL + load.WATCH_EVERY)
    assert message_text(Renderer(ZoneInfo("Europe/Warsaw")), alert) == (
        "⚠️ Piotr (Support) worked on 2 of 9 cases outside business hours in the last 14 days "
        "(22%, the limit is 20%)."
    )
    assert await watch(uow, strict, DIGEST_UNTIL + 2 * load.WATCH_EVERY) == []
