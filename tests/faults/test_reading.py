"""Reading Telegram tolerantly: formatting that does not fit its text, unknown kinds and fields."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.handlers import apology_target
from bot.translate import formatted, message_event
from flows.incoming import Media, Text
from tests.faults.malformed import entity


def test_an_entity_through_an_emoji_falls_back_to_escaped_text() -> None:
    broken = [{"type": "bold", "offset": 1, "length": 2}]  # starts inside 👍 (two UTF-16 units)
    assert formatted("👍 <ok>", broken) == "👍 &lt;ok&gt;"


def test_an_entity_past_the_end_falls_back_to_escaped_text() -> None:
    assert formatted("a&b", [{"type": "bold", "offset": 2, "length": 9}]) == "a&amp;b"


def test_a_fitting_entity_still_formats() -> None:
    assert formatted("👍 big", [{"type": "bold", "offset": 3, "length": 3}]) == "👍 <b>big</b>"


@given(st.text(max_size=30), st.lists(entity, max_size=4) | st.none() | st.integers())
def test_formatting_never_raises(text: str, entities: object) -> None:
    assert isinstance(formatted(text, entities), str)


def test_an_attachment_of_an_unknown_kind_is_kept_as_such() -> None:
    event = message_event({"message_id": 1, "hologram": {"file_id": "H"}, "caption": "see"})
    assert isinstance(event, Media) and (event.kind, event.file_id) == ("hologram", "H")


def test_unknown_fields_and_origins_are_ignored() -> None:
    message = {"message_id": 2, "text": "hi", "forward_origin": 5, "future": {"x": [1]}}
    event = message_event(message)
    assert isinstance(event, Text) and event.text == "hi" and event.forwarded_from == "forward"


@given(
    st.dictionaries(
        st.sampled_from(["message", "callback_query", "x"]),
        st.integers()
        | st.none()
        | st.dictionaries(st.text(max_size=4), st.integers() | st.text(max_size=3)),
    )
)
def test_the_apology_target_is_read_without_ever_raising(raw: dict[str, object]) -> None:
    assert apology_target(raw) is None or isinstance(apology_target(raw), tuple)
