"""Claims on inbox rows, so that several instances on one database handle each update once.

An instance claims pending rows for a lease (its id and an end time); it handles them and marks
them done only if they are still its own: the mark and what the update changed commit together,
so an update whose claim was lost (its lease ran out and another instance took it) leaves no
trace of the first attempt. A killed instance's rows are taken by the others once its lease
ends. A chat's updates are handled in order: a row is claimed only if no earlier row of its chat
is pending under another instance's live claim.

On PostgreSQL claims are made one at a time (a transaction-scoped advisory lock) so that each
claimer sees the others' claims; the rows themselves are locked FOR UPDATE SKIP LOCKED, so a
claimer never waits for a slow former owner finishing one. SQLite serves a single instance.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.dml import ReturningUpdate

from storage import sql
from storage.inbox import FAR_FUTURE, InboxRow
from storage.tables import INBOX

CLAIM_LOCK = 0x6865_6172_636C_6D73  # "hearclms"
# How many of the oldest pending rows one claim looks through to find rows free to take.
SCAN = 1000


class ClaimLost(Exception):
    """The update is no longer this instance's to finish: another instance took it over."""


_CANDIDATES = sql.quick(
    select(INBOX.c.update_id, INBOX.c.chat_id, INBOX.c.claimed_by, INBOX.c.claimed_until)
    .where(
        INBOX.c.status == "pending",
        # A failed update waits for its next attempt (storage.inbox); the rest go ahead.
        or_(INBOX.c.next_attempt_at.is_(None), INBOX.c.next_attempt_at <= bindparam("b_due")),
    )
    .order_by(INBOX.c.update_id)
    .limit(SCAN)
)


def _claim(locking: bool) -> ReturningUpdate[Any]:
    """Claim the chosen rows still pending; on PostgreSQL, skipping rows another transaction
    holds (a former owner finishing one)."""
    free = select(INBOX.c.update_id).where(
        INBOX.c.update_id.in_(bindparam("b_ids", expanding=True)), INBOX.c.status == "pending"
    )
    if locking:
        free = free.with_for_update(skip_locked=True)
    return sql.quick(
        update(INBOX)
        .where(INBOX.c.update_id.in_(free.scalar_subquery()))
        .values(claimed_by=bindparam("b_me"), claimed_until=bindparam("b_until"))
        .returning(INBOX.c.update_id, INBOX.c.payload, INBOX.c.attempts)
    )


# Built once: building a statement costs as much as running it on SQLite.
_CLAIM = {False: _claim(False), True: _claim(True)}
_FINISH = sql.quick(
    update(INBOX)
    .where(
        INBOX.c.update_id.in_(bindparam("b_ids", expanding=True)),
        INBOX.c.claimed_by == bindparam("b_me"),
        INBOX.c.status == "pending",
    )
    # As storage.inbox: a handled update keeps its id, never what it said.
    .values(status="done", done_at=bindparam("b_now"), payload={}, claimed_until=None)
    .returning(INBOX.c.update_id)
)

_OTHERS_PENDING = sql.quick(
    select(INBOX.c.update_id)
    .where(
        INBOX.c.status == "pending",
        INBOX.c.update_id.not_in(bindparam("b_ids", expanding=True)),
    )
    .limit(1)
)


def choose(
    candidates: Sequence[Any], me: str, now: datetime, limit: int
) -> tuple[list[int], dict[int, int | None]]:
    """Which of the oldest pending rows this instance may claim, in order, and their chats."""
    chosen: list[int] = []
    chats: dict[int, int | None] = {}
    blocked: set[int] = set()
    for row in candidates:
        if len(chosen) >= limit:
            break
        if row.chat_id is not None and row.chat_id in blocked:
            continue
        theirs = (
            row.claimed_by is not None
            and row.claimed_by != me
            and row.claimed_until is not None
            and row.claimed_until > now
        )
        if theirs:
            if row.chat_id is not None:
                blocked.add(row.chat_id)
            continue
        chosen.append(row.update_id)
        chats[row.update_id] = row.chat_id
    return chosen, chats


class SqlClaims:
    """Claim, finish, renew and release inbox rows on one connection (the caller commits)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection

    async def claim(
        self, me: str, now: datetime, until: datetime, limit: int, due: datetime | None = None
    ) -> list[InboxRow]:
        """Claim up to `limit` pending rows free to take and due at `due`, oldest first, until
        `until`."""
        if sql.is_postgres(self._s):
            await self._s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CLAIM_LOCK})
        params = {"b_due": FAR_FUTURE if due is None else due}
        candidates = (await self._s.execute(_CANDIDATES, params)).all()
        chosen, chats = choose(candidates, me, now, limit)
        if not chosen:
            return []
        statement = _CLAIM[sql.is_postgres(self._s)]
        taking = {"b_ids": chosen, "b_me": me, "b_until": until}
        claimed = {row.update_id: row for row in await self._s.execute(statement, taking)}
        # A row skipped (its former owner is just finishing it) holds back the rest of its chat.
        kept: list[InboxRow] = []
        held: set[int] = set()
        give_back: list[int] = []
        for update_id in chosen:
            chat = chats[update_id]
            row = claimed.get(update_id)
            if row is None or (chat is not None and chat in held):
                if chat is not None:
                    held.add(chat)
                if row is not None:
                    give_back.append(update_id)
                continue
            kept.append(InboxRow(row.update_id, dict(row.payload), row.attempts))
        if give_back:
            await self._s.execute(
                update(INBOX)
                .where(INBOX.c.update_id.in_(give_back))
                .values(claimed_by=None, claimed_until=None)
            )
        return kept

    async def others_pending(self, claimed: Sequence[int]) -> bool:
        """Whether a pending row other than `claimed` waits: a retry not yet due, another
        instance's claim, a chat held back."""
        found = await self._s.execute(_OTHERS_PENDING, {"b_ids": list(claimed)})
        return found.first() is not None

    async def finish(self, update_ids: Sequence[int], me: str, now: datetime) -> None:
        """Mark claimed rows handled, or raise ClaimLost (and the caller rolls back) if any of
        them is no longer this instance's."""
        if not update_ids:
            return
        params = {"b_ids": list(update_ids), "b_me": me, "b_now": now}
        done = len((await self._s.execute(_FINISH, params)).all())
        if done != len(update_ids):
            raise ClaimLost(f"{len(update_ids) - done} of {len(update_ids)} updates")

    async def renew(self, me: str, until: datetime) -> int:
        """Extend this instance's live claims to `until`; return how many it holds."""
        statement = (
            update(INBOX)
            .where(INBOX.c.claimed_by == me, INBOX.c.status == "pending")
            .values(claimed_until=until)
            .returning(INBOX.c.update_id)
        )
        return len((await self._s.execute(statement)).all())

    async def release(self, me: str) -> int:
        """Give back this instance's unfinished claims, for the others to take at once."""
        statement = (
            update(INBOX)
            .where(INBOX.c.claimed_by == me, INBOX.c.status == "pending")
            .values(claimed_by=None, claimed_until=None)
            .returning(INBOX.c.update_id)
        )
        return len((await self._s.execute(statement)).all())
