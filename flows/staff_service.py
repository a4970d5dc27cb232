"""Services for staff in a team's supergroup: the case topic, its card buttons and commands.

Whatever staff write in a case's topic goes to the customer as the bot, signed, unless it is an
internal note (`!…` or `/note …`) or the tone guard holds it for its author (flows/tone_hold.py);
`/r` sends the organisation's saved replies (flows/saved_replies.py). Every button press is authorised again here: only staff of the
group (or a manager) may act, only the owner (or a manager) may act on an owned case, and only
what the lifecycle table allows happens; anything else gets an alert and changes nothing.
"""

from __future__ import annotations

import html
from typing import Any

from flows import (
    assignment,
    casework,
    escalation,
    relay,
    saved_replies,
    staff_actions,
    staff_commands,
    tone_hold,
)
from flows.actions import (
    BadPayload,
    CancelPrompt,
    CardAction,
    HeldReply,
    MoreTime,
    SendSaved,
    TransferTo,
    unpack,
)
from flows.card import can_renegotiate
from flows.env import Env
from flows.incoming import (
    Command,
    Edited,
    GroupUpdate,
    Media,
    Pressed,
    Text,
    TopicClosed,
    Unsupported,
)
from flows.lifecycle import CaseEvent, CaseState, allowed_events, is_open
from flows.messages import (
    AnswerButton,
    Edit,
    Html,
    Param,
    React,
)
from flows.model import Case, StaffMember
from flows.ports import TopicPending, UnitOfWork
from flows.staff import Actor, reply

NOTE_PREFIX = "!"
NOTED = "✍"


async def handle_group(uow: UnitOfWork, env: Env, update: GroupUpdate) -> None:
    """Handle one thing a person did in a staff group."""
    team = env.config.team_of_chat(update.chat_id)
    if team is None:
        return
    profile = update.profile
    manager = env.config.manager_by_telegram_id(profile.telegram_id)
    actor = Actor(
        profile.telegram_id,
        profile.first_name,
        team,
        update.is_staff or bool(manager),
        bool(manager),
    )
    event = update.event
    if isinstance(event, Pressed):
        await _pressed(uow, env, update, actor, event)
    elif actor.is_staff:
        await uow.staff.seen(
            StaffMember(
                profile.telegram_id, profile.first_name, team.key, env.now, profile.username
            )
        )
        await _acted(uow, env, update, actor)
    if actor.is_staff:
        # Somebody may be in the round again (back, or a case of theirs ended).
        await assignment.catch_up(uow, env, team)


async def _acted(uow: UnitOfWork, env: Env, update: GroupUpdate, actor: Actor) -> None:
    """What a staff member wrote or did in the group, buttons aside."""
    event = update.event
    if isinstance(event, TopicClosed):
        await _topic_closed(uow, env, update)
    elif isinstance(event, Command):
        await _command(uow, env, update, actor, event)
    elif update.thread_id is not None and isinstance(event, Text | Media | Unsupported | Edited):
        case = await _case_of_topic(uow, update)
        if case is None:
            return  # a topic of the team's own, not a case's
        if isinstance(event, Edited):
            await _edited(uow, env, case, update, event)
        else:
            await _message(uow, env, update, actor, case, event)


async def _case_of_topic(uow: UnitOfWork, update: GroupUpdate) -> Case | None:
    """The case whose topic the update was written in, if any.

    Staff may write in a case's new topic before the bot has recorded it (Telegram shows the
    topic as it answers the bot): while a topic is being opened in the group, a message in a
    topic not known yet waits (TopicPending) rather than being taken for the team's own.
    """
    if update.thread_id is None:
        return None
    case = await uow.cases.by_topic(update.chat_id, update.thread_id)
    if case is None and await uow.cases.opening_topic(update.chat_id):
        raise TopicPending
    return case


# -- messages in a case topic ----------------------------------------------------------------


async def _message(
    uow: UnitOfWork,
    env: Env,
    update: GroupUpdate,
    actor: Actor,
    case: Case,
    event: Text | Media | Unsupported,
) -> None:
    assert update.thread_id is not None
    prompt = await uow.prompts.get(update.chat_id, update.thread_id, actor.telegram_id)
    if prompt is not None and env.now - prompt.created_at <= staff_actions.PROMPT_TTL:
        await staff_actions.answer_prompt(uow, env, update, actor, case, prompt, event)
        return
    if prompt is not None:
        await uow.prompts.delete(update.chat_id, update.thread_id, actor.telegram_id)
    if isinstance(event, Text) and event.text.startswith(NOTE_PREFIX):
        await _note(uow, env, update, actor, case, event.text[len(NOTE_PREFIX) :], event.message_id)
        return
    if not is_open(case.state):
        await casework.send(
            uow,
            env,
            reply(
                env,
                update,
                "staff-case-ended",
                params={"number": case.number, "state": case.state.value},
                reply_to=event.message_id,
            ),
        )
        return
    if isinstance(event, Text | Media) and (concerns := tone_hold.flagged(env, event)):
        await tone_hold.hold(uow, env, update, actor, case, event, concerns)
        return
    await _reply(uow, env, update, actor, case, event)


async def _taken_by_replying(uow: UnitOfWork, env: Env, actor: Actor, case: Case) -> Case:
    """Replying is taking: the customer hears who handles their case, then the answer."""
    mine_again = case.owner_id == actor.telegram_id and case.state is CaseState.REOPENED
    if (case.owner_id is None or mine_again) and CaseEvent.TAKE in allowed_events(case.state):
        return await staff_actions.take(uow, env, case, actor, answering=True)
    return case


async def _reply(
    uow: UnitOfWork,
    env: Env,
    update: GroupUpdate,
    actor: Actor,
    case: Case,
    event: Text | Media | Unsupported,
) -> None:
    """A staff member's reply goes to the customer, signed."""
    case = await _taken_by_replying(uow, env, actor, case)
    signature = actor.team.title if actor.team.anonymous else actor.label
    await relay.to_customer(uow, env, case, update.chat_id, event, signature, actor.tag)


async def _note(
    uow: UnitOfWork,
    env: Env,
    update: GroupUpdate,
    actor: Actor,
    case: Case,
    text: str,
    message_id: int,
) -> None:
    """An internal note: logged, marked in the topic, never sent to the customer."""
    await casework.log(uow, env, case, "note", actor.tag, text.strip(), message_id=message_id)
    await casework.send(uow, env, React(update.chat_id, message_id, NOTED))


async def _edited(
    uow: UnitOfWork, env: Env, case: Case, update: GroupUpdate, event: Edited
) -> None:
    """A staff member corrected a reply: correct the customer's copy too."""
    if not is_open(case.state):
        return
    copy = await uow.relays.by_source(update.chat_id, event.message_id)
    if copy is None and not await _was_relayed(uow, case, event.message_id):
        # A reply still held: Send anyway sends it as it reads now.
        await tone_hold.edited(uow, env, case, update.profile.telegram_id, event)
        return
    customer = await casework.customer_of(uow, case)
    staff = await uow.staff.get(update.profile.telegram_id)
    team = env.config.team(case.team)
    name = staff.first_name if staff else update.profile.first_name
    signature = team.title if team.anonymous else casework.owner_label(name, team)
    await casework.log(
        uow, env, case, "reply_edit", f"staff:{update.profile.telegram_id}", event.text
    )
    written = Html(event.html or html.escape(event.text))
    if event.caption:
        key = relay.caption_key(event.text, signature) or relay.UNSIGNED_CAPTION
        params: dict[str, Param] = {"caption": written, "signature": signature}
    else:
        key = relay.reply_key(event.text, signature)
        params = {"text": written, "signature": signature}
    await casework.send(
        uow,
        env,
        Edit(
            chat_id=customer.telegram_id,
            message_id=copy.to_message if copy is not None else None,
            of_chat=update.chat_id,
            of_message=event.message_id,
            key=key,
            language=customer.language,
            params=params,
            caption=event.caption,
        ),
    )


async def _was_relayed(uow: UnitOfWork, case: Case, message_id: int) -> bool:
    """Whether the staff message `message_id` went to the customer as a reply of the case."""
    replies = await uow.log.of_cases([case.number], kinds=["reply"])
    return any(entry.data.get("message_id") == message_id for entry in replies)


async def _topic_closed(uow: UnitOfWork, env: Env, update: GroupUpdate) -> None:
    """Someone closed a case's topic: an open case gets a fresh topic at once."""
    if update.thread_id is None:
        return
    case = await uow.cases.by_topic(update.chat_id, update.thread_id)
    if case is None or not is_open(case.state):
        return
    await casework.log(uow, env, case, "topic_lost", f"staff:{update.profile.telegram_id}")
    case = await casework.open_topic(uow, env, case, summary=True)
    await uow.cases.save(case)


# -- buttons ---------------------------------------------------------------------------------


def _answer(update: GroupUpdate, env: Env, key: str | None = None, **kwargs: Any) -> AnswerButton:
    assert isinstance(update.event, Pressed)
    return AnswerButton(
        update.event.callback_id,
        casework.staff_language(env),
        key,
        alert=key is not None,
        chat_id=update.chat_id,
        **kwargs,
    )


async def _pressed(
    uow: UnitOfWork, env: Env, update: GroupUpdate, actor: Actor, event: Pressed
) -> None:
    try:
        action = unpack(event.data)
    except BadPayload:
        await casework.send(uow, env, _answer(update, env, "button-unknown"))
        return
    number = getattr(action, "case", None)
    case = None if number is None else await uow.cases.get(number)
    if not actor.is_staff:
        team = actor.team.title
        await casework.send(uow, env, _answer(update, env, "staff-only", params={"team": team}))
        return
    if case is None or case.topic_chat_id != update.chat_id:
        await casework.send(uow, env, _answer(update, env, "staff-button-stale"))
        return
    if isinstance(action, HeldReply):
        held = await tone_hold.decided(uow, env, update, actor, case, action)
        if held is not None:
            await _reply(uow, env, update, actor, case, held)
        return
    if isinstance(action, SendSaved):
        await _send_saved(uow, env, update, actor, case, action.key, event.message_id)
        return
    refusal = _refusal(case, actor, action)
    if refusal is not None:
        key, params = refusal
        await casework.send(uow, env, _answer(update, env, key, params=params))
        return
    await casework.send(uow, env, _answer(update, env))
    if isinstance(action, CancelPrompt):
        await staff_actions.drop_prompt(uow, env, update, actor)
    elif isinstance(action, TransferTo):
        await staff_actions.transfer_chosen(uow, env, update, actor, case, action)
    elif isinstance(action, MoreTime):
        await staff_actions.more_time_chosen(uow, env, update, actor, case, action)
    elif isinstance(action, CardAction):
        await _card_action(uow, env, update, actor, case, action.action)


_EVENTS = {
    "take": (CaseEvent.TAKE,),
    "transfer": (CaseEvent.TRANSFER_TO_TEAM, CaseEvent.TRANSFER_TO_PERSON),
    "ask": (CaseEvent.ASK_CUSTOMER,),
    "resolve": (CaseEvent.RESOLVE,),
    "decline": (CaseEvent.DECLINE,),
    "escalate": (CaseEvent.ESCALATE,),
}


def _refusal(case: Case, actor: Actor, action: Any) -> tuple[str, dict[str, Any]] | None:
    """Why `actor` may not do `action` to `case` now (a message key and its params), if so."""
    if isinstance(action, CancelPrompt):
        return None
    name = action.action if isinstance(action, CardAction) else "transfer"
    if isinstance(action, MoreTime):
        name = "later"
    events = _EVENTS.get(name)
    if events is None and name != "later":
        return ("button-unknown", {})
    owner = case.owner_name or ""
    if name == "take" and case.owner_id not in (None, actor.telegram_id):
        if case.state is not CaseState.ESCALATED or not actor.is_manager:
            return ("staff-already-taken", {"number": case.number, "owner": owner})
    elif case.owner_id not in (None, actor.telegram_id) and not actor.is_manager:
        return ("staff-not-owner", {"number": case.number, "owner": owner})
    if name == "later":
        if not can_renegotiate(case):
            return ("staff-later-not-now", {"number": case.number})
        return None
    if not allowed_events(case.state).intersection(events or ()):
        return ("staff-not-now", {"number": case.number, "state": case.state.value})
    return None


async def _card_action(
    uow: UnitOfWork, env: Env, update: GroupUpdate, actor: Actor, case: Case, name: str
) -> None:
    if name == "take":
        await staff_actions.take(uow, env, case, actor)
    elif name == "transfer":
        await staff_actions.offer_transfer(uow, env, update, actor, case)
    elif name in ("ask", "decline", "resolve"):
        await staff_actions.ask_staff(uow, env, update, actor, case, name, {})
    elif name == "later":
        await staff_actions.offer_more_time(uow, env, update, case)
    elif name == "escalate":
        await escalation.escalate(
            uow, env, case, escalation.TRIGGER_STAFF, actor.tag, detail=actor.label
        )


# -- commands ----------------------------------------------------------------------------------


async def _command(
    uow: UnitOfWork, env: Env, update: GroupUpdate, actor: Actor, event: Command
) -> None:
    if event.name == "note" and update.thread_id is not None:
        case = await _case_of_topic(uow, update)
        if case is not None and event.args.strip():
            await _note(uow, env, update, actor, case, event.args, event.message_id)
            return
        await casework.send(
            uow, env, reply(env, update, "staff-note-how", reply_to=event.message_id)
        )
    elif event.name == "queue":
        await casework.send(uow, env, await staff_commands.queue(uow, env, update, actor))
    elif event.name == "mine":
        await casework.send(uow, env, await staff_commands.mine(uow, env, update, actor))
    elif event.name == "case":
        await casework.send(
            uow, env, await staff_commands.case_summary(uow, env, update, actor, event.args)
        )
    elif event.name == "find":
        await casework.send(
            uow, env, await staff_commands.find(uow, env, update, actor, event.args)
        )
    elif event.name in ("r", "reply", "replies"):
        await _saved_reply_command(uow, env, update, actor, event)
    elif event.name == "cancel":
        await staff_actions.drop_prompt(uow, env, update, actor)
    elif event.name in ("help", "start"):
        await casework.send(uow, env, reply(env, update, "staff-help"))
    else:
        await casework.send(
            uow, env, reply(env, update, "staff-unknown-command", params={"command": event.name})
        )


# -- saved replies ---------------------------------------------------------------------------


async def _saved_reply_command(
    uow: UnitOfWork, env: Env, update: GroupUpdate, actor: Actor, event: Command
) -> None:
    """`/r` lists the saved replies as buttons; `/r key` sends one to the case's customer."""
    case = await _case_of_topic(uow, update)
    if case is None:
        await casework.send(
            uow, env, reply(env, update, "staff-replies-where", reply_to=event.message_id)
        )
        return
    key = event.args.strip().split(" ", 1)[0]
    if not key:
        await casework.send(uow, env, saved_replies.menu(env, update, case))
        return
    if env.config.saved_reply(key) is None:
        await casework.send(uow, env, saved_replies.unknown(env, update, case, key))
        return
    await _send_saved(uow, env, update, actor, case, key, event.message_id)


async def _send_saved(
    uow: UnitOfWork,
    env: Env,
    update: GroupUpdate,
    actor: Actor,
    case: Case,
    key: str,
    source_message: int | None,
) -> None:
    if isinstance(update.event, Pressed):
        await casework.send(uow, env, _answer(update, env))
    saved = env.config.saved_reply(key)
    if saved is None:
        await casework.send(uow, env, saved_replies.unknown(env, update, case, key))
        return
    if not is_open(case.state):
        params = {"number": case.number, "state": case.state.value}
        await casework.send(uow, env, reply(env, update, "staff-case-ended", params=params))
        return
    case = await _taken_by_replying(uow, env, actor, case)
    await saved_replies.send(uow, env, update, actor, case, saved, source_message or 0)
