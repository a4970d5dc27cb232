"""The sandbox's people, made from the organisation's config."""

from __future__ import annotations

import json

import pytest

from flows.config import OrgConfig
from sandbox.demo.world import FIRST_STAFF, World
from sandbox.emulator import BotApiEmulator


def test_two_customers_two_staff_per_team_and_the_configured_managers(org: OrgConfig) -> None:
    world = World.for_org(org)
    assert [p.name for p in world.customers] == ["Anna Kowalczyk", "Ivan Petrov"]
    assert [(g.team, g.title, len(g.staff)) for g in world.groups] == [
        ("support", "Acme Support", 2),
        ("billing", "Acme Billing", 2),
    ]
    assert [(m.id, m.name, m.title) for m in world.managers] == [
        (111111, "Maria Kowalska", "Head of Customer Care"),
        (222222, "Jan Nowak", "Operations Director"),
    ]
    assert all(p.phone and p.phone.startswith("+48 ") for p in world.customers)


def test_a_new_customer_never_takes_the_id_of_somebody_else(org: OrgConfig) -> None:
    world = World.for_org(org)
    emu = BotApiEmulator()
    world.populate(emu)
    world.customers[-1].id = FIRST_STAFF - 1  # as if many customers had been added
    added = world.add_customer(emu, "  Zofia ", "", "pl")
    assert added.id == FIRST_STAFF + 4  # after the four staff members
    assert (added.first_name, added.last_name, added.language) == ("Zofia", None, "pl")
    assert emu.user(FIRST_STAFF).first_name == "Ola"


@pytest.mark.parametrize(
    ("first_name", "language", "problem"),
    [("", "en", "first name"), ("Zofia", "polish!", "language code"), ("x" * 65, "en", "64")],
)
def test_a_customer_needs_a_name_and_a_language_code(
    org: OrgConfig, first_name: str, language: str, problem: str
) -> None:
    world = World.for_org(org)
    with pytest.raises(ValueError, match=problem):
        world.add_customer(BotApiEmulator(), first_name, None, language)
    assert len(world.customers) == 2


def test_the_world_survives_saving(org: OrgConfig) -> None:
    world = World.for_org(org)
    world.add_customer(BotApiEmulator(), "Zofia", "Nowak", "pl")
    assert World.from_json(json.loads(json.dumps(world.to_json()))) == world
