"""Domain records: customers, cases, their audit trail and attachments."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from flows.lifecycle import CaseEvent, CaseState, next_state
from flows.promise import Promise


@dataclass(frozen=True)
class Profile:
    """Who wrote to us, as Telegram describes them."""

    telegram_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    @property
    def display_name(self) -> str:
        """First name and the initial of the last name ("Anna K.")."""
        if self.last_name:
            return f"{self.first_name} {self.last_name[:1]}."
        return self.first_name


@dataclass
class Customer:
    """A person who files complaints; `id` is ours, `telegram_id` is Telegram's."""

    telegram_id: int
    first_name: str
    language: str
    created_at: datetime
    last_name: str | None = None
    username: str | None = None
    unreachable: bool = False
    exported_at: datetime | None = None  # when they last received their data (/mydata)
    id: int | None = None


@dataclass
class Case:
    """One complaint, from registration to its end."""

    number: str
    customer_id: int | None  # None once the customer's data is erased: anonymous figures only
    category: str
    team: str
    manager: str
    description: str
    contact: str  # "telegram" or "phone"
    state: CaseState
    created_at: datetime
    updated_at: datetime
    first_response_due: datetime
    resolve_due: datetime
    promise: Promise | None = None  # the one live promise to the customer (flows/promise.py)
    owner_id: int | None = None
    owner_name: str | None = None
    phone: str | None = None  # shared by the customer for this case, and shown with it only
    # The staff group the case lives in, its forum topic there and the pinned card in it.
    topic_chat_id: int | None = None
    topic_id: int | None = None
    card_message_id: int | None = None
    customer_header: bool = False  # the topic has said whose messages its copies are
    transfers: int = 0
    reopened: int = 0  # times the customer said the resolution did not solve the problem
    rating: int | None = None
    rating_comment: str | None = None
    first_response_at: datetime | None = None  # when a person first wrote to the customer
    manager_requested_at: datetime | None = None  # when the customer last asked for a manager
    erased_at: datetime | None = None  # when its personal data was erased (flows/erasure.py)
    version: int = 0  # bumped on every save: two writers of one case cannot both win
    id: int | None = None

    def apply(self, event: CaseEvent, now: datetime) -> CaseState:
        """Move the case through the lifecycle table; raise IllegalTransition if not allowed."""
        previous = self.state
        self.state = next_state(self.state, event)
        self.updated_at = now
        return previous


@dataclass(frozen=True)
class CaseLogEntry:
    """One line of a case's append-only audit trail."""

    case_number: str
    at: datetime
    kind: str  # a CaseEvent value, or "message", "attachment", "edit"
    actor: str  # "customer", "staff:<id>", "system"
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    id: int | None = None


@dataclass(frozen=True)
class Attachment:
    """A file the customer sent, kept as Telegram's file id (we never download it)."""

    case_number: str
    kind: str  # photo, document, voice, video
    file_id: str
    file_unique_id: str
    created_at: datetime
    caption: str | None = None
    message_id: int | None = None
    media_group_id: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class Relay:
    """A message copied between a customer's chat and a case topic, so replies and edits follow."""

    case_number: str
    from_chat: int
    from_message: int
    to_chat: int
    to_message: int
    created_at: datetime
    id: int | None = None


@dataclass(frozen=True)
class StaffMember:
    """Someone seen working in a team's staff group (offered as a transfer target)."""

    telegram_id: int
    first_name: str
    team: str
    last_seen: datetime
    username: str | None = None
    last_assigned: datetime | None = None  # when round-robin last gave them a case


@dataclass(frozen=True)
class Prompt:
    """A question the bot asked one staff member in a topic; their next message answers it."""

    chat_id: int
    thread_id: int
    staff_id: int
    case_number: str
    action: str  # "transfer", "ask", "decline"
    created_at: datetime
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Escalation:
    """A case put before a named manager, who must acknowledge it; else the next is paged."""

    case_number: str
    trigger: str  # TRIGGER_* in flows/escalation.py
    manager: str  # the manager paged now (their key)
    level: int  # how far along the chain: 0 is the category's own manager
    created_at: datetime
    paged_at: datetime
    acked_at: datetime | None = None
    acked_by: str | None = None
    reply_by: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class Review:
    """ "What should we have done differently?": open until a manager answers with a root cause."""

    case_number: str
    manager: str
    trigger: str
    created_at: datetime
    answer: str | None = None
    root_cause: str | None = None
    closed_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class Mark:
    """A message the bot sent that it must find again: an escalation card, a pinned receipt."""

    kind: str  # MARK_* in flows/marks.py
    key: str  # what it is about: an escalation id, a case number
    chat_id: int
    message_id: int
    created_at: datetime
    id: int | None = None


@dataclass(frozen=True)
class AuditEntry:
    """That something happened to personal data (an export, an erasure): who, when, how much.

    Never what: the audit log names no customer and quotes nothing they wrote.
    """

    at: datetime
    actor: str  # "customer", "operator:<OS user>", "retention"
    action: str  # AUDIT_* in flows/erasure.py and flows/data_export.py
    detail: dict[str, Any] = field(default_factory=dict)
    id: int | None = None


@dataclass(frozen=True)
class Timer:
    """Something that must happen at `due_at` even if the bot restarts in between."""

    kind: str
    key: str
    due_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    id: int | None = None


def touched(case: Case, now: datetime) -> Case:
    """A copy of `case` marked as changed at `now`."""
    return replace(case, updated_at=now)
