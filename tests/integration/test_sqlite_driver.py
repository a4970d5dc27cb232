"""The SQLite driver: statements on each connection's own thread, quick ones on the event loop
without ever waiting there."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, exc, text

from storage.database import Database
from storage.engine import make_engine
from storage.sql import quick
from storage.sqlite_driver import CHECKPOINT_ROWS
from tests.e2e.chat import eventually


def _on_connect(db: Database, name: str, arity: int, function: Any) -> None:
    def register(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.create_function(name, arity, function)

    event.listen(db.engine.sync_engine, "connect", register)


async def _one_row_table(db: Database) -> None:
    """Table t with row (1, 'kept')."""
    async with db.engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
        await connection.execute(text("INSERT INTO t VALUES (1, 'kept')"))


async def _no_driver_threads() -> bool:
    return not any(thread.name == "hearback-sqlite" for thread in threading.enumerate())


@pytest.mark.parametrize("scheme", ["sqlite", "sqlite+aiosqlite"])
def test_every_sqlite_url_runs_through_our_driver(tmp_path: Path, scheme: str) -> None:
    engine = make_engine(f"{scheme}:///{tmp_path / 'hb.db'}")
    assert engine.dialect.driver == "hearback" and engine.dialect.is_async


async def test_a_statement_waiting_on_its_thread_leaves_the_event_loop_free(
    tmp_path: Path,
) -> None:
    """The statement blocks until the event loop lets it go: it could not if it ran on the loop."""
    started, released = threading.Event(), threading.Event()

    def hold() -> int:
        started.set()
        return 1 if released.wait(timeout=10) else 0

    async with Database(f"sqlite:///{tmp_path / 'hb.db'}") as db:
        _on_connect(db, "hold", 0, hold)

        async def held() -> int:
            async with db.engine.connect() as connection:
                return int((await connection.execute(text("SELECT hold()"))).scalar_one())

        statement = asyncio.create_task(held())

        async def running() -> bool:
            return started.is_set()

        await eventually(running, 10, "the statement to start")
        assert not statement.done()
        released.set()
        assert await asyncio.wait_for(statement, 10) == 1


async def test_a_connection_keeps_one_thread_that_is_not_the_loops(tmp_path: Path) -> None:
    async with Database(f"sqlite:///{tmp_path / 'hb.db'}") as db:
        _on_connect(db, "thread_id", 0, threading.get_ident)
        seen = set()
        for _ in range(3):
            async with db.engine.connect() as connection:
                seen.add((await connection.execute(text("SELECT thread_id()"))).scalar_one())
        assert len(seen) == 1 and threading.get_ident() not in seen
    await eventually(_no_driver_threads, 10, "the connection's thread to end")


async def test_errors_arrive_as_sqlalchemys_and_the_connection_goes_on(tmp_path: Path) -> None:
    async with Database(f"sqlite:///{tmp_path / 'hb.db'}") as db:
        await _one_row_table(db)
        with pytest.raises(exc.IntegrityError):
            async with db.engine.begin() as connection:
                await connection.execute(text("INSERT INTO t VALUES (2, 'undone')"))
                await connection.execute(text("INSERT INTO t VALUES (1, 'twice')"))
        with pytest.raises(exc.OperationalError):
            async with db.engine.connect() as connection:
                await connection.execute(text("SELECT nothing FROM nowhere"))
        async with db.engine.connect() as connection:
            rows = (await connection.execute(text("SELECT id, v FROM t ORDER BY id"))).all()
            many = await connection.execute(
                text("INSERT INTO t (v) VALUES (:v)"), [{"v": "a"}, {"v": "b"}]
            )
            await connection.commit()
        assert [tuple(row) for row in rows] == [(1, "kept")]
        assert many.rowcount == 2


async def test_a_statement_that_fails_first_leaves_no_transaction_behind(tmp_path: Path) -> None:
    """pysqlite begins a transaction before a write even if the write then fails: it must end."""
    path = tmp_path / "hb.db"
    async with Database(f"sqlite:///{path}") as db:
        await _one_row_table(db)
        with pytest.raises(exc.IntegrityError):
            async with db.engine.connect() as connection:
                await connection.execute(text("INSERT INTO t VALUES (1, 'twice')"))
        # Another process (`hearback migrate`, an operator's tool) writes without waiting.
        with sqlite3.connect(path, timeout=0) as outside:
            outside.execute("INSERT INTO t VALUES (2, 'outside')")
        async with db.engine.connect() as connection:
            ids = (await connection.execute(text("SELECT id FROM t ORDER BY id"))).scalars().all()
        assert ids == [1, 2]


async def test_a_quick_statement_runs_on_the_event_loop(tmp_path: Path) -> None:
    async with Database(f"sqlite:///{tmp_path / 'hb.db'}") as db:
        _on_connect(db, "thread_id", 0, threading.get_ident)
        async with db.engine.connect() as connection:
            here = (await connection.execute(quick(text("SELECT thread_id()")))).scalar_one()
            there = (await connection.execute(text("SELECT thread_id()"))).scalar_one()
        assert here == threading.get_ident() != there


async def test_a_quick_write_meeting_another_process_lock_waits_for_it_off_the_loop(
    tmp_path: Path,
) -> None:
    """Another process (an operator's tool) holds the write lock: the bot's write waits on its
    thread while the event loop goes on, and is done once the lock is let go."""
    path = tmp_path / "hb.db"
    async with Database(f"sqlite:///{path}") as db:
        await _one_row_table(db)
        outside = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            outside.execute("BEGIN IMMEDIATE")
            outside.execute("INSERT INTO t VALUES (2, 'outside')")
            trying = asyncio.Event()

            async def write() -> None:
                async with db.engine.connect() as connection:
                    trying.set()  # the statement runs in this same step, up to its first wait
                    await connection.execute(quick(text("INSERT INTO t VALUES (3, 'bot')")))
                    await connection.commit()

            writing = asyncio.create_task(write())
            await trying.wait()
            assert not writing.done()  # waiting for the lock, and the loop is free: we are here
            outside.execute("COMMIT")
            await asyncio.wait_for(writing, 10)
        finally:
            outside.close()
        async with db.engine.connect() as connection:
            ids = (await connection.execute(text("SELECT id FROM t ORDER BY id"))).scalars().all()
        assert ids == [1, 2, 3]


async def test_the_write_ahead_log_is_checkpointed_as_rows_change(tmp_path: Path) -> None:
    """Commits on the loop never checkpoint there; the log is still copied into the database
    (on the thread) every CHECKPOINT_ROWS changed rows, so it does not grow without end."""
    path = tmp_path / "hb.db"
    commits = 10 * CHECKPOINT_ROWS
    async with Database(f"sqlite:///{path}") as db:
        await _one_row_table(db)
        add = quick(text("INSERT INTO t (v) VALUES (:v)"))
        for n in range(commits):
            async with db.engine.connect() as connection:
                await connection.execute(add, {"v": f"row {n}"})
                await connection.commit()
        with sqlite3.connect(path) as outside:
            _busy, frames, _copied = outside.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            rows = outside.execute("SELECT count(*) FROM t").fetchone()[0]
    assert rows == commits + 1
    assert 0 <= frames < commits / 2  # every commit wrote at least one frame
