"""The deployment files: compose.yaml's structure, the Dockerfile's promises, and the image's
entrypoint (`hearback …`) run as a plain process, since no container engine runs here."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web

ROOT = Path(__file__).resolve().parents[2]
SECRET_NAMES = {"BOT_TOKEN", "WEBHOOK_SECRET", "DATABASE_URL", "POSTGRES_PASSWORD"}


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return loaded


def hearback(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`hearback …` as the image's ENTRYPOINT runs it, in a clean environment."""
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_compose_runs_postgres_a_migration_two_webhook_replicas_and_a_tls_proxy() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "migrate", "hearback", "caddy"}
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    replicas = services["hearback"]
    assert replicas["command"] == ["run"]
    assert replicas["deploy"]["replicas"] == 2
    assert replicas["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert replicas["environment"]["WEBHOOK_URL"].startswith("https://")
    assert replicas["environment"]["WEBHOOK_URL"].endswith("/tg/hook")
    assert replicas["healthcheck"]["test"] == ["CMD", "hearback", "health"]
    assert "healthcheck" in services["postgres"]
    proxy = services["caddy"]
    assert "443:443" in proxy["ports"]
    assert proxy["depends_on"]["hearback"]["condition"] == "service_healthy"
    # Only the proxy is reachable from outside.
    assert [name for name, s in services.items() if "ports" in s] == ["caddy"]


def test_compose_keeps_every_secret_out_of_the_file() -> None:
    document = compose()
    for name, service in document["services"].items():
        environment = service.get("environment") or {}
        assert not SECRET_NAMES & set(environment), f"{name} has a secret inline"
    for secret in document["secrets"].values():
        assert set(secret) == {"file"} and secret["file"].startswith("./secrets/")
    for service in ("migrate", "hearback"):
        assert set(document["services"][service]["secrets"]) == {
            "bot_token",
            "webhook_secret",
            "database_url",
        }
    assert "secrets" in (ROOT / ".dockerignore").read_text().split()


def test_the_caddyfile_sends_only_the_webhook_to_the_replicas() -> None:
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "handle /tg/hook" in caddyfile
    assert "dynamic a hearback 8080" in caddyfile
    assert "respond 404" in caddyfile


def test_the_image_is_slim_runs_as_a_user_and_checks_its_health() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    bases = [line.split()[1] for line in lines if line.startswith("FROM ")]
    assert all(base.startswith("python:") and base.endswith("-slim") for base in bases)
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert any(line.startswith("HEALTHCHECK") and "hearback" in line for line in lines)
    assert 'ENTRYPOINT ["hearback"]' in lines
    assert 'CMD ["run"]' in lines


def test_webhook_mode_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    ran = hearback(
        "run",
        env={
            "BOT_TOKEN": "123456:E2E-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'hb.db'}",
            "HEARBACK_CONFIG": str(ROOT / "sandbox" / "demo" / "hearback.toml"),
            "WEBHOOK_URL": "https://bot.example.com/tg/hook",
        },
    )
    assert ran.returncode == 2
    assert "WEBHOOK_SECRET is not" in ran.stderr
    assert "123456:E2E" not in ran.stderr + ran.stdout


def test_secrets_are_read_from_files_as_compose_mounts_them(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "bot_token").write_text("123456:E2E-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    (secrets / "database_url").write_text(f"sqlite:///{tmp_path / 'from-secret.db'}")
    ran = hearback(
        "migrate",
        env={"HEARBACK_SECRETS_DIR": str(secrets)},
    )
    assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "from-secret.db").exists()


async def test_the_health_check_asks_the_running_listener() -> None:
    async def alive(request: web.Request) -> web.Response:
        return web.Response(text="alive")

    app = web.Application()
    app.router.add_get("/healthz", alive)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    env = {"WEBHOOK_URL": "https://bot.example.com/tg/hook", "WEBHOOK_LISTEN": f"0.0.0.0:{port}"}
    try:
        healthy = await asyncio.to_thread(hearback, "health", env=env)
    finally:
        await runner.cleanup()
    assert healthy.returncode == 0, healthy.stderr
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nobody = probe.getsockname()[1]
    gone = hearback("health", env={**env, "WEBHOOK_LISTEN": f"0.0.0.0:{nobody}"})
    assert gone.returncode == 1
