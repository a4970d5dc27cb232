"""What /metrics reads from the database: backlogs, due timers, open cases, breaches, dead letters.

Counts over indexed columns, read at each scrape (every 15 s or so), never kept in memory: any
instance reports the same figures for the shared database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from flows.escalation import (
    TRIGGER_FIRST_BREACH,
    TRIGGER_MANAGER_MISSED,
    TRIGGER_PROMISE_BROKEN,
    TRIGGER_RESOLVE_BREACH,
)
from flows.lifecycle import CaseState
from storage.tables import CASES, ESCALATIONS, INBOX, OUTBOX, TIMERS

ENDED = (CaseState.CLOSED, CaseState.DECLINED, CaseState.WITHDRAWN)
BREACHES = {
    TRIGGER_FIRST_BREACH: "first_response",
    TRIGGER_RESOLVE_BREACH: "resolution",
    TRIGGER_PROMISE_BROKEN: "promise",
    TRIGGER_MANAGER_MISSED: "manager",
}


@dataclass(frozen=True)
class Gauges:
    """The database's figures at one moment."""

    inbox_pending: int = 0
    oldest_pending: datetime | None = None
    outbox_pending: int = 0
    timers_due: int = 0
    open_cases: dict[str, int] = field(default_factory=dict)
    breaches: dict[str, int] = field(default_factory=dict)
    dead_updates: int = 0
    dead_timers: int = 0
    failed_messages: int = 0


async def ping(connection: AsyncConnection) -> None:
    """Raise unless the database answers."""
    await connection.execute(text("SELECT 1"))


async def read(connection: AsyncConnection, now: datetime) -> Gauges:
    """Read every figure in one transaction."""
    inbox = {
        str(status): (int(count), oldest)
        for status, count, oldest in await connection.execute(
            select(INBOX.c.status, func.count(), func.min(INBOX.c.received_at))
            .where(INBOX.c.status.in_(("pending", "dead")))
            .group_by(INBOX.c.status)
        )
    }
    outbox = {
        str(status): int(count)
        for status, count in await connection.execute(
            select(OUTBOX.c.status, func.count())
            .where(OUTBOX.c.status.in_(("pending", "failed")))
            .group_by(OUTBOX.c.status)
        )
    }
    due = await connection.scalar(
        select(func.count()).where(TIMERS.c.due_at <= now, TIMERS.c.status == "pending")
    )
    dead_timers = await connection.scalar(
        select(func.count()).where(TIMERS.c.status == "dead").select_from(TIMERS)
    )
    cases = {
        str(state): int(count)
        for state, count in await connection.execute(
            select(CASES.c.state, func.count())
            .where(CASES.c.state.not_in([str(s) for s in ENDED]))
            .group_by(CASES.c.state)
        )
    }
    breaches = dict.fromkeys(BREACHES.values(), 0)
    for trigger, count in await connection.execute(
        select(ESCALATIONS.c.trigger, func.count())
        .where(ESCALATIONS.c.trigger.in_(list(BREACHES)))
        .group_by(ESCALATIONS.c.trigger)
    ):
        breaches[BREACHES[str(trigger)]] = int(count)
    pending_count, oldest = inbox.get("pending", (0, None))
    return Gauges(
        inbox_pending=pending_count,
        oldest_pending=oldest,
        outbox_pending=outbox.get("pending", 0),
        timers_due=int(due or 0),
        open_cases={str(s): cases.get(str(s), 0) for s in CaseState if s not in ENDED},
        breaches=breaches,
        dead_updates=inbox.get("dead", (0, None))[0],
        dead_timers=int(dead_timers or 0),
        failed_messages=outbox.get("failed", 0),
    )
