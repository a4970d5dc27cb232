"""The staff pane: a team's forum group with its topics, pinned cards, buttons and replies.

The page must show whatever the bot does in the group without knowing which feature did it;
until the bot opens case topics itself, stand-ins do through the Bot API what it will do.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.pages import SandboxPage
from tests.browser.running import RunningSandbox
from tests.browser.stand_ins import BUTTONS, CARD, OLA, PIOTR, SUPPORT, open_case_topic


def test_topics_pinned_card_buttons_and_replies_show_in_the_staff_pane(
    sandbox: SandboxPage, running: RunningSandbox
) -> None:
    staff = sandbox.staff
    expect(staff.topics).to_have_count(1)  # General
    thread, card = open_case_topic(running)
    staff.open_topic("HB-7K3Q9M")
    expect(staff.pinned).to_contain_text("HB-7K3Q9M · Delivery")
    bubble = staff.message("State: waiting for an agent")
    expect(bubble.locator("strong")).to_have_text("HB-7K3Q9M")
    expect(bubble.locator(".inline-button")).to_have_text(
        ["Take", "Transfer", "Resolve", "Decline", "Escalate"]
    )
    expect(staff.pane.get_by_text("created the topic «HB-7K3Q9M")).to_be_visible()

    staff.press("Take")
    query = running.pressed(OLA, SUPPORT, card)
    running.bot_api("answerCallbackQuery", callback_query_id=query, text="You took HB-7K3Q9M.")
    staff.toast("You took HB-7K3Q9M.")

    running.bot_api(
        "editMessageText",
        chat_id=SUPPORT,
        message_id=card,
        text=CARD.replace("waiting for an agent", "assigned to Ola (Support)"),
        parse_mode="HTML",
        reply_markup=BUTTONS,
    )
    edited = staff.message("assigned to Ola")
    expect(edited.locator(".edited")).to_be_visible()
    expect(staff.messages.filter(has_text="waiting for an agent")).to_have_count(0)

    staff.write("Hello Anna, I am on it.")
    staff.write("!notes courier confirmed the delay")
    running.wait_for(
        lambda emu: [m for m in emu.messages(SUPPORT, thread) if m.sender.id == OLA][1:],
        "Ola's two messages in the topic",
    )
    sandbox.screenshot("staff-topic")

    staff.act_as("Piotr Zieliński")
    theirs = staff.message("I am on it")
    expect(theirs).to_have_class(re.compile(r"\bin\b"))
    expect(theirs.locator(".sender")).to_have_text("Ola Wiśniewska")
    staff.reply_to(theirs)
    staff.write("Thanks, I'll take the next one.")
    expect(staff.message("take the next one").locator(".quote")).to_contain_text("I am on it")
    running.wait_for(
        lambda emu: [
            m
            for m in emu.messages(SUPPORT, thread)
            if m.sender.id == PIOTR and m.reply_to_message_id
        ],
        "Piotr's reply to Ola's message",
    )

    running.bot_api(
        "editForumTopic", chat_id=SUPPORT, message_thread_id=thread, name="HB-7K3Q9M · Resolved"
    )
    running.bot_api("closeForumTopic", chat_id=SUPPORT, message_thread_id=thread)
    topic = staff.topic("HB-7K3Q9M · Resolved")
    expect(topic.get_by_title("Closed")).to_be_visible()
    expect(staff.pane.get_by_text("This topic is closed.")).to_be_visible()


def test_topics_made_by_people_and_deletions_show_too(
    sandbox: SandboxPage, running: RunningSandbox
) -> None:
    staff = sandbox.staff
    thread = running.run(running.emu.create_topic(PIOTR, SUPPORT, "Shift handover"))
    staff.open_topic("Shift handover")
    note = running.bot_api(
        "sendMessage", chat_id=SUPPORT, message_thread_id=thread, text="Queue: 3 cases waiting"
    )
    staff.message("Queue: 3 cases waiting")
    running.bot_api("deleteMessage", chat_id=SUPPORT, message_id=note["message_id"])
    expect(staff.messages.filter(has_text="Queue: 3 cases waiting")).to_have_count(0)
    where = {"chat_id": SUPPORT, "thread_id": thread}
    running.run(running.emu.send_album(PIOTR, count=3, caption="Shelf photos", **where))
    running.run(running.emu.send_voice(PIOTR, duration=7, **where))
    running.run(running.emu.send_sticker(PIOTR, emoji="👍", **where))
    running.run(running.emu.send_location(PIOTR, **where))
    album = staff.message("Shelf photos")
    expect(album.locator(".photo")).to_have_count(3)  # one bubble, as Telegram groups it
    expect(staff.messages.locator(".voice")).to_contain_text("0:07")
    expect(staff.messages.locator(".sticker")).to_have_text("👍")
    expect(staff.messages.locator(".location")).to_contain_text("52.2297")
    sandbox.screenshot("staff-media")
    running.bot_api("deleteForumTopic", chat_id=SUPPORT, message_thread_id=thread)
    expect(staff.topics.filter(has_text="Shift handover")).to_have_count(0)
    expect(staff.pane.locator(".chat-header .title")).to_have_text("General")


def test_each_team_has_its_own_group_and_staff(sandbox: SandboxPage) -> None:
    staff = sandbox.staff
    expect(staff.pane.get_by_role("tab", name="Ola Wiśniewska")).to_be_visible()
    staff.team("Billing")
    expect(staff.pane.locator(".topics-head")).to_contain_text("Acme Billing")
    expect(staff.pane.get_by_role("tab", name="Kasia Lewandowska")).to_have_attribute(
        "aria-selected", "true"
    )
    staff.act_as("Tomasz Wójcik")
    staff.write("Morning, everyone")
    expect(staff.message("Morning, everyone")).to_have_class(re.compile(r"\bout\b"))
