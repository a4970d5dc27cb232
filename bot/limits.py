"""Telegram's sending limits, kept by construction with token buckets (per chat, per group, global)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Telegram counts when a request arrives, we count when it leaves; a little slack keeps the
# difference (network jitter, retries) from ever adding up to a 429.
_SLACK = 0.95


@dataclass(frozen=True)
class SendLimits:
    """How fast we may send: just under Telegram's documented limits by default."""

    per_chat_rate: float = 1.0 * _SLACK  # messages per second into one private chat
    per_chat_burst: float = 3.0
    per_group_rate: float = 20 / 60 * _SLACK  # messages per second into one group
    per_group_burst: float = 20.0
    global_rate: float = 30.0 * 0.97
    # Not Telegram's 30: a burst is decided at once but leaves over the next moments, as the
    # event loop gets to each request, and those moments can bunch up on arrival. A third of
    # Telegram's burst leaves room for ~0.6 s of such jitter and costs no throughput.
    global_burst: float = 10.0

    @classmethod
    def unlimited(cls) -> SendLimits:
        """No pacing at all (for tests against an emulator that enforces nothing)."""
        inf = float("inf")
        return cls(inf, inf, inf, inf, inf, inf)


@dataclass
class _Bucket:
    rate: float
    burst: float
    tokens: float
    stamp: float

    def refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait(self, now: float) -> float:
        self.refill(now)
        if self.tokens >= 1 or self.rate == float("inf"):
            return 0.0
        return (1 - self.tokens) / self.rate


@dataclass
class Limiter:
    """Decides when the next message to a chat may go, and blocks chats Telegram told us to wait on."""

    limits: SendLimits = field(default_factory=SendLimits)
    monotonic: Callable[[], float] = time.monotonic
    _chats: dict[int, _Bucket] = field(default_factory=dict)
    _blocked_until: dict[int, float] = field(default_factory=dict)
    _global: _Bucket | None = None

    def _bucket(self, chat_id: int, now: float) -> _Bucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            group = chat_id < 0
            rate = self.limits.per_group_rate if group else self.limits.per_chat_rate
            burst = self.limits.per_group_burst if group else self.limits.per_chat_burst
            bucket = self._chats[chat_id] = _Bucket(rate, burst, burst, now)
        return bucket

    def _global_bucket(self, now: float) -> _Bucket:
        if self._global is None:
            self._global = _Bucket(
                self.limits.global_rate, self.limits.global_burst, self.limits.global_burst, now
            )
        return self._global

    def delay(self, chat_id: int) -> float:
        """Seconds to wait before a message to `chat_id` may go (0 = now)."""
        now = self.monotonic()
        blocked = self._blocked_until.get(chat_id, 0.0) - now
        return max(
            blocked, self._bucket(chat_id, now).wait(now), self._global_bucket(now).wait(now)
        )

    def take(self, chat_id: int) -> None:
        """Spend one message of the chat's and the global budget."""
        now = self.monotonic()
        for bucket in (self._bucket(chat_id, now), self._global_bucket(now)):
            bucket.refill(now)
            bucket.tokens -= 1

    def block(self, chat_id: int, seconds: float) -> None:
        """Telegram said "retry after": send nothing more to this chat until then."""
        until = self.monotonic() + seconds
        self._blocked_until[chat_id] = max(until, self._blocked_until.get(chat_id, 0.0))
        bucket = self._bucket(chat_id, self.monotonic())
        bucket.tokens = min(bucket.tokens, 0.0)
