"""The SQL unit of work: one connection, one transaction; rolled back on exit unless committed.

A Core connection rather than an ORM session: the repositories use Core statements only, and
the session's bookkeeping around each of them cost more than SQLite took to run them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from datetime import datetime
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.claims import SqlClaims
from storage.inbox import SqlInbox
from storage.outbox import SqlOutbox
from storage.privacy import SqlAudit, SqlPrivacy
from storage.repositories import (
    SqlAttachments,
    SqlCaseLog,
    SqlCases,
    SqlConversations,
    SqlCustomers,
    SqlEscalations,
    SqlMarks,
    SqlPrompts,
    SqlRelays,
    SqlReviews,
    SqlStaff,
)
from storage.timers import SqlTimers

# How many units of work the current task holds open: no network call may happen then (a test
# checks it at the transport), for a call waiting on Telegram would hold the database too.
_OPEN: ContextVar[int] = ContextVar("hearback_open_units_of_work", default=0)


def in_transaction() -> bool:
    """Whether the current task holds a unit of work open."""
    return _OPEN.get() > 0


class Turns:
    """Units of work that take turns: one at a time, plus any nested inside it by its own task.

    SQLite (see storage.engine) serves one unit of work at a time on one connection. Waiting
    for the turn here, rather than for the connection in the pool, lets a unit of work opened
    inside another by the same task (a check that reads beside an open transaction) go ahead on
    a connection of its own instead of waiting for its parent, and so for ever.
    """

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._holder: asyncio.Task[object] | None = None

    async def take(self) -> bool:
        """Wait for the turn; False when the current task holds it already (nested)."""
        task = asyncio.current_task()
        if task is not None and task is self._holder:
            return False
        await self._lock.acquire()
        self._holder = task
        return True

    def give_back(self) -> None:
        """End the turn taken by `take()` returning True."""
        self._holder = None
        self._lock.release()


class SqlUnitOfWork:
    """Implements flows.ports.UnitOfWork, plus the inbox for the transport.

    The repositories exist only inside `async with uow:`, each bound to that one connection.
    """

    customers: SqlCustomers
    cases: SqlCases
    log: SqlCaseLog
    attachments: SqlAttachments
    conversations: SqlConversations
    outbox: SqlOutbox
    timers: SqlTimers
    inbox: SqlInbox
    claims: SqlClaims
    relays: SqlRelays
    staff: SqlStaff
    prompts: SqlPrompts
    escalations: SqlEscalations
    reviews: SqlReviews
    marks: SqlMarks
    privacy: SqlPrivacy
    audit: SqlAudit

    def __init__(
        self,
        engine: AsyncEngine,
        turns: Turns | None = None,
        on_outbox: Sequence[Callable[[], None]] = (),
        on_timers: Sequence[Callable[[datetime], None]] = (),
    ) -> None:
        self._engine = engine
        self._on_outbox = on_outbox
        self._on_timers = on_timers
        self._connection: AsyncConnection | None = None
        self._turns = turns
        self._has_turn = False
        self._counted = False

    async def __aenter__(self) -> Self:
        if self._connection is not None:
            raise RuntimeError("this unit of work is already open")
        if self._turns is not None:
            self._has_turn = await self._turns.take()
        try:
            connection = self._connection = await self._engine.connect()
        except BaseException:
            self._give_back()
            raise
        _OPEN.set(_OPEN.get() + 1)
        self._counted = True
        self.customers = SqlCustomers(connection)
        self.cases = SqlCases(connection)
        self.log = SqlCaseLog(connection)
        self.attachments = SqlAttachments(connection)
        self.conversations = SqlConversations(connection)
        self.outbox = SqlOutbox(connection)
        self.timers = SqlTimers(connection)
        self.inbox = SqlInbox(connection)
        self.claims = SqlClaims(connection)
        self.relays = SqlRelays(connection)
        self.staff = SqlStaff(connection)
        self.prompts = SqlPrompts(connection)
        self.escalations = SqlEscalations(connection)
        self.reviews = SqlReviews(connection)
        self.marks = SqlMarks(connection)
        self.privacy = SqlPrivacy(connection, self.customers.forget)
        self.audit = SqlAudit(connection)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if self._counted:
            self._counted = False
            _OPEN.set(max(0, _OPEN.get() - 1))
        try:
            if connection is not None:
                # close() rolls back whatever was not committed and returns the connection.
                await connection.close()
        finally:
            self._give_back()

    def _give_back(self) -> None:
        if self._has_turn and self._turns is not None:
            self._has_turn = False
            self._turns.give_back()

    def _open(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("use the unit of work inside `async with`")
        return self._connection

    async def commit(self) -> None:
        """Make every change of this unit of work durable, at once."""
        await self._open().commit()
        if self.outbox.added:
            self.outbox.added = 0
            for wake in self._on_outbox:  # the sender, to read the rows this queued
                wake()
        earliest, self.timers.earliest_set = self.timers.earliest_set, None
        if earliest is not None:
            for tell in self._on_timers:  # the scheduler, in case it sleeps past this one
                tell(earliest)

    async def rollback(self) -> None:
        """Discard every change since the last commit."""
        self.customers.forget_all()
        await self._open().rollback()
        self.timers.earliest_set = None
