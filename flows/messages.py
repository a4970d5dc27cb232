"""What the bot says, as message keys and parameters, rendered in the reader's language by bot/.

Messages are stored in the outbox as JSON before they are sent, so every type here round-trips
through `to_json`/`from_json`. Parameters may be text, numbers, aware datetimes or durations;
datetimes are shown as concrete local times by the renderer, never as vague words, and durations
as days, hours and minutes in the reader's language.
"""

from __future__ import annotations

import base64
import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Html:
    """Text that is already safe Telegram HTML (built by bot/ from a message's entities)."""

    html: str


@dataclass(frozen=True)
class Template:
    """Text the organisation wrote, with {placeholders} the renderer fills in the reader's
    language (a time as a concrete local time); the text itself is escaped, never formatted."""

    text: str
    values: dict[str, Param] = field(default_factory=dict)


Param = str | int | float | datetime | timedelta | Html | Template | None
Line = tuple[str, dict[str, Param]]  # one more line of a message: its key and parameters

TEXT_LIMIT = 4096  # Telegram's longest message, in characters
CAPTION_LIMIT = 1024  # the longest caption a bot may send (Premium users may write longer ones)
PRIORITY_REPLY = 0  # an answer to something the person just did
PRIORITY_NOTICE = 5  # news the person did not ask for this second
PRIORITY_BULK = 9  # scheduled check-ins and reminders


@dataclass(frozen=True)
class Button:
    """An inline button (with `data`) or a reply-keyboard button (maybe asking for the phone)."""

    key: str
    data: str | None = None
    params: dict[str, Param] = field(default_factory=dict)
    request_contact: bool = False


@dataclass(frozen=True)
class Track:
    """What delivery must record: the topic or card of a case, or which message a relay became."""

    kind: str  # TRACK_* below
    case: str  # the case number (for TRACK_MARK: the key of the mark)
    source_chat: int = 0
    source_message: int = 0
    mark: str = ""  # for TRACK_MARK: the kind of mark to remember the message under


TRACK_CARD = "card"  # the case card: remember its message id to edit it in place
TRACK_TO_TOPIC = "to-topic"  # a customer's message copied into the case topic
TRACK_TO_CUSTOMER = "to-customer"  # a staff message sent to the customer
TRACK_MARK = "mark"  # remember the message under (mark, case) to edit or unpin it later


def marked(kind: str, key: str) -> Track:
    """Remember the delivered message as mark `kind` of `key` (flows/marks.py)."""
    return Track(TRACK_MARK, key, mark=kind)


@dataclass(frozen=True)
class Say:
    """A message to one chat: text by key, with optional buttons, pinned if `pin`.

    With `topic_of`, the message goes into that case's forum topic, whichever it is when the
    message is sent (topics are created, and recreated, by the time earlier messages go).
    """

    chat_id: int
    key: str
    language: str
    params: dict[str, Param] = field(default_factory=dict)
    lines: tuple[tuple[str, dict[str, Param]], ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()
    keyboard: tuple[tuple[Button, ...], ...] = ()
    remove_keyboard: bool = False
    pin: bool = False
    reply_to: int | None = None
    thread_id: int | None = None
    priority: int = PRIORITY_REPLY
    topic_of: str | None = None
    track: Track | None = None


@dataclass(frozen=True)
class Copy:
    """Copy a message (media kept, no "forwarded from") into a chat or a case topic.

    `caption_key` replaces the caption of a media message, rendered with `params`.
    """

    chat_id: int
    from_chat_id: int
    message_id: int
    language: str
    caption_key: str | None = None
    params: dict[str, Param] = field(default_factory=dict)
    reply_to: int | None = None
    thread_id: int | None = None
    priority: int = PRIORITY_REPLY
    topic_of: str | None = None
    track: Track | None = None


@dataclass(frozen=True)
class Edit:
    """Replace the text and buttons of a message the bot sent (a case card when `card_of`);
    with `buttons_only`, only its buttons (none: they are taken away); with `caption`, the
    caption of a media message."""

    chat_id: int
    key: str
    language: str
    message_id: int | None = None
    params: dict[str, Param] = field(default_factory=dict)
    lines: tuple[tuple[str, dict[str, Param]], ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()
    card_of: str | None = None
    priority: int = PRIORITY_NOTICE
    buttons_only: bool = False
    caption: bool = False
    # The message this one is the relayed copy of, when the copy's id is not yet known: the
    # sender finds it when the edit is about to go (after the copy, in the chat's order).
    of_chat: int | None = None
    of_message: int | None = None


@dataclass(frozen=True)
class CreateTopic:
    """Open the forum topic of case `case` in a staff group."""

    chat_id: int
    name: str
    case: str
    priority: int = PRIORITY_NOTICE


@dataclass(frozen=True)
class React:
    """Set the bot's reaction on a message (the "delivered" tick on a staff reply)."""

    chat_id: int
    message_id: int
    emoji: str
    priority: int = PRIORITY_NOTICE


@dataclass(frozen=True)
class Unpin:
    """Unpin a message the bot pinned (a case's receipt, once the case has ended)."""

    chat_id: int
    message_id: int
    priority: int = PRIORITY_NOTICE


@dataclass(frozen=True)
class Document:
    """A file the bot makes and uploads (a customer's copy of their data), captioned by key."""

    chat_id: int
    language: str
    filename: str
    data: bytes
    mime_type: str = "application/octet-stream"
    caption_key: str | None = None
    params: dict[str, Param] = field(default_factory=dict)
    priority: int = PRIORITY_REPLY


@dataclass(frozen=True)
class Delete:
    """Delete messages the bot sent or copied into a chat (at most 100 at once)."""

    chat_id: int
    message_ids: tuple[int, ...]
    priority: int = PRIORITY_NOTICE


@dataclass(frozen=True)
class DeleteTopic:
    """Delete a forum topic of case `case` with every message in it."""

    chat_id: int
    thread_id: int
    case: str
    priority: int = PRIORITY_NOTICE


@dataclass(frozen=True)
class AnswerButton:
    """The answer to a button press: a short notice, or an alert the person must dismiss."""

    callback_id: str
    language: str
    key: str | None = None
    params: dict[str, Param] = field(default_factory=dict)
    alert: bool = False
    chat_id: int = 0


@dataclass(frozen=True)
class ChartDay:
    """One local day of a chart: cases opened and closed, targets missed and promises broken
    (`breaches`), the average rating."""

    day: str  # ISO date, in the organisation's time zone
    opened: int
    closed: int
    breaches: int
    rating: float | None = None


@dataclass(frozen=True)
class Chart:
    """A chart sent as a photo with a caption; bot/ draws it from these numbers when it is sent,
    so the outbox keeps numbers rather than pictures."""

    chat_id: int
    language: str
    days: tuple[ChartDay, ...]
    caption_key: str
    params: dict[str, Param] = field(default_factory=dict)
    priority: int = PRIORITY_NOTICE


Outgoing = (
    Say
    | Copy
    | Edit
    | CreateTopic
    | React
    | Unpin
    | Document
    | Delete
    | DeleteTopic
    | AnswerButton
    | Chart
)


def _encode(value: Param) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, timedelta):
        return {"$seconds": value.total_seconds()}
    if isinstance(value, Html):
        return {"$html": value.html}
    if isinstance(value, Template):
        return {"$template": value.text, "values": _params_json(value.values)}
    return value


def _decode(value: Any) -> Param:
    if isinstance(value, dict) and "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if isinstance(value, dict) and "$html" in value:
        return Html(str(value["$html"]))
    if isinstance(value, dict) and "$template" in value:
        return Template(str(value["$template"]), _params_from(value.get("values") or {}))
    if isinstance(value, dict) and "$seconds" in value:
        return timedelta(seconds=float(value["$seconds"]))
    if value is None or isinstance(value, str | int | float):
        return value
    raise ValueError(f"unsupported parameter {value!r}")


def _params_json(params: dict[str, Param]) -> dict[str, Any]:
    return {name: _encode(value) for name, value in params.items()}


def _params_from(raw: dict[str, Any]) -> dict[str, Param]:
    return {name: _decode(value) for name, value in raw.items()}


def _button_json(button: Button) -> dict[str, Any]:
    return {
        "key": button.key,
        "data": button.data,
        "params": _params_json(button.params),
        "request_contact": button.request_contact,
    }


def _button_from(raw: dict[str, Any]) -> Button:
    return Button(
        key=raw["key"],
        data=raw.get("data"),
        params=_params_from(raw.get("params", {})),
        request_contact=bool(raw.get("request_contact", False)),
    )


def _rows_json(rows: tuple[tuple[Button, ...], ...]) -> list[list[dict[str, Any]]]:
    return [[_button_json(b) for b in row] for row in rows]


def _rows_from(raw: list[list[dict[str, Any]]]) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(_button_from(b) for b in row) for row in raw)


def _track_json(track: Track | None) -> dict[str, Any] | None:
    return None if track is None else dict(vars(track))


def _track_from(raw: dict[str, Any] | None) -> Track | None:
    return None if raw is None else Track(**raw)


def _lines_json(lines: tuple[tuple[str, dict[str, Param]], ...]) -> list[Any]:
    return [[key, _params_json(params)] for key, params in lines]


def _lines_from(raw: list[Any]) -> tuple[tuple[str, dict[str, Param]], ...]:
    return tuple((key, _params_from(params)) for key, params in raw)


_TYPES: dict[str, type[Any]] = {
    "say": Say,
    "copy": Copy,
    "edit": Edit,
    "topic": CreateTopic,
    "react": React,
    "unpin": Unpin,
    "document": Document,
    "delete": Delete,
    "delete-topic": DeleteTopic,
    "answer": AnswerButton,
    "chart": Chart,
}
_TYPE_NAMES = {cls: name for name, cls in _TYPES.items()}


def about_case(message: Outgoing) -> str | None:
    """The case a message is about, if any: erasing the case's data erases the message too."""
    if isinstance(message, CreateTopic | DeleteTopic):
        return message.case
    topic = getattr(message, "topic_of", None) or getattr(message, "card_of", None)
    if topic is not None:
        return str(topic)
    track = getattr(message, "track", None)
    if track is not None and track.kind != TRACK_MARK:
        return str(track.case)
    number = getattr(message, "params", {}).get("number")
    return number if isinstance(number, str) else None


def to_json(message: Outgoing) -> dict[str, Any]:
    """A JSON-ready dict for the outbox."""
    out: dict[str, Any] = {"type": _TYPE_NAMES[type(message)]}
    for f in dataclasses.fields(message):
        value = getattr(message, f.name)
        if f.name == "params":
            value = _params_json(value)
        elif f.name == "lines":
            value = _lines_json(value)
        elif f.name in ("buttons", "keyboard"):
            value = _rows_json(value)
        elif f.name == "track":
            value = _track_json(value)
        elif f.name == "days":
            value = [dataclasses.asdict(day) for day in value]
        elif isinstance(value, bytes):
            value = {"$bytes": base64.b64encode(value).decode()}
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def from_json(raw: dict[str, Any]) -> Outgoing:
    """Rebuild a message stored by `to_json` (fields it lacks take their defaults)."""
    cls = _TYPES[raw["type"]]
    names = {f.name for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {k: v for k, v in raw.items() if k in names}
    if "params" in values:
        values["params"] = _params_from(values["params"])
    if "lines" in values:
        values["lines"] = _lines_from(values["lines"])
    for name in ("buttons", "keyboard"):
        if name in values:
            values[name] = _rows_from(values[name])
    if "track" in values:
        values["track"] = _track_from(values["track"])
    if "days" in values:
        values["days"] = tuple(ChartDay(**day) for day in values["days"])
    if isinstance(values.get("data"), dict):
        values["data"] = base64.b64decode(values["data"]["$bytes"])
    if "message_ids" in values:
        values["message_ids"] = tuple(values["message_ids"])
    message: Outgoing = cls(**values)
    return message
