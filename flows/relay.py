"""Relaying what a person wrote (staff in a topic, a manager in their chat) to the customer."""

from __future__ import annotations

import html

from flows import casework
from flows.env import Env
from flows.incoming import Media, Text, Unsupported
from flows.messages import TEXT_LIMIT, TRACK_TO_CUSTOMER, Copy, Html, Outgoing, Say, Track
from flows.model import Case
from flows.ports import UnitOfWork

SIGNED = "staff-reply"
UNSIGNED = "staff-reply-unsigned"
SIGNATURE = "staff-signature"


async def to_customer(
    uow: UnitOfWork,
    env: Env,
    case: Case,
    source_chat: int,
    event: Text | Media | Unsupported,
    signature: str,
    actor: str,
) -> Case:
    """Send it to the customer as the bot, signed and threaded like the original; a response."""
    customer = await casework.customer_of(uow, case)
    reply_to = None
    replied = getattr(event, "reply_to", None)
    if replied is not None:
        source = await uow.relays.by_target(source_chat, replied)
        if source is not None and source.from_chat == customer.telegram_id:
            reply_to = source.from_message
    track = Track(TRACK_TO_CUSTOMER, case.number, source_chat, event.message_id)
    message: Outgoing
    signed: list[Outgoing] = []
    if isinstance(event, Text):
        key = reply_key(event.text, signature)
        message = Say(
            chat_id=customer.telegram_id,
            key=key,
            language=customer.language,
            params={"text": Html(event.html or html.escape(event.text)), "signature": signature},
            reply_to=reply_to,
            track=track,
        )
        if key != SIGNED:
            signed.append(
                Say(customer.telegram_id, SIGNATURE, customer.language, {"signature": signature})
            )
        text = event.text
    else:
        caption = getattr(event, "caption_html", None) or html.escape(
            getattr(event, "caption", None) or ""
        )
        message = Copy(
            chat_id=customer.telegram_id,
            from_chat_id=source_chat,
            message_id=event.message_id,
            language=customer.language,
            caption_key="staff-caption" if isinstance(event, Media) else None,
            params={"caption": Html(caption), "signature": signature},
            reply_to=reply_to,
            track=track,
        )
        text = getattr(event, "caption", None) or ""
    await casework.log(
        uow, env, case, "reply", actor, text, message_id=event.message_id, name=signature
    )
    await casework.send(uow, env, message, *signed)
    return await casework.replied(uow, env, case, actor)


def reply_key(text: str, signature: str) -> str:
    """How a staff text goes to the customer: signed, or, with no room left for the signature
    (a pasted text Telegram split at its limit), alone with the signature after it."""
    room = TEXT_LIMIT - len(text) - len("\n\n— ")
    return SIGNED if len(signature) <= room else UNSIGNED
