"""The sandbox's memory between runs, kept beside its SQLite file.

The bot's database alone is not enough to resume: the emulated Telegram (chats, messages,
topics, pending updates) and the simulated time must come back with it, or the bot's cases
would point at messages that no longer exist and its timers at a time that never came.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sandbox.demo.world import World

FORMAT = 1


class SavedError(ValueError):
    """The saved sandbox cannot be read; the message says why."""


@dataclass
class Saved:
    """One saved sandbox."""

    now: datetime  # the simulated time when it was saved
    world: World
    emulator: dict[str, Any]

    def to_json(self) -> str:
        """The file's text."""
        return json.dumps(
            {
                "format": FORMAT,
                "now": self.now.isoformat(),
                "world": self.world.to_json(),
                "emulator": self.emulator,
            },
            ensure_ascii=False,
        )


def world_file(database: Path) -> Path:
    """Where the world of the sandbox on `database` is kept: hearback-demo.db → hearback-demo.world.json."""
    return database.with_name(f"{database.stem}.world.json")


def database_files(database: Path) -> list[Path]:
    """The SQLite file and its write-ahead log files."""
    return [database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))]


def load(path: Path) -> Saved:
    """The saved sandbox, or SavedError saying what is wrong with the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise SavedError(f"{path} was written by another version of hearback")
        now = datetime.fromisoformat(data["now"])
        if now.tzinfo is None:
            raise SavedError(f"{path} has a time without a time zone")
        return Saved(now, World.from_json(data["world"]), data["emulator"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        if isinstance(error, SavedError):
            raise
        raise SavedError(f"{path} cannot be read ({type(error).__name__}: {error})") from None


def write(path: Path, text: str) -> None:
    """Replace the file atomically: a crash leaves the old or the new one, never half."""
    # A name of its own per write: two writes at once must not move each other's file.
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".partial")
    with os.fdopen(handle, "w", encoding="utf-8") as partial:
        partial.write(text)
    os.replace(name, path)


def forget(database: Path) -> None:
    """Delete the sandbox's database and world, to start clean."""
    for path in [*database_files(database), world_file(database)]:
        path.unlink(missing_ok=True)
