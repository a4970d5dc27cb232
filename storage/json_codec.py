"""JSON in and out, fast (orjson) and never stuck on a lone UTF-16 surrogate.

JSON may escape half of a surrogate pair on its own ("\\ud800"): Python's own parser takes it,
orjson refuses the whole document. Telegram's answers, a webhook's POST or a row written by an
older hearback could carry one; refusing getUpdates' answer for it would stop every update
behind it for ever. Such a character is never a real one: it becomes U+FFFD (the replacement
character) on the way in, and on the way out if one got in some other way, so what is stored
and sent on is valid text. A document read that way may hold what orjson cannot write either (an
integer beyond 64 bits): it becomes a float, as orjson itself reads one.

A NUL ("\\u0000") is valid JSON but never meant either, and PostgreSQL cannot store it in text:
a customer's message or name holding one would fail every attempt to keep it, and their
complaint would be lost. It becomes U+FFFD on the way in as well (one UTF-16 unit, like the
NUL, so a message's entities keep their offsets).
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

# As the standard library: what is not plain JSON (a datetime, a dataclass) is a bug to report,
# not to guess; numbers as keys become text.
_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS
)
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")  # a NUL, half a surrogate pair
_INT_MIN, _INT_MAX = -(2**63), 2**64 - 1  # what orjson writes as an integer


def loads(raw: bytes | str) -> Any:
    """The JSON document `raw`, NULs and lone surrogates replaced; ValueError if not JSON."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        return plain(json.loads(text))
    # JSON must escape a NUL: a look for the escape spares the walk through every string.
    nul = b"\\u0000" in raw if isinstance(raw, bytes) else "\\u0000" in raw
    return plain(value) if nul else value


def dumps(value: Any) -> bytes:
    """`value` as JSON (UTF-8), lone surrogates replaced."""
    try:
        return orjson.dumps(value, option=_OPTIONS)
    except orjson.JSONEncodeError:
        # Anything else it cannot write (an object it does not know) fails again, as it should.
        return orjson.dumps(plain(value), option=_OPTIONS)


def dumps_text(value: Any) -> str:
    """`value` as JSON text (for JSON columns and form fields)."""
    return dumps(value).decode()


def plain(value: Any) -> Any:
    """`value` as orjson writes it, and as PostgreSQL stores it: NULs and lone surrogates in
    its strings (keys too) replaced by U+FFFD, integers beyond 64 bits as floats (or None
    beyond a float's range)."""
    if isinstance(value, str):
        return _NOT_TEXT.sub("\ufffd", value)
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and not _INT_MIN <= value <= _INT_MAX:
        try:
            return float(value)
        except OverflowError:
            return None
    return value
