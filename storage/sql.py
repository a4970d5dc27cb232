"""Small dialect helpers shared by the repositories.

Statements are built once, at import or on first use per dialect, and executed with their
values as parameters: building a statement per call (and SQLAlchemy working out its cache key
from the values each time) cost more than running it.
"""

from __future__ import annotations

from dataclasses import fields
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Table
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.base import Executable

from storage.sqlite_driver import QUICK

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql

    Upsert = postgresql.Insert | sqlite.Insert

E = TypeVar("E", bound=Executable)


def quick(statement: E) -> E:
    """The statement, marked as touching a few rows found through an index whatever the size of
    the tables: on SQLite it runs on the event loop (storage.sqlite_driver), which is cheaper
    than a trip to the connection's thread. Never for a scan, a count or a batch."""
    return statement.execution_options(**{QUICK: True})


def is_postgres(connection: AsyncConnection) -> bool:
    """Whether the connection talks to PostgreSQL (else SQLite)."""
    return connection.dialect.name == "postgresql"


def insert(connection: AsyncConnection, table: Table) -> Upsert:
    """An INSERT that knows ON CONFLICT, in the connection's dialect (both spell it alike)."""
    return _insert(is_postgres(connection), table)


def _insert(postgres: bool, table: Table) -> Upsert:
    if postgres:
        # Imported when needed: on SQLite, PostgreSQL's dialect only slowed the start.
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    return sqlite.insert(table)


@cache
def _upsert(postgres: bool, table: Table, keys: tuple[str, ...], columns: tuple[str, ...]) -> Any:
    statement = _insert(postgres, table)
    # Quick: one row, found by its unique key.
    return quick(
        statement.on_conflict_do_update(
            index_elements=[table.c[key] for key in keys],
            set_={name: statement.excluded[name] for name in columns},
        )
    )


@cache
def _insert_new(postgres: bool, table: Table, keys: tuple[str, ...]) -> Any:
    columns = [table.c[key] for key in keys]
    statement = _insert(postgres, table).on_conflict_do_nothing(index_elements=columns)
    return quick(statement.returning(*columns))


def insert_new(connection: AsyncConnection, table: Table, keys: tuple[str, ...]) -> Any:
    """INSERT … of rows whose `keys` are not stored yet (the others are left out), RETURNING
    the keys of those inserted; executed with a list of rows, built and compiled once."""
    return _insert_new(is_postgres(connection), table, keys)


def upsert(
    connection: AsyncConnection, table: Table, keys: tuple[str, ...], columns: tuple[str, ...]
) -> Any:
    """INSERT …; on a clash of `keys`, UPDATE `columns` instead; values come as parameters."""
    return _upsert(is_postgres(connection), table, keys, columns)


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in fields(kind))


def values_of(record: Any, *leave_out: str) -> dict[str, Any]:
    """A dataclass's fields as column values (a shallow copy, unlike dataclasses.asdict)."""
    return {
        name: getattr(record, name)
        for name in _field_names(record.__class__)
        if name not in leave_out
    }
