"""Business-time arithmetic: promises are counted in working hours, in the organisation's zone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from flows.config import Organisation
from flows.durations import WorkingDuration

_MAX_DAYS = 3 * 366  # a config with no working day at all must not loop forever


def _windows(org: Organisation, start: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Working windows (UTC) from the local day of `start` onwards, for up to _MAX_DAYS days.

    Made one at a time: callers stop at the first few, and a year of them costs milliseconds.
    """
    tz = org.tz
    hours = org.business_hours
    weekdays = hours.weekdays
    holidays = set(org.holidays)
    local_day = start.astimezone(tz).date()
    made = 0
    for offset in range(_MAX_DAYS):
        day = local_day + timedelta(days=offset)
        if day.weekday() not in weekdays or day in holidays:
            continue
        # Built as local wall-clock times, then converted: a DST change shortens or
        # lengthens that day's window exactly as it does for the people working it.
        opens = datetime.combine(day, hours.start, tzinfo=tz).astimezone(UTC)
        closes = datetime.combine(day, hours.end, tzinfo=tz).astimezone(UTC)
        yield opens, closes
        made += 1
        if made > 400:
            return


def _working_days_later(org: Organisation, start: datetime, days: int) -> datetime:
    """The same local time of day, `days` working days after the working moment `start`."""
    tz = org.tz
    local = start.astimezone(tz)
    day = local.date()
    weekdays, holidays = org.business_hours.weekdays, set(org.holidays)
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() in weekdays and day not in holidays:
            days -= 1
    return datetime.combine(day, local.time(), tzinfo=tz).astimezone(UTC)


def add_business_time(org: Organisation, start: datetime, duration: WorkingDuration) -> datetime:
    """The moment when `duration` of working time has passed after `start` (aware datetimes).

    Whole days count as working days ("2d" from Monday 10:00 is Wednesday 10:00), hours as
    working hours within business hours, so a promise reads the way a customer would understand it.
    """
    if duration.days:
        start = _working_days_later(org, next_opening(org, start), duration.days)
        if not duration.hours:
            return start
    return add_working_hours(org, start, duration.hours)


def add_working_hours(org: Organisation, start: datetime, amount: timedelta) -> datetime:
    """The moment when `amount` of working hours has passed after `start` (days are hours here)."""
    remaining = amount
    for opens, closes in _windows(org, start):
        if closes <= start:
            continue
        begin = max(opens, start)
        available = closes - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
    raise ValueError("the business hours have no working time in the next three years")


def share_of_working_time(
    org: Organisation, start: datetime, end: datetime, share: float
) -> datetime:
    """When `share` of the working time from `start` to `end` has passed (an early warning)."""
    return add_working_hours(org, start, business_time_between(org, start, end) * share)


def business_time_between(org: Organisation, start: datetime, end: datetime) -> timedelta:
    """Working time that passes from `start` to `end`."""
    total = timedelta()
    for opens, closes in _windows(org, start):
        if opens >= end:
            break
        begin, finish = max(opens, start), min(closes, end)
        if finish > begin:
            total += finish - begin
    return total


def is_business_time(org: Organisation, moment: datetime) -> bool:
    """Whether the team is at work at `moment`."""
    return next_opening(org, moment) == moment


def next_opening(org: Organisation, moment: datetime) -> datetime:
    """`moment` itself when inside working hours, otherwise when the team is next at work."""
    for opens, closes in _windows(org, moment):
        if closes <= moment:
            continue
        return max(opens, moment)
    raise ValueError("the business hours have no working time in the next three years")
