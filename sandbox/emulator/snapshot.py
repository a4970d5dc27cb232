"""The emulated Telegram as plain JSON, so that a world (the sandbox's) survives a restart.

A restored world goes on exactly where it stopped: same messages, topics, pins and files, and
update ids that keep counting up, which the bot's inbox relies on to tell new updates from
replays.
"""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Callable
from typing import Any

from sandbox.emulator.state import Chat, JsonDict, Message, State, StoredFile, Topic, User

FORMAT = 1


class SnapshotError(ValueError):
    """The snapshot cannot be restored (another format, or damaged)."""


def _fields(obj: Any, skip: tuple[str, ...] = ()) -> JsonDict:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if f.name not in skip}


def dump(state: State) -> JsonDict:
    """Everything the emulated Telegram remembers, as JSON-ready data."""
    blobs: dict[str, str] = {}
    files: dict[str, JsonDict] = {}
    for file_id, stored in state.files.items():
        files[file_id] = _fields(stored, skip=("data",))
        if stored.data is not None:
            # The sizes of one photo share their bytes: keep them once, by path.
            blobs[stored.file_path] = base64.b64encode(stored.data).decode("ascii")
    return {
        "format": FORMAT,
        "users": [_fields(u) for u in state.users.values() if u.id != state.bot.id],
        "chats": [
            {**_fields(c, skip=("user", "members")), "members": list(c.members.items())}
            for c in state.chats.values()
        ],
        "messages": [
            {**_fields(m, skip=("sender",)), "sender": m.sender.id}
            for messages in state.messages.values()
            for m in messages.values()
        ],
        "topics": [
            {"chat_id": chat_id, **_fields(t)}
            for chat_id, topics in state.topics.items()
            for t in topics.values()
        ],
        "updates": state.updates,
        "next_update_id": state.next_update_id,
        "allowed_updates": None if state.allowed_updates is None else sorted(state.allowed_updates),
        "callbacks": state.callbacks,
        "callback_answers": state.callback_answers,
        "files": files,
        "blobs": blobs,
        "commands": state.commands,
        "menu_buttons": [[k, v] for k, v in state.menu_buttons.items()],
        "webhook_url": state.webhook_url,
        "webhook_secret": state.webhook_secret,
        "last_id": state.last_id,
    }


def load(data: JsonDict, bot: User, wall_clock: Callable[[], float]) -> State:
    """A State equal to the one `dump` saw; SnapshotError if the data cannot be one."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SnapshotError(f"not an emulator snapshot of format {FORMAT}")
    try:
        return _load(data, bot, wall_clock)
    except (KeyError, TypeError, ValueError) as error:
        raise SnapshotError(f"the snapshot is damaged: {error!r}") from None


def _load(data: JsonDict, bot: User, wall_clock: Callable[[], float]) -> State:
    state = State(bot, wall_clock)
    for raw in data["users"]:
        user = User(**raw)
        state.users[user.id] = user
    for raw in data["chats"]:
        fields = {k: v for k, v in raw.items() if k != "members"}
        # Saved before the right was emulated: an admin bot had it by default, as now.
        fields.setdefault("bot_can_delete_messages", bool(fields.get("bot_admin")))
        chat = Chat(**fields, members={int(k): str(v) for k, v in raw["members"]})
        chat.user = state.users.get(chat.id) if chat.private else None
        state.chats[chat.id] = chat
    for raw in data["messages"]:
        msg = Message(**{**raw, "sender": state.users[int(raw["sender"])]})
        state.messages.setdefault(msg.chat_id, {})[msg.message_id] = msg
    for raw in data["topics"]:
        chat_id = int(raw["chat_id"])
        topic = Topic(**{k: v for k, v in raw.items() if k != "chat_id"})
        state.topics.setdefault(chat_id, {})[topic.thread_id] = topic
    state.updates = list(data["updates"])
    state.next_update_id = int(data["next_update_id"])
    allowed = data["allowed_updates"]
    state.allowed_updates = None if allowed is None else frozenset(allowed)
    state.callbacks = {k: (int(u), int(c), int(m)) for k, (u, c, m) in data["callbacks"].items()}
    state.callback_answers = {k: (t, bool(a)) for k, (t, a) in data["callback_answers"].items()}
    blobs = {path: base64.b64decode(b64) for path, b64 in data["blobs"].items()}
    for file_id, raw in data["files"].items():
        state.files[file_id] = StoredFile(**raw, data=blobs.get(raw["file_path"]))
    state.commands = dict(data["commands"])
    state.menu_buttons = {None if k is None else int(k): v for k, v in data["menu_buttons"]}
    state.webhook_url = str(data["webhook_url"])
    state.webhook_secret = str(data.get("webhook_secret", ""))
    state.last_id = int(data["last_id"])
    return state
