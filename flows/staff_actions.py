"""What staff do to a case from its card: take, resolve, transfer, ask the customer, decline.

Transfer, questions and declines need one more message from the staff member (the reason or the
question): the bot asks in the topic and keeps a prompt for that person for PROMPT_TTL, so a reply
written much later is never mistaken for it.
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import timedelta
from typing import Any

from flows import casework, escalation
from flows.actions import (
    Appeal,
    CancelPrompt,
    Resolution,
    TransferTo,
)
from flows.business_time import add_business_time
from flows.card import card_params
from flows.env import Env
from flows.incoming import (
    GroupUpdate,
    Media,
    Text,
    Unsupported,
)
from flows.lifecycle import CaseEvent, IllegalTransition, allowed_events
from flows.messages import (
    PRIORITY_REPLY,
    Button,
    Edit,
    Html,
    Param,
    Say,
)
from flows.model import Case, Prompt
from flows.ports import UnitOfWork
from flows.staff import Actor, not_now, reply

PROMPT_TTL = timedelta(minutes=10)
TRANSFER_PEOPLE = 6
ANSWER_LIMIT = 1500  # characters of a question or decline reason; the rest belongs in a reply


async def take(uow: UnitOfWork, env: Env, case: Case, actor: Actor) -> Case:
    """`actor` becomes the one owner; the customer is told who, and until when."""
    case = await casework.move(uow, env, case, CaseEvent.TAKE, actor.tag, name=actor.label)
    case = replace(
        case,
        owner_id=actor.telegram_id,
        owner_name=actor.label,
        next_update_due=casework.next_update(env, case),
    )
    case = await casework.save(uow, env, case)
    customer = await casework.customer_of(uow, case)
    await casework.send(
        uow,
        env,
        casework.to_customer(
            customer,
            "case-taken",
            params={"number": case.number, "owner": actor.label, "due": case.next_update_due},
        ),
        casework.to_topic(
            env, case, "topic-taken", params={"number": case.number, "owner": actor.label}
        ),
    )
    return case


async def resolve(uow: UnitOfWork, env: Env, case: Case, actor: Actor) -> Case:
    """Mark resolved and ask the customer whether the problem is really gone."""
    case = await casework.move(uow, env, case, CaseEvent.RESOLVE, actor.tag)
    case = await casework.save(uow, env, casework.responded(case, env))
    customer = await casework.customer_of(uow, case)
    yes, no = Resolution(case.number, "yes"), Resolution(case.number, "no")
    await casework.send(
        uow,
        env,
        casework.to_customer(
            customer,
            "case-resolved-ask",
            params={"number": case.number, "owner": case.owner_name or actor.label},
            buttons=(
                (
                    Button(key="btn-solved-yes", data=yes.pack()),
                    Button(key="btn-solved-no", data=no.pack()),
                ),
            ),
            priority=PRIORITY_REPLY,
        ),
        casework.to_topic(
            env, case, "topic-resolved", params={"number": case.number, "owner": actor.label}
        ),
    )
    return case


# -- transfer and questions that need one more message from the staff member -----------------


async def offer_transfer(
    uow: UnitOfWork, env: Env, update: GroupUpdate, actor: Actor, case: Case
) -> None:
    rows: list[tuple[Button, ...]] = []
    for team in env.config.teams:
        if team.key != case.team or case.owner_id is not None:
            rows.append(
                (
                    Button(
                        key="btn-transfer-team",
                        data=TransferTo(case.number, "t", team.key).pack(),
                        params={"team": team.title, "own": "yes" if team.key == case.team else ""},
                    ),
                )
            )
    people = [
        m
        for m in await uow.staff.in_team(case.team)
        if m.telegram_id not in (actor.telegram_id, case.owner_id)
    ][:TRANSFER_PEOPLE]
    for person in people:
        rows.append(
            (
                Button(
                    key="btn-transfer-person",
                    data=TransferTo(case.number, "p", str(person.telegram_id)).pack(),
                    params={"name": person.first_name},
                ),
            )
        )
    rows.append((Button(key="btn-cancel", data=CancelPrompt(case.number).pack()),))
    await casework.send(
        uow,
        env,
        reply(
            env, update, "staff-transfer-where", params={"number": case.number}, buttons=tuple(rows)
        ),
    )


async def transfer_chosen(
    uow: UnitOfWork, env: Env, update: GroupUpdate, actor: Actor, case: Case, choice: TransferTo
) -> None:
    if choice.kind == "t":
        valid = any(t.key == choice.target for t in env.config.teams)
        event = CaseEvent.TRANSFER_TO_TEAM
    else:
        person = await uow.staff.get(int(choice.target)) if choice.target.isdigit() else None
        valid = person is not None
        event = CaseEvent.TRANSFER_TO_PERSON
    if not valid or event not in allowed_events(case.state):
        await casework.send(uow, env, not_now(env, update, case))
        return
    data = {"kind": choice.kind, "target": choice.target}
    await ask_staff(uow, env, update, actor, case, "transfer", data)


async def ask_staff(
    uow: UnitOfWork,
    env: Env,
    update: GroupUpdate,
    actor: Actor,
    case: Case,
    action: str,
    data: dict[str, Any],
) -> None:
    """Ask the staff member for one more message (reason, question) in this topic."""
    if update.thread_id is None:
        return
    await uow.prompts.set(
        Prompt(
            update.chat_id, update.thread_id, actor.telegram_id, case.number, action, env.now, data
        )
    )
    minutes = int(PROMPT_TTL.total_seconds() // 60)
    await casework.send(
        uow,
        env,
        reply(
            env,
            update,
            f"staff-prompt-{action}",
            params={"number": case.number, "name": actor.first_name, "minutes": minutes},
            buttons=((Button(key="btn-cancel", data=CancelPrompt(case.number).pack()),),),
        ),
    )


async def drop_prompt(uow: UnitOfWork, env: Env, update: GroupUpdate, actor: Actor) -> None:
    if update.thread_id is None:
        return
    await uow.prompts.delete(update.chat_id, update.thread_id, actor.telegram_id)
    await casework.send(uow, env, reply(env, update, "staff-prompt-cancelled"))


async def answer_prompt(
    uow: UnitOfWork,
    env: Env,
    update: GroupUpdate,
    actor: Actor,
    case: Case,
    prompt: Prompt,
    event: Text | Media | Unsupported,
) -> None:
    if not isinstance(event, Text) or not event.text.strip():
        await casework.send(uow, env, reply(env, update, "staff-prompt-text-only"))
        return
    assert update.thread_id is not None
    await uow.prompts.delete(update.chat_id, update.thread_id, actor.telegram_id)
    text = event.text.strip()[:ANSWER_LIMIT]
    answer = (
        Html(event.html or html.escape(event.text)) if len(event.text) <= ANSWER_LIMIT else text
    )
    try:
        if prompt.action == "transfer":
            await transfer(uow, env, actor, case, prompt.data, text)
        elif prompt.action == "ask":
            await _ask_customer(uow, env, actor, case, text, answer)
        elif prompt.action == "decline":
            await _decline(uow, env, actor, case, text, answer)
    except IllegalTransition:
        # The case moved on while the staff member was typing (the customer answered, say).
        await casework.send(uow, env, not_now(env, update, case))


async def transfer(
    uow: UnitOfWork,
    env: Env,
    actor: Actor,
    case: Case,
    data: dict[str, Any],
    reason: str,
) -> Case | None:
    """Hand the case to a person or a team, announced; too many hand-overs escalate it."""
    moved = await _hand_over(uow, env, actor, case, data, reason)
    if moved is not None and moved.transfers > escalation.MAX_TRANSFERS:
        moved = await escalation.escalate(
            uow, env, moved, escalation.TRIGGER_TRANSFERS, actor.tag, str(moved.transfers)
        )
    return moved


async def _hand_over(
    uow: UnitOfWork,
    env: Env,
    actor: Actor,
    case: Case,
    data: dict[str, Any],
    reason: str,
) -> Case | None:
    customer = await casework.customer_of(uow, case)
    if data.get("kind") == "p":
        person = await uow.staff.get(int(data["target"]))
        if person is None:
            return None
        team = (
            env.config.team(person.team)
            if any(t.key == person.team for t in env.config.teams)
            else actor.team
        )
        label = casework.owner_label(person.first_name, team)
        case = await casework.move(
            uow, env, case, CaseEvent.TRANSFER_TO_PERSON, actor.tag, reason, to=label
        )
        case = replace(
            case,
            owner_id=person.telegram_id,
            owner_name=label,
            transfers=case.transfers + 1,
            next_update_due=casework.next_update(env, case),
        )
        case = await casework.save(uow, env, case)
        await casework.send(
            uow,
            env,
            casework.to_customer(
                customer,
                "case-transferred-person",
                params={"number": case.number, "owner": label, "due": case.next_update_due},
            ),
            casework.to_topic(
                env,
                case,
                "topic-transferred-person",
                params={"number": case.number, "from": actor.label, "to": label, "reason": reason},
            ),
        )
        return case
    target = env.config.team(str(data["target"]))
    case = await casework.move(
        uow, env, case, CaseEvent.TRANSFER_TO_TEAM, actor.tag, reason, to=target.key
    )
    category = env.config.category(case.category)
    first = category.first_response if category else timedelta(hours=2)
    moved = replace(
        case,
        team=target.key,
        owner_id=None,
        owner_name=None,
        transfers=case.transfers + 1,
        next_update_due=add_business_time(env.config.organisation, env.now, first),
    )
    notice: dict[str, Param] = {
        "number": case.number,
        "from": actor.label,
        "team": target.title,
        "reason": reason,
    }
    if target.key == case.team:
        moved = await casework.save(uow, env, moved)
        await casework.send(
            uow, env, casework.to_topic(env, moved, "topic-back-to-queue", params=notice)
        )
    else:
        # The old topic keeps its history but says where the case went; its card loses its buttons.
        old_chat, old_thread, old_card = case.topic_chat_id, case.topic_id, case.card_message_id
        language = casework.staff_language(env)
        if old_chat is not None:
            await casework.send(
                uow,
                env,
                Say(
                    chat_id=old_chat,
                    key="topic-moved",
                    language=language,
                    params=notice,
                    thread_id=old_thread,
                ),
            )
            if old_card is not None:
                old = card_params(
                    moved,
                    customer,
                    await uow.attachments.for_case(case.number),
                    env.config,
                    language,
                )
                await casework.send(
                    uow,
                    env,
                    Edit(
                        chat_id=old_chat,
                        message_id=old_card,
                        key="card",
                        language=language,
                        params=old,
                    ),
                )
        moved = await casework.open_topic(uow, env, moved, summary=True)
        moved = await uow.cases.save(moved)
        await casework.send(uow, env, casework.to_topic(env, moved, "topic-arrived", params=notice))
    await casework.send(
        uow,
        env,
        casework.to_customer(
            customer,
            "case-transferred-team",
            params={"number": case.number, "team": target.title, "due": moved.next_update_due},
        ),
    )
    return moved


async def _ask_customer(
    uow: UnitOfWork, env: Env, actor: Actor, case: Case, text: str, question: Html | str
) -> None:
    case = await casework.move(uow, env, case, CaseEvent.ASK_CUSTOMER, actor.tag, text)
    case = await casework.save(uow, env, casework.responded(case, env))
    customer = await casework.customer_of(uow, case)
    await casework.send(
        uow,
        env,
        casework.to_customer(
            customer,
            "case-question",
            params={
                "number": case.number,
                "owner": case.owner_name or actor.label,
                "question": question,
            },
            priority=PRIORITY_REPLY,
        ),
        casework.to_topic(
            env, case, "topic-asked", params={"number": case.number, "owner": actor.label}
        ),
    )


async def _decline(
    uow: UnitOfWork, env: Env, actor: Actor, case: Case, text: str, reason: Html | str
) -> None:
    case = await casework.move(uow, env, case, CaseEvent.DECLINE, actor.tag, text)
    case = await casework.save(uow, env, casework.responded(case, env))
    customer = await casework.customer_of(uow, case)
    manager = env.config.manager(case.manager)
    await casework.send(
        uow,
        env,
        casework.to_customer(
            customer,
            "case-declined",
            params={
                "number": case.number,
                "owner": case.owner_name or actor.label,
                "reason": reason,
                "manager": manager.name,
            },
            buttons=((Button(key="btn-appeal", data=Appeal(case.number).pack()),),),
            priority=PRIORITY_REPLY,
        ),
        casework.to_topic(
            env,
            case,
            "topic-declined",
            params={"number": case.number, "owner": actor.label, "reason": text},
        ),
    )
