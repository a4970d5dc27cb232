"""Working durations as people write them in the config: "90s", "15m", "2h", "3d", "1w", "1d 4h".

Days and hours of working time are different things and stay apart: "1d" is one working day
(the same time on the next working day), "24h" is twenty-four working hours (nearly three
working days of nine hours). A week ("1w") is five working days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

WORKING_DAYS_PER_WEEK = 5
_PART = re.compile(r"(\d+)\s*([smhdw])")
_HOURS_UNITS = {"s": "seconds", "m": "minutes", "h": "hours"}


@dataclass(frozen=True)
class WorkingDuration:
    """An amount of working time: whole working days plus working hours, never mixed."""

    days: int = 0
    hours: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        if self.days < 0 or self.hours < timedelta(0):
            raise ValueError("a working duration cannot be negative")

    @classmethod
    def of_hours(cls, hours: float) -> WorkingDuration:
        """`hours` working hours."""
        return cls(hours=timedelta(hours=hours))

    def working_hours(self, day_length: timedelta) -> timedelta:
        """The whole duration in working hours, for working days of `day_length`."""
        return self.days * day_length + self.hours

    def __bool__(self) -> bool:
        return bool(self.days or self.hours)

    def __str__(self) -> str:
        parts = [f"{self.days}d"] if self.days else []
        seconds = int(self.hours.total_seconds())
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        parts += [f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (seconds, "s")) if n]
        return " ".join(parts) or "0s"


def parse_duration(text: str) -> WorkingDuration:
    """Parse "2h", "1d 4h", "1w" or "90s"; raise ValueError with a plain message."""
    cleaned = text.strip().lower()
    parts = _PART.findall(cleaned)
    if not cleaned or _PART.sub("", cleaned).strip():
        raise ValueError(
            f'"{text}" is not a duration; write a number and a unit: "90s", "15m", "2h", "3d", '
            '"1w" (d are working days, w are weeks of five working days)'
        )
    days, hours = 0, timedelta()
    for amount, unit in parts:
        if unit == "d":
            days += int(amount)
        elif unit == "w":
            days += int(amount) * WORKING_DAYS_PER_WEEK
        else:
            hours += timedelta(**{_HOURS_UNITS[unit]: int(amount)})
    duration = WorkingDuration(days, hours)
    if not duration:
        raise ValueError(f'"{text}" must be longer than zero')
    return duration
