"""Per-customer conversation state: the intake draft and messages held for a choice of case."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flows.incoming import ContactShared, Media, Text
from flows.intake import Draft, DraftAttachment, Part, Step

# Sent while the customer has several open cases: kept until they say which case it is for.
Held = Text | Media | ContactShared
_HELD_TYPES: dict[str, type[Held]] = {"text": Text, "media": Media, "contact": ContactShared}
REMEMBERED_DRAFTS = 5


@dataclass(frozen=True)
class Conversation:
    """What we remember between one message of a customer and the next."""

    telegram_id: int
    draft: Draft | None = None
    held: tuple[Held, ...] = ()
    comment_for: str | None = None  # the case whose rating may get a comment next
    # The latest drafts that became cases, as (draft id, case number): a second press of
    # their Confirm says which case it already is.
    registered: tuple[tuple[str, str], ...] = ()

    @property
    def empty(self) -> bool:
        """Nothing worth keeping."""
        return (
            self.draft is None
            and not self.held
            and self.comment_for is None
            and not self.registered
        )

    def registered_as(self, draft_id: str) -> str | None:
        """The case number the draft `draft_id` became, if it is one of the latest."""
        return next((number for draft, number in self.registered if draft == draft_id), None)

    def with_registered(self, draft_id: str, number: str) -> Conversation:
        """The conversation remembering that draft `draft_id` became case `number`."""
        latest = ((draft_id, number), *self.registered)[:REMEMBERED_DRAFTS]
        return replace(self, registered=latest)


def _fields(item: Part | DraftAttachment | Held) -> dict[str, Any]:
    # Their fields hold only str, int, bool and None: a shallow copy is the JSON, where
    # dataclasses.asdict deep-copies every value (a tenth of a customer's update, measured).
    return dict(vars(item))


def _draft_json(draft: Draft) -> dict[str, Any]:
    return vars(draft) | {
        "step": draft.step.value,
        "started_at": draft.started_at.isoformat(),
        "updated_at": draft.updated_at.isoformat(),
        "parts": [_fields(part) for part in draft.parts],
        "attachments": [_fields(attachment) for attachment in draft.attachments],
    }


def _draft_from(raw: dict[str, Any]) -> Draft:
    return Draft(
        id=raw["id"],
        step=Step(raw["step"]),
        started_at=datetime.fromisoformat(raw["started_at"]),
        updated_at=datetime.fromisoformat(raw["updated_at"]),
        category=raw.get("category"),
        parts=tuple(Part(**p) for p in raw.get("parts", [])),
        attachments=tuple(DraftAttachment(**a) for a in raw.get("attachments", [])),
        contact=raw.get("contact"),
        phone=raw.get("phone"),
        editing=bool(raw.get("editing", False)),
        reminded=bool(raw.get("reminded", False)),
    )


def _held_json(item: Held) -> dict[str, Any]:
    kind = next(name for name, cls in _HELD_TYPES.items() if isinstance(item, cls))
    return {"type": kind, **_fields(item)}


def _held_from(raw: dict[str, Any]) -> Held:
    fields = {k: v for k, v in raw.items() if k != "type"}
    return _HELD_TYPES[raw["type"]](**fields)


def conversation_to_json(conversation: Conversation) -> dict[str, Any]:
    """A JSON-ready dict for storage."""
    return {
        "draft": None if conversation.draft is None else _draft_json(conversation.draft),
        "held": [_held_json(item) for item in conversation.held],
        "comment_for": conversation.comment_for,
        "registered": [list(pair) for pair in conversation.registered],
    }


def conversation_from_json(telegram_id: int, raw: dict[str, Any]) -> Conversation:
    """Rebuild a conversation stored by `conversation_to_json`."""
    draft = raw.get("draft")
    return Conversation(
        telegram_id=telegram_id,
        draft=None if draft is None else _draft_from(draft),
        held=tuple(_held_from(item) for item in raw.get("held", [])),
        comment_for=raw.get("comment_for"),
        registered=tuple((str(d), str(n)) for d, n in raw.get("registered", [])),
    )
