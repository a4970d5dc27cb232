"""A customer files a complaint through the real aiogram bot, over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.clock import ManualClock
from sandbox.emulator import BotApiEmulator
from tests.e2e.chat import Person, StaffMember, eventually
from tests.e2e.conftest import STAFF_GROUP, Running

NUMBER = re.compile(r"HB-[0-9A-HJKMNP-TV-Z]{6}")


async def file_complaint(
    person: Person, text: str = "My parcel never arrived.", shown: str | None = None
) -> str:
    """The whole guided intake; returns the case number the customer was given."""
    await person.write("/start")
    await person.expect("Hello")
    await person.press("File a complaint")
    return await complete_intake(person, text, shown)


async def complete_intake(person: Person, text: str, shown: str | None = None) -> str:
    """From the category question to the receipt; returns the case number. The summary must
    show `shown` (by default the description's start)."""
    await person.expect("Choose a category")
    await person.press("Delivery")
    await person.expect("describe the problem")
    await person.write(text)
    await person.expect("Continue")
    await person.press("Continue")
    await person.expect("How may we reach you")
    await person.write("💬 Telegram only")
    await person.expect("Please check your complaint", text[:20] if shown is None else shown)
    await person.press("Confirm")
    receipt = await person.expect("registered as")
    match = NUMBER.search(receipt.text)
    assert match, receipt.text
    return match.group(0)


async def test_a_customer_files_a_complaint_and_gets_a_pinned_case_number(
    bot: Running, anna: Person, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    receipt = anna.inbox()[-1]
    assert number in receipt.text
    # Monday 10:00 in Warsaw + 2 working hours for Delivery, as a concrete local time.
    assert "Mon 23 Nov, 12:00 (Warsaw)" in receipt.text
    await emu.wait_for(lambda: receipt.pinned, message="the receipt was not pinned")
    async with bot.app.db.uow() as uow:
        case = await uow.cases.get(number)
    assert case is not None and case.category == "delivery"
    assert case.description == "My parcel never arrived."


async def test_photos_and_the_phone_number_are_kept_with_the_case(
    bot: Running, anna: Person, emu: BotApiEmulator
) -> None:
    await anna.write("The blender arrived broken")  # writing first starts a complaint
    await anna.expect("keep what you wrote")
    await anna.press("Product quality")
    await anna.expect("Continue")
    await emu.send_album(anna.id, count=3, caption="photos of the box")
    await anna.expect("1 file attached")  # one acknowledgement per album, not three
    await anna.press("Continue")
    await anna.expect("How may we reach you")
    await emu.send_contact(anna.id, "+48600100200")
    await anna.expect("Please check your complaint", "phone +48600100200", "Files: 3")
    await anna.press("Confirm")
    receipt = await anna.expect("registered as", "3 files attached")
    number = NUMBER.search(receipt.text)
    assert number
    async with bot.app.db.uow() as uow:
        files = await uow.attachments.for_case(number.group(0))
        case = await uow.cases.get(number.group(0))
    assert len(files) == 3 and {f.kind for f in files} == {"photo"}
    assert case is not None and case.phone == "+48600100200"


async def test_status_shows_only_the_customers_own_cases(
    bot: Running, anna: Person, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    await anna.write("/status")
    listing = await anna.expect("Your cases", number)
    assert "waiting for the next person of the Support team" in listing.text
    assert "Delivery" in listing.text and "Mon 23 Nov, 12:00" in listing.text
    await anna.write(f"/status {number.lower()}")
    detail = await anna.expect(number, "History", "registered")
    assert "My parcel never arrived." in detail.text
    boris = Person(emu, 5002, "Boris", language="ru")
    await boris.write(f"/status {number}")
    refusal = await boris.expect(number)
    assert "History" not in refusal.text and "parcel" not in refusal.text


async def test_messages_to_an_open_case_are_added_and_acknowledged(
    bot: Running, anna: Person, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    await anna.write("The courier says it was delivered, it was not.")
    await anna.expect(f"Added to {number}", "waiting for the next person", "Mon 23 Nov, 12:00")
    await emu.send_photo(anna.id, caption="my empty doorstep")
    await anna.expect(f"Added to {number}")
    async with bot.app.db.uow() as uow:
        log = await uow.log.for_case(number)
    assert any("courier says" in entry.text for entry in log)


async def test_a_stray_nul_character_loses_nothing_a_customer_writes(
    bot: Running, emu: BotApiEmulator
) -> None:
    # PostgreSQL cannot store a NUL in text: it becomes the replacement character, and the
    # complaint, the later message and Anna's name are kept.
    anna = Person(emu, 5009, "An\x00na", "Kowalczyk")
    number = await file_complaint(anna, "My parcel\x00 never arrived.", shown="My parcel")
    await anna.write("More\x00 details")
    await anna.expect(f"Added to {number}")
    card = await emu.wait_for_bot_message(STAFF_GROUP, number)
    assert "My parcel\ufffd never arrived." in card.text and "An\ufffdna" in card.text
    async with bot.app.db.uow() as uow:
        log = await uow.log.for_case(number)
    assert any(entry.text == "More\ufffd details" for entry in log)


async def test_with_two_open_cases_the_bot_asks_which_one(bot: Running, anna: Person) -> None:
    first = await file_complaint(anna, "First problem: parcel lost.")
    await anna.write("/new")
    await anna.expect("Choose a category")
    await anna.press("Payment and refunds")
    await anna.write("Second problem: charged twice.")
    await anna.expect("Continue")
    await anna.press("Continue")
    await anna.write("💬 Telegram only")
    await anna.expect("Please check")
    await anna.press("Confirm")
    await anna.expect("registered as")
    await anna.write("Any update?")
    question = await anna.expect("Which one is this about?")
    assert first in question.text or any(first in label for label, _ in question.buttons())
    await anna.press(first)
    await anna.expect(f"Added to {first}")


async def test_with_two_open_cases_a_reply_to_one_of_its_messages_goes_to_that_case(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    first = await file_complaint(anna, "First problem: parcel lost.")
    second = await file_complaint(anna, "Second problem: charged twice.")
    await piotr.write(first, "Which address was it sent to?")
    question = await anna.expect("Which address was it sent to?")

    async def recorded(message_id: int) -> None:
        # A person reads before replying: by then the bot has recorded what it sent.
        async def known() -> bool:
            async with bot.app.db.uow() as tx:
                relay = await tx.relays.by_target(anna.id, message_id)
                sent_about = await tx.outbox.case_of_sent(anna.id, message_id)
            return relay is not None or sent_about is not None

        await eventually(known, what=f"the bot recording its message {message_id}")

    # She answers the way Telegram offers: Reply on the agent's message.
    await recorded(question.message_id)
    await emu.send_text(anna.id, "Long Street 5", reply_to=question.message_id)
    await anna.expect(f"Added to {first}")
    await piotr.expect(first, "Long Street 5")
    # Or on her own earlier words about the other case.
    own = await anna.write("My bank statement shows it")
    await anna.expect("Which one is this about?")
    await anna.press(second)
    await anna.expect(f"Added to {second}")
    await emu.send_text(anna.id, "It was 49.90 twice", reply_to=own.message_id)
    ack = await anna.expect(f"Added to {second}")
    # Or on the bot's own message about a case.
    await recorded(ack.message_id)
    await emu.send_text(anna.id, "And once more on Friday", reply_to=ack.message_id)
    await anna.expect(f"Added to {second}")
    assert len([m for m in anna.inbox() if "Which one is this about?" in m.text]) == 1


async def test_a_message_corrected_while_the_bot_asks_which_case_goes_corrected(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    first = await file_complaint(anna, "First problem: parcel lost.")
    await file_complaint(anna, "Second problem: charged twice.")
    typo = await anna.write("Any updte?")
    await anna.expect("Which one is this about?")
    await emu.edit_text(anna.id, anna.id, typo.message_id, "Any update on the parcel?")
    await anna.press(first)
    await anna.expect(f"Added to {first}")
    await piotr.expect(first, "Any update on the parcel?")
    assert not [m for m in anna.inbox() if "nothing changed" in m.text]
    async with bot.app.db.uow() as tx:
        said = [e.text for e in await tx.log.for_case(first) if e.actor == "customer"]
    assert "Any update on the parcel?" in said and "Any updte?" not in said


async def test_the_customer_is_greeted_in_their_language(bot: Running, emu: BotApiEmulator) -> None:
    olga = Person(emu, 5003, "Ольга", language="ru")
    await olga.write("/start")
    greeting = await olga.expect("Ольга")
    assert "Acme" in greeting.text and "Hello" not in greeting.text
    kumar = Person(emu, 5004, "Kumar", language="xx")
    await kumar.write("/start")
    await kumar.expect("Hello, Kumar")


async def test_help_and_the_menu_speak_the_customers_language(
    bot: Running, emu: BotApiEmulator
) -> None:
    olga = Person(emu, 5003, "Ольга", language="ru")
    await olga.write("/help")
    help_text = await olga.expect("Что я умею")
    assert "/manager" in help_text.text and "/withdraw" in help_text.text
    assert "/mydata" in help_text.text and "/forget" in help_text.text
    await emu.wait_for(lambda: emu.bot_commands(olga.id, "ru"), message="no menu was set")
    menu = {c["command"]: c["description"] for c in emu.bot_commands(olga.id, "ru")}
    assert menu["manager"] == "Поговорить с руководителем"
    assert list(menu) == [
        "new",
        "status",
        "manager",
        "withdraw",
        "mydata",
        "forget",
        "help",
        "cancel",
    ]


async def test_a_draft_survives_a_restart_and_resumes_where_it_stopped(
    bot: Running, anna: Person
) -> None:
    await anna.write("/new")
    await anna.expect("Choose a category")
    await anna.press("Delivery")
    await anna.write("Lost parcel, order 5521.")
    await anna.expect("Continue")
    await bot.restart()
    await anna.press("Continue")
    await anna.expect("How may we reach you")
    await anna.write("💬 Telegram only")
    await anna.expect("Please check your complaint", "order 5521")


async def describing(person: Person) -> None:
    """A new complaint, its category chosen: the bot asks for the description."""
    await person.write("/new")
    await person.expect("Choose a category")
    await person.press("Delivery")
    await person.expect("describe the problem")


async def test_an_abandoned_draft_is_reminded_once_and_dropped_after_a_day(
    bot: Running, anna: Person, clock: ManualClock
) -> None:
    await describing(anna)
    clock.advance(timedelta(minutes=31))
    bot.app.scheduler.wake()
    await anna.expect("did not finish it")
    clock.advance(timedelta(hours=1))
    bot.app.scheduler.wake()
    clock.advance(timedelta(hours=24))
    bot.app.scheduler.wake()
    await anna.expect("discarded")
    reminders = [m for m in anna.inbox() if "did not finish it" in m.text]
    assert len(reminders) == 1


async def test_the_reminder_counts_from_the_customers_last_message(
    bot: Running, anna: Person, clock: ManualClock
) -> None:
    await describing(anna)
    clock.advance(timedelta(minutes=20))
    last_message = clock.now()
    await anna.write("The courier left my parcel in the rain")
    await anna.expect("Continue")
    clock.advance(timedelta(minutes=11))  # 31 minutes after she started, 11 after she wrote
    bot.app.scheduler.wake()

    async def moved() -> bool:
        async with bot.app.db.uow() as tx:
            timer = await tx.timers.get("draft-remind", str(anna.id))
        return timer is not None and timer.due_at == last_message + timedelta(minutes=30)

    await eventually(moved, what="the reminder set at the start moving after her message")
    assert not [m for m in anna.inbox() if "did not finish it" in m.text]
    clock.advance(timedelta(minutes=20))
    bot.app.scheduler.wake()
    await anna.expect("did not finish it")


async def test_cancel_leaves_intake_and_nothing_is_filed(bot: Running, anna: Person) -> None:
    await anna.write("/new")
    await anna.expect("Choose a category")
    await anna.press("Delivery")
    await anna.write("/cancel")
    await anna.expect("nothing was filed")
    await anna.write("/status")
    await anna.expect("no cases yet")


async def test_a_group_chat_is_sent_to_the_private_chat(bot: Running, emu: BotApiEmulator) -> None:
    emu.add_user(5005, "Piotr")
    emu.add_group(-500, "Friends", members=[5005])
    await emu.send_text(5005, "/status", chat_id=-500)
    reply = await emu.wait_for_bot_message(-500, contains="private chat")
    assert "hearback_test_bot" in reply.text
