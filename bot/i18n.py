"""Renders message keys into text in the reader's language, from the Fluent files in bot/locales.

Every text parameter is HTML-escaped here, once, because every message is sent with HTML parse
mode: a customer's words can never format, spoof or break what staff or customers see.
Datetimes become concrete local times in the organisation's zone, e.g. "Tue 24 Nov, 11:30";
durations their two largest units in the reader's language, e.g. "2d 4h" or "2 д. 4 ч".
"""

from __future__ import annotations

import html
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, get_timezone_location
from babel.units import format_unit
from fluent.runtime import FluentBundle

from bot.ftl_cache import parsed
from flows.config import LANGUAGES
from flows.messages import Html, Param, Template

log = logging.getLogger(__name__)
LOCALES_DIR = Path(__file__).parent / "locales"
RESOURCE = "hearback.ftl"
EMPTY = "none"  # what an empty or missing parameter is called in the Fluent selectors
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# The longest value fluent.runtime puts in a message (its resolver's MAX_PART_LENGTH).
PLACEABLE_LIMIT = 2500
_STAND_IN = re.compile("\ue000[0-9a-f]{16}[0-9]+\ue001")
_UNITS = (("duration-day", 86400), ("duration-hour", 3600), ("duration-minute", 60))


@dataclass(frozen=True)
class Renderer:
    """Turns (language, key, params) into HTML text."""

    timezone: ZoneInfo

    def text(self, language: str, key: str, params: dict[str, Param] | None = None) -> str:
        """The message `key` in `language` (falling back to English) with escaped parameters."""
        args = {name: self._arg(language, value) for name, value in (params or {}).items()}
        long = {n: v for n, v in args.items() if isinstance(v, str) and len(v) > PLACEABLE_LIMIT}
        if not long:
            return _localization(language).format_value(key, args)
        # Fluent puts "{???}" in place of a value past its limit (a guard against translations
        # that blow up): a long one goes in as a stand-in, put back once the text is made.
        nonce = secrets.token_hex(8)
        stand_ins = {f"\ue000{nonce}{index}\ue001": name for index, name in enumerate(long)}
        made = _localization(language).format_value(
            key, args | {name: stand_in for stand_in, name in stand_ins.items()}
        )

        def put_back(found: re.Match[str]) -> str:
            name = stand_ins.get(found[0])  # a customer's lookalike is not one of ours
            return found[0] if name is None else str(long[name])

        return _STAND_IN.sub(put_back, made)

    def _arg(self, language: str, value: Param) -> str | int | float:
        if value is None or value == "":
            return EMPTY
        if isinstance(value, datetime):
            return html.escape(self.when(language, value))
        if isinstance(value, timedelta):
            return html.escape(span(language, value))
        if isinstance(value, int | float):
            return value  # kept a number: Fluent's plural rules pick "1 файл", "5 файлов"
        if isinstance(value, Template):
            return self._filled(language, value)
        if isinstance(value, Html):
            return (
                value.html or EMPTY
            )  # built from Telegram's own entities by bot/translate: already safe
        return html.escape(value, quote=False)

    def _filled(self, language: str, template: Template) -> str:
        """An organisation's text with its {placeholders} filled, escaped; unknown ones kept."""

        def value(found: re.Match[str]) -> str:
            if found[1] not in template.values:
                return found[0]
            filled = self._arg(language, template.values[found[1]])
            return "" if filled == EMPTY else str(filled)

        # Escaping leaves the braces alone, and the values are escaped on their own.
        return _PLACEHOLDER.sub(value, html.escape(template.text, quote=False)) or EMPTY

    def when(self, language: str, moment: datetime) -> str:
        """A moment as a concrete local date and time, with the zone's place name."""
        local = format_datetime(moment, "EEE d MMM, HH:mm", tzinfo=self.timezone, locale=language)
        place = get_timezone_location(self.timezone, locale=language, return_city=True)
        return f"{local} ({place})"


def span(language: str, duration: timedelta) -> str:
    """A duration in its two largest units, to the minute: "2d 4h", "1h 5m", "0m"."""
    rest = max(0, round(duration.total_seconds() / 60)) * 60
    parts: list[str] = []
    for unit, seconds in _UNITS:
        amount, rest = divmod(rest, seconds)
        if amount and len(parts) < 2:
            parts.append(format_unit(amount, unit, length="narrow", locale=language))
        elif parts:
            break  # "2d 0h 5m" would mislead: two adjacent units or one
    return " ".join(parts) or format_unit(0, "duration-minute", length="narrow", locale=language)


class _Localization:
    """One language's bundle with English behind it for any key it lacks."""

    def __init__(self, language: str) -> None:
        self._language = language
        self._bundles = [_bundle(language)] + ([_bundle("en")] if language != "en" else [])

    def format_value(self, key: str, args: dict[str, str | int | float]) -> str:
        for bundle in self._bundles:
            pattern = bundle.get_message(key).value if bundle.has_message(key) else None
            if pattern is not None:
                value, errors = bundle.format_pattern(pattern, args)
                for error in errors:
                    _report(self._language, key, str(error))
                return str(value)
        return key


@cache
def _bundle(language: str) -> FluentBundle:
    # Read the file ourselves: fluent.runtime's loader leaves the file handle to the GC.
    bundle = FluentBundle([language], use_isolating=False)
    bundle.add_resource(parsed(LOCALES_DIR / language / RESOURCE))
    return bundle


@cache
def _report(language: str, key: str, error: str) -> None:
    """Log once what a text lacked: Fluent puts a placeholder in and says nothing."""
    # Fluent's errors name a variable or a limit, never a value.
    log.warning("the %s text %r is incomplete: %s", language, key, error)


@cache
def _localization(language: str) -> _Localization:
    return _Localization(language if (LOCALES_DIR / language / RESOURCE).exists() else "en")


@cache
def labels_of(key: str) -> frozenset[str]:
    """The text of button `key` in every language: used to recognise reply-keyboard presses."""
    return frozenset(_localization(lang).format_value(key, {}) for lang in LANGUAGES)
