"""The people of the sandbox: customers, the staff of each team's group, and the managers.

They are made from the organisation's config (teams and managers are the configured ones)
and created in the emulator as Telegram users and chats, the way a real deployment has them:
each team's staff supergroup is a forum in which the bot is an admin that may manage topics,
and the managers have started their private chats, so that the bot may write to them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from flows.config import OrgConfig
from sandbox.emulator import BotApiEmulator

FIRST_CUSTOMER = 5001
FIRST_STAFF = 7001
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
MAX_NAME = 64

_CUSTOMERS = (
    ("Anna", "Kowalczyk", "anna_k", "en"),
    ("Ivan", "Petrov", "ivan_petrov", "ru"),
)
_STAFF = (
    ("Ola", "Wiśniewska"),
    ("Piotr", "Zieliński"),
    ("Kasia", "Lewandowska"),
    ("Tomasz", "Wójcik"),
)


@dataclass
class Person:
    """Someone in the sandbox, with the Telegram profile the emulator gives them."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language: str = "en"
    phone: str | None = None  # what "share my phone" sends
    title: str | None = None  # managers: shown beside the name

    @property
    def name(self) -> str:
        """First and last name."""
        return " ".join(p for p in (self.first_name, self.last_name) if p)


@dataclass
class StaffGroup:
    """A team's staff supergroup and the staff members in it."""

    team: str
    name: str
    chat_id: int
    title: str
    staff: list[Person] = field(default_factory=list)


@dataclass
class World:
    """Everybody in the sandbox; `populate` puts them into the emulator."""

    customers: list[Person]
    groups: list[StaffGroup]
    managers: list[Person]

    @classmethod
    def for_org(cls, org: OrgConfig) -> World:
        """Two customers, two staff members per configured team, the configured managers."""
        customers = [
            Person(FIRST_CUSTOMER + i, first, last, username, language, _phone(FIRST_CUSTOMER + i))
            for i, (first, last, username, language) in enumerate(_CUSTOMERS)
        ]
        groups = []
        for index, team in enumerate(org.teams):
            staff = []
            for seat in range(2):
                n = 2 * index + seat
                first, last = _STAFF[n] if n < len(_STAFF) else (team.title, f"Agent {seat + 1}")
                staff.append(Person(FIRST_STAFF + n, first, last))
            title = f"{org.organisation.name} {team.title}"
            groups.append(StaffGroup(team.key, team.title, team.chat_id, title, staff))
        managers = [
            Person(m.telegram_id, *_split(m.name), title=m.title_in("en"), phone=None)
            for m in org.managers
        ]
        return cls(customers, groups, managers)

    def populate(self, emu: BotApiEmulator) -> None:
        """Create every person and chat in a fresh emulator."""
        for person in [*self.customers, *self.managers]:
            _add(emu, person)
        for group in self.groups:
            for person in group.staff:
                _add(emu, person)
            emu.add_supergroup(
                group.chat_id,
                group.title,
                is_forum=True,
                bot_admin=True,
                can_manage_topics=True,
                admins=[group.staff[0].id, *(m.id for m in self.managers)],
                members=[p.id for p in group.staff[1:]],
            )

    def add_customer(
        self, emu: BotApiEmulator, first_name: str, last_name: str | None, language: str
    ) -> Person:
        """A new customer with a private chat that shows Telegram's START button."""
        first_name, last_name = first_name.strip(), (last_name or "").strip() or None
        if not first_name:
            raise ValueError("Please give the new customer a first name.")
        if len(first_name) > MAX_NAME or len(last_name or "") > MAX_NAME:
            raise ValueError(f"Names can have at most {MAX_NAME} characters.")
        check_language(language)
        user_id = max(p.id for p in self.customers) + 1 if self.customers else FIRST_CUSTOMER
        while user_id in emu.state.users:  # staff and managers keep their ids
            user_id += 1
        person = Person(user_id, first_name, last_name, None, language, _phone(user_id))
        self.customers.append(person)
        _add(emu, person)
        return person

    def set_language(self, emu: BotApiEmulator, user_id: int, language: str) -> None:
        """The person switches Telegram's language."""
        check_language(language)
        person = self.person(user_id)
        if person is None:
            raise LookupError(f"There is nobody with the id {user_id} in the sandbox.")
        person.language = language
        emu.set_language(user_id, language)

    def person(self, user_id: int) -> Person | None:
        """Anybody in the sandbox by Telegram id."""
        everybody = [*self.customers, *self.managers, *(p for g in self.groups for p in g.staff)]
        return next((p for p in everybody if p.id == user_id), None)

    def to_json(self) -> dict[str, Any]:
        """Plain data for saving."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> World:
        """The world `to_json` saved."""
        return cls(
            customers=[Person(**p) for p in data["customers"]],
            groups=[
                StaffGroup(**{**g, "staff": [Person(**p) for p in g["staff"]]})
                for g in data["groups"]
            ],
            managers=[Person(**p) for p in data["managers"]],
        )


def check_language(code: str) -> None:
    """Refuse what is not a language code of the kind Telegram sends."""
    if not LANGUAGE_CODE.match(code):
        raise ValueError(f'"{code}" is not a language code such as en, ru, pl or ta.')


def _add(emu: BotApiEmulator, person: Person) -> None:
    emu.add_user(person.id, person.first_name, person.last_name, person.username, person.language)


def _split(name: str) -> tuple[str, str | None]:
    first, _, last = name.strip().partition(" ")
    return first, last or None


def _phone(user_id: int) -> str:
    """A made-up Polish mobile number, stable per person."""
    digits = f"{(user_id * 7919) % 1_000_000:06d}"
    return f"+48 60{user_id % 10} {digits[:3]} {digits[3:]}"
