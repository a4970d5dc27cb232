"""The ports the services need: repositories and a unit of work, implemented by storage/."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from flows.conversation import Conversation
from flows.messages import Outgoing
from flows.model import (
    Attachment,
    AuditEntry,
    Case,
    CaseLogEntry,
    Customer,
    Escalation,
    Mark,
    Prompt,
    Relay,
    Review,
    StaffMember,
    Timer,
)


@dataclass(frozen=True)
class CaseSearch:
    """What staff look for with /find: a case number, or a phone number and words (all must
    match: the description, the customer's name or anything in the case's history)."""

    number: str | None = None
    phone: str | None = None  # digits only
    words: tuple[str, ...] = ()


class CaseChanged(Exception):
    """Someone else saved the case since it was read; the whole command must run again."""


class TopicPending(Exception):
    """A message in a staff group's topic the bot does not know yet, while it is opening a
    case's topic there: the message may be in that topic, so it waits until the topic is known."""


class Customers(Protocol):
    """Customers by their Telegram id."""

    async def by_telegram_id(self, telegram_id: int) -> Customer | None: ...
    async def by_id(self, customer_id: int) -> Customer | None: ...
    async def add(self, customer: Customer) -> Customer: ...
    async def save(self, customer: Customer) -> None: ...


class Cases(Protocol):
    """Cases by their number."""

    async def add(self, case: Case) -> Case: ...
    async def get(self, number: str) -> Case | None: ...
    async def erased(self, number: str) -> bool:
        """Whether the case's data was erased; the case is kept from changing until this
        transaction ends (it waits for a change under way, and sees its result)."""
        ...

    async def save(self, case: Case) -> Case:
        """Write the case if nobody saved it since it was read (else CaseChanged); new version."""
        ...

    async def for_customer(self, customer_id: int) -> list[Case]: ...
    async def exists(self, number: str) -> bool: ...
    async def by_topic(self, chat_id: int, topic_id: int) -> Case | None: ...
    async def opening_topic(self, chat_id: int) -> bool:
        """Whether a case's topic is being opened in this group (Telegram has not answered)."""
        ...

    async def open_for_team(self, team: str) -> list[Case]:
        """Open cases of a team, oldest first."""
        ...

    async def open_for_owner(self, owner_id: int) -> list[Case]:
        """Open cases owned by one person, oldest first."""
        ...

    async def first_answers(
        self, category: str, since: datetime
    ) -> list[tuple[datetime, datetime]]:
        """When each case of `category` first answered at or after `since` was opened, and
        when it was first answered."""
        ...

    async def find(self, team: str, search: CaseSearch, limit: int) -> tuple[list[Case], int]:
        """The team's cases (not erased) matching every term of `search`, newest first, at
        most `limit` of them, and how many match in all."""
        ...

    async def waiting_ahead(self, team: str, before: datetime, limit: int) -> int:
        """How many of the team's untaken cases are older than `before`, counted up to `limit`."""
        ...

    async def waiting_for_agent(self, team: str, limit: int) -> list[Case]:
        """The team's cases waiting for somebody to take them, oldest first, at most `limit`."""
        ...

    async def active_since(self, since: datetime) -> list[Case]:
        """Cases open now or touched at or after `since` (created, changed or logged), oldest
        first: everything a report of the time since then can be about."""
        ...


class CaseLog(Protocol):
    """The append-only history of every case."""

    async def append(self, entry: CaseLogEntry) -> None: ...
    async def for_case(self, number: str) -> list[CaseLogEntry]: ...
    async def case_of_message(self, numbers: list[str], message_id: int) -> str | None:
        """Which of these cases holds the customer's own message `message_id`."""
        ...

    async def of_cases(
        self, numbers: Collection[str], kinds: Collection[str] | None = None
    ) -> list[CaseLogEntry]:
        """The entries of these cases (only of `kinds`, if given), in the order written."""
        ...


class Attachments(Protocol):
    """Files attached to cases."""

    async def add(self, attachment: Attachment) -> None: ...
    async def for_case(self, number: str) -> list[Attachment]: ...
    async def has_media_group(self, number: str, media_group_id: str) -> bool: ...


class Conversations(Protocol):
    """Conversation state per customer."""

    async def get(self, telegram_id: int) -> Conversation | None: ...
    async def save(self, conversation: Conversation, now: datetime) -> None: ...
    async def delete(self, telegram_id: int) -> None: ...


class Outbox(Protocol):
    """Messages to send, written in the same transaction as the change that caused them."""

    async def add(self, message: Outgoing, now: datetime) -> None: ...
    async def add_all(self, messages: Sequence[Outgoing], now: datetime) -> None: ...
    async def case_of_sent(self, chat_id: int, message_id: int) -> str | None:
        """The case a message the bot sent is about (while its row is kept), if any."""
        ...


class Relays(Protocol):
    """Which message became which when copied between a customer and a case topic."""

    async def add(self, relay: Relay) -> None: ...
    async def by_source(self, chat_id: int, message_id: int) -> Relay | None: ...
    async def by_target(self, chat_id: int, message_id: int) -> Relay | None: ...


class Staff(Protocol):
    """People seen working in the staff groups."""

    async def seen(self, member: StaffMember) -> None:
        """Record (or refresh) a staff member; when they were last assigned a case stays."""
        ...

    async def assigned(self, telegram_id: int, at: datetime) -> None:
        """Remember that round-robin gave this person a case at `at`."""
        ...

    async def in_team(self, team: str) -> list[StaffMember]: ...
    async def get(self, telegram_id: int) -> StaffMember | None: ...


class Prompts(Protocol):
    """Questions the bot asked staff members in topics, one per person and topic."""

    async def set(self, prompt: Prompt) -> None: ...
    async def get(self, chat_id: int, thread_id: int, staff_id: int) -> Prompt | None: ...
    async def delete(self, chat_id: int, thread_id: int, staff_id: int) -> None: ...


class Escalations(Protocol):
    """Escalations of cases to managers."""

    async def add(self, escalation: Escalation) -> Escalation: ...
    async def get(self, escalation_id: int) -> Escalation | None: ...
    async def save(self, escalation: Escalation) -> None: ...
    async def open_for_case(self, number: str) -> Escalation | None:
        """The case's escalation nobody has acknowledged yet, if any."""
        ...

    async def for_case(self, number: str) -> list[Escalation]: ...
    async def for_cases(self, numbers: Collection[str]) -> list[Escalation]:
        """The escalations of these cases, oldest first."""
        ...

    async def live_for_manager(self, manager: str, since: datetime) -> list[Escalation]:
        """Escalations paged to `manager` since `since` whose cases are still open, newest
        first, one per case."""
        ...


class Reviews(Protocol):
    """Review items: what should we have done differently?"""

    async def add(self, review: Review) -> Review: ...
    async def get(self, review_id: int) -> Review | None: ...
    async def save(self, review: Review) -> None: ...
    async def open_for_manager(self, manager: str) -> list[Review]:
        """A manager's unanswered review items, oldest first."""
        ...

    async def for_cases(self, numbers: Collection[str]) -> list[Review]:
        """The review items of these cases, oldest first."""
        ...


class Marks(Protocol):
    """Messages the bot must find again, by what they are about."""

    async def add(self, mark: Mark) -> None: ...
    async def find(self, kind: str, key: str) -> list[Mark]: ...
    async def forget(self, kind: str, key: str) -> None: ...


class Timers(Protocol):
    """Things due at a time; one timer per (kind, key)."""

    async def set(self, timer: Timer) -> None: ...
    async def set_all(self, timers: Sequence[Timer]) -> None: ...
    async def cancel(self, kind: str, key: str) -> None: ...
    async def get(self, kind: str, key: str) -> Timer | None: ...
    async def claim_due(self, now: datetime, limit: int) -> list[Timer]: ...
    async def next_due(self, after: datetime, until: datetime) -> datetime | None:
        """The earliest due time later than `after` and not later than `until`, if any."""
        ...

    async def take(self, timer: Timer) -> Timer | None:
        """Delete a claimed timer to fire it, as it stands now; None if moved or removed since."""
        ...


class Privacy(Protocol):
    """Erasing personal data in bulk, for one case or one person, and finding what is due."""

    async def erase_case(
        self, number: str, now: datetime, figures: frozenset[str]
    ) -> dict[int, list[int]]:
        """Keep only the anonymous figures of a case: no customer, texts, files, relays,
        messages; of its history's data, only the keys in `figures`. Returns the messages the
        bot had sent or copied into staff groups about it (ids per group), to delete there.

        The case is changed first: a delivery recorded meanwhile (which holds the case) either
        comes before and is returned, or after and sees the case erased.
        """
        ...

    async def erase_files(self, number: str) -> None:
        """Forget a case's files: their Telegram file ids and captions."""
        ...

    async def erase_person(self, telegram_id: int) -> None:
        """Forget the conversation, messages to and from, and raw updates of one person."""
        ...

    async def delete_customer(self, customer_id: int) -> None:
        """Delete a customer record and their conversation (their cases no longer point at it)."""
        ...

    async def ended_before(self, cutoff: datetime, limit: int) -> list[str]:
        """Ended cases, not yet erased, unchanged since before `cutoff` (oldest first)."""
        ...

    async def with_files_ended_before(self, cutoff: datetime, limit: int) -> list[str]:
        """Ended cases that still have files, unchanged since before `cutoff`."""
        ...

    async def idle_customers(self, created_before: datetime, limit: int) -> list[int]:
        """Customers (ids) known since before `created_before`, with no case, and no conversation
        since then either."""
        ...

    async def prune(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` handled raw updates and as many delivered messages, older than
        `before`; a case's messages in staff groups stay until the case is erased. Returns how
        many rows went (below `limit`: nothing older is left)."""
        ...


class Audit(Protocol):
    """The audit log of what happened to personal data (never what the data was)."""

    async def record(self, entry: AuditEntry) -> None: ...
    async def latest(self, limit: int) -> list[AuditEntry]:
        """The newest entries, newest first."""
        ...


class UnitOfWork(Protocol):
    """One transaction: rolled back on exit unless committed."""

    @property
    def customers(self) -> Customers: ...
    @property
    def cases(self) -> Cases: ...
    @property
    def log(self) -> CaseLog: ...
    @property
    def attachments(self) -> Attachments: ...
    @property
    def conversations(self) -> Conversations: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def timers(self) -> Timers: ...
    @property
    def relays(self) -> Relays: ...
    @property
    def staff(self) -> Staff: ...
    @property
    def prompts(self) -> Prompts: ...
    @property
    def escalations(self) -> Escalations: ...
    @property
    def reviews(self) -> Reviews: ...
    @property
    def marks(self) -> Marks: ...
    @property
    def privacy(self) -> Privacy: ...
    @property
    def audit(self) -> Audit: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...
