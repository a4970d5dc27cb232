"""Operations on a case shared by the staff, manager, customer and delivery services.

Every state change goes through the lifecycle table (`move`), is written to the case log, and
refreshes the card in the staff topic; messages are queued in the outbox of the same unit of work.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from flows import case_timers
from flows.business_time import add_business_time, add_working_hours, business_time_between
from flows.card import card_buttons, card_params, topic_title
from flows.config import Team
from flows.env import Env
from flows.lifecycle import CaseEvent, CaseState, next_state
from flows.messages import (
    PRIORITY_NOTICE,
    TRACK_CARD,
    Copy,
    CreateTopic,
    Edit,
    Outgoing,
    Param,
    Say,
    Track,
)
from flows.model import Case, CaseLogEntry, Customer
from flows.ports import UnitOfWork

SUMMARY_LINES = 15
SUMMARY_TEXT = 200


def staff_language(env: Env) -> str:
    """Staff groups and managers read the organisation's default language."""
    return env.config.organisation.default_language


def owner_label(first_name: str, team: Team) -> str:
    """How an owner is named to the customer: "Anna (Support)", or the team when anonymous."""
    if team.anonymous:
        return team.title
    return f"{first_name} ({team.title})"


async def send(uow: UnitOfWork, env: Env, *messages: Outgoing) -> None:
    """Queue messages in this unit of work's outbox."""
    await uow.outbox.add_all(messages, env.now)


async def customer_of(uow: UnitOfWork, case: Case) -> Customer:
    """The customer who filed the case."""
    customer = await uow.customers.by_id(case.customer_id)
    if customer is None:
        raise LookupError(f"case {case.number} has no customer {case.customer_id}")
    return customer


def to_customer(customer: Customer, key: str, **kwargs: Any) -> Say:
    """A notice to the customer in their language."""
    kwargs.setdefault("priority", PRIORITY_NOTICE)
    return Say(chat_id=customer.telegram_id, key=key, language=customer.language, **kwargs)


def to_topic(env: Env, case: Case, key: str, **kwargs: Any) -> Say:
    """A message into the case's topic (its General chat while the case has none)."""
    chat_id = case.topic_chat_id or env.config.team(case.team).group_for(case.number)
    kwargs.setdefault("priority", PRIORITY_NOTICE)
    return Say(
        chat_id=chat_id, key=key, language=staff_language(env), topic_of=case.number, **kwargs
    )


def next_update(env: Env, case: Case) -> datetime:
    """When the customer hears from us next: one check-in interval of working time from now."""
    category = env.config.category(case.category)
    interval = category.check_in_every if category else env.config.categories[0].check_in_every
    return add_business_time(env.config.organisation, env.now, interval)


async def log(
    uow: UnitOfWork, env: Env, case: Case, kind: str, actor: str, text: str = "", **data: Any
) -> None:
    """Append to the case's history."""
    entry = CaseLogEntry(case.number, env.now, kind, actor, text, dict(data))
    await uow.log.append(entry)


async def move(
    uow: UnitOfWork,
    env: Env,
    case: Case,
    event: CaseEvent,
    actor: str,
    text: str = "",
    **data: Any,
) -> Case:
    """The case after `event` (IllegalTransition if the table refuses), logged; not yet saved."""
    moved = replace(case, state=next_state(case.state, event), updated_at=env.now)
    await log(uow, env, moved, event.value, actor, text, **data)
    if event is CaseEvent.ASK_CUSTOMER:
        await case_timers.wait_for_customer(uow, env, moved)
    elif case.state is CaseState.WAITING_FOR_CUSTOMER:
        await case_timers.answered(uow, moved)
        moved = await _resume_resolution_clock(uow, env, moved)
    return moved


async def _resume_resolution_clock(uow: UnitOfWork, env: Env, case: Case) -> Case:
    """The time spent waiting for the customer does not count against the resolution target."""
    asked = [e.at for e in await uow.log.for_case(case.number) if e.kind == "ask_customer"]
    if not asked:
        return case
    org = env.config.organisation
    paused = business_time_between(org, asked[-1], env.now)
    due = add_working_hours(org, case.resolve_due, paused)
    await case_timers.rearm_resolution(uow, env, case, due)
    return replace(case, resolve_due=due)


def responded(case: Case, env: Env) -> Case:
    """A person has written to the customer: the first response, if it is the first."""
    if case.first_response_at is not None:
        return case
    return replace(case, first_response_at=env.now)


async def _card(uow: UnitOfWork, env: Env, case: Case) -> tuple[dict[str, Param], Customer]:
    customer = await customer_of(uow, case)
    files = await uow.attachments.for_case(case.number)
    return card_params(case, customer, files, env.config, staff_language(env)), customer


async def save(uow: UnitOfWork, env: Env, case: Case) -> Case:
    """Store the case and edit its card in place to match."""
    saved = await uow.cases.save(case)
    await refresh_card(uow, env, saved)
    await case_timers.follow(uow, env, saved)
    return saved


async def refresh_card(uow: UnitOfWork, env: Env, case: Case) -> None:
    """Edit the case's card in place to show the case (and its customer) as they are now."""
    if case.topic_chat_id is None:
        return  # no topic yet: the card is drawn when it is opened
    params, _ = await _card(uow, env, case)
    await send(
        uow,
        env,
        Edit(
            chat_id=case.topic_chat_id,
            key="card",
            language=staff_language(env),
            params=params,
            buttons=card_buttons(case),
            card_of=case.number,
        ),
    )


async def open_topic(uow: UnitOfWork, env: Env, case: Case, summary: bool = False) -> Case:
    """Queue a new topic for the case with its pinned card and files (and a history summary).

    Returns the case pointing at the topic's group; the topic id arrives when Telegram made it.
    """
    group = env.config.team(case.team).group_for(case.number)
    case = replace(
        case, topic_chat_id=group, topic_id=None, card_message_id=None, customer_header=False
    )
    params, customer = await _card(uow, env, case)
    language = staff_language(env)
    messages: list[Outgoing] = [
        CreateTopic(chat_id=group, name=topic_title(case, customer, env.config), case=case.number),
        Say(
            chat_id=group,
            key="card",
            language=language,
            params=params,
            buttons=card_buttons(case),
            pin=True,
            topic_of=case.number,
            track=Track(TRACK_CARD, case.number),
        ),
    ]
    for attachment in await uow.attachments.for_case(case.number):
        if attachment.message_id is not None:
            messages.append(
                Copy(
                    chat_id=group,
                    from_chat_id=customer.telegram_id,
                    message_id=attachment.message_id,
                    language=language,
                    topic_of=case.number,
                    priority=PRIORITY_NOTICE,
                )
            )
    if summary:
        messages.append(await history_summary(uow, env, case))
    await send(uow, env, *messages)
    return case


async def history_summary(uow: UnitOfWork, env: Env, case: Case) -> Say:
    """The case's latest history, for a topic that had to be opened again."""
    entries = (await uow.log.for_case(case.number))[-SUMMARY_LINES:]
    lines = tuple(
        (
            "topic-history-line",
            {
                "at": entry.at,
                "kind": entry.kind,
                "actor": entry.actor.split(":", 1)[0],
                "text": entry.text[:SUMMARY_TEXT] + ("…" if len(entry.text) > SUMMARY_TEXT else ""),
            },
        )
        for entry in entries
    )
    return to_topic(env, case, "topic-history", params={"number": case.number}, lines=lines)
