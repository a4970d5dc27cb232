"""Escalation to a named manager, who must acknowledge; if they do not, the next one is paged.

Every escalation (a breach, the customer asking, an appeal, a reopening, a low rating, too many
transfers, a customer who can no longer be reached, or staff pressing Escalate) puts the case
before the category's manager as a card in their private chat and opens a review item: "what
should we have done differently?". Until a manager acknowledges, each unanswered page moves one
step along the `escalates_to` chain, and the case's topic shows every step.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from flows import case_timers, casework
from flows.actions import Escalated
from flows.business_time import add_business_time
from flows.card import topic_link
from flows.config import Manager
from flows.durations import parse_duration
from flows.env import Env
from flows.lifecycle import CaseEvent, CaseState, allowed_events, is_open
from flows.messages import PRIORITY_REPLY, Button, Param, Say
from flows.model import Case, Escalation, Review, Timer
from flows.ports import UnitOfWork

TRIGGER_FIRST_BREACH = "first-response-breach"
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


async def escalate(
    uow: UnitOfWork, env: Env, case: Case, trigger: str, actor: str, detail: str = ""
) -> Case:
    """Put the case before its manager for `trigger`; returns the case as saved."""
    before = case.state
    if trigger == TRIGGER_APPEAL and CaseEvent.APPEAL in allowed_events(case.state):
        case = await casework.move(uow, env, case, CaseEvent.APPEAL, actor, detail)
    elif CaseEvent.ESCALATE in allowed_events(case.state):
        case = await casework.move(uow, env, case, CaseEvent.ESCALATE, actor, detail, why=trigger)
    else:  # a closed case (a low rating, say) keeps its state; the manager still hears of it
        await casework.log(uow, env, case, "escalation", actor, detail, why=trigger)
    if case.state is not before:
        case = await casework.save(uow, env, case)
    manager = env.config.manager(case.manager)
    paged = await uow.escalations.open_for_case(case.number)
    if paged is None:
        escalation = await uow.escalations.add(
            Escalation(case.number, trigger, manager.key, 0, env.now, env.now)
        )
        await page(uow, env, case, escalation, manager)
    await uow.reviews.add(Review(case.number, manager.key, trigger, env.now))
    await _tell(uow, env, case, manager, trigger)
    return case


async def page(
    uow: UnitOfWork, env: Env, case: Case, escalation: Escalation, manager: Manager
) -> None:
    """Send the escalation card to `manager`; if they do not acknowledge, page the next one."""
    assert escalation.id is not None
    customer = await casework.customer_of(uow, case)
    language = casework.staff_language(env)
    category = env.config.category(case.category)
    history = (await uow.log.for_case(case.number))[-HISTORY_ON_CARD:]
    lines = tuple(("manager-history-line", _history(e.at, e.kind, e.text[:120])) for e in history)
    due = add_business_time(env.config.organisation, env.now, manager.ack_within)
    ref = str(escalation.id)
    rows: list[tuple[Button, ...]] = [
        (
            Button(
                key="btn-ack",
                data=Escalated(ref, "ack").pack(),
                params={
                    "due": add_business_time(env.config.organisation, env.now, manager.reply_within)
                },
            ),
        ),
        tuple(
            Button(
                key="btn-ack-within", data=Escalated(ref, action).pack(), params={"within": action}
            )
            for action, _ in ACK_CHOICES
        ),
        (Button(key="btn-reply-customer", data=Escalated(ref, "reply").pack()),),
    ]
    if is_open(case.state):
        rows.insert(
            2,
            (
                Button(key="btn-take-over", data=Escalated(ref, "take").pack()),
                Button(key="btn-reassign", data=Escalated(ref, "reassign").pack()),
            ),
        )
        rows.append((Button(key="btn-manager-resolve", data=Escalated(ref, "resolve").pack()),))
    params: dict[str, Any] = {
        "manager": manager.name,
        "number": case.number,
        "category": category.title_in(language) if category else case.category,
        "customer": " ".join(p for p in (customer.first_name, customer.last_name) if p),
        "why": escalation.trigger,
        "state": case.state.value,
        "owner": case.owner_name or "",
        "description": case.description[:600],
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
            buttons=tuple(rows),
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


def _history(at: datetime, kind: str, text: str) -> dict[str, Param]:
    return {"at": at, "kind": kind, "text": text}


async def page_next(uow: UnitOfWork, env: Env, timer: Timer) -> None:
    """Nobody acknowledged in time: page the next manager in the chain, if there is one."""
    escalation = await uow.escalations.get(int(timer.key))
    if escalation is None or escalation.acked_at is not None:
        return
    case = await uow.cases.get(escalation.case_number)
    if case is None:
        return
    silent = env.config.manager(escalation.manager)
    if silent.escalates_to is None:
        await casework.send(
            uow,
            env,
            casework.to_topic(
                env,
                case,
                "topic-chain-ended",
                params={"number": case.number, "manager": silent.name},
            ),
        )
        return
    nxt = env.config.manager(silent.escalates_to)
    moved = replace(escalation, manager=nxt.key, level=escalation.level + 1, paged_at=env.now)
    await uow.escalations.save(moved)
    await casework.log(uow, env, case, "paged", "system", nxt.name, silent=silent.key)
    await page(uow, env, case, moved, nxt)


async def _tell(uow: UnitOfWork, env: Env, case: Case, manager: Manager, trigger: str) -> None:
    """Tell the customer who now looks at their case, and the topic why."""
    customer = await casework.customer_of(uow, case)
    params = {"number": case.number, "manager": manager.name, "title": manager.title}
    messages = [
        casework.to_topic(
            env,
            case,
            "topic-escalated",
            params={"number": case.number, "manager": manager.name, "why": trigger},
        )
    ]
    if trigger == TRIGGER_LOW_RATING:
        messages.append(casework.to_customer(customer, "rating-escalated", params=params))
    elif trigger != TRIGGER_UNREACHABLE and not customer.unreachable:
        key = "case-escalated" if is_open(case.state) else "case-escalated-closed"
        due = add_business_time(env.config.organisation, env.now, manager.ack_within)
        messages.append(
            casework.to_customer(
                customer,
                key,
                params={**params, "why": trigger, "due": due},
                priority=PRIORITY_REPLY,
            )
        )
    await casework.send(uow, env, *messages)


async def acknowledge(
    uow: UnitOfWork, env: Env, escalation: Escalation, manager: Manager, within: str | None
) -> Case | None:
    """The manager takes responsibility: the customer hears their name, title and a time."""
    case = await uow.cases.get(escalation.case_number)
    if case is None:
        return None
    reply_within = manager.reply_within if within is None else parse_duration(within)
    reply_by = add_business_time(env.config.organisation, env.now, reply_within)
    await uow.escalations.save(
        replace(escalation, acked_at=env.now, acked_by=manager.key, reply_by=reply_by)
    )
    await uow.timers.cancel(case_timers.PAGE, str(escalation.id))
    await casework.log(uow, env, case, "acknowledged", f"manager:{manager.key}", manager.name)
    if is_open(case.state) and case.state is not CaseState.RESOLVED:
        case = await casework.save(uow, env, replace(case, next_update_due=reply_by))
    customer = await casework.customer_of(uow, case)
    params = {
        "number": case.number,
        "manager": manager.name,
        "title": manager.title,
        "due": reply_by,
    }
    await casework.send(
        uow,
        env,
        casework.to_customer(customer, "case-manager-acknowledged", params=params),
        casework.to_topic(env, case, "topic-acknowledged", params=params),
    )
    return case
