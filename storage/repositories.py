"""SQL repositories for the domain ports of flows/ports.py. They never commit: the unit of work does."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, bindparam, delete, exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from flows import promise
from flows.conversation import Conversation, conversation_from_json, conversation_to_json
from flows.lifecycle import FINAL_STATES, CaseState
from flows.model import (
    Attachment,
    Case,
    CaseLogEntry,
    Customer,
    Escalation,
    Mark,
    Prompt,
    Relay,
    Review,
    StaffMember,
)
from flows.ports import CaseChanged, CaseSearch
from storage import sql
from storage.tables import (
    ATTACHMENTS,
    CASE_LOG,
    CASES,
    CONVERSATIONS,
    CUSTOMERS,
    ESCALATIONS,
    MARKS,
    PROMPTS,
    RELAYS,
    REVIEWS,
    STAFF,
)

_FINAL = [state.value for state in FINAL_STATES]
IN_CHUNK = 500  # case numbers per IN (…): far below every driver's limit on parameters


def _chunks(numbers: Collection[str]) -> Iterator[list[str]]:
    ordered = sorted(set(numbers))
    for start in range(0, len(ordered), IN_CHUNK):
        yield ordered[start : start + IN_CHUNK]


def _without_id(record: Any) -> dict[str, Any]:
    return sql.values_of(record, "id")


# Built once; each call passes its values as parameters (see storage.sql). Parameter names
# that are not column names ("b_…") keep WHERE values apart from the SET and VALUES ones.
_CUSTOMER_BY_TELEGRAM_ID = sql.quick(
    select(CUSTOMERS).where(CUSTOMERS.c.telegram_id == bindparam("b_telegram_id"))
)
_CUSTOMER_BY_ID = sql.quick(select(CUSTOMERS).where(CUSTOMERS.c.id == bindparam("b_id")))
_ADD_CUSTOMER = sql.quick(insert(CUSTOMERS).returning(CUSTOMERS.c.id))
_SAVE_CUSTOMER = sql.quick(update(CUSTOMERS).where(CUSTOMERS.c.id == bindparam("b_id")))
_ADD_CASE = sql.quick(insert(CASES).returning(CASES.c.id))
_CASE_BY_NUMBER = sql.quick(select(CASES).where(CASES.c.number == bindparam("b_number")))
# Only what a delivery needs to know, without reading (and decoding) the whole case.
_ERASED_AT = sql.quick(select(CASES.c.erased_at).where(CASES.c.number == bindparam("b_number")))
_SAVE_CASE = sql.quick(
    update(CASES)
    .where(CASES.c.number == bindparam("b_number"), CASES.c.version == bindparam("b_version"))
    .returning(CASES.c.id)
)
_CASES_OF_CUSTOMER = sql.quick(
    select(CASES).where(CASES.c.customer_id == bindparam("b_customer")).order_by(CASES.c.id)
)
_CASE_EXISTS = sql.quick(select(exists().where(CASES.c.number == bindparam("b_number"))))
_ACTIVE_SINCE = (
    select(CASES)
    .where(
        or_(
            CASES.c.state.not_in(_FINAL),
            CASES.c.created_at >= bindparam("b_since"),
            CASES.c.updated_at >= bindparam("b_since"),
            # Not every entry changes the case row (a rating, a review answered later).
            CASES.c.number.in_(
                select(CASE_LOG.c.case_number).where(CASE_LOG.c.at >= bindparam("b_since"))
            ),
        )
    )
    .order_by(CASES.c.created_at, CASES.c.id)
)
# Counting through a LIMITed subquery keeps a long queue from costing a long scan.
_WAITING_AHEAD = select(func.count()).select_from(
    select(CASES.c.id)
    .where(
        CASES.c.team == bindparam("b_team"),
        CASES.c.state.not_in(_FINAL),
        CASES.c.owner_id.is_(None),
        CASES.c.created_at < bindparam("b_before"),
    )
    .limit(bindparam("b_limit"))
    .subquery()
)
_FIRST_ANSWERS = select(CASES.c.created_at, CASES.c.first_response_at).where(
    CASES.c.category == bindparam("b_category"), CASES.c.first_response_at >= bindparam("b_since")
)
_APPEND_LOG = sql.quick(insert(CASE_LOG))
_ADD_ATTACHMENT = sql.quick(insert(ATTACHMENTS))
_ATTACHMENTS_OF_CASE = sql.quick(
    select(ATTACHMENTS)
    .where(ATTACHMENTS.c.case_number == bindparam("b_number"))
    .order_by(ATTACHMENTS.c.id)
)
_CONVERSATION = sql.quick(
    select(CONVERSATIONS.c.state).where(CONVERSATIONS.c.telegram_id == bindparam("b_telegram_id"))
)
_DELETE_CONVERSATION = sql.quick(
    delete(CONVERSATIONS).where(CONVERSATIONS.c.telegram_id == bindparam("b_telegram_id"))
)
_ADD_RELAY = sql.quick(insert(RELAYS))
_PROMPT_KEY = and_(
    PROMPTS.c.chat_id == bindparam("b_chat"),
    PROMPTS.c.thread_id == bindparam("b_thread"),
    PROMPTS.c.staff_id == bindparam("b_staff"),
)
_ADD_PROMPT = sql.quick(insert(PROMPTS))
_GET_PROMPT = sql.quick(select(PROMPTS).where(_PROMPT_KEY))
_DELETE_PROMPT = sql.quick(delete(PROMPTS).where(_PROMPT_KEY))


class SqlCustomers:
    """Customers by their Telegram id.

    A customer read or written in this unit of work is remembered until it ends: one step reads
    its customer in several places (the customer's notice, the card, the staff note), and the
    rows change only through this repository and `SqlPrivacy.delete_customer`, which calls
    `forget`; a rollback forgets everything.
    """

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection
        self._by_id: dict[int, Customer] = {}

    def _known(self, customer: Customer) -> Customer:
        """Remember a copy: what a caller changes on its own is not what the row holds."""
        if customer.id is not None:
            self._by_id[customer.id] = replace(customer)
        return customer

    def forget(self, customer_id: int) -> None:
        """The customer's row changed outside this repository: read it again next time."""
        self._by_id.pop(customer_id, None)

    def forget_all(self) -> None:
        """The transaction was rolled back: what was read or written in it may be undone."""
        self._by_id.clear()

    async def by_telegram_id(self, telegram_id: int) -> Customer | None:
        """The customer with this Telegram id."""
        for known in self._by_id.values():
            if known.telegram_id == telegram_id:
                return replace(known)
        found = await self._s.execute(_CUSTOMER_BY_TELEGRAM_ID, {"b_telegram_id": telegram_id})
        row = found.first()
        return None if row is None else self._known(Customer(**row._asdict()))

    async def by_id(self, customer_id: int) -> Customer | None:
        """The customer with our id."""
        if customer_id in self._by_id:
            return replace(self._by_id[customer_id])
        row = (await self._s.execute(_CUSTOMER_BY_ID, {"b_id": customer_id})).first()
        return None if row is None else self._known(Customer(**row._asdict()))

    async def add(self, customer: Customer) -> Customer:
        """Insert; return the customer with its new id."""
        new_id = (await self._s.execute(_ADD_CUSTOMER, _without_id(customer))).scalar_one()
        return self._known(replace(customer, id=new_id))

    async def save(self, customer: Customer) -> None:
        """Write every field of an added customer."""
        if customer.id is None:
            raise ValueError("save() needs a customer that was added (it has no id)")
        await self._s.execute(_SAVE_CUSTOMER, {"b_id": customer.id, **_without_id(customer)})
        self._known(customer)


def _case(row: Row[Any]) -> Case:
    values = row._asdict()
    values["state"] = CaseState(values["state"])
    values["promise"] = promise.from_json(values["promise"])
    return Case(**values)


def _case_values(case: Case) -> dict[str, Any]:
    values = _without_id(case)
    values["state"] = case.state.value
    values["promise"] = promise.to_json(case.promise)
    return values


class SqlCases:
    """Cases by their number."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection

    async def add(self, case: Case) -> Case:
        """Insert; return the case with its new id."""
        new_id = (await self._s.execute(_ADD_CASE, _case_values(case))).scalar_one()
        return replace(case, id=new_id)

    async def get(self, number: str) -> Case | None:
        """The case with this number."""
        row = (await self._s.execute(_CASE_BY_NUMBER, {"b_number": number})).first()
        return None if row is None else _case(row)

    async def erased(self, number: str) -> bool:
        """Whether the case's data was erased; the case is kept from changing until this
        transaction ends (FOR SHARE on PostgreSQL; SQLite runs one transaction at a time)."""
        query = _ERASED_AT
        if sql.is_postgres(self._s):
            query = query.with_for_update(read=True)
        return (await self._s.execute(query, {"b_number": number})).scalar() is not None

    async def save(self, case: Case) -> Case:
        """Write the case unless someone saved it since it was read; return the new version."""
        saved = replace(case, version=case.version + 1)
        values = {"b_number": case.number, "b_version": case.version, **_case_values(saved)}
        if (await self._s.execute(_SAVE_CASE, values)).first() is None:
            raise CaseChanged(case.number)
        return saved

    async def for_customer(self, customer_id: int) -> list[Case]:
        """A customer's cases, oldest first."""
        found = await self._s.execute(_CASES_OF_CUSTOMER, {"b_customer": customer_id})
        return [_case(row) for row in found]

    async def by_topic(self, chat_id: int, topic_id: int) -> Case | None:
        """The case whose forum topic this is."""
        query = select(CASES).where(CASES.c.topic_chat_id == chat_id, CASES.c.topic_id == topic_id)
        row = (await self._s.execute(query)).first()
        return None if row is None else _case(row)

    async def opening_topic(self, chat_id: int) -> bool:
        """Whether a case's topic is being opened in this group (Telegram has not answered)."""
        query = (
            select(CASES.c.id)
            .where(
                CASES.c.topic_chat_id == chat_id,
                CASES.c.topic_id.is_(None),
                CASES.c.erased_at.is_(None),
            )
            .limit(1)
        )
        return (await self._s.execute(query)).first() is not None

    async def open_for_team(self, team: str) -> list[Case]:
        """Open cases of a team, oldest first."""
        query = (
            select(CASES)
            .where(CASES.c.team == team, CASES.c.state.not_in(_FINAL))
            .order_by(CASES.c.created_at, CASES.c.id)
        )
        return [_case(row) for row in await self._s.execute(query)]

    async def waiting_ahead(self, team: str, before: datetime, limit: int) -> int:
        """How many of the team's untaken cases are older than `before`, counted up to `limit`."""
        values = {"b_team": team, "b_before": before, "b_limit": limit}
        return int(await self._s.scalar(_WAITING_AHEAD, values) or 0)

    async def waiting_for_agent(self, team: str, limit: int) -> list[Case]:
        """The team's cases waiting for somebody to take them, oldest first, at most `limit`."""
        query = (
            select(CASES)
            .where(
                CASES.c.team == team,
                CASES.c.state == CaseState.WAITING_FOR_AGENT.value,
                CASES.c.owner_id.is_(None),
            )
            .order_by(CASES.c.created_at, CASES.c.id)
            .limit(limit)
        )
        return [_case(row) for row in await self._s.execute(query)]

    async def first_answers(
        self, category: str, since: datetime
    ) -> list[tuple[datetime, datetime]]:
        """When each case of `category` first answered since `since` was opened and answered."""
        found = await self._s.execute(_FIRST_ANSWERS, {"b_category": category, "b_since": since})
        return [(row[0], row[1]) for row in found]

    async def find(self, team: str, search: CaseSearch, limit: int) -> tuple[list[Case], int]:
        """The team's cases that match every term of `search`, newest first, and how many."""
        matches = and_(CASES.c.team == team, CASES.c.erased_at.is_(None), *_search_terms(search))
        total = await self._s.scalar(select(func.count()).select_from(CASES).where(matches))
        query = (
            select(CASES)
            .where(matches)
            .order_by(CASES.c.created_at.desc(), CASES.c.id.desc())
            .limit(limit)
        )
        return [_case(row) for row in await self._s.execute(query)], int(total or 0)

    async def open_for_owner(self, owner_id: int) -> list[Case]:
        """Open cases owned by one person, oldest first."""
        query = (
            select(CASES)
            .where(CASES.c.owner_id == owner_id, CASES.c.state.not_in(_FINAL))
            .order_by(CASES.c.created_at, CASES.c.id)
        )
        return [_case(row) for row in await self._s.execute(query)]

    async def exists(self, number: str) -> bool:
        """Whether a case has this number."""
        return bool(await self._s.scalar(_CASE_EXISTS, {"b_number": number}))

    async def active_since(self, since: datetime) -> list[Case]:
        """Cases open now or touched at or after `since`, oldest first."""
        return [_case(row) for row in await self._s.execute(_ACTIVE_SINCE, {"b_since": since})]


def _like(word: str) -> str:
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search_terms(search: CaseSearch) -> list[Any]:
    """One condition per term: a case number, a phone number, or a word found anywhere in the
    case (its description, its customer's name, or its history)."""
    if search.number is not None:
        return [CASES.c.number == search.number]
    terms: list[Any] = []
    if search.phone is not None:
        digits = func.replace(func.replace(func.replace(CASES.c.phone, "+", ""), " ", ""), "-", "")
        terms.append(digits.like(f"%{search.phone}%"))
    for word in search.words:
        pattern = _like(word)
        named = select(CUSTOMERS.c.id).where(
            or_(
                func.lower(CUSTOMERS.c.first_name).like(pattern, escape="\\"),
                func.lower(CUSTOMERS.c.last_name).like(pattern, escape="\\"),
                func.lower(CUSTOMERS.c.username).like(pattern, escape="\\"),
            )
        )
        said = select(CASE_LOG.c.case_number).where(
            func.lower(CASE_LOG.c.text).like(pattern, escape="\\")
        )
        terms.append(
            or_(
                func.lower(CASES.c.description).like(pattern, escape="\\"),
                CASES.c.customer_id.in_(named),
                CASES.c.number.in_(said),
            )
        )
    return terms


def _message_id(data: dict[str, Any]) -> int | None:
    value = data.get("message_id")
    # bool is an int to Python, but never a message id.
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class SqlCaseLog:
    """The append-only history of every case."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection

    async def append(self, entry: CaseLogEntry) -> None:
        """Add an entry at the end."""
        values = _without_id(entry)
        values["message_id"] = _message_id(entry.data)
        await self._s.execute(_APPEND_LOG, values)

    async def for_case(self, number: str) -> list[CaseLogEntry]:
        """A case's history, in the order it was written."""
        columns = [c for c in CASE_LOG.c if c.name != "message_id"]
        query = select(*columns).where(CASE_LOG.c.case_number == number).order_by(CASE_LOG.c.id)
        return [CaseLogEntry(**row._asdict()) for row in await self._s.execute(query)]

    async def case_of_message(self, numbers: list[str], message_id: int) -> str | None:
        """Which of these cases holds the customer's own message `message_id` (of their chat)."""
        if not numbers:
            return None
        query = (
            select(CASE_LOG.c.case_number)
            .where(
                CASE_LOG.c.message_id == message_id,
                CASE_LOG.c.case_number.in_(numbers),
                # Staff messages are logged with their ids in the group: another chat's ids.
                CASE_LOG.c.actor == "customer",
            )
            .order_by(CASE_LOG.c.id)
            .limit(1)
        )
        found = await self._s.scalar(query)
        return None if found is None else str(found)

    async def of_cases(
        self, numbers: Collection[str], kinds: Collection[str] | None = None
    ) -> list[CaseLogEntry]:
        """The entries of these cases (only of `kinds`, if given), in the order written."""
        columns = [c for c in CASE_LOG.c if c.name != "message_id"]
        found: list[CaseLogEntry] = []
        for chunk in _chunks(numbers):
            query = select(*columns).where(CASE_LOG.c.case_number.in_(chunk))
            if kinds is not None:
                query = query.where(CASE_LOG.c.kind.in_(sorted(set(kinds))))
            found += [CaseLogEntry(**row._asdict()) for row in await self._s.execute(query)]
        return sorted(found, key=lambda entry: entry.id or 0)


class SqlAttachments:
    """Files attached to cases."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection

    async def add(self, attachment: Attachment) -> None:
        """Attach a file."""
        await self._s.execute(_ADD_ATTACHMENT, _without_id(attachment))

    async def for_case(self, number: str) -> list[Attachment]:
        """A case's files, in the order they came."""
        found = await self._s.execute(_ATTACHMENTS_OF_CASE, {"b_number": number})
        return [Attachment(**row._asdict()) for row in found]

    async def has_media_group(self, number: str, media_group_id: str) -> bool:
        """Whether a file of this album is already attached to the case."""
        query = exists().where(
            ATTACHMENTS.c.case_number == number, ATTACHMENTS.c.media_group_id == media_group_id
        )
        return bool(await self._s.scalar(select(query)))


class SqlConversations:
    """Conversation state per customer."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection

    async def get(self, telegram_id: int) -> Conversation | None:
        """The stored conversation, if any."""
        state = await self._s.scalar(_CONVERSATION, {"b_telegram_id": telegram_id})
        return None if state is None else conversation_from_json(telegram_id, state)

    async def save(self, conversation: Conversation, now: datetime) -> None:
        """Insert or replace the conversation."""
        # An upsert, so two first messages of one customer racing each other cannot collide.
        statement = sql.upsert(self._s, CONVERSATIONS, ("telegram_id",), ("state", "updated_at"))
        await self._s.execute(
            statement,
            {
                "telegram_id": conversation.telegram_id,
                "state": conversation_to_json(conversation),
                "updated_at": now,
            },
        )

    async def delete(self, telegram_id: int) -> None:
        """Forget the conversation (nothing happens if there is none)."""
        await self._s.execute(_DELETE_CONVERSATION, {"b_telegram_id": telegram_id})


class SqlRelays:
    """Which message became which when copied between a customer and a case topic."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection

    async def add(self, relay: Relay) -> None:
        """Remember one copy."""
        await self._s.execute(_ADD_RELAY, _without_id(relay))

    async def _one(self, *where: Any) -> Relay | None:
        row = (await self._s.execute(select(RELAYS).where(*where).limit(1))).first()
        return None if row is None else Relay(**row._asdict())

    async def by_source(self, chat_id: int, message_id: int) -> Relay | None:
        """The copy made of message `message_id` of chat `chat_id`."""
        return await self._one(RELAYS.c.from_chat == chat_id, RELAYS.c.from_message == message_id)

    async def by_target(self, chat_id: int, message_id: int) -> Relay | None:
        """What message `message_id` of chat `chat_id` is a copy of."""
        return await self._one(RELAYS.c.to_chat == chat_id, RELAYS.c.to_message == message_id)


class SqlStaff:
    """People seen working in the staff groups."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection

    async def seen(self, member: StaffMember) -> None:
        """Record (or refresh) a staff member."""
        columns = ("first_name", "username", "team", "last_seen")
        statement = sql.upsert(self._s, STAFF, ("telegram_id",), columns)
        await self._s.execute(statement, sql.values_of(member))

    async def assigned(self, telegram_id: int, at: datetime) -> None:
        """Remember that round-robin gave this person a case at `at`."""
        await self._s.execute(
            update(STAFF).where(STAFF.c.telegram_id == telegram_id).values(last_assigned=at)
        )

    async def in_team(self, team: str) -> list[StaffMember]:
        """A team's staff, most recently seen first."""
        query = select(STAFF).where(STAFF.c.team == team).order_by(STAFF.c.last_seen.desc())
        return [StaffMember(**row._asdict()) for row in await self._s.execute(query)]

    async def get(self, telegram_id: int) -> StaffMember | None:
        """One staff member."""
        row = (
            await self._s.execute(select(STAFF).where(STAFF.c.telegram_id == telegram_id))
        ).first()
        return None if row is None else StaffMember(**row._asdict())


class SqlPrompts:
    """Questions the bot asked staff members in topics."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection

    async def set(self, prompt: Prompt) -> None:
        """Ask, replacing an earlier question to the same person in the same topic."""
        await self.delete(prompt.chat_id, prompt.thread_id, prompt.staff_id)
        await self._s.execute(_ADD_PROMPT, sql.values_of(prompt))

    def _key(self, chat_id: int, thread_id: int, staff_id: int) -> dict[str, int]:
        return {"b_chat": chat_id, "b_thread": thread_id, "b_staff": staff_id}

    async def get(self, chat_id: int, thread_id: int, staff_id: int) -> Prompt | None:
        """The open question to this person in this topic."""
        row = (await self._s.execute(_GET_PROMPT, self._key(chat_id, thread_id, staff_id))).first()
        return None if row is None else Prompt(**row._asdict())

    async def delete(self, chat_id: int, thread_id: int, staff_id: int) -> None:
        """Forget the question (answered or abandoned)."""
        await self._s.execute(_DELETE_PROMPT, self._key(chat_id, thread_id, staff_id))


class SqlEscalations:
    """Escalations of cases to managers."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection

    async def add(self, escalation: Escalation) -> Escalation:
        """Insert; return the escalation with its new id."""
        statement = insert(ESCALATIONS).values(_without_id(escalation)).returning(ESCALATIONS.c.id)
        return replace(escalation, id=(await self._s.execute(statement)).scalar_one())

    async def get(self, escalation_id: int) -> Escalation | None:
        """One escalation."""
        query = select(ESCALATIONS).where(ESCALATIONS.c.id == escalation_id)
        row = (await self._s.execute(query)).first()
        return None if row is None else Escalation(**row._asdict())

    async def save(self, escalation: Escalation) -> None:
        """Write every field of an added escalation."""
        await self._s.execute(
            update(ESCALATIONS)
            .where(ESCALATIONS.c.id == escalation.id)
            .values(_without_id(escalation))
        )

    async def open_for_case(self, number: str) -> Escalation | None:
        """The case's escalation nobody has acknowledged yet, if any."""
        query = (
            select(ESCALATIONS)
            .where(ESCALATIONS.c.case_number == number, ESCALATIONS.c.acked_at.is_(None))
            .order_by(ESCALATIONS.c.id.desc())
            .limit(1)
        )
        row = (await self._s.execute(query)).first()
        return None if row is None else Escalation(**row._asdict())

    async def for_case(self, number: str) -> list[Escalation]:
        """A case's escalations, oldest first."""
        query = (
            select(ESCALATIONS)
            .where(ESCALATIONS.c.case_number == number)
            .order_by(ESCALATIONS.c.id)
        )
        return [Escalation(**row._asdict()) for row in await self._s.execute(query)]

    async def for_cases(self, numbers: Collection[str]) -> list[Escalation]:
        """The escalations of these cases, oldest first."""
        found: list[Escalation] = []
        for chunk in _chunks(numbers):
            query = select(ESCALATIONS).where(ESCALATIONS.c.case_number.in_(chunk))
            found += [Escalation(**row._asdict()) for row in await self._s.execute(query)]
        return sorted(found, key=lambda escalation: escalation.id or 0)

    async def live_for_manager(self, manager: str, since: datetime) -> list[Escalation]:
        """Escalations paged to `manager` since `since` whose cases are still open, newest
        first, one per case."""
        query = (
            select(ESCALATIONS)
            .join(CASES, CASES.c.number == ESCALATIONS.c.case_number)
            .where(
                ESCALATIONS.c.manager == manager,
                ESCALATIONS.c.paged_at >= since,
                CASES.c.state.not_in(_FINAL),
                CASES.c.erased_at.is_(None),
            )
            .order_by(ESCALATIONS.c.id.desc())
        )
        found: dict[str, Escalation] = {}
        for row in await self._s.execute(query):
            found.setdefault(row.case_number, Escalation(**row._asdict()))
        return list(found.values())


class SqlReviews:
    """Review items: what should we have done differently?"""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection

    async def add(self, review: Review) -> Review:
        """Insert; return the review with its new id."""
        statement = insert(REVIEWS).values(_without_id(review)).returning(REVIEWS.c.id)
        return replace(review, id=(await self._s.execute(statement)).scalar_one())

    async def get(self, review_id: int) -> Review | None:
        """One review item."""
        row = (await self._s.execute(select(REVIEWS).where(REVIEWS.c.id == review_id))).first()
        return None if row is None else Review(**row._asdict())

    async def save(self, review: Review) -> None:
        """Write every field of an added review item."""
        await self._s.execute(
            update(REVIEWS).where(REVIEWS.c.id == review.id).values(_without_id(review))
        )

    async def open_for_manager(self, manager: str) -> list[Review]:
        """A manager's unanswered review items, oldest first."""
        query = (
            select(REVIEWS)
            .where(REVIEWS.c.manager == manager, REVIEWS.c.closed_at.is_(None))
            .order_by(REVIEWS.c.id)
        )
        return [Review(**row._asdict()) for row in await self._s.execute(query)]

    async def for_cases(self, numbers: Collection[str]) -> list[Review]:
        """The review items of these cases, oldest first."""
        found: list[Review] = []
        for chunk in _chunks(numbers):
            query = select(REVIEWS).where(REVIEWS.c.case_number.in_(chunk))
            found += [Review(**row._asdict()) for row in await self._s.execute(query)]
        return sorted(found, key=lambda review: review.id or 0)


_ADD_MARK = sql.quick(insert(MARKS))
_MARK_KEY = and_(MARKS.c.kind == bindparam("b_kind"), MARKS.c.key == bindparam("b_key"))
_FIND_MARKS = sql.quick(select(MARKS).where(_MARK_KEY).order_by(MARKS.c.id))
_FORGET_MARKS = sql.quick(delete(MARKS).where(_MARK_KEY))


class SqlMarks:
    """Messages the bot must find again, by what they are about."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection

    async def add(self, mark: Mark) -> None:
        """Remember a message."""
        await self._s.execute(_ADD_MARK, _without_id(mark))

    async def find(self, kind: str, key: str) -> list[Mark]:
        """The messages remembered for (kind, key), oldest first."""
        found = await self._s.execute(_FIND_MARKS, {"b_kind": kind, "b_key": key})
        return [Mark(**row._asdict()) for row in found]

    async def forget(self, kind: str, key: str) -> None:
        """Forget the messages of (kind, key)."""
        await self._s.execute(_FORGET_MARKS, {"b_kind": kind, "b_key": key})
