"""Timer rules with a fake clock: when check-ins, warnings, breaches, pages and closings happen.

Business hours are Monday to Friday 09:00–18:00 in Warsaw, with 24–26 December as holidays.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from flows import case_timers, escalation, followup, staff_actions
from flows.config import OrgConfig
from flows.env import Env
from flows.lifecycle import CaseState
from flows.messages import Edit, Say
from flows.model import Case
from flows.promise import By, Owes
from tests.unit.test_customer_service import Customer
from tests.unit.test_staff_service import PIOTR, Desk

MARIA, JAN = 111111, 222222


class Clockwork:
    """Moves a fake clock and fires, in order, every timer that came due, each committed."""

    def __init__(self, anna: Customer) -> None:
        self.anna = anna

    def env(self) -> Env:
        return Env(self.anna.org, self.anna.now, lambda n: b"\x05" * n)

    async def run_until(self, moment: datetime) -> list[Say]:
        said: list[Say] = []
        while True:
            due = sorted(
                (t for t in self.anna.uow.state.timers.values() if t.due_at <= moment),
                key=lambda t: t.due_at,
            )
            if not due:
                self.anna.now = moment
                return said
            timer = due[0]
            self.anna.now = max(self.anna.now, timer.due_at)
            before = len(self.anna.uow.state.outbox)
            async with self.anna.uow() as tx:
                await tx.timers.take(timer)
                if timer.kind == case_timers.PAGE:
                    await escalation.page_next(tx, self.env(), timer)
                else:
                    await followup.fire(tx, self.env(), timer)
                await tx.commit()
            said.extend(
                r.message for r in self.anna.uow.state.outbox[before:] if isinstance(r.message, Say)
            )


def keys_to(chat: int, said: list[Say]) -> list[str]:
    return [s.key for s in said if s.chat_id == chat]


def case_of(anna: Customer, number: str) -> Case:
    return anna.uow.state.cases[number]


def timers_of(anna: Customer, number: str) -> dict[str, datetime]:
    return {t.kind: t.due_at for t in anna.uow.state.timers.values() if t.key == number}


async def filed_into_a_topic(org: OrgConfig, monday: datetime) -> tuple[Customer, str, Desk]:
    """Anna's case, filed on Monday morning, in topic 77 of the team's group; and the desk."""
    anna = Customer(org, monday)
    number = await anna.file()
    desk = Desk(org, monday, anna.uow)
    async with anna.uow() as tx:
        await tx.cases.save(replace(case_of(anna, number), topic_id=77))
        await tx.commit()
    return anna, number, desk


async def acknowledged_by_maria(
    org: OrgConfig, monday: datetime
) -> tuple[Customer, str, Clockwork]:
    """Anna's case, escalated when its first answer was late and acknowledged by Maria for 1h."""
    anna = Customer(org, monday)
    number = await anna.file()
    clock = Clockwork(anna)
    await clock.run_until(monday + timedelta(hours=2))
    (paged,) = anna.uow.state.escalations.values()
    async with anna.uow() as tx:
        await escalation.acknowledge(tx, clock.env(), paged, org.manager("maria"), "1h")
        await tx.commit()
    return anna, number, clock


@pytest.mark.parametrize(
    ("filed_local", "first_due_local"),
    [
        # Friday 17:30: half an hour on Friday, the rest on Monday morning.
        (datetime(2026, 11, 27, 16, 30, tzinfo=UTC), datetime(2026, 11, 30, 9, 30, tzinfo=UTC)),
        # Wednesday 23 December 17:00; 24–26 December are holidays.
        (datetime(2026, 12, 23, 16, 0, tzinfo=UTC), datetime(2026, 12, 28, 9, 0, tzinfo=UTC)),
        # Friday 23 October 17:00 summer time; the clocks go back on Sunday.
        (datetime(2026, 10, 23, 15, 0, tzinfo=UTC), datetime(2026, 10, 26, 9, 0, tzinfo=UTC)),
    ],
)
async def test_sla_marks_count_working_time_across_weekends_holidays_and_dst(
    org: OrgConfig, filed_local: datetime, first_due_local: datetime
) -> None:
    anna = Customer(org, filed_local)
    number = await anna.file()
    case = case_of(anna, number)
    assert case.first_response_due == first_due_local
    assert case.promise is not None and case.promise.due == first_due_local
    timers = {t.kind: t.due_at for t in anna.uow.state.timers.values() if t.key == number}
    assert timers[case_timers.PROMISE] < first_due_local  # the warning comes first
    said = await Clockwork(anna).run_until(first_due_local - timedelta(minutes=1))
    assert keys_to(-1001234567890, said) == ["topic-promise-warning"]
    assert keys_to(anna.profile.telegram_id, said) == []
    assert timers_of(anna, number)[case_timers.PROMISE] == first_due_local


async def test_breach_escalates_and_a_silent_chain_is_walked_to_its_end(
    org: OrgConfig, monday: datetime
) -> None:
    anna = Customer(org, monday)
    number = await anna.file()
    clock = Clockwork(anna)
    said = await clock.run_until(monday + timedelta(hours=2))
    case = case_of(anna, number)
    assert case.state is CaseState.ESCALATED
    assert keys_to(MARIA, said) == ["manager-escalation"]
    # One honest message: the promise broke, who decides now, and by when.
    assert keys_to(anna.profile.telegram_id, said) == ["case-escalated"]
    assert case.promise is not None and case.promise.owes is Owes.WHO
    assert case.promise.due == monday + timedelta(hours=2, minutes=30)
    said = await clock.run_until(monday + timedelta(hours=2, minutes=30))
    assert keys_to(JAN, said) == ["manager-escalation"]
    assert keys_to(anna.profile.telegram_id, said) == ["case-passed-up"]
    (paged,) = anna.uow.state.escalations.values()
    assert (paged.manager, paged.level, paged.acked_at) == ("jan", 1, None)
    said = await clock.run_until(monday + timedelta(hours=3))
    assert "topic-chain-ended" in keys_to(-1001234567890, said)
    assert keys_to(JAN, said) == ["manager-last-in-chain"] and keys_to(MARIA, said) == []
    # The customer is told honestly who is responsible now: the team, by a concrete time.
    assert keys_to(anna.profile.telegram_id, said) == ["case-chain-ended"]
    case = case_of(anna, number)
    assert case.promise is not None and case.promise.by is By.TEAM
    assert case.promise.due == monday + timedelta(hours=5)
    assert len(anna.uow.state.reviews) == 1


async def test_an_acknowledged_escalation_pages_nobody_else(
    org: OrgConfig, monday: datetime
) -> None:
    anna, number, clock = await acknowledged_by_maria(org, monday)
    case = case_of(anna, number)
    assert case.promise is not None and case.promise.debtor == "manager:maria"
    assert case.promise.due == monday + timedelta(hours=3)
    said = await clock.run_until(monday + timedelta(hours=2, minutes=59))
    assert keys_to(JAN, said) == []
    # Maria promised an answer by 13:00 and wrote nothing: she is reminded, once.
    said = await clock.run_until(monday + timedelta(hours=3))
    assert keys_to(MARIA, said) == ["manager-promise-missed"]
    assert keys_to(anna.profile.telegram_id, said) == ["case-manager-late"]
    assert keys_to(JAN, said) == []
    # Missed again: the next in the chain is paged, and the customer hears that, once.
    said = await clock.run_until(monday + timedelta(hours=3, minutes=30))
    assert keys_to(JAN, said) == ["manager-escalation"]
    assert keys_to(anna.profile.telegram_id, said) == ["case-escalated"]
    case = case_of(anna, number)
    assert case.promise is not None and case.promise.debtor == "manager:jan"
    assert case.promise.owes is Owes.WHO


async def test_no_check_in_while_waiting_for_the_customer_whose_wait_does_not_count(
    org: OrgConfig, monday: datetime
) -> None:
    anna, number, desk = await filed_into_a_topic(org, monday)
    await desk.press(PIOTR, f"k:{number}:take")
    await desk.press(PIOTR, f"k:{number}:ask")
    await desk.write(PIOTR, "Which locker?")
    resolve_due = case_of(anna, number).resolve_due
    clock = Clockwork(anna)
    said = await clock.run_until(monday + timedelta(days=1, hours=1))  # Tuesday 11:00
    assert keys_to(anna.profile.telegram_id, said) == ["case-waiting-reminder"]
    assert case_of(anna, number).state is CaseState.WAITING_FOR_CUSTOMER
    await anna.write("Locker 12 at the station")
    answered = case_of(anna, number)
    assert answered.state is CaseState.ASSIGNED
    # Ten working hours of waiting (Monday 10–18, Tuesday 9–11) move Wednesday 10:00 to
    # Thursday 11:00 in Warsaw.
    assert resolve_due == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert answered.resolve_due == datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    timers = {t.kind for t in anna.uow.state.timers.values() if t.key == number}
    assert case_timers.WAIT_CLOSE not in timers and case_timers.PROMISE in timers


async def test_an_unanswered_question_closes_the_case_politely(
    org: OrgConfig, monday: datetime
) -> None:
    anna, number, desk = await filed_into_a_topic(org, monday)
    await desk.press(PIOTR, f"k:{number}:take")
    await desk.press(PIOTR, f"k:{number}:ask")
    await desk.write(PIOTR, "Which locker?")
    said = await Clockwork(anna).run_until(monday + timedelta(days=7))
    assert keys_to(anna.profile.telegram_id, said) == [
        "case-waiting-reminder",
        "case-closed-unanswered",
    ]
    assert case_of(anna, number).state is CaseState.CLOSED
    assert not [t for t in anna.uow.state.timers.values() if t.key == number]


async def test_a_late_first_answer_stops_the_first_response_breach(
    org: OrgConfig, monday: datetime
) -> None:
    anna, number, desk = await filed_into_a_topic(org, monday)
    desk.now = monday + timedelta(minutes=119)
    await desk.write(PIOTR, "Hello, I am on it.")
    assert case_of(anna, number).first_response_at == desk.now
    said = await Clockwork(anna).run_until(monday + timedelta(hours=3))
    assert keys_to(MARIA, said) == []
    assert case_of(anna, number).state is CaseState.ASSIGNED


def test_a_third_transfer_is_one_too_many() -> None:
    assert escalation.MAX_TRANSFERS == 2
    assert timedelta(minutes=10) == staff_actions.PROMPT_TTL


@pytest.mark.parametrize("first", [case_timers.PROMISE, case_timers.RESOLVE_BREACH])
async def test_a_broken_promise_and_the_resolution_target_falling_due_together_are_one_message(
    org: OrgConfig, monday: datetime, first: str
) -> None:
    anna, number, desk = await filed_into_a_topic(org, monday)
    await desk.press(PIOTR, f"k:{number}:take")
    await desk.write(PIOTR, "Looking into it.")
    # Make the resolution target fall exactly on the next check-in (14:00).
    async with anna.uow() as tx:
        case = await tx.cases.get(number)
        assert case is not None and case.promise is not None
        due = case.promise.due
        await tx.cases.save(replace(case, resolve_due=due))
        await case_timers.arm_resolution(tx, Clockwork(anna).env(), case, due)
        await tx.commit()
    timers = anna.uow.state.timers  # which of the two, due at the same time, fires first
    timers[(first, number)] = timers.pop((first, number))
    for key in [k for k in timers if k != (first, number)]:
        timers[key] = timers.pop(key)
    said = await Clockwork(anna).run_until(due)
    assert keys_to(anna.profile.telegram_id, said) == ["case-escalated"]
    assert keys_to(MARIA, said) == ["manager-escalation"]
    # Later check-ins do not escalate again for the same target.
    said = await Clockwork(anna).run_until(due + timedelta(days=1))
    assert "manager-escalation" not in keys_to(MARIA, said)


@pytest.mark.parametrize("first", [case_timers.PROMISE, case_timers.RESOLVE_BREACH])
@pytest.mark.parametrize("misses", [0, 1])
async def test_a_managers_time_and_the_resolution_target_falling_due_together_are_told_once(
    org: OrgConfig, monday: datetime, first: str, misses: int
) -> None:
    anna, number, clock = await acknowledged_by_maria(org, monday)
    if misses:  # Maria already missed her time once and was reminded
        await clock.run_until(monday + timedelta(hours=3))
    # The resolution target falls exactly on Maria's promised time.
    async with anna.uow() as tx:
        case = await tx.cases.get(number)
        assert case is not None and case.promise is not None
        due = case.promise.due
        await tx.cases.save(replace(case, resolve_due=due))
        await case_timers.arm_resolution(tx, clock.env(), case, due)
        await tx.commit()
    timers = anna.uow.state.timers  # which of the two, due at the same time, fires first
    timers[(first, number)] = timers.pop((first, number))
    for key in [k for k in timers if k != (first, number)]:
        timers[key] = timers.pop(key)
    said = await clock.run_until(due)
    told = [s for s in said if s.chat_id == anna.profile.telegram_id]
    assert [s.key for s in told] == ["case-escalated" if misses else "case-manager-late"]
    live = case_of(anna, number).promise
    assert live is not None and live.due > due, "what the customer reads is a time to come"
    assert told[0].params["p_due"] == live.due


async def test_a_check_in_leaves_the_card_alone_for_it_reads_the_same(
    org: OrgConfig, monday: datetime
) -> None:
    anna, number, desk = await filed_into_a_topic(org, monday)

    def card_edits() -> int:
        rows = anna.uow.state.outbox
        return sum(1 for r in rows if isinstance(r.message, Edit) and r.message.card_of == number)

    edits = card_edits()
    await desk.press(PIOTR, f"k:{number}:take")
    assert card_edits() > edits, "taking the case shows on its card"
    await desk.write(PIOTR, "Looking into it.")
    clock = Clockwork(anna)
    async with anna.uow() as tx:  # the update is owed in two days; Anna last heard on Friday
        case = await tx.cases.get(number)
        assert case is not None and case.promise is not None
        friday = anna.now - timedelta(days=3)
        owed = replace(case.promise, due=anna.now + timedelta(days=2), told_at=friday)
        case = await tx.cases.save(replace(case, promise=owed))
        await case_timers.arm(tx, clock.env(), case)
        await tx.commit()
    edits = card_edits()
    said = await clock.run_until(anna.now + timedelta(minutes=1))
    assert "check-in" in keys_to(anna.profile.telegram_id, said)
    assert "topic-checked-in" in [s.key for s in said if s.topic_of == number]
    assert card_edits() == edits, "no edit that changes nothing (the group's 20 a minute)"
