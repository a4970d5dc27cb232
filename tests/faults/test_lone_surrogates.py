"""Half a UTF-16 surrogate pair in an update ("\\ud800" in JSON): the bot reads on.

Python's JSON parser takes such an escape and orjson refuses the whole document, so one of them
in a getUpdates answer once stopped every update behind it; the bench's fuzzed updates found it.
"""

from __future__ import annotations

from sandbox.emulator import BotApiEmulator
from tests.e2e.chat import Person
from tests.e2e.conftest import Running
from tests.e2e.test_intake import file_complaint

LONE = "\ud800"  # never a character of its own: it stands in for U+FFFD once read


async def test_a_description_with_a_lone_surrogate_is_filed_and_others_go_on(
    bot: Running, emu: BotApiEmulator
) -> None:
    anna = Person(emu, 5301, "Anna")
    text, shown = f"The parcel {LONE}arrived broken.", "The parcel \ufffdarrived broken."
    number = await file_complaint(anna, text, shown)
    # Nothing behind it is stuck: the next customer is served as usual.
    boris = Person(emu, 5302, "Boris")
    other = await file_complaint(boris, "My parcel never arrived.")
    assert other != number
    assert dict(bot.app.restarts) == {}, "no worker crashed"


async def test_a_lone_surrogate_in_a_name_does_not_stop_the_bot(
    bot: Running, emu: BotApiEmulator
) -> None:
    chen = Person(emu, 5303, f"Chen{LONE}")
    number = await file_complaint(chen, "The courier left it at the wrong door.")
    assert number
    dora = Person(emu, 5304, "Dora")
    assert await file_complaint(dora, "My parcel never arrived.") != number
