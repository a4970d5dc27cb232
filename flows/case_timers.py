"""The timers a case keeps: its promise, its resolution target, a wait for the customer.

Each is a row keyed by (kind, case number), set in the transaction of the change that sets it,
so it survives restarts and fires once. `arm` runs on every save of a case (casework.save), so
no change to a case can leave its timers behind. Handlers re-check the case when a timer fires.

The promise timer is one row per case, due at the earliest of what the live promise needs: the
warning to its debtor, its own time, and the next check-in (the customer is never left longer
than the category's check-in interval without hearing from us). When several of these fall due
together they are handled in one go, so the customer gets one message.
"""

from __future__ import annotations

from datetime import datetime

from flows.business_time import add_business_time, share_of_working_time
from flows.env import Env
from flows.lifecycle import is_open
from flows.model import Case, Timer
from flows.ports import UnitOfWork
from flows.promise import Owes, Promise

PROMISE = "promise"  # the live promise: warn its debtor, keep or break it, check in
RESOLVE_WARN = "sla_resolve_warn"
RESOLVE_BREACH = "sla_resolve"
WAIT_REMIND = "wait_remind"
WAIT_CLOSE = "wait_close"
PAGE = "escalation_page"  # keyed by escalation id: the manager has not acknowledged in time
CASE_KINDS = (PROMISE, RESOLVE_WARN, RESOLVE_BREACH, WAIT_REMIND, WAIT_CLOSE)
WARN_AT = 0.8  # share of a promise's (or target's) working time after which its debtor is warned


def warn_at(env: Env, promise: Promise) -> datetime:
    """When the debtor is warned that the promised time is running out."""
    org = env.config.organisation
    return share_of_working_time(org, promise.made_at, promise.due, WARN_AT)


def check_in_at(env: Env, case: Case, promise: Promise) -> datetime:
    """When the customer, told nothing since, hears from us again."""
    category = env.config.category(case.category) or env.config.categories[0]
    return add_business_time(env.config.organisation, promise.told_at, category.check_in_every)


def promise_due(env: Env, case: Case) -> datetime | None:
    """When the promise timer of `case` must fire (None: no live promise)."""
    promise = case.promise
    if promise is None or not is_open(case.state):
        return None
    moments = [check_in_at(env, case, promise)]
    # A paged manager's time is kept by the escalation's own page timer.
    if promise.owes is not Owes.WHO:
        moments.append(promise.due)
        if not promise.warned:
            moments.append(warn_at(env, promise))
    return min(moments)


async def arm(uow: UnitOfWork, env: Env, case: Case) -> None:
    """Bring the case's timers in line with the case as just saved."""
    if not is_open(case.state):
        for kind in CASE_KINDS:
            await uow.timers.cancel(kind, case.number)
        return
    due = promise_due(env, case)
    if due is None:
        await uow.timers.cancel(PROMISE, case.number)
    else:
        await uow.timers.set(Timer(PROMISE, case.number, due))


async def arm_resolution(uow: UnitOfWork, env: Env, case: Case, due: datetime) -> None:
    """The resolution target: a warning at 80% and an escalation when it passes."""
    warn = share_of_working_time(env.config.organisation, case.created_at, due, WARN_AT)
    timers = [Timer(RESOLVE_BREACH, case.number, due)]
    if warn > env.now:
        timers.insert(0, Timer(RESOLVE_WARN, case.number, warn))
    await uow.timers.set_all(timers)


async def wait_for_customer(uow: UnitOfWork, env: Env, case: Case) -> None:
    """The case waits for the customer: remind them once, later close it politely."""
    category = env.config.category(case.category) or env.config.categories[0]
    org = env.config.organisation
    close_at = add_business_time(org, env.now, category.close_unanswered_after)
    remind_at = add_business_time(org, env.now, category.remind_customer_after)
    await uow.timers.set_all(
        [
            Timer(WAIT_REMIND, case.number, remind_at, {"close_at": close_at.isoformat()}),
            Timer(WAIT_CLOSE, case.number, close_at),
        ]
    )


async def answered(uow: UnitOfWork, case: Case) -> None:
    """The customer answered: no reminder, no closing."""
    await uow.timers.cancel(WAIT_REMIND, case.number)
    await uow.timers.cancel(WAIT_CLOSE, case.number)
