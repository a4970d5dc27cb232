"""Telegram unreachable while an update needs it: the update waits, and spends no attempt."""

from __future__ import annotations

from sandbox.emulator import BotApiEmulator
from tests.e2e.chat import Person, StaffMember
from tests.e2e.conftest import Running
from tests.e2e.test_intake import file_complaint
from tests.faults.waiting import rows


async def test_a_press_waits_out_telegram_being_unreachable(
    bot: Running, emu: BotApiEmulator, anna: Person, piotr: StaffMember
) -> None:
    number = await file_complaint(anna)
    emu.fail_next("getChatMember", status=502, count=2)  # membership cannot be checked yet
    await piotr.press(number, "Take")
    await anna.expect("Piotr (Support) is now handling your case", timeout=20)
    assert rows(bot, "SELECT count(*) FROM inbox WHERE attempts > 0") == [(0,)]
    assert not emu.faults.get("getchatmember")
