"""Working days and working hours stay different things, end to end: an organisation whose
manager answers within "24h" promises twenty-four working hours, one whose manager answers
within "1d" the same time on the next working day, and "1w" is five working days."""

from __future__ import annotations

import pytest

from bot.settings import load_org
from flows.config import OrgConfig
from flows.durations import parse_duration
from sandbox.emulator import BotApiEmulator
from tests.conftest import DEMO_CONFIG
from tests.e2e.chat import Person, StaffMember
from tests.e2e.conftest import MARIA, Running
from tests.e2e.test_intake import file_complaint
from tests.e2e.test_never_alone import Manager

PROMISES = {
    "24h": "Wed 25 Nov, 16:00",  # 8 working hours on Monday, 9 on Tuesday, 7 on Wednesday
    "1d": "Tue 24 Nov, 10:00",  # the same time on the next working day
    "1w": "Mon 30 Nov, 10:00",  # five working days
}


@pytest.fixture(params=sorted(PROMISES))
def reply_within(request: pytest.FixtureRequest) -> str:
    """How long the manager gives herself after Acknowledge, as the organisation wrote it."""
    return str(request.param)


@pytest.fixture
def org(reply_within: str) -> OrgConfig:
    """The demo organisation, with Maria answering within `reply_within`."""
    demo = load_org(DEMO_CONFIG)
    managers = tuple(
        m.model_copy(update={"reply_within": parse_duration(reply_within)})
        if m.key == "maria"
        else m
        for m in demo.managers
    )
    return demo.model_copy(update={"managers": managers})


async def test_a_managers_answer_time_counts_days_and_hours_apart(
    bot: Running,
    anna: Person,
    piotr: StaffMember,
    emu: BotApiEmulator,
    reply_within: str,
) -> None:
    number = await file_complaint(anna)  # Monday 10:00
    await piotr.press(number, "Escalate")
    maria = Manager(emu, MARIA, "Maria")
    await maria.expect("Escalation to you", number)
    await maria.press("Acknowledge")
    told = await anna.expect("Maria Kowalska", "personally responsible")
    assert PROMISES[reply_within] in told.text
