"""Outgoing flows messages → Bot API calls (method name and parameters), shared by every runtime."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.i18n import Renderer
from bot.transport import Json, Upload
from flows.messages import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    AnswerButton,
    Button,
    Chart,
    Copy,
    CreateTopic,
    Delete,
    DeleteTopic,
    Document,
    Edit,
    Outgoing,
    Param,
    React,
    Say,
    Unpin,
)

MAX_TEXT = TEXT_LIMIT
MAX_CAPTION = CAPTION_LIMIT
MAX_ALERT = 200
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Call:
    """One Bot API call."""

    method: str
    params: Json


def _visible_length(text: str) -> int:
    return len(html.unescape(_TAG.sub("", text)))


def _button(renderer: Renderer, language: str, button: Button) -> Json:
    text = html.unescape(renderer.text(language, button.key, button.params))
    if button.data is not None:
        return {"text": text, "callback_data": button.data}
    if button.request_contact:
        return {"text": text, "request_contact": True}
    return {"text": text}


def _markup(renderer: Renderer, say: Say | Edit) -> Json | None:
    if say.buttons:
        rows = [[_button(renderer, say.language, b) for b in row] for row in say.buttons]
        return {"inline_keyboard": rows}
    if isinstance(say, Edit):
        return None
    if say.keyboard:
        rows = [[_button(renderer, say.language, b) for b in row] for row in say.keyboard]
        return {"keyboard": rows, "resize_keyboard": True, "one_time_keyboard": True}
    if say.remove_keyboard:
        return {"remove_keyboard": True}
    return None


def message_text(renderer: Renderer, say: Say | Edit) -> str:
    """The HTML text of a message, with its list lines appended."""
    parts = [renderer.text(say.language, say.key, say.params)]
    parts.extend(renderer.text(say.language, key, params) for key, params in say.lines)
    return "\n".join(parts)


def _fitted(text: str, limit: int) -> Json:
    """HTML text within Telegram's limit; past it, plain text cut short rather than a failure."""
    if _visible_length(text) <= limit:
        return {"text": text, "parse_mode": "HTML"}
    plain = html.unescape(_TAG.sub("", text))
    return {"text": plain[: limit - 1] + "…"}


def _caption(renderer: Renderer, language: str, key: str, params: dict[str, Param]) -> Json:
    """A media message's caption, fitted: the `caption` (and `parse_mode`) of a call."""
    fitted = _fitted(renderer.text(language, key, params), MAX_CAPTION)
    return {"caption": fitted.pop("text"), **fitted}


def _reply(reply_to: int | None) -> Json:
    if reply_to is None:
        return {}
    return {"reply_parameters": {"message_id": reply_to, "allow_sending_without_reply": True}}


def _thread(thread_id: int | None) -> Json:
    return {} if thread_id is None else {"message_thread_id": thread_id}


def _copy(renderer: Renderer, message: Copy) -> Call:
    params: Json = {
        "chat_id": message.chat_id,
        "from_chat_id": message.from_chat_id,
        "message_id": message.message_id,
        **_thread(message.thread_id),
        **_reply(message.reply_to),
    }
    if message.caption_key is not None:
        params.update(_caption(renderer, message.language, message.caption_key, message.params))
    return Call("copyMessage", params)


def _edit(renderer: Renderer, message: Edit) -> Call:
    params: Json = {"chat_id": message.chat_id, "message_id": message.message_id}
    if message.buttons:
        rows = [[_button(renderer, message.language, b) for b in row] for row in message.buttons]
        params["reply_markup"] = {"inline_keyboard": rows}
    if message.buttons_only:
        return Call("editMessageReplyMarkup", params)
    if message.caption:
        params.update(_caption(renderer, message.language, message.key, message.params))
        return Call("editMessageCaption", params)
    params.update(_fitted(message_text(renderer, message), MAX_TEXT))
    return Call("editMessageText", params)


def _document(renderer: Renderer, message: Document) -> Call:
    params: Json = {
        "chat_id": message.chat_id,
        "document": Upload(message.filename, message.data, message.mime_type),
    }
    if message.caption_key is not None:
        params.update(_caption(renderer, message.language, message.caption_key, message.params))
    return Call("sendDocument", params)


def _chart(renderer: Renderer, message: Chart) -> Call:
    # Loaded only when a chart is sent: matplotlib takes a while to import.
    from bot.chart import draw

    png = draw(message.days, message.language, renderer)
    params: Json = {
        "chat_id": message.chat_id,
        "photo": Upload("chart.png", png, "image/png"),
        **_caption(renderer, message.language, message.caption_key, message.params),
    }
    return Call("sendPhoto", params)


def render(renderer: Renderer, message: Outgoing) -> Call:
    """The Bot API call that delivers `message` (a chart is drawn here: call it off the loop)."""
    if isinstance(message, Chart):
        return _chart(renderer, message)
    if isinstance(message, Document):
        return _document(renderer, message)
    if isinstance(message, Delete):
        return Call(
            "deleteMessages", {"chat_id": message.chat_id, "message_ids": list(message.message_ids)}
        )
    if isinstance(message, DeleteTopic):
        return Call(
            "deleteForumTopic",
            {"chat_id": message.chat_id, "message_thread_id": message.thread_id},
        )
    if isinstance(message, Copy):
        return _copy(renderer, message)
    if isinstance(message, Edit):
        return _edit(renderer, message)
    if isinstance(message, CreateTopic):
        return Call("createForumTopic", {"chat_id": message.chat_id, "name": message.name})
    if isinstance(message, React):
        reaction = [{"type": "emoji", "emoji": message.emoji}]
        return Call(
            "setMessageReaction",
            {"chat_id": message.chat_id, "message_id": message.message_id, "reaction": reaction},
        )
    if isinstance(message, Unpin):
        return Call(
            "unpinChatMessage", {"chat_id": message.chat_id, "message_id": message.message_id}
        )
    if isinstance(message, AnswerButton):
        params: Json = {"callback_query_id": message.callback_id}
        if message.key is not None:
            text = html.unescape(
                _TAG.sub("", renderer.text(message.language, message.key, message.params))
            )
            params["text"] = text[:MAX_ALERT]
            params["show_alert"] = message.alert
        return Call("answerCallbackQuery", params)
    params = {
        "chat_id": message.chat_id,
        **_fitted(message_text(renderer, message), MAX_TEXT),
        **_thread(message.thread_id),
        **_reply(message.reply_to),
    }
    markup = _markup(renderer, message)
    if markup is not None:
        params["reply_markup"] = markup
    return Call("sendMessage", params)
