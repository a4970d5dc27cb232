"""The manager pane: a manager's private chat, and links from it into the staff topics.

Until the bot pages managers itself, the test sends through the Bot API what it will send: an
escalation card with buttons and a link to the case's topic.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.pages import SandboxPage
from tests.browser.running import RunningSandbox
from tests.browser.stand_ins import SUPPORT, open_case_topic

MARIA = 111111


def test_a_managers_chat_shows_cards_and_links_to_the_staff_topic(
    sandbox: SandboxPage, running: RunningSandbox
) -> None:
    thread, _card = open_case_topic(running)
    link = f"https://t.me/c/{str(SUPPORT).removeprefix('-100')}/{thread}"
    card = running.bot_api(
        "sendMessage",
        chat_id=MARIA,
        text=f'⚠️ <b>HB-7K3Q9M</b> escalated: no first answer in time.\n<a href="{link}">Open the topic</a>',
        parse_mode="HTML",
        reply_markup={
            "inline_keyboard": [
                [{"text": "Acknowledge", "callback_data": "ack:1"}],
                [{"text": "Take over", "callback_data": "own:1"}, {"text": "Topic", "url": link}],
            ]
        },
    )
    manager = sandbox.manager
    bubble = manager.message("escalated: no first answer in time")
    expect(bubble.locator(".inline-button")).to_have_text(["Acknowledge", "Take over", "Topic"])
    sandbox.screenshot("manager-card")

    bubble.get_by_role("link", name="Open the topic").click()
    expect(sandbox.staff.pane.locator(".chat-header .title")).to_contain_text("HB-7K3Q9M")
    sandbox.staff.open_topic("General")
    manager.press("Topic")
    expect(sandbox.staff.pane.locator(".chat-header .title")).to_contain_text("HB-7K3Q9M")

    running.bot_api(
        "editMessageText",
        chat_id=MARIA,
        message_id=card["message_id"],
        text="✅ HB-7K3Q9M acknowledged by Maria Kowalska",
    )
    acknowledged = manager.message("acknowledged by Maria Kowalska")
    expect(acknowledged.locator(".inline-button")).to_have_count(0)

    running.bot_api(
        "sendMessage",
        chat_id=MARIA,
        text="Your reply to Anna about HB-7K3Q9M:",
        reply_markup={"force_reply": True, "input_field_placeholder": "Write to Anna"},
    )
    expect(manager.pane.locator(".reply-bar")).to_contain_text("Your reply to Anna")
    expect(manager.pane.get_by_placeholder("Write to Anna")).to_be_visible()
    manager.write("I am sorry for the wait, Anna.")
    expect(manager.message("sorry for the wait").locator(".quote")).to_contain_text("reply to Anna")
    sandbox.screenshot("manager-reply")

    manager.act_as("Jan Nowak")
    expect(manager.messages).to_have_count(0)
    expect(manager.pane.get_by_text("Escalated cases for Jan Nowak")).to_be_visible()
