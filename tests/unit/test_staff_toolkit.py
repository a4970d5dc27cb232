"""The staff toolkit over the fakes: round-robin turns, the typical first answer in the queue
place, /find's limits, and saved-reply templates as the customer reads them."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import Renderer
from flows import casework, staff_commands
from flows.config import OrgConfig
from flows.env import Env
from flows.incoming import Command, GroupUpdate
from flows.messages import Html, Say, Template, from_json, to_json
from flows.model import Profile, StaffMember
from flows.ports import CaseSearch
from tests.fakes import FakeUnitOfWork
from tests.unit.test_customer_service import Customer

GROUP = -1001234567890
RENDERER = Renderer(ZoneInfo("Europe/Warsaw"))


def round_robin(org: OrgConfig, most: int) -> OrgConfig:
    teams = tuple(
        t.model_copy(update={"assign": "round-robin"}) if t.key == "support" else t
        for t in org.teams
    )
    organisation = org.organisation.model_copy(update={"max_open_per_agent": most})
    return org.model_copy(update={"teams": teams, "organisation": organisation})


async def _seen(uow: FakeUnitOfWork, member: StaffMember) -> None:
    async with uow() as tx:
        await tx.staff.seen(member)
        await tx.commit()


def _customer(org: OrgConfig, now: datetime, uow: FakeUnitOfWork, n: int) -> Customer:
    return Customer(org, now, Profile(6000 + n, f"C{n}"), uow=uow)


async def test_round_robin_takes_turns_and_skips_the_full_and_the_away(
    org: OrgConfig, monday: datetime
) -> None:
    org = round_robin(org, most=2)
    uow = FakeUnitOfWork()
    await _seen(uow, StaffMember(7001, "Piotr", "support", monday - timedelta(minutes=5)))
    await _seen(uow, StaffMember(7002, "Ola", "support", monday - timedelta(minutes=50)))
    await _seen(uow, StaffMember(7003, "Tom", "support", monday - timedelta(minutes=61)))
    owners = []
    for n in range(5):
        number = await _customer(org, monday + timedelta(minutes=n), uow, n).file()
        owners.append(uow.state.cases[number].owner_name)
    # Turns alternate; Tom is away; at two open cases each, the fifth waits for the team.
    assert owners == ["Ola (Support)", "Piotr (Support)", "Ola (Support)", "Piotr (Support)", None]
    await _seen(uow, replace(uow.state.staff[7001], last_seen=monday + timedelta(minutes=9)))
    assert uow.state.staff[7001].last_assigned is not None, "a visit keeps the turn"


async def test_the_queue_place_gives_the_typical_first_answer_only_with_enough_data(
    org: OrgConfig, monday: datetime
) -> None:
    uow = FakeUnitOfWork()
    answered = []
    for n in range(casework.TYPICAL_SAMPLE):
        number = await _customer(org, monday, uow, n).file()
        answered.append(number)
    waiting = _customer(org, monday + timedelta(hours=1), uow, 99)
    number = await waiting.file()
    async with uow() as tx:
        env = Env(org, monday + timedelta(hours=1), lambda n: b"\x01" * n)
        case = await tx.cases.get(number)
        assert case is not None
        assert await casework.queue_place(tx, env, case) == (casework.TYPICAL_SAMPLE, None)
        for minutes, earlier in zip((20, 30, 40, 50, 600), answered, strict=True):
            old = await tx.cases.get(earlier)
            assert old is not None
            await tx.cases.save(replace(old, first_response_at=monday + timedelta(minutes=minutes)))
        ahead, typical = await casework.queue_place(tx, env, case)
        assert typical == timedelta(minutes=40), "the median: one slow case does not skew it"
        customer = await casework.customer_of(tx, case)
        said = RENDERER.text(
            "en", "case-message-added", casework.promise_text(env, case, customer, (ahead, typical))
        )
    assert "typical first answer for this kind of case took 40m of working time" in said
    assert "Our answer is due by" in said


async def test_find_shows_the_newest_and_counts_the_rest(org: OrgConfig, monday: datetime) -> None:
    uow = FakeUnitOfWork()
    numbers = []
    for n in range(staff_commands.FIND_LINES + 2):
        customer = _customer(org, monday + timedelta(minutes=n), uow, n)
        numbers.append(await customer.file(f"Lost parcel number {n}"))
    async with uow() as tx:
        env = Env(org, monday + timedelta(hours=1), lambda n: b"\x01" * n)
        actor = staff_commands.Actor(7001, "Piotr", org.team("support"), True, False)
        update = GroupUpdate(Profile(7001, "Piotr"), GROUP, None, Command("find", "", 1), True)
        said = await staff_commands.find(tx, env, update, actor, "lost parcel")
        found, total = await tx.cases.find("billing", CaseSearch(words=("lost",)), 10)
    assert said.params["count"] == len(numbers) and said.params["shown"] == 10
    assert said.params["more"] == 2
    shown = [line[1]["number"] for line in said.lines]
    assert shown == numbers[::-1][:10], "the newest first"
    assert (found, total) == ([], 0), "another team's search finds none of them"
    text = RENDERER.text("en", said.key, said.params)
    assert "12 cases; the newest 10 are below." in text


def test_search_terms() -> None:
    assert staff_commands.search_of("hb-7k3q9m") == CaseSearch(number="HB-7K3Q9M")
    assert staff_commands.search_of("+48 600-100 200") == CaseSearch(phone="48600100200")
    assert staff_commands.search_of("Anna  parcel") == CaseSearch(words=("Anna", "parcel"))
    assert staff_commands.search_of("  a ") is None


def test_a_saved_reply_is_filled_escaped_and_survives_the_outbox(monday: datetime) -> None:
    filled = Template(
        "Hello {name} <b>{case}</b> by {due} {unknown}",
        {"name": "<Anna>", "case": "HB-7K3Q9M", "due": monday, "owner": None},
    )
    assert from_json(to_json(_say(filled))) == _say(filled)
    text = RENDERER.text("en", "staff-reply", {"text": filled, "signature": "Piotr (Support)"})
    assert "Hello &lt;Anna&gt; &lt;b&gt;HB-7K3Q9M&lt;/b&gt; by Mon 23 Nov, 10:00" in text
    assert "{unknown}" in text


def _say(text: Template | Html) -> object:
    return Say(chat_id=1, key="staff-reply", language="en", params={"text": text})


async def test_a_case_transferred_to_a_round_robin_team_is_assigned_there(
    org: OrgConfig, monday: datetime
) -> None:
    from flows.actions import CardAction, TransferTo
    from tests.unit.test_staff_service import PIOTR, THREAD, Desk

    teams = tuple(
        t.model_copy(update={"assign": "round-robin"}) if t.key == "billing" else t
        for t in org.teams
    )
    org = org.model_copy(update={"teams": teams})
    anna = Customer(org, monday)
    number = await anna.file()
    async with anna.uow() as tx:
        found = await tx.cases.get(number)
        assert found is not None and found.owner_id is None, "Support takes cases itself"
        await tx.cases.save(replace(found, topic_id=THREAD))
        await tx.staff.seen(StaffMember(7101, "Kasia", "billing", monday))
        await tx.commit()
    desk = Desk(org, monday, anna.uow)
    await desk.press(PIOTR, CardAction(number, "take").pack())
    await desk.press(PIOTR, TransferTo(number, "t", "billing").pack())
    said = await desk.write(PIOTR, "A refund question")
    moved = anna.uow.state.cases[number]
    assert (moved.team, moved.owner_name) == ("billing", "Kasia (Billing)")
    told = [m for m in said if isinstance(m, Say) and m.chat_id == anna.profile.telegram_id]
    assert [m.key for m in told] == ["case-transferred-team"]
    assert told[0].params["p_name"] == "Kasia (Billing)", "named once assigned, not before"


async def test_waiting_cases_go_to_whoever_comes_back_oldest_first(
    org: OrgConfig, monday: datetime
) -> None:
    from tests.unit.test_staff_service import OLA, Desk

    org = round_robin(org, most=1)
    uow = FakeUnitOfWork()
    first = await _customer(org, monday, uow, 1).file()
    second = await _customer(org, monday + timedelta(minutes=1), uow, 2).file()
    assert uow.state.cases[first].owner_id is None, "nobody is in the round yet"

    later = monday + timedelta(minutes=20)
    said = await Desk(org, later, uow).do(OLA, Command("mine", "", 900), thread=None)
    # Ola is back: the oldest waiting case is hers (one at most), its customer told by whom.
    assert uow.state.cases[first].owner_name == "Ola (Support)"
    assert uow.state.cases[second].owner_id is None, "Ola is full"
    told = [m for m in said if isinstance(m, Say) and m.chat_id == 6001]
    assert [m.key for m in told] == ["case-taken"]
    assert told[0].params["p_name"] == "Ola (Support)"
    assert "topic-assigned" in [m.key for m in said if isinstance(m, Say)]
