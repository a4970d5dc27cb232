"""The SQL unit of work: one session, one transaction; rolled back on exit unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.inbox import SqlInbox
from storage.outbox import SqlOutbox
from storage.repositories import (
    SqlAttachments,
    SqlCaseLog,
    SqlCases,
    SqlConversations,
    SqlCustomers,
    SqlEscalations,
    SqlPrompts,
    SqlRelays,
    SqlReviews,
    SqlStaff,
)
from storage.timers import SqlTimers


class SqlUnitOfWork:
    """Implements flows.ports.UnitOfWork, plus the inbox for the transport.

    The repositories exist only inside `async with uow:`, each bound to that one session.
    """

    customers: SqlCustomers
    cases: SqlCases
    log: SqlCaseLog
    attachments: SqlAttachments
    conversations: SqlConversations
    outbox: SqlOutbox
    timers: SqlTimers
    inbox: SqlInbox
    relays: SqlRelays
    staff: SqlStaff
    prompts: SqlPrompts
    escalations: SqlEscalations
    reviews: SqlReviews

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already open")
        session = self._session = self._session_factory()
        self.customers = SqlCustomers(session)
        self.cases = SqlCases(session)
        self.log = SqlCaseLog(session)
        self.attachments = SqlAttachments(session)
        self.conversations = SqlConversations(session)
        self.outbox = SqlOutbox(session)
        self.timers = SqlTimers(session)
        self.inbox = SqlInbox(session)
        self.relays = SqlRelays(session)
        self.staff = SqlStaff(session)
        self.prompts = SqlPrompts(session)
        self.escalations = SqlEscalations(session)
        self.reviews = SqlReviews(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self._session, None
        if session is not None:
            # close() rolls back whatever was not committed and returns the connection.
            await session.close()

    def _open(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("use the unit of work inside `async with`")
        return self._session

    async def commit(self) -> None:
        """Make every change of this unit of work durable, at once."""
        await self._open().commit()

    async def rollback(self) -> None:
        """Discard every change since the last commit."""
        await self._open().rollback()
