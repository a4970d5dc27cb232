"""`hearback dead` and `hearback retry ID`: the updates and timers set aside, and replaying one.

An update or timer that failed every attempt is set aside (a dead letter) so that the others go
on. Once the cause is fixed, `hearback retry` puts it back in line; the running bot handles it
within seconds, or at its next start.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import datetime

from storage.database import Database
from storage.inbox import DeadUpdate
from storage.timers import DeadTimer


@dataclass(frozen=True)
class DeadLetters:
    """Everything set aside: updates and timers."""

    updates: list[DeadUpdate]
    timers: list[DeadTimer]


def letter_id(text: str) -> tuple[str, int]:
    """`17` or `update:17` names an update, `timer:5` a timer."""
    kind, _, number = text.rpartition(":")
    kind = kind or "update"
    if kind not in ("update", "timer") or not number.isdigit():
        raise argparse.ArgumentTypeError(
            f'"{text}" names no dead letter: write an update id (17 or update:17) or a timer '
            "id (timer:5), as `hearback dead` lists them"
        )
    return kind, int(number)


async def dead_letters(url: str) -> DeadLetters:
    """Read the dead letters of the database at `url`."""
    async with Database(url) as db:
        await db.migrate()
        async with db.uow() as uow:
            return DeadLetters(await uow.inbox.dead(), await uow.timers.dead())


async def retry(url: str, kind: str, number: int, now: datetime) -> bool:
    """Put one dead letter back in line; False if there is no such dead letter."""
    async with Database(url) as db:
        await db.migrate()
        async with db.uow() as uow:
            if kind == "timer":
                revived = await uow.timers.revive(number, now)
            else:
                revived = await uow.inbox.revive(number)
            await uow.commit()
    return revived


def table(letters: DeadLetters) -> str:
    """The dead letters as lines for the terminal: id, when, attempts, error (never content)."""
    if not letters.updates and not letters.timers:
        return "No dead letters: every update and timer was handled."
    lines = [f"{'ID':<16} {'WHEN':<20} {'ATTEMPTS':>8}  ERROR"]
    for update in letters.updates:
        when = f"{update.received_at:%Y-%m-%d %H:%M:%S}"
        lines.append(
            f"{'update:' + str(update.update_id):<16} {when:<20} {update.attempts:>8}  {update.error}"
        )
    for timer in letters.timers:
        when = f"{timer.due_at:%Y-%m-%d %H:%M:%S}"
        name = f"timer:{timer.id}"
        lines.append(f"{name:<16} {when:<20} {timer.attempts:>8}  {timer.kind}: {timer.error}")
    lines.append("")
    lines.append("Fix the cause, then replay one with `hearback retry ID` (times are UTC).")
    return "\n".join(lines)
