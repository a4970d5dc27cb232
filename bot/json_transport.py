"""The Bot API over plain aiohttp and JSON: the Transport every runtime sends through.

A Bot API call is a JSON object posted to /bot<token>/<method> and a JSON answer. A framework's
client builds a typed method object for each call and validates each answer into typed objects;
for a bot that only needs to know how a call went, that costs more CPU than the rest of a
delivery. Runtimes still parse updates their own way to route them: sending needs none of it.
Telegram's answers are mapped to the neutral outcomes of bot.transport, never raised.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from yarl import URL

from bot.transport import Blocked, Delivered, Json, Outcome, Rejected, RetryLater, Upload
from storage import json_codec

TELEGRAM = "https://api.telegram.org"
# Answers worth keeping: queries. Sending methods need no copy of what was sent.
QUERIES = frozenset({"getMe", "getChat", "getChatMember"})
REQUEST_TIMEOUT = 60.0
JSON_BODY = {"Content-Type": "application/json"}


class BotApiError(Exception):
    """getUpdates failed; the message names the status and Telegram's words, never the token."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


def outcome(method: str, status: int, body: Any) -> Outcome:
    """What an HTTP answer of the Bot API means for the call (`body`: the parsed JSON or None)."""
    if not isinstance(body, dict):
        # Not the Bot API's JSON: a proxy's error page while Telegram is down, say.
        return RetryLater(1.0, f"HTTP {status} without a Bot API answer")
    if 200 <= status < 300 and body.get("ok"):
        result = body.get("result")
        message_id = thread_id = None
        if isinstance(result, dict):
            message_id = result.get("message_id")
            thread_id = result.get("message_thread_id")
        return Delivered(
            message_id if isinstance(message_id, int) else None,
            thread_id if isinstance(thread_id, int) else None,
            result if method in QUERIES else None,
        )
    description = str(body.get("description") or f"HTTP {status}")
    parameters = body.get("parameters") or {}
    if parameters.get("retry_after"):
        return RetryLater(float(parameters["retry_after"]), description, rate_limited=True)
    if parameters.get("migrate_to_chat_id"):
        return RetryLater(5.0, f"the group moved: {description}")
    if status == 403:
        return Blocked(description)
    if status in (400, 404, 413):
        return Rejected(description)
    if status >= 500:
        return RetryLater(1.0, f"HTTP {status}: {description}")
    return RetryLater(5.0, f"HTTP {status}: {description}")  # 401, 409: the operator must act


def _body(params: Json) -> bytes:
    return json_codec.dumps(params)


def _form(params: Json) -> aiohttp.FormData:
    """A call with a file in it, as Telegram takes uploads: multipart/form-data, where every
    other parameter is text and objects (a keyboard, say) are JSON-serialised."""
    form = aiohttp.FormData()
    for name, value in params.items():
        if isinstance(value, Upload):
            form.add_field(
                name, value.data, filename=value.filename, content_type=value.content_type
            )
        elif isinstance(value, bool):
            form.add_field(name, "true" if value else "false")
        elif isinstance(value, str | int | float):
            form.add_field(name, str(value))
        elif value is not None:
            form.add_field(name, json_codec.dumps_text(value))
    return form


class JsonTransport:
    """Calls Bot API methods with JSON bodies over one aiohttp session."""

    def __init__(self, token: str, api_base: str | None = None) -> None:
        self._url = f"{(api_base or TELEGRAM).rstrip('/')}/bot{token}/"
        self._session: aiohttp.ClientSession | None = None
        self._closed = False
        # Parsed once per method: a URL given as text is parsed (host, port, IDNA) per request.
        self._urls: dict[str, URL] = {}

    def _method_url(self, method: str) -> URL:
        url = self._urls.get(method)
        if url is None:
            url = self._urls[method] = URL(self._url + method)
        return url

    def _http(self) -> aiohttp.ClientSession:
        if self._closed:  # a call after close fails at once instead of opening a new session
            raise aiohttp.ClientConnectionError("the Bot API client is closed")
        if self._session is None or self._session.closed:
            # Made on first use: a session belongs to the event loop that runs it.
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
            )
        return self._session

    async def _post(self, method: str, params: Json, timeout: float | None = None) -> Outcome:
        limit = aiohttp.ClientTimeout(total=timeout) if timeout is not None else None
        uploads = any(isinstance(value, Upload) for value in params.values())
        data = _form(params) if uploads else _body(params)
        try:
            async with self._http().post(
                self._method_url(method),
                data=data,
                headers=None if uploads else JSON_BODY,
                timeout=limit,
            ) as response:
                raw = await response.read()
                status = response.status
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            # Only the type: an aiohttp error's text can quote the URL, and the URL the token.
            return RetryLater(1.0, type(error).__name__)
        try:
            body = json_codec.loads(raw)
        except ValueError:
            body = None
        return outcome(method, status, body)

    async def call(self, method: str, params: Json) -> Outcome:
        """Call `method`; report how it went instead of raising."""
        return await self._post(method, params)

    async def get_updates(self, offset: int | None, timeout: int) -> list[Json]:
        """Long-poll for updates, returned as the Bot API's raw JSON objects."""
        params: Json = {"timeout": timeout}
        if offset is not None:
            params["offset"] = offset
        async with self._http().post(
            self._method_url("getUpdates"),
            data=_body(params),
            headers=JSON_BODY,
            timeout=aiohttp.ClientTimeout(total=timeout + 10),
        ) as answer:
            raw = await answer.read()
            status = answer.status
        try:
            body = json_codec.loads(raw)
        except ValueError:
            raise BotApiError(f"getUpdates answered HTTP {status}, not JSON", status) from None
        if not (isinstance(body, dict) and body.get("ok") and isinstance(body["result"], list)):
            described = body.get("description") if isinstance(body, dict) else None
            raise BotApiError(f"getUpdates answered HTTP {status}: {described}", status)
        return list(body["result"])

    async def close(self) -> None:
        """Close the HTTP session for good: calls in flight end with RetryLater (getUpdates
        raises), and so does every call made after."""
        self._closed = True
        if self._session is not None:
            await self._session.close()
