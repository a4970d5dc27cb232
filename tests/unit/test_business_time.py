"""Promises are counted in working time: weekends, evenings, holidays and DST included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from flows.business_time import (
    add_business_time,
    business_time_between,
    is_business_time,
    next_opening,
)
from flows.config import BusinessHours, Organisation, OrgConfig
from flows.durations import WorkingDuration, parse_duration

WARSAW = ZoneInfo("Europe/Warsaw")


def hours(amount: float) -> WorkingDuration:
    return WorkingDuration.of_hours(amount)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=WARSAW)  # type: ignore[misc]


@pytest.fixture
def acme() -> Organisation:
    return Organisation(
        name="Acme",
        timezone="Europe/Warsaw",
        business_hours=BusinessHours(days="mon-fri", start="09:00", end="18:00"),  # type: ignore[arg-type]
        holidays=("2026-12-24", "2026-12-25"),  # type: ignore[arg-type]
    )


def test_inside_hours_two_hours_are_two_hours(acme: Organisation) -> None:
    assert add_business_time(acme, local(2026, 11, 23, 10, 0), hours(2)) == local(
        2026, 11, 23, 12, 0
    )


def test_work_left_at_closing_continues_next_morning(acme: Organisation) -> None:
    due = add_business_time(acme, local(2026, 11, 23, 17, 0), hours(2))
    assert due == local(2026, 11, 24, 10, 0)


def test_a_friday_evening_complaint_is_due_on_monday(acme: Organisation) -> None:
    due = add_business_time(acme, local(2026, 11, 27, 20, 0), hours(2))
    assert due == local(2026, 11, 30, 11, 0)


def test_holidays_are_skipped(acme: Organisation) -> None:
    due = add_business_time(acme, local(2026, 12, 23, 17, 0), hours(2))
    assert due == local(2026, 12, 28, 10, 0)  # 24th and 25th are holidays, 26-27 a weekend


def test_days_are_working_days(acme: Organisation) -> None:
    assert add_business_time(acme, local(2026, 11, 26, 10, 0), WorkingDuration(days=2)) == local(
        2026, 11, 30, 10, 0
    )  # Thursday + 2 working days = Monday
    assert add_business_time(acme, local(2026, 11, 28, 10, 0), WorkingDuration(days=1)) == local(
        2026, 12, 1, 9, 0
    )  # Saturday: counted from Monday's opening


def test_spring_dst_change_keeps_local_opening_hours() -> None:
    weekend_workers = Organisation(
        name="Shop",
        timezone="Europe/Warsaw",
        business_hours=BusinessHours(days="mon-sun", start="01:00", end="05:00"),  # type: ignore[arg-type]
    )
    # On 29 Mar 2026 clocks jump from 02:00 to 03:00: that day has 3 working hours, not 4.
    start = local(2026, 3, 29, 1, 0)
    assert business_time_between(weekend_workers, start, local(2026, 3, 29, 5, 0)) == timedelta(
        hours=3
    )
    assert add_business_time(weekend_workers, start, hours(3)) == local(2026, 3, 29, 5, 0)


def test_autumn_dst_change_keeps_local_opening_hours(acme: Organisation) -> None:
    # 25 Oct 2026 (Sunday) clocks go back; Monday 9:00 local is 08:00 UTC, not 07:00.
    due = add_business_time(acme, local(2026, 10, 24, 12, 0), hours(0.5))
    assert due == local(2026, 10, 26, 9, 30)
    assert due.astimezone(UTC).hour == 8


def test_next_opening_and_is_business_time(acme: Organisation) -> None:
    assert is_business_time(acme, local(2026, 11, 23, 12, 0))
    assert not is_business_time(acme, local(2026, 11, 28, 12, 0))
    assert next_opening(acme, local(2026, 11, 28, 12, 0)) == local(2026, 11, 30, 9, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90s", WorkingDuration(hours=timedelta(seconds=90))),
        ("15m", WorkingDuration(hours=timedelta(minutes=15))),
        ("2h", WorkingDuration(hours=timedelta(hours=2))),
        ("24h", WorkingDuration(hours=timedelta(hours=24))),
        ("3d", WorkingDuration(days=3)),
        ("1d 4h", WorkingDuration(days=1, hours=timedelta(hours=4))),
        ("1w", WorkingDuration(days=5)),
        ("2w 1d", WorkingDuration(days=11)),
    ],
)
def test_durations_as_written_in_the_config(text: str, expected: WorkingDuration) -> None:
    assert parse_duration(text) == expected


def test_a_day_and_twenty_four_hours_are_different_promises(acme: Organisation) -> None:
    monday_10 = local(2026, 11, 23, 10, 0)
    # One working day: the same time on the next working day.
    assert add_business_time(acme, monday_10, parse_duration("1d")) == local(2026, 11, 24, 10, 0)
    # Twenty-four working hours of nine-hour days: 8 on Monday, 9 on Tuesday, 7 on Wednesday.
    assert add_business_time(acme, monday_10, parse_duration("24h")) == local(2026, 11, 25, 16, 0)
    # A week is five working days: Monday to Monday.
    assert add_business_time(acme, monday_10, parse_duration("1w")) == local(2026, 11, 30, 10, 0)
    assert parse_duration("1d") != parse_duration("24h")


@pytest.mark.parametrize("text", ["", "soon", "2x", "0m", "h2"])
def test_bad_durations_are_explained(text: str) -> None:
    with pytest.raises(ValueError, match=r"duration|zero"):
        parse_duration(text)


def test_an_early_warning_counts_working_time_only(org: OrgConfig) -> None:
    from flows.business_time import share_of_working_time

    organisation = org.organisation
    friday_16 = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # 16:00 in Warsaw
    due = add_business_time(organisation, friday_16, hours(5))  # Monday 12:00
    assert due == datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
    warn = share_of_working_time(organisation, friday_16, due, 0.8)
    # 4 of the 5 working hours: two on Friday, two on Monday morning.
    assert warn == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
