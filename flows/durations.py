"""Durations as people write them in the config: "90s", "15m", "2h", "3d"."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_PART = re.compile(r"(\d+)\s*([smhdw])")


def parse_duration(text: str) -> timedelta:
    """Parse "2h", "1d 4h" or "90s" into a timedelta; raise ValueError with a plain message."""
    cleaned = text.strip().lower()
    parts = _PART.findall(cleaned)
    if not cleaned or _PART.sub("", cleaned).strip():
        raise ValueError(
            f'"{text}" is not a duration; write a number and a unit: "90s", "15m", "2h", "3d"'
        )
    total = timedelta()
    for amount, unit in parts:
        total += timedelta(**{_UNITS[unit]: int(amount)})
    if total <= timedelta(0):
        raise ValueError(f'"{text}" must be longer than zero')
    return total
