"""The timers a case keeps: its next promised update, its SLA marks, a wait for the customer.

Each is a row keyed by (kind, case number), set in the transaction of the change that sets it,
so it survives restarts and fires once. Handlers re-check the case when a timer fires, so a
timer left behind by a change never acts on a case it no longer fits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flows.business_time import add_business_time, share_of_working_time
from flows.env import Env
from flows.lifecycle import CaseState, is_open
from flows.model import Case, Timer
from flows.ports import UnitOfWork

UPDATE = "case_update"  # the promised next update is due: keep the promise, nudge the owner
FIRST_WARN = "sla_first_warn"
FIRST_BREACH = "sla_first"
RESOLVE_WARN = "sla_resolve_warn"
RESOLVE_BREACH = "sla_resolve"
WAIT_REMIND = "wait_remind"
WAIT_CLOSE = "wait_close"
PAGE = "escalation_page"  # keyed by escalation id: the manager has not acknowledged in time
CASE_KINDS = (
    UPDATE,
    FIRST_WARN,
    FIRST_BREACH,
    RESOLVE_WARN,
    RESOLVE_BREACH,
    WAIT_REMIND,
    WAIT_CLOSE,
)
WARN_AT = 0.8  # share of an SLA's working time after which the owner is warned

# States in which nobody owes the customer a scheduled update.
_NO_UPDATES = frozenset({CaseState.WAITING_FOR_CUSTOMER, CaseState.RESOLVED})


async def arm_sla(uow: UnitOfWork, env: Env, case: Case) -> None:
    """Warnings at 80% and breaches at 100% of the first-response and resolution targets."""
    org = env.config.organisation
    timers = []
    for warn, breach, due in (
        (FIRST_WARN, FIRST_BREACH, case.first_response_due),
        (RESOLVE_WARN, RESOLVE_BREACH, case.resolve_due),
    ):
        warn_at = share_of_working_time(org, case.created_at, due, WARN_AT)
        timers += [Timer(warn, case.number, warn_at), Timer(breach, case.number, due)]
    await uow.timers.set_all(timers)


async def follow(uow: UnitOfWork, env: Env, case: Case) -> None:
    """Keep the case's update timer in step with its promised next update."""
    due = case.next_update_due
    if not is_open(case.state) or case.state in _NO_UPDATES or due is None:
        await uow.timers.cancel(UPDATE, case.number)
        if not is_open(case.state):
            for kind in CASE_KINDS:
                await uow.timers.cancel(kind, case.number)
        return
    if due > env.now:
        await uow.timers.set(Timer(UPDATE, case.number, due))


async def wait_for_customer(uow: UnitOfWork, env: Env, case: Case) -> None:
    """The case waits for the customer: remind them once, later close it politely."""
    category = env.config.category(case.category)
    remind = category.remind_customer_after if category else timedelta(days=1)
    close = category.close_unanswered_after if category else timedelta(days=3)
    org = env.config.organisation
    close_at = add_business_time(org, env.now, close)
    remind_at = add_business_time(org, env.now, remind)
    await uow.timers.set(
        Timer(WAIT_REMIND, case.number, remind_at, {"close_at": close_at.isoformat()})
    )
    await uow.timers.set(Timer(WAIT_CLOSE, case.number, close_at))


async def rearm_resolution(uow: UnitOfWork, env: Env, case: Case, due: datetime) -> None:
    """Move the resolution warning and breach to a new due time (what is past stays fired)."""
    warn_at = share_of_working_time(env.config.organisation, case.created_at, due, WARN_AT)
    if warn_at > env.now:
        await uow.timers.set(Timer(RESOLVE_WARN, case.number, warn_at))
    await uow.timers.set(Timer(RESOLVE_BREACH, case.number, due))


async def answered(uow: UnitOfWork, case: Case) -> None:
    """The customer answered: no reminder, no closing."""
    await uow.timers.cancel(WAIT_REMIND, case.number)
    await uow.timers.cancel(WAIT_CLOSE, case.number)


async def first_response(uow: UnitOfWork, case: Case) -> None:
    """A person has answered: the first-response target is met."""
    await uow.timers.cancel(FIRST_WARN, case.number)
    await uow.timers.cancel(FIRST_BREACH, case.number)
