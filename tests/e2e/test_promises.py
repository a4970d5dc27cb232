"""One promise per case, end to end on both runtimes: each way a promise used to contradict
itself once a case escalated, tried as the customer, the staff and the managers live it.

The demo organisation: Monday 10:00 in Warsaw, Delivery answers first within 2 working hours,
checks in every 4; Maria (Head of Customer Care) acknowledges within 30 minutes or Jan
(Operations Director, the top of the chain) is paged.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.clock import ManualClock
from sandbox.emulator import BotApiEmulator
from tests.e2e.chat import Person, StaffMember, eventually
from tests.e2e.conftest import JAN, MARIA, Running
from tests.e2e.test_intake import NUMBER, file_complaint
from tests.e2e.test_never_alone import Manager, escalated_to_maria, move


def written(person: Person) -> list[Any]:
    """What the bot wrote to `person`, without Telegram's notes of a pin (they come when they
    come, after the message pinned)."""
    return [m for m in person.inbox() if m.kind != "pinned_message"]


def said(person: Person, *fragments: str) -> list[str]:
    """Every message the bot sent `person` that contains all the fragments."""
    return [m.text for m in person.inbox() if all(f in m.text for f in fragments)]


async def test_a_manager_being_paged_is_not_an_owner_and_a_breach_is_one_message(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator, clock: ManualClock
) -> None:
    number = await file_complaint(anna)
    await piotr.card(number)
    before = len(written(anna))
    move(bot, clock, timedelta(hours=2))  # 12:00: nobody took it, the first answer is late
    told = await anna.expect("We have not answered", number, "Mon 23 Nov, 12:00")
    assert "Maria Kowalska" in told.text and "Mon 23 Nov, 12:30" in told.text
    assert "is handling" not in told.text and "responsible" not in told.text
    await Manager(emu, MARIA, "Maria").expect("Escalation to you", number)
    await piotr.expect(number, "escalated to Maria Kowalska")
    # Exactly one message at the breach: no check-in beside it naming anybody.
    assert len(written(anna)) == before + 1
    await anna.write("/status")
    status = await anna.expect("Your cases", number)
    assert "Maria Kowalska" in status.text and "Mon 23 Nov, 12:30" in status.text
    assert "handling" not in status.text and "responsible" not in status.text


async def test_when_nobody_in_the_chain_acknowledges_the_customer_hears_who_is_responsible(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator, clock: ManualClock
) -> None:
    number = await file_complaint(anna)
    await piotr.press(number, "Escalate")
    await anna.expect("now with", "Maria Kowalska", "Mon 23 Nov, 10:30")
    move(bot, clock, timedelta(minutes=30))
    await anna.expect("has not picked up your case", "Jan Nowak", "Mon 23 Nov, 11:00")
    move(bot, clock, timedelta(minutes=30))  # 11:00: Jan, the last in the chain, is silent too
    told = await anna.expect("nobody from management has picked up", number)
    assert "Support team" in told.text and "Mon 23 Nov, 13:00" in told.text
    await piotr.expect(number, "Nobody acknowledged", "last in the chain")
    await Manager(emu, JAN, "Jan").expect("you are the last in the escalation chain", number)
    await piotr.card_shows(number, "Promised to the customer: Support, an answer by")


async def test_a_manager_who_acknowledges_and_writes_nothing_is_reminded_then_passed_over(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator, clock: ManualClock
) -> None:
    number = await file_complaint(anna)
    await piotr.press(number, "Escalate")
    maria, jan = Manager(emu, MARIA, "Maria"), Manager(emu, JAN, "Jan")
    await maria.expect("Escalation to you", number)
    await maria.press("1 hour")
    await anna.expect("Maria Kowalska", "personally responsible", "Mon 23 Nov, 11:00")
    move(bot, clock, timedelta(hours=1))  # 11:00 and Maria wrote nothing
    await maria.expect("You promised the customer of", number, "Jan Nowak is paged")
    late = await anna.expect("Maria Kowalska has not answered you by Mon 23 Nov, 11:00")
    assert "reminded" in late.text and "Mon 23 Nov, 11:30" in late.text
    assert not said(jan, "Escalation to you")
    move(bot, clock, timedelta(minutes=30))  # 11:30: missed again
    await jan.expect("Escalation to you", number)
    passed = await anna.expect("Maria Kowalska has not answered you", "Jan Nowak")
    assert "Mon 23 Nov, 12:00" in passed.text, "by when Jan says who answers"
    assert not said(anna, "next update comes by Tue"), "no generic check-in with a next-day time"


async def test_an_acknowledged_manager_is_named_in_status_and_in_acknowledgements(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number, maria = await escalated_to_maria(anna, piotr, emu)
    await maria.press("Acknowledge")
    await anna.expect("Maria Kowalska", "personally responsible", "Mon 23 Nov, 14:00")
    await anna.write("/status")
    status = await anna.expect("Your cases", number)
    assert "Maria Kowalska" in status.text and "Mon 23 Nov, 14:00" in status.text
    assert "Waiting for an agent" not in status.text and "next person" not in status.text
    await anna.write("Here is my tracking number: 123.")
    added = await anna.expect(f"Added to {number}")
    assert "Maria Kowalska" in added.text and "Mon 23 Nov, 14:00" in added.text
    await piotr.card_shows(number, "Promised to the customer: Maria Kowalska, an answer by")


async def test_asking_for_a_manager_who_already_has_the_case_names_her_without_a_new_card(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number, maria = await escalated_to_maria(anna, piotr, emu)
    await maria.press("4 hours")
    await anna.expect("personally responsible", "Mon 23 Nov, 14:00")
    await anna.write("/manager")
    again = await anna.expect("A manager already answers for", number)
    assert "Maria Kowalska" in again.text and "Mon 23 Nov, 14:00" in again.text
    assert "who is answering you" not in again.text
    await anna.write("/status")
    await anna.expect("Your cases", number)
    assert len(said(maria, "Escalation to you")) == 1, "no second card to acknowledge"


async def test_taking_a_case_keeps_the_promised_first_answer_time(
    bot: Running, anna: Person, piotr: StaffMember, clock: ManualClock
) -> None:
    number = await file_complaint(anna)
    assert said(anna, "registered as", "Mon 23 Nov, 12:00")
    move(bot, clock, timedelta(minutes=30))
    await piotr.press(number, "Take")
    taken = await anna.expect("Piotr (Support) is now handling your case", number)
    assert "Mon 23 Nov, 12:00" in taken.text, "taking never moves the promise later"
    await piotr.card_shows(number, "Promised to the customer: Piotr (Support), an answer by")
    move(bot, clock, timedelta(minutes=90))  # 12:00, and Piotr has not written
    broken = await anna.expect("Piotr (Support) has not written to you by Mon 23 Nov, 12:00")
    assert "We have not answered" not in broken.text


async def test_a_transfer_to_another_team_moves_the_promise_and_its_timer(
    bot: Running,
    anna: Person,
    piotr: StaffMember,
    kasia: StaffMember,
    clock: ManualClock,
    emu: BotApiEmulator,
) -> None:
    number = await file_complaint(anna)
    await piotr.press(number, "Take")
    await piotr.write(number, "Let me check.")  # kept: the next update is due by 14:00
    await anna.expect("Let me check.")
    move(bot, clock, timedelta(hours=1))
    await piotr.press(number, "Transfer")
    await piotr.press(number, "To the Billing team")
    await piotr.write(number, "A refund question")
    moved = await anna.expect("passed to the", "Billing", number)
    assert "Mon 23 Nov, 15:00" in moved.text  # an update from Billing within a check-in
    await kasia.card(number)
    move(bot, clock, timedelta(hours=3, minutes=13))  # 14:13: the old 14:00 passed quietly

    async def nothing_broken() -> bool:
        async with bot.app.db.uow() as uow:
            return "promise_broken" not in [e.kind for e in await uow.log.for_case(number)]

    await kasia.expect(number, "80% of the time promised to the customer", "15:00")
    await eventually(nothing_broken, what="the old 14:00 left alone")
    assert not said(anna, "has not written to you")
    move(bot, clock, timedelta(minutes=47))  # 15:00: the promise Billing made breaks
    await anna.expect("Billing has not written to you by Mon 23 Nov, 15:00", number)


async def test_stale_buttons_and_pins_follow_the_case(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    receipt = next(m for m in anna.inbox() if "registered as" in m.text)
    await emu.wait_for(lambda: receipt.pinned, message="the receipt was never pinned")
    # Confirm pressed again on the summary: it is registered, with its number.
    summary = next(m for m in anna.inbox() if "Please check your complaint" in m.text)
    confirm = next(data for label, data in summary.buttons() if "Confirm" in label)
    pressed = await emu.press_button(anna.id, anna.id, summary.message_id, confirm)
    text, alert = await anna.alert_for(pressed)
    assert alert and f"already registered as {number}" in text
    assert NUMBER.findall(" ".join(m.text for m in anna.inbox())).count(number) >= 1
    await piotr.press(number, "Take")
    await piotr.press(number, "Resolve")
    await piotr.write(number, "Delivered to your neighbour at number 7.")
    await anna.press("Yes, it's solved")
    await anna.expect("is closed", "How would you rate")
    await emu.wait_for(
        lambda: not next(m for m in anna.inbox() if m.message_id == receipt.message_id).pinned,
        message="the closed case's receipt is still pinned",
    )


async def test_staff_cannot_decline_a_case_a_manager_holds_only_propose_it(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    await piotr.press(number, "Take")
    await piotr.press(number, "Escalate")
    maria = Manager(emu, MARIA, "Maria")
    await maria.expect("Escalation to you", number)
    await maria.press("Acknowledge")
    await piotr.press(number, "Decline")
    await piotr.write(number, "This is not ours: the parcel was sent by another shop.")
    await piotr.expect(number, "proposes to decline", "Maria Kowalska, who decides")
    proposal = await maria.expect("proposes to decline", number, "another shop")
    assert not said(anna, "we cannot do what you asked"), "staff did not overrule the manager"
    await maria.press("Keep it open", contains="proposes to decline")
    await piotr.expect(number, "did not confirm the decline")
    await piotr.card_shows(number, "escalated to a manager")
    assert not said(anna, "we cannot do what you asked")
    assert proposal is not None
    # A second proposal, confirmed: now the customer gets the firm "no", signed by both.
    await piotr.press(number, "Decline")
    await piotr.write(number, "It really was another shop: order 55 is not ours.")
    await maria.expect("proposes to decline", "order 55")
    await maria.press("Confirm the decline", contains="order 55")
    declined = await anna.expect("we cannot do what you asked", "order 55")
    assert "Maria Kowalska" in declined.text and "Piotr (Support)" in declined.text
    await piotr.card_shows(number, "declined")


async def test_a_customer_withdraws_a_complaint_and_can_reopen_it(
    bot: Running, anna: Person, piotr: StaffMember
) -> None:
    number = await file_complaint(anna)
    await anna.write("/withdraw")
    await anna.expect("Do you want to withdraw your complaint", number)
    await anna.press("No, keep it open")
    await anna.expect(f"{number} stays open")
    await anna.write(f"/status {number}")
    await anna.expect(number, "History")
    await anna.press("Withdraw this complaint")
    await anna.expect("Do you want to withdraw your complaint", number)
    await anna.press("Yes, withdraw it")
    await anna.expect(f"Your complaint {number} is withdrawn")
    await piotr.expect(number, "The customer withdrew")
    await piotr.card_shows(number, "withdrawn by the customer")
    await anna.write("/status")
    listing = await anna.expect("Your cases", number)
    assert "withdrawn by you" in listing.text
    await anna.press("Reopen")
    await anna.expect(f"Your case {number} is open again")


async def test_the_owner_asks_for_more_time_before_the_promise_passes(
    bot: Running, anna: Person, piotr: StaffMember, clock: ManualClock
) -> None:
    number = await file_complaint(anna)
    await piotr.press(number, "Take")
    await anna.expect("is now handling", "Mon 23 Nov, 12:00")
    await piotr.press(number, "More time")
    await piotr.expect(number, "How much more time do you need?")
    await piotr.press(number, "+1 day")
    await piotr.write(number, "The warehouse opens its records tomorrow morning.")
    told = await anna.expect("needs more time", "warehouse opens its records")
    assert "Tue 24 Nov, 10:00" in told.text
    await piotr.card_shows(number, "an answer by Tue 24 Nov, 10:00")
    move(bot, clock, timedelta(hours=2, minutes=1))  # past the old 12:00: nothing breaks

    async def quiet() -> bool:
        async with bot.app.db.uow() as uow:
            return "promise_broken" not in [e.kind for e in await uow.log.for_case(number)]

    await eventually(quiet, what="no broken promise")
    assert not said(anna, "has not written to you")
