"""A manager's private chat with the bot: escalation cards, replies to customers, review items.

A manager is a person too: whatever is not a manager's action here (a complaint of their own,
say) is left to the customer services.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from flows import (
    casework,
    customer_service,
    digest,
    escalation,
    marks,
    promise,
    relay,
    staff_actions,
)
from flows.actions import (
    Action,
    BadPayload,
    DeclineDecision,
    EndReply,
    Escalated,
    Reassign,
    ReviewAnswer,
    RootCause,
    unpack,
)
from flows.config import Manager
from flows.env import Env
from flows.incoming import Command, Media, Pressed, Text, Unsupported, Update
from flows.lifecycle import CaseEvent, allowed_events, is_open
from flows.messages import AnswerButton, Button, Edit, Param, Say
from flows.model import Case, CaseLogEntry, Escalation, Prompt, Review
from flows.ports import UnitOfWork
from flows.staff import Actor

REPLY_TTL = timedelta(minutes=30)  # how long a manager's messages go on to the customer
REVIEW_TTL = timedelta(hours=1)
REVIEWS_LISTED = 10
TRANSFER_PEOPLE = 6
ANSWER_LIMIT = 3000
# A manager's words written without pressing Reply may be offered to the customers of the
# escalations paged to them this recently, the newest few.
LIVE_ESCALATION = timedelta(days=7)
SEND_CHOICES = 3
_ACK_WITHIN: dict[str, str | None] = {"ack": None, **dict(escalation.ACK_CHOICES)}
_TEAM_EVENTS = {"t": CaseEvent.TRANSFER_TO_TEAM, "p": CaseEvent.TRANSFER_TO_PERSON}


def _say(manager: Manager, env: Env, key: str, **kwargs: Any) -> Say:
    return Say(
        chat_id=manager.telegram_id, key=key, language=casework.staff_language(env), **kwargs
    )


def _prompt_key(manager: Manager) -> tuple[int, int, int]:
    # A private chat has no topics: thread 0 stands for the chat itself.
    return (manager.telegram_id, 0, manager.telegram_id)


def _label(manager: Manager, language: str = "en") -> str:
    """How the customer hears a manager's name: "Maria Kowalska, Head of Customer Care"."""
    title = manager.title_in(language)
    return f"{manager.name}, {title}" if title else manager.name


def _actor(env: Env, manager: Manager, case: Case) -> Actor:
    """The manager acting on a case as a member of its team."""
    return Actor(manager.telegram_id, manager.name, env.config.team(case.team), True, True)


async def handle(uow: UnitOfWork, env: Env, update: Update) -> bool:
    """Handle what a manager did in their private chat; False if it is not a manager's action."""
    manager = env.config.manager_by_telegram_id(update.profile.telegram_id)
    if manager is None:
        return False
    event = update.event
    if isinstance(event, Pressed):
        try:
            action = unpack(event.data)
        except BadPayload:
            return False
        if not isinstance(
            action, Escalated | Reassign | EndReply | ReviewAnswer | RootCause | DeclineDecision
        ):
            return False
        language = casework.staff_language(env)
        answer = AnswerButton(event.callback_id, language, chat_id=manager.telegram_id)
        await _pressed(uow, env, manager, action, answer, event.message_id)
        return True
    if isinstance(event, Command):
        return await _command(uow, env, manager, event)
    prompt = await uow.prompts.get(*_prompt_key(manager))
    if prompt is None:
        return await _as_a_person(uow, env, manager, update)
    ttl = REPLY_TTL if prompt.action == "reply" else REVIEW_TTL
    if env.now - prompt.created_at > ttl:
        await uow.prompts.delete(*_prompt_key(manager))
        return await _as_a_person(uow, env, manager, update)
    if prompt.action == "reply" and isinstance(event, Text | Media | Unsupported):
        await _relay(uow, env, manager, prompt, event)
        return True
    if prompt.action == "review" and isinstance(event, Text) and event.text.strip():
        await _review_answered(uow, env, manager, prompt, event.text)
        return True
    if prompt.action == "resolve" and isinstance(event, Text) and event.text.strip():
        await _resolve_with(uow, env, manager, prompt, event)
        return True
    return False


async def _as_a_person(uow: UnitOfWork, env: Env, manager: Manager, update: Update) -> bool:
    """What a manager writes without a prompt is a person's, for the customer services (False).
    Written right after an escalation card, it was most likely meant for the customer: the
    customer services take it as a complaint of the manager's own, and an offer follows to send
    it to the customer of a live escalation instead."""
    offer = await _send_offer(uow, env, manager, update.event)
    if offer is None:
        return False
    await customer_service.handle_private(uow, env, update)
    await casework.send(uow, env, offer)
    return True


async def _send_offer(uow: UnitOfWork, env: Env, manager: Manager, event: object) -> Say | None:
    """Buttons to send `event` to the customers of the manager's live escalations, if it is a
    text that would start a complaint of the manager's own."""
    if not isinstance(event, Text) or not event.text.strip() or event.text.startswith("/"):
        return None
    if await customer_service.busy_as_customer(uow, manager.telegram_id):
        return None
    live = await uow.escalations.live_for_manager(manager.key, env.now - LIVE_ESCALATION)
    buttons: list[tuple[Button, ...]] = []
    for found in live[:SEND_CHOICES]:
        case = await uow.cases.get(found.case_number)
        if case is None:
            continue
        customer = await casework.customer_of(uow, case)
        params: dict[str, Param] = {"customer": customer.first_name, "number": case.number}
        send = Escalated(str(found.id), "send").pack()
        buttons.append((Button(key="btn-send-to", data=send, params=params),))
    if not buttons:
        return None
    return _say(manager, env, "manager-meant-for-customer", buttons=tuple(buttons))


async def _send_instead(
    uow: UnitOfWork,
    env: Env,
    manager: Manager,
    found: Escalation,
    case: Case,
    answer: AnswerButton,
) -> None:
    """What the manager wrote, taken for a complaint of their own, goes to the customer as
    their answer; the draft is dropped and the manager is in reply mode for the case."""
    draft = await customer_service.take_draft(uow, env, manager.telegram_id)
    if draft is None or not draft.parts:
        await casework.send(uow, env, _alert(answer, "button-stale"))
        return
    await casework.send(uow, env, answer)
    await escalation.acknowledge_quietly(uow, env, found, manager)
    customer = await casework.customer_of(uow, case)
    signature, actor = _label(manager, customer.language), f"manager:{manager.key}"
    for part in draft.parts:
        said = Text(text=part.text, message_id=part.message_id)
        case = await relay.to_customer(uow, env, case, manager.telegram_id, said, signature, actor)
    params: dict[str, Param] = {"customer": customer.first_name, "number": case.number}
    await casework.send(uow, env, _say(manager, env, "manager-sent-instead", params=params))
    await _start_reply(uow, env, manager, case)


async def _command(uow: UnitOfWork, env: Env, manager: Manager, event: Command) -> bool:
    if event.name == "reviews":
        await casework.send(uow, env, await _reviews(uow, env, manager))
    elif event.name == "report":
        await digest.on_demand(uow, env, manager, event.args)
    elif event.name == "done":
        await _end_reply(uow, env, manager)
    elif event.name == "help":
        await casework.send(uow, env, _say(manager, env, "manager-help"))
    else:
        return False
    return True


async def _pressed(
    uow: UnitOfWork,
    env: Env,
    manager: Manager,
    action: Action,
    answer: AnswerButton,
    pressed_on: int | None,
) -> None:
    if isinstance(action, ReviewAnswer | RootCause):
        await _review_button(uow, env, manager, action, answer)
        return
    if isinstance(action, EndReply):
        await casework.send(uow, env, answer)
        await _end_reply(uow, env, manager)
        return
    if isinstance(action, DeclineDecision):
        await _decline_decided(uow, env, manager, action, answer)
        return
    assert isinstance(action, Escalated | Reassign)
    ref = action.escalation
    found = await uow.escalations.get(int(ref)) if ref.isdigit() else None
    case = None if found is None else await uow.cases.get(found.case_number)
    if found is None or case is None:
        await casework.send(uow, env, _alert(answer, "button-stale"))
        return
    if case.erased_at is not None:
        await casework.send(
            uow, env, _alert(answer, "manager-case-erased-alert", number=case.number)
        )
        return
    name = "reassign-to" if isinstance(action, Reassign) else action.action
    if name in _ACK_WITHIN:
        await _acknowledge(uow, env, manager, found, case, _ACK_WITHIN[name], answer, pressed_on)
    elif name == "reply":
        await casework.send(uow, env, answer)
        await escalation.acknowledge_quietly(uow, env, found, manager)
        await _start_reply(uow, env, manager, case)
    elif not is_open(case.state):
        await casework.send(uow, env, _alert(answer, "manager-case-ended"))
    elif name == "send":
        await _send_instead(uow, env, manager, found, case, answer)
    elif name == "take":
        await _take_over(uow, env, manager, found, case, answer)
    elif name == "reassign":
        await casework.send(
            uow, env, answer, await _reassign_choices(uow, env, manager, found, case)
        )
    elif name == "reassign-to" and isinstance(action, Reassign):
        await _reassign(uow, env, manager, found, case, action, answer)
    elif name == "resolve" and CaseEvent.RESOLVE in allowed_events(case.state):
        await casework.send(uow, env, answer)
        await escalation.acknowledge_quietly(uow, env, found, manager)
        await uow.prompts.set(Prompt(*_prompt_key(manager), case.number, "resolve", env.now))
        await casework.send(
            uow, env, _say(manager, env, "manager-resolve-how", params={"number": case.number})
        )
    else:
        await casework.send(uow, env, _alert(answer, "manager-not-now"))


def _alert(answer: AnswerButton, key: str, **params: Param) -> AnswerButton:
    return replace(answer, key=key, alert=True, params=params)


# -- acknowledging and taking over ---------------------------------------------------------


async def _acknowledge(
    uow: UnitOfWork,
    env: Env,
    manager: Manager,
    found: Escalation,
    case: Case,
    within: str | None,
    answer: AnswerButton,
    card: int | None,
) -> None:
    """Acknowledge; the card's buttons move to the confirmation, below it in the chat, so that
    the manager cannot acknowledge twice and finds what is left to do in the newest message."""
    if found.acked_at is not None:
        name = env.config.manager(found.acked_by or manager.key).name
        await casework.send(uow, env, _alert(answer, "manager-already-acked", name=name))
        return
    await casework.send(uow, env, answer)
    case = await escalation.acknowledge(uow, env, found, manager, within) or case
    acked = await uow.escalations.get(found.id or 0)
    due = acked.reply_by if acked is not None else None
    if card is not None:
        language = casework.staff_language(env)
        taken_away = Edit(
            manager.telegram_id, "manager-escalation", language, card, buttons_only=True
        )
        await casework.send(uow, env, taken_away)
    await casework.send(
        uow,
        env,
        _say(
            manager,
            env,
            "manager-acked",
            params={"number": case.number, "due": due},
            buttons=escalation.card_buttons(case, str(found.id)),
        ),
    )


async def _take_over(
    uow: UnitOfWork,
    env: Env,
    manager: Manager,
    found: Escalation,
    case: Case,
    answer: AnswerButton,
) -> None:
    allowed = allowed_events(case.state)
    event = next((e for e in (CaseEvent.TAKE, CaseEvent.TRANSFER_TO_PERSON) if e in allowed), None)
    if event is None:
        await casework.send(uow, env, _alert(answer, "manager-not-now"))
        return
    await casework.send(uow, env, answer)
    await escalation.acknowledge_quietly(uow, env, found, manager)
    label = _label(manager, casework.staff_language(env))
    case = await casework.move(uow, env, case, event, f"manager:{manager.key}", name=label)
    owes = casework.owes_now(case)
    live = promise.for_manager(
        manager.key, owes, casework.kept_due(env, case, owes), promise.TAKEN, env.now
    )
    case = replace(case, owner_id=manager.telegram_id, owner_name=label, promise=live)
    case = await casework.save(uow, env, case)
    await casework.send(
        uow,
        env,
        await casework.tell(uow, env, case, "case-taken"),
        casework.to_topic(env, case, "topic-taken", params={"number": case.number, "owner": label}),
    )
    await _start_reply(uow, env, manager, case)


async def _reassign_choices(
    uow: UnitOfWork, env: Env, manager: Manager, found: Escalation, case: Case
) -> Say:
    ref = str(found.id)
    rows: list[tuple[Button, ...]] = [
        (
            Button(
                key="btn-transfer-team",
                data=Reassign(ref, "t", team.key).pack(),
                params={"team": team.title, "own": "yes" if team.key == case.team else ""},
            ),
        )
        for team in env.config.teams
    ]
    people = [m for m in await uow.staff.in_team(case.team) if m.telegram_id != case.owner_id]
    rows.extend(
        (
            Button(
                key="btn-transfer-person",
                data=Reassign(ref, "p", str(person.telegram_id)).pack(),
                params={"name": person.first_name},
            ),
        )
        for person in people[:TRANSFER_PEOPLE]
    )
    return _say(
        manager, env, "manager-reassign-where", params={"number": case.number}, buttons=tuple(rows)
    )


async def _reassign(
    uow: UnitOfWork,
    env: Env,
    manager: Manager,
    found: Escalation,
    case: Case,
    action: Reassign,
    answer: AnswerButton,
) -> None:
    if action.kind == "t":
        valid = any(team.key == action.target for team in env.config.teams)
    else:
        valid = action.target.isdigit() and await uow.staff.get(int(action.target)) is not None
    event = _TEAM_EVENTS.get(action.kind)
    if not valid or event is None or event not in allowed_events(case.state):
        await casework.send(uow, env, _alert(answer, "manager-not-now"))
        return
    await casework.send(uow, env, answer)
    await escalation.acknowledge_quietly(uow, env, found, manager)
    data = {"kind": action.kind, "target": action.target}
    moved = await staff_actions.transfer(
        uow, env, _actor(env, manager, case), case, data, f"reassigned by {manager.name}"
    )
    owner = moved.owner_name if moved is not None else None
    await casework.send(
        uow,
        env,
        _say(
            manager,
            env,
            "manager-reassigned",
            params={
                "number": case.number,
                "owner": owner or "",
                "team": env.config.team(moved.team if moved else case.team).title,
            },
        ),
    )


# -- writing to the customer -----------------------------------------------------------------


async def _start_reply(uow: UnitOfWork, env: Env, manager: Manager, case: Case) -> None:
    await uow.prompts.set(Prompt(*_prompt_key(manager), case.number, "reply", env.now))
    customer = await casework.customer_of(uow, case)
    minutes = int(REPLY_TTL.total_seconds() // 60)
    await casework.send(
        uow,
        env,
        _say(
            manager,
            env,
            "manager-reply-mode",
            params={"number": case.number, "customer": customer.first_name, "minutes": minutes},
            buttons=((Button(key="btn-done", data=EndReply(case.number).pack()),),),
        ),
    )


async def _relay(
    uow: UnitOfWork,
    env: Env,
    manager: Manager,
    prompt: Prompt,
    event: Text | Media | Unsupported,
) -> None:
    case = await uow.cases.get(prompt.case_number)
    if case is None:
        await uow.prompts.delete(*_prompt_key(manager))
        return
    customer = await casework.customer_of(uow, case)
    signature = _label(manager, customer.language)
    await relay.to_customer(
        uow, env, case, manager.telegram_id, event, signature, f"manager:{manager.key}"
    )
    await uow.prompts.set(replace(prompt, created_at=env.now))  # still writing: keep the mode


async def _end_reply(uow: UnitOfWork, env: Env, manager: Manager) -> None:
    await uow.prompts.delete(*_prompt_key(manager))
    await casework.send(uow, env, _say(manager, env, "manager-reply-done"))


async def _resolve_with(
    uow: UnitOfWork, env: Env, manager: Manager, prompt: Prompt, event: Text
) -> None:
    """The manager's one-line resolution: the case is resolved with it."""
    await uow.prompts.delete(*_prompt_key(manager))
    case = await uow.cases.get(prompt.case_number)
    if case is None or CaseEvent.RESOLVE not in allowed_events(case.state):
        await casework.send(uow, env, _say(manager, env, "manager-not-now"))
        return
    _, note = staff_actions.prompt_answer(event)
    await staff_actions.resolve(uow, env, case, _actor(env, manager, case), note)


async def _decline_decided(
    uow: UnitOfWork, env: Env, manager: Manager, action: DeclineDecision, answer: AnswerButton
) -> None:
    """The manager confirms a staff member's proposal to decline, or keeps the case open."""
    case = await uow.cases.get(action.case)
    erased = case is None or case.erased_at is not None
    proposals = [] if case is None or erased else await _proposals(uow, case.number)
    if case is None or not proposals or action.decision not in ("yes", "no"):
        await casework.send(uow, env, _alert(answer, "button-stale"))
        return
    await casework.send(uow, env, answer)
    await marks.set_buttons(uow, env, marks.DECLINE_PROPOSAL, case.number)
    await uow.marks.forget(marks.DECLINE_PROPOSAL, case.number)
    proposal = proposals[-1]
    params: dict[str, Param] = {"number": case.number, "manager": manager.name}
    if action.decision == "no" or CaseEvent.DECLINE not in allowed_events(case.state):
        await casework.log(uow, env, case, "decline_rejected", f"manager:{manager.key}")
        await casework.send(
            uow,
            env,
            casework.to_topic(env, case, "topic-decline-kept", params=params),
            _say(manager, env, "manager-decline-kept", params=params),
        )
        return
    signature = f"{proposal.data.get('by') or ''}, {_label(manager)}".strip(", ")
    await staff_actions.declined(
        uow, env, case, f"manager:{manager.key}", signature, proposal.text, proposal.text
    )
    await casework.send(uow, env, _say(manager, env, "manager-decline-confirmed", params=params))


async def _proposals(uow: UnitOfWork, number: str) -> list[CaseLogEntry]:
    """Proposals to decline the case still waiting for a manager's decision."""
    waiting: list[CaseLogEntry] = []
    for entry in await uow.log.for_case(number):
        if entry.kind == "decline_proposed":
            waiting.append(entry)
        elif entry.kind in ("decline_rejected", "decline"):
            waiting.clear()
    return waiting


# -- review items ----------------------------------------------------------------------------


async def _reviews(uow: UnitOfWork, env: Env, manager: Manager) -> Say:
    """The manager's open review items, oldest first, each with an Answer button."""
    items = await uow.reviews.open_for_manager(manager.key)
    shown = items[:REVIEWS_LISTED]
    lines = tuple(
        ("review-line", {"number": r.case_number, "why": r.trigger, "at": r.created_at})
        for r in shown
    )
    buttons = tuple(
        (
            Button(
                key="btn-answer-review",
                data=ReviewAnswer(str(r.id)).pack(),
                params={"number": r.case_number},
            ),
        )
        for r in shown
    )
    return _say(
        manager, env, "manager-reviews", params={"count": len(items)}, lines=lines, buttons=buttons
    )


async def _review_button(
    uow: UnitOfWork,
    env: Env,
    manager: Manager,
    action: ReviewAnswer | RootCause,
    answer: AnswerButton,
) -> None:
    review = await uow.reviews.get(int(action.review)) if action.review.isdigit() else None
    if review is None or review.manager != manager.key or review.closed_at is not None:
        await casework.send(uow, env, _alert(answer, "button-stale"))
        return
    if isinstance(action, ReviewAnswer):
        await casework.send(uow, env, answer)
        await uow.prompts.set(
            Prompt(
                *_prompt_key(manager), review.case_number, "review", env.now, {"review": review.id}
            )
        )
        await casework.send(
            uow,
            env,
            _say(
                manager,
                env,
                "review-ask",
                params={"number": review.case_number, "why": review.trigger},
            ),
        )
        return
    causes = env.config.organisation.root_causes
    if review.answer is None or not action.cause.isdigit() or int(action.cause) >= len(causes):
        await casework.send(uow, env, _alert(answer, "button-stale"))
        return
    await casework.send(uow, env, answer)
    cause = causes[int(action.cause)]
    await uow.reviews.save(replace(review, root_cause=cause, closed_at=env.now))
    await _log_review(uow, env, review, cause, manager)
    await casework.send(
        uow,
        env,
        _say(manager, env, "review-closed", params={"number": review.case_number, "cause": cause}),
    )


async def _log_review(
    uow: UnitOfWork, env: Env, review: Review, cause: str, manager: Manager
) -> None:
    case = await uow.cases.get(review.case_number)
    if case is not None:
        await casework.log(
            uow, env, case, "review", f"manager:{manager.key}", review.answer or "", cause=cause
        )


async def _review_answered(
    uow: UnitOfWork, env: Env, manager: Manager, prompt: Prompt, text: str
) -> None:
    await uow.prompts.delete(*_prompt_key(manager))
    review_id = prompt.data.get("review")
    review = await uow.reviews.get(int(review_id)) if isinstance(review_id, int) else None
    if review is None:
        return
    await uow.reviews.save(replace(review, answer=text.strip()[:ANSWER_LIMIT]))
    causes = env.config.organisation.root_causes
    buttons = [
        Button(
            key="btn-root-cause",
            data=RootCause(str(review.id), str(i)).pack(),
            params={"cause": cause},
        )
        for i, cause in enumerate(causes)
    ]
    await casework.send(
        uow,
        env,
        _say(
            manager,
            env,
            "review-root-cause",
            params={"number": review.case_number},
            buttons=tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)),
        ),
    )
