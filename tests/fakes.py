"""In-memory fakes of the storage ports: the same contract as storage/, checked by the same tests.

Like the SQL store, the fake refuses naive datetimes, round-trips JSON data through JSON (so a
value SQL could not store fails here too), hands out copies rather than its own records, and
makes changes visible only on commit. Two units of work over one state do not merge: the last
commit wins, which is enough for tests that run one transaction at a time.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self, TypeVar

from flows import promise
from flows.conversation import Conversation, conversation_from_json, conversation_to_json
from flows.lifecycle import CaseState, is_open
from flows.messages import AnswerButton, Outgoing, about_case, from_json, to_json
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
from flows.ports import CaseChanged, CaseSearch
from storage.inbox import InboxRow
from storage.outbox import OutboxRow
from storage.privacy import involves

R = TypeVar("R")


def _json(value: Any) -> Any:
    """What a JSON column gives back for `value` (raises if it could not be stored)."""
    return json.loads(json.dumps(value))


def _utc(when: datetime) -> datetime:
    if when.utcoffset() is None:
        raise ValueError(f"naive datetime {when!r}: storage takes aware UTC datetimes only")
    return when.astimezone(UTC)


def _stored(record: R) -> R:
    """A copy of `record` as the database would give it back: datetimes in UTC."""
    times = {
        f.name: _utc(value)
        for f in dataclasses.fields(record)  # type: ignore[arg-type]
        if isinstance(value := getattr(record, f.name), datetime)
    }
    return copy.deepcopy(replace(record, **times))  # type: ignore[type-var]


def _copy(record: R) -> R:
    return copy.deepcopy(record)


@dataclass
class FakeOutboxRow:
    """An outbox row as the fake keeps it."""

    id: int
    chat_id: int
    message: Outgoing
    priority: int
    created_at: datetime
    not_before: datetime | None = None
    status: str = "pending"
    attempts: int = 0
    sent_at: datetime | None = None
    telegram_message_id: int | None = None
    error: str | None = None


@dataclass
class FakeInboxRow:
    """An inbox row as the fake keeps it."""

    update_id: int
    payload: dict[str, Any]
    received_at: datetime | None
    status: str = "pending"
    attempts: int = 0
    error: str | None = None
    done_at: datetime | None = None
    next_attempt_at: datetime | None = None


@dataclass
class FakeState:
    """Everything the fake database holds (tests may read it directly)."""

    customers: dict[int, Customer] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    log: list[CaseLogEntry] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    conversations: dict[int, Conversation] = field(default_factory=dict)
    conversations_saved: dict[int, datetime] = field(default_factory=dict)
    outbox: list[FakeOutboxRow] = field(default_factory=list)
    timers: dict[tuple[str, str], Timer] = field(default_factory=dict)
    inbox: dict[int, FakeInboxRow] = field(default_factory=dict)
    relays: list[Relay] = field(default_factory=list)
    staff: dict[int, StaffMember] = field(default_factory=dict)
    prompts: dict[tuple[int, int, int], Prompt] = field(default_factory=dict)
    escalations: dict[int, Escalation] = field(default_factory=dict)
    reviews: dict[int, Review] = field(default_factory=dict)
    marks: list[Mark] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)
    last_id: int = 0

    def new_id(self) -> int:
        """A fresh id (one sequence for every table: ids only need to be unique and rising)."""
        self.last_id += 1
        return self.last_id


class _Repo:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def db(self) -> FakeState:
        if self._uow.working is None:
            raise RuntimeError("use the unit of work inside `async with`")
        return self._uow.working


class FakeCustomers(_Repo):
    """Customers by their Telegram id."""

    async def by_telegram_id(self, telegram_id: int) -> Customer | None:
        """The customer with this Telegram id."""
        found = (c for c in self.db.customers.values() if c.telegram_id == telegram_id)
        return _copy(next(found, None))

    async def by_id(self, customer_id: int) -> Customer | None:
        """The customer with our id."""
        return _copy(self.db.customers.get(customer_id))

    async def add(self, customer: Customer) -> Customer:
        """Insert; return the customer with its new id."""
        stored = _stored(customer)
        if await self.by_telegram_id(customer.telegram_id) is not None:
            raise ValueError(f"a customer with telegram_id {customer.telegram_id} exists")
        stored.id = self.db.new_id()
        self.db.customers[stored.id] = stored
        return _copy(stored)

    async def save(self, customer: Customer) -> None:
        """Write every field of an added customer."""
        if customer.id is None:
            raise ValueError("save() needs a customer that was added (it has no id)")
        stored = _stored(customer)
        if customer.id in self.db.customers:
            self.db.customers[customer.id] = stored


def _stored_case(case: Case) -> Case:
    """The case as SQL gives it back: its promise round-trips through its JSON column."""
    return replace(_stored(case), promise=promise.from_json(_json(promise.to_json(case.promise))))


class FakeCases(_Repo):
    """Cases by their number."""

    async def add(self, case: Case) -> Case:
        """Insert; return the case with its new id."""
        stored = _stored_case(case)
        if case.number in self.db.cases:
            raise ValueError(f"case number {case.number} is taken")
        if case.customer_id not in self.db.customers:
            raise ValueError(f"no customer {case.customer_id} (a foreign key in SQL)")
        stored.id = self.db.new_id()
        self.db.cases[case.number] = stored
        return _copy(stored)

    async def get(self, number: str) -> Case | None:
        """The case with this number."""
        return _copy(self.db.cases.get(number))

    async def erased(self, number: str) -> bool:
        """Whether the case's data was erased (one fake transaction at a time: no waiting)."""
        case = self.db.cases.get(number)
        return case is not None and case.erased_at is not None

    async def save(self, case: Case) -> Case:
        """Write the case unless someone saved it since it was read; return the new version."""
        old = self.db.cases.get(case.number)
        if old is None or old.version != case.version:
            raise CaseChanged(case.number)
        saved = replace(case, version=case.version + 1)
        self.db.cases[case.number] = replace(_stored_case(saved), id=old.id)
        return _copy(saved)

    def _open(self, keep: Callable[[Case], bool]) -> list[Case]:
        found = [_copy(c) for c in self.db.cases.values() if keep(c) and is_open(c.state)]
        return sorted(found, key=lambda c: (c.created_at, c.id or 0))

    async def by_topic(self, chat_id: int, topic_id: int) -> Case | None:
        """The case whose forum topic this is."""
        found = (
            c
            for c in self.db.cases.values()
            if (c.topic_chat_id, c.topic_id) == (chat_id, topic_id)
        )
        return _copy(next(found, None))

    async def opening_topic(self, chat_id: int) -> bool:
        """Whether a case's topic is being opened in this group (Telegram has not answered)."""
        return any(
            c.topic_chat_id == chat_id and c.topic_id is None and c.erased_at is None
            for c in self.db.cases.values()
        )

    async def open_for_team(self, team: str) -> list[Case]:
        """Open cases of a team, oldest first."""
        return self._open(lambda c: c.team == team)

    async def open_for_owner(self, owner_id: int) -> list[Case]:
        """Open cases owned by one person, oldest first."""
        return self._open(lambda c: c.owner_id == owner_id)

    async def waiting_ahead(self, team: str, before: datetime, limit: int) -> int:
        """How many of the team's untaken cases are older than `before`, counted up to `limit`."""
        found = self._open(lambda c: c.team == team and c.owner_id is None)
        return min(limit, sum(1 for c in found if c.created_at < before))

    async def waiting_for_agent(self, team: str, limit: int) -> list[Case]:
        """The team's cases waiting for somebody to take them, oldest first, at most `limit`."""
        waiting = CaseState.WAITING_FOR_AGENT
        found = self._open(lambda c: c.team == team and c.state is waiting and c.owner_id is None)
        return found[:limit]

    async def first_answers(
        self, category: str, since: datetime
    ) -> list[tuple[datetime, datetime]]:
        """When each case of `category` first answered since `since` was opened and answered."""
        _utc(since)
        return [
            (c.created_at, c.first_response_at)
            for c in self.db.cases.values()
            if c.category == category
            and c.first_response_at is not None
            and c.first_response_at >= since
        ]

    async def find(self, team: str, search: CaseSearch, limit: int) -> tuple[list[Case], int]:
        """The team's cases matching every term of `search`, newest first, and how many."""

        def matches(case: Case) -> bool:
            if case.team != team or case.erased_at is not None:
                return False
            if search.number is not None:
                return case.number == search.number
            phone = "".join(ch for ch in case.phone or "" if ch not in "+ -")
            if search.phone is not None and search.phone not in phone:
                return False
            customer = self.db.customers.get(case.customer_id or -1)
            names = [customer.first_name, customer.last_name, customer.username] if customer else []
            said = [e.text for e in self.db.log if e.case_number == case.number]
            where = [case.description, *(n for n in names if n), *said]
            return all(any(w.lower() in t.lower() for t in where) for w in search.words)

        found = [_copy(c) for c in self.db.cases.values() if matches(c)]
        found.sort(key=lambda c: (c.created_at, c.id or 0), reverse=True)
        return found[:limit], len(found)

    async def for_customer(self, customer_id: int) -> list[Case]:
        """A customer's cases, oldest first."""
        found = [_copy(c) for c in self.db.cases.values() if c.customer_id == customer_id]
        return sorted(found, key=lambda c: c.id or 0)

    async def exists(self, number: str) -> bool:
        """Whether a case has this number."""
        return number in self.db.cases

    async def active_since(self, since: datetime) -> list[Case]:
        """Cases open now or touched at or after `since`, oldest first."""
        _utc(since)
        logged = {e.case_number for e in self.db.log if e.at >= since}
        found = [
            _copy(c)
            for c in self.db.cases.values()
            if is_open(c.state)
            or since <= c.created_at
            or since <= c.updated_at
            or c.number in logged
        ]
        return sorted(found, key=lambda c: (c.created_at, c.id or 0))


class FakeCaseLog(_Repo):
    """The append-only history of every case."""

    async def append(self, entry: CaseLogEntry) -> None:
        """Add an entry at the end."""
        stored = _stored(entry)
        self.db.log.append(replace(stored, data=_json(entry.data), id=self.db.new_id()))

    async def for_case(self, number: str) -> list[CaseLogEntry]:
        """A case's history, in the order it was written."""
        return [_copy(e) for e in self.db.log if e.case_number == number]

    async def case_of_message(self, numbers: list[str], message_id: int) -> str | None:
        """Which of these cases holds the customer's own message `message_id`."""
        for entry in self.db.log:
            found = entry.data.get("message_id")
            if entry.actor != "customer" or type(found) is not int:
                continue
            if entry.case_number in numbers and found == message_id:
                return entry.case_number
        return None

    async def of_cases(
        self, numbers: Collection[str], kinds: Collection[str] | None = None
    ) -> list[CaseLogEntry]:
        """The entries of these cases (only of `kinds`, if given), in the order written."""
        wanted = set(numbers)
        return [
            _copy(e)
            for e in self.db.log
            if e.case_number in wanted and (kinds is None or e.kind in kinds)
        ]


class FakeAttachments(_Repo):
    """Files attached to cases."""

    async def add(self, attachment: Attachment) -> None:
        """Attach a file."""
        self.db.attachments.append(replace(_stored(attachment), id=self.db.new_id()))

    async def for_case(self, number: str) -> list[Attachment]:
        """A case's files, in the order they came."""
        return [a for a in self.db.attachments if a.case_number == number]

    async def has_media_group(self, number: str, media_group_id: str) -> bool:
        """Whether a file of this album is already attached to the case."""
        return any(
            a.case_number == number and a.media_group_id == media_group_id
            for a in self.db.attachments
        )


class FakeConversations(_Repo):
    """Conversation state per customer."""

    async def get(self, telegram_id: int) -> Conversation | None:
        """The stored conversation, if any."""
        return self.db.conversations.get(telegram_id)

    async def save(self, conversation: Conversation, now: datetime) -> None:
        """Insert or replace the conversation."""
        stored = _json(conversation_to_json(conversation))
        self.db.conversations[conversation.telegram_id] = conversation_from_json(
            conversation.telegram_id, stored
        )
        self.db.conversations_saved[conversation.telegram_id] = _utc(now)

    async def delete(self, telegram_id: int) -> None:
        """Forget the conversation (nothing happens if there is none)."""
        self.db.conversations.pop(telegram_id, None)


class FakeOutbox(_Repo):
    """Outbox: `add` for the services, the rest for the sender."""

    async def add(self, message: Outgoing, now: datetime) -> None:
        """Queue a message, to go as soon as its chat's earlier messages have gone."""
        now = _utc(now)
        stored = from_json(_json(to_json(message)))
        priority = 0 if isinstance(stored, AnswerButton) else stored.priority
        row = FakeOutboxRow(self.db.new_id(), stored.chat_id, stored, priority, now)
        self.db.outbox.append(row)

    async def add_all(self, messages: Sequence[Outgoing], now: datetime) -> None:
        """Queue messages in this order."""
        for message in messages:
            await self.add(message, now)

    async def case_of_sent(self, chat_id: int, message_id: int) -> str | None:
        """The case a message the bot sent is about (while its row is kept), if any."""
        for row in self.db.outbox:
            if (row.chat_id, row.telegram_message_id) == (chat_id, message_id):
                number = about_case(row.message)
                if number is not None:
                    return number
        return None

    async def pending(self, now: datetime, limit: int) -> list[OutboxRow]:
        """The oldest pending message of each chat, if it may go at `now`; most urgent first."""
        heads: dict[int, FakeOutboxRow] = {}
        for row in self.db.outbox:
            if row.status == "pending":
                heads.setdefault(row.chat_id, row)
        due = sorted(
            (r for r in heads.values() if r.not_before is None or r.not_before <= now),
            key=lambda r: (r.priority, r.id),
        )
        return [
            OutboxRow(r.id, r.chat_id, r.message, r.priority, r.attempts, r.created_at)
            for r in due[:limit]
        ]

    def _row(self, row_id: int) -> FakeOutboxRow | None:
        return next((r for r in self.db.outbox if r.id == row_id), None)

    async def mark_sent(self, row_id: int, now: datetime, telegram_message_id: int | None) -> None:
        """Delivered; the next message of the chat may go."""
        if row := self._row(row_id):
            row.status, row.sent_at, row.telegram_message_id = (
                "sent",
                _utc(now),
                telegram_message_id,
            )

    async def postpone(self, row_id: int, until: datetime, error: str) -> None:
        """Count a failed attempt and try again at `until`."""
        if row := self._row(row_id):
            row.attempts += 1
            row.not_before, row.error = _utc(until), error

    async def mark_failed(self, row_id: int, now: datetime, error: str) -> None:
        """Given up; the next message of the chat may go."""
        if row := self._row(row_id):
            row.status, row.sent_at, row.error = "failed", _utc(now), error

    async def requeue(self, row_id: int, now: datetime) -> None:
        """Send the row's message again after everything now queued for its chat."""
        row = self._row(row_id)
        assert row is not None
        copy_ = FakeOutboxRow(
            self.db.new_id(), row.chat_id, row.message, row.priority, now, attempts=row.attempts + 1
        )
        self.db.outbox.append(copy_)
        await self.mark_failed(row_id, now, "requeued behind its topic")

    async def newest_id(self) -> int:
        """The id of the newest row (0 if none): a mark to wait for what is queued after it."""
        return max((row.id for row in self.db.outbox), default=0)

    async def pending_after(self, row_id: int) -> int:
        """How many rows queued after `row_id` are still to be delivered."""
        return sum(1 for row in self.db.outbox if row.id > row_id and row.status == "pending")

    async def counts(self) -> dict[str, int]:
        """How many messages are pending, sent and failed (statuses with none are left out)."""
        counts: dict[str, int] = {}
        for row in self.db.outbox:
            counts[row.status] = counts.get(row.status, 0) + 1
        return counts

    def messages(self) -> list[Outgoing]:
        """Everything queued in this unit of work's view, in order (for assertions)."""
        return [r.message for r in self.db.outbox]


class FakeTimers(_Repo):
    """Things due at a time; one timer per (kind, key)."""

    async def set(self, timer: Timer) -> None:
        """Create the timer (kind, key), or move it to the new time and payload."""
        old = self.db.timers.get((timer.kind, timer.key))
        timer_id = old.id if old is not None else self.db.new_id()
        self.db.timers[(timer.kind, timer.key)] = replace(
            _stored(timer), payload=_json(timer.payload), id=timer_id
        )

    async def set_all(self, timers: Sequence[Timer]) -> None:
        """Set each timer."""
        for timer in timers:
            await self.set(timer)

    async def cancel(self, kind: str, key: str) -> None:
        """Remove the timer if there is one."""
        self.db.timers.pop((kind, key), None)

    async def get(self, kind: str, key: str) -> Timer | None:
        """The timer (kind, key), if it is set."""
        return _copy(self.db.timers.get((kind, key)))

    async def claim_due(self, now: datetime, limit: int) -> list[Timer]:
        """Due timers, earliest first."""
        due = (t for t in self.db.timers.values() if t.due_at <= now)
        return [_copy(t) for t in sorted(due, key=lambda t: t.due_at)[:limit]]

    async def next_due(self, after: datetime, until: datetime) -> datetime | None:
        """The earliest due time later than `after` and not later than `until`, if any."""
        return min(
            (t.due_at for t in self.db.timers.values() if after < t.due_at <= until), default=None
        )

    async def take(self, timer: Timer) -> Timer | None:
        """Delete a claimed timer to fire it, as it stands now; None if moved or removed since."""
        current = self.db.timers.get((timer.kind, timer.key))
        if current is None or current.id != timer.id or current.due_at != timer.due_at:
            return None
        del self.db.timers[(timer.kind, timer.key)]
        return _copy(current)


class FakeInbox(_Repo):
    """Inbox: raw updates by update_id."""

    async def add_many(self, updates: list[dict[str, Any]], now: datetime | None = None) -> int:
        """Store updates, ignoring ones already stored; return how many were new."""
        received = None if now is None else _utc(now)
        new = 0
        for update in updates:
            update_id = int(update["update_id"])
            if update_id not in self.db.inbox:
                self.db.inbox[update_id] = FakeInboxRow(update_id, _json(update), received)
                new += 1
        return new

    async def pending(self, limit: int, now: datetime | None = None) -> list[InboxRow]:
        """Updates not handled yet whose next attempt is due at `now`, in update_id order."""
        rows = sorted(
            (
                r
                for r in self.db.inbox.values()
                if r.status == "pending"
                and (now is None or r.next_attempt_at is None or r.next_attempt_at <= _utc(now))
            ),
            key=lambda r: r.update_id,
        )
        return [InboxRow(r.update_id, _copy(r.payload), r.attempts) for r in rows[:limit]]

    async def mark_done(self, update_id: int, now: datetime) -> None:
        """Handled: never to be handled again."""
        if row := self.db.inbox.get(update_id):
            row.status, row.done_at, row.payload = "done", _utc(now), {}

    async def mark_attempt_failed(
        self, update_id: int, error: str, dead: bool, retry_at: datetime | None = None
    ) -> None:
        """Count a failed attempt; try again at `retry_at`, or `dead`: set the update aside."""
        if row := self.db.inbox.get(update_id):
            row.attempts += 1
            row.error, row.status = error, "dead" if dead else "pending"
            row.next_attempt_at = None if dead or retry_at is None else _utc(retry_at)

    async def last_update_id(self) -> int | None:
        """The highest update_id ever stored."""
        return max(self.db.inbox, default=None)

    async def purge_done(self, before: datetime) -> int:
        """Delete updates handled before `before`, keeping the newest row for the offset."""
        newest = max(self.db.inbox, default=None)
        old = [
            r.update_id
            for r in self.db.inbox.values()
            if r.status == "done"
            and r.done_at is not None
            and r.done_at < before
            and r.update_id != newest
        ]
        for update_id in old:
            del self.db.inbox[update_id]
        return len(old)


class FakeRelays(_Repo):
    """Which message became which when copied between a customer and a case topic."""

    async def add(self, relay: Relay) -> None:
        """Remember one copy."""
        self.db.relays.append(replace(_stored(relay), id=self.db.new_id()))

    async def by_source(self, chat_id: int, message_id: int) -> Relay | None:
        """The copy made of message `message_id` of chat `chat_id`."""
        found = (
            r for r in self.db.relays if (r.from_chat, r.from_message) == (chat_id, message_id)
        )
        return next(found, None)

    async def by_target(self, chat_id: int, message_id: int) -> Relay | None:
        """What message `message_id` of chat `chat_id` is a copy of."""
        found = (r for r in self.db.relays if (r.to_chat, r.to_message) == (chat_id, message_id))
        return next(found, None)


class FakeStaff(_Repo):
    """People seen working in the staff groups."""

    async def seen(self, member: StaffMember) -> None:
        """Record (or refresh) a staff member; when they were last assigned a case stays."""
        known = self.db.staff.get(member.telegram_id)
        last = known.last_assigned if known else None
        self.db.staff[member.telegram_id] = replace(_stored(member), last_assigned=last)

    async def assigned(self, telegram_id: int, at: datetime) -> None:
        """Remember that round-robin gave this person a case at `at`."""
        _utc(at)
        known = self.db.staff.get(telegram_id)
        if known is not None:
            self.db.staff[telegram_id] = replace(known, last_assigned=at)

    async def in_team(self, team: str) -> list[StaffMember]:
        """A team's staff, most recently seen first."""
        found = [m for m in self.db.staff.values() if m.team == team]
        return sorted(found, key=lambda m: m.last_seen, reverse=True)

    async def get(self, telegram_id: int) -> StaffMember | None:
        """One staff member."""
        return self.db.staff.get(telegram_id)


class FakePrompts(_Repo):
    """Questions the bot asked staff members in topics."""

    async def set(self, prompt: Prompt) -> None:
        """Ask, replacing an earlier question to the same person in the same topic."""
        stored = replace(_stored(prompt), data=_json(prompt.data))
        self.db.prompts[(prompt.chat_id, prompt.thread_id, prompt.staff_id)] = stored

    async def get(self, chat_id: int, thread_id: int, staff_id: int) -> Prompt | None:
        """The open question to this person in this topic."""
        return _copy(self.db.prompts.get((chat_id, thread_id, staff_id)))

    async def delete(self, chat_id: int, thread_id: int, staff_id: int) -> None:
        """Forget the question (answered or abandoned)."""
        self.db.prompts.pop((chat_id, thread_id, staff_id), None)


class FakeEscalations(_Repo):
    """Escalations of cases to managers."""

    async def add(self, escalation: Escalation) -> Escalation:
        """Insert; return the escalation with its new id."""
        stored = replace(_stored(escalation), id=self.db.new_id())
        self.db.escalations[stored.id or 0] = stored
        return stored

    async def get(self, escalation_id: int) -> Escalation | None:
        """One escalation."""
        return self.db.escalations.get(escalation_id)

    async def save(self, escalation: Escalation) -> None:
        """Write every field of an added escalation."""
        if escalation.id in self.db.escalations:
            self.db.escalations[escalation.id] = _stored(escalation)

    async def open_for_case(self, number: str) -> Escalation | None:
        """The case's escalation nobody has acknowledged yet, if any."""
        found = [e for e in await self.for_case(number) if e.acked_at is None]
        return found[-1] if found else None

    async def for_case(self, number: str) -> list[Escalation]:
        """A case's escalations, oldest first."""
        return await self.for_cases([number])

    async def for_cases(self, numbers: Collection[str]) -> list[Escalation]:
        """The escalations of these cases, oldest first."""
        wanted = set(numbers)
        return sorted(
            (_copy(e) for e in self.db.escalations.values() if e.case_number in wanted),
            key=lambda e: e.id or 0,
        )

    async def live_for_manager(self, manager: str, since: datetime) -> list[Escalation]:
        """Escalations paged to `manager` since `since` whose cases are still open, newest
        first, one per case."""
        found: dict[str, Escalation] = {}
        for e in sorted(self.db.escalations.values(), key=lambda e: -(e.id or 0)):
            case = self.db.cases.get(e.case_number)
            live = case is not None and is_open(case.state) and case.erased_at is None
            if e.manager == manager and e.paged_at >= since and live:
                found.setdefault(e.case_number, _copy(e))
        return list(found.values())


class FakeReviews(_Repo):
    """Review items: what should we have done differently?"""

    async def add(self, review: Review) -> Review:
        """Insert; return the review with its new id."""
        stored = replace(_stored(review), id=self.db.new_id())
        self.db.reviews[stored.id or 0] = stored
        return stored

    async def get(self, review_id: int) -> Review | None:
        """One review item."""
        return self.db.reviews.get(review_id)

    async def save(self, review: Review) -> None:
        """Write every field of an added review item."""
        if review.id in self.db.reviews:
            self.db.reviews[review.id] = _stored(review)

    async def open_for_manager(self, manager: str) -> list[Review]:
        """A manager's unanswered review items, oldest first."""
        return sorted(
            (r for r in self.db.reviews.values() if r.manager == manager and r.closed_at is None),
            key=lambda r: r.id or 0,
        )

    async def for_cases(self, numbers: Collection[str]) -> list[Review]:
        """The review items of these cases, oldest first."""
        wanted = set(numbers)
        return sorted(
            (_copy(r) for r in self.db.reviews.values() if r.case_number in wanted),
            key=lambda r: r.id or 0,
        )


class FakeMarks(_Repo):
    """Messages the bot must find again, by what they are about."""

    async def add(self, mark: Mark) -> None:
        """Remember a message."""
        self.db.marks.append(replace(_stored(mark), id=self.db.new_id()))

    async def find(self, kind: str, key: str) -> list[Mark]:
        """The messages remembered for (kind, key), oldest first."""
        return [_copy(m) for m in self.db.marks if (m.kind, m.key) == (kind, key)]

    async def forget(self, kind: str, key: str) -> None:
        """Forget the messages of (kind, key)."""
        self.db.marks[:] = [m for m in self.db.marks if (m.kind, m.key) != (kind, key)]


class FakePrivacy(_Repo):
    """Erasing personal data in bulk, as storage.privacy does it."""

    async def _bot_messages(self, number: str) -> dict[int, list[int]]:
        """Messages the bot sent or copied into staff groups about case `number`, per group."""
        found: dict[int, list[int]] = {}
        for row in self.db.outbox:
            sent = row.chat_id < 0 and row.telegram_message_id is not None
            if sent and about_case(row.message) == number:
                assert row.telegram_message_id is not None
                found.setdefault(row.chat_id, []).append(row.telegram_message_id)
        for relay in self.db.relays:
            if relay.case_number == number and relay.to_chat < 0:
                found.setdefault(relay.to_chat, []).append(relay.to_message)
        return found

    async def erase_case(
        self, number: str, now: datetime, figures: frozenset[str]
    ) -> dict[int, list[int]]:
        """Keep only the anonymous figures of a case; what the bot put in staff groups."""
        sent = await self._bot_messages(number)
        case = self.db.cases.get(number)
        if case is not None:
            self.db.cases[number] = replace(
                case,
                customer_id=None,
                description="",
                phone=None,
                rating_comment=None,
                promise=None,
                topic_chat_id=None,
                topic_id=None,
                card_message_id=None,
                customer_header=False,
                erased_at=_utc(now),
                version=case.version + 1,
            )
        self.db.log[:] = [
            replace(e, text="", data={k: v for k, v in e.data.items() if k in figures})
            if e.case_number == number
            else e
            for e in self.db.log
        ]
        for review_id, review in self.db.reviews.items():
            if review.case_number == number:
                self.db.reviews[review_id] = replace(review, answer=None)
        self.db.attachments[:] = [a for a in self.db.attachments if a.case_number != number]
        self.db.relays[:] = [r for r in self.db.relays if r.case_number != number]
        self.db.outbox[:] = [r for r in self.db.outbox if about_case(r.message) != number]
        for key, prompt in list(self.db.prompts.items()):
            if prompt.case_number == number:
                del self.db.prompts[key]
        return sent

    async def erase_files(self, number: str) -> None:
        """Forget a case's files and their captions."""
        self.db.attachments[:] = [a for a in self.db.attachments if a.case_number != number]
        self.db.log[:] = [
            replace(e, text="") if e.case_number == number and e.kind == "attachment" else e
            for e in self.db.log
        ]

    async def erase_person(self, telegram_id: int) -> None:
        """Forget the conversation, messages to and from, and raw updates of one person."""
        self.db.conversations.pop(telegram_id, None)
        self.db.outbox[:] = [r for r in self.db.outbox if r.chat_id != telegram_id]
        self.db.relays[:] = [
            r for r in self.db.relays if telegram_id not in (r.from_chat, r.to_chat)
        ]
        for row in self.db.inbox.values():
            if row.status == "dead" and involves(row.payload, telegram_id):
                row.payload = {}

    async def delete_customer(self, customer_id: int) -> None:
        """Delete a customer record and their conversation."""
        customer = self.db.customers.pop(customer_id, None)
        if customer is not None:
            self.db.conversations.pop(customer.telegram_id, None)

    def _ended(self, cutoff: datetime) -> list[Case]:
        return sorted(
            (
                c
                for c in self.db.cases.values()
                if c.erased_at is None and c.updated_at < cutoff and not is_open(c.state)
            ),
            key=lambda c: c.updated_at,
        )

    async def ended_before(self, cutoff: datetime, limit: int) -> list[str]:
        """Ended cases, not yet erased, unchanged since before `cutoff` (oldest first)."""
        return [c.number for c in self._ended(cutoff)][:limit]

    async def with_files_ended_before(self, cutoff: datetime, limit: int) -> list[str]:
        """Ended cases that still have files, unchanged since before `cutoff`."""
        with_files = {a.case_number for a in self.db.attachments}
        return [c.number for c in self._ended(cutoff) if c.number in with_files][:limit]

    async def idle_customers(self, created_before: datetime, limit: int) -> list[int]:
        """Customers known since before `created_before`, with no case and no conversation since."""
        busy = {c.customer_id for c in self.db.cases.values()}
        return [
            c.id
            for c in self.db.customers.values()
            if c.id is not None
            and c.created_at < created_before
            and c.id not in busy
            and not self._talking(c.telegram_id, created_before)
        ][:limit]

    def _talking(self, telegram_id: int, since: datetime) -> bool:
        saved = self.db.conversations_saved.get(telegram_id)
        return telegram_id in self.db.conversations and saved is not None and saved >= since

    async def prune(self, before: datetime, limit: int) -> int:
        """Delete handled raw updates and delivered messages older than `before`, but not a
        case's messages in staff groups."""
        handled = await FakeInbox(self._uow).purge_done(before)
        old = [
            r
            for r in self.db.outbox
            if r.status in ("sent", "failed")
            and r.sent_at is not None
            and r.sent_at < before
            and (about_case(r.message) is None or r.chat_id > 0 or r.telegram_message_id is None)
        ][:limit]
        self.db.outbox[:] = [r for r in self.db.outbox if r not in old]
        return handled + len(old)


class FakeAudit(_Repo):
    """The audit log."""

    async def record(self, entry: AuditEntry) -> None:
        """Write one entry."""
        self.db.audit.append(
            replace(_stored(entry), detail=_json(entry.detail), id=self.db.new_id())
        )

    async def latest(self, limit: int) -> list[AuditEntry]:
        """The newest entries, newest first."""
        return [_copy(e) for e in reversed(self.db.audit)][:limit]


class FakeUnitOfWork:
    """A unit of work over a FakeState: changes are staged on a copy and kept only on commit.

    Calling it gives a new unit of work on the same state, so it also serves as the factory.
    """

    def __init__(self, state: FakeState | None = None) -> None:
        self.state = state if state is not None else FakeState()
        self.working: FakeState | None = None
        self.commits = 0
        self.customers = FakeCustomers(self)
        self.cases = FakeCases(self)
        self.log = FakeCaseLog(self)
        self.attachments = FakeAttachments(self)
        self.conversations = FakeConversations(self)
        self.outbox = FakeOutbox(self)
        self.timers = FakeTimers(self)
        self.inbox = FakeInbox(self)
        self.relays = FakeRelays(self)
        self.staff = FakeStaff(self)
        self.prompts = FakePrompts(self)
        self.escalations = FakeEscalations(self)
        self.reviews = FakeReviews(self)
        self.marks = FakeMarks(self)
        self.privacy = FakePrivacy(self)
        self.audit = FakeAudit(self)

    def __call__(self) -> FakeUnitOfWork:
        """A new unit of work on the same state."""
        return FakeUnitOfWork(self.state)

    async def __aenter__(self) -> Self:
        if self.working is not None:
            raise RuntimeError("this unit of work is already open")
        self.working = copy.deepcopy(self.state)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.working = None

    async def commit(self) -> None:
        """Keep every staged change."""
        if self.working is None:
            raise RuntimeError("use the unit of work inside `async with`")
        # Replace the fields in place: tests hold references to `state`.
        for f in dataclasses.fields(FakeState):
            setattr(self.state, f.name, copy.deepcopy(getattr(self.working, f.name)))
        self.commits += 1

    async def rollback(self) -> None:
        """Discard every change since the last commit."""
        if self.working is None:
            raise RuntimeError("use the unit of work inside `async with`")
        self.working = copy.deepcopy(self.state)


class FakeMonotonic:
    """Real seconds (a monotonic source) that pass only when the test says so."""

    def __init__(self) -> None:
        self.value = 500.0

    def __call__(self) -> float:
        return self.value

    def sleep(self, seconds: float) -> None:
        """Let `seconds` pass."""
        self.value += seconds
