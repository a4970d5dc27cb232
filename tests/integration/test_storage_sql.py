"""What only the SQL store does: URLs, secrets, SQLite settings, and surviving bad rows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from flows.messages import Say
from storage.database import Database
from storage.engine import async_url, make_engine, safe_url

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SECRET = "s3cret-pa55"


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("sqlite:///data/hb.db", "sqlite+aiosqlite:///data/hb.db"),
        ("sqlite+aiosqlite:///hb.db", "sqlite+aiosqlite:///hb.db"),
        ("postgresql://u@h:5432/hb", "postgresql+asyncpg://u@h:5432/hb"),
        ("postgres://u@h/hb", "postgresql+asyncpg://u@h/hb"),
        ("postgresql+asyncpg://u@h/hb", "postgresql+asyncpg://u@h/hb"),
    ],
)
def test_urls_get_the_async_driver(given: str, used: str) -> None:
    assert async_url(given) == used


async def test_the_password_is_never_shown() -> None:
    url = f"postgresql://hb:{SECRET}@127.0.0.1:1/hb"
    assert SECRET not in safe_url(url) and "***" in safe_url(url)
    async with Database(url) as db:
        assert db.is_postgres
        assert SECRET not in repr(db)
        with pytest.raises(OSError) as refused:
            async with db.uow() as tx:
                await tx.inbox.last_update_id()
        assert SECRET not in str(refused.value)
    with pytest.raises(ValueError) as unusable:
        make_engine(f"mysql://hb:{SECRET}@h/hb")
    assert SECRET not in str(unusable.value) and "mysql://hb:***@h/hb" in str(unusable.value)
    assert unusable.value.__cause__ is None and unusable.value.__suppress_context__


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    async with Database(f"sqlite:///{tmp_path / 'hb.db'}") as db:
        assert not db.is_postgres
        async with db.engine.connect() as connection:
            pragmas = {
                name: (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 1,  # NORMAL
        "foreign_keys": 1,
        "busy_timeout": 10_000,
    }


async def test_an_unreadable_outbox_row_holds_back_only_its_own_chat(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    async with database.uow() as tx:
        await tx.outbox.add(Say(chat_id=1, key="a", language="en"), NOW)
        await tx.outbox.add(Say(chat_id=2, key="b", language="en"), NOW)
        await tx.commit()
    async with database.engine.begin() as connection:
        # as a newer version of the bot might have written it
        await connection.execute(
            text("UPDATE outbox SET payload = :payload WHERE chat_id = 1"),
            {"payload": '{"type": "sticker"}'},
        )
    async with database.uow() as tx:
        rows = await tx.outbox.pending(NOW, 10)
    assert [r.chat_id for r in rows] == [2]
    assert "cannot be read" in caplog.text


async def test_a_unit_of_work_is_used_inside_async_with(database: Database) -> None:
    uow = database.uow()
    with pytest.raises(RuntimeError):
        await uow.commit()
    async with uow:
        with pytest.raises(RuntimeError):
            await uow.__aenter__()
    async with uow:  # and may be opened again afterwards
        assert await uow.inbox.last_update_id() is None
