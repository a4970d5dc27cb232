"""The sender hears of queued messages: at commit in process, and from other instances over
PostgreSQL's LISTEN/NOTIFY; a rolled-back transaction wakes nobody."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.messages import Say
from storage.database import Database
from storage.wakeup import Listener

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DEADLINE = 10.0


async def queue(db: Database, chat_id: int, commit: bool = True) -> None:
    """Queue one message, and commit it (or not)."""
    async with db.uow() as tx:
        await tx.outbox.add(Say(chat_id, "help", "en"), NOW)
        if commit:
            await tx.commit()


@pytest.mark.postgres
async def test_another_instance_hears_of_rows_queued_here_once_they_commit(postgres: str) -> None:
    async with Database(postgres) as sending, Database(postgres) as writing:
        heard = asyncio.Event()
        listener = Listener(sending.engine)
        await listener.start(heard.set)
        try:
            assert listener.listening
            await queue(writing, 1, commit=False)
            await queue(writing, 2)
            async with asyncio.timeout(DEADLINE):
                await heard.wait()
        finally:
            await listener.stop()
        assert not listener.listening


async def test_a_commit_that_queued_rows_wakes_the_sender_in_process(tmp_path: Path) -> None:
    async with Database(f"sqlite+aiosqlite:///{tmp_path / 'wake.db'}") as db:
        await db.migrate()
        woken: list[int] = []
        db.on_outbox.append(lambda: woken.append(1))
        await queue(db, 1, commit=False)
        assert woken == [], "nothing committed, nothing to send"
        await queue(db, 1)
        assert woken == [1]
        async with db.uow() as tx:
            await tx.outbox.counts()
            await tx.commit()
        assert woken == [1], "a commit that queued nothing wakes nobody"
