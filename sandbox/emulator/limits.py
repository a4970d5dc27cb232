"""Telegram's size limits, flood control (token buckets) and the HTML subset of parse_mode."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Clock = Callable[[], float]


@dataclass(frozen=True)
class RateLimits:
    """Flood-control rates (tokens per second, bucket sizes) and size limits."""

    enabled: bool = True
    private_per_second: float = 1.0
    private_burst: int = 3
    group_per_second: float = 20 / 60
    group_burst: int = 20
    global_per_second: float = 30.0
    global_burst: int = 30
    max_text: int = 4096
    max_caption: int = 1024
    max_callback_data: int = 64

    @classmethod
    def telegram(cls) -> RateLimits:
        """The limits real Telegram applies to a bot."""
        return cls()

    @classmethod
    def off(cls) -> RateLimits:
        """No flood control; size limits still apply because Telegram never lifts them."""
        return cls(enabled=False)


@dataclass
class TokenBucket:
    """A bucket of `capacity` tokens refilled at `rate` tokens per second."""

    rate: float
    capacity: float
    tokens: float
    stamp: float

    def wait_time(self, now: float) -> float:
        """Seconds until one token is available (0 when one is available now)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        # The epsilon keeps float drift from refusing a token that is due exactly now.
        return 0.0 if self.tokens >= 1 - 1e-9 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        """Consume one token; call only after wait_time() returned 0."""
        self.tokens -= 1


@dataclass
class RateLimiter:
    """Per-chat and global buckets; a refused send consumes nothing."""

    limits: RateLimits
    clock: Clock = time.monotonic
    _chats: dict[int, TokenBucket] = field(default_factory=dict)
    _global: TokenBucket | None = None

    def acquire(self, chat_id: int, private: bool) -> int | None:
        """Take a token for one message to chat_id; return retry_after seconds if refused."""
        if not self.limits.enabled:
            return None
        now = self.clock()
        lim = self.limits
        if self._global is None:
            self._global = TokenBucket(
                lim.global_per_second, lim.global_burst, lim.global_burst, now
            )
        bucket = self._chats.get(chat_id)
        if bucket is None:
            rate, burst = (
                (lim.private_per_second, lim.private_burst)
                if private
                else (lim.group_per_second, lim.group_burst)
            )
            bucket = self._chats[chat_id] = TokenBucket(rate, burst, burst, now)
        wait = max(bucket.wait_time(now), self._global.wait_time(now))
        if wait > 0:
            return max(1, math.ceil(wait))
        bucket.take()
        self._global.take()
        return None


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; str(error) is Telegram's explanation."""


@dataclass
class ParsedText:
    """Visible text of an HTML message plus its entities (offsets in UTF-16 code units)."""

    text: str
    entities: list[dict[str, Any]]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
}
_ALL_TAGS = {*_SIMPLE_TAGS, "a", "span", "blockquote", "tg-emoji"}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_ATTR = re.compile(r"""\s*([a-zA-Z0-9_-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")


def _decode_entity(source: str, pos: int) -> tuple[str, int]:
    """Decode the entity at source[pos] == '&'; return (character, next position)."""
    m = _ENTITY.match(source, pos)
    if m is not None:
        if m.group(3) is not None and m.group(3) in _NAMED_ENTITIES:
            return _NAMED_ENTITIES[m.group(3)], m.end()
        code = m.group(1) or m.group(2)
        if code is not None:
            value = int(code, 10 if m.group(1) else 16)
            if 0 < value <= 0x10FFFF:
                return chr(value), m.end()
    # Real Telegram keeps such an '&' literally; the emulator refuses it on purpose, because it
    # almost always means user input was interpolated into HTML without html.escape().
    raise EntityParseError(
        f"Character '&' at byte offset {_byte_offset(source, pos)} does not start an HTML entity"
    )


def _byte_offset(source: str, pos: int) -> int:
    return len(source[:pos].encode("utf-8"))


def _decode_attr(value: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "&":
            ch, i = _decode_entity(value, i)
            out.append(ch)
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _entity_for(name: str, attrs: dict[str, str], offset: int) -> dict[str, Any] | None:
    if name in _SIMPLE_TAGS:
        entity: dict[str, Any] = {"type": _SIMPLE_TAGS[name], "offset": offset}
        if name == "code" and attrs.get("class", "").startswith("language-"):
            entity["language"] = attrs["class"].removeprefix("language-")
        return entity
    if name == "a":
        return {"type": "text_link", "offset": offset, "url": attrs.get("href", "")}
    if name == "span":
        return {"type": "spoiler", "offset": offset}
    if name == "blockquote":
        kind = "expandable_blockquote" if "expandable" in attrs else "blockquote"
        return {"type": kind, "offset": offset}
    if name == "tg-emoji":
        return {"type": "custom_emoji", "offset": offset, "custom_emoji_id": attrs.get("emoji-id")}
    return None


def parse_html(source: str) -> ParsedText:
    """Parse Telegram's HTML subset; raise EntityParseError where Telegram would refuse it."""
    out: list[str] = []
    out_len = 0  # UTF-16 length of the visible text so far
    stack: list[tuple[str, dict[str, Any] | None]] = []
    entities: list[dict[str, Any]] = []
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "&":
            ch, i = _decode_entity(source, i)
            out.append(ch)
            out_len += utf16_len(ch)
            continue
        if ch != "<":
            out.append(ch)
            out_len += utf16_len(ch)
            i += 1
            continue
        start = i
        close = source.find(">", i)
        if close < 0:
            raise EntityParseError(
                f"Unclosed start tag at byte offset {_byte_offset(source, start)}"
            )
        if source.startswith("</", i):
            name = source[i + 2 : close].strip().lower()
            if not stack:
                raise EntityParseError(
                    f"Unexpected end tag at byte offset {_byte_offset(source, start)}"
                )
            open_name, entity = stack.pop()
            if name != open_name:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(source, start)}, "
                    f'expected "</{open_name}>", found "</{name}>"'
                )
            parent = stack[-1][1] if stack else None
            if name == "code" and parent is not None and parent["type"] == "pre":
                # <pre><code class="language-x"> is one pre entity with a language, as in Telegram.
                if entity is not None and "language" in entity:
                    parent["language"] = entity["language"]
            elif entity is not None:
                entity["length"] = out_len - entity["offset"]
                if entity["length"] > 0:
                    entities.append(entity)
            i = close + 1
            continue
        m = re.match(r"<([^\s>]*)", source[i:close])
        name = (m.group(1) if m else "").lower()
        if name not in _ALL_TAGS:
            raise EntityParseError(
                f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, start)}'
            )
        attrs = {
            a.group(1).lower(): _decode_attr(a.group(2) or a.group(3) or a.group(4) or "")
            for a in _ATTR.finditer(source, i + 1 + len(name), close)
            if a.group(1)
        }
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError('Tag "span" must have class "tg-spoiler"')
        if name == "a" and "href" not in attrs:
            # Telegram accepts <a> without href as plain text.
            stack.append((name, None))
        else:
            stack.append((name, _entity_for(name, attrs, out_len)))
        i = close + 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText("".join(out), entities)


def strip_text(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Trim surrounding whitespace as Telegram does, clipping and shifting entities to match."""
    stripped = text.strip()
    if len(stripped) == len(text):
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    end = lead + utf16_len(stripped)
    out = []
    for entity in entities:
        start = max(entity["offset"], lead)
        stop = min(entity["offset"] + entity["length"], end)
        if stop > start:
            out.append({**entity, "offset": start - lead, "length": stop - start})
    return stripped, out


_URL = re.compile(r"https?://[^\s<>\"'«»]+", re.IGNORECASE)
_URL_TAIL = ".,;:!?)]}"
_UNLINKED = frozenset({"text_link", "url", "email", "code", "pre"})


def with_urls(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add the url entities Telegram detects in a message's text, outside links and code."""
    taken = [
        (e["offset"], e["offset"] + e["length"]) for e in entities if e.get("type") in _UNLINKED
    ]
    found = []
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_URL_TAIL)
        start = utf16_len(text[: match.start()])
        end = start + utf16_len(url)
        host = url.split("://", 1)[1]
        if host and not any(start < stop and first < end for first, stop in taken):
            found.append({"type": "url", "offset": start, "length": end - start})
    if not found:
        return entities
    return sorted([*entities, *found], key=lambda e: (e["offset"], -e["length"]))
