"""Settings: secrets and deployment from the environment, the organisation from a TOML file.

Both are loaded here, and `problems()` explains in plain words everything that is wrong, for
`hearback check-config` and for a clear refusal to start.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.tone_rules import builtin_rules
from flows.config import OrgConfig

_TOKEN = re.compile(r"^\d{5,16}:[A-Za-z0-9_-]{30,}$")
# What Telegram accepts as a webhook's secret_token.
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
DEFAULT_DATABASE = "sqlite+aiosqlite:///hearback.db"


class ConfigError(Exception):
    """The configuration cannot be used; the message says why and what to do."""


class Settings(BaseSettings):
    """Environment: BOT_TOKEN, DATABASE_URL, TELEGRAM_API_BASE, HEARBACK_CONFIG, WEBHOOK_*,
    HEARBACK_RUNTIME, HEARBACK_SEND_LIMITS, HEARBACK_PURGE_AFTER_DAYS, HEARBACK_ATTEMPTS,
    HEARBACK_HTTP, HEARBACK_LOG_FORMAT."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE
    telegram_api_base: str | None = None
    hearback_config: Path = Path("hearback.toml")
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    # Webhook mode: where Telegram's POSTs (and /healthz, /readyz, /metrics) are served.
    webhook_listen: str = "0.0.0.0:8080"
    # Polling mode: where /healthz, /readyz and /metrics are served, if anywhere.
    hearback_http: str | None = None
    hearback_log_format: Literal["text", "json"] = "text"
    hearback_runtime: Literal["aiogram", "ptb"] = "aiogram"
    # "off" only where nobody enforces Telegram's limits: the emulator in benchmarks and tests.
    hearback_send_limits: Literal["telegram", "off"] = "telegram"
    # Days a handled update's id and a delivered message's ids are kept (bot.housekeeping).
    hearback_purge_after_days: int = Field(default=7, ge=1)
    # Attempts of a failing update or timer before it is set aside as a dead letter.
    hearback_attempts: int = Field(default=5, ge=1, le=20)

    def token(self) -> str:
        """The bot token, or a ConfigError saying how to get one."""
        problem = token_problem(self.bot_token)
        if problem:
            raise ConfigError(problem)
        assert self.bot_token is not None
        return self.bot_token.get_secret_value()


def token_problem(token: SecretStr | None) -> str | None:
    """What is wrong with the token, without ever repeating it."""
    if token is None or not token.get_secret_value().strip():
        return "BOT_TOKEN is not set: create a bot with @BotFather and put its token in BOT_TOKEN."
    if not _TOKEN.match(token.get_secret_value().strip()):
        return (
            "BOT_TOKEN does not look like a bot token (digits, a colon, then 35 letters): "
            "copy it again from @BotFather."
        )
    return None


def webhook_problem(settings: Settings) -> str | None:
    """What keeps webhook mode from starting, if WEBHOOK_URL asks for it."""
    if not settings.webhook_url:
        return None
    url = settings.webhook_url
    if not url.startswith(("https://", "http://")):
        return f"WEBHOOK_URL must be the https:// address Telegram posts updates to, not {url!r}."
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not secret:
        return (
            "WEBHOOK_URL is set but WEBHOOK_SECRET is not: webhook mode needs a secret, so that "
            "only Telegram can post updates. Set WEBHOOK_SECRET to a random string of 1 to 256 "
            "letters, digits, _ and - (for example: openssl rand -hex 32)."
        )
    if not _SECRET.match(secret):
        return "WEBHOOK_SECRET may hold only 1 to 256 letters, digits, _ and - (Telegram's rule)."
    if problem := address_problem(settings.webhook_listen):
        return f"WEBHOOK_LISTEN: {problem}"
    return None


def address(value: str) -> tuple[str, int]:
    """host:port (or [v6]:port) as a host and a port."""
    host, _, port = value.rpartition(":")
    return host.strip("[]") or "0.0.0.0", int(port)


def address_problem(value: str) -> str | None:
    """What is wrong with a host:port, if anything."""
    try:
        _, port = address(value)
    except ValueError:
        return f"{value!r} is not host:port, e.g. 0.0.0.0:8080."
    if not 0 < port < 65536:
        return f"{value!r} names no valid port."
    return None


def database_problem(url: str) -> str | None:
    """What is wrong with DATABASE_URL, if anything."""
    scheme = url.split(":", 1)[0]
    if scheme not in ("sqlite", "sqlite+aiosqlite", "postgresql", "postgresql+asyncpg", "postgres"):
        return (
            f'DATABASE_URL uses "{scheme}", which hearback does not support: use '
            '"sqlite+aiosqlite:///hearback.db" or "postgresql+asyncpg://user@host/db".'
        )
    return None


def _where(location: tuple[int | str, ...], raw: dict[str, object]) -> str:
    """A readable path to a config value: categories[0] "delivery" → first_response."""
    parts: list[str] = []
    node: object = raw
    for item in location:
        if isinstance(item, int) and isinstance(node, list) and item < len(node):
            node = node[item]
            key = node.get("key") if isinstance(node, dict) else None
            parts[-1] = f"{parts[-1]}[{item}]" + (f' "{key}"' if key else "")
        else:
            parts.append(str(item))
            node = node.get(str(item)) if isinstance(node, dict) else None
    return " → ".join(parts) or "the file"


def load_org(path: Path) -> OrgConfig:
    """Read and validate the organisation's TOML file, or raise ConfigError listing every problem."""
    if not path.exists():
        raise ConfigError(
            f"The config file {path} does not exist. Create it (see the example in README.md) "
            "or point HEARBACK_CONFIG at it."
        )
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path} is not UTF-8 text (an unreadable byte at position {error.start}): save it "
            "as UTF-8 (most editors offer this under 'Save with encoding')."
        ) from None
    except OSError as error:
        raise ConfigError(f"{path} cannot be read: {error.strerror or error}.") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}.") from None
    try:
        org = OrgConfig.model_validate(raw)
    except ValidationError as error:
        lines = []
        for item in error.errors():
            message = str(item["msg"]).removeprefix("Value error, ")
            if item["type"] == "missing":
                message = "is required but missing"
            elif item["type"] == "extra_forbidden":
                message = "is not a setting hearback knows (a typo?)"
            lines.append(f"- {_where(tuple(item['loc']), raw)}: {message}")
        raise ConfigError(f"{path} has {len(lines)} problem(s):\n" + "\n".join(lines)) from None
    # The organisation's own tone rules extend the built-in ones of each language.
    return org.model_copy(update={"tone": org.tone.with_builtin(builtin_rules())})


def problems(settings: Settings, need_token: bool = True) -> list[str]:
    """Everything wrong with the environment and the config file, in plain words."""
    found = []
    if need_token and (problem := token_problem(settings.bot_token)):
        found.append(problem)
    if problem := database_problem(settings.database_url):
        found.append(problem)
    if problem := webhook_problem(settings):
        found.append(problem)
    if settings.hearback_http and (problem := address_problem(settings.hearback_http)):
        found.append(f"HEARBACK_HTTP: {problem}")
    try:
        load_org(settings.hearback_config)
    except ConfigError as error:
        found.append(str(error))
    return found
