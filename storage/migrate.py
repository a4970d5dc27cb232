"""Alembic, driven from code: the same migrations build the SQLite and the PostgreSQL schema."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import make_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration. A restart finds the schema there and starts without loading Alembic,
# which takes a good part of a second (tests/integration/test_migrations.py keeps it true).
HEAD = "0011"
# Any constant: bots starting together on one PostgreSQL take turns migrating.
_PG_MIGRATION_LOCK = 0x6865_6172_6261_636B  # "hearback"


def _config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


class SchemaTooNew(Exception):
    """The database was migrated by a newer hearback than this one."""


def _upgrade(connection: Connection, revision: str) -> None:
    from alembic import command
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = _config(connection)
    current = MigrationContext.configure(connection).get_current_revision()
    scripts = ScriptDirectory.from_config(config)
    if current is not None and current not in {s.revision for s in scripts.walk_revisions()}:
        raise SchemaTooNew(
            f"the database schema is at revision {current}, newer than this hearback knows "
            f"(its newest is {scripts.get_current_head()}): run the newer hearback that "
            "migrated it, or restore the database from a backup made before"
        )
    command.upgrade(config, revision)


def _downgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.downgrade(_config(connection), revision)


async def _locked(engine: AsyncEngine, step: str, revision: str) -> None:
    run = _upgrade if step == "upgrade" else _downgrade
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Held until this transaction ends, which is when the migration commits.
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
            )
        else:
            # SQLite's driver opens a transaction only before a data change, so each CREATE or
            # ALTER would commit on its own: a bot killed mid-migration left tables without
            # their version, and every start after failed. One explicit transaction instead.
            await connection.exec_driver_sql("BEGIN IMMEDIATE")
        await connection.run_sync(run, revision)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The schema's revision (None: never migrated), read without Alembic."""
    try:
        async with engine.connect() as connection:
            found = await connection.execute(text("SELECT version_num FROM alembic_version"))
            return found.scalar_one_or_none()
    except DBAPIError:  # no such table yet
        return None


async def upgrade_engine(engine: AsyncEngine, revision: str = "head") -> None:
    """Apply migrations up to `revision` through an existing engine."""
    if revision in ("head", HEAD) and await current_revision(engine) == HEAD:
        return  # the usual restart: nothing to do, and nothing to load for it
    await _locked(engine, "upgrade", revision)


async def downgrade_engine(engine: AsyncEngine, revision: str = "base") -> None:
    """Revert migrations down to `revision` through an existing engine."""
    await _locked(engine, "downgrade", revision)


async def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to `revision` on the database at `url`."""
    engine = make_engine(url)
    try:
        await upgrade_engine(engine, revision)
    finally:
        await engine.dispose()


async def downgrade(url: str, revision: str = "base") -> None:
    """Revert migrations down to `revision` on the database at `url`."""
    engine = make_engine(url)
    try:
        await downgrade_engine(engine, revision)
    finally:
        await engine.dispose()
