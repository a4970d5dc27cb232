"""The sandbox page as a person uses it: panes, chats, buttons, the clock (Playwright locators).

Every helper waits on what the page shows (Playwright's expect), never on time.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect


class Chat:
    """The Telegram chat in one pane, as the person acting there sees it."""

    def __init__(self, page: Page, pane: Locator) -> None:
        self.page = page
        self.pane = pane

    @property
    def messages(self) -> Locator:
        """Every bubble of the open chat (or topic), oldest first."""
        return self.pane.get_by_test_id("message")

    def message(self, text: str | re.Pattern[str]) -> Locator:
        """The newest bubble containing `text`, once it is shown."""
        found = self.messages.filter(has_text=text).last
        expect(found).to_be_visible()
        return found

    def bot_messages(self) -> Locator:
        """Bubbles the viewer received (from the bot or others)."""
        return self.pane.locator(".msg.in")

    @property
    def start_button(self) -> Locator:
        """Telegram's START under a new chat with the bot (its label is in the app's language)."""
        return self.pane.get_by_test_id("start")

    @property
    def message_box(self) -> Locator:
        """Where the person types (its placeholder is in the app's language)."""
        return self.pane.get_by_test_id("message-input")

    def start(self) -> None:
        """Press Telegram's START in a new chat with the bot."""
        self.start_button.click()

    def write(self, text: str) -> None:
        """Type a message and send it with Enter."""
        box = self.message_box
        box.fill(text)
        box.press("Enter")
        expect(self.messages.filter(has_text=text).last).to_be_visible()

    def reply_to(self, message: Locator) -> None:
        """Start a reply to one message (double-click it, as in Telegram Desktop)."""
        message.locator(".bubble").dblclick()
        expect(self.pane.locator(".reply-bar")).to_be_visible()

    def press(self, label: str | re.Pattern[str]) -> None:
        """Press the newest inline button labelled `label`."""
        button = self.pane.locator(".inline-button").filter(has_text=label).last
        expect(button).to_be_visible()
        button.click()

    def reply_keyboard(self, label: str | re.Pattern[str]) -> None:
        """Press a button of the bot's reply keyboard (under the message box)."""
        self.pane.get_by_test_id("reply-keyboard").get_by_role("button", name=label).click()

    def share_contact(self, label: str | re.Pattern[str] = re.compile("phone")) -> None:
        """Press the keyboard's share-my-phone button and agree to share it."""
        self.reply_keyboard(label)
        self.pane.get_by_role("dialog").locator(".dialog-button.primary").click()

    def attach(self, path: Path) -> None:
        """Send a file from disk, as the paperclip does."""
        self.pane.get_by_test_id("attach-input").set_input_files(path)

    @property
    def pinned(self) -> Locator:
        """The pinned-message bar at the top of the chat."""
        return self.pane.get_by_test_id("pinned")

    def toast(self, text: str | re.Pattern[str]) -> Locator:
        """A short notice shown in this pane (a bot's answer to a button, an error)."""
        found = self.pane.locator(".toast").filter(has_text=text)
        expect(found).to_be_visible()
        return found

    def alert(self, text: str | re.Pattern[str]) -> Locator:
        """An alert dialog in this pane (a bot's answer to a button with show_alert)."""
        found = self.pane.get_by_role("dialog").filter(has_text=text)
        expect(found).to_be_visible()
        return found

    def act_as(self, name: str) -> None:
        """Switch to another person of this pane (a tab above the chat)."""
        tab = self.pane.get_by_role("tab", name=name)
        tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")


class CustomerPane(Chat):
    """The customer's private chat with the bot."""

    def file_complaint(
        self,
        category: str = "Delivery",
        description: str = "The parcel was due on Friday and has not come.",
        picture: Path | None = None,
        share_phone: bool = True,
    ) -> str:
        """File a complaint from a fresh chat, the way a customer would; return its number."""
        self.start()
        self.press("File a complaint")
        self.press(category)
        self.write(description)
        if picture is not None:
            self.attach(picture)
            self.message("1 file attached")
        self.press("Continue")
        if share_phone:
            self.share_contact()
        else:
            self.reply_keyboard(re.compile("Telegram only"))
        self.message("Please check your complaint")
        self.press("Confirm")
        receipt = self.message(re.compile(r"registered as HB-[0-9A-Z]{6}"))
        number = re.search(r"HB-[0-9A-Z]{6}", receipt.inner_text())
        assert number is not None
        return number.group(0)

    def language(self, code: str) -> None:
        """Switch the customer's Telegram language."""
        self.pane.get_by_test_id("language-switch").select_option(code)
        self.toast(f"“{code}”")

    def open_add_customer(self) -> Locator:
        """Open the dialog that adds a customer; return it."""
        self.pane.get_by_test_id("add-customer").click()
        dialog = self.pane.get_by_role("dialog")
        expect(dialog).to_be_visible()
        return dialog

    def add_customer(self, first_name: str, last_name: str = "", language: str = "en") -> None:
        """Add a customer from the page, which then shows their chat."""
        dialog = self.open_add_customer()
        dialog.locator("[name=first_name]").fill(first_name)
        dialog.locator("[name=last_name]").fill(last_name)
        dialog.locator("[name=language]").select_option(language)
        dialog.locator(".dialog-button.primary").click()
        name = f"{first_name} {last_name}".strip()
        expect(self.pane.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")


class StaffPane(Chat):
    """A team's staff supergroup: topics on the side, the open topic beside them."""

    @property
    def topics(self) -> Locator:
        """The topic list, General first."""
        return self.pane.get_by_test_id("topic")

    def topic(self, name: str | re.Pattern[str]) -> Locator:
        """The topic whose name contains `name`, once it is listed."""
        found = self.topics.filter(has_text=name)
        expect(found).to_be_visible()
        return found

    def open_topic(self, name: str | re.Pattern[str]) -> None:
        """Open a topic from the list."""
        self.topic(name).click()
        expect(self.pane.locator(".chat-header .title")).to_contain_text(name)

    def team(self, name: str) -> None:
        """Switch to another team's group."""
        self.pane.get_by_label("Team group").select_option(label=name)


class ManagerPane(Chat):
    """A manager's private chat with the bot."""


class Clock:
    """The simulated clock in the top bar."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.time = page.get_by_test_id("clock-time")
        self.day = page.get_by_test_id("clock-day")
        self.jumping = page.get_by_test_id("clock-jumping")

    def jump_button(self, label: str) -> Locator:
        """One of the jump buttons ("+15 min", "+1 h", "+2 h", "+1 day")."""
        return self.page.get_by_role("group", name="Jump ahead").get_by_role("button", name=label)

    def jump(self, label: str) -> None:
        """Jump ahead (waiting, as a person would, until a jump in progress is over)."""
        self.jump_button(label).click()

    def speed(self, label: str) -> None:
        """Run at "×1", "×60" or "×3600"."""
        button = self.page.get_by_role("group", name="Clock speed").get_by_role(
            "button", name=label
        )
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")


class SandboxPage:
    """The whole page: three panes and the clock."""

    def __init__(self, page: Page, screenshots: Path) -> None:
        self.page = page
        self.customer = CustomerPane(page, page.get_by_test_id("customer-pane"))
        self.staff = StaffPane(page, page.get_by_test_id("staff-pane"))
        self.manager = ManagerPane(page, page.get_by_test_id("manager-pane"))
        self.clock = Clock(page)
        self.screenshots = screenshots

    def screenshot(self, name: str) -> Path:
        """Save the page (PNG, and JPEG as for the README) and each pane, for people to look at."""
        path = self.screenshots / f"{name}.png"
        self.page.mouse.move(0, 0)  # no hover effects in the picture
        self.page.screenshot(path=path, animations="disabled")
        self.page.screenshot(
            path=path.with_suffix(".jpg"), type="jpeg", quality=86, animations="disabled"
        )
        for pane in ("customer", "staff", "manager"):
            locator = getattr(self, pane).pane
            if locator.is_visible():
                locator.screenshot(
                    path=self.screenshots / f"{name}-{pane}.png", animations="disabled"
                )
        return path
