"""Keeps the bot token out of every log line, whatever library writes it."""

from __future__ import annotations

import logging


class RedactToken(logging.Filter):
    """Replaces the token in log messages and their arguments."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drop it."""
        if not self._token:
            return True
        message = record.getMessage()
        if self._token in message:
            record.msg = message.replace(self._token, "<BOT_TOKEN>")
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            if self._token in text:
                record.exc_text = text.replace(self._token, "<BOT_TOKEN>")
                record.exc_info = None
        return True


def install(token: str) -> None:
    """Attach the filter to every handler of the root logger."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))
