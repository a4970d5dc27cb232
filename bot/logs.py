"""Logging set-up: plain text, or one JSON object a line (--log-format json) with the worker,
update id and case number each line is about. Log lines never carry content (texts, names,
phone numbers), only what they are about; the token is redacted whatever the format."""

from __future__ import annotations

import contextvars
import logging
from datetime import UTC, datetime
from typing import Any

from bot import redact
from storage import json_codec

WORKER: contextvars.ContextVar[str | None] = contextvars.ContextVar("worker", default=None)
UPDATE: contextvars.ContextVar[int | None] = contextvars.ContextVar("update_id", default=None)
CASE: contextvars.ContextVar[str | None] = contextvars.ContextVar("case", default=None)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class Context(logging.Filter):
    """Adds the worker, update id and case number of the running task to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Annotate; never drop."""
        record.worker = WORKER.get()
        record.update_id = UPDATE.get()
        record.case = CASE.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, worker, update_id, case, error."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as JSON."""
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "worker": getattr(record, "worker", None),
            "update_id": getattr(record, "update_id", None),
            "case": getattr(record, "case", None),
        }
        if record.exc_text:  # already formatted (and redacted) by bot.redact
            line["error"] = record.exc_text
        elif record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json_codec.dumps_text(line)


def setup(token: str = "", json: bool = False) -> None:
    """Configure the root logger once for the process: format, levels, context, redaction."""
    logging.basicConfig(level=logging.INFO, format=TEXT_FORMAT)
    for handler in logging.getLogger().handlers:
        if json:
            handler.setFormatter(JsonFormatter())
        handler.addFilter(Context())
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # python-telegram-bot's every request
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # every webhook POST
    redact.install(token)
