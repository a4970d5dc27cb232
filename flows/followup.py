"""Never alone: what the timers of a case do when they fire.

- The promise timer: at 80% of a promise's time its debtor is warned (in the topic, or in a
  manager's chat); when the time comes and the promise was neither kept nor renegotiated it is
  broken, and the customer is told honestly in the same tick who is now responsible and by
  when while the case escalates; when the customer has heard nothing for a check-in interval,
  they get an honest status restating the promise, with "Still need help", "Solved now" and
  "Talk to a manager". What falls due together is one message.
- At 80% of the resolution target the owner (or the topic) is warned; at 100% the case
  escalates to its named manager.
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
from flows.promise import By, Owes, Promise


async def fire(uow: UnitOfWork, env: Env, timer: Timer) -> None:
    """Run a case timer that came due."""
    case = await uow.cases.get(timer.key)
    if case is None or not is_open(case.state):
        return
    if timer.kind == case_timers.PROMISE:
        await _promise_due(uow, env, case)
    elif timer.kind == case_timers.RESOLVE_WARN:
        await _warn_resolution(uow, env, case)
    elif timer.kind == case_timers.RESOLVE_BREACH:
        await _resolution_breached(uow, env, case)
    elif timer.kind == case_timers.WAIT_REMIND:
        await _remind(uow, env, case, timer)
    elif timer.kind == case_timers.WAIT_CLOSE:
        await _close_unanswered(uow, env, case)


async def _promise_due(uow: UnitOfWork, env: Env, case: Case) -> None:
    """Whatever the live promise needs now: break it, warn its debtor, or check in."""
    live = case.promise
    if live is None:
        return
    if live.owes is not Owes.WHO and live.due <= env.now:
        await broken(uow, env, case)
        return
    stored = case
    warn = live.owes is not Owes.WHO and not live.warned
    if warn and case_timers.warn_at(env, live) <= env.now:
        await _warn_debtor(uow, env, case, live)
        live = replace(live, warned=True)
    case = replace(case, promise=live)
    if case_timers.check_in_at(env, case, live) <= env.now:
        if await _resolution_due_unsaid(uow, env, case):
            # The resolution target passes in the same tick: its escalation is the one message.
            await uow.timers.cancel(case_timers.RESOLVE_BREACH, case.number)
            await _resolution_breached(uow, env, case)
            return
        await check_in(uow, env, case, stored)
        return
    await casework.save(uow, env, case, was=stored)


async def _resolution_due_unsaid(uow: UnitOfWork, env: Env, case: Case) -> bool:
    """Whether the resolution target has passed and its escalation has not happened yet."""
    if case.resolve_due > env.now:
        return False
    history = await uow.log.for_case(case.number)
    return not any(e.data.get("why") == escalation.TRIGGER_RESOLVE_BREACH for e in history)


async def broken(uow: UnitOfWork, env: Env, case: Case) -> Case:
    """The promised time passed unkept: honest words to the customer now, and an escalation."""
    missed = case.promise
    assert missed is not None
    if missed.by is By.MANAGER:
        return await escalation.manager_missed(uow, env, case)
    await casework.log(uow, env, case, "promise_broken", missed.debtor, due=missed.due.isoformat())
    trigger = (
        escalation.TRIGGER_FIRST_BREACH
        if case.first_response_at is None
        else escalation.TRIGGER_PROMISE_BROKEN
    )
    return await escalation.escalate(uow, env, case, trigger, "system", broken=missed)


def _check_in_buttons(case: Case) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(key="btn-still-need-help", data=CheckIn(case.number, "still").pack()),
            Button(key="btn-solved-now", data=CheckIn(case.number, "solved").pack()),
        ),
        (Button(key="btn-talk-to-manager", data=CheckIn(case.number, "manager").pack()),),
    )


async def check_in(uow: UnitOfWork, env: Env, case: Case, stored: Case) -> Case:
    """The customer has heard nothing for a while: an honest status restating the promise.

    The card (drawn from the case as `stored`) already shows the promise: it is left alone.
    """
    live = case.promise
    assert live is not None
    case = await casework.save(uow, env, replace(case, promise=live.told(env.now)), was=stored)
    customer = await casework.customer_of(uow, case)
    label = casework.debtor_label(env, live)
    messages = [
        casework.to_topic(
            env,
            case,
            "topic-checked-in",
            params={"number": case.number, "debtor": label, "due": live.due, "owes": live.owes},
        )
    ]
    if not customer.unreachable:
        say = await casework.tell(
            uow,
            env,
            case,
            "check-in",
            params={"state": case.state.value},
            buttons=_check_in_buttons(case),
            priority=PRIORITY_BULK,
        )
        messages.insert(0, say)
    await casework.log(uow, env, case, "check_in", "system")
    await casework.send(uow, env, *messages)
    return case


async def _warn_debtor(uow: UnitOfWork, env: Env, case: Case, live: Promise) -> None:
    """Time is running out on a promise: its debtor hears it while it can still be kept."""
    params = {
        "number": case.number,
        "due": live.due,
        "owes": live.owes.value,
        "first": "yes" if case.first_response_at is None else "",
        "debtor": casework.debtor_label(env, live),
    }
    if live.by is By.MANAGER:
        manager = env.config.manager(live.ref)
        await casework.send(
            uow,
            env,
            casework.to_manager(env, manager, "manager-promise-warning", params=params),
        )
        return
    await casework.send(
        uow, env, casework.to_topic(env, case, "topic-promise-warning", params=params)
    )


async def _warn_resolution(uow: UnitOfWork, env: Env, case: Case) -> None:
    if case.state in casework.NO_PROMISE:
        return  # resolved, or the clock stands still while the customer owes us an answer
    await casework.send(
        uow,
        env,
        casework.to_topic(
            env,
            case,
            "topic-sla-warning",
            params={"number": case.number, "due": case.resolve_due, "owner": case.owner_name or ""},
        ),
    )


async def _resolution_breached(uow: UnitOfWork, env: Env, case: Case) -> None:
    if case.state in casework.NO_PROMISE:
        return
    # A customer told where their case stands this very moment is not told again.
    told_now = case.promise is not None and case.promise.told_at == env.now
    await escalation.escalate(
        uow, env, case, escalation.TRIGGER_RESOLVE_BREACH, "system", tell_customer=not told_now
    )


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
    case = await casework.save(uow, env, case)
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
