"""What the page is told: the emulated Telegram and the sandbox's people as JSON.

Everything the bot does in any chat (texts with their entities, keyboards, edits, pins,
deletions, topics, media) is in the emulator's state, so the page shows it without knowing
which feature of the bot did it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clock import SimulatedClock
from flows.config import OrgConfig
from sandbox.demo.world import Person, World
from sandbox.emulator import BotApiEmulator, Chat, Message

JsonDict = dict[str, Any]
SNIPPET = 120
_MEDIA_FIELDS = ("file_name", "mime_type", "file_size", "duration", "emoji", "width", "height")


def chat_json(emu: BotApiEmulator, chat: Chat) -> JsonDict:
    """One chat: its live topics and its live (not deleted) messages, oldest first."""
    topics = [
        {
            "id": t.thread_id,
            "name": t.name,
            "color": t.icon_color,
            "closed": t.closed,
        }
        for t in emu.state.topics.get(chat.id, {}).values()
        if not t.deleted
    ]
    title = chat.title if chat.title is not None else (chat.user.first_name if chat.user else "")
    return {
        "id": chat.id,
        "type": chat.type,
        "title": title,
        "forum": chat.is_forum,
        "members": len(chat.members) + 1,
        "topics": topics,
        "messages": [
            message_json(emu, m)
            for m in emu.state.messages.get(chat.id, {}).values()
            if not m.deleted
        ],
    }


def message_json(emu: BotApiEmulator, msg: Message) -> JsonDict:
    """One message as the page draws it."""
    out: JsonDict = {
        "id": msg.message_id,
        "date": msg.date,
        "from": msg.sender.id,
        "kind": msg.kind,
        "text": msg.text,
        "entities": msg.entities,
    }
    optional: JsonDict = {
        "thread": msg.thread_id,
        "reply_to": msg.reply_to_message_id,
        "album": msg.media_group_id,
        "markup": msg.reply_markup,
        "forward": _origin_name(msg.forward_origin),
        "media": _media(emu, msg),
        "service": _service(msg.service),
    }
    out.update({k: v for k, v in optional.items() if v is not None})
    if msg.edited:
        out["edited"] = True
    if msg.pinned:
        out["pinned"] = True
    if msg.reactions:
        out["reactions"] = list(msg.reactions)
    return out


def _media(emu: BotApiEmulator, msg: Message) -> JsonDict | None:
    value = msg.content.get(msg.kind)
    if value is None:
        return None
    if msg.kind == "photo" and isinstance(value, list) and value:
        largest = value[-1]
        return {
            "file": largest["file_id"],
            "width": largest.get("width"),
            "height": largest.get("height"),
            "has_data": _has_data(emu, largest["file_id"]),
        }
    if msg.kind in ("contact", "location"):
        return dict(value)
    if msg.kind == "poll":
        return {"question": value.get("question"), "options": [o["text"] for o in value["options"]]}
    if isinstance(value, dict) and "file_id" in value:
        out = {k: value[k] for k in _MEDIA_FIELDS if k in value}
        return {"file": value["file_id"], "has_data": _has_data(emu, value["file_id"]), **out}
    return {}


def _has_data(emu: BotApiEmulator, file_id: str) -> bool:
    stored = emu.state.files.get(file_id)
    return stored is not None and stored.data is not None


def _origin_name(origin: JsonDict | None) -> str | None:
    if origin is None:
        return None
    user = origin.get("sender_user")
    if isinstance(user, dict):
        return " ".join(str(user[k]) for k in ("first_name", "last_name") if user.get(k))
    chat = origin.get("sender_chat") or origin.get("chat")
    if isinstance(chat, dict):
        return str(chat.get("title", ""))
    return str(origin.get("sender_user_name", ""))


def _service(service: JsonDict) -> JsonDict | None:
    if not service:
        return None
    out: JsonDict = {}
    for name, value in service.items():
        if name == "pinned_message" and isinstance(value, dict):
            text = value.get("text") or value.get("caption") or ""
            out[name] = {"id": value.get("message_id"), "text": str(text)[:SNIPPET]}
        else:
            out[name] = value if isinstance(value, dict) else {}
    return out


def people_json(emu: BotApiEmulator, world: World, org: OrgConfig) -> JsonDict:
    """Who is who: the roles of the sandbox and every Telegram user's profile."""

    def person(p: Person) -> JsonDict:
        return {"id": p.id, "name": p.name, "language": p.language, "title": p.title}

    return {
        "org": {
            "name": org.organisation.name,
            "timezone": org.organisation.timezone,
            "languages": list(org.organisation.languages),
            "default_language": org.organisation.default_language,
        },
        "bot": {"id": emu.bot_user.id, "name": emu.bot_user.first_name},
        "customers": [person(p) for p in world.customers],
        "groups": [
            {
                "team": g.team,
                "name": g.name,
                "chat_id": g.chat_id,
                "staff": [person(p) for p in g.staff],
            }
            for g in world.groups
        ],
        "managers": [person(p) for p in world.managers],
        "users": {
            str(u.id): {
                "first_name": u.first_name,
                "name": " ".join(p for p in (u.first_name, u.last_name) if p),
                "username": u.username,
                "language": u.language_code,
            }
            for u in emu.state.users.values()
        },
        # Each private chat's "/" menu, as Telegram resolves it: managers have one of their own.
        "commands": {
            str(p.id): emu.bot_commands(p.id, p.language)
            for p in (*world.customers, *world.managers)
        },
    }


def clock_json(clock: SimulatedClock, version: int, jumping_to: datetime | None) -> JsonDict:
    """The simulated time (Unix seconds), its speed and the end of a jump in progress.

    The page runs the time on between updates unless it is held by a jump; `version` lets it
    ignore a state older than one it already has.
    """
    return {
        "now": clock.timestamp(),
        "speed": clock.speed,
        "held": clock.held,
        "jumping_to": None if jumping_to is None else jumping_to.timestamp(),
        "version": version,
    }
