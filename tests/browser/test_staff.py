"""The staff pane: a team's forum group with a topic per case, its pinned card, buttons and replies.

The page shows whatever the bot does in the group without knowing which feature did it; here
the bot itself opens the case's topic, pins and edits its card and answers the buttons.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.pages import SandboxPage
from tests.browser.running import RunningSandbox

SUPPORT = -1001234567890
PIOTR = 7002


def test_a_case_topic_with_its_pinned_card_buttons_and_replies(
    sandbox: SandboxPage, running: RunningSandbox
) -> None:
    staff, anna = sandbox.staff, sandbox.customer
    expect(staff.topics).to_have_count(1)  # General
    number = anna.file_complaint(share_phone=False)
    staff.open_topic(number)
    expect(staff.pane.locator(".chat-header .title")).to_have_text(f"{number} · Delivery · Anna K.")
    expect(staff.pane.get_by_text(f"created the topic «{number}")).to_be_visible()
    expect(staff.pinned).to_contain_text(f"{number} · Delivery · Support")
    card = staff.message(re.compile(f"{number} · Delivery · Support"))
    expect(card.locator("strong").first).to_have_text(number)
    expect(card).to_contain_text("nobody has taken it")
    expect(card.locator(".inline-button")).to_contain_text(["Take", "Transfer"])

    staff.press("Take")
    staff.message(f"Ola (Support) took {number}")
    expect(card).to_contain_text("owner: Ola (Support)")  # the same card, edited in place
    expect(card.locator(".edited")).to_be_visible()
    expect(card.locator(".inline-button").filter(has_text="Take")).to_have_count(0)
    staff.write("Hello Anna, I am on it.")
    staff.write("!courier confirmed the delay")
    anna.message("I am on it")
    expect(anna.messages.filter(has_text="courier confirmed")).to_have_count(0)  # a note stays
    # The bot's reactions: 👌 once the reply reached the customer, ✍ on a note.
    expect(staff.message("I am on it").locator(".reaction")).to_have_text("👌")
    expect(staff.message("courier confirmed").locator(".reaction")).to_have_text("✍\ufe0f")
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
            m for m in emu.messages(SUPPORT) if m.sender.id == PIOTR and m.reply_to_message_id
        ],
        "Piotr's reply to Ola's message",
    )
    staff.press("Resolve")  # only the owner (or a manager) may
    staff.alert(f"Ola (Support) handles {number}: only they or a manager can do this.")

    thread = running.call(lambda s: s.emu.topics(SUPPORT))
    running.run(running.emu.close_topic(PIOTR, SUPPORT, max(thread)))
    expect(staff.topic(number).get_by_title("Closed")).to_be_visible()
    expect(staff.pane.get_by_text("This topic is closed.")).to_be_visible()


def test_topics_made_by_people_and_deletions_show_too(
    sandbox: SandboxPage, running: RunningSandbox
) -> None:
    staff = sandbox.staff
    thread = running.run(running.emu.create_topic(PIOTR, SUPPORT, "Shift handover"))
    staff.open_topic("Shift handover")
    staff.act_as("Piotr Zieliński")
    staff.write("/queue")
    staff.message("Waiting for an agent in Support")
    answer = running.wait_for(
        lambda emu: emu.bot_messages(SUPPORT, thread), "the bot's answer to /queue"
    )[-1]
    # The bot never deletes anything, but a deletion in the group must vanish from the page.
    running.bot_api("deleteMessage", chat_id=SUPPORT, message_id=answer.message_id)
    expect(staff.messages.filter(has_text="Waiting for an agent")).to_have_count(0)
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
    running.call(lambda s: s.emu.delete_topic(SUPPORT, thread))
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
