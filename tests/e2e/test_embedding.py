"""hearback inside a team's own bot: the runnable examples in examples/, as child processes
polling the emulator over HTTP, one per runtime.

The host's own /start and /help stay the host's; a complaint starts on the host's own button or
command and runs to a registered case with its staff topic; an update hearback has claimed
survives a crash and is handled exactly once after the restart.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.runtime import RUNTIMES
from sandbox.emulator import BotApiEmulator
from tests.e2e.chat import Person, StaffMember, eventually
from tests.e2e.process import BotProcess
from tests.e2e.test_intake import complete_intake

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HOSTS = {"aiogram": "aiogram_host.py", "ptb": "ptb_host.py"}


@pytest.fixture(params=RUNTIMES)
def host(
    emu: BotApiEmulator, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[BotProcess]:
    """The host bot of `examples/` for the runtime, not started yet."""
    command = [sys.executable, str(EXAMPLES / HOSTS[request.param])]
    running = BotProcess(emu, tmp_path / "host.db", command)
    yield running
    running.kill()


async def test_the_hosts_commands_stay_theirs_and_its_button_files_a_complaint(
    host: BotProcess, anna: Person, piotr: StaffMember
) -> None:
    host.start()
    await anna.write("/start")
    await anna.expect("Welcome to Acme Shop", timeout=30)
    await anna.write("/help")
    await anna.expect("Acme Shop bot", "/complaint")
    await anna.press("Complain")
    number = await complete_intake(anna, "The parcel never arrived.")
    card = await piotr.card(number)
    assert "The parcel never arrived." in card.text
    assert not [m for m in anna.inbox() if "Hello, Anna" in m.text], "hearback's own /start"
    assert host.stop() == 0


async def test_a_claimed_update_survives_a_crash_and_is_handled_once(
    host: BotProcess, anna: Person
) -> None:
    host.start(crash_at="inbox-claimed")
    await anna.write("/complaint")
    await eventually(host.died, timeout=30, what="the crash right after the claim")
    assert host.query("SELECT update_id, status FROM inbox") == [(1, "pending")]
    assert anna.inbox() == []
    host.kill()
    host.start()
    await anna.expect("Choose a category", timeout=30)
    await anna.write("/help")
    await anna.expect("Acme Shop bot")
    assert len([m for m in anna.inbox() if "Choose a category" in m.text]) == 1
    # The host's own /help was never hearback's to store.
    assert host.query("SELECT update_id, status FROM inbox") == [(1, "done")]
