"""The sandbox's clock jump, lived through: every timer fires at its own due time, in order.

The simulated clock follows a fake monotonic source that never moves, so the time changes only
by jumps and every due time is exact to the second, as are the emulator's message dates.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from sandbox.demo.sandbox import Sandbox
from sandbox.emulator import Message
from tests.conftest import MONDAY_10_WARSAW
from tests.e2e.chat import Person
from tests.e2e.conftest import JAN, MARIA, STAFF_GROUP
from tests.e2e.test_intake import file_complaint
from tests.e2e.test_sandbox import ANNA, TIMEOUT, running
from tests.fakes import FakeMonotonic


def at(**delta: float) -> datetime:
    """Monday 10:00 in Warsaw plus `delta`."""
    return MONDAY_10_WARSAW + timedelta(**delta)


def dated(message: Message) -> datetime:
    """When the emulator says the message was sent."""
    return datetime.fromtimestamp(message.date, UTC)


def from_bot(sandbox: Sandbox, chat_id: int, *fragments: str) -> list[Message]:
    """The bot's messages in a chat that contain every fragment, oldest first."""
    return [
        m
        for m in sandbox.emu.messages(chat_id)
        if m.from_bot and not m.is_service and all(f in m.text for f in fragments)
    ]


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    async with running(tmp_path / "hearback-demo.db", monotonic=FakeMonotonic()) as frozen:
        yield frozen


async def test_a_day_jumped_reads_as_a_day_lived(sandbox: Sandbox) -> None:
    anna = Person(sandbox.emu, ANNA, "Anna", "Kowalczyk")
    number = await file_complaint(anna)  # Monday 10:00: first answer due by 12:00
    receipt = from_bot(sandbox, ANNA, "registered as")[-1]

    await sandbox.jump(timedelta(days=1))

    assert sandbox.clock.now() == at(days=1)
    assert not sandbox.clock.held and sandbox.clock.speed == 1
    warning = from_bot(sandbox, STAFF_GROUP, number, "80% of the time for the first answer")[0]
    assert dated(warning) == at(minutes=96), "80% of two working hours, before the breach"
    [maria] = from_bot(sandbox, MARIA, "Escalation to you", number)
    assert dated(maria) == at(hours=2), "paged when the first answer was due"
    jan = from_bot(sandbox, JAN, "Escalation to you, Jan Nowak", number)[0]
    assert dated(jan) == at(hours=2, minutes=30), "the next in the chain, 30 minutes later"
    told = [m for m in from_bot(sandbox, ANNA) if m.message_id > receipt.message_id]
    # 12:00 the promise breaks; 12:30 Jan is paged; 13:00 the chain ends and the team owes an
    # answer by 15:00: each is one message, at its own time.
    assert [dated(m) for m in told[:3]] == [at(hours=2), at(hours=2.5), at(hours=3)]
    assert "Support" in told[2].text and "Mon 23 Nov, 15:00" in told[2].text
    for chat in (ANNA, STAFF_GROUP, MARIA, JAN):
        dates = [m.date for m in sandbox.emu.messages(chat)]
        assert dates == sorted(dates), f"chat {chat} reads in the order it was written"


async def test_a_second_jump_waits_for_the_first_and_the_speed_still_changes(
    sandbox: Sandbox,
) -> None:
    anna = Person(sandbox.emu, ANNA, "Anna", "Kowalczyk")
    await anna.write("/start")
    await anna.expect("Hello")
    await anna.alert_for(await anna.press("File a complaint"))
    await anna.expect("Choose a category")  # a draft: reminded 30 minutes later
    sandbox.emu.set_outage(True)  # so the reminder cannot go out and the jump waits for it
    async with aiohttp.ClientSession(base_url=sandbox.url) as http:
        started = await _clock(http, {"jump": 3600})
        assert started["held"] and started["jumping_to"] == at(hours=1).timestamp()
        await sandbox.emu.wait_for(
            lambda: sandbox.clock.now() == at(minutes=30), TIMEOUT, "the jump never reached 10:30"
        )
        async with http.post("/api/clock", json={"jump": 3600}) as refused:
            assert refused.status == 409
            problem = (await refused.json())["error"]
        assert "still jumping ahead to Mon 23 Nov, 11:00" in problem
        faster = await _clock(http, {"speed": 60})
        assert faster["speed"] == 60 and faster["held"]
    sandbox.emu.set_outage(False)
    await sandbox.emu.wait_for(
        lambda: sandbox.jumping_to is None, TIMEOUT, "the jump never reached its end"
    )
    [reminder] = from_bot(sandbox, ANNA, "You started a complaint but did not finish it")
    assert dated(reminder) == at(minutes=30)
    assert sandbox.clock.now() == at(hours=1)
    assert sandbox.clock.speed == 60 and not sandbox.clock.held


async def _clock(http: aiohttp.ClientSession, body: dict[str, Any]) -> dict[str, Any]:
    async with http.post("/api/clock", json=body) as response:
        assert response.status == 200, await response.text()
        return dict(await response.json())
