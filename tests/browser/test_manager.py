"""The manager pane: the bot's escalation card in a manager's private chat, its link into the
case's staff topic, and a manager writing to the customer from there."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.pages import SandboxPage


def test_an_escalated_case_reaches_the_managers_chat_and_she_writes_to_the_customer(
    sandbox: SandboxPage,
) -> None:
    anna, staff, maria = sandbox.customer, sandbox.staff, sandbox.manager
    number = anna.file_complaint(share_phone=False)
    staff.open_topic(number)
    staff.press("Escalate")
    card = maria.message(f"Escalation to you, Maria Kowalska: {number}")
    expect(card).to_contain_text("staff asked for it")
    expect(card.locator(".inline-button")).to_contain_text(
        [
            "Acknowledge",
            "1 hour",
            "4 hours",
            "1 day",
            "Take over",
            "Reassign",
            "Reply to the customer",
        ]
    )
    anna.message(re.compile(f"{number} is now with Maria Kowalska, Head of Customer Care"))
    sandbox.screenshot("manager-card")

    staff.open_topic("General")
    card.locator("a[href^='https://t.me/c/']").click()  # the card's link to the topic
    expect(staff.pane.locator(".chat-header .title")).to_contain_text(number)

    maria.press("Reply to the customer")
    maria.message(re.compile(f"goes to Anna \\({number}\\)"))
    maria.write("I am sorry for the wait, Anna. I have called the courier myself.")
    reply = anna.message("called the courier myself")
    expect(reply).to_contain_text("— Maria Kowalska, Head of Customer Care")
    maria.pane.get_by_role("button", name="Menu").click()  # a manager's own commands
    expect(maria.pane.get_by_role("menuitem")).to_contain_text(["/reviews", "/done", "/help"])
    maria.pane.get_by_role("button", name="Menu").click()
    maria.press("Done")
    maria.message("your messages no longer go to the customer")
    sandbox.screenshot("manager-reply")

    maria.act_as("Jan Nowak")
    expect(maria.messages).to_have_count(0)
    expect(maria.pane.get_by_text("Escalated cases for Jan Nowak")).to_be_visible()
