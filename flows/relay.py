"""Relaying what a person wrote (staff in a topic, a manager in their chat) to the customer."""

from __future__ import annotations

import html

from flows import casework
from flows.env import Env
from flows.incoming import Media, Text, Unsupported
from flows.messages import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    TRACK_TO_CUSTOMER,
    Copy,
    Html,
    Outgoing,
    Say,
    Track,
)
from flows.model import Case, Customer
from flows.ports import UnitOfWork

SIGNED = "staff-reply"
UNSIGNED = "staff-reply-unsigned"
SIGNATURE = "staff-signature"
SIGNED_CAPTION = "staff-caption"
UNSIGNED_CAPTION = "staff-caption-unsigned"
_SIGNING = len("\n\n— ")


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
    messages: list[Outgoing]
    if isinstance(event, Text):
        text = event.text
        written = Html(event.html or html.escape(text))
        messages = _signed_text(customer, text, written, signature, reply_to, track)
    else:
        text = getattr(event, "caption", None) or ""
        written = Html(getattr(event, "caption_html", None) or html.escape(text))
        key = caption_key(text, signature) if isinstance(event, Media) else None
        copy = Copy(
            chat_id=customer.telegram_id,
            from_chat_id=source_chat,
            message_id=event.message_id,
            language=customer.language,
            caption_key=key or (UNSIGNED_CAPTION if isinstance(event, Media) else None),
            params={"caption": written if key else Html(""), "signature": signature},
            reply_to=reply_to,
            track=track,
        )
        messages = [copy]
        if key == UNSIGNED_CAPTION or not isinstance(event, Media):
            # No room in the caption, or no caption at all (a sticker, a location): the name
            # follows, so that nothing reaches the customer unsigned.
            messages.append(_signature(customer, signature))
        elif key is None and isinstance(event, Media):
            # Written by a Premium user, longer than a bot may send: the media goes bare and
            # the caption follows it whole, as a text.
            messages += _signed_text(customer, text, written, signature)
    await casework.log(
        uow, env, case, "reply", actor, text, message_id=event.message_id, name=signature
    )
    await casework.send(uow, env, *messages)
    return await casework.replied(uow, env, case, actor)


def _signed_text(
    customer: Customer,
    text: str,
    written: Html,
    signature: str,
    reply_to: int | None = None,
    track: Track | None = None,
) -> list[Outgoing]:
    """A staff text as the customer gets it: signed, or whole with the signature after it."""
    key = reply_key(text, signature)
    said = Say(
        chat_id=customer.telegram_id,
        key=key,
        language=customer.language,
        params={"text": written, "signature": signature},
        reply_to=reply_to,
        track=track,
    )
    return [said] if key == SIGNED else [said, _signature(customer, signature)]


def _signature(customer: Customer, signature: str) -> Say:
    return Say(customer.telegram_id, SIGNATURE, customer.language, {"signature": signature})


def reply_key(text: str, signature: str) -> str:
    """How a staff text goes to the customer: signed, or, with no room left for the signature
    (a pasted text Telegram split at its limit), alone with the signature after it."""
    return SIGNED if len(text) + _SIGNING + len(signature) <= TEXT_LIMIT else UNSIGNED


def caption_key(caption: str, signature: str) -> str | None:
    """How a staff caption goes: signed, or alone with the signature after it; None when it is
    longer than a bot may send at all."""
    if len(caption) + _SIGNING + len(signature) <= CAPTION_LIMIT:
        return SIGNED_CAPTION
    return UNSIGNED_CAPTION if len(caption) <= CAPTION_LIMIT else None
