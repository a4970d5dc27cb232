"""The port through which hearback talks to the Bot API, with neutral outcomes each runtime maps to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

Json = dict[str, Any]


@dataclass(frozen=True)
class Upload:
    """A file sent with the call itself (Telegram's InputFile, posted as multipart/form-data)."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"

    def __repr__(self) -> str:  # never the bytes in a log line
        return f"Upload({self.filename!r}, {len(self.data)} bytes)"


@dataclass(frozen=True)
class Delivered:
    """Telegram accepted the call; the message (or forum topic) it created, if any."""

    message_id: int | None = None
    thread_id: int | None = None
    result: Any = None


@dataclass(frozen=True)
class RetryLater:
    """Try again after `after` seconds (429, 5xx, network); `rate_limited` for a 429."""

    after: float
    reason: str
    rate_limited: bool = False


@dataclass(frozen=True)
class Blocked:
    """403: the person blocked the bot, or the bot may not write there."""

    reason: str


@dataclass(frozen=True)
class Rejected:
    """400: the request itself is wrong; retrying cannot help."""

    reason: str


Outcome = Delivered | RetryLater | Blocked | Rejected


def delivered(result: Any, answer: Any = None) -> Delivered:
    """A call's result as an outcome: the message (or forum topic) it made, a query's answer."""
    message_id = getattr(result, "message_id", None)
    thread_id = getattr(result, "message_thread_id", None)
    return Delivered(
        message_id if isinstance(message_id, int) else None,
        thread_id if isinstance(thread_id, int) else None,
        answer,
    )


class Transport(Protocol):
    """Calls Bot API methods; never raises for Telegram errors, returns an Outcome instead."""

    async def call(self, method: str, params: Json) -> Outcome: ...
