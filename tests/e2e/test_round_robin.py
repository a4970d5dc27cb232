"""Round-robin assignment end to end: a new case goes at once to the next active person of the
team with room for it, who is named to the customer; when everyone is full it waits for the team."""

from __future__ import annotations

import pytest

from flows.config import OrgConfig
from sandbox.emulator import BotApiEmulator
from tests.e2e.chat import Person, StaffMember
from tests.e2e.conftest import STAFF_GROUP, Running
from tests.e2e.test_intake import file_complaint


@pytest.fixture
def org(org: OrgConfig) -> OrgConfig:
    """The demo organisation, its Support team assigning round-robin, one open case a person."""
    teams = tuple(
        t.model_copy(update={"assign": "round-robin"}) if t.key == "support" else t
        for t in org.teams
    )
    organisation = org.organisation.model_copy(update={"max_open_per_agent": 1})
    return org.model_copy(update={"teams": teams, "organisation": organisation})


async def test_round_robin_skips_whoever_is_full(
    bot: Running, emu: BotApiEmulator, anna: Person, piotr: StaffMember, ola: StaffMember
) -> None:
    # Both are active: they wrote in the group within the last hour.
    for member in (piotr, ola):
        asked = await member.command("/mine")
        await emu.wait_for_bot_message(
            STAFF_GROUP, f"Open cases of {member.name}", after=asked.message_id
        )

    first = await file_complaint(anna, "First parcel lost.")
    assert "Piotr (Support) is handling your case" in anna.inbox()[-1].text
    await piotr.expect(first, f"{first} is assigned to Piotr (Support)")
    await piotr.card_shows(first, "owner: Piotr (Support)")

    boris = Person(emu, 5011, "Boris")
    second = await file_complaint(boris, "Second parcel lost.")
    assert "Ola (Support) is handling your case" in boris.inbox()[-1].text, "Piotr is full"
    await ola.expect(second, "is assigned to Ola (Support)")

    cyril = Person(emu, 5012, "Cyril")
    third = await file_complaint(cyril, "Third parcel lost.")
    receipt = cyril.inbox()[-1].text
    assert "waiting for the next person of the Support team" in receipt, "everyone is full"
    assert "Piotr" not in receipt and "Ola" not in receipt
    await piotr.card_shows(third, "waiting for an agent")


async def test_a_waiting_case_goes_to_whoever_comes_back(
    bot: Running, emu: BotApiEmulator, anna: Person, piotr: StaffMember, ola: StaffMember
) -> None:
    asked = await piotr.command("/mine")
    await emu.wait_for_bot_message(STAFF_GROUP, "Open cases of Piotr", after=asked.message_id)
    first = await file_complaint(anna, "First parcel lost.")
    boris = Person(emu, 5011, "Boris")
    second = await file_complaint(boris, "Second parcel lost.")
    assert "waiting for the next person" in boris.inbox()[-1].text, "Piotr is full, Ola away"

    await ola.command("/mine")  # Ola comes back to the group
    told = await boris.expect("Ola (Support) is now handling your case", second)
    assert "Piotr" not in told.text
    await ola.expect(second, "is assigned to Ola (Support)")
    await piotr.card_shows(second, "owner: Ola (Support)")
    await piotr.card_shows(first, "owner: Piotr (Support)")
