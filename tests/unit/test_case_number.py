"""Case numbers are short, random, unambiguous, and typed back forgivingly."""

from __future__ import annotations

import os

from hypothesis import given
from hypothesis import strategies as st

from flows.case_number import CROCKFORD, case_number_from, parse_case_number


@given(st.binary(min_size=5, max_size=5))
def test_a_case_number_is_hb_and_six_crockford_characters(random: bytes) -> None:
    number = case_number_from(random)
    assert number.startswith("HB-")
    assert len(number) == 9
    assert all(ch in CROCKFORD for ch in number[3:])
    assert parse_case_number(number) == number


def test_numbers_are_not_sequential() -> None:
    numbers = [case_number_from(os.urandom(5)) for _ in range(200)]
    assert len(set(numbers)) == 200
    assert numbers != sorted(numbers)


def test_a_customer_may_type_it_lowercase_without_dash_and_with_lookalikes() -> None:
    assert parse_case_number("about hb7k3q9m please") == "HB-7K3Q9M"
    assert parse_case_number("HB-7K3QOL") == "HB-7K3Q01"


def test_text_without_a_case_number_gives_none() -> None:
    assert parse_case_number("where is my parcel") is None
    assert parse_case_number("HB-12") is None
