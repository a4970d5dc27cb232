"""Running it like production, without a network: JSON log lines, webhook settings explained,
metrics labels."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from pydantic import SecretStr

from bot import logs
from bot.metrics import Metrics, outcome_label
from bot.settings import Settings, address, webhook_problem
from bot.transport import Blocked, Delivered, Rejected, RetryLater
from storage.chats import chat_of


def json_line(record: logging.LogRecord) -> dict[str, object]:
    parsed: dict[str, object] = json.loads(logs.JsonFormatter().format(record))
    return parsed


async def test_a_json_log_line_names_the_worker_update_and_case() -> None:
    async def in_a_worker() -> logging.LogRecord:
        logs.WORKER.set("InboxProcessor")
        logs.UPDATE.set(42)
        logs.CASE.set("HB-7K3Q9M")
        record = logging.LogRecord("bot.inbox", logging.INFO, __file__, 1, "update %s", (42,), None)
        logs.Context().filter(record)  # as logging does, in the task that logs
        return record

    line = json_line(await asyncio.create_task(in_a_worker()))
    assert line["message"] == "update 42"
    assert (line["worker"], line["update_id"], line["case"]) == ("InboxProcessor", 42, "HB-7K3Q9M")
    assert line["level"] == "INFO" and line["logger"] == "bot.inbox"


def test_a_json_log_line_outside_any_worker_has_empty_fields() -> None:
    record = logging.LogRecord("bot.app", logging.WARNING, __file__, 1, "starting", (), None)
    logs.Context().filter(record)
    line = json_line(record)
    assert (line["worker"], line["update_id"], line["case"]) == (None, None, None)


def test_webhook_mode_needs_a_secret_telegram_accepts() -> None:
    hook = "https://bot.example.com/tg/hook"
    assert webhook_problem(Settings(webhook_url=None)) is None
    missing = webhook_problem(Settings(webhook_url=hook))
    assert missing is not None and "WEBHOOK_SECRET is not" in missing
    bad = webhook_problem(Settings(webhook_url=hook, webhook_secret=SecretStr("with space")))
    assert bad is not None and "letters, digits" in bad
    assert webhook_problem(Settings(webhook_url=hook, webhook_secret=SecretStr("ok_1-2"))) is None
    listen = Settings(webhook_url=hook, webhook_secret=SecretStr("ok"), webhook_listen="nowhere")
    assert "WEBHOOK_LISTEN" in (webhook_problem(listen) or "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.0.0.0:8080", ("0.0.0.0", 8080)), ("[::]:9000", ("::", 9000)), (":81", ("0.0.0.0", 81))],
)
def test_listen_addresses_read_as_host_and_port(text: str, expected: tuple[str, int]) -> None:
    assert address(text) == expected


def test_sends_are_counted_by_outcome() -> None:
    assert outcome_label(Delivered()) == "ok"
    assert outcome_label(RetryLater(3, "Too Many Requests", rate_limited=True)) == "429"
    assert outcome_label(RetryLater(1, "HTTP 502: Bad Gateway")) == "5xx"
    assert outcome_label(RetryLater(1, "ClientConnectorError")) == "network"
    assert outcome_label(Blocked("Forbidden: bot was blocked by the user")) == "403"
    assert outcome_label(Rejected("Bad Request: chat not found")) == "400"
    exposed = Metrics().text().decode()
    assert 'hearback_sends_total{outcome="429"} 0.0' in exposed
    assert 'hearback_worker_restarts_total{worker="sender"} 0.0' in exposed


def test_an_update_belongs_to_its_chat_or_its_sender() -> None:
    message = {"update_id": 1, "message": {"chat": {"id": -100}, "from": {"id": 5}}}
    press = {"update_id": 2, "callback_query": {"from": {"id": 5}, "message": {"chat": {"id": 7}}}}
    inline = {"update_id": 3, "inline_query": {"from": {"id": 9}}}
    assert [chat_of(u) for u in (message, press, inline, {"update_id": 4})] == [-100, 7, 9, None]
