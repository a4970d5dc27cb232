"""Small dialect helpers shared by the repositories."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

Upsert = postgresql.Insert | sqlite.Insert


def is_postgres(session: AsyncSession) -> bool:
    """Whether the session talks to PostgreSQL (else SQLite)."""
    return session.get_bind().dialect.name == "postgresql"


def insert(session: AsyncSession, table: Table) -> Upsert:
    """An INSERT that knows ON CONFLICT, in the session's dialect (both spell it alike)."""
    if is_postgres(session):
        return postgresql.insert(table)
    return sqlite.insert(table)
