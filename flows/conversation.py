"""Per-customer conversation state: the intake draft and messages held for a choice of case."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

from flows.incoming import Media, Text
from flows.intake import Draft, DraftAttachment, Part, Step

Held = Text | Media
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


def _draft_json(draft: Draft) -> dict[str, Any]:
    raw = asdict(draft)
    raw["started_at"] = draft.started_at.isoformat()
    raw["updated_at"] = draft.updated_at.isoformat()
    raw["step"] = draft.step.value
    return raw


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
    return {"type": "media" if isinstance(item, Media) else "text", **asdict(item)}


def _held_from(raw: dict[str, Any]) -> Held:
    fields = {k: v for k, v in raw.items() if k != "type"}
    return Media(**fields) if raw["type"] == "media" else Text(**fields)


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
