"""The PostgreSQL every machine has at 127.0.0.1:5432: fresh, uniquely named test databases.

Shared by the integration and end-to-end tests. When the server cannot be reached, tests that
need it are skipped, except under CI (CI=true), where they fail: nothing is skipped silently.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import uuid
from collections.abc import Coroutine
from typing import Any, TypeVar

import asyncpg
import pytest

from storage.tables import metadata

SERVER = "postgresql://postgres@127.0.0.1:5432/test"
BASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432"
TABLES = tuple(table.name for table in metadata.sorted_tables)
T = TypeVar("T")


def unreachable(reason: str) -> None:
    """Fail under CI (nothing may be skipped silently there); skip with the reason elsewhere."""
    message = f"PostgreSQL at 127.0.0.1:5432 is not reachable ({reason})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + "; CI needs it", pytrace=False)
    pytest.skip(message)


def blocking(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end from synchronous code, even inside a running event loop."""
    # A thread with its own loop: session fixtures may be set up from inside a test's loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(SERVER, timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def create_database() -> str:
    """Create an empty uniquely named database; return its asyncpg SQLAlchemy URL."""
    name = f"hearback_test_{uuid.uuid4().hex[:12]}"
    try:
        blocking(_admin(f'CREATE DATABASE "{name}"'))
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        unreachable(f"{type(error).__name__}: {error}")
    return f"{BASE_URL}/{name}"


def drop_database(url: str) -> None:
    """Drop a database made by create_database, even if connections to it linger."""
    name = url.rsplit("/", 1)[1]
    blocking(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def truncate(url: str) -> None:
    """Empty every hearback table (if the schema exists) and restart the ids."""
    connection = await asyncpg.connect(url.replace("+asyncpg", ""), timeout=5)
    try:
        exists = await connection.fetchval("SELECT to_regclass('public.cases') IS NOT NULL")
        if exists:
            await connection.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()
