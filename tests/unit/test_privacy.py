"""Customers' data over the fakes: who may see a case, erasure, retention batches, exports."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flows import data_export, delivery, erasure, marks, retention
from flows.access import Viewer, may_see
from flows.actions import Forget
from flows.config import OrgConfig
from flows.env import Env
from flows.incoming import ContactShared
from flows.lifecycle import CaseState
from flows.messages import Copy, CreateTopic, Delete, DeleteTopic, Edit, Outgoing, Say, Unpin
from flows.model import Case, Escalation, Mark, Timer
from flows.model import Customer as Person
from flows.staff import Actor
from tests.fakes import FakeUnitOfWork
from tests.unit.test_customer_service import Customer

WARSAW = ZoneInfo("Europe/Warsaw")


def env(org: OrgConfig, now: datetime) -> Env:
    return Env(org, now, lambda n: b"\x01" * n)


async def test_staff_see_their_teams_cases_and_managers_theirs(
    org: OrgConfig, monday: datetime
) -> None:
    anna = Customer(org, monday)
    number = await anna.file()
    async with anna.uow() as tx:
        case = await tx.cases.get(number)
        assert case is not None and (case.team, case.manager) == ("support", "maria")
        e = env(org, monday)
        assert await may_see(tx, e, Viewer(team="support"), case)
        assert not await may_see(tx, e, Viewer(team="billing"), case)
        assert await may_see(tx, e, Viewer(manager="maria"), case), "her category"
        assert not await may_see(tx, e, Viewer(manager="jan"), case)
        await tx.escalations.add(Escalation(number, "staff", "jan", 1, monday, monday))
        assert await may_see(tx, e, Viewer(manager="jan"), case), "escalated to him"
    jan_in_billing = Actor(222222, "Jan", org.team("billing"), True, True)
    assert Viewer.of(env(org, monday), jan_in_billing) == Viewer(team="billing", manager="jan")


async def test_forget_asks_first_and_no_keeps_everything(org: OrgConfig, monday: datetime) -> None:
    anna = Customer(org, monday)
    await anna.file()
    [question] = await anna.command("forget")
    assert question.key == "forget-confirm" and question.params == {"cases": 1, "open": 1}
    [kept] = await anna.press(Forget("no").pack())
    assert kept.key == "forget-kept"
    assert len(anna.uow.state.customers) == 1 and anna.uow.state.audit == []
    stale = await anna.press(Forget("maybe").pack())
    assert stale == []


async def test_forget_leaves_anonymous_figures_and_a_final_word(
    org: OrgConfig, monday: datetime
) -> None:
    anna = Customer(org, monday)
    number = await anna.file("My parcel is lost")
    await anna.write("More about my parcel")
    await anna.press(Forget("yes").pack())
    state = anna.uow.state
    # Everything queued for her chat before is gone: the answer, the edit, the last word stay.
    to_her = [r.message for r in state.outbox if r.chat_id == anna.profile.telegram_id]
    assert [type(m).__name__ for m in to_her] == ["AnswerButton", "Edit", "Say"]
    done = to_her[-1]
    assert isinstance(done, Say) and (done.key, done.params) == ("forget-done", {"cases": 1})
    case = state.cases[number]
    assert case.state is CaseState.WITHDRAWN and case.customer_id is None
    assert case.description == "" and case.erased_at == monday
    assert state.customers == {} and state.conversations == {}
    assert all(entry.text == "" for entry in state.log if entry.case_number == number)
    assert [(a.actor, a.action, a.detail) for a in state.audit] == [
        ("customer", "erasure", {"cases": 1, "withdrawn": 1})
    ]
    assert not [t for t in state.timers.values() if t.key == number]


async def test_a_phone_shared_outside_a_filing_goes_with_one_open_case_only(
    org: OrgConfig, monday: datetime
) -> None:
    anna = Customer(org, monday)
    [nothing] = await anna.do(ContactShared("+48600100200", True, 10))
    assert nothing.key == "contact-no-case"
    number = await anna.file()
    [noted] = await anna.do(ContactShared("+48600100200", True, 11))
    assert noted.key == "contact-noted-case" and noted.params == {"number": number}
    assert anna.uow.state.cases[number].phone == "+48600100200"


async def test_the_export_holds_the_complaint_being_filed(org: OrgConfig, monday: datetime) -> None:
    anna = Customer(org, monday)
    await anna.command("new")
    await anna.write("half a complaint")  # before choosing a category: kept in the draft
    async with anna.uow() as tx:
        customer = await tx.customers.by_telegram_id(anna.profile.telegram_id)
        assert customer is not None
        doc = await data_export.document(tx, env(org, monday), customer)
    assert doc["cases"] == [] and doc["profile"]["first_name"] == "Anna"
    assert doc["complaint_being_filed"] is not None
    assert data_export.as_bytes(doc).decode().count("Anna") == 1


def test_retention_runs_at_three_in_the_morning_local_time(org: OrgConfig) -> None:
    monday_10 = datetime(2026, 11, 23, 10, 0, tzinfo=WARSAW)
    run = retention.next_run(env(org, monday_10))
    assert run.astimezone(WARSAW) == datetime(2026, 11, 24, 3, 0, tzinfo=WARSAW)
    before_3 = datetime(2026, 11, 24, 2, 59, tzinfo=WARSAW)
    assert retention.next_run(env(org, before_3)).astimezone(WARSAW).day == 24


async def test_retention_erases_in_batches_and_spares_open_cases(
    org: OrgConfig, monday: datetime
) -> None:
    uow = FakeUnitOfWork()
    long_ago = monday - timedelta(days=400)
    template = Case(
        number="",
        customer_id=1,
        category="delivery",
        team="support",
        manager="maria",
        description="private words",
        contact="telegram",
        state=CaseState.CLOSED,
        created_at=long_ago,
        updated_at=long_ago,
        first_response_due=long_ago,
        resolve_due=long_ago,
    )
    async with uow as tx:
        await tx.customers.add(Person(5001, "Anna", "en", long_ago))
        for n in range(retention.BATCH + 1):
            await tx.cases.add(replace(template, number=f"HB-{n:06d}"))
        await tx.cases.add(replace(template, number="HB-OPEN00", state=CaseState.ASSIGNED))
        await tx.cases.add(replace(template, number="HB-RECENT", updated_at=monday))
        await retention.arm(tx, env(org, monday))
        await tx.commit()

    async def fire() -> Timer:
        async with uow as tx:
            [timer] = await tx.timers.claim_due(monday + timedelta(hours=1), 1)
            await tx.timers.take(timer)
            await retention.fire(tx, env(org, monday), timer)
            await tx.commit()
        return uow.state.timers[(retention.TIMER, retention.KEY)]

    again = await fire()
    assert again.due_at == monday + retention.AGAIN, "more is due: at once, in a new transaction"
    erased = [c for c in uow.state.cases.values() if c.erased_at is not None]
    assert len(erased) == retention.BATCH
    later = await fire()
    assert later.due_at == retention.next_run(env(org, monday))
    kept = {c.number for c in uow.state.cases.values() if c.erased_at is None}
    assert kept == {"HB-OPEN00", "HB-RECENT"}
    assert [a.detail["cases"] for a in uow.state.audit] == [retention.BATCH, 1]
    assert all(a.actor == "retention" for a in uow.state.audit)


async def test_an_erasure_at_a_persons_request_reaches_their_held_words_too(
    org: OrgConfig, monday: datetime
) -> None:
    anna = Customer(org, monday)
    first = await anna.file("first")
    await anna.file("second")
    await anna.write("which one is this for?")  # held until she says which case
    assert anna.uow.state.conversations[anna.profile.telegram_id].held
    async with anna.uow() as tx:
        pinned = Mark(marks.RECEIPT, first, anna.profile.telegram_id, 3, monday)
        await tx.marks.add(pinned)  # the receipt as delivery remembers it
        await tx.commit()
    async with anna.uow() as tx:
        forgotten = await erasure.forget(tx, env(org, monday), anna.profile.telegram_id, "op")
        await tx.commit()
    assert forgotten == erasure.Forgotten(cases=2, withdrawn=2)
    assert anna.uow.state.conversations == {}
    to_her = [r.message for r in anna.uow.state.outbox if r.chat_id == anna.profile.telegram_id]
    assert to_her == [Unpin(anna.profile.telegram_id, 3)], "only her receipt is unpinned"


async def test_what_was_on_its_way_when_the_case_was_erased_is_undone(
    org: OrgConfig, monday: datetime
) -> None:
    anna = Customer(org, monday)
    number = await anna.file()
    async with anna.uow() as tx:
        await erasure.forget(tx, env(org, monday), anna.profile.telegram_id, "customer")
        await tx.commit()
    group, maria = -1001234567890, 111111
    arrived: list[tuple[Outgoing, int | None, int | None]] = [
        (Copy(group, anna.profile.telegram_id, 5, "en", topic_of=number), 41, None),
        (CreateTopic(group, f"{number} · Delivery · Anna K.", number), None, 9),
        (Say(maria, "manager-escalation", "en", params={"number": number}), 42, None),
        (Say(group, erasure.TOPIC_ERASED, "en", params={"number": number}), 43, None),
    ]
    before = len(anna.uow.state.outbox)
    async with anna.uow() as tx:
        for message, message_id, thread_id in arrived:
            await delivery.delivered(tx, env(org, monday), message, message_id, thread_id)
        await tx.commit()
    undone = [row.message for row in anna.uow.state.outbox[before:]]
    assert undone == [
        Delete(group, (41,)),
        DeleteTopic(group, 9, number),
        Edit(maria, erasure.MANAGER_ERASED, "en", 42, params={"number": number, "why": ""}),
    ]
    assert not [m for m in anna.uow.state.marks if m.key == number], "nothing is remembered"
