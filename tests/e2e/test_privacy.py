"""Customers' data end to end, on both runtimes and both databases: /mydata, /forget, retention,
the phone number of one case on no other, and staff seeing only their own team's cases.

What is checked is what people see in Telegram and what is left in the database: after an
erasure, every table is searched for the customer's name, phone number and words.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.clock import ManualClock
from flows.lifecycle import CaseState
from sandbox.emulator import BotApiEmulator
from storage.tables import metadata
from tests.e2e.chat import Person, StaffMember, eventually
from tests.e2e.conftest import BILLING_GROUP, MARIA, STAFF_GROUP, Running
from tests.e2e.test_intake import NUMBER, complete_intake, file_complaint

SENTENCE = "the parcel vanished by the blue kiosk on Ogrodowa street"
PHONE = "+48601234567"
COMMENT = "The courier was rude about the blue kiosk"


def zofia(emu: BotApiEmulator) -> Person:
    """A customer with a name nothing else in the database has."""
    return Person(emu, 5077, "Zofia", "Wiśniewska", username="zofia_w")


async def file_with_phone(person: Person, emu: BotApiEmulator, text: str) -> str:
    """The intake, sharing the phone number with Telegram's contact button."""
    await person.write("/new")
    await person.expect("Choose a category")
    await person.press("Delivery")
    await person.expect("describe the problem")
    await person.write(text)
    await person.expect("Continue")
    await person.press("Continue")
    await person.expect("How may we reach you")
    await emu.send_contact(person.id, PHONE)
    await person.expect("Please check your complaint", PHONE)
    await person.press("Confirm")
    receipt = await person.expect("registered as")
    match = NUMBER.search(receipt.text)
    assert match, receipt.text
    return match.group(0)


async def everything_stored(bot: Running) -> list[tuple[str, str]]:
    """Every row of every table, as (table, its values as text)."""
    rows: list[tuple[str, str]] = []
    async with bot.app.db.engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in await connection.execute(select(table)):
                text = json.dumps(list(row), default=str, ensure_ascii=False)
                rows.append((table.name, text))
    return rows


async def traces(bot: Running, *needles: str) -> list[tuple[str, str]]:
    """Rows anywhere in the database that still hold one of `needles`."""
    return [
        (table, needle)
        for table, text in await everything_stored(bot)
        for needle in needles
        if needle.lower() in text.lower()
    ]


async def downloaded(emu: BotApiEmulator, message: Any) -> dict[str, Any]:
    """The JSON document the bot uploaded, as the customer would open it."""
    stored = emu.state.files[message.content["document"]["file_id"]]
    assert stored.data is not None
    document: dict[str, Any] = json.loads(stored.data)
    return document


async def test_mydata_holds_exactly_the_customers_own_data(
    bot: Running, emu: BotApiEmulator, anna: Person
) -> None:
    customer = zofia(emu)
    number = await file_with_phone(customer, emu, f"Lost: {SENTENCE}.")
    await customer.write("It was a red box.")
    await customer.expect(f"Added to {number}")
    other = await file_complaint(anna, "Anna's own parcel never came.")

    await customer.write("/mydata")
    caption = await customer.expect("Everything we keep about you, as of")
    assert caption.kind == "document"
    assert caption.content["document"]["file_name"].endswith(".json")
    summary = await customer.expect("Everything we keep about you", "1 complaint", "2 messages")
    assert "Zofia Wiśniewska (@zofia_w)" in summary.text and number in summary.text
    assert PHONE in summary.text and "send /forget" in summary.text

    document = await downloaded(emu, caption)
    assert document["profile"]["first_name"] == "Zofia"
    assert document["profile"]["username"] == "zofia_w"
    assert [case["number"] for case in document["cases"]] == [number]
    [case] = document["cases"]
    assert case["phone"] == PHONE and SENTENCE in case["description"]
    assert any(e["text"] == "It was a red box." for e in case["history"] if "text" in e)
    text = json.dumps(document, ensure_ascii=False)
    for not_hers in (other, "Anna", "Kowalczyk", "own parcel never came", str(anna.id)):
        assert not_hers not in text

    await customer.write("/mydata")
    again = await customer.expect("You received a copy of your data on")
    assert "You can ask for a fresh one from Tue 24 Nov, 10:00" in again.text
    async with bot.app.db.uow() as uow:
        [entry] = await uow.audit.latest(5)
    assert (entry.actor, entry.action, entry.detail) == ("customer", "export", {"cases": 1})


async def test_forget_erases_the_customer_everywhere_and_keeps_the_figures(
    bot: Running, emu: BotApiEmulator, piotr: StaffMember, clock: ManualClock
) -> None:
    maria = Person(emu, MARIA, "Maria")
    customer = zofia(emu)
    # A case that ended: solved, rated and commented on.
    closed = await file_with_phone(customer, emu, f"First: {SENTENCE}.")
    await piotr.press(closed, "Take")
    await customer.expect("is now handling your case", closed)
    await piotr.press(closed, "Resolve")
    await piotr.expect(closed, "how", "was resolved")
    await piotr.write(closed, "Redelivered today.")
    await customer.press("Yes, it's solved")
    await customer.press("⭐ 4")
    await customer.expect("Would you like to tell us")
    await customer.write(COMMENT)
    await customer.expect("Thank you. Your feedback")
    # A case still open, with a photo, a note, a staff reply and a manager's card.
    number = await file_with_phone(customer, emu, f"Second: {SENTENCE}.")
    receipt = next(m for m in customer.inbox() if f"registered as {number}" in m.text)
    await emu.wait_for(lambda: receipt.pinned, message="the receipt was not pinned")
    await emu.send_photo(customer.id, caption="photo of the blue kiosk")
    await customer.expect(f"Added to {number}")
    await piotr.write(number, "!Zofia sounded upset about the blue kiosk")
    await piotr.write(number, "We are on it.")
    await customer.expect("We are on it.")
    await customer.write("/manager")
    card = await maria.expect(number, "Zofia")
    topics = [await piotr.topic(closed), await piotr.topic(number)]

    await customer.write("/forget")
    question = await customer.expect("Erase everything we keep about you?")
    assert "Your open complaint is withdrawn first" in question.text
    assert "Your 2 complaints stay only as anonymous figures" in question.text
    await customer.press("Yes, erase everything")
    await customer.expect("Done: everything we kept about you is erased", "2 complaints")
    await emu.wait_for(lambda: not question.buttons(), message="the question kept its buttons")
    await emu.wait_for(lambda: not receipt.pinned, message="the receipt stayed pinned")

    # Telegram: the topics are gone, the manager's card says the data was erased.
    for thread in topics:
        await emu.wait_for(
            lambda t=thread: emu.topics(STAFF_GROUP)[t].deleted, message="a topic was not deleted"
        )
    await emu.wait_for(lambda: "erase their data" in card.text, message="the card was kept")
    assert "Zofia" not in card.text and not card.buttons()
    notice = await piotr_general(emu, number)
    assert "asked us to erase their data" in notice.text
    shown = [m.text for m in emu.messages(STAFF_GROUP) if not m.deleted]
    assert not [t for t in shown if "Zofia" in t or "kiosk" in t]

    # The database: nothing of her anywhere, the figures still there.
    needles = ("Zofia", "Wiśniewska", "zofia_w", PHONE, "blue kiosk", "red box")
    assert await traces(bot, *needles) == []
    async with bot.app.db.uow() as uow:
        ended = await uow.cases.get(closed)
        withdrawn = await uow.cases.get(number)
        assert await uow.customers.by_telegram_id(customer.id) is None
        audit = await uow.audit.latest(5)
    assert ended is not None and withdrawn is not None
    assert (ended.state, ended.rating, ended.rating_comment) == (CaseState.CLOSED, 4, None)
    assert (withdrawn.state, withdrawn.category) == (CaseState.WITHDRAWN, "delivery")
    assert ended.customer_id is None and withdrawn.erased_at is not None
    assert (audit[0].actor, audit[0].action) == ("customer", "erasure")
    assert audit[0].detail == {"cases": 2, "withdrawn": 1}

    # Writing again starts afresh.
    await customer.write("/status")
    await customer.expect("You have no cases yet")


async def test_where_the_bot_may_not_delete_topics_it_empties_them(
    bot: Running, emu: BotApiEmulator, piotr: StaffMember
) -> None:
    emu.set_bot_admin(STAFF_GROUP, can_delete_messages=False)
    customer = zofia(emu)
    number = await file_with_phone(customer, emu, f"Lost: {SENTENCE}.")
    await customer.write("It was a red box.")
    await customer.expect(f"Added to {number}")
    thread = await piotr.topic(number)
    await piotr.card_shows(number, PHONE)
    await customer.write("/forget")
    await customer.press("Yes, erase everything")
    await customer.expect("Done: everything we kept about you is erased")
    await emu.wait_for(
        lambda: (
            [m.text for m in piotr.topic_messages(thread) if m.from_bot]
            == [
                f"🗑 The customer of {number} asked us to erase their data: the case is withdrawn "
                "if it was open, and this topic is deleted with its messages."
            ]
        ),
        message="the topic was not emptied",
    )
    assert not emu.topics(STAFF_GROUP)[thread].deleted
    assert await traces(bot, "Zofia", PHONE, "blue kiosk", "red box") == []


async def piotr_general(emu: BotApiEmulator, number: str) -> Any:
    """The notice about an erased case in the Support group's General chat."""
    return await emu.wait_for(
        lambda: next(
            (
                m
                for m in emu.messages(STAFF_GROUP)
                if m.from_bot and m.thread_id is None and number in m.text and not m.deleted
            ),
            None,
        ),
        message=f"no notice about {number} in the General chat",
    )


async def test_retention_erases_what_is_due_and_nothing_else(
    bot: Running, emu: BotApiEmulator, anna: Person, piotr: StaffMember, clock: ManualClock
) -> None:
    ended = await file_complaint(anna, "The box was crushed.")
    await emu.send_photo(anna.id, caption="the crushed box")
    await anna.expect(f"Added to {ended}")
    await piotr.press(ended, "Take")
    await anna.expect("is now handling your case", ended)
    await piotr.press(ended, "Resolve")
    await piotr.expect(ended, "how", "was resolved")
    await piotr.write(ended, "Replaced.")
    await anna.press("Yes, it's solved")
    await anna.expect("How would you rate")
    thread = await piotr.topic(ended)
    ivan = Person(emu, 5002, "Ivan", "Petrov")
    still_open = await file_complaint(ivan, "My refund never came.")

    async def files_of(number: str) -> int:
        async with bot.app.db.uow() as uow:
            return len(await uow.attachments.for_case(number))

    assert await files_of(ended) == 1
    clock.advance(timedelta(days=91))  # past `attachments = "90d"` of the demo's defaults
    bot.app.scheduler.wake()

    async def files_gone() -> bool:
        return await files_of(ended) == 0

    await eventually(files_gone, what="the files of the case ended 91 days ago to go")
    async with bot.app.db.uow() as uow:
        kept = await uow.cases.get(ended)
        log = await uow.log.for_case(ended)
    assert kept is not None and kept.description == "The box was crushed."
    assert kept.customer_id is not None, "the case itself is kept for its full period"
    assert not [e for e in log if "crushed box" in e.text]
    assert not emu.topics(STAFF_GROUP)[thread].deleted

    clock.advance(timedelta(days=275))  # 366 days after it ended
    bot.app.scheduler.wake()

    async def erased() -> bool:
        async with bot.app.db.uow() as uow:
            case = await uow.cases.get(ended)
        return case is not None and case.erased_at is not None

    await eventually(erased, what="the case ended 366 days ago to be erased")
    await emu.wait_for(
        lambda: emu.topics(STAFF_GROUP)[thread].deleted, message="its topic was not deleted"
    )
    assert await traces(bot, "Kowalczyk", "crushed") == []
    async with bot.app.db.uow() as uow:
        figures = await uow.cases.get(ended)
        other = await uow.cases.get(still_open)
        assert await uow.customers.by_telegram_id(anna.id) is None, "no case left: forgotten"
        assert await uow.customers.by_telegram_id(ivan.id) is not None
        audit = await uow.audit.latest(10)
    assert figures is not None and figures.state is CaseState.CLOSED
    assert other is not None and other.description == "My refund never came."
    assert other.customer_id is not None, "an open case is never erased, however old"
    assert {e.actor for e in audit} == {"retention"}


async def test_a_phone_number_stays_with_the_case_it_was_shared_for(
    bot: Running, emu: BotApiEmulator, piotr: StaffMember
) -> None:
    customer = zofia(emu)
    with_phone = await file_with_phone(customer, emu, "The first parcel is lost.")
    await customer.write("/new")
    telegram_only = await complete_intake(customer, "The second parcel is late.")
    await piotr.card_shows(with_phone, PHONE)
    card = await piotr.card(telegram_only)
    assert "The second parcel is late." in card.text and PHONE not in card.text
    await piotr.write(telegram_only, "Which address?")
    await customer.expect("Which address?")
    # Shared later, with two cases open, it goes only to the case the customer picks.
    await emu.send_contact(customer.id, "+48609999999")
    await customer.expect("Which one is this about?")
    await customer.press(telegram_only)
    await piotr.card_shows(telegram_only, "+48609999999")
    first = await piotr.card(with_phone)
    assert "+48609999999" not in first.text and PHONE in first.text


async def test_staff_of_another_team_cannot_open_a_case_with_case(
    bot: Running, anna: Person, piotr: StaffMember, kasia: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna, "My parcel never arrived.")
    await piotr.topic(number)
    await kasia.command(f"/case {number}")
    refusal = await emu.wait_for(
        lambda: next(
            (m for m in emu.bot_messages(BILLING_GROUP) if number in m.text and "team" in m.text),
            None,
        ),
        message="Kasia got no answer to /case",
    )
    assert "is not a case of your team" in refusal.text
    assert "Anna" not in refusal.text and "parcel" not in refusal.text
    await piotr.command(f"/case {number}")
    shown = await emu.wait_for(
        lambda: next(
            (m for m in emu.bot_messages(STAFF_GROUP) if "My parcel never arrived." in m.text),
            None,
        ),
        message="Piotr could not open his team's case",
    )
    assert "Anna Kowalczyk" in shown.text
