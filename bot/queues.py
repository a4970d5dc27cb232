"""The sender's schedule in memory: one queue of outbox row ids per chat, heads ready in order.

Only where each row stands is kept (id, chat, priority, when it may go); its message is read
from the outbox when it is about to go. A chat has at most one row on its way at a time, its
oldest, so Telegram shows a chat's messages in order. Across chats, the more urgent head goes
first, then the older.
"""

from __future__ import annotations

import bisect
import heapq
from dataclasses import dataclass, field


@dataclass(order=True)
class Entry:
    """One queued outbox row."""

    id: int
    chat_id: int = field(compare=False)
    priority: int = field(compare=False)
    due: float = field(default=0.0, compare=False)  # loop time before which it may not go
    failures: int = field(default=0, compare=False)  # transient ones, in this process


class ChatQueues:
    """Per-chat queues of entries; `take` hands out heads whose chat is not busy."""

    def __init__(self) -> None:
        self._queues: dict[int, list[Entry]] = {}
        self._ids: set[int] = set()
        self._busy: set[int] = set()
        self._ready: list[tuple[int, int, int]] = []  # (priority, id, chat) of a head
        self._later: list[tuple[float, int, int]] = []  # (due, id, chat) of a head
        # The head each idle chat has a live entry for in _ready or _later; others are stale.
        self._armed: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, row_id: int) -> bool:
        return row_id in self._ids

    def clear(self) -> None:
        """Forget everything (another instance sends now)."""
        self.__init__()  # type: ignore[misc]

    def add(self, entry: Entry) -> None:
        """Queue a row behind the chat's rows with lower ids (unless it is queued already)."""
        if entry.id in self._ids:
            return
        self._ids.add(entry.id)
        queue = self._queues.setdefault(entry.chat_id, [])
        bisect.insort(queue, entry)
        self._arm(entry.chat_id)

    def _arm(self, chat_id: int) -> None:
        """Put the chat's head where it will be found, unless it is on its way or there already."""
        queue = self._queues.get(chat_id)
        if chat_id in self._busy or not queue:
            return
        head = queue[0]
        if self._armed.get(chat_id) == head.id:
            return
        self._armed[chat_id] = head.id
        if head.due > 0:
            heapq.heappush(self._later, (head.due, head.id, chat_id))
        else:
            heapq.heappush(self._ready, (head.priority, head.id, chat_id))

    def next_due(self) -> float | None:
        """The loop time at which the earliest held-back head may go."""
        while self._later and self._armed.get(self._later[0][2]) != self._later[0][1]:
            heapq.heappop(self._later)  # stale
        return self._later[0][0] if self._later else None

    def most_urgent(self, now: float) -> int | None:
        """The priority of the most urgent head that may go at `now`, without taking it."""
        self._promote(now)
        while self._ready and self._armed.get(self._ready[0][2]) != self._ready[0][1]:
            heapq.heappop(self._ready)  # stale
        return self._ready[0][0] if self._ready else None

    def _promote(self, now: float) -> None:
        """Held-back heads whose time has come join the ready ones."""
        while self._later and self._later[0][0] <= now:
            _, row_id, chat_id = heapq.heappop(self._later)
            if self._armed.get(chat_id) != row_id:
                continue  # stale: the chat's head changed since
            head = self._queues[chat_id][0]
            head.due = 0.0
            heapq.heappush(self._ready, (head.priority, row_id, chat_id))

    def take(self, now: float) -> Entry | None:
        """The most urgent head that may go at `now`, its chat now busy; None if none may."""
        self._promote(now)
        while self._ready:
            _, row_id, chat_id = heapq.heappop(self._ready)
            if self._armed.get(chat_id) != row_id:
                continue
            head = self._queues[chat_id][0]
            del self._armed[chat_id]
            if head.due > now:
                self._arm(chat_id)
                continue
            self._busy.add(chat_id)
            return head
        return None

    def hold(self, entry: Entry, until: float) -> None:
        """The chat's head may not go before loop time `until`; the chat is free again."""
        entry.due = until
        self._busy.discard(entry.chat_id)
        self._arm(entry.chat_id)

    def done(self, entry: Entry) -> None:
        """The head went (or was given up): the chat's next row may go."""
        queue = self._queues.get(entry.chat_id)
        if queue and entry in queue:
            queue.remove(entry)
        if queue is not None and not queue:
            del self._queues[entry.chat_id]
            self._armed.pop(entry.chat_id, None)
        self._ids.discard(entry.id)
        self._busy.discard(entry.chat_id)
        self._arm(entry.chat_id)
