"""The managers' digest end to end, on both runtimes: when the clock passes 08:30 on the next
working day, each manager's private chat gets the chart as a photo (a real PNG, uploaded) with
its legend as the caption, and the digest right below it; /report gives the same on demand."""

from __future__ import annotations

import struct
from datetime import timedelta
from typing import Any

from bot.clock import ManualClock
from sandbox.emulator import BotApiEmulator
from tests.e2e.chat import Person, StaffMember
from tests.e2e.conftest import JAN, MARIA, Running
from tests.e2e.test_intake import file_complaint
from tests.e2e.test_never_alone import move


def png_size(emu: BotApiEmulator, photo: Any) -> tuple[int, int]:
    largest = photo.content["photo"][-1]
    data = emu.state.files[largest["file_id"]].data
    assert data is not None and data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def digest_of(emu: BotApiEmulator, manager: int, after: int = 0) -> tuple[Any, Any]:
    """The photo and the text that follows it, once both have arrived."""

    def arrived() -> tuple[Any, Any] | None:
        mine = [m for m in emu.bot_messages(manager) if m.message_id > after]
        photos = [i for i, m in enumerate(mine) if m.kind == "photo"]
        if not photos or photos[-1] + 1 >= len(mine):
            return None
        return mine[photos[-1]], mine[photos[-1] + 1]

    return await emu.wait_for(arrived, timeout=15, message=f"no digest for {manager}")


async def test_the_digest_arrives_after_the_clock_passes_the_digest_time(
    bot: Running, anna: Person, piotr: StaffMember, emu: BotApiEmulator, clock: ManualClock
) -> None:
    number = await file_complaint(anna)  # Monday 10:00; nobody answers by 12:00
    await piotr.card(number)
    move(bot, clock, timedelta(hours=2))
    await emu.wait_for(
        lambda: any(number in m.text for m in emu.bot_messages(MARIA)), message="no escalation"
    )
    assert not [m for m in emu.bot_messages(MARIA) if m.kind == "photo"]
    move(bot, clock, timedelta(hours=20, minutes=31))  # Tuesday 08:31 in Warsaw

    for manager, name in ((MARIA, "Maria Kowalska"), (JAN, "Jan Nowak")):
        photo, text = await digest_of(emu, manager)
        assert png_size(emu, photo) == (960, 540)
        assert photo.text.startswith(f"📊 {name}: the last 14 days.")
        assert text.text.startswith(
            f"{name}: Mon 23 Nov, 08:30 (Warsaw) to Tue 24 Nov, 08:30 (Warsaw)"
        )
        assert f"• First answer later than promised: one case, {number}" in text.text
        # The promise broken was that first answer: not counted again as another.
        assert "Other promises to the customer broken" not in text.text
        assert "New: 1 · Closed: 0 · Withdrawn by the customer: 0" in text.text
    photo, text = await digest_of(emu, JAN)
    assert "Delivery, Product quality, Payment and refunds" in text.text  # Maria's too

    # Once a day: an hour later nothing more has come.
    before = len(emu.bot_messages(MARIA))
    move(bot, clock, timedelta(hours=1))
    await anna.write("/status")  # something else happens meanwhile
    await anna.expect(number)
    assert len(emu.bot_messages(MARIA)) == before


async def test_report_on_demand_in_the_managers_chat(
    bot: Running, anna: Person, emu: BotApiEmulator
) -> None:
    number = await file_complaint(anna)
    withdrawn = await file_complaint(anna, "The wrong size, but I will keep it.")
    await anna.write(f"/status {withdrawn}")
    await anna.press("Withdraw this complaint")
    await anna.press("Yes, withdraw it")
    await anna.expect(f"Your complaint {withdrawn} is withdrawn")
    last = emu.bot_messages(MARIA)[-1].message_id if emu.bot_messages(MARIA) else 0
    await emu.send_text(MARIA, "/report 7d")
    photo, text = await digest_of(emu, MARIA, after=last)
    assert png_size(emu, photo) == (960, 540)
    # A withdrawn complaint is an outcome of its own: not closed, and nobody waits on it.
    assert "New: 2 · Closed: 0 · Withdrawn by the customer: 1" in text.text
    assert number in text.text and withdrawn not in text.text
    await emu.send_text(MARIA, "/report last week")
    await emu.wait_for(
        lambda: any("Which period?" in m.text for m in emu.bot_messages(MARIA)),
        message="no explanation of /report",
    )
