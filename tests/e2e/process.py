"""A bot as a real child process against the emulator, as an operator would start it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
from pathlib import Path

from sandbox.emulator import BotApiEmulator
from tests.conftest import DEMO_CONFIG

TOKEN = "123456:E2E-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"


class BotProcess:
    """`command` (hearback run, or a host bot with hearback in it) on a SQLite file of its own."""

    def __init__(self, emu: BotApiEmulator, db_path: Path, command: list[str]) -> None:
        self.emu = emu
        self.command = command
        self.db_path = db_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = db_path.with_suffix(".log")

    def start(self, crash_at: str | None = None) -> None:
        """Start the process; with `crash_at` it SIGKILLs itself at that crash point."""
        env = {
            **os.environ,
            "BOT_TOKEN": TOKEN,
            "DATABASE_URL": f"sqlite+aiosqlite:///{self.db_path}",
            "TELEGRAM_API_BASE": self.emu.base_url,
            "HEARBACK_CONFIG": str(DEMO_CONFIG),
            "HEARBACK_SEND_LIMITS": "off",
        }
        env.pop("HEARBACK_CRASH_AT", None)
        if crash_at:
            env["HEARBACK_CRASH_AT"] = crash_at
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(self.command, env=env, stderr=log)

    async def died(self) -> bool:
        """Whether the process has ended."""
        assert self.proc is not None
        return self.proc.poll() is not None

    def stop(self) -> int:
        """SIGTERM, as an operator stops it; return its exit code."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"no exit 30s after SIGTERM; its log:\n{self.log.read_text()}"
            ) from None

    def kill(self) -> None:
        """SIGKILL (if still running); the token must not be in what it logged."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        assert TOKEN not in self.log.read_text(), "the token leaked into the log"

    def query(self, sql: str) -> list[tuple[object, ...]]:
        """Read the bot's database."""
        with sqlite3.connect(self.db_path) as connection:
            return list(connection.execute(sql))
