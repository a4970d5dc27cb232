"""Staff services over the fakes: who may do what, prompts, relays, and what each side is told."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from flows import delivery, staff_actions, staff_service
from flows.actions import CardAction, TransferTo
from flows.card import available_actions, card_buttons, topic_title
from flows.config import OrgConfig
from flows.env import Env
from flows.incoming import Command, Edited, GroupUpdate, Incoming, Pressed, Text, TopicClosed
from flows.lifecycle import CaseState
from flows.messages import AnswerButton, Copy, CreateTopic, Edit, Outgoing, Say
from flows.model import Case, Profile
from tests.fakes import FakeUnitOfWork
from tests.unit.test_customer_service import Customer

GROUP, BILLING = -1001234567890, -1001234567891
THREAD = 77
PIOTR = Profile(7001, "Piotr")
OLA = Profile(7002, "Ola")
MARIA = Profile(111111, "Maria")  # a manager in the demo config


class Desk:
    """A staff group over the fake store; each action is one committed transaction."""

    def __init__(self, org: OrgConfig, now: datetime, uow: FakeUnitOfWork) -> None:
        self.org, self.now, self.uow = org, now, uow
        self.ids = itertools.count(5000)

    async def do(
        self, who: Profile, event: Incoming, thread: int | None = THREAD, staff: bool = True
    ) -> list[Outgoing]:
        before = len(self.uow.state.outbox)
        async with self.uow() as tx:
            env = Env(self.org, self.now, lambda n: b"\x07" * n)
            await staff_service.handle_group(tx, env, GroupUpdate(who, GROUP, thread, event, staff))
            await tx.commit()
        return [row.message for row in self.uow.state.outbox[before:]]

    async def press(self, who: Profile, data: str, staff: bool = True) -> list[Outgoing]:
        return await self.do(who, Pressed(data, f"cb{next(self.ids)}", 1), staff=staff)

    async def write(self, who: Profile, text: str) -> list[Outgoing]:
        return await self.do(who, Text(text, next(self.ids), html=text))


def alerts(said: list[Outgoing]) -> list[str | None]:
    return [m.key for m in said if isinstance(m, AnswerButton) and m.alert]


def to(chat: int, said: list[Outgoing]) -> list[str]:
    return [m.key for m in said if isinstance(m, Say) and m.chat_id == chat]


@pytest.fixture
async def case(org: OrgConfig, monday: datetime) -> tuple[Desk, Customer, Case]:
    """A registered case whose topic Telegram has opened as thread THREAD."""
    anna = Customer(org, monday)
    number = await anna.file()
    async with anna.uow() as tx:
        found = await tx.cases.get(number)
        assert found is not None and found.topic_chat_id == GROUP
        opened = await tx.cases.save(replace(found, topic_id=THREAD))
        await tx.commit()
    return Desk(org, monday, anna.uow), anna, opened


def current(desk: Desk, number: str) -> Case:
    return desk.uow.state.cases[number]


@pytest.mark.parametrize("state", list(CaseState))
def test_the_card_offers_only_what_the_lifecycle_allows(state: CaseState) -> None:
    expected = {
        CaseState.WAITING_FOR_AGENT: ["take", "transfer", "decline", "escalate"],
        CaseState.ASSIGNED: ["transfer", "ask", "resolve", "decline", "escalate"],
        CaseState.WAITING_FOR_CUSTOMER: ["escalate"],
        CaseState.ESCALATED: ["take", "transfer", "resolve", "decline"],
        CaseState.RESOLVED: [],
        CaseState.CLOSED: [],
        CaseState.DECLINED: [],
        CaseState.WITHDRAWN: [],
        CaseState.REOPENED: ["take", "transfer", "decline", "escalate"],
    }
    assert available_actions(state) == expected[state]


async def test_the_topic_title_is_one_line_within_telegrams_limit(
    case: tuple[Desk, Customer, Case], org: OrgConfig
) -> None:
    desk, _, found = case
    customer = next(iter(desk.uow.state.customers.values()))
    long = replace(customer, first_name="Anna\nMaria " + "x" * 200, last_name="Kowalczyk")
    title = topic_title(found, long, org)
    assert title.startswith(f"{found.number} · Delivery · Anna Maria")
    assert len(title) == 128 and "\n" not in title and title.endswith("…")


async def test_take_names_the_owner_to_the_customer_and_the_topic(
    case: tuple[Desk, Customer, Case],
) -> None:
    desk, anna, found = case
    said = await desk.press(PIOTR, CardAction(found.number, "take").pack())
    assert alerts(said) == []
    assert to(anna.profile.telegram_id, said) == ["case-taken"]
    assert to(GROUP, said) == ["topic-taken"]
    taken = current(desk, found.number)
    assert (taken.state, taken.owner_id, taken.owner_name) == (
        CaseState.ASSIGNED,
        PIOTR.telegram_id,
        "Piotr (Support)",
    )


async def test_people_who_may_not_act_get_an_alert_and_nothing_changes(
    case: tuple[Desk, Customer, Case],
) -> None:
    desk, _, found = case
    take, resolve = CardAction(found.number, "take"), CardAction(found.number, "resolve")
    assert alerts(await desk.press(OLA, take.pack(), staff=False)) == ["staff-only"]
    assert alerts(await desk.press(PIOTR, resolve.pack())) == ["staff-not-now"]
    assert alerts(await desk.press(PIOTR, "k:HB-ZZZZZZ:take")) == ["staff-button-stale"]
    assert alerts(await desk.press(PIOTR, "nonsense")) == ["button-unknown"]
    assert alerts(await desk.press(PIOTR, CardAction(found.number, "fly").pack())) == [
        "button-unknown"
    ]
    assert current(desk, found.number).version == found.version
    await desk.press(PIOTR, take.pack())
    assert alerts(await desk.press(OLA, take.pack())) == ["staff-already-taken"]
    assert alerts(await desk.press(OLA, resolve.pack())) == ["staff-not-owner"]
    assert alerts(await desk.press(MARIA, resolve.pack(), staff=False)) == []
    assert current(desk, found.number).state is CaseState.ASSIGNED, "a resolution note first"
    said = await desk.write(MARIA, "The courier found the parcel; it is delivered today.")
    assert current(desk, found.number).state is CaseState.RESOLVED
    (ask,) = [m for m in said if isinstance(m, Say) and m.key == "case-resolved-ask"]
    assert "courier found the parcel" in str(ask.params["note"])


async def test_a_stale_prompt_does_not_swallow_a_reply_meant_for_the_customer(
    case: tuple[Desk, Customer, Case],
) -> None:
    desk, anna, found = case
    await desk.press(PIOTR, CardAction(found.number, "take").pack())
    await desk.press(PIOTR, CardAction(found.number, "decline").pack())
    desk.now += staff_actions.PROMPT_TTL + timedelta(seconds=1)
    said = await desk.write(PIOTR, "We are checking with the courier.")
    assert current(desk, found.number).state is CaseState.ASSIGNED
    assert to(anna.profile.telegram_id, said) == ["staff-reply"]


async def test_an_answered_prompt_declines_with_the_reason_for_the_customer(
    case: tuple[Desk, Customer, Case],
) -> None:
    desk, anna, found = case
    await desk.press(PIOTR, CardAction(found.number, "take").pack())
    asked = await desk.press(PIOTR, CardAction(found.number, "decline").pack())
    assert to(GROUP, asked) == ["staff-prompt-decline"]
    said = await desk.write(PIOTR, "Delivered and signed for.")
    decline = next(m for m in said if isinstance(m, Say) and m.key == "case-declined")
    assert decline.buttons and decline.params["manager"] == "Maria Kowalska"
    assert current(desk, found.number).state is CaseState.DECLINED
    later = await desk.write(PIOTR, "One more thing")
    assert to(GROUP, later) == ["staff-case-ended"]
    assert to(anna.profile.telegram_id, later) == []


async def test_notes_stay_internal(case: tuple[Desk, Customer, Case]) -> None:
    desk, anna, found = case
    for said in (
        await desk.write(PIOTR, "!call them back"),
        await desk.do(PIOTR, Command("note", "checked", next(desk.ids))),
    ):
        assert to(anna.profile.telegram_id, said) == []
    kinds = [e.kind for e in desk.uow.state.log if e.case_number == found.number]
    assert kinds.count("note") == 2
    assert current(desk, found.number).state is CaseState.WAITING_FOR_AGENT


async def test_a_transfer_to_another_team_opens_a_topic_in_its_group(
    case: tuple[Desk, Customer, Case],
) -> None:
    desk, anna, found = case
    await desk.press(PIOTR, CardAction(found.number, "take").pack())
    await desk.press(PIOTR, TransferTo(found.number, "t", "billing").pack())
    said = await desk.write(PIOTR, "Refund question")
    moved = current(desk, found.number)
    assert (moved.team, moved.owner_id, moved.state, moved.transfers) == (
        "billing",
        None,
        CaseState.WAITING_FOR_AGENT,
        1,
    )
    assert moved.topic_chat_id == BILLING and moved.topic_id is None
    assert any(isinstance(m, CreateTopic) and m.chat_id == BILLING for m in said)
    assert to(anna.profile.telegram_id, said) == ["case-transferred-team"]
    assert "topic-moved" in to(GROUP, said)


async def test_the_transfer_that_is_one_too_many_is_told_as_its_escalation_alone(
    case: tuple[Desk, Customer, Case],
) -> None:
    desk, anna, found = case
    await desk.do(OLA, Command("help", "", 1), thread=None)  # Ola is seen in the group
    await desk.press(PIOTR, CardAction(found.number, "take").pack())
    for giver, target in ((PIOTR, OLA), (OLA, PIOTR), (PIOTR, OLA)):
        await desk.press(giver, TransferTo(found.number, "p", str(target.telegram_id)).pack())
        said = await desk.write(giver, "Passing it on")
    # The third hand-over escalates: one message, the escalation with its time, not two times.
    assert to(anna.profile.telegram_id, said) == ["case-escalated"]
    (told,) = [m for m in said if isinstance(m, Say) and m.chat_id == anna.profile.telegram_id]
    assert told.params["why"] == "transfers"
    assert told.params["p_due"] == current(desk, found.number).promise.due  # type: ignore[union-attr]


async def test_transfer_targets_are_checked(case: tuple[Desk, Customer, Case]) -> None:
    desk, _, found = case
    said = await desk.press(PIOTR, TransferTo(found.number, "p", "424242").pack())
    assert to(GROUP, said) == ["staff-not-now"]
    assert desk.uow.state.prompts == {}


async def test_closing_an_open_cases_topic_opens_a_new_one(
    case: tuple[Desk, Customer, Case],
) -> None:
    desk, _, found = case
    said = await desk.do(PIOTR, TopicClosed(next(desk.ids)))
    assert any(isinstance(m, CreateTopic) for m in said)
    assert current(desk, found.number).topic_id is None


async def test_delivery_waits_for_a_topic_being_opened_and_falls_back_to_general(
    case: tuple[Desk, Customer, Case],
) -> None:
    desk, _, found = case
    copy = Copy(GROUP, 501, 9, "en", topic_of=found.number)
    async with desk.uow() as tx:
        addressed = await delivery.address(tx, copy)
        assert isinstance(addressed, Copy) and addressed.thread_id == THREAD
        await tx.cases.save(replace(current(desk, found.number), topic_id=None))
        assert isinstance(await delivery.address(tx, copy), delivery.Later)
        assert await delivery.address(tx, copy, waits=delivery.MAX_WAITS) == replace(
            copy, thread_id=None
        )
        case_now = await tx.cases.get(found.number)
        assert case_now is not None
        await tx.cases.save(replace(case_now, topic_id=delivery.NO_TOPIC))
        general = await delivery.address(tx, copy)
        assert isinstance(general, Copy) and general.thread_id is None


async def test_an_edit_of_a_reply_still_on_its_way_follows_it_to_the_customer(
    case: tuple[Desk, Customer, Case],
) -> None:
    """Telegram may deliver the staff member's edit before the reply's copy is recorded."""
    desk, anna, _ = case
    reply_id = next(desk.ids)
    await desk.do(PIOTR, Text("Your parcel left today", reply_id, html="Your parcel left today"))
    said = await desk.do(PIOTR, Edited(reply_id, "Your parcel left this morning"))
    edits = [m for m in said if isinstance(m, Edit)]
    assert len(edits) == 1 and edits[0].chat_id == anna.profile.telegram_id
    assert edits[0].message_id is None and delivery.needs_address(edits[0])
    async with desk.uow() as tx:
        assert isinstance(await delivery.address(tx, edits[0]), delivery.Later)
        copy = next(
            m
            for m in desk.uow.state.outbox
            if isinstance(m.message, Say) and m.message.key == "staff-reply"
        ).message
        await delivery.delivered(tx, Env(desk.org, desk.now, bytes), copy, 9001, None)
        addressed = await delivery.address(tx, edits[0])
        assert isinstance(addressed, Edit) and addressed.message_id == 9001


async def test_an_edit_of_a_note_goes_nowhere(case: tuple[Desk, Customer, Case]) -> None:
    desk, _, _ = case
    note_id = next(desk.ids)
    await desk.do(PIOTR, Text("!called them", note_id, html="!called them"))
    said = await desk.do(PIOTR, Edited(note_id, "!called them twice"))
    assert [m for m in said if isinstance(m, Edit)] == []


def test_card_buttons_fit_telegrams_callback_data() -> None:
    from tests.integration.test_storage_contract import case as make_case

    for state in CaseState:
        for row in card_buttons(make_case("HB-7K3Q9M", 1, state)):
            for button in row:
                assert button.data is not None and len(button.data.encode()) <= 64
