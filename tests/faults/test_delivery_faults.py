"""Delivery when Telegram misbehaves: an outage, a storm of 429s, a copy it rejects, and the
limits, checked on what the emulator received. Both runtimes, over real HTTP.

The end-to-end fixtures (tests/e2e/conftest.py) run the bot; on SQLite only here, because what
is tested is the sender's behaviour, not the database's (tests/e2e covers both databases).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.limits import SendLimits, Window
from bot.transport import Json, Outcome, RetryLater, Transport
from sandbox.emulator import BotApiEmulator, RateLimits
from sandbox.emulator.windows import busiest
from tests.e2e import conftest as e2e
from tests.e2e.chat import Person, StaffMember, eventually
from tests.e2e.conftest import Running
from tests.e2e.test_intake import file_complaint

OUTAGE = 20.0  # seconds Telegram is away
STORM = 4.0  # seconds of 429s on 30% of calls
# The end-to-end fixtures, shared rather than copied.
emu, bot, clock, runtime, anna, piotr = (
    e2e.emu,
    e2e.bot,
    e2e.clock,
    e2e.runtime,
    e2e.anna,
    e2e.piotr,
)
ANSWERS = (("/start", "Hello"), ("/help", "What I can do"), ("/status", "no cases yet"))


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite: the behaviour under test is the sender's."""
    return f"sqlite+aiosqlite:///{tmp_path / 'hearback.db'}"


def crowd(emu: BotApiEmulator, size: int) -> list[Person]:
    """Customers who have not written yet."""
    return [Person(emu, 8000 + n, f"Customer{n}", "Test") for n in range(size)]


async def write_all(people: list[Person]) -> None:
    """Each writes the three commands, in order."""
    for command, _ in ANSWERS:
        for person in people:
            await person.write(command)


def answers_in_order(person: Person) -> bool:
    """The person has each answer exactly once, in the order they asked."""
    texts = [m.text for m in person.inbox()]
    found = [n for n, (_, answer) in enumerate(ANSWERS) for t in texts if answer in t]
    return found == list(range(len(ANSWERS))) and len(texts) == len(ANSWERS)


async def queued(running: Running, count: int) -> None:
    """Until `count` messages wait in the outbox."""
    await asyncio.wait_for(running.app.running.wait(), 30)  # its tables exist from then on

    async def enough() -> bool:
        async with running.app.db.uow() as uow:
            return (await uow.outbox.counts()).get("pending", 0) >= count

    await eventually(enough, what=f"{count} messages queued")


async def test_an_outage_loses_nothing_and_keeps_each_chats_order(
    bot: Running, emu: BotApiEmulator
) -> None:
    people = crowd(emu, 4)
    # Telegram stops answering the bot's sends: first a gateway error, then dead connections.
    emu.set_outage(True, kind="502", sending_only=True)
    await write_all(people)
    await queued(bot, len(people) * len(ANSWERS))
    await asyncio.sleep(OUTAGE / 2)  # the fault lasting, not a synchronisation
    emu.set_outage(True, kind="drop", sending_only=True)
    await asyncio.sleep(OUTAGE / 2)
    refused = emu.stats.unanswered
    emu.set_outage(False)
    await emu.wait_for(
        lambda: all(answers_in_order(p) for p in people),
        timeout=15,
        message="every answer, once, in order",
    )
    # Probes, one at a time with growing pauses, not the backlog over and over.
    assert 3 <= refused <= 20


@dataclass
class Recording:
    """The bot's transport, noting when each call left and when each 429 came back."""

    inner: Transport
    started: list[float] = field(default_factory=list)
    flood_waits: list[tuple[float, float]] = field(default_factory=list)  # (received, seconds)

    async def call(self, method: str, params: Json) -> Outcome:
        """Call through, noting the times."""
        self.started.append(time.monotonic())
        outcome = await self.inner.call(method, params)
        if isinstance(outcome, RetryLater) and outcome.rate_limited:
            self.flood_waits.append((time.monotonic(), outcome.after))
        return outcome

    def early(self) -> int:
        """Calls that left while a 429's retry_after was still running."""
        return sum(
            1
            for start in self.started
            for received, seconds in self.flood_waits
            if received < start < received + seconds
        )


async def test_a_storm_of_429s_pauses_every_send_and_loses_nothing(
    bot: Running, emu: BotApiEmulator
) -> None:
    recording = Recording(bot.app.sender._transport)
    bot.app.sender._transport = recording  # the port, observed
    people = crowd(emu, 4)
    emu.set_storm(0.3, retry_after=1, seed=7)
    await write_all(people)

    async def stormed() -> bool:
        return len(recording.flood_waits) >= 3

    await eventually(stormed, what="429s", timeout=STORM * 3)
    emu.set_storm(0)
    await emu.wait_for(
        lambda: all(answers_in_order(p) for p in people),
        timeout=20,
        message="every answer, once, in order",
    )
    assert recording.early() == 0, "a call left before Telegram's retry_after ended"


async def test_a_copy_telegram_rejects_leaves_a_note_in_the_topic(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna, "My parcel never arrived.")
    topic = await piotr.topic(number)
    sent = await anna.write("Here is the tracking number.")
    emu.delete_by_user(anna.id, anna.id, sent.message_id)  # before the bot copies it
    await piotr.expect(number, "could not be copied: it was deleted")
    assert not any("tracking number" in m.text for m in piotr.topic_messages(topic))


async def test_a_message_telegram_rejects_is_logged_without_its_words(
    bot: Running, anna: Person, emu: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "Parcel for Zbigniew Brzęczyszczykiewicz"
    await anna.write("/start")
    await anna.expect("Hello")
    await anna.press("File a complaint")
    await anna.expect("Choose a category")
    await anna.press("Delivery")
    await anna.expect("describe the problem")
    await anna.write(secret)
    await anna.expect("Continue")
    await anna.press("Continue")
    await anna.expect("How may we reach you")
    # The summary the bot sends next repeats the description; Telegram refuses it.
    emu.fail_next("sendMessage", status=400, description="Bad Request: can't parse entities")
    await anna.write("💬 Telegram only")

    async def logged() -> bool:
        return any("rejected outbox row" in r.getMessage() for r in caplog.records)

    await eventually(logged, what="the 400 logged")
    for record in caplog.records:
        logged = record.getMessage() + (record.exc_text or "")
        assert "Zbigniew" not in logged and "Parcel for" not in logged, logged


# Telegram's windows scaled down, so that a short test fills them: the bot's are a little
# longer, as in production, because Telegram counts calls when they arrive, the bot when they leave.
CHAT, GROUP, OVERALL = Window(2, 1.0), Window(4, 3.0), Window(6, 1.0)
SMALL = SendLimits(Window(2, 1.1), Window(4, 3.2), Window(6, 1.1), spacing=0.05)


async def test_every_call_that_sends_or_edits_keeps_the_sliding_windows(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator
) -> None:
    bot.app.sender._limiter.limits = SMALL
    emu.set_limits(RateLimits.off())
    number = await file_complaint(anna, "My parcel never arrived.")
    await piotr.press(number, "Take", timeout=30)
    await anna.expect("is now handling your case", number, timeout=30)
    await piotr.write(number, "We found it.")
    await anna.expect("We found it.", timeout=30)
    await anna.write("Thank you!")
    await piotr.expect(number, "Thank you!", timeout=30)
    calls = list(emu.stats.calls)
    methods = {method for _, method, _ in calls}
    assert {
        "sendMessage",
        "copyMessage",
        "editMessageText",
        "pinChatMessage",
        "answerCallbackQuery",
        "createForumTopic",
        "setMessageReaction",
    } <= methods, methods
    times = sorted(when for when, _, _ in calls)
    assert busiest(times, OVERALL.seconds) <= OVERALL.calls
    chats = {chat for _, _, chat in calls if chat is not None}
    for chat in chats:
        stamps = sorted(when for when, _, c in calls if c == chat)
        assert busiest(stamps, CHAT.seconds) <= CHAT.calls, chat
        if chat < 0:
            assert busiest(stamps, GROUP.seconds) <= GROUP.calls, chat
