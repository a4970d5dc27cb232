"""Typed button payloads: packed into Telegram's 64-byte callback data and checked on the way back.

Modelled on aiogram's `CallbackData`, without depending on it: a payload is a small frozen
dataclass with a prefix; `unpack` refuses anything malformed, unknown or too long, so a forged
button is recognised before any state is touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import ClassVar

MAX_BYTES = 64
_FIELD = re.compile(r"^[A-Za-z0-9_-]{1,24}$")


class BadPayload(ValueError):
    """Callback data that no button of ours produces."""


@dataclass(frozen=True)
class Action:
    """Base of every button payload."""

    prefix: ClassVar[str] = ""

    def pack(self) -> str:
        """Encode as callback data."""
        values = [str(getattr(self, f.name)) for f in fields(self)]
        for value in values:
            if not _FIELD.match(value):
                raise ValueError(f"{value!r} cannot be put in a button payload")
        data = ":".join([self.prefix, *values])
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"{data!r} is longer than Telegram's {MAX_BYTES} bytes")
        return data


@dataclass(frozen=True)
class Menu(Action):
    """The start menu: "file" a complaint or see "cases"."""

    prefix: ClassVar[str] = "m"
    item: str


@dataclass(frozen=True)
class PickCategory(Action):
    """A category chosen during intake of draft `draft`."""

    prefix: ClassVar[str] = "c"
    draft: str
    category: str


@dataclass(frozen=True)
class DescriptionDone(Action):
    """The customer has said everything for draft `draft`."""

    prefix: ClassVar[str] = "d"
    draft: str


@dataclass(frozen=True)
class SummaryChoice(Action):
    """Confirm, edit or cancel draft `draft` from its summary."""

    prefix: ClassVar[str] = "s"
    draft: str
    choice: str  # "confirm", "edit", "cancel"


@dataclass(frozen=True)
class EditField(Action):
    """Which part of draft `draft` to change."""

    prefix: ClassVar[str] = "e"
    draft: str
    field: str  # "category", "description", "contact"


@dataclass(frozen=True)
class RouteTo(Action):
    """Add the held message(s) to this case."""

    prefix: ClassVar[str] = "r"
    case: str


@dataclass(frozen=True)
class ShowCase(Action):
    """Show one case in detail."""

    prefix: ClassVar[str] = "v"
    case: str


@dataclass(frozen=True)
class CardAction(Action):
    """A button of a case card in the staff topic: take, transfer, ask, resolve, decline, escalate."""

    prefix: ClassVar[str] = "k"
    case: str
    action: str


@dataclass(frozen=True)
class TransferTo(Action):
    """Where to transfer a case: `kind` "t" for a team (`target` its key), "p" for a person (id)."""

    prefix: ClassVar[str] = "t"
    case: str
    kind: str
    target: str


@dataclass(frozen=True)
class CancelPrompt(Action):
    """Drop the question the bot asked a staff member about a case."""

    prefix: ClassVar[str] = "x"
    case: str


@dataclass(frozen=True)
class Resolution(Action):
    """The customer's answer to "Did this solve your problem?": "yes" or "no"."""

    prefix: ClassVar[str] = "y"
    case: str
    answer: str


@dataclass(frozen=True)
class Rate(Action):
    """The customer's rating of a closed case, 1 to 5."""

    prefix: ClassVar[str] = "g"
    case: str
    stars: str


@dataclass(frozen=True)
class SkipComment(Action):
    """The customer does not want to comment on their rating."""

    prefix: ClassVar[str] = "n"
    case: str


@dataclass(frozen=True)
class Appeal(Action):
    """The customer asks a manager to review a declined case."""

    prefix: ClassVar[str] = "a"
    case: str


@dataclass(frozen=True)
class CheckIn(Action):
    """The customer's answer to a check-in: "still", "solved" or "manager"."""

    prefix: ClassVar[str] = "h"
    case: str
    answer: str


@dataclass(frozen=True)
class Reopen(Action):
    """The customer reopens a case that was closed without them."""

    prefix: ClassVar[str] = "o"
    case: str


@dataclass(frozen=True)
class Escalated(Action):
    """A manager's button on an escalation card: ack, ack1h, ack4h, ack1d, take, reassign,
    reply or resolve."""

    prefix: ClassVar[str] = "q"
    escalation: str
    action: str


@dataclass(frozen=True)
class Reassign(Action):
    """Where a manager sends an escalated case: "t" a team (key), "p" a person (id)."""

    prefix: ClassVar[str] = "z"
    escalation: str
    kind: str
    target: str


@dataclass(frozen=True)
class EndReply(Action):
    """A manager has finished writing to the customer of `case`."""

    prefix: ClassVar[str] = "f"
    case: str


@dataclass(frozen=True)
class ReviewAnswer(Action):
    """A manager answers review item `review`."""

    prefix: ClassVar[str] = "w"
    review: str


@dataclass(frozen=True)
class RootCause(Action):
    """The root cause a manager names for review item `review` (index into the config's list)."""

    prefix: ClassVar[str] = "u"
    review: str
    cause: str


@dataclass(frozen=True)
class DeclineDecision(Action):
    """A manager's decision on a staff member's proposal to decline `case`: "yes" or "no"."""

    prefix: ClassVar[str] = "p"
    case: str
    decision: str


@dataclass(frozen=True)
class Withdraw(Action):
    """The customer withdraws `case`: "ask" shows what that means, then "yes" or "no"."""

    prefix: ClassVar[str] = "j"
    case: str
    choice: str


@dataclass(frozen=True)
class MoreTime(Action):
    """How much more time the owner of `case` asks for: a duration such as "4h" or "1d"."""

    prefix: ClassVar[str] = "l"
    case: str
    within: str


@dataclass(frozen=True)
class Forget(Action):
    """The customer's answer to "erase everything we keep about you?": "yes" or "no"."""

    prefix: ClassVar[str] = "b"
    choice: str


@dataclass(frozen=True)
class HeldReply(Action):
    """Its author's decision on a reply the tone guard held: "send" anyway, or "drop" it."""

    prefix: ClassVar[str] = "i"
    case: str
    message: str  # the id of the held message in the topic
    choice: str


@dataclass(frozen=True)
class SendSaved(Action):
    """Send the organisation's saved reply `key` to the customer of `case`."""

    prefix: ClassVar[str] = "sr"
    case: str
    key: str


ACTIONS: dict[str, type[Action]] = {
    cls.prefix: cls
    for cls in (
        Menu,
        PickCategory,
        DescriptionDone,
        SummaryChoice,
        EditField,
        RouteTo,
        ShowCase,
        CardAction,
        TransferTo,
        CancelPrompt,
        Resolution,
        Rate,
        SkipComment,
        Appeal,
        CheckIn,
        Reopen,
        Escalated,
        Reassign,
        EndReply,
        ReviewAnswer,
        RootCause,
        DeclineDecision,
        Withdraw,
        MoreTime,
        Forget,
        HeldReply,
        SendSaved,
    )
}


def unpack(data: str) -> Action:
    """Decode callback data into its Action, or raise BadPayload."""
    if not data or len(data.encode()) > MAX_BYTES:
        raise BadPayload("empty or oversized payload")
    prefix, *values = data.split(":")
    cls = ACTIONS.get(prefix)
    if cls is None:
        raise BadPayload(f"unknown prefix {prefix!r}")
    names = [f.name for f in fields(cls)]
    if len(values) != len(names) or not all(_FIELD.match(v) for v in values):
        raise BadPayload(f"malformed {cls.__name__} payload")
    return cls(**dict(zip(names, values, strict=True)))
