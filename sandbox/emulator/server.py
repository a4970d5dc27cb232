"""aiohttp routes: the Bot API under /bot<token>/<method>, files, and a JSON driver API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from sandbox.emulator.params import Params
from sandbox.emulator.state import ApiError, JsonDict, Upload

if TYPE_CHECKING:
    from sandbox.emulator.driver import BotApiEmulator

EMULATOR: web.AppKey[BotApiEmulator] = web.AppKey("emulator")
CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)
# What nginx in front of the Bot API answers when the backend is down: not JSON at all.
BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)
MAX_BODY = 50 * 1024 * 1024  # Telegram's upload limit for bots


def build_app(emu: BotApiEmulator) -> web.Application:
    """The aiohttp application serving emu."""
    app = web.Application(client_max_size=MAX_BODY)
    app[EMULATOR] = emu
    app.router.add_route("*", "/bot{token}/{method}", bot_api)
    app.router.add_get("/file/bot{token}/{path:.+}", download)
    app.router.add_post("/_emulator/users", driver_add_user)
    app.router.add_post("/_emulator/users/{user_id}/text", driver_text)
    app.router.add_post("/_emulator/users/{user_id}/press", driver_press)
    app.router.add_get("/_emulator/chats/{chat_id}/messages", driver_messages)
    app.router.add_get("/_emulator/stats", driver_stats)
    app.router.add_post("/_emulator/reset", driver_reset)
    return app


def error_response(error: ApiError) -> web.Response:
    """Telegram's JSON error body with the matching HTTP status."""
    return web.json_response(error.payload(), status=error.status)


async def read_params(request: web.Request) -> Params:
    """Parameters from the query string and a JSON, urlencoded or multipart body."""
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.body_exists:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON request body") from None
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: JSON object expected as request body")
            values.update(body)
        else:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    with value.file:
                        uploads[key] = Upload(value.filename, value.content_type, value.file.read())
                else:
                    values[key] = value
    return Params(values, uploads)


async def bot_api(request: web.Request) -> web.StreamResponse:
    """Any Bot API method, GET or POST, method name case-insensitive."""
    emu = request.app[EMULATOR]
    arrived = emu.clock()  # before the body is read: as close to arrival as can be
    lowered = request.match_info["method"].lower()
    if emu.unavailable(lowered):
        emu.stats.unanswered += 1
        if emu.outage_kind == "hang":  # held open, unanswered, until the outage ends
            await emu.wait_until(lambda: not emu.unavailable(lowered) or emu.closing, 3600)
        if emu.outage_kind == "drop" and request.transport is not None:
            request.transport.close()  # the connection dies without an answer
            raise web.HTTPBadGateway()
        return web.Response(status=502, text=BAD_GATEWAY_HTML, content_type="text/html")
    if request.match_info["token"] != emu.token:
        return error_response(ApiError(401, "Unauthorized"))
    method = emu.canonical_method(lowered)
    if method is None:
        return error_response(ApiError(404, "Not Found"))
    emu.stats.requests[method] += 1
    try:
        params = await read_params(request)
        emu.record_call(method, params, arrived)
        fault = emu.take_fault(lowered)
        if fault is not None:
            raise fault
        if lowered == "getupdates":
            result: Any = await get_updates(emu, params)
        else:
            result = emu.call_method(lowered, params)
    except ApiError as error:
        emu.stats.errors[error.status] += 1
        if error.status == 429:
            emu.stats.rate_limited[method] += 1
            emu.stats.flood_waits.append((emu.clock(), error.retry_after or 0))
        return error_response(error)
    finally:
        emu.notify()
    if lowered in emu.held_answers:  # done, but the answer is slow to come back
        await emu.wait_until(lambda: lowered not in emu.held_answers or emu.closing, 3600)
    return web.json_response({"ok": True, "result": result})


async def get_updates(emu: BotApiEmulator, p: Params) -> list[JsonDict]:
    """getUpdates with long polling; a newer long poll ends the older one with 409."""
    # Always read emu.state afresh: a driver reset() may replace it while a poll waits.
    if emu.state.webhook_url:
        raise ApiError(409, WEBHOOK_ACTIVE)
    offset = p.integer("offset") or 0
    limit = min(100, max(1, p.integer("limit") or 100))
    timeout = max(0, p.integer("timeout") or 0)
    allowed = p.json("allowed_updates")
    if isinstance(allowed, list):
        emu.state.allowed_updates = frozenset(map(str, allowed)) if allowed else None
    updates = emu.state.take_updates(offset, limit)
    if updates or timeout == 0:
        return updates
    # Telegram's rule: a new long poll terminates the one already waiting, which gets the 409.
    emu.poll_generation += 1
    generation = emu.poll_generation
    emu.notify()
    offset = max(offset, 0)  # a negative offset has done its trimming already
    await emu.wait_until(
        lambda: bool(emu.state.updates) or emu.poll_generation != generation or emu.closing,
        timeout,
    )
    if emu.poll_generation != generation:
        raise ApiError(409, CONFLICT)
    return emu.state.take_updates(offset, limit)


async def download(request: web.Request) -> web.StreamResponse:
    """File bytes for a getFile path (placeholder bytes for files the driver invented)."""
    emu = request.app[EMULATOR]
    if request.match_info["token"] != emu.token:
        return error_response(ApiError(401, "Unauthorized"))
    path = request.match_info["path"]
    for stored in emu.state.files.values():
        if stored.file_path == path:
            return web.Response(body=stored.data if stored.data is not None else b"\0" * 16)
    return error_response(ApiError(404, "Not Found"))


# -- driver API: thin JSON wrappers over BotApiEmulator's Python methods -----------------------


async def _json_body(request: web.Request) -> JsonDict:
    body = await request.json() if request.body_exists else {}
    if not isinstance(body, dict):
        raise ValueError("JSON object expected")
    return body


def _driver_error(error: Exception) -> web.Response:
    return web.json_response({"ok": False, "error": str(error)}, status=400)


async def driver_add_user(request: web.Request) -> web.Response:
    """POST /_emulator/users {"id", "first_name", ...}."""
    try:
        body = await _json_body(request)
        user = request.app[EMULATOR].add_user(
            int(body["id"]),
            str(body.get("first_name", f"User {body['id']}")),
            last_name=body.get("last_name"),
            username=body.get("username"),
            language_code=body.get("language_code", "en"),
        )
    except (ValueError, KeyError, LookupError) as error:
        return _driver_error(error)
    return web.json_response({"ok": True, "result": user.to_api()})


async def driver_text(request: web.Request) -> web.Response:
    """POST /_emulator/users/{id}/text {"text", "chat_id"?, "thread_id"?, "reply_to"?}."""
    try:
        body = await _json_body(request)
        msg = await request.app[EMULATOR].send_text(
            int(request.match_info["user_id"]),
            str(body["text"]),
            chat_id=body.get("chat_id"),
            thread_id=body.get("thread_id"),
            reply_to=body.get("reply_to"),
        )
    except (ValueError, KeyError, LookupError) as error:
        return _driver_error(error)
    return web.json_response({"ok": True, "result": msg.summary()})


async def driver_press(request: web.Request) -> web.Response:
    """POST /_emulator/users/{id}/press {"chat_id", "message_id", "data"}."""
    try:
        body = await _json_body(request)
        query_id = await request.app[EMULATOR].press_button(
            int(request.match_info["user_id"]),
            int(body["chat_id"]),
            int(body["message_id"]),
            str(body["data"]),
        )
    except (ValueError, KeyError, LookupError) as error:
        return _driver_error(error)
    return web.json_response({"ok": True, "result": {"callback_query_id": query_id}})


async def driver_messages(request: web.Request) -> web.Response:
    """GET /_emulator/chats/{chat_id}/messages[?thread_id=N]."""
    try:
        thread = request.query.get("thread_id")
        messages = request.app[EMULATOR].messages(
            int(request.match_info["chat_id"]), int(thread) if thread else None
        )
    except (ValueError, LookupError) as error:
        return _driver_error(error)
    return web.json_response({"ok": True, "result": [m.summary() for m in messages]})


async def driver_stats(request: web.Request) -> web.Response:
    """GET /_emulator/stats."""
    stats = request.app[EMULATOR].stats
    return web.json_response(
        {
            "ok": True,
            "result": {
                "requests": dict(stats.requests),
                "rate_limited": dict(stats.rate_limited),
                "sent": stats.total_sent,
            },
        }
    )


async def driver_reset(request: web.Request) -> web.Response:
    """POST /_emulator/reset: forget users, chats, messages and updates."""
    request.app[EMULATOR].reset()
    return web.json_response({"ok": True, "result": True})
