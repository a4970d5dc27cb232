"""The guided intake conversation, sans I/O: `step(draft, event, ctx) -> StepResult`.

category → description (text, plus optional attachments) → contact preference → summary
with Confirm / Edit / Cancel. Nothing the customer sends is dropped: text or files sent at
any step are kept in the draft, and things we cannot keep (stickers, polls…) get a polite
explanation. Time and randomness come in through `IntakeContext`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from flows.actions import (
    Action,
    BadPayload,
    DescriptionDone,
    EditField,
    Menu,
    PickCategory,
    SummaryChoice,
    unpack,
)
from flows.config import OrgConfig
from flows.incoming import (
    Command,
    ContactShared,
    Edited,
    Incoming,
    Media,
    Pressed,
    Text,
    Unsupported,
)
from flows.messages import AnswerButton, Button, Outgoing, Say

REMIND_AFTER = timedelta(minutes=30)
DROP_AFTER = timedelta(hours=24)
TIMER_DRAFT_REMIND = "draft-remind"  # keyed by the customer's Telegram id
TIMER_DRAFT_DROP = "draft-drop"
MAX_DESCRIPTION = 10_000  # characters kept per complaint; more goes in as case messages later
PREVIEW = 1_200  # characters of the description shown back in the summary
LABEL_TELEGRAM_ONLY = "btn-telegram-only"


class Step(StrEnum):
    """Where the customer is in the intake conversation."""

    CATEGORY = "category"
    DESCRIPTION = "description"
    CONTACT = "contact"
    CONFIRM = "confirm"
    EDIT_MENU = "edit_menu"


@dataclass(frozen=True)
class Part:
    """One message of the description, remembered by id so that an edit can replace it."""

    message_id: int
    text: str


@dataclass(frozen=True)
class DraftAttachment:
    """A file sent during intake."""

    kind: str
    file_id: str
    file_unique_id: str
    message_id: int
    caption: str | None = None
    media_group_id: str | None = None


@dataclass(frozen=True)
class Draft:
    """An unfinished complaint, stored after every step so it survives restarts."""

    id: str
    step: Step
    started_at: datetime
    updated_at: datetime
    category: str | None = None
    parts: tuple[Part, ...] = ()
    attachments: tuple[DraftAttachment, ...] = ()
    contact: str | None = None
    phone: str | None = None
    editing: bool = False
    reminded: bool = False

    @property
    def description(self) -> str:
        """The description as one text."""
        return "\n\n".join(part.text for part in self.parts)


@dataclass(frozen=True)
class IntakeContext:
    """What a step may know besides the draft: who, in which language, the config and the time."""

    chat_id: int
    language: str
    config: OrgConfig
    now: datetime


@dataclass(frozen=True)
class StepResult:
    """The draft after the step (None when it ended), what to say, and whether to register it."""

    draft: Draft | None
    say: list[Outgoing] = field(default_factory=list)
    submit: bool = False


def new_draft(draft_id: str, now: datetime, first_text: Text | None = None) -> Draft:
    """A fresh draft; a text written before asking becomes the start of the description."""
    parts = () if first_text is None else (Part(first_text.message_id, first_text.text.strip()),)
    return Draft(id=draft_id, step=Step.CATEGORY, started_at=now, updated_at=now, parts=parts)


def _say(ctx: IntakeContext, key: str, **kwargs: Any) -> Say:
    return Say(chat_id=ctx.chat_id, key=key, language=ctx.language, **kwargs)


def _answer(
    event: Pressed, ctx: IntakeContext, key: str | None = None, alert: bool = False
) -> Outgoing:
    return AnswerButton(
        callback_id=event.callback_id,
        language=ctx.language,
        key=key,
        alert=alert,
        chat_id=ctx.chat_id,
    )


def category_buttons(draft: Draft, ctx: IntakeContext) -> tuple[tuple[Button, ...], ...]:
    """One button per configured category, two to a row."""
    buttons = [
        Button(
            key="btn-text",
            data=PickCategory(draft.id, category.key).pack(),
            params={"text": category.title_in(ctx.language)},
        )
        for category in ctx.config.categories
    ]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))


def _continue_button(draft: Draft) -> tuple[tuple[Button, ...], ...]:
    return ((Button(key="btn-continue", data=DescriptionDone(draft.id).pack()),),)


def _summary(draft: Draft, ctx: IntakeContext) -> Say:
    category = ctx.config.category(draft.category or "")
    text = draft.description
    hidden = max(0, len(text) - PREVIEW)
    return _say(
        ctx,
        "intake-summary",
        params={
            "category": category.title_in(ctx.language) if category else "?",
            "description": text[:PREVIEW],
            "hidden": hidden,
            "attachments": len(draft.attachments),
            "contact": draft.contact or "telegram",
            "phone": draft.phone or "",
        },
        buttons=(
            (
                Button(key="btn-confirm", data=SummaryChoice(draft.id, "confirm").pack()),
                Button(key="btn-edit", data=SummaryChoice(draft.id, "edit").pack()),
            ),
            (Button(key="btn-cancel", data=SummaryChoice(draft.id, "cancel").pack()),),
        ),
    )


def _contact_prompt(ctx: IntakeContext) -> Say:
    return _say(
        ctx,
        "intake-contact-ask",
        keyboard=(
            (Button(key="btn-share-phone", request_contact=True),),
            (Button(key=LABEL_TELEGRAM_ONLY),),
        ),
    )


def prompt(draft: Draft, ctx: IntakeContext) -> list[Outgoing]:
    """What to show to continue `draft` from where it stands."""
    if draft.step is Step.CATEGORY:
        return [_say(ctx, "intake-choose-category", buttons=category_buttons(draft, ctx))]
    if draft.step is Step.DESCRIPTION:
        if draft.parts or draft.attachments:
            return [
                _say(
                    ctx,
                    "intake-description-more",
                    params={"attachments": len(draft.attachments)},
                    buttons=_continue_button(draft),
                )
            ]
        category = ctx.config.category(draft.category or "")
        title = category.title_in(ctx.language) if category else ""
        return [_say(ctx, "intake-describe", params={"category": title})]
    if draft.step is Step.CONTACT:
        return [_contact_prompt(ctx)]
    if draft.step is Step.EDIT_MENU:
        return [_edit_menu(draft, ctx)]
    return [_summary(draft, ctx)]


def _edit_menu(draft: Draft, ctx: IntakeContext) -> Say:
    return _say(
        ctx,
        "intake-edit-which",
        buttons=(
            (
                Button(key="btn-edit-category", data=EditField(draft.id, "category").pack()),
                Button(key="btn-edit-description", data=EditField(draft.id, "description").pack()),
            ),
            (Button(key="btn-edit-contact", data=EditField(draft.id, "contact").pack()),),
        ),
    )


def _after_field(draft: Draft, natural_next: Step) -> Draft:
    """Editing one field from the summary returns to the summary; otherwise go on."""
    if draft.editing:
        return replace(draft, step=Step.CONFIRM, editing=False)
    return replace(draft, step=natural_next)


def _add_text(draft: Draft, text: Text, ctx: IntakeContext) -> StepResult:
    body = text.text.strip()
    if text.forwarded_from:
        body = f"[{text.forwarded_from}] {body}"
    if not body:
        return StepResult(draft, [_say(ctx, "intake-empty-description")])
    if len(draft.description) + len(body) > MAX_DESCRIPTION:
        return StepResult(
            draft, [_say(ctx, "intake-description-full", params={"limit": MAX_DESCRIPTION})]
        )
    updated = replace(draft, parts=(*draft.parts, Part(text.message_id, body)))
    if draft.step is Step.DESCRIPTION:
        notice = "intake-forwarded-added" if text.forwarded_from else None
        say: list[Outgoing] = [_say(ctx, notice)] if notice else []
        return StepResult(updated, say + prompt(updated, ctx))
    # Text at any other step is kept too: tell the customer, then continue where they were.
    return StepResult(updated, [_say(ctx, "intake-text-kept"), *prompt(updated, ctx)])


def _add_media(draft: Draft, media: Media, ctx: IntakeContext) -> StepResult:
    same_album = (
        media.media_group_id is not None
        and bool(draft.attachments)
        and draft.attachments[-1].media_group_id == media.media_group_id
    )
    attachment = DraftAttachment(
        kind=media.kind,
        file_id=media.file_id,
        file_unique_id=media.file_unique_id,
        message_id=media.message_id,
        caption=media.caption,
        media_group_id=media.media_group_id,
    )
    updated = replace(draft, attachments=(*draft.attachments, attachment))
    caption = (media.caption or "").strip()
    if caption and len(updated.description) + len(caption) <= MAX_DESCRIPTION:
        updated = replace(updated, parts=(*updated.parts, Part(media.message_id, caption)))
    if same_album:
        return StepResult(updated)  # one acknowledgement per album, not ten
    if draft.step is Step.DESCRIPTION:
        return StepResult(updated, prompt(updated, ctx))
    return StepResult(updated, [_say(ctx, "intake-file-kept"), *prompt(updated, ctx)])


def _on_text(draft: Draft, event: Text, ctx: IntakeContext) -> StepResult:
    if draft.step is Step.CONTACT and event.label == LABEL_TELEGRAM_ONLY:
        chosen = _after_field(replace(draft, contact="telegram", phone=None), Step.CONFIRM)
        return StepResult(
            chosen, [_say(ctx, "intake-contact-saved", remove_keyboard=True), _summary(chosen, ctx)]
        )
    return _add_text(draft, event, ctx)


def _on_contact(draft: Draft, event: ContactShared, ctx: IntakeContext) -> StepResult:
    if not event.own:
        return StepResult(draft, [_say(ctx, "intake-contact-not-own")])
    chosen = replace(draft, contact="phone", phone=event.phone)
    if draft.step is Step.CONTACT:
        chosen = _after_field(chosen, Step.CONFIRM)
    return StepResult(
        chosen,
        [_say(ctx, "intake-contact-saved", remove_keyboard=True), *prompt(chosen, ctx)],
    )


def _on_command(draft: Draft, event: Command, ctx: IntakeContext) -> StepResult:
    if event.name == "cancel":
        return StepResult(None, [_say(ctx, "intake-cancelled", remove_keyboard=True)])
    return StepResult(draft, [_say(ctx, "intake-in-progress"), *prompt(draft, ctx)])


def _on_edit(draft: Draft, event: Edited, ctx: IntakeContext) -> StepResult:
    body = event.text.strip()
    if not body:
        return StepResult(draft)
    parts = tuple(
        Part(p.message_id, body) if p.message_id == event.message_id else p for p in draft.parts
    )
    if parts == draft.parts:
        return StepResult(draft)
    updated = replace(draft, parts=parts)
    return StepResult(updated, [_say(ctx, "intake-edit-applied")])


def _on_action(draft: Draft, action: Action, event: Pressed, ctx: IntakeContext) -> StepResult:
    ack = _answer(event, ctx)
    if isinstance(action, Menu):
        return StepResult(draft, [ack, _say(ctx, "intake-in-progress"), *prompt(draft, ctx)])
    if getattr(action, "draft", None) != draft.id:
        return StepResult(draft, [_answer(event, ctx, "button-stale", alert=True)])
    if isinstance(action, PickCategory):
        if ctx.config.category(action.category) is None:
            return StepResult(draft, [_answer(event, ctx, "button-stale", alert=True)])
        picked = replace(draft, category=action.category)
        if draft.step in (Step.CATEGORY, Step.EDIT_MENU):
            picked = _after_field(picked, Step.DESCRIPTION)
        return StepResult(picked, [ack, *prompt(picked, ctx)])
    if isinstance(action, DescriptionDone):
        if draft.step is not Step.DESCRIPTION:
            return StepResult(draft, [ack, *prompt(draft, ctx)])
        if not draft.description.strip():
            return StepResult(draft, [ack, _say(ctx, "intake-need-description")])
        done = _after_field(draft, Step.CONTACT)
        return StepResult(done, [ack, *prompt(done, ctx)])
    if isinstance(action, SummaryChoice):
        return _on_summary(draft, action, event, ctx)
    if isinstance(action, EditField):
        target = {
            "category": Step.CATEGORY,
            "description": Step.DESCRIPTION,
            "contact": Step.CONTACT,
        }.get(action.field)
        if target is None or draft.step is not Step.EDIT_MENU:
            return StepResult(draft, [_answer(event, ctx, "button-stale", alert=True)])
        editing = replace(draft, step=target, editing=True)
        if target is Step.DESCRIPTION:
            editing = replace(editing, parts=())
        return StepResult(editing, [ack, *prompt(editing, ctx)])
    return StepResult(draft, [_answer(event, ctx, "button-stale", alert=True)])


def _on_summary(
    draft: Draft, action: SummaryChoice, event: Pressed, ctx: IntakeContext
) -> StepResult:
    ack = _answer(event, ctx)
    if action.choice == "cancel":
        return StepResult(None, [ack, _say(ctx, "intake-cancelled")])
    if draft.step is not Step.CONFIRM:
        return StepResult(draft, [_answer(event, ctx, "button-stale", alert=True)])
    if action.choice == "edit":
        editing = replace(draft, step=Step.EDIT_MENU)
        return StepResult(editing, [ack, *prompt(editing, ctx)])
    if action.choice == "confirm":
        if draft.category is None or not draft.description.strip() or draft.contact is None:
            return StepResult(draft, [ack, *prompt(draft, ctx)])
        return StepResult(draft, [ack], submit=True)
    return StepResult(draft, [_answer(event, ctx, "button-stale", alert=True)])


def step(draft: Draft, event: Incoming, ctx: IntakeContext) -> StepResult:
    """Advance the intake conversation by one thing the customer did."""
    result = _dispatch(draft, event, ctx)
    if result.draft is not None and result.draft is not draft:
        result = replace(result, draft=replace(result.draft, updated_at=ctx.now, reminded=False))
    return result


def _dispatch(draft: Draft, event: Incoming, ctx: IntakeContext) -> StepResult:
    if isinstance(event, Text):
        return _on_text(draft, event, ctx)
    if isinstance(event, Media):
        return _add_media(draft, event, ctx)
    if isinstance(event, ContactShared):
        return _on_contact(draft, event, ctx)
    if isinstance(event, Unsupported):
        return StepResult(draft, [_say(ctx, "unsupported-kind", params={"kind": event.kind})])
    if isinstance(event, Command):
        return _on_command(draft, event, ctx)
    if isinstance(event, Edited):
        return _on_edit(draft, event, ctx)
    if not isinstance(event, Pressed):
        return StepResult(draft)
    try:
        action = unpack(event.data)
    except BadPayload:
        return StepResult(draft, [_answer(event, ctx, "button-unknown", alert=True)])
    return _on_action(draft, action, event, ctx)


def reminder(draft: Draft, ctx: IntakeContext) -> StepResult:
    """The one reminder of an abandoned draft (REMIND_AFTER after its last change)."""
    if draft.reminded or ctx.now - draft.updated_at < REMIND_AFTER:
        return StepResult(draft)
    reminded = replace(draft, reminded=True)
    return StepResult(reminded, [_say(ctx, "intake-reminder"), *prompt(draft, ctx)])


def expiry(draft: Draft, ctx: IntakeContext) -> StepResult:
    """Drop a draft untouched for DROP_AFTER, telling the customer how to start again."""
    if ctx.now - draft.updated_at < DROP_AFTER:
        return StepResult(draft)
    return StepResult(None, [_say(ctx, "intake-dropped", remove_keyboard=True)])
