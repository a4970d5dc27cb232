"""`hearback export-customer` and `hearback forget`: requests that come another way, audited."""

from __future__ import annotations

import asyncio
import getpass
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from flows import promise
from flows.lifecycle import CaseState
from flows.messages import Say
from flows.model import Case, CaseLogEntry, Customer
from flows.promise import Owes
from storage.database import Database
from storage.outbox import OutboxRow
from tests.conftest import DEMO_CONFIG

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ANNA = 5001


async def seed(url: str) -> None:
    """Anna, with one open case and what she wrote in it."""
    async with Database(url) as db:
        await db.migrate()
        async with db.uow() as uow:
            anna = await uow.customers.add(
                Customer(ANNA, "Anna", "en", NOW, last_name="Kowalczyk", username="anna_k")
            )
            assert anna.id is not None
            await uow.cases.add(
                Case(
                    number="HB-7K3Q9M",
                    customer_id=anna.id,
                    category="delivery",
                    team="support",
                    manager="maria",
                    description="My parcel never arrived.",
                    contact="phone",
                    phone="+48600100200",
                    state=CaseState.WAITING_FOR_AGENT,
                    created_at=NOW,
                    updated_at=NOW,
                    first_response_due=NOW + timedelta(hours=2),
                    resolve_due=NOW + timedelta(days=2),
                    promise=promise.for_team(
                        "support", Owes.ANSWER, NOW + timedelta(hours=2), promise.REGISTERED, NOW
                    ),
                )
            )
            await uow.log.append(
                CaseLogEntry("HB-7K3Q9M", NOW, "message", "customer", "It was a red box.")
            )
            await uow.commit()


async def after(url: str) -> tuple[Customer | None, Case | None, list[str], list[OutboxRow]]:
    async with Database(url) as db, db.uow() as uow:
        audit = [f"{e.actor} {e.action}" for e in await uow.audit.latest(10)]
        pending = await uow.outbox.pending(datetime.now(UTC), 10)
        return (
            await uow.customers.by_telegram_id(ANNA),
            await uow.cases.get("HB-7K3Q9M"),
            audit,
            pending,
        )


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hearback.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HEARBACK_CONFIG", str(DEMO_CONFIG))
    asyncio.run(seed(url))
    return url


def test_an_operator_exports_and_erases_a_customer_and_the_audit_log_says_who(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    operator = f"operator:{getpass.getuser()}"
    out = tmp_path / "anna.json"
    assert main(["export-customer", "--telegram-id", str(ANNA), "--output", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["profile"]["username"] == "anna_k"
    [case] = document["cases"]
    assert case["phone"] == "+48600100200"
    assert [e["text"] for e in case["history"]] == ["It was a red box."]
    assert "Wrote 1 case(s)" in capsys.readouterr().err

    assert main(["forget", "--telegram-id", str(ANNA)]) == 0
    said = capsys.readouterr().out
    assert "1 case(s) stay as anonymous figures only, 1 open one(s) withdrawn" in said
    customer, erased, audit, pending = asyncio.run(after(url))
    assert customer is None and erased is not None
    assert (erased.state, erased.description, erased.phone) == (CaseState.WITHDRAWN, "", None)
    assert audit == [f"{operator} erasure", f"{operator} export"]
    to_her = [row.message for row in pending if row.chat_id == ANNA]
    assert [m.key for m in to_her if isinstance(m, Say)] == ["forget-done"], "she is told"


def test_an_unknown_telegram_id_is_said_plainly(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export-customer", "--telegram-id", "999"]) == 1
    assert "keeps no customer with Telegram id 999" in capsys.readouterr().err
    assert main(["forget", "--telegram-id", "999"]) == 0
    assert "keeps no customer with Telegram id 999" in capsys.readouterr().out
    customer, _, audit, pending = asyncio.run(after(url))
    assert customer is not None, "nobody else is touched"
    assert len(audit) == 2 and not [row for row in pending if row.chat_id == 999]


def test_exporting_the_cases_histories_is_audited_too(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "events.csv"
    assert main(["export", "--since", "2026-11-01", "--out", str(out)]) == 0
    assert main(["export", "--since", "2026-11-01", "--out", str(out), "--events"]) == 0
    assert "It was a red box." in out.read_text(encoding="utf-8")
    _, _, audit, _ = asyncio.run(after(url))
    assert audit == [f"operator:{getpass.getuser()} export-events"], "only what customers wrote"
