"""Staff handoff end to end: topics, the card, one named owner, relays both ways, outcomes.

The real aiogram bot long-polls the emulator over HTTP, on SQLite and on PostgreSQL; what is
checked is what people see in their Telegram chats and what the staff group shows.
"""

from __future__ import annotations

import asyncio
import json

from sandbox.emulator import BotApiEmulator
from tests.e2e.chat import Person, StaffMember, eventually
from tests.e2e.conftest import JAN, MARIA, STAFF_GROUP, Running
from tests.e2e.test_intake import file_complaint


async def test_a_case_from_filing_to_rating(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna, "My parcel never arrived.")
    topic = emu.topics(STAFF_GROUP)[await piotr.topic(number)]
    assert topic.name == f"{number} · Delivery · Anna K."
    card = await piotr.card(number)
    assert "My parcel never arrived." in card.text and "waiting for an agent" in card.text
    assert [label for label, _ in card.buttons()] == [
        "🙋 Take",
        "🔀 Transfer",
        "🚫 Decline",
        "🚨 Escalate",
    ]

    await piotr.press(number, "Take")
    await anna.expect("Piotr (Support) is now handling your case", number)
    await piotr.card_shows(number, "in progress", "owner: Piotr (Support)")

    staff_message = await piotr.write(
        number, "We found your parcel at the depot. Can you confirm your address?"
    )
    reply = await anna.expect("We found your parcel", "— Piotr (Support)")
    await emu.wait_for(
        lambda: "👌" in staff_message.reactions, message="no delivered tick on the staff reply"
    )
    photo = await emu.send_photo(
        piotr.id, chat_id=STAFF_GROUP, thread_id=await piotr.topic(number), caption="The label"
    )
    sent = await anna.expect("The label", "— Piotr (Support)")
    assert sent.kind == "photo" and photo.kind == "photo"

    await anna.write("Yes, Long Street 5.")
    copied = await piotr.expect(number, "Messages from Anna")
    assert copied.from_bot
    await emu.wait_for(
        lambda: any(
            m.text == "Yes, Long Street 5." and m.from_bot
            for m in piotr.topic_messages(piotr.find_topic(number) or 0)
        ),
        message="the customer's answer was not copied into the topic",
    )
    await piotr.press(number, "Resolve")
    await piotr.expect(number, "how", "was resolved")
    await piotr.write(number, "The courier redelivers it today before 18:00.")
    resolved = await anna.expect("marked your case", "Did this solve your problem?")
    assert "redelivers it today" in resolved.text, "the customer reads the resolution"
    await piotr.card_shows(number, "resolved, waiting for the customer")
    await anna.press("Yes, it's solved")
    await anna.expect("is closed", "How would you rate")
    await anna.press("⭐ 5")
    await anna.expect("Would you like to tell us")
    await anna.write("Quick and kind, thank you.")
    await anna.expect("Thank you. Your feedback")
    await piotr.expect(number, "rated", "5/5")
    await piotr.card_shows(number, "closed", "Rated 5/5")
    async with bot.app.db.uow() as uow:
        case = await uow.cases.get(number)
    assert case is not None
    assert (case.rating, case.rating_comment) == (5, "Quick and kind, thank you.")
    assert reply.reply_to_message_id is None


async def test_not_solved_reopens_to_the_same_owner_and_flags_the_card(
    bot: Running, anna: Person, piotr: StaffMember
) -> None:
    number = await file_complaint(anna)
    await piotr.press(number, "Take")
    await anna.expect("is now handling")
    await piotr.press(number, "Resolve")
    await piotr.write(number, "Refunded.")
    await anna.press("No, it isn't")
    told = await anna.expect("is not solved", "Piotr (Support) continues", "Maria Kowalska")
    assert "who is answering you" in told.text
    assert len([m for m in anna.inbox() if "not solved" in m.text]) == 1, "one message"
    await piotr.expect(number, "is NOT solved", "stays with Piotr")
    # Bad news reaches a manager: the case is escalated, and the owner keeps working on it.
    await piotr.expect(number, "escalated to Maria Kowalska", "not solved")
    await piotr.card_shows(number, "Reopened once", "escalated to a manager", "owner: Piotr")
    await piotr.write(number, "Sorry, let me look again.")
    await anna.expect("Sorry, let me look again.")


async def test_replying_in_an_untaken_topic_takes_the_case(
    bot: Running, anna: Person, piotr: StaffMember
) -> None:
    number = await file_complaint(anna)
    await piotr.write(number, "Hello Anna, I'm on it.")
    await anna.expect("Piotr (Support) is now handling your case")
    await anna.expect("Hello Anna, I'm on it.", "— Piotr (Support)")
    await piotr.card_shows(number, "owner: Piotr (Support)")


async def test_a_reply_written_before_the_bot_knows_its_topic_still_reaches_the_customer(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    # Telegram shows a new topic to staff as it answers the bot; Piotr is quicker than the answer.
    emu.hold_answers("createForumTopic")
    number = await file_complaint(anna)
    await piotr.write(number, "Hello Anna, I'm on it.")

    async def held() -> bool:
        return bot.app.processor.held > 0

    await eventually(held, what="holding Piotr's reply until the topic is known")
    emu.release_answers()
    await anna.expect("Piotr (Support) is now handling your case")
    await anna.expect("Hello Anna, I'm on it.", "— Piotr (Support)")
    await piotr.card_shows(number, "owner: Piotr (Support)")


async def test_a_long_complaint_reaches_staff_whole_below_its_card(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    # What an upset customer writes: more than the card can show.
    again = ("the parcel was not there again. " * 60).strip()
    story = f"Day 1: {again}\n\nDay 2: {again}"
    number = await file_complaint(anna, story, shown="Day 1")
    card = await piotr.card(number)
    assert card.text.endswith("…")
    first = await piotr.expect(number, "The whole description", "part 1 of 2")
    second = await piotr.expect(number, "The whole description", "part 2 of 2")
    whole = first.text.split(":\n", 1)[1] + "\n\n" + second.text.split(":\n", 1)[1]
    assert whole == story


async def test_a_long_answer_reaches_the_customer_whole(
    bot: Running, anna: Person, piotr: StaffMember
) -> None:
    number = await file_complaint(anna)
    answer = "What happened to your parcel: " + "it went back and forth. " * 120
    await piotr.write(number, answer)
    told = await anna.expect("What happened to your parcel", "— Piotr (Support)")
    assert told.text == f"{answer}\n\n— Piotr (Support)"


async def test_a_reply_at_telegrams_length_limit_arrives_whole_then_signed(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    # Telegram splits a long paste into messages of 4,096 characters: no room for a signature.
    number = await file_complaint(anna)
    part = "Our terms, in full: " + "t" * 4076
    reply = await piotr.write(number, part)
    whole = await anna.expect("Our terms, in full")
    assert whole.text == part
    signed = await anna.expect("— Piotr (Support)")
    assert signed.text == "— Piotr (Support)"
    corrected = "Our terms, corrected: " + "c" * 4074
    await emu.edit_text(piotr.id, STAFF_GROUP, reply.message_id, corrected)
    await emu.wait_for(lambda: whole.text == corrected, message="the copy was not corrected")


async def test_a_photos_caption_corrected_in_the_topic_is_corrected_for_the_customer(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    thread = await piotr.topic(number)
    photo = await emu.send_photo(piotr.id, chat_id=STAFF_GROUP, thread_id=thread, caption="Lbael")
    copy = await anna.expect("Lbael", "— Piotr (Support)")
    await emu.edit_text(piotr.id, STAFF_GROUP, photo.message_id, "The label, with your address")
    await emu.wait_for(
        lambda: copy.caption == "The label, with your address\n\n— Piotr (Support)",
        message="the customer's copy still shows the old caption",
    )


async def test_a_caption_at_telegrams_limits_arrives_whole_and_signed(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    thread = await piotr.topic(number)
    # 1,024 characters is all a bot may put under a photo: no room left for the signature.
    near = "What the courier wrote: " + "n" * 996
    await emu.send_photo(piotr.id, chat_id=STAFF_GROUP, thread_id=thread, caption=near)
    photo = await anna.expect("What the courier wrote")
    assert (photo.kind, photo.caption) == ("photo", near)
    signed = await anna.expect("— Piotr (Support)")
    assert signed.text == "— Piotr (Support)"
    # A Premium user may write 4,096: the photo comes bare, then the caption as a text.
    premium = "The whole story: " + "p" * 2983
    await emu.send_photo(piotr.id, chat_id=STAFF_GROUP, thread_id=thread, caption=premium)
    told = await anna.expect("The whole story")
    assert told.text == f"{premium}\n\n— Piotr (Support)"
    bare = anna.inbox()[-2]
    assert bare.kind == "photo" and not bare.caption


async def test_a_sticker_from_staff_reaches_the_customer_with_the_name_after_it(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    await emu.send_sticker(piotr.id, "👍", chat_id=STAFF_GROUP, thread_id=await piotr.topic(number))
    signed = await anna.expect("— Piotr (Support)")
    sticker = anna.inbox()[-2]
    assert sticker.kind == "sticker" and signed.text == "— Piotr (Support)"


async def test_internal_notes_never_reach_the_customer(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    await piotr.press(number, "Take")
    await anna.expect("is now handling")
    note = await piotr.write(number, "!Customer called twice, be gentle")
    slash = await piotr.write(number, "/note checked the courier system")
    await emu.wait_for(lambda: "✍" in note.reactions and "✍" in slash.reactions)
    await piotr.write(number, "Visible answer")
    await anna.expect("Visible answer")
    assert not [m for m in anna.inbox() if "gentle" in m.text or "courier" in m.text]
    async with bot.app.db.uow() as uow:
        kinds = [e.kind for e in await uow.log.for_case(number)]
    assert kinds.count("note") == 2


async def test_waiting_for_the_customer_and_their_answer_returns_the_case(
    bot: Running, anna: Person, piotr: StaffMember
) -> None:
    number = await file_complaint(anna)
    await piotr.press(number, "Take")
    await piotr.press(number, "Ask the customer")
    await piotr.expect(number, "write your question")
    await piotr.write(number, "What is the tracking number on your receipt?")
    await anna.expect("has a question", "What is the tracking number", "waits for your answer")
    await piotr.card_shows(number, "waiting for the customer")
    await anna.write("It is 123-456.")
    await piotr.expect(number, "The customer answered", "back with Piotr")
    await piotr.card_shows(number, "in progress")


async def test_decline_is_a_firm_no_with_a_reason_and_a_way_to_a_manager(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    await piotr.press(number, "Take")
    await piotr.press(number, "Decline")
    await piotr.expect(number, "reason for declining")
    await piotr.write(number, "The parcel was delivered and signed for on 20 November.")
    decline = await anna.expect("we cannot do what you asked", "signed for on 20 November")
    assert "Maria Kowalska" in decline.text
    await piotr.card_shows(number, "declined")
    await anna.press("Ask a manager to review")
    await anna.expect("goes for review to", "Maria Kowalska", "Head of Customer Care")
    escalation = await emu.wait_for_bot_message(MARIA, "Escalation to you")
    assert number in escalation.text


async def test_transfer_to_a_colleague_is_announced_with_the_new_name(
    bot: Running, anna: Person, piotr: StaffMember, ola: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    await ola.command("/help")  # Ola has been seen in the group, so she can be chosen
    await piotr.press(number, "Take")
    await anna.expect("Piotr (Support) is now handling")
    await piotr.press(number, "Transfer")
    await piotr.press(number, "To Ola")
    await piotr.expect(number, "reason for the transfer")
    await piotr.write(number, "Ola knows this courier")
    await anna.expect("now handled by", "Ola (Support)")
    await piotr.expect(
        number, "Piotr (Support) transferred", "to Ola (Support)", "knows this courier"
    )
    await piotr.card_shows(number, "owner: Ola (Support)", "Transferred once")
    assert not [m for m in anna.inbox() if "knows this courier" in m.text], "the reason is internal"


async def test_transfer_to_another_team_opens_a_topic_there(
    bot: Running, anna: Person, piotr: StaffMember, kasia: StaffMember
) -> None:
    number = await file_complaint(anna)
    await piotr.press(number, "Take")
    await piotr.press(number, "Transfer")
    await piotr.press(number, "To the Billing team")
    await piotr.write(number, "It is about a refund")
    await anna.expect("passed to the", "Billing", "team")
    await kasia.card_shows(number, "Billing", "waiting for an agent", "Transferred once")
    await kasia.expect(number, "arrives from Piotr (Support)", "refund")
    await piotr.expect(number, "moved", "Billing", "no longer followed")
    await kasia.press(number, "Take")
    await anna.expect("Kasia (Billing) is now handling")


async def test_exactly_one_of_two_racing_staff_takes_the_case(
    bot: Running, anna: Person, piotr: StaffMember, ola: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    card = await piotr.card(number)
    take = next(data for label, data in card.buttons() if "Take" in label and data)
    first, second = await asyncio.gather(
        emu.press_button(piotr.id, STAFF_GROUP, card.message_id, take),
        emu.press_button(ola.id, STAFF_GROUP, card.message_id, take),
    )
    await anna.expect("is now handling your case")
    loser_text, loser_alert = await ola.alert_for(second)
    winner_text, _ = await piotr.alert_for(first)
    assert loser_alert and "Piotr (Support) already handles" in loser_text
    assert winner_text == ""
    assert len([m for m in anna.inbox() if "is now handling" in m.text]) == 1


async def test_buttons_are_authorised_again_on_the_server(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    card = await piotr.card(number)
    emu.add_user(9999, "Mallory")
    emu.join(STAFF_GROUP, 9999, status="left")  # once in the group, now gone
    take = next(data for label, data in card.buttons() if "Take" in label and data)
    refused = await emu.press_button(9999, STAFF_GROUP, card.message_id, take)
    text, alert = await piotr.alert_for(refused)
    assert alert and "Only the Support team" in text
    forged = await emu.press_button(piotr.id, STAFF_GROUP, card.message_id, "k:HB-AAAAAA:resolve")
    text, alert = await piotr.alert_for(forged)
    assert alert and "moved elsewhere" in text
    early = await emu.press_button(piotr.id, STAFF_GROUP, card.message_id, f"k:{number}:resolve")
    text, alert = await piotr.alert_for(early)
    assert alert and "not possible" in text
    await piotr.card_shows(number, "waiting for an agent")
    assert not [m for m in anna.inbox() if "is now handling" in m.text]


async def test_a_deleted_topic_is_opened_again_with_the_card_and_history(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    await piotr.press(number, "Take")
    await anna.expect("is now handling")
    old = await piotr.topic(number)
    emu.delete_topic(STAFF_GROUP, old)
    await anna.write("Is there any news?")
    await emu.wait_for(
        lambda: (piotr.find_topic(number) or old) != old, message="no new topic was opened"
    )
    await piotr.card_shows(number, "owner: Piotr (Support)")
    await piotr.expect(number, "opened again")
    await piotr.expect(number, "Is there any news?")
    new = piotr.find_topic(number) or 0
    cards = [m for m in piotr.topic_messages(new) if m.from_bot and m.text.startswith("📋")]
    assert len(cards) == 1, [(m.message_id, m.text[:40]) for m in piotr.topic_messages(new)]
    async with bot.app.db.uow() as uow:
        case = await uow.cases.get(number)
    assert case is not None and case.topic_id not in (None, old)


async def test_a_closed_topic_is_opened_again(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    old = await piotr.topic(number)
    await emu.close_topic(piotr.id, STAFF_GROUP, old)
    await emu.wait_for(
        lambda: (
            (piotr.find_topic(number) or old) != old and not emu.topics(STAFF_GROUP)[old].deleted
        ),
        message="no new topic",
    )
    await piotr.card_shows(number, "waiting for an agent")


async def test_customer_text_cannot_format_or_break_the_card(
    bot: Running, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    mallory = Person(emu, 5066, "<b>Admin</b>", "</i>&amp;")
    number = await file_complaint(mallory, "<a href='http://x'>click</a> & <b>bold</b>")
    card = await piotr.card(number)
    assert "<a href='http://x'>click</a> & <b>bold</b>" in card.text
    assert "<b>Admin</b>" in card.text
    assert not [e for e in card.entities if e.get("type") == "text_link"]


async def test_replies_thread_both_ways(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    question = await anna.write("Where is my parcel?")
    thread = await piotr.topic(number)
    copy = await emu.wait_for(
        lambda: next(
            (m for m in piotr.topic_messages(thread) if m.text == "Where is my parcel?"), None
        ),
        message="no copy of the question",
    )

    async def copy_recorded() -> bool:
        # A person reads before replying; the bot records the copy right after Telegram took it.
        async with bot.app.db.uow() as uow:
            return await uow.relays.by_target(STAFF_GROUP, copy.message_id) is not None

    await eventually(copy_recorded, what="recording the copy of the question")
    await piotr.write(number, "At the depot.", reply_to=copy.message_id)
    answer = await anna.expect("At the depot.")
    assert answer.reply_to_message_id == question.message_id
    await emu.send_text(anna.id, "Thanks!", reply_to=answer.message_id)
    staff_reply = next(m for m in piotr.topic_messages(thread) if m.text == "At the depot.")
    thanks = await emu.wait_for(
        lambda: next((m for m in piotr.topic_messages(thread) if m.text == "Thanks!"), None),
        message="no copy of the thanks",
    )
    assert thanks.reply_to_message_id == staff_reply.message_id


async def test_edits_follow_the_message_on_both_sides(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    sent = await anna.write("The box was wet")
    await piotr.topic(number)
    await emu.edit_text(anna.id, anna.id, sent.message_id, "The box was wet and torn")
    await piotr.expect(number, "Anna edited this message", "wet and torn")
    reply = await piotr.write(number, "We will replce it")
    delivered = await anna.expect("We will replce it")
    await emu.edit_text(piotr.id, STAFF_GROUP, reply.message_id, "We will replace it")
    await emu.wait_for(
        lambda: "We will replace it" in delivered.text, message="the customer's copy was not edited"
    )


async def test_a_customer_who_blocked_the_bot_is_shown_in_the_topic(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    await piotr.press(number, "Take")
    await anna.expect("is now handling")
    emu.block_bot(anna.id)
    await piotr.write(number, "Are you there?")
    await piotr.expect(number, "blocked the bot", "no longer reach them")
    await piotr.expect(number, "Not delivered")
    await piotr.card_shows(number, "blocked the bot")


async def test_queue_mine_and_case_commands(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    first = await file_complaint(anna, "First problem")
    await piotr.card(first)
    await piotr.command("/queue")
    queue = await emu.wait_for_bot_message(STAFF_GROUP, "Waiting for an agent in Support")
    assert first in queue.text and "open for 0h 0m" in queue.text
    await piotr.press(first, "Take")
    await piotr.command("/mine")
    mine = await emu.wait_for_bot_message(STAFF_GROUP, "Open cases of Piotr")
    assert first in mine.text
    asked = await piotr.command(f"/case {first}")
    detail = await emu.wait_for_bot_message(STAFF_GROUP, "First problem", after=asked.message_id)
    assert first in detail.text and "https://t.me/c/1234567890/" in detail.text
    await piotr.command("/queue")
    empty = await emu.wait_for_bot_message(STAFF_GROUP, "nobody is waiting")
    assert first not in empty.text


async def test_a_group_without_topics_gets_the_case_in_general_and_a_clear_error(
    bot: Running, anna: Person, emu: BotApiEmulator, caplog: object
) -> None:
    emu.set_bot_admin(STAFF_GROUP, can_manage_topics=False)
    number = await file_complaint(anna)
    card = await emu.wait_for_bot_message(STAFF_GROUP, number)
    assert card.thread_id is None and "waiting for an agent" in card.text

    async def told() -> bool:
        async with bot.app.db.uow() as uow:
            log = await uow.log.for_case(number)
        return any(e.kind == "topic_refused" for e in log)

    await eventually(told, what="the refusal was not recorded")
    await anna.write("Hello?")
    await anna.expect("Added to", number)
    await emu.wait_for_bot_message(STAFF_GROUP, "Messages from Anna")


async def test_a_manager_is_staff_in_every_group(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    card = await piotr.card(number)
    take = next(data for label, data in card.buttons() if "Take" in label and data)
    pressed = await emu.press_button(JAN, STAFF_GROUP, card.message_id, take)
    await anna.expect("Jan (Support) is now handling")
    text, _ = await piotr.alert_for(pressed)
    assert text == ""


async def test_staff_groups_get_their_own_command_menu(bot: Running, emu: BotApiEmulator) -> None:
    def menu(scope: dict[str, object]) -> list[str]:
        key = json.dumps([scope, ""], sort_keys=True)
        return [c["command"] for c in emu.state.commands.get(key, [])]

    staff_scope = {"type": "chat", "chat_id": STAFF_GROUP}
    await emu.wait_for(lambda: menu(staff_scope), message="no staff command menu")
    assert menu(staff_scope) == ["queue", "mine", "case", "find", "r", "note", "help"]
    assert "new" in menu({"type": "all_private_chats"})
