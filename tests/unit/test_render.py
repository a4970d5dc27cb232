"""What reaches Telegram: escaped customer text, concrete times, buttons within limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot import i18n
from bot.i18n import Renderer
from bot.render import MAX_TEXT, render
from flows.actions import PickCategory
from flows.messages import AnswerButton, Button, Edit, Html, Say, from_json, to_json


def renderer() -> Renderer:
    from zoneinfo import ZoneInfo

    return Renderer(ZoneInfo("Europe/Warsaw"))


def test_customer_text_cannot_format_or_break_a_message() -> None:
    say = Say(
        chat_id=1,
        key="intake-summary",
        language="en",
        params={
            "category": "Delivery",
            "description": '<b>URGENT</b> <a href="http://evil">click</a> & </i>',
            "hidden": 0,
            "attachments": 0,
            "contact": "telegram",
            "phone": "",
        },
    )
    text = render(renderer(), say).params["text"]
    assert "<b>URGENT</b>" not in text
    assert "&lt;b&gt;URGENT&lt;/b&gt;" in text
    assert "&amp; &lt;/i&gt;" in text


def test_due_times_are_concrete_local_times() -> None:
    say = Say(
        chat_id=1,
        key="case-registered",
        language="en",
        params={
            "number": "HB-7K3Q9M",
            "category": "Delivery",
            "attachments": 0,
            "p_who": "team",
            "p_name": "Support",
            "p_owes": "answer",
            "p_due": datetime(2026, 11, 23, 11, 0, tzinfo=UTC),
        },
    )
    text = render(renderer(), say).params["text"]
    assert "Mon 23 Nov, 12:00 (Warsaw)" in text
    assert "HB-7K3Q9M" in text


def test_buttons_carry_their_payload_and_translated_label() -> None:
    say = Say(
        chat_id=1,
        key="intake-choose-category",
        language="pl",
        buttons=(
            (Button("btn-text", PickCategory("d1", "delivery").pack(), {"text": "Dostawa"}),),
        ),
    )
    call = render(renderer(), say)
    assert call.method == "sendMessage"
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Dostawa", "callback_data": "c:d1:delivery"}]]
    }


def test_contact_button_asks_for_the_phone() -> None:
    say = Say(
        chat_id=1,
        key="intake-contact-ask",
        language="en",
        keyboard=((Button("btn-share-phone", request_contact=True),),),
    )
    markup = render(renderer(), say).params["reply_markup"]
    assert markup["keyboard"][0][0]["request_contact"] is True


def test_an_alert_is_plain_and_short() -> None:
    call = render(renderer(), AnswerButton("q1", "en", "button-stale", alert=True))
    assert call.method == "answerCallbackQuery"
    assert call.params["show_alert"] is True
    assert "<" not in call.params["text"] and len(call.params["text"]) <= 200


def test_an_overlong_message_is_sent_plain_and_cut_not_refused() -> None:
    lines = tuple(
        ("history-line", {"at": None, "kind": "message", "text": "z" * 300}) for _ in range(20)
    )
    call = render(
        renderer(),
        Say(chat_id=1, key="status-header", language="en", params={"count": 1}, lines=lines),
    )
    assert len(call.params["text"]) <= MAX_TEXT
    assert "parse_mode" not in call.params


def test_a_long_reply_reaches_the_customer_whole_and_signed() -> None:
    # Fluent refuses a value over 2,500 characters ("{???}"); a staff answer may have 4,000.
    answer = "Here is what happened. " + "x" * 3900 + " <b>Sorry.</b>"
    say = Say(
        chat_id=1,
        key="staff-reply",
        language="pl",
        params={"text": Html(answer), "signature": "Piotr (Support)"},
    )
    text = render(renderer(), say).params["text"]
    assert text == f"{answer}\n\n<i>— Piotr (Support)</i>"


def test_a_long_value_beside_a_short_one_that_looks_like_its_stand_in() -> None:
    lookalike = "\ue0000123456789abcdef0\ue001"
    say = Say(
        chat_id=1,
        key="staff-reply",
        language="en",
        params={"text": "y" * 3000, "signature": lookalike},
    )
    text = render(renderer(), say).params["text"]
    assert text == f"{'y' * 3000}\n\n<i>— {lookalike}</i>"


def test_a_text_missing_a_value_is_reported_once_without_the_values(
    caplog: pytest.LogCaptureFixture,
) -> None:
    i18n._report.cache_clear()  # what other tests had reported is forgotten
    for _ in range(2):
        text = renderer().text("ta", "staff-caption", {"caption": "secret words"})
    assert "secret words" in text
    reports = [r.getMessage() for r in caplog.records if "incomplete" in r.getMessage()]
    assert reports == ["the ta text 'staff-caption' is incomplete: Unknown external: signature"]


def test_a_check_in_says_what_is_happening_to_the_case() -> None:
    def check_in(state: str, who: str = "person", owes: str = "update") -> str:
        params = {
            "number": "HB-7K3Q9M",
            "state": state,
            "p_who": who,
            "p_name": "Maria Kowalska" if who in ("manager", "paged") else "Anna (Support)",
            "p_title": "Head of Customer Care" if who in ("manager", "paged") else "",
            "p_owes": owes,
            "p_due": datetime(2026, 11, 23, 15, 0, tzinfo=UTC),
            "p_ahead": 3,
        }
        return render(renderer(), Say(1, "check-in", "en", params=params)).params["text"]

    held = check_in("escalated", "manager", "answer")
    assert "Maria Kowalska</b>, Head of Customer Care, is personally responsible" in held
    paged = check_in("escalated", "paged", "who")
    assert "looks at your case personally" in paged and "who is answering you" in paged
    assert "responsible" not in paged, "a paged manager is not named as the owner"
    assert "earlier answer did not solve" in check_in("reopened")
    assert "manager" not in check_in("assigned")
    assert "Mon 23 Nov, 16:00" in check_in("assigned"), "the next update at a concrete time"
    waiting = check_in("waiting_for_agent", "team", "answer")
    assert "3 cases ahead" in waiting and "Our answer is due by" in waiting


def test_taking_buttons_away_leaves_the_text_as_it_is() -> None:
    edit = Edit(111, "manager-escalation", "en", message_id=42, buttons_only=True)
    call = render(renderer(), from_json(to_json(edit)))  # as stored in the outbox and back
    assert call.method == "editMessageReplyMarkup"
    assert call.params == {"chat_id": 111, "message_id": 42}  # no markup: the buttons go
