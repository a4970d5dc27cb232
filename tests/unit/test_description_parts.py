"""A description longer than the card shows goes below it whole, in parts Telegram takes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from flows.card import DESCRIPTION_ON_CARD, DESCRIPTION_PART, description_parts


def test_a_description_the_card_shows_whole_needs_no_parts() -> None:
    assert description_parts("My parcel never arrived.") == []
    assert description_parts("x" * DESCRIPTION_ON_CARD) == []


def test_a_longer_one_follows_whole_cut_between_paragraphs() -> None:
    first, second = "First: " + "a " * 1500, "Second: " + "b " * 1500
    parts = description_parts(f"{first.strip()}\n\n{second.strip()}")
    assert parts == [first.strip(), second.strip()]


def test_a_single_long_word_is_cut_where_it_must() -> None:
    parts = description_parts("z" * (2 * DESCRIPTION_PART + 10))
    assert [len(p) for p in parts] == [DESCRIPTION_PART, DESCRIPTION_PART, 10]


@given(
    st.text(alphabet=st.sampled_from("ab \n😀ż"), min_size=DESCRIPTION_ON_CARD + 1, max_size=12_000)
)
def test_nothing_but_whitespace_at_a_cut_is_lost_and_no_part_is_too_long(description: str) -> None:
    parts = description_parts(description)
    assert all(0 < len(p) <= DESCRIPTION_PART for p in parts)
    assert "".join("".join(p.split()) for p in parts) == "".join(description.split())
