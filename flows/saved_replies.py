"""Saved replies: the organisation's `[[replies]]`, sent from a case topic with `/r key`.

Each goes out in the customer's language (else the organisation's default), signed like any
reply, with {name}, {case}, {owner} and {due} filled from the case as it stands once the reply
is sent: {due} is the time the customer is promised next. The tone guard does not hold them:
the organisation wrote them.
"""

from __future__ import annotations

from dataclasses import replace

from flows import casework, promise
from flows.actions import SendSaved
from flows.config import SavedReply
from flows.env import Env
from flows.incoming import GroupUpdate
from flows.messages import (
    PRIORITY_REPLY,
    TRACK_TO_CUSTOMER,
    Button,
    Param,
    Say,
    Template,
    Track,
)
from flows.model import Case
from flows.ports import UnitOfWork
from flows.staff import Actor, reply

MENU_ROWS = 20


def menu(env: Env, update: GroupUpdate, case: Case, key: str = "staff-replies") -> Say:
    """The saved replies as buttons (or, with `key`, the same under another heading)."""
    org = env.config.organisation
    language = casework.staff_language(env)
    if not env.config.replies:
        return reply(env, update, "staff-replies-none")
    rows = tuple(
        (
            Button(
                key="btn-saved-reply",
                data=SendSaved(case.number, saved.key).pack(),
                params={"key": saved.key, "title": saved.title_in(language, org.default_language)},
            ),
        )
        for saved in env.config.replies[:MENU_ROWS]
    )
    lines = tuple(
        (
            "staff-replies-line",
            {"key": saved.key, "title": saved.title_in(language, org.default_language)},
        )
        for saved in env.config.replies[:MENU_ROWS]
    )
    return reply(env, update, key, params={"asked": ""}, lines=lines, buttons=rows)


def unknown(env: Env, update: GroupUpdate, case: Case, asked: str) -> Say:
    """A key the organisation has not saved: the list to choose from, politely."""
    found = menu(env, update, case, "staff-replies-unknown")
    if found.key == "staff-replies-none":
        return found
    return replace(found, params={"asked": asked[:24]})


async def send(
    uow: UnitOfWork,
    env: Env,
    update: GroupUpdate,
    actor: Actor,
    case: Case,
    saved: SavedReply,
    source_message: int,
) -> Case:
    """Send a saved reply to the customer, as `actor`'s reply; the topic shows what went."""
    customer = await casework.customer_of(uow, case)
    org = env.config.organisation
    text = saved.text_in(customer.language, org.default_language)
    case = await casework.replied(uow, env, case, actor.tag)
    live = case.promise
    values: dict[str, Param] = {
        "name": customer.first_name,
        "case": case.number,
        "owner": promise.label(live, env.config, customer.language) if live else case.owner_name,
        "due": live.due if live else None,
    }
    signature = actor.team.title if actor.team.anonymous else actor.label
    filled = Template(text, values)
    await casework.log(
        uow, env, case, "reply", actor.tag, text, message_id=source_message, saved=saved.key
    )
    await casework.send(
        uow,
        env,
        Say(
            chat_id=customer.telegram_id,
            key="staff-reply",
            language=customer.language,
            params={"text": filled, "signature": signature},
            track=Track(TRACK_TO_CUSTOMER, case.number, update.chat_id, source_message),
            priority=PRIORITY_REPLY,
        ),
        casework.to_topic(
            env,
            case,
            "staff-saved-reply-sent",
            params={
                "name": actor.first_name,
                "title": saved.title_in(casework.staff_language(env), org.default_language),
                "language": customer.language,
                "text": filled,
            },
            priority=PRIORITY_REPLY,
        ),
    )
    return case
