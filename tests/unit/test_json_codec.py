"""JSON in and out: fast, half a surrogate pair never refuses a whole document, and what is
read can be stored as text (no NUL)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.json_codec import dumps, dumps_text, loads


def test_half_a_pair_escaped_is_read_as_the_replacement_character() -> None:
    raw = json.dumps({"text": "a\ud800b", "\udc00": ["\ud83d\ude00", 1]}).encode()
    assert loads(raw) == {"text": "a\ufffdb", "\ufffd": ["😀", 1]}


def test_a_document_read_that_way_can_always_be_written_again() -> None:
    # Python's parser also takes integers beyond 64 bits and NaN, which orjson cannot write.
    raw = '{"text": "\\ud800", "id": 123456789012345678901234567890, "x": NaN}'
    read = loads(raw)
    assert read["text"] == "\ufffd"
    assert read["id"] == pytest.approx(1.2345678901234568e29)
    assert loads(dumps(read)) == {"text": "\ufffd", "id": read["id"], "x": None}


def test_a_nul_is_read_as_the_replacement_character_keeping_utf16_offsets() -> None:
    update = {"text": "a\x00b", "entities": [{"offset": 2, "length": 1}], "\x00": ["\x00"]}
    read = loads(json.dumps(update).encode())
    assert read == {"text": "a\ufffdb", "entities": update["entities"], "\ufffd": ["\ufffd"]}
    assert loads(json.dumps(update)) == read, "read from text as from bytes"
    assert loads(b'{"text": "a\\\\u0000"}') == {"text": "a\\u0000"}, "an escaped backslash"


def test_what_is_not_json_is_still_refused() -> None:
    with pytest.raises(ValueError):
        loads(b"<html>Bad Gateway</html>")


def test_half_a_pair_in_a_value_is_written_as_the_replacement_character() -> None:
    assert loads(dumps({"name": "Ola\ud800"})) == {"name": "Ola\ufffd"}
    assert dumps_text(["\udfff"]) == '["\ufffd"]'


def test_a_value_that_is_not_plain_json_is_a_bug_not_a_guess() -> None:
    with pytest.raises(TypeError):
        dumps({"at": datetime(2026, 12, 7, tzinfo=UTC)})


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=20,
    )
)
def test_any_document_survives_the_round_trip_as_valid_text(value: object) -> None:
    back = loads(json.dumps(value))
    text = json.dumps(back, ensure_ascii=False)
    text.encode("utf-8")  # no lone surrogate left anywhere
    assert "\x00" not in text, "no NUL either"
    assert loads(dumps(back)) == back
