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

from flows import assignment, casework, escalation, marks, promise
from flows.actions import (
    Appeal,
    CancelPrompt,
    DeclineDecision,
    MoreTime,
    Resolution,
    TransferTo,
)
from flows.card import card_params, topic_link
from flows.config import Manager, Team
from flows.durations import parse_duration
from flows.env import Env
from flows.incoming import (
    GroupUpdate,
    Media,
    Text,
    Unsupported,
)
from flows.lifecycle import CaseEvent, CaseState, IllegalTransition, allowed_events
from flows.messages import (
    PRIORITY_REPLY,
    Button,
    Edit,
    Html,
    Outgoing,
    Param,
    Say,
    marked,
)
from flows.model import Case, Prompt, StaffMember
from flows.ports import UnitOfWork
from flows.promise import By
from flows.staff import Actor, not_now, reply

PROMPT_TTL = timedelta(minutes=10)
TRANSFER_PEOPLE = 6
ANSWER_LIMIT = 1500  # characters of a question or decline reason; the rest belongs in a reply


async def take(
    uow: UnitOfWork, env: Env, case: Case, actor: Actor, answering: bool = False
) -> Case:
    """`actor` becomes the one owner; the customer is told who, and until when.

    Taking never moves the promised time later. With `answering`, the taker's own message
    follows at once and keeps the promise, so the customer is told who, without a time.
    """
    case = await casework.move(uow, env, case, CaseEvent.TAKE, actor.tag, name=actor.label)
    owes = casework.owes_now(case)
    due = casework.kept_due(env, case, owes)
    case = replace(
        case,
        owner_id=actor.telegram_id,
        owner_name=actor.label,
        promise=promise.for_staff(
            actor.telegram_id, actor.first_name, actor.team.key, owes, due, promise.TAKEN, env.now
        ),
    )
    case = await casework.save(uow, env, case)
    if answering:
        # Only who: the taker's answer follows in this same moment and keeps the promise.
        customer = await casework.customer_of(uow, case)
        assert case.promise is not None
        name = promise.label(case.promise, env.config, customer.language)
        params: dict[str, Param] = {"number": case.number, "p_name": name}
        told = casework.to_customer(customer, "case-taken-answering", params=params)
    else:
        told = await casework.tell(uow, env, case, "case-taken")
    await casework.send(
        uow,
        env,
        told,
        casework.to_topic(
            env, case, "topic-taken", params={"number": case.number, "owner": actor.label}
        ),
    )
    return case


async def resolve(uow: UnitOfWork, env: Env, case: Case, actor: Actor, note: Html | str) -> Case:
    """Mark resolved with a one-line resolution, and ask the customer whether it is really gone."""
    text = note.html if isinstance(note, Html) else note
    case = await casework.move(uow, env, case, CaseEvent.RESOLVE, actor.tag, text)
    case = await casework.save(uow, env, casework.responded(case, env))
    customer = await casework.customer_of(uow, case)
    yes, no = Resolution(case.number, "yes"), Resolution(case.number, "no")
    await casework.send(
        uow,
        env,
        casework.to_customer(
            customer,
            "case-resolved-ask",
            params={"number": case.number, "owner": actor.label, "note": note},
            buttons=(
                (
                    Button(key="btn-solved-yes", data=yes.pack()),
                    Button(key="btn-solved-no", data=no.pack()),
                ),
            ),
            priority=PRIORITY_REPLY,
        ),
        casework.to_topic(
            env,
            case,
            "topic-resolved",
            params={"number": case.number, "owner": actor.label, "note": note},
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


MORE_TIME = ("1h", "4h", "1d", "2d")


async def offer_more_time(uow: UnitOfWork, env: Env, update: GroupUpdate, case: Case) -> None:
    """How much more time the owner needs: the customer is told before the promise breaks."""
    live = case.promise
    assert live is not None
    choices = tuple(
        Button(
            key="btn-more-time",
            data=MoreTime(case.number, within).pack(),
            params={"within": f"plus{within}"},
        )
        for within in MORE_TIME
    )
    await casework.send(
        uow,
        env,
        reply(
            env,
            update,
            "staff-more-time-how-long",
            params={"number": case.number, "due": live.due},
            buttons=(choices, (Button(key="btn-cancel", data=CancelPrompt(case.number).pack()),)),
        ),
    )


async def more_time_chosen(
    uow: UnitOfWork, env: Env, update: GroupUpdate, actor: Actor, case: Case, choice: MoreTime
) -> None:
    """A length was chosen: the reason for the customer comes in the next message."""
    if choice.within not in MORE_TIME:
        await casework.send(uow, env, not_now(env, update, case))
        return
    await ask_staff(uow, env, update, actor, case, "later", {"within": choice.within})


async def renegotiate(
    uow: UnitOfWork,
    env: Env,
    update: GroupUpdate,
    actor: Actor,
    case: Case,
    within: str,
    reason: Html | str,
) -> Case:
    """A new time for the promise, announced with the reason before the old one passed."""
    live = case.promise
    if live is None or live.by is not By.STAFF or live.due <= env.now:
        # Broken meanwhile (or handed on): too late to renegotiate it.
        await casework.send(
            uow, env, reply(env, update, "staff-later-not-now", params={"number": case.number})
        )
        return case
    due = casework.after(env, parse_duration(within))
    text = reason.html if isinstance(reason, Html) else reason
    await casework.log(uow, env, case, "promise_renegotiated", actor.tag, text, due=due.isoformat())
    renewed = live.renewed(due, promise.RENEGOTIATED, env.now)
    case = await casework.save(uow, env, replace(case, promise=renewed))
    await casework.send(
        uow,
        env,
        await casework.tell(
            uow, env, case, "case-renegotiated", params={"reason": reason}, priority=PRIORITY_REPLY
        ),
        casework.to_topic(
            env,
            case,
            "topic-renegotiated",
            params={"number": case.number, "owner": actor.label, "due": due, "reason": text},
        ),
    )
    return case


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
    text, answer = prompt_answer(event)
    try:
        if prompt.action == "transfer":
            await transfer(uow, env, actor, case, prompt.data, text)
        elif prompt.action == "ask":
            await _ask_customer(uow, env, actor, case, text, answer)
        elif prompt.action == "decline":
            await decline(uow, env, actor, case, text, answer)
        elif prompt.action == "resolve":
            await resolve(uow, env, case, actor, answer)
        elif prompt.action == "later":
            await renegotiate(uow, env, update, actor, case, str(prompt.data["within"]), answer)
    except IllegalTransition:
        # The case moved on while the staff member was typing (the customer answered, say).
        await casework.send(uow, env, not_now(env, update, case))


def prompt_answer(event: Text) -> tuple[str, Html | str]:
    """An answer to a prompt as plain text (for the log) and as the customer will read it."""
    text = event.text.strip()[:ANSWER_LIMIT]
    if len(event.text) > ANSWER_LIMIT:
        return text, text
    return text, Html(event.html or html.escape(event.text))


async def transfer(
    uow: UnitOfWork,
    env: Env,
    actor: Actor,
    case: Case,
    data: dict[str, Any],
    reason: str,
) -> Case | None:
    """Hand the case to a person or a team, announced; too many hand-overs escalate it, and
    then the escalation is what the customer hears, in one message."""
    told = case.transfers + 1 <= escalation.MAX_TRANSFERS
    if data.get("kind") == "p":
        person = await uow.staff.get(int(data["target"]))
        moved = (
            None
            if person is None
            else await _to_person(uow, env, actor, case, person, reason, told)
        )
    else:
        target = env.config.team(str(data["target"]))
        moved = await _to_team(uow, env, actor, case, target, reason, told)
    if moved is not None and moved.transfers > escalation.MAX_TRANSFERS:
        moved = await escalation.escalate(
            uow, env, moved, escalation.TRIGGER_TRANSFERS, actor.tag, str(moved.transfers)
        )
    return moved


async def _to_person(
    uow: UnitOfWork,
    env: Env,
    actor: Actor,
    case: Case,
    person: StaffMember,
    reason: str,
    tell_customer: bool,
) -> Case:
    """A colleague owns the case now, by the time already promised if it is still ahead."""
    team = env.config.team(person.team) if person.team in casework.team_keys(env) else actor.team
    label = casework.owner_label(person.first_name, team)
    case = await casework.move(
        uow, env, case, CaseEvent.TRANSFER_TO_PERSON, actor.tag, reason, to=label
    )
    owes = casework.owes_now(case)
    due = casework.kept_due(env, case, owes)
    live = promise.for_staff(
        person.telegram_id, person.first_name, team.key, owes, due, promise.TRANSFERRED, env.now
    )
    case = replace(
        case,
        owner_id=person.telegram_id,
        owner_name=label,
        transfers=case.transfers + 1,
        promise=live,
    )
    case = await casework.save(uow, env, case)
    await casework.send(
        uow,
        env,
        casework.to_topic(
            env,
            case,
            "topic-transferred-person",
            params={"number": case.number, "from": actor.label, "to": label, "reason": reason},
        ),
    )
    if tell_customer:
        await casework.send(
            uow, env, await casework.tell(uow, env, case, "case-transferred-person")
        )
    return case


async def _to_team(
    uow: UnitOfWork,
    env: Env,
    actor: Actor,
    case: Case,
    target: Team,
    reason: str,
    tell_customer: bool,
) -> Case:
    """The case goes back to a team's queue (its own, or another's, in that team's group)."""
    case = await casework.move(
        uow, env, case, CaseEvent.TRANSFER_TO_TEAM, actor.tag, reason, to=target.key
    )
    owes = casework.owes_now(case)
    moved = replace(
        case,
        team=target.key,
        owner_id=None,
        owner_name=None,
        transfers=case.transfers + 1,
        promise=promise.for_team(
            target.key, owes, casework.fresh_due(env, case, owes), promise.TRANSFERRED, env.now
        ),
    )
    notice: dict[str, Param] = {
        "number": case.number,
        "from": actor.label,
        "team": target.title_in(casework.staff_language(env)),
        "reason": reason,
    }
    if target.key == case.team:
        moved = await casework.save(uow, env, moved)
        await casework.send(
            uow, env, casework.to_topic(env, moved, "topic-back-to-queue", params=notice)
        )
    else:
        await _leave_topic(uow, env, case, moved, notice)
        moved = await casework.save(
            uow, env, await casework.open_topic(uow, env, moved, summary=True)
        )
        await casework.send(uow, env, casework.to_topic(env, moved, "topic-arrived", params=notice))
        moved = await assignment.assign(uow, env, moved)
    if tell_customer:
        await casework.send(uow, env, await casework.tell(uow, env, moved, "case-transferred-team"))
    return moved


async def _leave_topic(
    uow: UnitOfWork, env: Env, case: Case, moved: Case, notice: dict[str, Param]
) -> None:
    """The old topic keeps its history but says where the case went; its card loses its buttons."""
    old_chat, old_thread, old_card = case.topic_chat_id, case.topic_id, case.card_message_id
    if old_chat is None:
        return
    language = casework.staff_language(env)
    messages: list[Outgoing] = [
        Say(
            chat_id=old_chat,
            key="topic-moved",
            language=language,
            params=notice,
            thread_id=old_thread,
        )
    ]
    if old_card is not None:
        customer = await casework.customer_of(uow, case)
        files = await uow.attachments.for_case(case.number)
        old = card_params(moved, customer, files, env.config, language)
        messages.append(
            Edit(chat_id=old_chat, message_id=old_card, key="card", language=language, params=old)
        )
    await casework.send(uow, env, *messages)


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


async def decline(
    uow: UnitOfWork, env: Env, actor: Actor, case: Case, text: str, reason: Html | str
) -> None:
    """A firm, polite "no" with the reason; on a case a manager holds it is the manager's call."""
    decider = await _deciding_manager(uow, env, case)
    if decider is not None and not actor.is_manager:
        await _propose_decline(uow, env, actor, case, decider, text)
        return
    await declined(uow, env, case, actor.tag, actor.label, text, reason)


async def declined(
    uow: UnitOfWork,
    env: Env,
    case: Case,
    actor: str,
    signature: str,
    text: str,
    reason: Html | str,
) -> Case:
    """Decline the case: the customer gets the reason and a way to ask a manager to review."""
    case = await casework.move(uow, env, case, CaseEvent.DECLINE, actor, text)
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
                "signature": signature,
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
            params={"number": case.number, "owner": signature, "reason": text},
        ),
    )
    return case


async def _deciding_manager(uow: UnitOfWork, env: Env, case: Case) -> Manager | None:
    """The manager whose decision a decline of this escalated case is, if any."""
    holder = casework.held_by_manager(case)
    if holder is not None:
        return env.config.manager(holder)
    if case.state is not CaseState.ESCALATED:
        return None
    waiting = await uow.escalations.open_for_case(case.number)
    return env.config.manager(waiting.manager if waiting else case.manager)


async def _propose_decline(
    uow: UnitOfWork, env: Env, actor: Actor, case: Case, manager: Manager, reason: str
) -> None:
    """Staff cannot overrule a manager: the decline goes to the manager to confirm."""
    await casework.log(uow, env, case, "decline_proposed", actor.tag, reason, by=actor.label)
    params: dict[str, Param] = {
        "number": case.number,
        "owner": actor.label,
        "manager": manager.name,
        "reason": reason,
        "link": topic_link(case.topic_chat_id, case.topic_id),
    }
    await casework.send(
        uow,
        env,
        casework.to_manager(
            env,
            manager,
            "manager-decline-proposed",
            params=params,
            buttons=(
                (
                    Button(
                        key="btn-decline-confirm", data=DeclineDecision(case.number, "yes").pack()
                    ),
                    Button(key="btn-decline-keep", data=DeclineDecision(case.number, "no").pack()),
                ),
            ),
            track=marked(marks.DECLINE_PROPOSAL, case.number),
        ),
        casework.to_topic(env, case, "topic-decline-proposed", params=params),
    )
