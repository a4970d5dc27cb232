"""A customer in the emulator, as a test sees them: they write, press buttons and read replies."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sandbox.emulator import BotApiEmulator

TIMEOUT = 10.0


class Person:
    """One Telegram user talking to the bot in their private chat."""

    def __init__(
        self,
        emu: BotApiEmulator,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        language: str = "en",
        username: str | None = None,
    ) -> None:
        self.emu = emu
        self.id = user_id
        self.name = first_name
        if user_id not in emu.state.users:
            emu.add_user(
                user_id, first_name, last_name=last_name, username=username, language_code=language
            )
        self._read = 0

    def inbox(self) -> list[Any]:
        """Every message the bot sent to this person."""
        return [m for m in self.emu.messages(self.id) if m.from_bot and not m.deleted]

    async def write(self, text: str) -> Any:
        """Send a text message (commands included)."""
        return await self.emu.send_text(self.id, text)

    async def expect(self, *fragments: str, timeout: float = TIMEOUT) -> Any:
        """Wait for the next unread bot message containing every fragment; return it."""

        def found() -> Any:
            for index, message in enumerate(self.inbox()[self._read :], start=self._read):
                if all(f in (message.text or "") for f in fragments):
                    return index, message
            return None

        await self.emu.wait_for(
            lambda: found() is not None,
            timeout=timeout,
            message=f"{self.name} never received a message with {fragments!r}",
        )
        hit = found()
        assert hit is not None
        index, message = hit
        self._read = index + 1
        return message

    def last_with_button(self, label: str) -> tuple[Any, str] | None:
        """The newest bot message with a button whose text contains `label`, and its payload."""
        for message in reversed(self.inbox()):
            for text, data in message.buttons():
                if label in text and data:
                    return message, data
        return None

    async def press(self, label: str, timeout: float = TIMEOUT) -> str:
        """Press the newest button labelled `label` (waiting for it); return the callback id."""
        message, data = await self.emu.wait_for(
            lambda: self.last_with_button(label),
            timeout=timeout,
            message=f"no button {label!r} in {self.name}'s chat",
        )
        return str(await self.emu.press_button(self.id, self.id, message.message_id, data))

    async def alert_for(self, callback_id: str, timeout: float = TIMEOUT) -> tuple[str, bool]:
        """Wait for the bot's answer to a button press: (text, shown as alert)."""
        await self.emu.wait_for(
            lambda: callback_id in self.emu.callback_answers,
            timeout=timeout,
            message=f"button press {callback_id} was never answered",
        )
        text, alert = self.emu.callback_answers[callback_id]
        return text or "", bool(alert)


async def eventually(
    check: Callable[[], Awaitable[bool]], timeout: float = TIMEOUT, what: str = "condition"
) -> None:
    """Re-check an async condition (a database query) until it holds or the deadline passes."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout}s")
        await asyncio.sleep(0.02)  # a polling interval inside a deadline, not a synchronisation


class StaffMember:
    """One staff member in a team's forum supergroup, working a case in its topic."""

    def __init__(self, emu: BotApiEmulator, user_id: int, first_name: str, group: int) -> None:
        self.emu = emu
        self.id = user_id
        self.name = first_name
        self.group = group
        if user_id not in emu.state.users:
            emu.add_user(user_id, first_name, language_code="en")
        emu.join(group, user_id)
        self._read: dict[int, int] = {}

    def find_topic(self, number: str) -> int | None:
        """The case's newest open topic in this member's group, if there is one."""
        live = [
            thread_id
            for thread_id, topic in self.emu.topics(self.group).items()
            if topic.name.startswith(number) and not topic.deleted and not topic.closed
        ]
        return max(live, default=None)

    async def topic(self, number: str, timeout: float = TIMEOUT) -> int:
        """Wait for the case's topic; return its thread id."""
        found: int = await self.emu.wait_for(
            lambda: self.find_topic(number),
            timeout=timeout,
            message=f"no topic for {number} in group {self.group}",
        )
        return found

    def topic_messages(self, thread_id: int) -> list[Any]:
        """Live messages of a topic, service messages left out."""
        return [
            m
            for m in self.emu.messages(self.group, thread_id)
            if not m.deleted and not m.is_service
        ]

    async def card(self, number: str, timeout: float = TIMEOUT) -> Any:
        """The case card: the bot's pinned message in the case topic."""
        thread = await self.topic(number, timeout)

        def pinned() -> Any:
            return next(
                (
                    m
                    for m in self.topic_messages(thread)
                    if m.from_bot and m.pinned and number in m.text
                ),
                None,
            )

        return await self.emu.wait_for(pinned, timeout=timeout, message=f"no card for {number}")

    async def card_shows(self, number: str, *fragments: str, timeout: float = TIMEOUT) -> Any:
        """Wait until the card (edited in place) shows every fragment."""

        def shows() -> Any:
            thread = self.find_topic(number)
            if thread is None:
                return None
            for m in self.topic_messages(thread):
                if m.from_bot and m.pinned and all(f in m.text for f in fragments):
                    return m
            return None

        return await self.emu.wait_for(
            shows, timeout=timeout, message=f"the card of {number} never showed {fragments!r}"
        )

    async def press(self, number: str, label: str, timeout: float = TIMEOUT) -> str:
        """Press the newest button labelled `label` in the case topic; return the callback id."""
        thread = await self.topic(number, timeout)

        def button() -> tuple[Any, str] | None:
            for message in reversed(self.topic_messages(thread)):
                for text, data in message.buttons():
                    if label in text and data:
                        return message, data
            return None

        message, data = await self.emu.wait_for(
            button, timeout=timeout, message=f"no button {label!r} in the topic of {number}"
        )
        return str(await self.emu.press_button(self.id, self.group, message.message_id, data))

    async def write(self, number: str, text: str, reply_to: int | None = None) -> Any:
        """Write in the case topic."""
        thread = await self.topic(number)
        return await self.emu.send_text(
            self.id, text, chat_id=self.group, thread_id=thread, reply_to=reply_to
        )

    async def command(self, text: str, thread_id: int | None = None) -> Any:
        """A command in the group (in General unless a topic is given)."""
        return await self.emu.send_text(self.id, text, chat_id=self.group, thread_id=thread_id)

    async def expect(self, number: str, *fragments: str, timeout: float = TIMEOUT) -> Any:
        """Wait for the next unread bot message in the case topic containing every fragment."""
        thread = await self.topic(number, timeout)

        def found() -> Any:
            start = self._read.get(thread, 0)
            messages = self.topic_messages(thread)
            for index, message in enumerate(messages[start:], start=start):
                if message.from_bot and all(f in message.text for f in fragments):
                    return index, message
            return None

        index, message = await self.emu.wait_for(
            found, timeout=timeout, message=f"no {fragments!r} in the topic of {number}"
        )
        self._read[thread] = index + 1
        return message

    async def alert_for(self, callback_id: str, timeout: float = TIMEOUT) -> tuple[str, bool]:
        """The bot's answer to this member's button press: (text, shown as alert)."""
        await self.emu.wait_for(
            lambda: callback_id in self.emu.callback_answers,
            timeout=timeout,
            message=f"button press {callback_id} was never answered",
        )
        text, alert = self.emu.callback_answers[callback_id]
        return text or "", bool(alert)
