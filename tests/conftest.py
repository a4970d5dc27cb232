"""Fixtures shared by every test layer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.settings import load_org
from flows.config import OrgConfig
from tests import pg

DEMO_CONFIG = Path(__file__).parent.parent / "sandbox" / "demo" / "hearback.toml"
# A Monday, 10:00 in Warsaw: inside business hours, so promises are plain to check.
MONDAY_10_WARSAW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def org() -> OrgConfig:
    """The demo organisation: Acme, Europe/Warsaw, mon-fri 09-18, three categories."""
    return load_org(DEMO_CONFIG)


@pytest.fixture
def monday() -> datetime:
    """Monday 23 Nov 2026, 10:00 in Warsaw."""
    return MONDAY_10_WARSAW


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """One fresh PostgreSQL database for the whole test session."""
    url = pg.create_database()
    yield url
    pg.drop_database(url)


@pytest.fixture
async def postgres_url(postgres_database: str) -> str:
    """The session's PostgreSQL database, emptied for this test."""
    await pg.truncate(postgres_database)
    return postgres_database
