"""Never alone: what the timers of a case do when they fire.

- The promised next update comes and nobody has written: the bot keeps the promise with an
  honest status (who has the case, or how many are ahead, and the next concrete time) and
  nudges the owner. The check-in offers "Still need help", "Solved now", "Talk to a manager".
- At 80% of a first-response or resolution target the owner (or the topic) is warned; at 100%
  the case escalates to its named manager.
- A case waiting for the customer is never checked in on: they are reminded once, and after
  the configured time it is closed politely, with a button to reopen it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from flows import case_timers, casework, escalation
from flows.actions import CheckIn, Reopen
from flows.env import Env
from flows.lifecycle import CaseEvent, CaseState, is_open
from flows.messages import PRIORITY_BULK, Button
from flows.model import Case, Timer
from flows.ports import UnitOfWork

AHEAD_LIMIT = 50
_PAUSED = (
    case_timers.RESOLVE_WARN,
    case_timers.RESOLVE_BREACH,
)  # "more than 50 ahead" is as useful to a customer as the exact count


async def fire(uow: UnitOfWork, env: Env, timer: Timer) -> None:
    """Run a case timer that came due."""
    case = await uow.cases.get(timer.key)
    if case is None or not is_open(case.state):
        return
    if case.state is CaseState.WAITING_FOR_CUSTOMER and timer.kind in _PAUSED:
        return  # the resolution clock stands still while the customer owes us an answer
    if timer.kind == case_timers.UPDATE:
        await keep_promise(uow, env, case)
    elif timer.kind in (case_timers.FIRST_WARN, case_timers.RESOLVE_WARN):
        await _warn(uow, env, case, timer.kind)
    elif timer.kind in (case_timers.FIRST_BREACH, case_timers.RESOLVE_BREACH):
        await _breach(uow, env, case, timer.kind)
    elif timer.kind == case_timers.WAIT_REMIND:
        await _remind(uow, env, case, timer)
    elif timer.kind == case_timers.WAIT_CLOSE:
        await _close_unanswered(uow, env, case)


def _check_in_buttons(case: Case) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(key="btn-still-need-help", data=CheckIn(case.number, "still").pack()),
            Button(key="btn-solved-now", data=CheckIn(case.number, "solved").pack()),
        ),
        (Button(key="btn-talk-to-manager", data=CheckIn(case.number, "manager").pack()),),
    )


async def keep_promise(uow: UnitOfWork, env: Env, case: Case) -> Case:
    """The promised update is due and nobody wrote: an honest status now, and a new promise."""
    if case.state in (CaseState.WAITING_FOR_CUSTOMER, CaseState.RESOLVED):
        return case
    promised = case.next_update_due
    customer = await casework.customer_of(uow, case)
    ahead = 0
    if case.owner_id is None:
        ahead = await uow.cases.waiting_ahead(case.team, case.created_at, AHEAD_LIMIT + 1)
    case = await casework.save(
        uow, env, replace(case, next_update_due=casework.next_update(env, case))
    )
    manager = env.config.manager(case.manager)
    # An escalated case nobody has taken is with its manager: the customer hears that name.
    with_manager = case.state is CaseState.ESCALATED and case.owner_id is None
    params = {
        "number": case.number,
        "owner": manager.name if with_manager else case.owner_name or "",
        "state": case.state.value,
        "ahead": ahead,
        "due": case.next_update_due,
        "team": env.config.team(case.team).title,
    }
    messages = [
        casework.to_topic(
            env,
            case,
            "topic-promise-kept",
            params={**params, "promised": promised},
        )
    ]
    if not customer.unreachable:
        messages.insert(
            0,
            casework.to_customer(
                customer,
                "check-in",
                params=params,
                buttons=_check_in_buttons(case),
                priority=PRIORITY_BULK,
            ),
        )
    await casework.log(uow, env, case, "check_in", "system")
    await casework.send(uow, env, *messages)
    return case


async def _warn(uow: UnitOfWork, env: Env, case: Case, kind: str) -> None:
    first = kind == case_timers.FIRST_WARN
    if first and case.first_response_at is not None:
        return
    if not first and case.state is CaseState.RESOLVED:
        return
    due = case.first_response_due if first else case.resolve_due
    await casework.send(
        uow,
        env,
        casework.to_topic(
            env,
            case,
            "topic-sla-warning",
            params={
                "number": case.number,
                "what": "first" if first else "resolve",
                "due": due,
                "owner": case.owner_name or "",
            },
        ),
    )


async def _breach(uow: UnitOfWork, env: Env, case: Case, kind: str) -> None:
    if kind == case_timers.FIRST_BREACH:
        if case.first_response_at is None:
            await escalation.escalate(uow, env, case, escalation.TRIGGER_FIRST_BREACH, "system")
    elif case.state is not CaseState.RESOLVED:
        await escalation.escalate(uow, env, case, escalation.TRIGGER_RESOLVE_BREACH, "system")


async def _remind(uow: UnitOfWork, env: Env, case: Case, timer: Timer) -> None:
    if case.state is not CaseState.WAITING_FOR_CUSTOMER:
        return
    customer = await casework.customer_of(uow, case)
    await casework.log(uow, env, case, "reminded", "system")
    await casework.send(
        uow,
        env,
        casework.to_customer(
            customer,
            "case-waiting-reminder",
            params={"number": case.number, "owner": case.owner_name or "", "close": _closes(timer)},
            priority=PRIORITY_BULK,
        ),
    )


def _closes(timer: Timer) -> datetime | None:
    """When the unanswered case will be closed, as its reminder was told."""
    close_at = timer.payload.get("close_at")
    return None if close_at is None else datetime.fromisoformat(str(close_at))


async def _close_unanswered(uow: UnitOfWork, env: Env, case: Case) -> None:
    if case.state is not CaseState.WAITING_FOR_CUSTOMER:
        return
    case = await casework.move(uow, env, case, CaseEvent.EXPIRE, "system")
    case = await casework.save(uow, env, replace(case, next_update_due=None))
    customer = await casework.customer_of(uow, case)
    await casework.send(
        uow,
        env,
        casework.to_customer(
            customer,
            "case-closed-unanswered",
            params={"number": case.number},
            buttons=((Button(key="btn-reopen", data=Reopen(case.number).pack()),),),
        ),
        casework.to_topic(env, case, "topic-closed-unanswered", params={"number": case.number}),
    )
