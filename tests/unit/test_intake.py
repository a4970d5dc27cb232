"""The intake conversation as a pure function: what the customer does → what they are told."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from flows import intake
from flows.actions import DescriptionDone, EditField, PickCategory, SummaryChoice
from flows.config import OrgConfig
from flows.incoming import Command, ContactShared, Edited, Media, Pressed, Text, Unsupported
from flows.intake import Draft, IntakeContext, Step, StepResult
from flows.messages import AnswerButton, Say


@pytest.fixture
def ctx(org: OrgConfig, monday: datetime) -> IntakeContext:
    return IntakeContext(chat_id=42, language="en", config=org, now=monday)


def keys(result: StepResult) -> list[str]:
    return [m.key or "" for m in result.say if isinstance(m, Say)]


def press(data: str) -> Pressed:
    return Pressed(data=data, callback_id="cb1", message_id=7)


def photo(message_id: int, group: str | None = None, caption: str | None = None) -> Media:
    return Media("photo", f"file{message_id}", f"u{message_id}", message_id, caption, group)


def drive(draft: Draft, ctx: IntakeContext, *events: object) -> StepResult:
    result = StepResult(draft)
    for event in events:
        assert result.draft is not None
        result = intake.step(result.draft, event, ctx)  # type: ignore[arg-type]
    return result


def test_the_happy_path_ends_in_a_summary_and_then_a_submission(ctx: IntakeContext) -> None:
    draft = intake.new_draft("d1", ctx.now)
    assert keys(StepResult(draft, intake.prompt(draft, ctx))) == ["intake-choose-category"]
    result = drive(
        draft,
        ctx,
        press(PickCategory("d1", "delivery").pack()),
        Text("The parcel never came", 10),
        photo(11),
        press(DescriptionDone("d1").pack()),
    )
    assert result.draft is not None and result.draft.step is Step.CONTACT
    assert keys(result) == ["intake-contact-ask"]
    result = drive(result.draft, ctx, ContactShared("+48123", own=True, message_id=12))
    assert result.draft is not None and result.draft.step is Step.CONFIRM
    assert keys(result) == ["intake-contact-saved", "intake-summary"]
    summary = result.say[-1]
    assert isinstance(summary, Say)
    assert summary.params["description"] == "The parcel never came"
    assert summary.params["attachments"] == 1
    result = drive(result.draft, ctx, press(SummaryChoice("d1", "confirm").pack()))
    assert result.submit
    assert result.draft is not None and result.draft.phone == "+48123"


def at_contact(ctx: IntakeContext) -> Draft:
    result = drive(
        intake.new_draft("d1", ctx.now),
        ctx,
        press(PickCategory("d1", "delivery").pack()),
        Text("Broken box", 10),
        press(DescriptionDone("d1").pack()),
    )
    assert result.draft is not None
    return result.draft


def test_telegram_only_is_recognised_from_the_reply_keyboard(ctx: IntakeContext) -> None:
    result = drive(at_contact(ctx), ctx, Text("💬 Telegram only", 20, label="btn-telegram-only"))
    assert result.draft is not None and result.draft.contact == "telegram"
    assert result.draft.step is Step.CONFIRM


def test_someone_elses_contact_is_refused_politely(ctx: IntakeContext) -> None:
    draft = at_contact(ctx)
    result = intake.step(draft, ContactShared("+1555", own=False, message_id=21), ctx)
    assert keys(result) == ["intake-contact-not-own"]
    assert result.draft == draft


def test_text_at_the_contact_step_is_kept_in_the_description(ctx: IntakeContext) -> None:
    result = intake.step(at_contact(ctx), Text("Also the driver was rude", 22), ctx)
    assert result.draft is not None
    assert "driver was rude" in result.draft.description
    assert keys(result) == ["intake-text-kept", "intake-contact-ask"]


@pytest.mark.parametrize("kind", ["sticker", "animation", "location", "poll"])
def test_stickers_gifs_locations_and_polls_are_explained_and_change_nothing(
    ctx: IntakeContext, kind: str
) -> None:
    draft = at_contact(ctx)
    result = intake.step(draft, Unsupported(kind, 30), ctx)
    assert keys(result) == ["unsupported-kind"]
    assert result.say[0].params == {"kind": kind}  # type: ignore[union-attr]
    assert result.draft == draft


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_description_is_asked_again(ctx: IntakeContext, text: str) -> None:
    draft = drive(
        intake.new_draft("d1", ctx.now), ctx, press(PickCategory("d1", "delivery").pack())
    ).draft
    assert draft is not None
    result = intake.step(draft, Text(text, 10), ctx)
    assert keys(result) == ["intake-empty-description"]
    assert result.draft == draft


def test_continue_without_words_asks_for_a_description(ctx: IntakeContext) -> None:
    draft = drive(
        intake.new_draft("d1", ctx.now), ctx, press(PickCategory("d1", "delivery").pack()), photo(9)
    ).draft
    assert draft is not None
    result = intake.step(draft, press(DescriptionDone("d1").pack()), ctx)
    assert "intake-need-description" in keys(result)
    assert result.draft is not None and result.draft.step is Step.DESCRIPTION


def test_an_album_of_ten_photos_is_acknowledged_once_and_kept_whole(ctx: IntakeContext) -> None:
    draft = drive(
        intake.new_draft("d1", ctx.now), ctx, press(PickCategory("d1", "delivery").pack())
    ).draft
    assert draft is not None
    said = []
    for n in range(10):
        result = intake.step(draft, photo(100 + n, group="album1"), ctx)
        assert result.draft is not None
        draft = result.draft
        said.extend(keys(result))
    assert len(draft.attachments) == 10
    assert said == ["intake-description-more"]


def test_a_long_description_is_kept_whole_and_shown_shortened(ctx: IntakeContext) -> None:
    long_text = "x" * 4096
    draft = drive(at_contact(ctx), ctx, Text("Telegram only", 20, label="btn-telegram-only")).draft
    assert draft is not None
    result = intake.step(draft, Text(long_text, 40), ctx)
    assert result.draft is not None and long_text in result.draft.description
    summary = result.say[-1]
    assert isinstance(summary, Say) and summary.key == "intake-summary"
    assert len(str(summary.params["description"])) == intake.PREVIEW
    assert summary.params["hidden"] == len(result.draft.description) - intake.PREVIEW


def test_a_description_past_the_limit_is_refused_without_losing_the_rest(
    ctx: IntakeContext,
) -> None:
    draft = at_contact(ctx)
    for n in range(3):
        result = intake.step(draft, Text("y" * 4000, 50 + n), ctx)
        assert result.draft is not None
        draft = result.draft
    assert keys(result) == ["intake-description-full"]
    assert len(draft.description) <= intake.MAX_DESCRIPTION


def test_an_edited_message_updates_the_description(ctx: IntakeContext) -> None:
    result = intake.step(at_contact(ctx), Edited(10, "Broken box, wet inside"), ctx)
    assert result.draft is not None and result.draft.description == "Broken box, wet inside"
    assert keys(result) == ["intake-edit-applied"]


def test_a_forwarded_message_is_added_with_its_origin(ctx: IntakeContext) -> None:
    draft = drive(
        intake.new_draft("d1", ctx.now), ctx, press(PickCategory("d1", "delivery").pack())
    ).draft
    assert draft is not None
    result = intake.step(draft, Text("Your order is delayed", 60, forwarded_from="Courier"), ctx)
    assert (
        result.draft is not None and "[Courier] Your order is delayed" in result.draft.description
    )
    assert keys(result)[0] == "intake-forwarded-added"


def test_commands_in_the_middle_keep_the_draft_and_repeat_the_question(
    ctx: IntakeContext,
) -> None:
    draft = at_contact(ctx)
    result = intake.step(draft, Command("start", "", 70), ctx)
    assert result.draft == draft
    assert keys(result) == ["intake-in-progress", "intake-contact-ask"]


def test_cancel_leaves_at_any_step(ctx: IntakeContext) -> None:
    result = intake.step(at_contact(ctx), Command("cancel", "", 71), ctx)
    assert result.draft is None
    assert keys(result) == ["intake-cancelled"]


def test_a_button_of_an_older_draft_is_answered_with_an_alert(ctx: IntakeContext) -> None:
    draft = at_contact(ctx)
    result = intake.step(draft, press(PickCategory("old", "delivery").pack()), ctx)
    assert result.draft == draft
    assert result.say == [AnswerButton("cb1", "en", "button-stale", alert=True, chat_id=42)]


@pytest.mark.parametrize("data", ["", "c:d1", "zz:1", "c:d1:<b>", "x" * 70, "s:d1:confirm:extra"])
def test_forged_buttons_are_refused_and_change_nothing(ctx: IntakeContext, data: str) -> None:
    draft = at_contact(ctx)
    result = intake.step(draft, press(data), ctx)
    assert result.draft == draft
    assert len(result.say) == 1 and isinstance(result.say[0], AnswerButton)
    assert result.say[0].alert


def test_unknown_category_in_a_forged_button_is_refused(ctx: IntakeContext) -> None:
    draft = intake.new_draft("d1", ctx.now)
    result = intake.step(draft, press(PickCategory("d1", "nonexistent").pack()), ctx)
    assert result.draft == draft


def test_edit_returns_to_the_summary_after_the_changed_field(ctx: IntakeContext) -> None:
    draft = drive(at_contact(ctx), ctx, Text("Telegram only", 20, label="btn-telegram-only")).draft
    assert draft is not None
    result = drive(
        draft,
        ctx,
        press(SummaryChoice("d1", "edit").pack()),
        press(EditField("d1", "category").pack()),
        press(PickCategory("d1", "billing").pack()),
    )
    assert result.draft is not None and result.draft.step is Step.CONFIRM
    assert result.draft.category == "billing"
    assert keys(result) == ["intake-summary"]
    assert result.draft.description == "Broken box"


def test_confirm_from_an_old_summary_after_edit_is_stale(ctx: IntakeContext) -> None:
    draft = drive(at_contact(ctx), ctx, Text("Telegram only", 20, label="btn-telegram-only")).draft
    assert draft is not None
    editing = drive(draft, ctx, press(SummaryChoice("d1", "edit").pack())).draft
    assert editing is not None
    result = intake.step(editing, press(SummaryChoice("d1", "confirm").pack()), ctx)
    assert not result.submit


def test_reminded_once_after_thirty_minutes_and_dropped_after_a_day(
    ctx: IntakeContext,
) -> None:
    draft = at_contact(ctx)
    early = IntakeContext(ctx.chat_id, "en", ctx.config, ctx.now + timedelta(minutes=29))
    assert intake.reminder(draft, early).say == []
    later = IntakeContext(ctx.chat_id, "en", ctx.config, ctx.now + timedelta(minutes=30))
    reminded = intake.reminder(draft, later)
    assert keys(reminded)[0] == "intake-reminder"
    assert reminded.draft is not None and reminded.draft.reminded
    assert intake.reminder(reminded.draft, later).say == []
    not_yet = IntakeContext(ctx.chat_id, "en", ctx.config, ctx.now + timedelta(hours=23))
    assert intake.expiry(draft, not_yet).draft == draft
    day = IntakeContext(ctx.chat_id, "en", ctx.config, ctx.now + timedelta(hours=24))
    dropped = intake.expiry(draft, day)
    assert dropped.draft is None and keys(dropped) == ["intake-dropped"]
