"""The promise model under random use: customers, staff and managers act in any order while the
clock moves in small and large steps, and after every step the promises still hold.

Every transaction (an update, or a timer firing at its due time) is checked as it commits:

- an open case that waits on us has exactly one live promise and one promise timer, due when
  the promise next needs something (warning, its time, a check-in); otherwise none;
- every time a customer is shown as a promise is in the future and is the live promise's time;
- a person named to the customer as handling the case took it, was given it, or (a manager)
  acknowledged it or took it over; a paged manager is never named as the owner;
- a promise that breaks is followed, in the same transaction, by an honest message;
- the customer is never left longer than the check-in interval (of working time) without a word
  while the case waits on us;
- /status, the card and the customer's last message about the case say the same.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from bot.settings import load_org
from flows import (
    case_timers,
    casework,
    customer_service,
    escalation,
    followup,
    manager_service,
    promise,
    staff_service,
)
from flows.actions import (
    CardAction,
    CheckIn,
    DescriptionDone,
    Escalated,
    MoreTime,
    PickCategory,
    Reopen,
    Resolution,
    SummaryChoice,
    TransferTo,
    Withdraw,
)
from flows.business_time import business_time_between
from flows.card import card_params
from flows.env import Env
from flows.incoming import Command, GroupUpdate, Incoming, Pressed, Text, Update
from flows.lifecycle import is_open
from flows.messages import Copy, Outgoing, Say
from flows.model import Case, Profile
from flows.promise import By, Owes
from tests.conftest import DEMO_CONFIG, MONDAY_10_WARSAW
from tests.fakes import FakeUnitOfWork

GROUP = -1001234567890
STAFF = {"piotr": Profile(7001, "Piotr"), "ola": Profile(7002, "Ola")}
MARIA, JAN = Profile(111111, "Maria"), Profile(222222, "Jan")
TICK = timedelta(minutes=1)
# Times in customer messages that are not promises: the one just missed, when the team opens,
# when an unanswered case closes, when a manager may be asked again.
NOT_PROMISES = {"missed_due", "opens", "close", "asked", "again", "at"}
HONEST = {
    "case-escalated",
    "case-passed-up",
    "case-chain-ended",
    "case-manager-late",
    "case-manager-gave-up",
}


@dataclass
class Filed:
    """One customer and their case, as the machine follows them."""

    profile: Profile
    number: str
    thread: int
    last_told: datetime
    owed_since: datetime | None = None
    last_said: Say | None = None
    closed_messages: list[str] = field(default_factory=list)


class PromiseMachine(RuleBasedStateMachine):
    """Drives the services over the fake store with a fake clock."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.org = load_org(DEMO_CONFIG)
        self.uow = FakeUnitOfWork()
        self.now = MONDAY_10_WARSAW
        self.cases: list[Filed] = []
        self.ids = itertools.count(10_000)
        numbers = itertools.count(1)
        self.random = lambda n: next(numbers).to_bytes(n, "big")

    def teardown(self) -> None:
        self.loop.close()

    # -- plumbing ----------------------------------------------------------------------------

    def env(self) -> Env:
        return Env(self.org, self.now, self.random)

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    async def _commit(self, work: Any) -> list[Outgoing]:
        """Run one transaction, then check what it left behind."""
        before = len(self.uow.state.outbox)
        log_before = len(self.uow.state.log)
        async with self.uow() as tx:
            await work(tx, self.env())
            await tx.commit()
        said = [row.message for row in self.uow.state.outbox[before:]]
        self._check_transaction(said, self.uow.state.log[log_before:])
        return said

    def private(self, who: Profile, event: Incoming) -> list[Outgoing]:
        async def work(tx: Any, env: Env) -> None:
            if not await manager_service.handle(tx, env, Update(who, who.telegram_id, event)):
                await customer_service.handle_private(tx, env, Update(who, who.telegram_id, event))

        return self.run(self._commit(work))

    def group(self, who: Profile, event: Incoming, thread: int | None) -> list[Outgoing]:
        async def work(tx: Any, env: Env) -> None:
            await staff_service.handle_group(tx, env, GroupUpdate(who, GROUP, thread, event, True))

        return self.run(self._commit(work))

    def press(self, who: Profile, data: str, thread: int | None = None) -> list[Outgoing]:
        event = Pressed(data, f"cb{next(self.ids)}", next(self.ids))
        if who.telegram_id in (MARIA.telegram_id, JAN.telegram_id) and thread is None:
            return self.private(who, event)
        if thread is not None:
            return self.group(who, event, thread)
        return self.private(who, event)

    def write_in_topic(self, who: Profile, filed: Filed, text: str) -> list[Outgoing]:
        return self.group(who, Text(text, next(self.ids), html=text), filed.thread)

    def case(self, filed: Filed) -> Case:
        return self.uow.state.cases[filed.number]

    # -- checks ------------------------------------------------------------------------------

    def _filed(self, number: object) -> Filed | None:
        return next((f for f in self.cases if f.number == number), None)

    def _about(self, message: Outgoing) -> Filed | None:
        """The followed case a customer message is about."""
        if isinstance(message, Say | Copy):
            track = message.track
            number = track.case if track is not None else None
            if isinstance(message, Say):
                number = message.params.get("number", number)
            filed = self._filed(number)
            if filed is not None and message.chat_id == filed.profile.telegram_id:
                return filed
        return None

    def _check_transaction(self, said: list[Outgoing], logged: list[Any]) -> None:
        for message in said:
            filed = self._about(message)
            if filed is None:
                continue
            filed.last_told = self.now
            if isinstance(message, Say):
                filed.last_said = message
                self._check_times_and_names(filed, message)
        for entry in logged:
            if entry.kind == "promise_broken":
                filed = self._filed(entry.case_number)
                assert filed is not None
                honest = [
                    m
                    for m in said
                    if isinstance(m, Say) and m.key in HONEST and self._about(m) is filed
                ]
                customer = self.uow.state.customers[self.case(filed).customer_id]
                assert honest or customer.unreachable, f"{entry.case_number}: broken in silence"
        for filed in self.cases:
            self._check_promise_and_timer(filed)

    def _check_times_and_names(self, filed: Filed, message: Say) -> None:
        case = self.case(filed)
        live = case.promise
        for name, value in message.params.items():
            if not isinstance(value, datetime) or name in NOT_PROMISES:
                continue
            assert live is not None, f"{message.key} shows {name} but nothing is promised"
            assert value == live.due, f"{message.key}: {name} {value} is not the promise's time"
            assert value > self.now, f"{message.key}: {name} {value} is not in the future"
        who = message.params.get("p_who")
        if who in ("person", "manager"):
            assert live is not None and live.names_owner, f"{message.key} names an owner"
            self._check_named(case, live)
        if who == "paged":
            assert live is not None and live.owes is Owes.WHO

    def _check_named(self, case: Case, live: promise.Promise) -> None:
        """The person the promise names took the case, was given it, or acknowledged it."""
        if live.by is By.STAFF:
            assert live.ref == str(case.owner_id), f"{case.number}: {live.ref} is not the owner"
            return
        manager = self.org.manager(live.ref)
        acked = [
            e
            for e in self.uow.state.escalations.values()
            if e.case_number == case.number and e.acked_by == live.ref
        ]
        wrote = [
            e
            for e in self.uow.state.log
            if e.case_number == case.number and e.actor == f"manager:{live.ref}"
        ]
        assert acked or wrote or case.owner_id == manager.telegram_id, (
            f"{case.number}: {manager.name} is named but never acknowledged or took it"
        )

    def _check_promise_and_timer(self, filed: Filed) -> None:
        case = self.case(filed)
        timers = {
            kind: t.due_at for (kind, key), t in self.uow.state.timers.items() if key == case.number
        }
        owes = is_open(case.state) and case.state not in casework.NO_PROMISE
        assert (case.promise is not None) == owes, f"{case.number} {case.state}: {case.promise}"
        if not owes:
            assert case_timers.PROMISE not in timers
            filed.owed_since = None
            return
        if filed.owed_since is None:
            filed.owed_since = self.now
        assert timers.get(case_timers.PROMISE) == case_timers.promise_due(self.env(), case)

    @invariant()
    def never_left_alone(self) -> None:
        for filed in self.cases:
            case = self.case(filed)
            if filed.owed_since is None or case.promise is None:
                continue
            since = max(filed.last_told, filed.owed_since)
            quiet = business_time_between(self.org.organisation, since, self.now)
            allowed = casework.check_in_every(self.env(), case).working_hours(
                self.org.organisation.business_hours.day_length
            )
            assert quiet <= allowed + TICK, f"{case.number}: {quiet} without a word"

    @invariant()
    def status_card_and_last_message_agree(self) -> None:
        for filed in self.cases:
            case = self.case(filed)
            live = case.promise
            if live is None:
                continue
            customer = self.uow.state.customers[case.customer_id]
            status = casework.promise_text(self.env(), case, customer)
            assert status["p_due"] == live.due
            card = card_params(case, customer, [], self.org, "en")
            assert card["promise_due"] == live.due
            assert card["promise_who"] == promise.label(live, self.org, "en")
            last = filed.last_said
            if last is not None and "p_due" in last.params:
                assert last.params["p_due"] == live.due, f"{last.key} says another time"
                assert last.params["p_name"] == status["p_name"], f"{last.key}: another name"

    # -- what people do -----------------------------------------------------------------------

    @initialize()
    def staff_are_at_work(self) -> None:
        for person in STAFF.values():
            self.group(person, Command("help", "", next(self.ids)), None)

    @precondition(lambda self: len(self.cases) < 3)
    @rule()
    def a_customer_files_a_complaint(self) -> None:
        who = Profile(501 + len(self.cases), f"Customer{len(self.cases)}", language_code="en")
        self.private(who, Command("new", "", next(self.ids)))
        conversation = self.uow.state.conversations[who.telegram_id]
        assert conversation.draft is not None
        draft = conversation.draft.id
        self.private(who, Pressed(PickCategory(draft, "delivery").pack(), "c", 1))
        self.private(who, Text("My parcel is lost", next(self.ids)))
        self.private(who, Pressed(DescriptionDone(draft).pack(), "c", 1))
        self.private(who, Text("💬 Telegram only", next(self.ids), label="btn-telegram-only"))
        said = self.private(who, Pressed(SummaryChoice(draft, "confirm").pack(), "c", 1))
        receipt = next(m for m in said if isinstance(m, Say) and m.key == "case-registered")
        number = str(receipt.params["number"])
        thread = 100 + len(self.cases)
        self.cases.append(Filed(who, number, thread, self.now, self.now, receipt))

        async def opened(tx: Any, env: Env) -> None:
            case = await tx.cases.get(number)
            await tx.cases.save(replace(case, topic_id=thread))

        self.run(self._commit(opened))

    def _pick(self, index: int) -> Filed:
        return self.cases[index % len(self.cases)]

    cases_exist = precondition(lambda self: bool(self.cases))

    @cases_exist
    @rule(index=st.integers(0, 2), who=st.sampled_from(sorted(STAFF)))
    def staff_take(self, index: int, who: str) -> None:
        filed = self._pick(index)
        self.press(STAFF[who], CardAction(filed.number, "take").pack(), filed.thread)

    @cases_exist
    @rule(index=st.integers(0, 2), who=st.sampled_from(sorted(STAFF)))
    def staff_write_to_the_customer(self, index: int, who: str) -> None:
        filed = self._pick(index)
        self.write_in_topic(STAFF[who], filed, "We are checking with the courier.")

    @cases_exist
    @rule(
        index=st.integers(0, 2),
        who=st.sampled_from(sorted(STAFF)),
        to=st.sampled_from(["p:7001", "p:7002", "t:support", "t:billing"]),
    )
    def staff_transfer(self, index: int, who: str, to: str) -> None:
        filed = self._pick(index)
        kind, target = to.split(":")
        self.press(STAFF[who], CardAction(filed.number, "transfer").pack(), filed.thread)
        self.press(STAFF[who], TransferTo(filed.number, kind, target).pack(), filed.thread)
        self.write_in_topic(STAFF[who], filed, "Handing it on.")

    @cases_exist
    @rule(
        index=st.integers(0, 2),
        who=st.sampled_from(sorted(STAFF)),
        action=st.sampled_from(["ask", "resolve", "decline"]),
    )
    def staff_act_with_a_message(self, index: int, who: str, action: str) -> None:
        filed = self._pick(index)
        self.press(STAFF[who], CardAction(filed.number, action).pack(), filed.thread)
        self.write_in_topic(STAFF[who], filed, f"About your case: {action}.")

    @cases_exist
    @rule(index=st.integers(0, 2), who=st.sampled_from(sorted(STAFF)))
    def staff_escalate(self, index: int, who: str) -> None:
        filed = self._pick(index)
        self.press(STAFF[who], CardAction(filed.number, "escalate").pack(), filed.thread)

    @cases_exist
    @rule(
        index=st.integers(0, 2),
        who=st.sampled_from(sorted(STAFF)),
        within=st.sampled_from(["1h", "4h", "1d"]),
    )
    def staff_ask_for_more_time(self, index: int, who: str, within: str) -> None:
        filed = self._pick(index)
        self.press(STAFF[who], CardAction(filed.number, "later").pack(), filed.thread)
        self.press(STAFF[who], MoreTime(filed.number, within).pack(), filed.thread)
        self.write_in_topic(STAFF[who], filed, "The warehouse answers tomorrow.")

    @cases_exist
    @rule(index=st.integers(0, 2))
    def the_customer_writes(self, index: int) -> None:
        filed = self._pick(index)
        if is_open(self.case(filed).state):
            self.private(filed.profile, Text("Any news?", next(self.ids)))

    @cases_exist
    @rule(
        index=st.integers(0, 2),
        answer=st.sampled_from(["manager", "still", "solved"]),
    )
    def the_customer_answers_a_check_in(self, index: int, answer: str) -> None:
        filed = self._pick(index)
        self.press(filed.profile, CheckIn(filed.number, answer).pack())

    @cases_exist
    @rule(index=st.integers(0, 2), answer=st.sampled_from(["yes", "no"]))
    def the_customer_says_whether_it_is_solved(self, index: int, answer: str) -> None:
        filed = self._pick(index)
        self.press(filed.profile, Resolution(filed.number, answer).pack())

    @cases_exist
    @rule(index=st.integers(0, 2), how=st.sampled_from(["reopen", "withdraw"]))
    def the_customer_reopens_or_withdraws(self, index: int, how: str) -> None:
        filed = self._pick(index)
        if how == "reopen":
            self.press(filed.profile, Reopen(filed.number).pack())
        else:
            self.press(filed.profile, Withdraw(filed.number, "yes").pack())

    @cases_exist
    @rule(
        index=st.integers(0, 2),
        manager=st.sampled_from(["maria", "jan"]),
        action=st.sampled_from(["ack", "ack1h", "ack1d", "take", "reply"]),
    )
    def a_manager_answers_an_escalation(self, index: int, manager: str, action: str) -> None:
        filed = self._pick(index)
        escalations = [
            e for e in self.uow.state.escalations.values() if e.case_number == filed.number
        ]
        if not escalations:
            return
        who = MARIA if manager == "maria" else JAN
        self.press(who, Escalated(str(escalations[-1].id), action).pack())
        if action in ("take", "reply"):
            self.private(who, Text("I am looking at this myself.", next(self.ids)))
            self.private(who, Command("done", "", next(self.ids)))

    @rule(minutes=st.integers(1, 90))
    def a_little_time_passes(self, minutes: int) -> None:
        self._advance(timedelta(minutes=minutes))

    @rule(hours=st.integers(2, 60))
    def a_lot_of_time_passes(self, hours: int) -> None:
        self._advance(timedelta(hours=hours))

    def _advance(self, delta: timedelta) -> None:
        """Move the clock, firing every timer at its own due time, in order."""
        target = self.now + delta
        while True:
            due = sorted(
                (t for t in self.uow.state.timers.values() if t.due_at <= target),
                key=lambda t: t.due_at,
            )
            if not due:
                break
            timer = due[0]
            self.now = max(self.now, timer.due_at)
            self._check_quiet_before(timer.due_at)

            async def fire(tx: Any, env: Env, timer: Any = timer) -> None:
                await tx.timers.take(timer)
                if timer.kind == case_timers.PAGE:
                    await escalation.page_next(tx, env, timer)
                elif timer.kind in case_timers.CASE_KINDS:
                    await followup.fire(tx, env, timer)
                else:
                    await customer_service.fire_draft_timer(tx, env, timer)

            self.run(self._commit(fire))
        self.now = target

    def _check_quiet_before(self, moment: datetime) -> None:
        saved, self.now = self.now, moment
        try:
            self.never_left_alone()
        finally:
            self.now = saved


PromiseMachine.TestCase.settings = settings(
    # A deeper search than the suite's: HEARBACK_PROPERTY_EXAMPLES=1000 make test.
    max_examples=int(os.environ.get("HEARBACK_PROPERTY_EXAMPLES", "30")),
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestPromises = PromiseMachine.TestCase
