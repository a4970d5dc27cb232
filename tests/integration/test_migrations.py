"""Migrations go up and down on SQLite and PostgreSQL, from the same files, matching the models."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from flows.promise import Owes
from storage import migrate
from storage.database import Database
from storage.migrate import MIGRATIONS, downgrade, upgrade
from storage.tables import metadata

TABLES = {"customers", "cases", "case_log", "attachments", "conversations", "inbox", "outbox"}
TABLES |= {"timers", "relays", "staff", "prompts", "escalations", "reviews", "marks", "audit_log"}
TABLES |= {"staff_messages"}
HEAD = "0011"
RESTART = """
import asyncio, sys
from storage.migrate import upgrade
asyncio.run(upgrade(sys.argv[1]))
print("alembic loaded" if "alembic" in sys.modules else "alembic not loaded")
"""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind, this test's own."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    return str(request.getfixturevalue("fresh_postgres"))


def _schema(connection: Connection) -> dict[str, Any]:
    inspector = inspect(connection)
    names = set(inspector.get_table_names()) - {"alembic_version"}
    return {
        "tables": names,
        "indexes": {i["name"] for t in names for i in inspector.get_indexes(t)},
        "version": connection.exec_driver_sql(
            "SELECT version_num FROM alembic_version"
        ).scalar_one_or_none()
        if inspector.has_table("alembic_version")
        else None,
        # What autogenerate would still write: the migration must build exactly the models.
        "drift": compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), metadata
        ),
    }


async def schema(url: str) -> dict[str, Any]:
    async with Database(url) as db, db.engine.connect() as connection:
        return await connection.run_sync(_schema)


async def test_up_down_up(url: str) -> None:
    await upgrade(url)
    built = await schema(url)
    assert built["tables"] == TABLES
    assert built["version"] == HEAD
    assert built["drift"] == []
    assert {
        "ix_timers_due_at",
        "ix_outbox_status_chat_id_id",
        "ix_case_log_message_id",
        "ix_cases_topic",
        "ix_relays_to",
        "ix_case_log_at",
    } <= set(built["indexes"])
    await upgrade(url)  # applying again changes nothing
    assert await schema(url) == built

    await downgrade(url)
    gone = await schema(url)
    assert gone["tables"] == set() and gone["version"] is None

    await upgrade(url)
    assert await schema(url) == built


def test_the_known_head_is_the_newest_migration() -> None:
    assert migrate.HEAD == HEAD == ScriptDirectory(str(MIGRATIONS)).get_current_head()


async def test_a_restart_on_a_migrated_database_does_not_load_alembic(url: str) -> None:
    def restart() -> str:
        run = subprocess.run(
            [sys.executable, "-c", RESTART, url], capture_output=True, text=True, check=True
        )
        return run.stdout.strip()

    assert restart() == "alembic loaded", "a new database is migrated"
    assert restart() == "alembic not loaded", "one at the newest revision is not"
    assert (await schema(url))["version"] == HEAD


async def test_the_database_migrates_itself(url: str) -> None:
    async with Database(url) as db:
        await db.migrate()
        await db.migrate()
        async with db.uow() as tx:
            assert await tx.inbox.last_update_id() is None


async def test_cases_filed_before_the_staff_handoff_survive_the_upgrade(url: str) -> None:
    await upgrade(url, "0001")
    async with Database(url) as db, db.engine.begin() as connection:
        await connection.exec_driver_sql(
            "INSERT INTO customers (id, telegram_id, first_name, language, unreachable, created_at)"
            " VALUES (1, 5001, 'Anna', 'en', false, '2026-11-23 09:00:00+00')"
        )
        await connection.exec_driver_sql(
            "INSERT INTO cases (id, number, customer_id, category, team, manager, description,"
            " contact, state, created_at, updated_at, first_response_due, resolve_due)"
            " VALUES (1, 'HB-7K3Q9M', 1, 'delivery', 'support', 'maria', 'Lost parcel',"
            " 'telegram', 'assigned', '2026-11-23 09:00:00+00', '2026-11-23 09:00:00+00',"
            " '2026-11-23 11:00:00+00', '2026-11-25 09:00:00+00')"
        )
    await upgrade(url)
    async with Database(url) as db, db.uow() as uow:
        case = await uow.cases.get("HB-7K3Q9M")
    assert case is not None and case.description == "Lost parcel"
    assert (case.version, case.transfers, case.reopened, case.topic_id) == (0, 0, 0, None)
    assert case.promise is not None and case.promise.due == case.first_response_due
    await downgrade(url, "0001")
    async with Database(url) as db, db.engine.connect() as connection:
        count = await connection.exec_driver_sql("SELECT count(*) FROM cases")
        assert count.scalar_one() == 1


async def test_an_open_cases_next_update_becomes_its_promise(url: str) -> None:
    await upgrade(url, "0003")
    async with Database(url) as db, db.engine.begin() as connection:
        await connection.exec_driver_sql(
            "INSERT INTO customers (id, telegram_id, first_name, language, unreachable, created_at)"
            " VALUES (1, 5001, 'Anna', 'en', false, '2026-11-23 09:00:00+00')"
        )
        for number, state, owner, update in (
            ("HB-7K3Q9M", "assigned", "7001, 'Piotr (Support)'", "'2026-11-23 13:00:00+00'"),
            ("HB-8K3Q9M", "waiting_for_customer", "NULL, NULL", "NULL"),
            ("HB-9K3Q9M", "closed", "NULL, NULL", "NULL"),
        ):
            await connection.exec_driver_sql(
                "INSERT INTO cases (number, customer_id, category, team, manager, description,"
                " contact, state, owner_id, owner_name, created_at, updated_at,"
                " first_response_due, resolve_due, next_update_due, transfers, reopened,"
                " customer_header, version)"
                f" VALUES ('{number}', 1, 'delivery', 'support', 'maria', 'Lost parcel',"
                f" 'telegram', '{state}', {owner}, '2026-11-23 09:00:00+00',"
                " '2026-11-23 09:00:00+00', '2026-11-23 11:00:00+00', '2026-11-25 09:00:00+00',"
                f" {update}, 0, 0, false, 0)"
            )
        await connection.exec_driver_sql(
            "INSERT INTO timers (kind, key, due_at, payload) VALUES"
            " ('case_update', 'HB-7K3Q9M', '2026-11-23 13:00:00+00', '{}'),"
            " ('sla_first', 'HB-7K3Q9M', '2026-11-23 11:00:00+00', '{}')"
        )
    await upgrade(url)
    async with Database(url) as db, db.uow() as uow:
        owned = await uow.cases.get("HB-7K3Q9M")
        waiting = await uow.cases.get("HB-8K3Q9M")
        closed = await uow.cases.get("HB-9K3Q9M")
        due = await uow.timers.claim_due(datetime(2026, 11, 24, tzinfo=UTC), 10)
    assert owned is not None and owned.promise is not None
    assert owned.promise.debtor == "staff:7001" and owned.promise.name == "Piotr"
    assert owned.promise.due == datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    assert owned.promise.owes is Owes.ANSWER  # nobody had answered yet
    assert waiting is not None and waiting.promise is None
    assert closed is not None and closed.promise is None
    assert [(t.kind, t.key) for t in due] == [("promise", "HB-7K3Q9M")]
    await downgrade(url, "0003")
    async with Database(url) as db, db.engine.connect() as connection:
        back = await connection.exec_driver_sql(
            "SELECT next_update_due FROM cases WHERE number = 'HB-7K3Q9M'"
        )
        assert back.scalar_one() is not None


async def test_the_privacy_upgrade_drops_the_customers_phone_and_stored_content(url: str) -> None:
    await upgrade(url, "0005")
    topic_message = '{"type": "say", "chat_id": -100, "key": "card", "topic_of": "HB-7K3Q9M"}'
    to_manager = '{"type": "say", "chat_id": 111, "key": "m", "params": {"number": "HB-7K3Q9M"}}'
    async with Database(url) as db, db.engine.begin() as connection:
        await connection.exec_driver_sql(
            "INSERT INTO customers (id, telegram_id, first_name, language, phone, unreachable,"
            " created_at) VALUES (1, 5001, 'Anna', 'en', '+48600100200', false,"
            " '2026-11-23 09:00:00+00')"
        )
        await connection.exec_driver_sql(
            "INSERT INTO cases (number, customer_id, category, team, manager, description,"
            " contact, state, created_at, updated_at, first_response_due, resolve_due,"
            " transfers, reopened, customer_header, version) VALUES ('HB-7K3Q9M', 1, 'delivery',"
            " 'support', 'maria', 'Lost parcel', 'telegram', 'closed', '2026-11-23 09:00:00+00',"
            " '2026-11-23 09:00:00+00', '2026-11-23 11:00:00+00', '2026-11-25 09:00:00+00',"
            " 0, 0, false, 0)"
        )
        for payload, status, message_id in (
            (topic_message, "sent", 41),
            (to_manager, "pending", "NULL"),
            ('{"type": "say", "chat_id": 5001, "key": "help"}', "sent", 42),
        ):
            await connection.exec_driver_sql(
                "INSERT INTO outbox (chat_id, payload, priority, status, attempts, created_at,"
                f" telegram_message_id) VALUES (-100, '{payload}', 0, '{status}', 0,"
                f" '2026-11-23 09:00:00+00', {message_id})"
            )
        await connection.exec_driver_sql(
            "INSERT INTO inbox (update_id, payload, received_at, status, attempts) VALUES"
            " (7, '{\"message\": {\"text\": \"my words\"}}', '2026-11-23 09:00:00+00', 'done', 0)"
        )
    await upgrade(url)
    async with Database(url) as db:
        async with db.uow() as uow:
            customer = await uow.customers.by_telegram_id(5001)
            assert customer is not None and customer.exported_at is None
        async with db.engine.connect() as connection:
            rows = await connection.exec_driver_sql(
                "SELECT case_number, status, payload FROM outbox ORDER BY id"
            )
            outbox = [
                (r[0], r[1], r[2] if isinstance(r[2], dict) else json.loads(r[2])) for r in rows
            ]
            inbox = (await connection.exec_driver_sql("SELECT payload FROM inbox")).scalar_one()
    assert [(number, status) for number, status, _ in outbox] == [
        ("HB-7K3Q9M", "sent"),
        ("HB-7K3Q9M", "pending"),
        (None, "sent"),
    ]
    assert [payload for _, status, payload in outbox if status == "sent"] == [{}, {}]
    assert outbox[1][2]["key"] == "m", "what is still to be sent keeps its content"
    assert (inbox if isinstance(inbox, dict) else json.loads(inbox)) == {}

    async with Database(url) as db, db.uow() as uow:
        erased_at = datetime(2026, 11, 24, tzinfo=UTC)
        sent = await uow.privacy.erase_case("HB-7K3Q9M", erased_at, frozenset())
        assert sent == {-100: [41]}, "the backfilled case of a delivered message finds it"
        await uow.privacy.delete_customer(1)
        await uow.commit()
    await downgrade(url, "0005")
    async with Database(url) as db, db.engine.connect() as connection:
        owner = await connection.exec_driver_sql(
            "SELECT customers.telegram_id, customers.first_name FROM cases"
            " JOIN customers ON customers.id = cases.customer_id"
        )
        assert owner.one() == (0, "(erased)"), "an erased case gets a stand-in customer"
