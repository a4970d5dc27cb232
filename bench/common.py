"""Shared benchmark plumbing: run a bot as a child process against the emulator and measure it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
TOKEN = "123456:BENCH-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"


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
    peak_rss_mb: float


class Child:
    """A bot process whose CPU time and peak memory are read when it exits."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path | None = None) -> None:
        # Its log goes to a file: a pipe nobody reads would stall a chatty bot once it is full.
        self.log = log or RESULTS / "child.log"
        self.log.parent.mkdir(exist_ok=True)
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                args, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=out
            )

    def stop(self) -> tuple[float, float]:
        """Stop the process; return (cpu seconds, peak RSS in MB)."""
        self.proc.send_signal(signal.SIGTERM)
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


def print_table(rows: list[Measurement], baseline: str | dict[str, str]) -> None:
    """Print rows beside the baseline measured in the same run (one for all, or one per row)."""
    by_name = {r.name: r for r in rows}
    header = f"{'bot':<26}{'updates':>8}{'upd/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms/upd':>12}{'× echo':>8}{'peak MB':>9}"
    print(header)
    print("-" * len(header))
    for r in rows:
        name = baseline if isinstance(baseline, str) else baseline.get(r.name, r.name)
        base = by_name[name]
        ratio = r.cpu_ms_per_update / base.cpu_ms_per_update if base.cpu_ms_per_update else 0.0
        print(
            f"{r.name:<26}{r.updates:>8}{r.updates_per_s:>9.0f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}"
            f"{r.cpu_ms_per_update:>12.2f}{ratio:>8.2f}{r.peak_rss_mb:>9.0f}"
        )


def save(name: str, rows: list[Measurement], extra: dict[str, object]) -> Path:
    """Write the results as JSON beside the benchmarks."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"rows": [asdict(r) for r in rows], **extra}, indent=2))
    return path


def python() -> str:
    """The interpreter running the benchmark (the project's venv)."""
    return sys.executable
