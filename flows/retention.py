"""The daily retention run: personal data of cases that ended longer ago than `[retention]`
keeps is erased (flows/erasure.py, as at a customer's request), files earlier.

Periods are calendar days, not working time: retention is a legal period. One timer row runs
it, at 03:00 in the organisation's time zone; each firing does one small batch in its own
transaction and, while more is due, comes due again at once, so a long backlog never holds a
lock for long nor blocks other timers for more than a batch.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flows import casework, erasure
from flows.env import Env
from flows.messages import Outgoing
from flows.model import AuditEntry, Timer
from flows.ports import UnitOfWork

TIMER = "retention"
KEY = "daily"
RUN_AT = time(3, 0)  # local time: the quiet hour
BATCH = 50  # cases (or customers, or rows) per transaction
AGAIN = timedelta(microseconds=1)  # due again at once, yet not the time it just fired for
ACTOR = "retention"


async def arm(uow: UnitOfWork, env: Env) -> None:
    """Plan the daily run unless it is planned already (the first one at once)."""
    if await uow.timers.get(TIMER, KEY) is None:
        await uow.timers.set(Timer(TIMER, KEY, env.now))


def next_run(env: Env) -> datetime:
    """The next 03:00 in the organisation's time zone, after now."""
    zone = env.config.organisation.tz
    local = env.now.astimezone(zone)
    run = datetime.combine(local.date(), RUN_AT, tzinfo=zone)
    if run <= local:
        run = datetime.combine(local.date() + timedelta(days=1), RUN_AT, tzinfo=zone)
    return run.astimezone(UTC)


async def fire(uow: UnitOfWork, env: Env, timer: Timer) -> None:
    """One batch of what is due; the timer comes due again at once while more is left."""
    retention = env.config.retention
    messages: list[Outgoing] = []
    due = await uow.privacy.ended_before(env.now - retention.closed_cases, BATCH)
    for number in due:
        messages += await erasure.erase_case(uow, env, number, erasure.BY_RETENTION)
    with_files = await uow.privacy.with_files_ended_before(env.now - retention.attachments, BATCH)
    for number in with_files:
        await uow.privacy.erase_files(number)
    idle = await uow.privacy.idle_customers(env.now - retention.closed_cases, BATCH)
    for customer_id in idle:
        await uow.privacy.delete_customer(customer_id)
    await casework.send(uow, env, *messages)
    if due or with_files or idle:
        detail = {"cases": len(due), "files_of_cases": len(with_files), "customers": len(idle)}
        await uow.audit.record(AuditEntry(env.now, ACTOR, erasure.AUDIT_ERASURE, detail))
    more = BATCH in (len(due), len(with_files), len(idle))
    await uow.timers.set(Timer(TIMER, KEY, timer.due_at + AGAIN if more else next_run(env)))
