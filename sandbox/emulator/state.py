"""The emulated Telegram world: users, chats, messages, topics, files, updates (pure data)."""

from __future__ import annotations

import copy
import secrets
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]

# Telegram leaves these out unless a bot asks for them in allowed_updates.
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
# The six colours Telegram allows for forum topic icons; the first is its default.
TOPIC_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)


class ApiError(Exception):
    """A Bot API error answer: HTTP status (= error_code), description, optional retry_after."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> JsonDict:
        """The JSON body Telegram sends for this error."""
        body: JsonDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    """A 400 error with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """A 429 flood-control error."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


@dataclass
class User:
    """A Telegram account (a person or the bot)."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"
    is_bot: bool = False

    def to_api(self) -> JsonDict:
        """The Bot API User object."""
        out: JsonDict = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


@dataclass
class Chat:
    """A private chat with the bot, a group or a supergroup (optionally a forum)."""

    id: int
    type: str
    title: str | None = None
    user: User | None = None  # the person on the other side of a private chat
    is_forum: bool = False
    members: dict[int, str] = field(default_factory=dict)  # user id -> chat member status
    bot_admin: bool = False
    bot_can_manage_topics: bool = False
    bot_can_delete_messages: bool = False  # an admin right: others' messages, old ones, topics
    bot_blocked: bool = False  # private chats: the user blocked the bot
    started: bool = True  # private chats: the user has opened the chat, so the bot may write
    next_message_id: int = 1

    @property
    def private(self) -> bool:
        """True for a one-to-one chat with the bot."""
        return self.type == "private"

    def to_api(self) -> JsonDict:
        """The Bot API Chat object."""
        out: JsonDict = {"id": self.id, "type": self.type}
        if self.user is not None:
            out.update({k: v for k, v in self.user.to_api().items() if k in _PRIVATE_CHAT_KEYS})
        if self.title is not None:
            out["title"] = self.title
        if self.is_forum:
            out["is_forum"] = True
        return out


_PRIVATE_CHAT_KEYS = ("first_name", "last_name", "username")


@dataclass
class Topic:
    """A forum topic; thread_id is the id of its forum_topic_created service message."""

    thread_id: int
    name: str
    icon_color: int = TOPIC_COLORS[0]
    icon_custom_emoji_id: str | None = None
    closed: bool = False
    deleted: bool = False

    def to_api(self) -> JsonDict:
        """The Bot API ForumTopic object."""
        out: JsonDict = {
            "message_thread_id": self.thread_id,
            "name": self.name,
            "icon_color": self.icon_color,
        }
        if self.icon_custom_emoji_id:
            out["icon_custom_emoji_id"] = self.icon_custom_emoji_id
        return out


@dataclass(repr=False)
class Message:
    """One message as the emulator remembers it; `text` is the visible text or caption."""

    chat_id: int
    message_id: int
    date: int
    sender: User
    kind: str = "text"  # text, photo, document, ..., or the service field name
    body: str | None = None  # visible text of a text message
    caption: str | None = None  # visible caption of a media message
    html: str | None = None  # HTML form: the bot's source with parse_mode=HTML, else escaped
    entities: list[JsonDict] = field(default_factory=list)  # of body or caption
    content: JsonDict = field(default_factory=dict)  # API fields of media: {"photo": [...]}
    reply_markup: JsonDict | None = None
    thread_id: int | None = None
    reply_to_message_id: int | None = None
    edit_date: int | None = None
    pinned: bool = False
    deleted: bool = False
    forward_origin: JsonDict | None = None
    media_group_id: str | None = None
    service: JsonDict = field(default_factory=dict)  # e.g. {"forum_topic_created": {...}}
    reactions: list[str] = field(default_factory=list)  # the bot's reaction emoji on it

    @property
    def text(self) -> str:
        """Visible text, or the caption of a media message, or ""."""
        if self.body is not None:
            return self.body
        return self.caption or ""

    @property
    def from_bot(self) -> bool:
        """True when the bot sent this message."""
        return self.sender.is_bot

    @property
    def edited(self) -> bool:
        """True once the message has been edited."""
        return self.edit_date is not None

    @property
    def is_service(self) -> bool:
        """True for service messages (topic created, message pinned, ...)."""
        return bool(self.service)

    def buttons(self) -> list[tuple[str, str | None]]:
        """All keyboard buttons, flattened, as (text, callback_data or None)."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        out: list[tuple[str, str | None]] = []
        for row in rows:
            for button in row:
                if isinstance(button, str):
                    out.append((button, None))
                else:
                    out.append((str(button.get("text", "")), button.get("callback_data")))
        return out

    def __repr__(self) -> str:
        who = "bot" if self.from_bot else f"user {self.sender.id}"
        where = f"{self.chat_id}" + (f"/t{self.thread_id}" if self.thread_id is not None else "")
        flags = "".join(f" {f}" for f in ("deleted", "edited", "pinned") if getattr(self, f))
        return f"<Message {where} #{self.message_id} {who} {self.kind} {self.text!r}{flags}>"

    def summary(self) -> JsonDict:
        """A compact JSON view for the driver API and failure dumps."""
        return {
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "date": self.date,
            "from_bot": self.from_bot,
            "from_id": self.sender.id,
            "kind": self.kind,
            "text": self.text,
            "html": self.html,
            "thread_id": self.thread_id,
            "reply_to_message_id": self.reply_to_message_id,
            "buttons": [list(b) for b in self.buttons()],
            "pinned": self.pinned,
            "deleted": self.deleted,
            "edited": self.edited,
            "reactions": list(self.reactions),
        }


@dataclass
class Upload:
    """A file that arrived in a multipart request."""

    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class StoredFile:
    """A file the emulator knows by file_id."""

    kind: str
    value: Any  # the message field: a list of PhotoSize for photos, an object otherwise
    file_unique_id: str
    file_path: str
    data: bytes | None = None


@dataclass
class Stats:
    """Request counters for benchmarks: per method, 429s, messages the bot created."""

    requests: Counter[str] = field(default_factory=Counter)
    errors: Counter[int] = field(default_factory=Counter)  # by HTTP status
    rate_limited: Counter[str] = field(default_factory=Counter)  # 429s by method
    rate_limited_by_chat: Counter[int] = field(default_factory=Counter)
    sent: Counter[int] = field(default_factory=Counter)  # bot messages created, by chat
    # Every call that sends or edits, as it arrived: (emulator clock, method, chat id or None).
    calls: deque[tuple[float, str, int | None]] = field(
        default_factory=lambda: deque(maxlen=200_000)
    )
    flood_waits: list[tuple[float, int]] = field(default_factory=list)  # 429s: (when, seconds)
    unanswered: int = 0  # calls refused by an outage

    @property
    def total_rate_limited(self) -> int:
        """All 429 answers."""
        return sum(self.rate_limited.values())

    @property
    def total_sent(self) -> int:
        """All messages the bot created."""
        return sum(self.sent.values())


def _default_sizes(kind: str) -> JsonDict:
    return {
        "photo": {"width": 1280, "height": 960},
        "video": {"width": 1280, "height": 720, "duration": 5},
        "animation": {"width": 480, "height": 270, "duration": 3},
        "voice": {"duration": 3},
        "audio": {"duration": 30},
        "video_note": {"length": 240, "duration": 5},
        "sticker": {"width": 512, "height": 512},
    }.get(kind, {})


_MIME = {
    "voice": "audio/ogg",
    "video": "video/mp4",
    "animation": "video/mp4",
    "audio": "audio/mpeg",
    "document": "application/octet-stream",
}
_FILE_PREFIX = {"photo": "AgAC", "document": "BQAC", "voice": "AwAC", "video": "BAAC"}


class State:
    """Everything the emulated Telegram remembers; mutated by the Bot API and the driver."""

    def __init__(self, bot: User, wall_clock: Callable[[], float] = time.time) -> None:
        self.bot = bot
        self.wall_clock = wall_clock
        self.users: dict[int, User] = {bot.id: bot}
        self.chats: dict[int, Chat] = {}
        self.messages: dict[int, dict[int, Message]] = {}
        self.topics: dict[int, dict[int, Topic]] = {}
        self.updates: list[JsonDict] = []
        self.next_update_id = 1
        self.allowed_updates: frozenset[str] | None = None  # None = Telegram's default set
        self.callbacks: dict[str, tuple[int, int, int]] = {}  # id -> (user, chat, message)
        self.callback_answers: dict[str, tuple[str | None, bool]] = {}
        self.files: dict[str, StoredFile] = {}
        self.commands: dict[str, list[JsonDict]] = {}
        self.menu_buttons: dict[int | None, JsonDict] = {}
        self.webhook_url = ""
        self.webhook_secret = ""
        self.webhook_max_connections = 40
        self.last_id = 0  # of generated identifiers; a plain number so that it can be saved

    def now(self) -> int:
        """Unix time for message dates."""
        return int(self.wall_clock())

    def chat(self, chat_id: int) -> Chat:
        """The chat, or the Bot API's "chat not found"."""
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def message(self, chat_id: int, message_id: int | None) -> Message | None:
        """A live (not deleted) message, or None."""
        if message_id is None:
            return None
        msg = self.messages.get(chat_id, {}).get(message_id)
        return None if msg is None or msg.deleted else msg

    def add_message(self, chat: Chat, sender: User, **fields: Any) -> Message:
        """Create and store a message with the chat's next message_id."""
        msg = Message(chat.id, chat.next_message_id, self.now(), sender, **fields)
        chat.next_message_id += 1
        self.messages.setdefault(chat.id, {})[msg.message_id] = msg
        return msg

    def enqueue(self, kind: str, payload: JsonDict) -> bool:
        """Queue an update for the bot unless allowed_updates filters it out."""
        allowed = self.allowed_updates
        if (allowed is None and kind in DEFAULT_EXCLUDED_UPDATES) or (
            allowed is not None and kind not in allowed
        ):
            return False
        # Snapshot: an update shows the message as it was when the update happened.
        self.updates.append({"update_id": self.next_update_id, kind: copy.deepcopy(payload)})
        self.next_update_id += 1
        return True

    def take_updates(self, offset: int, limit: int) -> list[JsonDict]:
        """getUpdates semantics: forget ids below offset (or keep the last -offset) and read."""
        if offset < 0:
            del self.updates[: max(0, len(self.updates) + offset)]
        elif 0 < offset <= self.next_update_id:
            # An offset past the queue's tail is invalid, and Telegram then reads from the head.
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        return copy.deepcopy(self.updates[:limit])

    def new_id(self) -> int:
        """A fresh number for generated identifiers."""
        self.last_id += 1
        return self.last_id

    def new_file(
        self,
        kind: str,
        data: bytes | None = None,
        file_name: str | None = None,
        mime_type: str | None = None,
        **meta: Any,
    ) -> Any:
        """Register a new file and return the value a message carries for it."""
        n = self.new_id()
        prefix = _FILE_PREFIX.get(kind, "CAAC")
        size = len(data) if data is not None else 1000 + n

        def ids(suffix: str) -> tuple[str, str]:
            return (
                f"{prefix}AgADemu{n:05d}{suffix}{secrets.token_hex(6)}",
                f"AQADemu{n:05d}{suffix}",
            )

        dims = {**_default_sizes(kind), **{k: v for k, v in meta.items() if v is not None}}
        if kind == "photo":
            width, height = int(dims["width"]), int(dims["height"])
            sizes: list[JsonDict] = []
            for suffix, side in (("s", 90), ("m", 320), ("x", 1280)):
                scale = min(1.0, side / max(width, height))
                file_id, unique = ids(suffix)
                sizes.append(
                    {
                        "file_id": file_id,
                        "file_unique_id": unique,
                        "width": max(1, round(width * scale)),
                        "height": max(1, round(height * scale)),
                        "file_size": max(1, round(size * scale * scale)),
                    }
                )
            for s in sizes:
                self.files[s["file_id"]] = StoredFile(
                    "photo", sizes, s["file_unique_id"], f"photos/file_{n}.jpg", data
                )
            return sizes
        file_id, unique = ids("")
        value: JsonDict = {"file_id": file_id, "file_unique_id": unique, **dims}
        if kind == "sticker":
            value.update({"type": "regular", "is_animated": False, "is_video": False})
            value.setdefault("emoji", "🙂")
        else:
            value["file_size"] = size
        if kind in ("document", "animation", "video", "audio") or file_name:
            value["file_name"] = file_name or f"file_{n}"
        if kind in _MIME or mime_type:
            value["mime_type"] = mime_type or _MIME[kind]
        self.files[file_id] = StoredFile(kind, value, unique, f"{kind}s/file_{n}", data)
        return value

    def message_json(self, msg: Message, nested: bool = False) -> JsonDict:
        """The Bot API Message object for msg (replies nested one level, like Telegram)."""
        chat = self.chats[msg.chat_id]
        out: JsonDict = {
            "message_id": msg.message_id,
            "from": msg.sender.to_api(),
            "date": msg.date,
            "chat": chat.to_api(),
        }
        if msg.thread_id is not None:
            out["message_thread_id"] = msg.thread_id
            if chat.is_forum:
                out["is_topic_message"] = True
        if msg.forward_origin is not None:
            out["forward_origin"] = msg.forward_origin
        reply_id = msg.reply_to_message_id
        if reply_id is None and chat.is_forum and msg.thread_id not in (None, msg.message_id):
            # Telegram presents every topic message as a reply to the topic's creation message.
            reply_id = msg.thread_id
        target = self.message(msg.chat_id, reply_id)
        if target is not None and not nested:
            out["reply_to_message"] = self.message_json(target, nested=True)
        if msg.media_group_id is not None:
            out["media_group_id"] = msg.media_group_id
        if msg.edit_date is not None:
            out["edit_date"] = msg.edit_date
        if msg.body is not None:
            out["text"] = msg.body
            if msg.entities:
                out["entities"] = msg.entities
        out.update(msg.content)
        if msg.caption is not None:
            out["caption"] = msg.caption
            if msg.entities:
                out["caption_entities"] = msg.entities
        out.update(msg.service)
        # Only inline keyboards belong to a message; reply keyboards live in the client.
        if msg.reply_markup and "inline_keyboard" in msg.reply_markup:
            out["reply_markup"] = msg.reply_markup
        return out
