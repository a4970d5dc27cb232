"""Telegram updates (raw Bot API JSON) → Telegram-neutral flows events.

Works on the raw dicts that the inbox stores, so every runtime (aiogram, python-telegram-bot)
shares one translation and the inbox can be replayed without a framework. Unknown fields are
ignored and an attachment of a kind Telegram added since is kept as that kind; formatting that
does not fit its text is dropped, never fatal.
"""

from __future__ import annotations

import html
from typing import Any

from bot.i18n import labels_of
from flows.incoming import (
    MEDIA_KINDS,
    Command,
    ContactShared,
    Edited,
    GroupUpdate,
    Incoming,
    Media,
    Pressed,
    Text,
    TopicClosed,
    Unsupported,
    Update,
)
from flows.intake import LABEL_TELEGRAM_ONLY
from flows.model import Profile

Json = dict[str, Any]
REPLY_LABELS = (LABEL_TELEGRAM_ONLY,)
_UNSUPPORTED = ("sticker", "animation", "location", "venue", "poll", "dice", "game", "story")


def profile_of(user: Json) -> Profile:
    """Who did it."""
    return Profile(
        telegram_id=int(user["id"]),
        first_name=str(user.get("first_name") or ""),
        last_name=user.get("last_name"),
        username=user.get("username"),
        language_code=user.get("language_code"),
    )


def _forwarded_from(message: Json) -> str | None:
    origin = message.get("forward_origin")
    if not origin:
        return None
    if not isinstance(origin, dict):
        return "forward"
    user = _object(origin.get("sender_user"))
    chat = _object(origin.get("chat")) or _object(origin.get("sender_chat"))
    name = (
        user.get("first_name")
        or origin.get("sender_user_name")
        or chat.get("title")
        or origin.get("type", "forward")
    )
    return str(name)


def _object(value: Any) -> Json:
    return value if isinstance(value, dict) else {}


def formatted(text: str, entities: Any) -> str:
    """The text with its formatting as safe Telegram HTML (everything else escaped).

    Formatting whose offsets do not fit the text (past its end, or splitting a character
    Telegram counts as two UTF-16 units) falls back to the plain text, escaped.
    """
    if not entities:
        return html.escape(text, quote=False)  # what aiogram's unparse makes of plain text
    # aiogram's entity parser, imported once a formatted text comes: the python-telegram-bot
    # runtime does not load aiogram (a second or so of start-up) for plain texts.
    from aiogram.types import MessageEntity
    from aiogram.utils.text_decorations import html_decoration

    try:
        units = text.encode("utf-16-le")
        parsed = [MessageEntity.model_validate(entity) for entity in entities]
        for entity in parsed:
            start, end = entity.offset, entity.offset + entity.length
            if not 0 <= start <= end <= len(units) // 2 or _splits(units, start, end):
                return html.escape(text, quote=False)
        return html_decoration.unparse(text, parsed)
    except Exception:  # whatever shape the entities came in, the words still count
        return html.escape(text, quote=False)


def _splits(units: bytes, *positions: int) -> bool:
    """Whether any position falls between the two halves of a surrogate pair."""
    for position in positions:
        if 0 < position < len(units) // 2:
            unit = int.from_bytes(units[2 * position : 2 * position + 2], "little")
            if 0xDC00 <= unit <= 0xDFFF:  # a low surrogate: the second half of a pair
                return True
    return False


def _reply_to(message: Json) -> int | None:
    replied = _object(message.get("reply_to_message"))
    replied_id = replied.get("message_id")
    # In a forum, Telegram presents every topic message as a reply to the topic's first message.
    if replied_id is None or replied_id == message.get("message_thread_id"):
        return None
    return int(replied_id)


def _file(kind: str, item: Any) -> Json | None:
    """The file of an attachment (the largest size of a photo), if it names one."""
    if kind == "photo" and isinstance(item, list):
        sizes = [size for size in item if isinstance(size, dict) and size.get("file_id")]
        return max(sizes, key=_area, default=None)
    return item if isinstance(item, dict) and isinstance(item.get("file_id"), str) else None


def _area(size: Json) -> int:
    width, height = size.get("width"), size.get("height")
    return width * height if isinstance(width, int) and isinstance(height, int) else 0


def _attachment(message: Json) -> tuple[str, Json] | None:
    """The message's attachment: a kind hearback knows first, else any object with a file."""
    for kind in MEDIA_KINDS:
        item = _file(kind, message.get(kind))
        if item is not None:
            return kind, item
    for kind, value in message.items():
        item = _file(kind, value)
        if item is not None and kind not in ("reply_to_message", "pinned_message"):
            return kind, item  # a kind Telegram added since: kept as such
    return None


def _media(message: Json) -> Media | None:
    found = _attachment(message)
    if found is not None:
        kind, item = found
        caption = message.get("caption")
        caption = caption if isinstance(caption, str) else None
        return Media(
            kind=kind,
            file_id=item["file_id"],
            file_unique_id=str(item.get("file_unique_id") or item["file_id"]),
            message_id=int(message["message_id"]),
            caption=caption,
            media_group_id=_text_or_none(message.get("media_group_id")),
            forwarded_from=_forwarded_from(message),
            reply_to=_reply_to(message),
            caption_html=formatted(caption or "", message.get("caption_entities")),
        )
    return None


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def command_name(text: str) -> str | None:
    """The command a text starts with ("/status@bot HB-1" → "status"), or None."""
    if not text.startswith("/"):
        return None
    name = text[1:].partition(" ")[0].split("@", 1)[0].lower()
    return name or None


def _command(text: str, message_id: int) -> Command | None:
    name = command_name(text)
    if name is None:
        return None
    args = text[1:].partition(" ")[2]
    return Command(name=name, args=args.strip(), message_id=message_id)


def message_event(message: Json) -> Incoming:
    """What a customer's message means."""
    message_id = int(message["message_id"])
    # Animations also carry a `document`, so GIFs must be recognised before documents.
    for kind in _UNSUPPORTED:
        if kind in message:
            return Unsupported(kind=kind, message_id=message_id)
    contact = message.get("contact")
    if contact:
        sender = (message.get("from") or {}).get("id")
        return ContactShared(
            phone=str(contact.get("phone_number", "")),
            own=contact.get("user_id") is not None and contact.get("user_id") == sender,
            message_id=message_id,
        )
    media = _media(message)
    if media is not None:
        return media
    if "text" in message:
        text = str(message["text"])
        forwarded = _forwarded_from(message)
        command = None if forwarded else _command(text, message_id)
        if command is not None:
            return command
        label = next((key for key in REPLY_LABELS if text in labels_of(key)), None)
        return Text(
            text=text,
            message_id=message_id,
            label=label,
            forwarded_from=forwarded,
            reply_to=_reply_to(message),
            html=formatted(text, message.get("entities")),
        )
    if "forum_topic_closed" in message:
        return TopicClosed(message_id=message_id)
    return Unsupported(kind="other", message_id=message_id)


def private_update(raw: Json) -> Update | None:
    """The flows event of an update from a private chat, or None if it is not one we handle."""
    if "callback_query" in raw:
        query = raw["callback_query"]
        message = query.get("message") or {}
        return Update(
            profile=profile_of(query["from"]),
            chat_id=int((message.get("chat") or {}).get("id", query["from"]["id"])),
            event=Pressed(
                data=str(query.get("data") or ""),
                callback_id=str(query["id"]),
                message_id=message.get("message_id"),
            ),
        )
    if "edited_message" in raw:
        message = raw["edited_message"]
        return Update(
            profile=profile_of(message["from"]),
            chat_id=int(message["chat"]["id"]),
            event=_edited(message),
        )
    message = raw.get("message")
    if message is None or "from" not in message:
        return None
    return Update(
        profile=profile_of(message["from"]),
        chat_id=int(message["chat"]["id"]),
        event=message_event(message),
    )


def _edited(message: Json) -> Edited:
    text = str(message.get("text") or message.get("caption") or "")
    entities = message.get("entities") if "text" in message else message.get("caption_entities")
    return Edited(
        message_id=int(message["message_id"]),
        text=text,
        html=formatted(text, entities),
        caption="text" not in message,
    )


# Service messages of a group that mean nothing to a case: people joining, pins, topic edits.
_GROUP_NOISE = (
    "new_chat_members",
    "left_chat_member",
    "pinned_message",
    "forum_topic_created",
    "forum_topic_edited",
    "forum_topic_reopened",
    "general_forum_topic_hidden",
    "general_forum_topic_unhidden",
)


def group_update(raw: Json, is_staff: bool) -> GroupUpdate | None:
    """The flows event of an update from a staff group, or None if it means nothing to us."""
    if "callback_query" in raw:
        query = raw["callback_query"]
        message = query.get("message") or {}
        chat = message.get("chat") or {}
        if not chat:
            return None
        return GroupUpdate(
            profile=profile_of(query["from"]),
            chat_id=int(chat["id"]),
            thread_id=message.get("message_thread_id"),
            event=Pressed(
                data=str(query.get("data") or ""),
                callback_id=str(query["id"]),
                message_id=message.get("message_id"),
            ),
            is_staff=is_staff,
        )
    edited = "edited_message" in raw
    message = raw.get("edited_message") if edited else raw.get("message")
    if message is None or "from" not in message or message["from"].get("is_bot"):
        return None
    if any(key in message for key in _GROUP_NOISE):
        return None
    return GroupUpdate(
        profile=profile_of(message["from"]),
        chat_id=int(message["chat"]["id"]),
        thread_id=message.get("message_thread_id") if message.get("is_topic_message") else None,
        event=_edited(message) if edited else message_event(message),
        is_staff=is_staff,
    )
