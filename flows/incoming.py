"""What a person did, in Telegram-neutral terms: the bot layer translates updates into these."""

from __future__ import annotations

from dataclasses import dataclass

from flows.model import Profile

MEDIA_KINDS = ("photo", "document", "voice", "video", "audio", "video_note")
UNSUPPORTED_KINDS = ("sticker", "animation", "location", "venue", "poll", "dice", "game", "other")


@dataclass(frozen=True)
class Text:
    """A text message; `label` is set when it is the text of one of our reply-keyboard buttons."""

    text: str
    message_id: int
    label: str | None = None
    forwarded_from: str | None = None
    reply_to: int | None = None
    html: str | None = None  # the text with its formatting, as safe Telegram HTML


@dataclass(frozen=True)
class Media:
    """A photo, document, voice note or video, with its caption."""

    kind: str
    file_id: str
    file_unique_id: str
    message_id: int
    caption: str | None = None
    media_group_id: str | None = None
    forwarded_from: str | None = None
    reply_to: int | None = None
    caption_html: str | None = None


@dataclass(frozen=True)
class ContactShared:
    """A phone number shared with Telegram's contact button (`own` if it is the sender's own)."""

    phone: str
    own: bool
    message_id: int


@dataclass(frozen=True)
class Unsupported:
    """Something we cannot add to a complaint: a sticker, GIF, location, poll…"""

    kind: str
    message_id: int


@dataclass(frozen=True)
class Command:
    """A slash command with its arguments."""

    name: str
    args: str
    message_id: int


@dataclass(frozen=True)
class Edited:
    """The customer changed a message they had sent earlier."""

    message_id: int
    text: str
    html: str | None = None
    caption: bool = False  # the text is a media message's caption


@dataclass(frozen=True)
class Pressed:
    """An inline button press; `data` is the raw callback data, checked by the flows."""

    data: str
    callback_id: str
    message_id: int | None


@dataclass(frozen=True)
class TopicClosed:
    """Someone closed a forum topic in a staff group."""

    message_id: int


Incoming = Text | Media | ContactShared | Unsupported | Command | Edited | Pressed | TopicClosed


@dataclass(frozen=True)
class Update:
    """One thing a person did in a private chat with the bot."""

    profile: Profile
    chat_id: int
    event: Incoming


@dataclass(frozen=True)
class GroupUpdate:
    """One thing a person did in a staff group; `thread_id` is the forum topic, if any.

    `is_staff` is decided by bot/ (group membership, checked with Telegram) before the flows run.
    """

    profile: Profile
    chat_id: int
    thread_id: int | None
    event: Incoming
    is_staff: bool
