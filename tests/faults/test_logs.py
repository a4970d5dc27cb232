"""Logs never carry what people wrote, their names or phone numbers, nor the token: real traffic
on each runtime, every record scanned, including the failures' own log lines."""

from __future__ import annotations

import logging

import pytest

from bot.clock import ManualClock
from sandbox.emulator import BotApiEmulator
from tests.e2e.chat import Person, StaffMember
from tests.e2e.conftest import Running
from tests.e2e.process import TOKEN
from tests.e2e.test_privacy import file_with_phone
from tests.faults.malformed import inject
from tests.faults.waiting import exhaust

PHONE = "+48601234567"  # as tests.e2e.test_privacy shares it
WORDS = ("Zyxquorp", "parcelwrecked", "Vexlimber", "Blorftangle", "Quintessal")


def secrets_in(record: logging.LogRecord) -> list[str]:
    text = record.getMessage()
    if record.exc_info:
        text += logging.Formatter().formatException(record.exc_info)
    secrets = (*WORDS, PHONE, PHONE[3:], "Smithereen", TOKEN)
    return [secret for secret in secrets if secret.lower() in text.lower()]


async def test_no_log_record_carries_content(
    bot: Running,
    emu: BotApiEmulator,
    piotr: StaffMember,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    zed = Person(emu, 5301, "Zyxquorp", last_name="Smithereen")
    number = await file_with_phone(zed, emu, "My parcelwrecked box, Vexlimber street.")
    await piotr.press(number, "Take")
    await zed.expect("is now handling your case")
    await piotr.write(number, "Blorftangle is the depot we checked.")
    await zed.expect("Blorftangle")
    await zed.write("Quintessal: it still has not come.")
    await piotr.expect(number, "Quintessal")
    # A poison update full of content, and one the framework cannot parse: their failure
    # lines name the update, never what it said.
    chat = {"id": zed.id, "type": "private", "first_name": "Zyxquorp"}
    sender = {"id": zed.id, "is_bot": False, "first_name": "Zyxquorp", "last_name": "Smithereen"}
    poisoned = inject(
        emu,
        {
            "message": {
                "message_id": "Vexlimber",
                "chat": chat,
                "from": sender,
                "text": "Quintessal",
            }
        },
    )
    inject(
        emu,
        {
            "message": {
                "message_id": 77,
                "date": 1,
                "chat": chat,
                "from": sender,
                "text": "Blorftangle forwarded",
                "forward_origin": {"type": "Vexlimber"},
                "contact": {"phone_number": 7},
            }
        },
    )
    await exhaust(bot, clock, poisoned)
    await zed.expect("Sorry")
    assert any(
        r.levelno == logging.ERROR and "dead letter" in r.getMessage() for r in caplog.records
    )
    leaks = {r.getMessage()[:200]: secrets_in(r) for r in caplog.records if secrets_in(r)}
    assert leaks == {}
