"""Waiting on the bot's database with a deadline, and moving a failing update to its end."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import timedelta

from bot.clock import ManualClock
from tests.e2e.chat import eventually
from tests.e2e.conftest import Running
from tests.faults.conftest import POLICY


async def until(check: Callable[[], bool], timeout: float = 10, what: str = "condition") -> None:
    """Wait, with a deadline, for a condition read from the bot's database."""

    async def holds() -> bool:
        return check()

    await eventually(holds, timeout, what)


def rows(bot: Running, sql: str) -> list[tuple[object, ...]]:
    """Read the bot's SQLite database."""
    path = bot.app.db.engine.url.database
    assert path is not None
    with sqlite3.connect(path) as connection:
        return list(connection.execute(sql))


def attempts(bot: Running, update_id: int) -> int:
    """Failed attempts of an update so far."""
    found = rows(bot, f"SELECT attempts FROM inbox WHERE update_id = {update_id}")
    return int(str(found[0][0])) if found else 0


async def exhaust(bot: Running, clock: ManualClock, update_id: int) -> None:
    """Move the clock through every spaced attempt of a failing update, until it is set aside."""
    for failed, delay in enumerate(POLICY.delays, start=1):
        await until(
            lambda failed=failed: attempts(bot, update_id) >= failed,  # type: ignore[misc]
            what=f"attempt {failed} of update {update_id}",
        )
        clock.advance(timedelta(seconds=delay))
        bot.app.processor.wake()
    await until(
        lambda: rows(bot, f"SELECT status FROM inbox WHERE update_id = {update_id}") == [("dead",)],
        what=f"update {update_id} set aside",
    )
