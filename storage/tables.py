"""The tables, declared as SQLModel classes; the schema itself is built by the Alembic migrations.

Repositories query the Core tables (`CUSTOMERS`, `CASES`, ...) rather than the classes, so no
ORM identity map can hand back a stale row after an UPDATE or an upsert in the same transaction.
Column names equal the domain dataclass fields, so a row maps with `Customer(**row._asdict())`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime

# Named constraints: SQLite can only drop or alter a constraint in a later migration if it
# has a name, and the names then agree between SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)


class Base(SQLModel, registry=registry(metadata=metadata)):
    """Base of hearback's tables, on their own metadata."""


def _when(nullable: bool = False, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UtcDateTime(), nullable=nullable, index=index))


def _json() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def _bigint(nullable: bool = True, index: bool = False) -> Any:
    # Telegram ids exceed 32 bits (group chats are -100…), and so may message ids one day.
    return Field(default=None, sa_column=Column(BigInteger, nullable=nullable, index=index))


class CustomerRecord(Base, table=True):
    """A customer."""

    __tablename__ = "customers"
    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False))
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language: str
    unreachable: bool = False
    created_at: datetime = _when()
    exported_at: datetime | None = _when(nullable=True)  # their last copy of their data


class CaseRecord(Base, table=True):
    """A case."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_topic", "topic_chat_id", "topic_id"),
        Index("ix_cases_team_state", "team", "state"),
        Index("ix_cases_owner_id", "owner_id"),
        # Serves a team's queue (untaken cases, oldest first) however many are taken.
        Index("ix_cases_team_owner_id_created_at", "team", "owner_id", "created_at"),
        # Serves the retention run: ended cases not yet erased, oldest change first.
        Index("ix_cases_erased_at_updated_at", "erased_at", "updated_at"),
        # Serves the typical first answer of a category over the last week (flows/casework.py).
        Index("ix_cases_category_first_response_at", "category", "first_response_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True, max_length=16)
    # NULL once the case's personal data is erased: the case is anonymous figures only.
    customer_id: int | None = Field(default=None, foreign_key="customers.id", index=True)
    category: str
    team: str
    manager: str
    description: str = Field(sa_column=Column(Text, nullable=False))
    contact: str
    phone: str | None = None
    state: str = Field(index=True)
    owner_id: int | None = _bigint()
    owner_name: str | None = None
    created_at: datetime = _when()
    updated_at: datetime = _when()
    first_response_due: datetime = _when()
    resolve_due: datetime = _when()
    # The case's one live promise to the customer (flows/promise.py), NULL when none is owed.
    promise: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    topic_chat_id: int | None = _bigint()
    topic_id: int | None = _bigint()
    card_message_id: int | None = _bigint()
    customer_header: bool = False
    transfers: int = 0
    reopened: int = 0
    rating: int | None = None
    rating_comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    first_response_at: datetime | None = _when(nullable=True)
    manager_requested_at: datetime | None = _when(nullable=True)
    erased_at: datetime | None = _when(nullable=True)
    version: int = 0


class CaseLogRecord(Base, table=True):
    """One entry of a case's audit trail."""

    __tablename__ = "case_log"
    id: int | None = Field(default=None, primary_key=True)
    case_number: str = Field(index=True, max_length=16)
    at: datetime = _when(index=True)  # reports read what changed since a moment
    kind: str
    actor: str
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    # Copied out of `data` so that "which case does this reply belong to" is an index lookup.
    message_id: int | None = _bigint(index=True)
    data: dict[str, Any] = _json()


class AttachmentRecord(Base, table=True):
    """A file attached to a case."""

    __tablename__ = "attachments"
    id: int | None = Field(default=None, primary_key=True)
    case_number: str = Field(index=True, max_length=16)
    kind: str
    file_id: str
    file_unique_id: str
    caption: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    message_id: int | None = _bigint()
    media_group_id: str | None = None
    created_at: datetime = _when()


class ConversationRecord(Base, table=True):
    """A customer's conversation state (intake draft, held messages)."""

    __tablename__ = "conversations"
    telegram_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    state: dict[str, Any] = _json()
    updated_at: datetime = _when()


class InboxRecord(Base, table=True):
    """A raw Telegram update, stored before its offset is confirmed to Telegram."""

    __tablename__ = "inbox"
    __table_args__ = (CheckConstraint("status IN ('pending', 'done', 'dead')", name="status"),)
    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    payload: dict[str, Any] = _json()
    received_at: datetime = _when()
    status: str = Field(default="pending", index=True)
    attempts: int = 0
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    done_at: datetime | None = _when(nullable=True)
    next_attempt_at: datetime | None = _when(nullable=True)  # a failed update waits until then
    # Several instances: the chat keeps its updates in order; a claim is an instance and a lease.
    chat_id: int | None = _bigint()
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = _when(nullable=True)


class OutboxRecord(Base, table=True):
    """A message to send, written in the transaction of the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        # Serves "the oldest pending row of each chat" from the index alone.
        Index("ix_outbox_status_chat_id_id", "status", "chat_id", "id"),
        CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
        # Never reuse an id: per-chat order is id order.
        {"sqlite_autoincrement": True},
    )
    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = _bigint(nullable=False, index=True)
    payload: dict[str, Any] = _json()
    priority: int = 0
    status: str = "pending"
    attempts: int = 0
    # NULL: may go at once. Set only by postpone(), in the sender's wall-clock time.
    not_before: datetime | None = _when(nullable=True)
    created_at: datetime = _when()
    sent_at: datetime | None = _when(nullable=True)  # when delivery ended: sent or given up
    telegram_message_id: int | None = _bigint()
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # The case the message is about, so that erasing the case finds (and deletes) it.
    case_number: str | None = Field(default=None, max_length=16, index=True)


class RelayRecord(Base, table=True):
    """A message copied between a customer's chat and a case topic."""

    __tablename__ = "relays"
    __table_args__ = (
        Index("ix_relays_from", "from_chat", "from_message"),
        Index("ix_relays_to", "to_chat", "to_message"),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_number: str = Field(max_length=16)
    from_chat: int = _bigint(nullable=False)
    from_message: int = _bigint(nullable=False)
    to_chat: int = _bigint(nullable=False)
    to_message: int = _bigint(nullable=False)
    created_at: datetime = _when()


class StaffMessageRecord(Base, table=True):
    """A message the bot put in a staff group about a case, kept after its outbox row is purged
    so that erasing the case can still delete it: three numbers instead of a whole row."""

    __tablename__ = "staff_messages"
    __table_args__ = {"sqlite_with_rowid": False}
    case_number: str = Field(sa_column=Column(String(16), primary_key=True))
    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    message_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))


class StaffRecord(Base, table=True):
    """Someone seen working in a staff group."""

    __tablename__ = "staff"
    telegram_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    first_name: str
    username: str | None = None
    team: str = Field(index=True)
    last_seen: datetime = _when()
    last_assigned: datetime | None = _when(nullable=True)


class PromptRecord(Base, table=True):
    """A question the bot asked a staff member in a topic."""

    __tablename__ = "prompts"
    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    thread_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    staff_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    case_number: str = Field(max_length=16)
    action: str
    data: dict[str, Any] = _json()
    created_at: datetime = _when()


class EscalationRecord(Base, table=True):
    """A case put before a manager."""

    __tablename__ = "escalations"
    id: int | None = Field(default=None, primary_key=True)
    case_number: str = Field(index=True, max_length=16)
    trigger: str
    manager: str
    level: int
    created_at: datetime = _when()
    paged_at: datetime = _when()
    acked_at: datetime | None = _when(nullable=True)
    acked_by: str | None = None
    reply_by: datetime | None = _when(nullable=True)


class ReviewRecord(Base, table=True):
    """A review item for a manager."""

    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_manager_closed_at", "manager", "closed_at"),)
    id: int | None = Field(default=None, primary_key=True)
    case_number: str = Field(index=True, max_length=16)
    manager: str
    trigger: str
    created_at: datetime = _when()
    answer: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    root_cause: str | None = None
    closed_at: datetime | None = _when(nullable=True)


class MarkRecord(Base, table=True):
    """A message the bot sent and must find again (an escalation card, a pinned receipt)."""

    __tablename__ = "marks"
    __table_args__ = (Index("ix_marks_kind_key", "kind", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    key: str
    chat_id: int = _bigint(nullable=False)
    message_id: int = _bigint(nullable=False)
    created_at: datetime = _when()


class TimerRecord(Base, table=True):
    """Something due at a time; one per (kind, key)."""

    __tablename__ = "timers"
    __table_args__ = (
        UniqueConstraint("kind", "key"),
        CheckConstraint("status IN ('pending', 'dead')", name="status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_column=Column(String, nullable=False))
    key: str = Field(sa_column=Column(String, nullable=False))
    due_at: datetime = _when(index=True)
    payload: dict[str, Any] = _json()
    # A timer whose handler keeps failing is retried later, then set aside (a dead letter).
    status: str = Field(default="pending", index=True)
    attempts: int = 0
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    next_attempt_at: datetime | None = _when(nullable=True)


class AuditRecord(Base, table=True):
    """That something happened to personal data: who did it, when, how much; never what."""

    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when(index=True)
    actor: str
    action: str
    detail: dict[str, Any] = _json()


def _table(name: str) -> Table:
    return metadata.tables[name]


CUSTOMERS = _table("customers")
CASES = _table("cases")
CASE_LOG = _table("case_log")
ATTACHMENTS = _table("attachments")
CONVERSATIONS = _table("conversations")
INBOX = _table("inbox")
OUTBOX = _table("outbox")
TIMERS = _table("timers")
RELAYS = _table("relays")
STAFF_MESSAGES = _table("staff_messages")
STAFF = _table("staff")
PROMPTS = _table("prompts")
ESCALATIONS = _table("escalations")
REVIEWS = _table("reviews")
MARKS = _table("marks")
AUDIT_LOG = _table("audit_log")
