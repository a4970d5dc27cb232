"""Storage fixtures: migrated SQLite files and PostgreSQL databases, and the three stores."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from storage.database import Database
from storage.migrate import upgrade
from tests import pg
from tests.fakes import FakeUnitOfWork

POSTGRES = pytest.param("postgres", marks=pytest.mark.postgres)


@pytest.fixture(scope="session")
def migrated_postgres(postgres_database: str) -> str:
    """The session's PostgreSQL database, migrated once (tests empty it with pg.truncate)."""
    pg.blocking(upgrade(postgres_database))
    return postgres_database


@pytest.fixture
async def postgres(migrated_postgres: str) -> str:
    """The migrated PostgreSQL database, emptied for this test."""
    await pg.truncate(migrated_postgres)
    return migrated_postgres


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    """A PostgreSQL database of this test's own, without any schema; dropped afterwards."""
    url = pg.create_database()
    yield url
    pg.drop_database(url)


async def _empty_database(request: pytest.FixtureRequest, kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    # getfixturevalue may only build synchronous fixtures from inside this running loop.
    url = str(request.getfixturevalue("migrated_postgres"))
    await pg.truncate(url)
    return url


@pytest.fixture(params=["sqlite", POSTGRES])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """An empty, migrated SQL database: SQLite or PostgreSQL."""
    async with Database(await _empty_database(request, request.param, tmp_path)) as db:
        await db.migrate()
        yield db


@pytest.fixture(params=["fake", "sqlite", POSTGRES])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Callable[[], Any]]:
    """A unit-of-work factory over an empty store: the fake, SQLite or PostgreSQL."""
    if request.param == "fake":
        yield FakeUnitOfWork()
        return
    async with Database(await _empty_database(request, request.param, tmp_path)) as db:
        await db.migrate()
        yield db.uow
