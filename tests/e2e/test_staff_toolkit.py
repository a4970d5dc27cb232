"""The staff toolkit end to end: the tone guard, saved replies, /find, round-robin assignment
and the customer's place in the queue, on both runtimes, as people see them in Telegram."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.i18n import Renderer
from flows.config import OrgConfig, SavedReply
from sandbox.emulator import BotApiEmulator
from tests.e2e.chat import Person, StaffMember, eventually
from tests.e2e.conftest import BILLING_GROUP, STAFF_GROUP, Running
from tests.e2e.test_intake import NUMBER, complete_intake, file_complaint


@pytest.fixture
def org(org: OrgConfig) -> OrgConfig:
    """The demo organisation with one more saved reply, worded as the tone guard would hold it."""
    vague = SavedReply(
        key="later",
        title={"en": "Update follows"},
        text={"en": "Thank you {name}, we will update you shortly on {case}."},
    )
    return org.model_copy(update={"replies": (*org.replies, vague)})


def _label(language: str, key: str) -> str:
    from zoneinfo import ZoneInfo

    return Renderer(ZoneInfo("Europe/Warsaw")).text(language, key)


async def file_in_russian(person: Person, text: str) -> str:
    """The guided intake with the Russian buttons; returns the case number."""
    await person.write("/new")
    await person.expect("Выберите категорию")
    await person.press("Доставка")
    await person.expect("опишите")
    await person.write(text)
    await person.press(_label("ru", "btn-continue"))
    await person.expect("связаться")
    await person.write(_label("ru", "btn-telegram-only"))
    await person.press(_label("ru", "btn-confirm"))
    receipt = await person.expect("HB-")
    match = NUMBER.search(receipt.text)
    assert match, receipt.text
    return match.group(0)


async def test_a_deflecting_reply_is_held_until_its_author_sends_it_anyway(
    bot: Running, emu: BotApiEmulator, anna: Person, piotr: StaffMember, ola: StaffMember
) -> None:
    number = await file_complaint(anna)
    await piotr.write(number, "Sorry, that's not my department.")
    held = await piotr.expect(number, "this reply is held", "passing the customer on")
    assert [label for label, _ in held.buttons()] == ["✅ Send anyway", "✏️ Rewrite"]

    refused = await ola.press(number, "Send anyway")
    text, alert = await ola.alert_for(refused)
    assert alert and "only Piotr" in text
    await piotr.press(number, "Rewrite")
    await piotr.emu.wait_for(lambda: "dropped the held reply" in held.text, message="not dropped")
    assert held.buttons() == [], "a decided reply offers no more buttons"

    vague = await piotr.write(number, "We will answer soon.")
    again = await piotr.expect(number, "this reply is held", "give a concrete time")
    # Corrected while held: what goes is the reply as it reads when Send anyway is pressed.
    await emu.edit_text(piotr.id, STAFF_GROUP, vague.message_id, "We will answer soon, I hope.")

    async def corrected() -> bool:
        async with bot.app.db.uow() as uow:
            log = await uow.log.for_case(number)
        return any(e.kind == "reply_held" and e.data.get("edited") for e in log)

    await eventually(corrected, what="the correction of the held reply was not kept")
    await piotr.press(number, "Send anyway")
    await piotr.emu.wait_for(lambda: "held reply was sent anyway" in again.text, message="not sent")
    await anna.expect("Piotr (Support) is now handling your case")
    await anna.expect("We will answer soon, I hope.", "— Piotr (Support)")
    said = [m.text for m in anna.inbox()]
    assert not any("not my department" in t for t in said), "a dropped reply never reaches her"

    await piotr.write(number, "I will call the courier myself and write to you by 15:00.")
    await anna.expect("I will call the courier myself", "— Piotr (Support)")


async def test_a_photo_whose_caption_deflects_is_held_like_a_reply(
    bot: Running, emu: BotApiEmulator, anna: Person, piotr: StaffMember
) -> None:
    number = await file_complaint(anna)
    thread = await piotr.topic(number)
    caption = "The label. Nothing I can do about the courier, sorry."
    await emu.send_photo(piotr.id, chat_id=STAFF_GROUP, thread_id=thread, caption=caption)
    await piotr.expect(number, "this reply is held", "passing the customer on")
    await piotr.write(number, "I have asked the depot; you will hear from me by 15:00.")
    await anna.expect("I have asked the depot", "— Piotr (Support)")
    assert not [m for m in anna.inbox() if m.kind == "photo"], "a held photo waits"

    await piotr.press(number, "Send anyway")
    sent = await anna.expect("The label. Nothing I can do", "— Piotr (Support)")
    assert sent.kind == "photo"


async def test_saved_replies_go_out_in_the_customers_language(
    bot: Running, emu: BotApiEmulator, anna: Person, piotr: StaffMember
) -> None:
    ivan = Person(emu, 5010, "Иван", language="ru")
    number = await file_in_russian(ivan, "Посылка так и не пришла.")
    thread = await piotr.topic(number)
    await piotr.command("/r", thread_id=thread)
    menu = await piotr.expect(number, "Saved replies")
    assert "/r refund — Refund started" in menu.text
    await piotr.command("/r nope", thread_id=thread)
    await piotr.expect(number, 'There is no saved reply "nope"', "/r photo")

    await piotr.command("/r refund", thread_id=thread)
    await ivan.expect("Piotr (Support)")  # replying takes the case: he hears who, first
    refund = await ivan.expect(f"Здравствуйте, Иван! Возврат по обращению {number} оформлен.")
    assert "Piotr (Support) подтвердит его Вам до" in refund.text and "— Piotr" in refund.text
    await piotr.expect(number, 'sent the saved reply "Refund started" (ru)', "Возврат")

    await piotr.press(number, "Ask for a photo")
    await ivan.expect("Иван, пришлите, пожалуйста, фото посылки")

    # The organisation's own words are not held, even where a staff member's would be.
    other = await file_complaint(anna)
    await piotr.command("/r later", thread_id=await piotr.topic(other))
    await anna.expect(f"Thank you Anna, we will update you shortly on {other}.")


async def test_find_searches_only_the_teams_own_cases(
    bot: Running,
    emu: BotApiEmulator,
    anna: Person,
    piotr: StaffMember,
    kasia: StaffMember,
) -> None:
    ours = await file_complaint(anna, "The blue parcel never arrived.")
    boris = Person(emu, 5011, "Boris", "Berg")
    await boris.write("/new")
    await boris.expect("Choose a category")
    await boris.press("Payment and refunds")
    await boris.expect("describe the problem")
    await boris.write("I was charged twice for the blue parcel.")
    await boris.press("Continue")
    await boris.write("💬 Telegram only")
    await boris.press("Confirm")
    theirs = NUMBER.search((await boris.expect("registered as")).text)
    assert theirs is not None
    billing = theirs.group(0)

    asked = await piotr.command("/find Blue Parcel")
    found = await emu.wait_for_bot_message(STAFF_GROUP, "🔎", after=asked.message_id)
    assert "1 case." in found.text and ours in found.text and billing not in found.text
    assert "https://t.me/c/1234567890/" in found.text and "Anna" in found.text
    asked = await kasia.command("/find blue parcel")
    found = await emu.wait_for_bot_message(BILLING_GROUP, "🔎", after=asked.message_id)
    assert billing in found.text and ours not in found.text
    asked = await piotr.command("/find anna")
    found = await emu.wait_for_bot_message(STAFF_GROUP, "🔎", after=asked.message_id)
    assert ours in found.text
    asked = await piotr.command(f"/find {billing}")
    found = await emu.wait_for_bot_message(STAFF_GROUP, "🔎", after=asked.message_id)
    assert "nothing found" in found.text and billing not in found.text.split("nothing")[1]
    asked = await piotr.command("/find")
    await emu.wait_for_bot_message(STAFF_GROUP, "Write what to look for", after=asked.message_id)


async def test_the_queue_place_falls_as_cases_ahead_are_taken(
    bot: Running,
    emu: BotApiEmulator,
    clock: ManualClock,
    anna: Person,
    piotr: StaffMember,
    ola: StaffMember,
) -> None:
    first = await file_complaint(anna, "First parcel lost.")
    clock.advance(timedelta(minutes=1))
    boris = Person(emu, 5011, "Boris")
    second = await file_complaint(boris, "Second parcel lost.")
    clock.advance(timedelta(minutes=1))
    cyril = Person(emu, 5012, "Cyril")
    await cyril.write("/new")
    await complete_intake(cyril, "Third parcel lost.")
    receipt = cyril.inbox()[-1]
    assert "with 2 cases ahead of it" in receipt.text and "12:02" in receipt.text
    assert "typical first answer" not in receipt.text, "no typical time from too little data"

    await piotr.press(first, "Take")
    await anna.expect("is now handling")
    await cyril.write("Any news?")
    await cyril.expect("Added to", "with 1 case ahead of it")
    await ola.press(second, "Take")
    await boris.expect("is now handling")
    await cyril.write("And now?")
    await cyril.expect("Added to", "and it is the next in line")
