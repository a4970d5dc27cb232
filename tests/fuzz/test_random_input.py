"""Random and malformed input: the bot never crashes, never loses a button answer, never emits bad HTML."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.i18n import Renderer
from bot.render import render
from bot.settings import load_org
from bot.translate import private_update
from flows import intake
from flows.actions import DescriptionDone, EditField, PickCategory, SummaryChoice
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
from flows.messages import AnswerButton, Say
from sandbox.emulator import parse_html
from tests.conftest import DEMO_CONFIG, MONDAY_10_WARSAW

ORG = load_org(DEMO_CONFIG)
RENDERER = Renderer(ZoneInfo("Europe/Warsaw"))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

user = st.fixed_dictionaries(
    {"id": st.integers(1, 2**40), "is_bot": st.just(False), "first_name": st.text(max_size=20)},
    optional={
        "last_name": st.text(max_size=20),
        "username": st.text(max_size=20),
        "language_code": st.sampled_from(["en", "ru", "pl", "ta", "xx", "", "pt-BR", "zz-ZZ"]),
    },
)
photo = st.lists(
    st.fixed_dictionaries(
        {
            "file_id": st.text(min_size=1, max_size=10),
            "file_unique_id": st.text(max_size=10),
            "width": st.integers(1, 4000),
            "height": st.integers(1, 4000),
        }
    ),
    min_size=1,
    max_size=4,
)
extra = st.fixed_dictionaries(
    {},
    optional={
        "text": st.text(max_size=300),
        "caption": st.text(max_size=100),
        "photo": photo,
        "sticker": st.just(
            {
                "file_id": "s",
                "file_unique_id": "s",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            }
        ),
        "document": st.just({"file_id": "d", "file_unique_id": "d"}),
        "animation": st.just(
            {"file_id": "a", "file_unique_id": "a", "width": 1, "height": 1, "duration": 1}
        ),
        "location": st.just({"latitude": 1.0, "longitude": 2.0}),
        "contact": st.fixed_dictionaries(
            {"phone_number": st.text(max_size=15), "first_name": st.text(max_size=10)},
            optional={"user_id": st.integers(1, 2**40)},
        ),
        "forward_origin": st.sampled_from(
            [
                {
                    "type": "user",
                    "date": 1,
                    "sender_user": {"id": 3, "is_bot": False, "first_name": "X"},
                },
                {"type": "hidden_user", "date": 1, "sender_user_name": "Hidden"},
                {
                    "type": "channel",
                    "date": 1,
                    "chat": {"id": -5, "type": "channel", "title": "News"},
                },
            ]
        ),
        "media_group_id": st.text(min_size=1, max_size=5),
        "voice": st.just({"file_id": "v", "file_unique_id": "v", "duration": 2}),
        "poll": st.just(
            {
                "id": "p",
                "question": "?",
                "options": [],
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
            }
        ),
    },
)


@st.composite
def raw_updates(draw: st.DrawFn) -> dict[str, Any]:
    sender = draw(user)
    message = {
        "message_id": draw(st.integers(1, 2**31)),
        "date": 0,
        "chat": {"id": sender["id"], "type": "private"},
        "from": sender,
        **draw(extra),
    }
    kind = draw(st.sampled_from(["message", "edited_message", "callback_query"]))
    if kind == "callback_query":
        return {
            "update_id": 1,
            "callback_query": {
                "id": "q",
                "from": sender,
                "chat_instance": "1",
                "message": message,
                "data": draw(st.text(max_size=80)),
            },
        }
    return {"update_id": 1, kind: message}


@FUZZ
@given(raw_updates())
def test_any_private_update_translates_without_crashing(raw: dict[str, Any]) -> None:
    update = private_update(raw)
    assert update is not None
    assert update.profile.telegram_id > 0


def events(draft_id: str) -> st.SearchStrategy[Incoming]:
    payloads = st.sampled_from(
        [
            PickCategory(draft_id, "delivery").pack(),
            PickCategory(draft_id, "billing").pack(),
            PickCategory("other", "delivery").pack(),
            DescriptionDone(draft_id).pack(),
            SummaryChoice(draft_id, "confirm").pack(),
            SummaryChoice(draft_id, "edit").pack(),
            EditField(draft_id, "description").pack(),
            EditField(draft_id, "contact").pack(),
            "garbage",
            "",
            "c:" + "x" * 70,
        ]
    )
    return st.one_of(
        st.builds(
            Text,
            st.text(max_size=5000),
            st.integers(1, 50),
            st.sampled_from([None, "btn-telegram-only"]),
            st.sampled_from([None, "Bob"]),
        ),
        st.builds(
            Media,
            st.sampled_from(["photo", "video", "voice", "document"]),
            st.just("f"),
            st.just("u"),
            st.integers(1, 50),
            st.one_of(st.none(), st.text(max_size=50)),
            st.sampled_from([None, "g1", "g2"]),
        ),
        st.builds(ContactShared, st.text(max_size=15), st.booleans(), st.integers(1, 50)),
        st.builds(
            Unsupported,
            st.sampled_from(["sticker", "poll", "location", "animation"]),
            st.integers(1, 50),
        ),
        st.builds(
            Command,
            st.sampled_from(["start", "help", "new", "cancel", "weird"]),
            st.text(max_size=10),
            st.integers(1, 50),
        ),
        st.builds(Edited, st.integers(1, 50), st.text(max_size=200)),
        st.builds(Pressed, payloads, st.just("cb"), st.just(1)),
    )


@FUZZ
@given(st.lists(events("d1"), max_size=25))
def test_no_sequence_of_events_breaks_intake(sequence: list[Incoming]) -> None:
    draft: intake.Draft | None = intake.new_draft("d1", MONDAY_10_WARSAW)
    ctx = intake.IntakeContext(chat_id=1, language="en", config=ORG, now=MONDAY_10_WARSAW)
    for event in sequence:
        if draft is None:
            break
        result = intake.step(draft, event, ctx)
        if isinstance(event, Pressed):
            answers = [m for m in result.say if isinstance(m, AnswerButton)]
            assert len(answers) == 1, "every button press gets exactly one answer"
        else:
            assert result.say or result.draft == draft or result.draft is not None
        if result.submit:
            assert result.draft is not None and result.draft.category is not None
            assert result.draft.description.strip() and result.draft.contact
        draft = None if result.submit else result.draft
        if draft is not None:
            assert len(draft.description) <= intake.MAX_DESCRIPTION + 100
        for message in result.say:
            check_renders(message)


def check_renders(message: Any) -> None:
    call = render(RENDERER, message)
    if call.method == "sendMessage" and call.params.get("parse_mode") == "HTML":
        parse_html(call.params["text"])  # raises where Telegram would refuse the HTML
        assert call.params["text"].strip()


@FUZZ
@given(st.text(max_size=3000), st.text(max_size=100), st.sampled_from(["en", "ru", "pl", "ta"]))
def test_customer_text_always_renders_as_valid_telegram_html(
    description: str, name: str, language: str
) -> None:
    due = datetime(2026, 11, 23, tzinfo=UTC) + timedelta(minutes=len(name))
    for key, params in [
        (
            "intake-summary",
            {
                "category": name,
                "description": description,
                "hidden": 0,
                "attachments": 1,
                "contact": "phone",
                "phone": name,
            },
        ),
        ("start-greeting", {"name": name, "org": description[:50]}),
        ("status-not-found", {"query": name}),
        ("case-message-added", {"number": "HB-7K3Q9M", "owner": name, "due": due}),
    ]:
        check_renders(Say(chat_id=1, key=key, language=language, params=params))  # type: ignore[arg-type]
