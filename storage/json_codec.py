"""JSON in and out, fast (orjson) and never stuck on a lone UTF-16 surrogate.

JSON may escape half of a surrogate pair on its own ("\\ud800"): Python's own parser takes it,
orjson refuses the whole document. Telegram's answers, a webhook's POST or a row written by an
older hearback could carry one; refusing getUpdates' answer for it would stop every update
behind it for ever. Such a character is never a real one: it becomes U+FFFD (the replacement
character) on the way in, and on the way out if one got in some other way, so what is stored
and sent on is valid text.
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
_SURROGATE = re.compile("[\ud800-\udfff]")


def loads(raw: bytes | str) -> Any:
    """The JSON document `raw`, lone surrogates replaced; ValueError if it is not JSON."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return valid_text(json.loads(text))


def dumps(value: Any) -> bytes:
    """`value` as JSON (UTF-8), lone surrogates replaced."""
    try:
        return orjson.dumps(value, option=_OPTIONS)
    except orjson.JSONEncodeError:
        # Anything else it cannot write (an object it does not know) fails again, as it should.
        return orjson.dumps(valid_text(value), option=_OPTIONS)


def dumps_text(value: Any) -> str:
    """`value` as JSON text (for JSON columns and form fields)."""
    return dumps(value).decode()


def valid_text(value: Any) -> Any:
    """`value` with every lone surrogate in its strings (keys too) replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {valid_text(k): valid_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [valid_text(item) for item in value]
    return value
