"""The tone guard: a staff reply that passes the customer on or promises vaguely is held.

The front line's worst habits read the same in every language: "not my department", "I just
work here", "nothing I can do", "call someone else", "it's not our fault", and promises with no
time in them ("soon", "in a few days"). Each language has four lists of regular expressions
(bot/locales/<lang>/tone.toml, extended per organisation in the TOML's `[tone.rules.<lang>]`):

| list | what it finds | cleared by |
|---|---|---|
| `deflect` | passing the customer on, or blaming | an `owning` phrase in the same reply ("I will handle it myself") |
| `vague` | a promise without a time | a `concrete` time in the same reply ("by 15:00", "tomorrow") |

A reply is checked against every language's lists at once: staff may answer in any of them.
Pure: no I/O, so the labelled sets in the tests measure exactly what runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from flows.config import ToneRules

CHECKED_CHARS = 4000  # characters checked: a Telegram message is at most 4096


class Concern(StrEnum):
    """Why a reply is held."""

    DEFLECT = "deflect"  # it may read as passing the customer on, or as blame
    VAGUE = "vague"  # it promises without a concrete time


@dataclass(frozen=True)
class Compiled:
    """One language's rules, compiled."""

    deflect: tuple[re.Pattern[str], ...]
    vague: tuple[re.Pattern[str], ...]
    owning: tuple[re.Pattern[str], ...]
    concrete: tuple[re.Pattern[str], ...]


def _compile(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE | re.UNICODE) for p in patterns)


@cache
def compiled(rules: ToneRules) -> Compiled:
    """A language's rules as compiled expressions (cached: rules are frozen)."""
    return Compiled(
        _compile(rules.deflect),
        _compile(rules.vague),
        _compile(rules.owning),
        _compile(rules.concrete),
    )


def _normalised(text: str) -> str:
    # Typographic apostrophes and runs of spaces are how people really type on phones.
    text = text.replace("\u2019", "'").replace("\u02bc", "'").replace("ё", "е").replace("Ё", "Е")
    return re.sub(r"\s+", " ", text[:CHECKED_CHARS])


def _any(patterns: Iterable[re.Pattern[str]], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def concerns(text: str, rules: Mapping[str, ToneRules]) -> tuple[Concern, ...]:
    """Why this reply should be held (empty: it may go), by every language's rules at once."""
    plain = _normalised(text)
    every = [compiled(r) for r in rules.values()]
    found: list[Concern] = []
    deflects = any(_any(c.deflect, plain) for c in every)
    if deflects and not any(_any(c.owning, plain) for c in every):
        found.append(Concern.DEFLECT)
    vague = any(_any(c.vague, plain) for c in every)
    if vague and not any(_any(c.concrete, plain) for c in every):
        found.append(Concern.VAGUE)
    return tuple(found)
