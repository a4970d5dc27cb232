"""Holding a staff reply the tone guard flagged, until its author sends it anyway or drops it.

A held reply is a line of the case's history (`reply_held`, with the text and the message id;
for a photo, file or video, its caption and what kind it is), so it survives restarts and is
erased with the case's other texts. It reaches the customer only
when its author presses **Send anyway**; **Rewrite** drops it. Anybody else pressing gets a
polite answer and changes nothing.
"""

from __future__ import annotations

from flows import casework, tone
from flows.actions import HeldReply
from flows.env import Env
from flows.incoming import Edited, GroupUpdate, Media, Pressed, Text
from flows.lifecycle import is_open
from flows.messages import AnswerButton, Button, Edit, Param
from flows.model import Case, CaseLogEntry
from flows.ports import UnitOfWork
from flows.staff import Actor, reply

HELD = "reply_held"
RELEASED = "reply_released"
DROPPED = "reply_dropped"
SEND, DROP = "send", "drop"


def flagged(env: Env, event: Text | Media) -> tuple[tone.Concern, ...]:
    """Why the tone guard holds this reply or caption (nothing if it may go, or the guard is
    off)."""
    if not env.config.tone.hold:
        return ()
    return tone.concerns(_said(event)[0], env.config.tone.rules)


def _said(event: Text | Media) -> tuple[str, str | None]:
    """The reply's words, plain and formatted: a text's, or a photo's or file's caption."""
    if isinstance(event, Text):
        return event.text, event.html
    return event.caption or "", event.caption_html


def _media(event: Text | Media) -> dict[str, str]:
    """What a held photo or file needs to go later (it is copied from the topic)."""
    if isinstance(event, Text):
        return {}
    return {"media": event.kind, "file_id": event.file_id, "file_unique_id": event.file_unique_id}


def _params(concerns: tuple[tone.Concern, ...] | list[str]) -> dict[str, Param]:
    found = {str(c) for c in concerns}
    return {
        "deflect": "yes" if tone.Concern.DEFLECT in found else "",
        "vague": "yes" if tone.Concern.VAGUE in found else "",
    }


async def hold(
    uow: UnitOfWork,
    env: Env,
    update: GroupUpdate,
    actor: Actor,
    case: Case,
    event: Text | Media,
    concerns: tuple[tone.Concern, ...],
) -> None:
    """Keep the reply back and tell its author why, with Send anyway and Rewrite."""
    await casework.log(
        uow,
        env,
        case,
        HELD,
        actor.tag,
        _said(event)[0],
        message_id=event.message_id,
        html=_said(event)[1],
        reply_to=event.reply_to,
        concerns=[str(c) for c in concerns],
        **_media(event),
    )
    message = str(event.message_id)
    buttons = (
        (
            Button(key="btn-held-send", data=HeldReply(case.number, message, SEND).pack()),
            Button(key="btn-held-rewrite", data=HeldReply(case.number, message, DROP).pack()),
        ),
    )
    params = {"name": actor.first_name, **_params(concerns)}
    await casework.send(
        uow,
        env,
        reply(
            env,
            update,
            "staff-reply-held",
            params=params,
            reply_to=event.message_id,
            buttons=buttons,
        ),
    )


async def edited(uow: UnitOfWork, env: Env, case: Case, author: int, event: Edited) -> None:
    """Its author corrected a reply that is still held: the correction is what may go."""
    entry = await held_entry(uow, case, event.message_id)
    if entry is None or entry.actor != f"staff:{author}":
        return
    await casework.log(
        uow,
        env,
        case,
        HELD,
        entry.actor,
        event.text,
        **{**entry.data, "html": event.html, "edited": True},
    )


def _answer(env: Env, update: GroupUpdate, key: str | None, **params: Param) -> AnswerButton:
    assert isinstance(update.event, Pressed)
    return AnswerButton(
        update.event.callback_id,
        casework.staff_language(env),
        key,
        params=params,
        alert=key is not None,
        chat_id=update.chat_id,
    )


async def held_entry(uow: UnitOfWork, case: Case, message_id: int) -> CaseLogEntry | None:
    """The held reply with this message id, if it is still waiting for its author's decision."""
    history = await uow.log.for_case(case.number)
    mine = [e for e in history if e.data.get("message_id") == message_id]
    if any(e.kind in (RELEASED, DROPPED) for e in mine):
        return None
    return next((e for e in reversed(mine) if e.kind == HELD), None)


async def decided(
    uow: UnitOfWork, env: Env, update: GroupUpdate, actor: Actor, case: Case, choice: HeldReply
) -> Text | Media | None:
    """The author's decision on a held reply: the reply to send now, if it is Send anyway.

    Answers the button press; anybody but the author gets a polite refusal.
    """
    message_id = int(choice.message) if choice.message.isdigit() else -1
    entry = await held_entry(uow, case, message_id)
    if entry is None:
        await casework.send(uow, env, _answer(env, update, "staff-held-settled"))
        return None
    if entry.actor != actor.tag:
        author = await uow.staff.get(int(entry.actor.partition(":")[2] or 0))
        name = author.first_name if author else ""
        await casework.send(uow, env, _answer(env, update, "staff-held-not-yours", name=name))
        return None
    send = choice.choice == SEND
    if send and not is_open(case.state):
        await casework.send(
            uow, env, _answer(env, update, "staff-held-case-ended", number=case.number)
        )
        return None
    await casework.send(uow, env, _answer(env, update, None))
    assert isinstance(update.event, Pressed)
    await casework.log(
        uow, env, case, RELEASED if send else DROPPED, actor.tag, message_id=message_id
    )
    if update.event.message_id is not None:
        await casework.send(
            uow,
            env,
            Edit(
                chat_id=update.chat_id,
                message_id=update.event.message_id,
                key="staff-reply-released" if send else "staff-reply-dropped",
                language=casework.staff_language(env),
                params={"name": actor.first_name},
            ),
        )
    if not send:
        return None
    return _released(entry, message_id)


def _released(entry: CaseLogEntry, message_id: int) -> Text | Media:
    """The held reply as it reads now, ready to relay."""
    data = entry.data
    reply_to = data["reply_to"] if isinstance(data.get("reply_to"), int) else None
    html = data["html"] if isinstance(data.get("html"), str) else None
    kind = data.get("media")
    if isinstance(kind, str):
        return Media(
            kind,
            str(data.get("file_id", "")),
            str(data.get("file_unique_id", "")),
            message_id,
            caption=entry.text,
            reply_to=reply_to,
            caption_html=html,
        )
    return Text(entry.text, message_id, reply_to=reply_to, html=html)
