"""hearback instances as real processes in webhook mode on one PostgreSQL, behind a balancer, as
they run in production (see compose.yaml); shared by the tests and bench/scale.py."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from sandbox.emulator import BotApiEmulator

TOKEN = "123456:E2E-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
SECRET = "instances-webhook-secret"
HOOK = "/tg/hook"
DEMO_CONFIG = Path(__file__).resolve().parents[2] / "sandbox" / "demo" / "hearback.toml"


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Instance:
    """`hearback run` in webhook mode, listening on a port of its own."""

    def __init__(
        self, emu: BotApiEmulator, database_url: str, webhook_base: str, log: Path
    ) -> None:
        self.port = free_port()
        self.log = log
        self.env = {
            **os.environ,
            "BOT_TOKEN": TOKEN,
            "DATABASE_URL": database_url,
            "TELEGRAM_API_BASE": emu.base_url,
            "HEARBACK_CONFIG": str(DEMO_CONFIG),
            "HEARBACK_SEND_LIMITS": "off",
            "WEBHOOK_URL": f"{webhook_base}{HOOK}",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": f"127.0.0.1:{self.port}",
            "HEARBACK_LOG_FORMAT": "json",
        }
        self.env.pop("HEARBACK_CRASH_AT", None)
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        """Where its listener answers."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the process."""
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run"], env=self.env, stderr=log
            )

    async def ready(self, timeout: float = 180) -> None:
        """Wait until /readyz answers 200."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3)) as http:
            while loop.time() < deadline:
                assert self.proc is not None and self.proc.poll() is None, self.log.read_text()
                try:
                    async with http.get(f"{self.base}/readyz") as answer:
                        if answer.status == 200:
                            return
                except (aiohttp.ClientError, OSError):
                    pass
                await asyncio.sleep(0.1)  # polling inside a deadline
        raise AssertionError(
            f"instance on {self.port} not ready in {timeout}s:\n{self.log.read_text()}"
        )

    async def metrics(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        """Its /metrics, by (name, labels)."""
        async with aiohttp.ClientSession() as http, http.get(f"{self.base}/metrics") as answer:
            text = await answer.text()
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        }

    async def name(self) -> str:
        """The name its inbox claims carry."""
        found = await self.metrics()
        return next(
            dict(labels)["name"] for (metric, labels) in found if metric == "hearback_instance"
        )

    async def sending(self) -> bool:
        """Whether it holds the sending role."""
        return (await self.metrics())[("hearback_sender_active", ())] == 1

    def cpu_seconds(self) -> float:
        """CPU time the process used so far (user + system)."""
        assert self.proc is not None
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def kill(self) -> None:
        """SIGKILL, like a crashed machine."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM, and wait; SIGKILL if it does not stop."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
