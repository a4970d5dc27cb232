"""Escalation to a named manager, who must acknowledge; if they do not, the next one is paged.

Every escalation (a broken promise, the customer asking, an appeal, a reopening, a low rating,
too many transfers, a customer who can no longer be reached, or staff pressing Escalate) puts
the case before the category's manager as a card in their private chat and opens a review item:
"what should we have done differently?". Until a manager acknowledges, each unanswered page
moves one step along the `escalates_to` chain, and the case's topic shows every step.

The customer hears every step in one message that states the case's live promise: while a
manager is paged, the promise is that manager telling them who answers, by the page's time;
once a manager acknowledged, it is the manager's own answer. A manager who misses their own
promised time is reminded once; at the second miss the next in the chain is paged. At the end of
the chain the customer is told honestly who is responsible now (the case's owner, or its team).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from flows import case_timers, casework, marks, promise
from flows.actions import Escalated
from flows.card import clip, topic_link
from flows.config import Manager
from flows.durations import parse_duration
from flows.env import Env
from flows.lifecycle import CaseEvent, allowed_events, is_open
from flows.messages import PRIORITY_REPLY, Button, Param, Say, marked
from flows.model import Case, Escalation, Review, Timer
from flows.ports import UnitOfWork
from flows.promise import By, Owes, Promise

TRIGGER_FIRST_BREACH = "first-response-breach"
TRIGGER_PROMISE_BROKEN = "broken-promise"
TRIGGER_MANAGER_MISSED = "missed-by-manager"
TRIGGER_RESOLVE_BREACH = "resolution-breach"
TRIGGER_CUSTOMER = "customer-request"
TRIGGER_APPEAL = "appeal"
TRIGGER_REOPENED = "reopened"
TRIGGER_LOW_RATING = "low-rating"
TRIGGER_TRANSFERS = "transfers"
TRIGGER_UNREACHABLE = "unreachable"
TRIGGER_STAFF = "staff"
MAX_TRANSFERS = 2  # more than this and nobody is owning the problem
LOW_RATING = 2
HISTORY_ON_CARD = 6
# Acknowledge buttons: the default reply time, or a time the manager chooses.
ACK_CHOICES = (("ack1h", "1h"), ("ack4h", "4h"), ("ack1d", "1d"))


def page_due(env: Env, escalation: Escalation) -> datetime:
    """When the manager paged now must have acknowledged, or the next one is paged."""
    manager = env.config.manager(escalation.manager)
    return casework.after(env, manager.ack_within, escalation.paged_at)


async def escalate(
    uow: UnitOfWork,
    env: Env,
    case: Case,
    trigger: str,
    actor: str,
    detail: str = "",
    broken: Promise | None = None,
    to: Manager | None = None,
    tell_customer: bool = True,
) -> Case:
    """Put the case before a manager for `trigger` (its own by default); returns it as saved.

    The customer hears of it in one message, unless `tell_customer` is False because they
    were told where the case stands in this same moment.
    """
    held = case.promise
    # The manager's own time passes in this same moment: that is what the customer hears (who
    # answers now, and by when), and it stands.
    keep = held is not None and casework.held_by_manager(case) is not None and held.due <= env.now
    if keep:
        case = await manager_missed(uow, env, case)
        tell_customer = False
    if trigger == TRIGGER_APPEAL and CaseEvent.APPEAL in allowed_events(case.state):
        case = await casework.move(uow, env, case, CaseEvent.APPEAL, actor, detail)
    elif CaseEvent.ESCALATE in allowed_events(case.state):
        case = await casework.move(uow, env, case, CaseEvent.ESCALATE, actor, detail, why=trigger)
    else:  # a closed case (a low rating, say) keeps its state; the manager still hears of it
        await casework.log(uow, env, case, "escalation", actor, detail, why=trigger)
    manager, due = await _paged(uow, env, case, trigger, to)
    await uow.reviews.add(Review(case.number, manager.key, trigger, env.now))
    holder = casework.held_by_manager(case)
    if is_open(case.state) and holder is None and not keep:
        case = replace(
            case,
            promise=promise.for_manager(manager.key, Owes.WHO, due, promise.ESCALATED, env.now),
        )
    case = await casework.save(uow, env, case)
    await _tell(uow, env, case, manager, trigger, broken, tell_customer)
    return case


async def _paged(
    uow: UnitOfWork, env: Env, case: Case, trigger: str, to: Manager | None
) -> tuple[Manager, datetime]:
    """The manager now deciding about the case and their time: paged now, or already paged."""
    waiting = await uow.escalations.open_for_case(case.number)
    if waiting is None:
        manager = to or env.config.manager(case.manager)
        added = await uow.escalations.add(
            Escalation(case.number, trigger, manager.key, 0, env.now, env.now)
        )
        return manager, await page(uow, env, case, added, manager)
    manager = env.config.manager(waiting.manager)
    due = page_due(env, waiting)
    if due <= env.now:  # the chain ran out and nobody acknowledged: its last manager again
        waiting = replace(waiting, paged_at=env.now)
        await uow.escalations.save(waiting)
        due = await page(uow, env, case, waiting, manager)
    return manager, due


async def page(
    uow: UnitOfWork, env: Env, case: Case, escalation: Escalation, manager: Manager
) -> datetime:
    """Send the escalation card to `manager`; return the time by which they must acknowledge."""
    assert escalation.id is not None
    customer = await casework.customer_of(uow, case)
    language = casework.staff_language(env)
    category = env.config.category(case.category)
    history = (await uow.log.for_case(case.number))[-HISTORY_ON_CARD:]
    lines = tuple(("manager-history-line", _history(e.at, e.kind, e.text[:120])) for e in history)
    due = page_due(env, escalation)
    ref = str(escalation.id)
    params: dict[str, Any] = {
        "manager": manager.name,
        "number": case.number,
        "category": category.title_in(language) if category else case.category,
        "customer": " ".join(p for p in (customer.first_name, customer.last_name) if p),
        "why": escalation.trigger,
        "state": case.state.value,
        "owner": case.owner_name or "",
        "description": clip(case.description, 600),
        "link": topic_link(case.topic_chat_id, case.topic_id),
        "level": escalation.level,
        "due": due,
    }
    await casework.send(
        uow,
        env,
        Say(
            chat_id=manager.telegram_id,
            key="manager-escalation",
            language=language,
            params=params,
            lines=lines,
            buttons=card_buttons(case, ref, casework.after(env, manager.reply_within)),
            track=marked(marks.ESCALATION_CARD, ref),
        ),
        casework.to_topic(
            env,
            case,
            "topic-paged",
            params={
                "number": case.number,
                "manager": manager.name,
                "level": escalation.level + 1,  # the category's own manager is step 1
                "due": due,
            },
        ),
    )
    await uow.timers.set(Timer(case_timers.PAGE, ref, due))
    return due


def card_buttons(
    case: Case, ref: str, reply_by: datetime | None = None
) -> tuple[tuple[Button, ...], ...]:
    """An escalation card's buttons: acknowledge (with the default reply time `reply_by`, until
    someone acknowledged), then what is left to do."""
    rows: list[tuple[Button, ...]] = []
    if reply_by is not None:
        rows.append(
            (Button(key="btn-ack", data=Escalated(ref, "ack").pack(), params={"due": reply_by}),)
        )
        rows.append(
            tuple(
                Button(
                    key="btn-ack-within",
                    data=Escalated(ref, action).pack(),
                    params={"within": action},
                )
                for action, _ in ACK_CHOICES
            )
        )
    reply = (Button(key="btn-reply-customer", data=Escalated(ref, "reply").pack()),)
    if not is_open(case.state):
        return (*rows, reply)
    hand = (
        Button(key="btn-take-over", data=Escalated(ref, "take").pack()),
        Button(key="btn-reassign", data=Escalated(ref, "reassign").pack()),
    )
    resolve = (Button(key="btn-manager-resolve", data=Escalated(ref, "resolve").pack()),)
    # Unacknowledged, handing the case on comes first; once acknowledged, writing to them.
    middle = [hand, reply] if reply_by is not None else [reply, hand]
    return (*rows, *middle, resolve)


def _history(at: datetime, kind: str, text: str) -> dict[str, Param]:
    return {"at": at, "kind": kind, "text": text}


def _waits_on(case: Case, manager: Manager) -> bool:
    """Whether the customer's live promise is `manager` telling them who answers."""
    live = case.promise
    return (
        is_open(case.state)
        and live is not None
        and live.owes is Owes.WHO
        and live.ref == manager.key
    )


async def page_next(uow: UnitOfWork, env: Env, timer: Timer) -> None:
    """Nobody acknowledged in time: page the next manager in the chain, if there is one."""
    escalation = await uow.escalations.get(int(timer.key))
    if escalation is None or escalation.acked_at is not None:
        return
    case = await uow.cases.get(escalation.case_number)
    if case is None or case.erased_at is not None:
        return
    silent = env.config.manager(escalation.manager)
    waiting = _waits_on(case, silent)
    if silent.escalates_to is None:
        await _chain_ended(uow, env, case, silent, waiting)
        return
    nxt = env.config.manager(silent.escalates_to)
    moved = replace(escalation, manager=nxt.key, level=escalation.level + 1, paged_at=env.now)
    await uow.escalations.save(moved)
    await casework.log(uow, env, case, "paged", "system", nxt.name, silent=silent.key)
    due = await page(uow, env, case, moved, nxt)
    if waiting:
        assert case.promise is not None
        missed = case.promise
        live = promise.for_manager(nxt.key, Owes.WHO, due, promise.PAGED_NEXT, env.now)
        case = await casework.save(uow, env, replace(case, promise=live))
        await _tell_customer(uow, env, case, "case-passed-up", missed, manager=nxt)


async def _chain_ended(
    uow: UnitOfWork, env: Env, case: Case, silent: Manager, waiting: bool
) -> None:
    """The last manager in the chain did not acknowledge either: the case's own people answer."""
    await casework.send(
        uow,
        env,
        casework.to_topic(
            env, case, "topic-chain-ended", params={"number": case.number, "manager": silent.name}
        ),
        Say(
            chat_id=silent.telegram_id,
            key="manager-last-in-chain",
            language=casework.staff_language(env),
            params={"number": case.number, "link": topic_link(case.topic_chat_id, case.topic_id)},
        ),
    )
    if not waiting:
        return
    assert case.promise is not None
    missed = case.promise
    await _back_to_the_case(uow, env, case, missed, "case-chain-ended")


async def _back_to_the_case(
    uow: UnitOfWork, env: Env, case: Case, missed: Promise, key: str, team_only: bool = False
) -> Case:
    """Responsibility goes back to the case's owner (or team), with a fresh time; told honestly."""
    owes = casework.owes_now(case)
    due = casework.fresh_due(env, case, owes)
    if team_only:
        live = promise.for_team(case.team, owes, due, promise.CHAIN_ENDED, env.now)
    else:
        live = await casework.owner_promise(uow, env, case, owes, due, promise.CHAIN_ENDED)
    case = await casework.save(uow, env, replace(case, promise=live))
    await _tell_customer(uow, env, case, key, missed)
    return case


async def _tell_customer(
    uow: UnitOfWork,
    env: Env,
    case: Case,
    key: str,
    missed: Promise | None = None,
    manager: Manager | None = None,
    **params: Param,
) -> None:
    """One message to the customer stating the live promise (and the one just missed, if any);
    nothing to a customer who blocked the bot."""
    customer = await casework.customer_of(uow, case)
    if customer.unreachable:
        return
    if manager is not None:
        params.update(manager=manager.name, title=manager.title_in(customer.language))
    if missed is not None:
        params.update(
            missed=promise.label(missed, env.config, customer.language), missed_due=missed.due
        )
    say = await casework.tell(uow, env, case, key, params=params, priority=PRIORITY_REPLY)
    await casework.send(uow, env, say)


async def manager_missed(uow: UnitOfWork, env: Env, case: Case) -> Case:
    """A manager's own promised time passed: remind them once, then page the next in the chain."""
    missed = case.promise
    assert missed is not None and missed.by is By.MANAGER
    manager = env.config.manager(missed.ref)
    await casework.log(uow, env, case, "promise_broken", missed.debtor, due=missed.due.isoformat())
    if missed.strikes == 0:
        due = casework.after(env, manager.ack_within)
        # The reminder is the warning: no second ping within the same half hour.
        again = missed.renewed(due, promise.REMINDED, env.now, strikes=1, warned=True)
        case = await casework.save(uow, env, replace(case, promise=again))
        await _remind(uow, env, case, manager, missed, due)
        await _tell_customer(uow, env, case, "case-manager-late", missed)
        return case
    if manager.escalates_to is not None:
        nxt = env.config.manager(manager.escalates_to)
        case = replace(case, promise=None)
        return await escalate(
            uow, env, case, TRIGGER_MANAGER_MISSED, "system", manager.name, broken=missed, to=nxt
        )
    await casework.send(
        uow,
        env,
        casework.to_topic(
            env,
            case,
            "topic-manager-missed",
            params={"number": case.number, "manager": manager.name},
        ),
    )
    return await _back_to_the_case(uow, env, case, missed, "case-manager-gave-up", team_only=True)


async def _remind(
    uow: UnitOfWork, env: Env, case: Case, manager: Manager, missed: Promise, due: datetime
) -> None:
    """Tell the manager privately that their promised time passed, and what happens next."""
    escalations = await uow.escalations.for_case(case.number)
    ref = str(escalations[-1].id) if escalations else ""
    nxt = env.config.manager(manager.escalates_to) if manager.escalates_to else None
    buttons = ((Button(key="btn-reply-customer", data=Escalated(ref, "reply").pack()),),)
    await casework.send(
        uow,
        env,
        Say(
            chat_id=manager.telegram_id,
            key="manager-promise-missed",
            language=casework.staff_language(env),
            params={
                "number": case.number,
                "missed_due": missed.due,
                "due": due,
                "next": nxt.name if nxt else "",
            },
            buttons=buttons if ref else (),
        ),
        casework.to_topic(
            env,
            case,
            "topic-manager-late",
            params={"number": case.number, "manager": manager.name, "due": due},
        ),
    )


async def _tell(
    uow: UnitOfWork,
    env: Env,
    case: Case,
    manager: Manager,
    trigger: str,
    broken: Promise | None,
    tell_customer: bool = True,
) -> None:
    """Tell the customer who now looks at their case, and the topic why."""
    await casework.send(
        uow,
        env,
        casework.to_topic(
            env,
            case,
            "topic-escalated",
            params={"number": case.number, "manager": manager.name, "why": trigger},
        ),
    )
    customer = await casework.customer_of(uow, case)
    if trigger == TRIGGER_UNREACHABLE or customer.unreachable or not tell_customer:
        return
    if trigger == TRIGGER_LOW_RATING or not is_open(case.state):
        title = manager.title_in(customer.language)
        await casework.send(
            uow,
            env,
            casework.to_customer(
                customer,
                "rating-escalated",
                params={"number": case.number, "manager": manager.name, "title": title},
            ),
        )
        return
    holder = casework.held_by_manager(case)
    key, named = "case-escalated", manager
    if holder is not None:
        key, named = "case-escalated-held", env.config.manager(holder)
    owner = case.owner_name or ""
    if broken is not None and broken.by is By.STAFF:
        trigger = TRIGGER_PROMISE_BROKEN  # a named person missed it: the customer hears who
    await _tell_customer(uow, env, case, key, broken, manager=named, why=trigger, owner=owner)


async def acknowledge(
    uow: UnitOfWork, env: Env, escalation: Escalation, manager: Manager, within: str | None
) -> Case | None:
    """The manager takes responsibility: the customer hears their name, title and a time."""
    case = await uow.cases.get(escalation.case_number)
    if case is None:
        return None
    reply_within = manager.reply_within if within is None else parse_duration(within)
    reply_by = casework.after(env, reply_within)
    await uow.escalations.save(
        replace(escalation, acked_at=env.now, acked_by=manager.key, reply_by=reply_by)
    )
    await _acknowledged(uow, env, escalation, case)
    await casework.log(uow, env, case, "acknowledged", f"manager:{manager.key}", manager.name)
    params: dict[str, Param] = {"number": case.number, "manager": manager.name, "due": reply_by}
    messages = [casework.to_topic(env, case, "topic-acknowledged", params=params)]
    if is_open(case.state) and case.state not in casework.NO_PROMISE:
        owes = Owes.DECISION if escalation.trigger == TRIGGER_APPEAL else Owes.ANSWER
        live = promise.for_manager(manager.key, owes, reply_by, promise.ACKNOWLEDGED, env.now)
        case = await casework.save(uow, env, replace(case, promise=live))
        customer = await casework.customer_of(uow, case)
        if not customer.unreachable:
            messages.insert(0, await casework.tell(uow, env, case, "case-manager-acknowledged"))
    await casework.send(uow, env, *messages)
    return case


async def acknowledge_quietly(
    uow: UnitOfWork, env: Env, escalation: Escalation, manager: Manager
) -> None:
    """Taking over, reassigning, replying or resolving acknowledges the escalation too."""
    if escalation.acked_at is None:
        await uow.escalations.save(replace(escalation, acked_at=env.now, acked_by=manager.key))
        case = await uow.cases.get(escalation.case_number)
        if case is not None:
            await _acknowledged(uow, env, escalation, case)


async def _acknowledged(uow: UnitOfWork, env: Env, escalation: Escalation, case: Case) -> None:
    """Nobody else is paged, and no card of this escalation offers Acknowledge any more."""
    ref = str(escalation.id)
    await uow.timers.cancel(case_timers.PAGE, ref)
    await marks.set_buttons(uow, env, marks.ESCALATION_CARD, ref, card_buttons(case, ref))
