"""When to try a failing update or timer again, when to set it aside, and what is not its fault.

A failing update or timer is tried again after seconds, then minutes, then set aside as a dead
letter (`hearback dead`, `hearback retry ID`). An unreachable database or Telegram is nobody's
fault: the worker pauses and tries again, without spending the attempts of what it was doing.
"""

from __future__ import annotations

import sqlite3
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import DBAPIError, OperationalError

ATTEMPTS = 5
# After the 1st, 2nd, ... failure: seconds first (a moment's trouble), then minutes.
DELAYS = (2.0, 15.0, 60.0, 300.0)


class Unavailable(Exception):
    """Something the update needs (Telegram, the database) cannot be reached right now."""


@dataclass(frozen=True)
class RetryPolicy:
    """How many attempts an update or timer gets, and how long it waits between them."""

    attempts: int = ATTEMPTS
    delays: tuple[float, ...] = DELAYS

    def retry_at(self, failures: int, now: datetime) -> datetime | None:
        """When to try again after `failures` failed attempts; None: set it aside now."""
        if failures >= self.attempts:
            return None
        delay = self.delays[min(failures, len(self.delays)) - 1] if self.delays else 0.0
        return now + timedelta(seconds=delay)


def is_transient(error: BaseException) -> bool:
    """Whether `error` says a service is unreachable (pause and retry) rather than that this
    update or timer is broken (count an attempt)."""
    # Not InterfaceError as such: SQLite raises it for a value it cannot store, which is the
    # update's own fault; a lost connection shows as connection_invalidated.
    if isinstance(error, OperationalError):
        return _sqlite_unavailable(error.orig) if isinstance(error.orig, sqlite3.Error) else True
    if isinstance(error, Unavailable | ConnectionError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OSError | TimeoutError)


# SQLite's OperationalError also reports a broken schema or statement; only these are outages.
_SQLITE_OUTAGES = ("locked", "busy", "unable to open", "disk i/o", "readonly", "full")


def _sqlite_unavailable(error: BaseException) -> bool:
    return any(words in str(error).lower() for words in _SQLITE_OUTAGES)


def describe(error: BaseException) -> str:
    """The exception's type and where it was raised: never its message, which may quote what a
    customer wrote (a validation error shows the value it refused)."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return type(error).__name__
    last = frames[-1]
    return f"{type(error).__name__} at {Path(last.filename).name}:{last.lineno} in {last.name}"


@dataclass
class Backoff:
    """The pause before the next try while a service is unreachable: 1 s, doubling up to 30 s."""

    first: float = 1.0
    most: float = 30.0
    current: float = 0.0

    def next(self) -> float:
        """The next pause, longer than the last."""
        self.current = self.first if self.current == 0 else min(self.most, self.current * 2)
        return self.current

    def reset(self) -> None:
        """The service answered again."""
        self.current = 0.0


def reason(error: BaseException) -> str:
    """Why a service could not be reached, in a few words and without any query or value."""
    inner: BaseException = error
    if isinstance(error, DBAPIError) and error.orig is not None:
        inner = error.orig
    while isinstance(inner.__cause__, OSError) and not isinstance(inner, OSError):
        inner = inner.__cause__
    if isinstance(inner, ConnectionRefusedError):
        return "connection refused"
    if isinstance(inner, OSError) and inner.strerror:
        return inner.strerror.lower()
    if isinstance(inner, TimeoutError):
        return "timed out"
    if isinstance(inner, Unavailable):
        return str(inner)
    first = str(inner).strip().splitlines()[0] if str(inner).strip() else ""
    # A driver's words about a connection carry no values; still keep them short.
    return f"{type(inner).__name__}: {first[:160]}" if first else type(inner).__name__


def unreachable(error: BaseException) -> str:
    """A one-line account of an unreachable service, for a log line."""
    if isinstance(error, Unavailable):
        return str(error)
    if isinstance(error, DBAPIError | OSError | TimeoutError):
        return f"the database cannot be reached ({reason(error)})"
    return reason(error)
