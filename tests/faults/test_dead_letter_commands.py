"""`hearback dead` lists the dead updates and timers; `hearback retry ID` puts one back."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from flows.model import Timer
from storage.database import Database
from tests.conftest import DEMO_CONFIG

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def seed(url: str) -> int:
    """One dead update (its text must never be printed) and one dead timer; the timer's id."""
    async with Database(url) as db:
        await db.migrate()
        async with db.uow() as uow:
            secret = {"message": {"message_id": "x", "text": "my secret words"}}
            await uow.inbox.add_many([{"update_id": 41, **secret}], NOW)
            await uow.inbox.mark_attempt_failed(41, "ValueError at translate.py:1 in f", True)
            timer = Timer("draft-remind", "nobody", NOW)
            await uow.timers.set(timer)
            [claimed] = await uow.timers.claim_due(NOW, 1)
            await uow.timers.failed(claimed, "ValueError at customer_service.py:2 in g", None)
            await uow.commit()
    assert claimed.id is not None
    return claimed.id


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'dead.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HEARBACK_CONFIG", str(DEMO_CONFIG))
    return url


def test_dead_lists_both_kinds_and_retry_puts_one_back(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    timer_id = asyncio.run(seed(url))
    assert main(["dead"]) == 0
    listed = capsys.readouterr().out
    assert "update:41" in listed and f"timer:{timer_id}" in listed
    assert "ValueError at translate.py:1" in listed and "draft-remind" in listed
    assert "secret" not in listed
    assert main(["retry", "41"]) == 0
    assert main(["retry", f"timer:{timer_id}"]) == 0
    capsys.readouterr()
    assert main(["dead"]) == 0
    assert "No dead letters" in capsys.readouterr().out
    assert main(["retry", "41"]) == 1, "no longer dead"
    assert main(["retry", "parcel:3"]) == 2
