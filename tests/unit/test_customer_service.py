"""Customer services over the in-memory fakes: what is stored and what the customer is told."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from flows import customer_service
from flows.actions import DescriptionDone, Menu, PickCategory, RouteTo, SummaryChoice
from flows.config import OrgConfig
from flows.env import Env
from flows.incoming import Command, Edited, Incoming, Pressed, Text, Update
from flows.lifecycle import CaseState
from flows.messages import AnswerButton, Say
from flows.model import Profile
from tests.fakes import FakeUnitOfWork

ANNA = Profile(telegram_id=501, first_name="Anna", last_name="K", language_code="pl")


def counter_bytes() -> Callable[[int], bytes]:
    numbers = itertools.count(1)
    return lambda n: next(numbers).to_bytes(n, "big")


class Customer:
    """Drives the services as one customer would, one committed transaction per update."""

    def __init__(
        self,
        org: OrgConfig,
        now: datetime,
        profile: Profile = ANNA,
        uow: FakeUnitOfWork | None = None,
        random: Callable[[int], bytes] | None = None,
    ) -> None:
        self.uow = uow or FakeUnitOfWork()
        self.org = org
        self.now = now
        self.profile = profile
        self.random = random or counter_bytes()
        self.ids = itertools.count(1000)

    async def do(self, event: Incoming) -> list[Say]:
        before = len(self.uow.state.outbox)
        async with self.uow() as tx:
            env = Env(self.org, self.now, self.random)
            await customer_service.handle_private(
                tx, env, Update(self.profile, self.profile.telegram_id, event)
            )
            await tx.commit()
        return [
            r.message
            for r in self.uow.state.outbox[before:]
            if isinstance(r.message, Say) and r.message.chat_id == self.profile.telegram_id
        ]

    async def write(self, text: str) -> list[Say]:
        return await self.do(Text(text, next(self.ids)))

    async def command(self, name: str, args: str = "") -> list[Say]:
        return await self.do(Command(name, args, next(self.ids)))

    async def press(self, data: str) -> list[Say]:
        return await self.do(Pressed(data, f"cb{next(self.ids)}", 1))

    def draft_id(self) -> str:
        conversation = self.uow.state.conversations[self.profile.telegram_id]
        assert conversation.draft is not None
        return conversation.draft.id

    async def file(self, text: str = "Parcel lost", category: str = "delivery") -> str:
        await self.command("new")
        draft = self.draft_id()
        await self.press(PickCategory(draft, category).pack())
        await self.write(text)
        await self.press(DescriptionDone(draft).pack())
        await self.do(Text("💬 Telegram only", next(self.ids), label="btn-telegram-only"))
        said = await self.press(SummaryChoice(draft, "confirm").pack())
        receipt = next(s for s in said if s.key == "case-registered")
        return str(receipt.params["number"])


@pytest.fixture
def anna(org: OrgConfig, monday: datetime) -> Customer:
    return Customer(org, monday)


async def test_the_receipt_is_queued_in_the_same_commit_as_the_case(anna: Customer) -> None:
    number = await anna.file()
    case = anna.uow.state.cases[number]
    assert case.state is CaseState.WAITING_FOR_AGENT
    assert case.first_response_due == anna.now + timedelta(hours=2)
    receipt = next(
        r.message
        for r in anna.uow.state.outbox
        if getattr(r.message, "key", "") == "case-registered"
    )
    assert isinstance(receipt, Say) and receipt.pin and receipt.language == "pl"
    assert case.promise is not None and case.promise.due == case.first_response_due
    assert receipt.params["p_due"] == case.first_response_due
    assert receipt.params["p_who"] == "team" and receipt.params["p_name"] == "Support"
    (kept,) = anna.uow.state.conversations.values()
    assert kept.draft is None, "the draft is gone once the case exists"
    assert [n for _, n in kept.registered] == [number], "a second Confirm names the case"
    timers = {(kind, key): timer.due_at for (kind, key), timer in anna.uow.state.timers.items()}
    assert all(key == number for _, key in timers), "the draft's reminder and expiry are gone"
    # The promise's timer warns at 80% of its time first; the resolution target has its own.
    assert timers[("promise", number)] == anna.now + timedelta(minutes=96)
    assert timers[("sla_resolve", number)] == case.resolve_due
    log = [e.kind for e in anna.uow.state.log if e.case_number == number]
    assert log[0] == "register"


async def test_nothing_is_stored_or_said_when_the_transaction_fails(
    org: OrgConfig, monday: datetime
) -> None:
    uow = FakeUnitOfWork()
    async with uow() as tx:
        env = Env(org, monday, counter_bytes())
        await customer_service.handle_private(tx, env, Update(ANNA, 501, Command("start", "", 1)))
        # no commit: a crash here must leave neither a customer nor a greeting behind
    assert uow.state.customers == {} and uow.state.outbox == []


async def test_a_taken_case_number_is_never_reused(org: OrgConfig, monday: datetime) -> None:
    same = lambda n: b"\x01" * n  # noqa: E731  (every draft id and number would collide)
    values = iter([b"\x01" * 5, b"\x01" * 5, b"\x02" * 5])
    random = lambda n: next(values) if n == 5 else same(n)  # noqa: E731
    anna = Customer(org, monday, random=random)
    first = await anna.file()
    second = await anna.file("Second")
    assert first != second


async def test_status_lists_own_cases_and_hides_others(anna: Customer, org: OrgConfig) -> None:
    number = await anna.file()
    said = await anna.command("status")
    assert said[0].key == "status-header"
    assert [params["number"] for _, params in said[0].lines] == [number]
    boris = Customer(org, anna.now, Profile(777, "Boris"), uow=anna.uow)
    refusal = await boris.command("status", number)
    assert [s.key for s in refusal] == ["status-not-found"]
    detail = await anna.command("status", number.lower().replace("-", ""))
    assert detail[0].key == "status-case"
    assert any(kind == "history-line" for kind, _ in detail[0].lines)


async def test_a_message_to_the_only_open_case_is_added(anna: Customer) -> None:
    number = await anna.file()
    said = await anna.write("Any news?")
    assert [s.key for s in said] == ["case-message-added"]
    assert said[0].params["number"] == number
    assert any(e.text == "Any news?" for e in anna.uow.state.log)


async def test_with_several_open_cases_the_message_waits_for_a_choice(anna: Customer) -> None:
    first = await anna.file("one")
    await anna.file("two")
    said = await anna.write("Which one?")
    assert [s.key for s in said] == ["which-case"]
    assert not any(e.text == "Which one?" for e in anna.uow.state.log)
    await anna.write("and this too")  # held as well, without asking twice
    said = await anna.press(RouteTo(first).pack())
    assert [s.key for s in said] == ["case-message-added"]
    texts = [e.text for e in anna.uow.state.log if e.case_number == first]
    assert "Which one?" in texts and "and this too" in texts


async def test_file_a_complaint_pressed_while_asked_which_case_starts_it_with_the_message(
    anna: Customer,
) -> None:
    await anna.file("one")
    await anna.file("two")
    await anna.write("A third thing: the invoice is wrong")
    said = await anna.press(Menu("file").pack())
    assert [s.key for s in said][:2] == ["intake-started-from-message", "intake-choose-category"]
    conversation = anna.uow.state.conversations[501]
    assert conversation.held == ()
    assert conversation.draft is not None
    assert conversation.draft.description == "A third thing: the invoice is wrong"


async def test_routing_to_someone_elses_case_is_refused(anna: Customer, org: OrgConfig) -> None:
    await anna.file("one")
    await anna.file("two")
    boris = Customer(org, anna.now, Profile(777, "Boris"), uow=anna.uow)
    theirs = await boris.file("boris")
    await anna.write("held")
    await anna.press(RouteTo(theirs).pack())
    answers = [r.message for r in anna.uow.state.outbox if isinstance(r.message, AnswerButton)]
    assert answers[-1].key == "button-stale" and answers[-1].alert
    assert not any(e.text == "held" for e in anna.uow.state.log if e.case_number == theirs)


async def test_an_edit_of_a_message_in_a_case_is_recorded(anna: Customer) -> None:
    await anna.file()
    await anna.write("Order 123")
    message_id = next(e.data["message_id"] for e in anna.uow.state.log if e.text == "Order 123")
    said = await anna.do(Edited(message_id, "Order 124"))
    assert [s.key for s in said] == ["case-edit-added"]
    assert anna.uow.state.log[-1].kind == "edit" and anna.uow.state.log[-1].text == "Order 124"


async def test_an_unknown_language_falls_back_to_english(org: OrgConfig, monday: datetime) -> None:
    kumar = Customer(org, monday, Profile(9, "Kumar", language_code="xx-YY"))
    said = await kumar.command("start")
    assert said[0].language == "en"
    tamil = Customer(org, monday, Profile(10, "Kavya", language_code="ta"))
    assert (await tamil.command("start"))[0].language == "ta"


async def test_free_text_starts_a_complaint_keeping_the_text(anna: Customer) -> None:
    said = await anna.write("The courier broke my TV")
    assert [s.key for s in said] == ["intake-started-from-message", "intake-choose-category"]
    draft = anna.uow.state.conversations[501].draft
    assert draft is not None and draft.description == "The courier broke my TV"


async def test_menu_buttons_without_a_draft(anna: Customer) -> None:
    said = await anna.press(Menu("cases").pack())
    assert [s.key for s in said] == ["status-none"]
    said = await anna.press(SummaryChoice("gone", "confirm").pack())
    answers = [r.message for r in anna.uow.state.outbox if isinstance(r.message, AnswerButton)]
    assert answers[-1].key == "button-stale"


async def test_draft_timers_remind_and_drop(anna: Customer) -> None:
    await anna.command("new")
    remind = anna.uow.state.timers[("draft-remind", "501")]
    assert remind.due_at == anna.now + timedelta(minutes=30)
    async with anna.uow() as tx:
        env = Env(anna.org, remind.due_at, anna.random)
        await customer_service.fire_draft_timer(tx, env, remind)
        await tx.commit()
    assert anna.uow.state.outbox[-2].message.key == "intake-reminder"  # type: ignore[union-attr]
    drop = anna.uow.state.timers[("draft-drop", "501")]
    async with anna.uow() as tx:
        env = Env(anna.org, drop.due_at, anna.random)
        await customer_service.fire_draft_timer(tx, env, drop)
        await tx.commit()
    assert anna.uow.state.outbox[-1].message.key == "intake-dropped"  # type: ignore[union-attr]
    assert anna.uow.state.conversations == {}
