"""Never alone, end to end: check-ins on time, SLA warnings and breaches, a named manager who
must acknowledge, the chain when they do not, replies from the manager, reviews, restarts.

The clock is injected: the test moves it and the scheduler fires what came due.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.clock import ManualClock
from sandbox.emulator import BotApiEmulator
from tests.e2e.chat import Person, StaffMember, eventually
from tests.e2e.conftest import JAN, MARIA, Running
from tests.e2e.test_intake import file_complaint


class Manager:
    """A manager in their private chat with the bot."""

    def __init__(self, emu: BotApiEmulator, user_id: int, name: str) -> None:
        self.emu, self.id, self.name = emu, user_id, name
        self._read = 0

    def inbox(self) -> list[object]:
        return [m for m in self.emu.messages(self.id) if m.from_bot and not m.deleted]

    async def expect(self, *fragments: str, timeout: float = 10.0) -> object:
        def found() -> object:
            for index, message in enumerate(self.inbox()[self._read :], start=self._read):
                if all(f in message.text for f in fragments):  # type: ignore[attr-defined]
                    return index, message
            return None

        index, message = await self.emu.wait_for(
            found, timeout=timeout, message=f"{self.name} never got {fragments!r}"
        )
        self._read = index + 1
        return message

    async def press(self, label: str, contains: str = "") -> str:
        def button() -> tuple[object, str] | None:
            for message in reversed(self.inbox()):
                if contains not in message.text:  # type: ignore[attr-defined]
                    continue
                for text, data in message.buttons():  # type: ignore[attr-defined]
                    if label in text and data:
                        return message, data
            return None

        message, data = await self.emu.wait_for(button, message=f"no {label!r} for {self.name}")
        return await self.emu.press_button(self.id, self.id, message.message_id, data)  # type: ignore[attr-defined]

    async def write(self, text: str) -> object:
        return await self.emu.send_text(self.id, text)


def move(bot: Running, clock: ManualClock, delta: timedelta) -> None:
    """Let time pass and let the scheduler see it."""
    clock.advance(delta)
    bot.app.scheduler.wake()


async def test_an_untaken_case_is_checked_in_on_and_escalates_at_breach(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator, clock: ManualClock
) -> None:
    number = await file_complaint(anna)  # Monday 10:00, first answer due 12:00
    await piotr.card(number)
    maria = Manager(emu, MARIA, "Maria")
    move(bot, clock, timedelta(minutes=97))  # 80% of two working hours
    await piotr.expect(number, "80% of the time for the first answer", "12:00")
    assert not [m for m in anna.inbox() if "update on your case" in m.text]
    move(bot, clock, timedelta(minutes=23))  # 12:00: the promise to answer is broken
    told = await anna.expect("We have not answered", number, "by Mon 23 Nov, 12:00")
    assert "Maria Kowalska" in told.text and "who is answering you" in told.text
    assert "Mon 23 Nov, 12:30" in told.text, "by when Maria says who answers"
    # Nobody took the case: nobody is named as handling it, and there is one message, not two.
    assert "is handling" not in told.text and "responsible" not in told.text
    assert not [m for m in anna.inbox() if "An update on your case" in m.text]
    card = await maria.expect("Escalation to you", number, "no first answer in time")
    assert "acknowledge by" in card.text  # type: ignore[attr-defined]
    assert "registered" in card.text, "the history reads as words, not codes"  # type: ignore[attr-defined]
    assert "case_update" not in card.text and "check_in" not in card.text  # type: ignore[attr-defined]
    assert "⏱ 4 hours" in [label for label, _ in card.buttons()]  # type: ignore[attr-defined]
    await piotr.card_shows(number, "escalated to a manager", "Maria Kowalska, who answers by")
    await anna.write("/status")
    status = await anna.expect("Your cases", number)
    assert "Maria Kowalska" in status.text and "Mon 23 Nov, 12:30" in status.text


async def test_a_manager_who_does_not_acknowledge_is_passed_over_and_the_next_one_is_named(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator, clock: ManualClock
) -> None:
    number = await file_complaint(anna)
    await anna.press("My cases")
    await anna.write("/manager")
    await anna.expect("As you asked", "Maria Kowalska")
    maria, jan = Manager(emu, MARIA, "Maria"), Manager(emu, JAN, "Jan")
    first = await maria.expect("Escalation to you", number, "the customer asked for a manager")
    first_ack = next(data for label, data in first.buttons() if "Acknowledge" in label)  # type: ignore[attr-defined]
    await piotr.expect(number, "Maria Kowalska is paged")
    move(bot, clock, timedelta(minutes=31))  # Maria's ack_within is 30 minutes
    await jan.expect("Escalation to you, Jan Nowak", number, "nobody before you")
    await piotr.expect(number, "Jan Nowak is paged", "step 2 of the chain")
    passed = await anna.expect("has not picked up your case", "Jan Nowak")
    assert "Maria Kowalska" in passed.text and "Mon 23 Nov, 11:01" in passed.text
    await jan.press("Acknowledge")
    told = await anna.expect("Jan Nowak", "Operations Director", "personally responsible")
    assert "Mon 23 Nov, 14:31" in told.text  # Jan's default: four working hours
    acked = await jan.expect("Acknowledged")
    # Jan's card can no longer be acknowledged; what is left to do is under the confirmation.
    [jans_card] = [m for m in jan.inbox() if "Escalation to you" in m.text]  # type: ignore[attr-defined]
    assert jans_card.buttons() == []  # type: ignore[attr-defined]
    # Nor can Maria's: Jan answers for it now.
    [marias_card] = [m for m in maria.inbox() if "Escalation to you" in m.text]  # type: ignore[attr-defined]
    await emu.wait_for(
        lambda: not any("Acknowledge" in label for label, _ in marias_card.buttons()),  # type: ignore[attr-defined]
        message="Maria's card still offers Acknowledge",
    )
    assert [label for label, _ in acked.buttons()] == [  # type: ignore[attr-defined]
        "✍️ Reply to the customer",
        "🙋 Take over",
        "🔀 Reassign",
        "✅ Resolve",
    ]
    late = await emu.press_button(MARIA, MARIA, marias_card.message_id, first_ack)  # type: ignore[attr-defined]
    await emu.wait_for(lambda: late in emu.callback_answers, message="Maria's late press")
    text, alert = emu.callback_answers[late]
    assert alert and "Jan Nowak has already acknowledged" in (text or "")
    move(bot, clock, timedelta(hours=1))
    assert not [m for m in jan.inbox() if "nobody before you" in m.text and "step 2" in m.text]


async def escalated_to_maria(
    anna: Person, piotr: StaffMember, emu: BotApiEmulator, *shown: str
) -> tuple[str, Manager]:
    """Anna's complaint, escalated by Piotr; Maria has its card (showing `shown`)."""
    number = await file_complaint(anna)
    await piotr.press(number, "Escalate")
    maria = Manager(emu, MARIA, "Maria")
    await maria.expect("Escalation to you", number, *shown)
    return number, maria


async def test_the_manager_writes_to_the_customer_and_takes_the_case_over(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number, maria = await escalated_to_maria(anna, piotr, emu, "staff asked for it")
    await maria.press("1 hour")
    await anna.expect("Maria Kowalska", "personally responsible", "Mon 23 Nov, 11:00")
    await maria.press("Reply to the customer")
    await maria.expect("goes to Anna")
    await maria.write("I am sorry for the wait. I have called the courier myself.")
    reply = await anna.expect("called the courier", "— Maria Kowalska, Head of Customer Care")
    assert reply.from_bot
    await maria.write("/done")
    await maria.expect("no longer go to the customer")
    await maria.write("This is now a complaint of my own")  # a manager is a person too
    await maria.expect("file this as a complaint")
    await maria.write("/cancel")
    await maria.press("Take over", contains=number)
    await anna.expect("Maria Kowalska, Head of Customer Care", "is now handling")
    await piotr.card_shows(number, "owner: Maria Kowalska, Head of Customer Care", "in progress")


async def test_a_managers_answer_written_without_pressing_reply_can_still_reach_the_customer(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    # Maria answers the escalation card by simply writing: the bot takes it for a complaint of
    # her own, as for any person, and offers to send it to Anna instead.
    number, maria = await escalated_to_maria(anna, piotr, emu)
    await maria.write("I have called the courier myself.")
    await maria.expect("file this as a complaint")
    await maria.expect("meant for a customer", "Nothing has been sent")
    assert not [m for m in anna.inbox() if "courier" in m.text]
    await maria.press(f"Send it to Anna · {number}")
    await anna.expect("called the courier", "— Maria Kowalska, Head of Customer Care")
    await maria.expect(f"Sent to Anna ({number})", "draft is dropped")
    await maria.expect("goes to Anna")
    await maria.write("It will be with you tomorrow.")
    await anna.expect("It will be with you tomorrow.", "— Maria Kowalska")
    await piotr.card_shows(number, "escalated to a manager")
    stale = await maria.press("Delivery")  # the dropped draft's category question
    text, alert = await Person(emu, MARIA, "Maria").alert_for(stale)
    assert alert and "earlier step" in text, "no draft is left to file"


async def test_a_waiting_case_reminds_the_customer_once_then_closes_and_can_be_reopened(
    bot: Running, anna: Person, piotr: StaffMember, clock: ManualClock
) -> None:
    number = await file_complaint(anna)
    await piotr.press(number, "Take")
    await piotr.press(number, "Ask the customer")
    await piotr.write(number, "Which parcel locker did you choose?")
    await anna.expect("Which parcel locker")
    move(bot, clock, timedelta(hours=5))  # past a check-in time: none while waiting for them
    move(bot, clock, timedelta(days=1))
    await anna.expect("waiting for your answer", "we will close the case")
    move(bot, clock, timedelta(days=2))
    await anna.expect("closed it for now", "Reopen")
    assert not [m for m in anna.inbox() if "update on your case" in m.text]
    await piotr.card_shows(number, "closed")
    await anna.press("Reopen")
    await anna.expect("open again", "Piotr (Support)")
    await piotr.expect(number, "reopened")


async def resolved(anna: Person, piotr: StaffMember) -> tuple[str, Any]:
    """A case Piotr resolved, asking Anna; its number and his answer as she got it."""
    number = await file_complaint(anna)
    await piotr.press(number, "Take")
    await piotr.press(number, "Resolve")
    await piotr.write(number, "The courier redelivers it today.")
    answer = await anna.expect("redelivers it today", "Did this solve your problem?")
    return number, answer


async def solved_and_closed(anna: Person, piotr: StaffMember) -> tuple[str, Any]:
    """A case Piotr resolved and Anna confirmed; its number and Piotr's answer as she got it."""
    number, answer = await resolved(anna, piotr)
    await anna.press("Yes, it's solved")
    await anna.expect("is closed", "How would you rate")
    await piotr.card_shows(number, "closed")
    return number, answer


async def test_a_cases_buttons_work_while_another_complaint_is_being_filed(
    bot: Running, anna: Person, piotr: StaffMember
) -> None:
    number, _ = await resolved(anna, piotr)
    await anna.write("/new")
    await anna.expect("Choose a category")
    await anna.press("Yes, it's solved")
    await anna.expect("is closed", "How would you rate")
    await piotr.card_shows(number, "closed")
    await anna.press("Delivery")  # the new complaint goes on where she left it
    await anna.expect("describe the problem")


async def test_an_answer_to_the_agent_while_filing_another_complaint_goes_to_its_case(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    await piotr.write(number, "Which address was it sent to?")
    question = await anna.expect("Which address was it sent to?")
    await anna.write("/new")
    await anna.expect("Choose a category")
    await anna.press("Delivery")
    await anna.expect("describe the problem")

    async def recorded() -> bool:  # a person reads before replying; the bot has recorded it
        async with bot.app.db.uow() as tx:
            return await tx.relays.by_target(anna.id, question.message_id) is not None

    await eventually(recorded, what="the bot recording the agent's question")
    await emu.send_text(anna.id, "Long Street 5", reply_to=question.message_id)
    await anna.expect(f"Added to {number}")
    await piotr.expect(number, "Long Street 5")
    await anna.write("The new problem: a scratched screen.")
    await anna.expect("Continue")
    async with bot.app.db.uow() as tx:
        conversation = await tx.conversations.get(anna.id)
    assert conversation is not None and conversation.draft is not None
    assert conversation.draft.description == "The new problem: a scratched screen."


async def test_a_reply_about_a_closed_case_can_reopen_it(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number, answer = await solved_and_closed(anna, piotr)
    await emu.send_text(anna.id, "It broke again the next day.", reply_to=answer.message_id)
    await anna.expect(number, "is closed", "Shall I reopen it")
    await anna.press(f"Reopen {number}")
    await piotr.expect(number, "reopened")
    await piotr.expect(number, "It broke again the next day.")
    await piotr.card_shows(number, "escalated")  # a confirmed solution that did not hold


async def test_a_reply_about_a_closed_case_can_start_a_new_complaint(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number, answer = await solved_and_closed(anna, piotr)
    await emu.send_text(anna.id, "Now the charger is missing.", reply_to=answer.message_id)
    await anna.expect(number, "Shall I reopen it")
    await anna.press("File a complaint")
    await anna.expect("keep what you wrote as its description")
    await anna.expect("Choose a category")
    async with bot.app.db.uow() as tx:
        conversation = await tx.conversations.get(anna.id)
    assert conversation is not None and conversation.draft is not None
    assert conversation.draft.description == "Now the charger is missing."
    await piotr.card_shows(number, "closed")


async def test_a_low_rating_reaches_the_manager_as_a_review_item(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    await piotr.press(number, "Take")
    await piotr.press(number, "Resolve")
    await piotr.write(number, "Replaced the parcel.")
    await anna.press("Yes, it's solved")
    await anna.press("⭐ 1")
    await anna.expect("Maria Kowalska", "what we should have done differently")
    maria = Manager(emu, MARIA, "Maria")
    await maria.expect("Escalation to you", number, "rated it low")
    await maria.write("/reviews")
    await maria.expect("Review items waiting for your answer", number)
    await maria.press(f"Answer {number}")
    await maria.expect("What should we have done differently")
    await maria.write("We should have called the customer on the first day.")
    await maria.press("Slow response")
    await maria.expect("review of", number, "is closed", "Slow response")
    await maria.write("/reviews")
    await maria.expect("nothing to review")
    async with bot.app.db.uow() as uow:
        reviews = await uow.reviews.open_for_manager("maria")
        log = [e.kind for e in await uow.log.for_case(number)]
    assert reviews == [] and "review" in log


async def test_asking_for_a_manager_twice_in_a_day_names_the_first_request(
    bot: Running, anna: Person, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    await anna.write("/manager")
    await anna.expect("As you asked", number)
    await anna.write(f"/manager {number}")
    # Maria has it already: the customer hears who and by when, and nobody is paged again.
    again = await anna.expect("is already with Maria Kowalska", number, "Mon 23 Nov, 10:30")
    assert "As you asked" not in again.text
    maria = Manager(emu, MARIA, "Maria")
    await maria.expect("Escalation to you", number)
    assert len([m for m in maria.inbox() if "Escalation to you" in m.text]) == 1


async def test_a_timer_due_while_the_bot_was_down_fires_once_after_restart(
    bot: Running, anna: Person, piotr: StaffMember, clock: ManualClock
) -> None:
    number = await file_complaint(anna)
    await piotr.press(number, "Take")
    await anna.expect("is now handling", "12:00")  # taking never moves the promise later
    await piotr.write(number, "I have asked the courier.")
    await anna.expect("asked the courier")
    await bot.stop()
    clock.advance(timedelta(hours=4, minutes=1))  # the promised 14:00 update passed while down
    await bot.restart()
    await anna.expect("has not written to you by Mon 23 Nov, 14:00", number, "Maria Kowalska")
    bot.app.scheduler.wake()

    async def no_second() -> bool:
        async with bot.app.db.uow() as uow:
            sent = await uow.log.for_case(number)
        return [e.kind for e in sent].count("promise_broken") == 1

    await eventually(no_second, what="the promise broken exactly once")
    assert len([m for m in anna.inbox() if "has not written to you" in m.text]) == 1


async def test_outside_business_hours_the_receipt_says_when_the_team_is_back(
    bot: Running, anna: Person, clock: ManualClock
) -> None:
    clock.advance(timedelta(hours=10))  # Monday 20:00 in Warsaw
    await file_complaint(anna)
    receipt = anna.inbox()[-1]
    assert "back at work on Tue 24 Nov, 09:00" in receipt.text
    assert "Tue 24 Nov, 11:00" in receipt.text, "two working hours from the next opening"


async def test_too_many_transfers_escalate(
    bot: Running, anna: Person, piotr: StaffMember, ola: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    await ola.command("/help")
    await piotr.command("/help")
    await piotr.press(number, "Take")
    for giver, target in ((piotr, "To Ola"), (ola, "To Piotr"), (piotr, "To Ola")):
        await giver.press(number, "Transfer")
        await giver.press(number, target)
        await giver.write(number, "passing it on")
        await giver.expect(number, "transferred", "passing it on")
    maria = Manager(emu, MARIA, "Maria")
    await maria.expect("Escalation to you", number, "transferred too many times")
