"""Shared benchmark plumbing: run a bot as a child process against the emulator and measure it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import asyncpg
import psutil

RESULTS = Path(__file__).parent / "results"
TOKEN = "123456:BENCH-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432/test"
PG_BASE = "postgresql+asyncpg://postgres@127.0.0.1:5432"


@dataclass
class Measurement:
    """One row of a benchmark table."""

    name: str
    updates: int
    seconds: float
    updates_per_s: float
    p50_ms: float
    p99_ms: float
    cpu_ms_per_update: float
    # The whole process's CPU, start-up and migrations included, over the same updates.
    cpu_ms_with_startup: float
    peak_rss_mb: float


class Child:
    """A bot process whose CPU time and peak memory are read when it exits."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        # The log goes to a file: an unread pipe fills up and then blocks the bot mid-run.
        log, self.log = tempfile.mkstemp(prefix="bench-bot-", suffix=".log")
        self.proc = subprocess.Popen(
            args, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log
        )
        os.close(log)

    def cpu(self) -> float:
        """CPU seconds the process (all its threads) has used so far."""
        times = psutil.Process(self.proc.pid).cpu_times()
        return float(times.user + times.system)

    def log_tail(self, lines: int = 20) -> str:
        """The last lines the bot logged (for a benchmark that went wrong)."""
        return "\n".join(Path(self.log).read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> tuple[float, float]:
        """Stop the process; return (cpu seconds of its whole life, peak RSS in MB)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self._reap()
        finally:
            Path(self.log).unlink(missing_ok=True)

    async def stopped(self) -> tuple[float, float]:
        """`stop` on a thread: the emulator on this event loop keeps answering the bot's last
        calls while it stops (else its shutdown waits for Telegram, and the benchmark with it)."""
        return await asyncio.to_thread(self.stop)

    def _reap(self) -> tuple[float, float]:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                self.proc.returncode = status
                return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
            time.sleep(0.05)
        self.proc.kill()
        _, _, usage = os.wait4(self.proc.pid, 0)
        return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile of `values` (nearest rank)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def print_table(rows: list[Measurement], bases: Mapping[str, str], reference: str) -> None:
    """Print rows with CPU per update beside their own baseline and beside `reference`."""
    by_name = {r.name: r for r in rows}
    header = (
        f"{'bot':<34}{'updates':>8}{'upd/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'CPU ms/upd':>11}"
        f"{'× echo':>8}{'× ' + reference.split()[0]:>10}{'+start-up':>10}{'peak MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        own = ratio(r.cpu_ms_per_update, by_name[bases.get(r.name, r.name)].cpu_ms_per_update)
        ref = ratio(r.cpu_ms_per_update, by_name[reference].cpu_ms_per_update)
        print(
            f"{r.name:<34}{r.updates:>8}{r.updates_per_s:>8.0f}{r.p50_ms:>8.1f}{r.p99_ms:>8.1f}"
            f"{r.cpu_ms_per_update:>11.2f}{own:>8.2f}{ref:>10.2f}{r.cpu_ms_with_startup:>10.2f}"
            f"{r.peak_rss_mb:>8.0f}"
        )


def ratio(value: float, base: float) -> float:
    """value / base, or 0 when there is no base to compare with."""
    return value / base if base else 0.0


def save(name: str, rows: list[Measurement], extra: dict[str, object]) -> Path:
    """Write the results as JSON beside the benchmarks."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"rows": [asdict(r) for r in rows], **extra}, indent=2))
    return path


def python() -> str:
    """The interpreter running the benchmark (the project's venv)."""
    return sys.executable


@contextlib.asynccontextmanager
async def database(kind: str) -> AsyncIterator[str]:
    """A fresh, empty database for one measurement: a SQLite file, or a new PostgreSQL
    database dropped afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite+aiosqlite:///{folder}/bench.db"
        return
    name = f"hearback_bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(PG_SERVER)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{PG_BASE}/{name}"
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()
