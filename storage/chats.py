"""Which chat a raw Telegram update belongs to."""

from __future__ import annotations

from typing import Any

# Where an update belongs: the chat of its message, else the person who caused it.
_MESSAGES = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_message",
    "edited_business_message",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "message_reaction",
)


def chat_of(update: dict[str, Any]) -> int | None:
    """The chat an update belongs to, for keeping a chat's updates in order (None: no chat)."""
    for kind in _MESSAGES:
        body = update.get(kind)
        if isinstance(body, dict) and isinstance(body.get("chat"), dict):
            chat_id = body["chat"].get("id")
            return chat_id if isinstance(chat_id, int) else None
    query = update.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message")
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            chat_id = message["chat"].get("id")
            return chat_id if isinstance(chat_id, int) else None
    for body in update.values():
        if isinstance(body, dict) and isinstance(body.get("from"), dict):
            user_id = body["from"].get("id")
            return user_id if isinstance(user_id, int) else None
    return None
