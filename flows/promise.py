"""The one promise a case carries to its customer: who owes them what, by when, and why.

Every open case that waits on us has exactly one live promise (none while it waits for the
customer or for their confirmation). Every sentence the customer reads that names an owner or a
time is rendered from it (`params`), and its timer is armed from it whenever the case is saved.

A promise ends in one of three ways:

| ends | when | then |
|---|---|---|
| kept | its debtor (or, for an update, anyone on the case) wrote to the customer | a new promise of the next update |
| renegotiated | a new debtor or time, announced before the old one passed, with the reason | the new promise |
| broken | its time came and it was neither kept nor renegotiated | the customer is told honestly in the same tick who is now responsible and by when, and the case escalates |

A person is named as the one handling the case only once they took it, were assigned it, or (a
manager) acknowledged it. A manager who is paged but has not acknowledged is named only as the
one deciding who answers (`Owes.WHO`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from flows.config import OrgConfig
from flows.messages import Param


class Owes(StrEnum):
    """What the debtor owes the customer."""

    ANSWER = "answer"  # an answer: the first one, or a manager's personal answer
    UPDATE = "update"  # news on the case, after someone wrote
    WHO = "who"  # a paged manager tells who answers (and is not named as the owner)
    DECISION = "decision"  # a manager's decision on an appealed decline


class By(StrEnum):
    """Who owes it."""

    TEAM = "team"  # nobody yet: the next person of a team
    STAFF = "staff"  # a staff member who took or was given the case
    MANAGER = "manager"  # a manager: paged (WHO), acknowledged, or taking over


# Why a promise was made; each is also a line of the case history.
REGISTERED = "registered"
TAKEN = "taken"
ASSIGNED = "assigned"
REPLIED = "replied"
TRANSFERRED = "transferred"
ESCALATED = "escalated"
PAGED_NEXT = "paged-next"
ACKNOWLEDGED = "acknowledged"
REMINDED = "reminded"
CHAIN_ENDED = "chain-ended"
CUSTOMER_WROTE = "customer-wrote"
REOPENED = "reopened"
RENEGOTIATED = "renegotiated"


@dataclass(frozen=True)
class Promise:
    """Who owes the customer what, by when, and why; `told_at` is when they last heard it."""

    owes: Owes
    by: By
    ref: str  # the team key, the staff member's Telegram id, or the manager key
    due: datetime
    reason: str
    made_at: datetime
    told_at: datetime
    team: str = ""  # the team a staff member answers for (their name is signed with it)
    name: str = ""  # a staff member's first name (teams and managers are named by the config)
    warned: bool = False  # the debtor has been warned that the time is running out
    strikes: int = 0  # times a manager missed it: reminded once, then the next in the chain

    @property
    def names_owner(self) -> bool:
        """Whether the customer reads a person's name as the one handling their case."""
        return self.by is not By.TEAM and self.owes is not Owes.WHO

    @property
    def debtor(self) -> str:
        """The debtor as the case log names people: "team:support", "staff:7001", "manager:maria"."""
        return f"{self.by.value}:{self.ref}"

    def told(self, now: datetime) -> Promise:
        """The same promise, repeated to the customer at `now`."""
        return replace(self, told_at=now)

    def renewed(
        self, due: datetime, reason: str, now: datetime, strikes: int = 0, warned: bool = False
    ) -> Promise:
        """The same debtor owing the same, by a new time announced at `now`."""
        return replace(
            self, due=due, reason=reason, made_at=now, told_at=now, warned=warned, strikes=strikes
        )


def for_team(team: str, owes: Owes, due: datetime, reason: str, now: datetime) -> Promise:
    """The next person of `team` owes it."""
    return Promise(owes, By.TEAM, team, due, reason, now, now, team=team)


def for_staff(
    telegram_id: int,
    first_name: str,
    team: str,
    owes: Owes,
    due: datetime,
    reason: str,
    now: datetime,
) -> Promise:
    """A staff member owes it."""
    return Promise(
        owes, By.STAFF, str(telegram_id), due, reason, now, now, team=team, name=first_name
    )


def for_manager(manager: str, owes: Owes, due: datetime, reason: str, now: datetime) -> Promise:
    """A manager owes it (paged: `Owes.WHO`)."""
    return Promise(owes, By.MANAGER, manager, due, reason, now, now)


def label(promise: Promise, config: OrgConfig, language: str) -> str:
    """The debtor as the customer reads them: "Anna (Support)", "Support", "Maria Kowalska"."""
    if promise.by is By.MANAGER:
        return config.manager(promise.ref).name
    team = config.team(promise.team or promise.ref)
    if promise.by is By.TEAM or team.anonymous:
        return team.title_in(language)
    return f"{promise.name} ({team.title_in(language)})"


def params(
    promise: Promise | None,
    config: OrgConfig,
    language: str,
    ahead: int | None = None,
    typical: timedelta | None = None,
) -> dict[str, Param]:
    """The parameters of the `promise-text` sentence, in the reader's language; `ahead` and
    `typical` (the typical first answer of late) only while the case waits for its team."""
    if promise is None:
        return {
            "p_who": None,
            "p_name": None,
            "p_title": None,
            "p_owes": None,
            "p_due": None,
            "p_ahead": None,
            "p_typical": None,
        }
    who = promise.by.value if promise.owes is not Owes.WHO else "paged"
    if promise.by is By.STAFF:
        who = "person"
    title = config.manager(promise.ref).title_in(language) if promise.by is By.MANAGER else ""
    return {
        "p_who": who,
        "p_name": label(promise, config, language),
        "p_title": title,
        "p_owes": promise.owes.value,
        "p_due": promise.due,
        "p_ahead": ahead,
        "p_typical": typical,
    }


def to_json(promise: Promise | None) -> dict[str, Any] | None:
    """A JSON-ready dict for storage."""
    if promise is None:
        return None
    return {
        "owes": promise.owes.value,
        "by": promise.by.value,
        "ref": promise.ref,
        "due": promise.due.isoformat(),
        "reason": promise.reason,
        "made_at": promise.made_at.isoformat(),
        "told_at": promise.told_at.isoformat(),
        "team": promise.team,
        "name": promise.name,
        "warned": promise.warned,
        "strikes": promise.strikes,
    }


def from_json(raw: dict[str, Any] | None) -> Promise | None:
    """Rebuild a promise stored by `to_json`."""
    if not raw:
        return None
    return Promise(
        owes=Owes(raw["owes"]),
        by=By(raw["by"]),
        ref=str(raw["ref"]),
        due=datetime.fromisoformat(raw["due"]),
        reason=str(raw["reason"]),
        made_at=datetime.fromisoformat(raw["made_at"]),
        told_at=datetime.fromisoformat(raw["told_at"]),
        team=str(raw.get("team", "")),
        name=str(raw.get("name", "")),
        warned=bool(raw.get("warned", False)),
        strikes=int(raw.get("strikes", 0)),
    )
