"""Inbox claims: several instances on one database take each update once, a chat's in order, and
a dead instance's updates once its lease ends."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.claims import InboxClaims
from storage.claims import ClaimLost
from storage.database import Database

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def message(update_id: int, chat: int) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {"message_id": update_id, "chat": {"id": chat}, "from": {"id": chat}},
    }


class Wall:
    """A wall clock the test moves."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


async def store(db: Database, updates: list[dict[str, Any]]) -> None:
    async with db.uow() as uow:
        await uow.inbox.add_many(updates)
        await uow.commit()


async def finish(db: Database, claims: InboxClaims, ids: list[int]) -> None:
    async with db.uow() as uow:
        await claims.finish(uow, ids, NOW)
        await uow.commit()


async def test_a_chat_waits_for_its_earlier_update_under_another_claim(database: Database) -> None:
    wall = Wall()
    one, two = (
        InboxClaims(database.uow, "one", wall=wall),
        InboxClaims(database.uow, "two", wall=wall),
    )
    await store(database, [message(1, 10), message(2, 20), message(3, 10), message(4, 30)])
    first = await one.claim(2)
    assert [r.update_id for r in first] == [1, 2]
    # Update 3 belongs to chat 10, whose update 1 "one" holds: "two" takes only chat 30's.
    assert [r.update_id for r in await two.claim(10)] == [4]
    await finish(database, two, [4])
    await finish(database, one, [1])
    assert [r.update_id for r in await two.claim(10)] == [3]


async def test_a_dead_instances_updates_are_taken_once_its_lease_ends(database: Database) -> None:
    wall = Wall()
    dead = InboxClaims(database.uow, "dead", lease=5, wall=wall)
    alive = InboxClaims(database.uow, "alive", lease=5, wall=wall)
    await store(database, [message(1, 10), message(2, 20)])
    assert len(await dead.claim(10)) == 2
    assert await alive.claim(10) == []
    wall.now += timedelta(seconds=6)
    assert [r.update_id for r in await alive.claim(10)] == [1, 2]
    # The first owner, back too late, cannot finish what it lost: its work rolls back.
    with pytest.raises(ClaimLost):
        await finish(database, dead, [1])
    await finish(database, alive, [1, 2])
    async with database.uow() as uow:
        assert await uow.inbox.pending(10) == []


async def test_a_clean_stop_gives_the_claims_back_at_once(database: Database) -> None:
    wall = Wall()
    leaving = InboxClaims(database.uow, "leaving", wall=wall)
    staying = InboxClaims(database.uow, "staying", wall=wall)
    await store(database, [message(1, 10)])
    assert len(await leaving.claim(10)) == 1
    await leaving.release()
    assert [r.update_id for r in await staying.claim(10)] == [1]


@pytest.mark.postgres
async def test_claimers_racing_take_every_update_exactly_once(postgres_url: str) -> None:
    async with Database(postgres_url) as db:
        await db.migrate()
        await store(db, [message(i, i % 7) for i in range(1, 301)])
        finished: list[int] = []  # in the order their handling committed

        async def work(name: str) -> None:
            claims = InboxClaims(db.uow, name)
            while rows := await claims.claim(8):
                for row in rows:
                    await finish(db, claims, [row.update_id])
                    finished.append(row.update_id)

        await asyncio.gather(*(work(f"instance-{n}") for n in range(4)))
        assert sorted(finished) == list(range(1, 301))
        # Each chat's updates were handled in order, whichever instances handled them.
        for chat in range(7):
            of_chat = [i for i in finished if i % 7 == chat]
            assert of_chat == sorted(of_chat)
